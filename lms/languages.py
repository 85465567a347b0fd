"""A learner's language: read at sign-in, written when the learner switches language.

The preference lives on :class:`~lms.models.LearnerProfile` (``preferred_language``). Accounts
without a learner profile (staff, trainers) have no stored preference: they read in the
language of the URL they open.
"""

from django.conf import settings
from django.urls import translate_url

from .models import LearnerProfile

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def learner_language_get(*, user) -> str | None:
    """The learner's preferred language code, or None for an account without a profile."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return (
        LearnerProfile.objects.filter(user=user).values_list("preferred_language", flat=True)
    ).first()


def learner_language_set(*, user, language: str) -> bool:
    """Store ``language`` as the learner's preference; True when a profile was changed.

    Raises ValueError for a language the site does not offer (nothing is saved).
    """
    if language not in LANGUAGE_CODES:
        raise ValueError(f"unknown language {language!r}")
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    changed = (
        LearnerProfile.objects.filter(user=user)
        .exclude(preferred_language=language)
        .update(preferred_language=language)
    )
    return bool(changed)


def url_in_language(*, url: str, language: str) -> str:
    """``url`` (a local path inside ``i18n_patterns``) in ``language``; unchanged when it is
    not a named view (a Wagtail page path cannot be translated by name)."""
    return translate_url(url, language)


def language_cookie_set(response, language: str) -> None:
    """Django's language cookie, with the site's cookie settings."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
