"""One-query page lookup by URL path, for the home page's router.

Finding a page's specific class normally costs a second query. Apps register the page types
learners hit most (courses registers ``LessonPage``); those are tried first, directly on their
own table, so the hot path costs one query and any other page two.
"""

from wagtail.models import Page

_fast_route_models: list[type[Page]] = []


def register_fast_route_model(model: type[Page]) -> None:
    if model not in _fast_route_models:
        _fast_route_models.append(model)


def find_page_by_url_path(url_path: str, *, within: Page) -> Page | None:
    """The specific page at ``url_path`` in ``within``'s subtree (its locale's tree), or None."""
    for model in _fast_route_models:
        page = model.objects.filter(url_path=url_path, path__startswith=within.path).first()
        if page is not None:
            return page
    return Page.objects.filter(url_path=url_path, path__startswith=within.path).specific().first()
