"""The language switcher: on every page, a link to the same place in each other language.

- A Wagtail page (served by Wagtail's catch-all view): its live, public translation; an
  untranslated page falls back to that language's home page.
- Any other view inside ``i18n_patterns`` (verification, the learning dashboard, attempts,
  results, account pages, search): the same view with the same arguments in that language,
  with Django's :func:`~django.urls.translate_url`, even when the view puts a ``page`` (say the
  assessment an attempt belongs to) in its context.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django import template
from django.conf import settings
from django.urls import Resolver404, resolve, translate_url
from django.utils import translation

register = template.Library()

WAGTAIL_SERVE_URL_NAME = "wagtail_serve"


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context, page=None):
    request = context.get("request")
    current = translation.get_language()
    is_page = _is_page(page) and _served_by_wagtail(request)
    urls = _page_translation_urls(context, page, request) if is_page else {}
    links = []
    for code, name in settings.LANGUAGES:
        if code == current:
            continue
        # An untranslated page: that language's home page.
        url = (urls.get(code) or _home_url(code)) if is_page else _same_view_url(request, code)
        links.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "bidi": translation.get_language_info(code)["bidi"],
            }
        )
    return {"links": links}


def _is_page(page) -> bool:
    # A template's missing ``page`` variable arrives as "" (string_if_invalid), not None.
    return getattr(page, "pk", None) is not None


def _served_by_wagtail(request) -> bool:
    """Is this request Wagtail's page view? Without a request (a cached shared part rendered
    for a page), it is a page."""
    if request is None:
        return True
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return True
    return match.url_name == WAGTAIL_SERVE_URL_NAME


def _page_translation_urls(context, page, request) -> dict:
    # A page may have fetched its translations already (LessonPage.navigation does).
    translations = context.get("page_translations")
    if translations is None:
        translations = page.get_translations(inclusive=False).live().public()
        translations = translations.select_related("locale")
    return {t.locale.language_code: t.get_url(request) for t in translations}


def _same_view_url(request, code: str) -> str:
    """The current URL (path, arguments and query string) in language ``code``; that
    language's home page when the path does not resolve to a named view."""
    if request is None:
        return _home_url(code)
    current = request.get_full_path()
    translated = translate_url(current, code)
    if translated == current:
        return _home_url(code)
    # A sign-in page's ``next`` (a local path) follows the switch too.
    parts = urlsplit(translated)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(key == "next" for key, _value in query):
        query = [
            (key, translate_url(value, code) if key == "next" and value.startswith("/") else value)
            for key, value in query
        ]
        translated = urlunsplit(parts._replace(query=urlencode(query)))
    return translated


def _home_url(code: str) -> str:
    return "/" if code == settings.LANGUAGE_CODE else f"/{code}/"


@register.simple_tag
def locale_is_rtl(language_code: str) -> bool:
    return translation.get_language_info(language_code)["bidi"]
