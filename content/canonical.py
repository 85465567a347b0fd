"""One page in two languages: the canonical page that learner records point to.

A course, lesson or assessment is one thing however many languages it is read in. Wagtail's
``translation_key`` says which pages are translations of each other; of those, the page in the
programme's source locale (``Locale.get_default()``, from ``LANGUAGE_CODE``) is the canonical
one. Every learner record (enrolment, lesson progress, attempt, and so certificates and reports)
points at the canonical page; pages are shown in the reader's language by looking up the
translation. A page with no source-locale translation (written only in Urdu) is its own canonical.
See docs/decisions/0013-one-learner-across-languages.md.
"""

from django.db.models import Q
from wagtail.models import Locale, Page


def source_locale() -> Locale | None:
    """The locale every learner record is kept in (None before any locale exists)."""
    try:
        return Locale.get_default()
    except Locale.DoesNotExist:
        return None


def canonical_of(*, page):
    """The canonical translation of ``page``, of the same class as ``page`` (one query, none
    when ``page`` is already in the source locale and its locale is known)."""
    locale = source_locale()
    if locale is None or page.locale_id == locale.pk:
        return page
    canonical = (
        type(page)
        ._default_manager.filter(translation_key=page.translation_key, locale=locale)
        .first()
    )
    return canonical or page


def canonical_ids(page_ids) -> dict[int, int]:
    """{page id: canonical page id} for several pages, in one query."""
    page_ids = set(page_ids)
    if not page_ids:
        return {}
    locale = source_locale()
    if locale is None:
        return {pk: pk for pk in page_ids}
    rows = list(
        Page.objects.filter(
            Q(pk__in=page_ids)
            | Q(
                translation_key__in=Page.objects.filter(pk__in=page_ids).values("translation_key"),
                locale=locale,
            )
        ).values_list("pk", "translation_key", "locale_id")
    )
    source = {key: pk for pk, key, locale_id in rows if locale_id == locale.pk}
    return {pk: source.get(key, pk) for pk, key, _locale in rows if pk in page_ids}


def translations_in(pages, locale: Locale, *, queryset=None) -> dict[int, Page]:
    """{page id: its live translation in ``locale``} for display, in one query; a page with no
    such translation maps to itself. ``queryset`` (e.g. ``CoursePage.objects.only(...)``)
    chooses the class and fields returned."""
    pages = list(pages)
    keys = {page.translation_key for page in pages}
    if not keys:
        return {}
    queryset = queryset if queryset is not None else Page.objects.all()
    found = {
        row.translation_key: row
        for row in queryset.live().filter(translation_key__in=keys, locale=locale)
    }
    return {page.pk: found.get(page.translation_key, page) for page in pages}
