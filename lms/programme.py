"""The programme's identity (``lms.models.ProgrammeSettings``) as pages read it.

Each process keeps the row it read, with the token that was in the shared cache then; saving
the settings sets a new token (and a new content version, so page parts cached with the old
header and footer are built again), and every process reads the row again on its next request.
An ordinary request costs one cache read and no query, however often other content changes; a
cache that lost the token (restarted, cleared) leaves each process with the row it has, which a
save replaces. A change that bypasses ``save()`` (raw SQL) shows after a save or a restart.
Public reads of the centers list live here too.
"""

import secrets
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import translation

from content import page_cache

from .models import Center, ProgrammeSettings

_VERSION_KEY = "hunar:programme-version"
_memo: tuple | None = None  # (token, Programme) of this process


@dataclass(frozen=True)
class Programme:
    name: str
    name_ur: str
    logo_url: str
    primary_colour: str
    accent_colour: str
    footer_text: str
    footer_text_ur: str
    about: str
    about_ur: str
    contact_email: str
    contact_phone: str
    contact_address: str
    school_hours: str
    second_shift_hours: str

    def _in_language(self, english: str, urdu: str) -> str:
        return urdu if urdu and (translation.get_language() or "").startswith("ur") else english

    @property
    def display_name(self) -> str:
        return self._in_language(self.name, self.name_ur)

    @property
    def display_footer(self) -> str:
        return self._in_language(self.footer_text, self.footer_text_ur)

    @property
    def display_about_paragraphs(self) -> list[str]:
        text = self._in_language(self.about, self.about_ur)
        return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_email or self.contact_phone or self.contact_address)


def _build() -> Programme:
    # Not ``load()``: it would create the row on a page view, and saving it sets a new content
    # version (every cached page part built again). Until an admin saves, the defaults apply.
    row = ProgrammeSettings.objects.select_related("logo").first() or ProgrammeSettings()
    logo_url = ""
    if row.logo_id:
        # A small fixed rendition: the header shows it at 40 px high (twice for sharp screens).
        logo_url = row.logo.get_rendition("height-80").url
    return Programme(
        name=row.name,
        name_ur=row.name_ur,
        logo_url=logo_url,
        primary_colour=row.primary_colour,
        accent_colour=row.accent_colour,
        footer_text=row.footer_text,
        footer_text_ur=row.footer_text_ur,
        about=row.about,
        about_ur=row.about_ur,
        contact_email=row.contact_email,
        contact_phone=row.contact_phone,
        contact_address=row.contact_address,
        school_hours=row.school_hours,
        second_shift_hours=row.second_shift_hours,
    )


def programme_get() -> Programme:
    """The programme's settings: this process's copy, or the database once per change."""
    global _memo
    token, memo = cache.get(_VERSION_KEY), _memo
    if memo is not None and token in (None, memo[0]):
        return memo[1]
    programme = _build()
    if token is None:
        token = secrets.token_hex(6)
        if not cache.add(_VERSION_KEY, token, None):
            token = cache.get(_VERSION_KEY) or token
    _memo = (token, programme)
    return programme


def programme_forget() -> None:
    """Every process reads the settings again on its next request (after a save)."""
    global _memo
    _memo = None
    cache.set(_VERSION_KEY, secrets.token_hex(6), None)


def centers_public_list():
    """Active centers as the public list shows them: name, district, kind and shifts."""
    return (
        Center.objects.filter(is_active=True)
        .only("name", "code", "district", "kind", "offers_school_hours", "offers_second_shift")
        .order_by("district", "name")
    )


def _settings_changed(sender, **kwargs) -> None:
    # Now, and again once the transaction commits (a request in between may have read the old
    # row).
    programme_forget()
    transaction.on_commit(programme_forget)
    page_cache.content_changed()


def connect_signals() -> None:
    post_save.connect(_settings_changed, sender=ProgrammeSettings, dispatch_uid="hunar.programme")
    post_delete.connect(
        _settings_changed, sender=ProgrammeSettings, dispatch_uid="hunar.programme.delete"
    )
