"""The language switcher: links to this page in each language, or to that language's home."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

register = template.Library()


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context, page=None):
    current = translation.get_language()
    urls = {}
    if page is not None and getattr(page, "pk", None):
        # A page may have fetched its translations already (LessonPage.navigation does).
        translations = context.get("page_translations")
        if translations is None:
            translations = (
                page.get_translations(inclusive=False).live().public().select_related("locale")
            )
        for translated in translations:
            urls[translated.locale.language_code] = translated.get_url(context.get("request"))
    links = []
    for code, name in settings.LANGUAGES:
        if code == current:
            continue
        # No translation of this page yet: that language's home page, at its URL prefix.
        url = urls.get(code) or _fallback_url(context.get("request"), page, code)
        links.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "bidi": translation.get_language_info(code)["bidi"],
            }
        )
    return {"links": links}


def _fallback_url(request, page, code):
    """Not a page (sign-in, dashboard): the same view in that language. An untranslated page:
    that language's home page."""
    if page is None and request is not None:
        translated = translate_url(request.get_full_path(), code)
        if translated != request.get_full_path() or code == settings.LANGUAGE_CODE:
            return translated
    return "/" if code == settings.LANGUAGE_CODE else f"/{code}/"


@register.simple_tag
def locale_is_rtl(language_code: str) -> bool:
    return translation.get_language_info(language_code)["bidi"]
