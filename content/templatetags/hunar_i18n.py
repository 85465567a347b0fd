"""The language switcher: links to this page in each language, or to that language's home."""

from django import template
from django.conf import settings
from django.utils import translation
from wagtail.models import Locale, Page

register = template.Library()


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context, page=None):
    current = translation.get_language()
    urls = {}
    if page is not None and getattr(page, "pk", None):
        for translated in page.get_translations(inclusive=False).live().select_related("locale"):
            urls[translated.locale.language_code] = translated.get_url(context.get("request"))
    links = []
    for code, name in settings.LANGUAGES:
        if code == current:
            continue
        url = urls.get(code)
        if url is None:
            # No translation of this page yet: that language's home page (or its prefix).
            url = _home_url(code, context.get("request"))
        links.append({"code": code, "name": name, "url": url, "bidi": code == "ur"})
    return {"links": links}


def _home_url(language_code, request):
    home = (
        Page.objects.filter(depth=2, locale__language_code=language_code, live=True)
        .only("id", "url_path", "path", "depth", "locale_id")
        .first()
    )
    if home is not None:
        url = home.get_url(request)
        if url:
            return url
    return "/" if language_code == settings.LANGUAGE_CODE else f"/{language_code}/"


@register.simple_tag
def locale_is_rtl(language_code: str) -> bool:
    return translation.get_language_info(language_code)["bidi"]


__all__ = ["language_switcher", "locale_is_rtl", "Locale"]
