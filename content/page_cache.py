"""Published pages in the shared cache: routes, tree facts and HTML, dropped by any content change.

What is kept is the same for every visitor: which page a URL leads to, a page's ancestors and
translations, and HTML such as a lesson's body, breadcrumbs and pager. Nothing that depends on
the visitor (their name, progress, CSRF token, messages) is ever stored: a template renders a
shared part from a context holding only the page and the language
(``content.templatetags.shared_parts``).

Every entry is stored with the *content version* it was built from and read in the same
``get_many`` as the current version; an entry of another version is a miss. Saving or deleting
any page, page view restriction, image, document, site or locale, and moving a page, sets a new
version at once and again when the transaction commits (a request that read the database in
between must not keep its entry), so an edit shows on the next request in every process. Entries
also expire after ``TTL`` seconds: a bound for changes that bypass ``save()`` (raw SQL,
``QuerySet.update``), and shorter than the life of signed media URLs (S3 signs for an hour).
"""

import functools
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import translation

VERSION_KEY = "hunar:content-version"
TTL = 15 * 60


def content_version() -> str:
    """The current content version (every entry built from another one is stale)."""
    return cache.get(VERSION_KEY) or _start_version()


def read(keys: Iterable[str]) -> tuple[str, dict[str, Any]]:
    """The current content version and the entries of ``keys`` built from it, in one round trip."""
    keys = list(keys)
    found = cache.get_many([VERSION_KEY, *keys])
    version = found.get(VERSION_KEY) or _start_version()
    return version, {key: found[key][1] for key in keys if _fresh(found.get(key), version)}


def write(key: str, version: str, value: Any, timeout: int = TTL) -> None:
    cache.set(key, (version, value), timeout)


def _fresh(entry, version: str) -> bool:
    return entry is not None and entry[0] == version


def _start_version() -> str:
    version = secrets.token_hex(8)
    if cache.add(VERSION_KEY, version, None):
        return version
    return cache.get(VERSION_KEY) or version  # another process started one first


def content_changed() -> None:
    """Make every entry stale: now, and once more after the current transaction commits."""
    cache.set(VERSION_KEY, secrets.token_hex(8), None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, secrets.token_hex(8), None))


class SharedParts:
    """The parts of one page every visitor shares, for the active language: one cache entry.

    ``get(name, build)`` returns a stored part, or calls ``build()`` and stores the result with
    the others. ``for_page`` reads the page's entry, unless the router already has (it reads a
    routed page's entry in its own round trip and hands it over as ``page._shared_parts``).
    """

    def __init__(self, key: str, version: str, parts: dict[str, Any] | None = None):
        self.key, self.version, self.parts = key, version, parts or {}

    @classmethod
    def for_page(cls, page) -> "SharedParts":
        handed_over = getattr(page, "_shared_parts", None)
        if handed_over is not None:
            return handed_over
        key = ":".join(
            (
                "hunar:page",
                str(page.pk),
                str(page.translation_key),  # test databases reuse ids, never this
                str(page.live_revision_id),
                translation.get_language() or "",
            )
        )
        version, found = read([key])
        return cls(key, version, found.get(key))

    def get(self, name: str, build: Callable[[], Any]) -> Any:
        if name not in self.parts:
            self.parts = {**self.parts, name: build()}
            write(self.key, self.version, self.parts)
        return self.parts[name]


@functools.cache
def _content_models() -> tuple[type, ...]:
    # Imported on first use: this module is imported while the apps' models are loading.
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage
    from wagtail.models import Locale, Page, PageViewRestriction, Site

    return (Page, PageViewRestriction, AbstractImage, AbstractDocument, Site, Locale)


def _on_save_or_delete(sender, instance, **kwargs) -> None:
    if isinstance(instance, _content_models()):
        content_changed()


def _on_page_moved(sender, **kwargs) -> None:
    content_changed()


def connect_signals() -> None:
    """Receivers that set a new content version; connected by every process that loads models."""
    from wagtail.signals import post_page_move

    # No sender: every page type, image and document model, including ones added later.
    post_save.connect(_on_save_or_delete, dispatch_uid="hunar.content_version.save")
    post_delete.connect(_on_save_or_delete, dispatch_uid="hunar.content_version.delete")
    post_page_move.connect(_on_page_moved, dispatch_uid="hunar.content_version.move")
