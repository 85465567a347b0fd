"""The language switcher: links to this page in each language, or to that language's home."""

from django import template
from django.conf import settings
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
        url = urls.get(code) or ("/" if code == settings.LANGUAGE_CODE else f"/{code}/")
        links.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "bidi": translation.get_language_info(code)["bidi"],
            }
        )
    return {"links": links}


@register.simple_tag
def locale_is_rtl(language_code: str) -> bool:
    return translation.get_language_info(language_code)["bidi"]
