"""One-query page lookup by URL path, for the home page's router.

Finding a page's specific class normally costs a second query. Apps register the page types
learners hit most (courses registers ``LessonPage``); those are tried first, directly on their
own table, so the hot path costs one query and any other page two. A registered page served as
itself is also a route every visitor shares, which ``content.middleware`` keeps in the cache.
"""

from wagtail.models import Page
from wagtail.url_routing import RouteResult

_fast_route_models: list[type[Page]] = []


def register_fast_route_model(model: type[Page]) -> None:
    if model not in _fast_route_models:
        _fast_route_models.append(model)


def find_page_by_url_path(url_path: str, *, within: Page) -> Page | None:
    """The specific page at ``url_path`` in ``within``'s subtree (its locale's tree), or None."""
    for model in _fast_route_models:
        # Unordered: sibling slugs are unique, so a URL path names one page in a tree.
        found = list(
            model.objects.filter(url_path=url_path, path__startswith=within.path).order_by()[:1]
        )
        if found:
            return found[0]
    return Page.objects.filter(url_path=url_path, path__startswith=within.path).specific().first()


def is_shared_route(result: RouteResult) -> bool:
    """Is this route the same for everyone: a registered page type, served as itself?"""
    return type(result.page) in _fast_route_models and not result.args and not result.kwargs
