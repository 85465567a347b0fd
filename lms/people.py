"""People: the one home for creating learners and for one-time passwords.

The admin's learner form, the roster import (``courses.roster``) and the one-time-password page
(``lms.accounts``) all come here, so an account is made, and handed its first password, in one
way. Three rules live here and nowhere else:

- A learner is a new account and its profile, created together (:func:`learner_create`). No
  service attaches a profile to an account that already exists.
- A profile's account never changes once the profile exists (``LearnerProfile.save`` refuses,
  and the admin's edit form has no account field): re-pointing a profile at someone else's
  account and then issuing a one-time password would hand that account over.
- Every one-time password comes from :func:`one_time_password_generate`.

See ``docs/decisions/0009-people-service.md``.
"""

import secrets
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import permissions
from .hashers import ONE_TIME_HASHER
from .models import AccountChangeRefused, Center, LearnerProfile
from .roles import LEARNER

# Lower-case letters and digits without look-alikes (no i, l, o, 0, 1): typed from a slip of
# paper on a lab keyboard, without the shift key.
ONE_TIME_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105 (an alphabet)
ONE_TIME_PASSWORD_LENGTH = 10

USERNAME_TAKEN = _("The username “%(username)s” is already in use; choose another.")
USERNAME_INVALID = _(
    "A username may contain only letters, digits and the characters @ . + - _ (no spaces)."
)
CENTER_NOT_MANAGED = _("You do not manage %(center)s.")

__all__ = [
    "AccountChangeRefused",
    "CenterNotManaged",
    "LearnerCreated",
    "PeopleError",
    "UsernameInvalid",
    "UsernameTaken",
    "learner_create",
    "learner_username_check",
    "one_time_password_generate",
    "user_one_time_password_set",
]


class PeopleError(Exception):
    """Base class of the people service's refusals; ``str(error)`` is the message to show."""


class UsernameTaken(PeopleError):
    """Another account already has this username (compared without regard to case)."""


class UsernameInvalid(PeopleError):
    """The username has characters Django does not accept in one."""


class CenterNotManaged(PeopleError, PermissionDenied):
    """The acting user does not manage the center the learner would belong to."""


@dataclass(frozen=True)
class LearnerCreated:
    profile: LearnerProfile
    password: str = field(repr=False)  # the one-time password, shown once, stored only hashed

    @property
    def user(self):
        return self.profile.user


def one_time_password_generate() -> str:
    """A random password from :data:`ONE_TIME_PASSWORD_ALPHABET` (about 50 bits).

    Always at least one letter and one digit: never all digits (read as a PIN), never a word.
    """
    while True:
        password = "".join(
            secrets.choice(ONE_TIME_PASSWORD_ALPHABET) for _ in range(ONE_TIME_PASSWORD_LENGTH)
        )
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


@transaction.atomic
def user_one_time_password_set(*, user) -> str:
    """Give ``user`` a new one-time password and return it; the database keeps only its hash.

    If the user has a learner profile it is flagged so the learner must choose their own
    password at the next sign-in. Checks no permission: callers decide who may do this
    (``accounts.learner_password_reset_allowed`` for the admin page).
    """
    password = one_time_password_generate()
    user.password = make_password(password, hasher=ONE_TIME_HASHER)
    user.save(update_fields=["password"])
    LearnerProfile.objects.filter(user=user).update(must_change_password=True)
    return password


def learner_username_check(*, username: str) -> str:
    """The username as it would be stored (NFKC-normalised, trimmed), or a refusal.

    Raises :class:`UsernameInvalid` or :class:`UsernameTaken` (case-insensitively). Forms call
    it to show the error beside the field; :func:`learner_create` calls it again inside its
    transaction.
    """
    User = get_user_model()
    username = User.normalize_username(username or "").strip()
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        raise UsernameInvalid(str(USERNAME_INVALID)) from None
    if not username or len(username) > User._meta.get_field("username").max_length:
        raise UsernameInvalid(str(USERNAME_INVALID))
    if User.objects.filter(username__iexact=username).exists():
        raise UsernameTaken(str(USERNAME_TAKEN % {"username": username}))
    return username


@transaction.atomic
def learner_create(
    *,
    by,
    username: str,
    full_name: str,
    learner_type: str,
    home_center: Center,
    full_name_ur: str = "",
    father_name: str = "",
    gender: str = "",
    year_of_birth: int | None = None,
    preferred_language: str = LearnerProfile.Language.ENGLISH,
) -> LearnerCreated:
    """Create a learner: a new account in the Learner group and its profile, all or nothing.

    The account gets a one-time password (returned, never stored in clear) that must be changed
    at the first sign-in. ``by`` is the user acting, who must manage ``home_center``; ``None``
    means a trusted caller with no user (a management command, the demo seeder).

    Refuses, creating nothing: :class:`CenterNotManaged`, :class:`UsernameInvalid`,
    :class:`UsernameTaken` (also when the name differs only in case), and Django's
    ``ValidationError`` for a profile value the model rejects. Never attaches a profile to an
    existing account.
    """
    if by is not None and not permissions.can_manage_center(by, home_center):
        raise CenterNotManaged(str(CENTER_NOT_MANAGED % {"center": home_center.name}))
    username = learner_username_check(username=username)
    User = get_user_model()
    password = one_time_password_generate()
    user = User(username=username, password=make_password(password, hasher=ONE_TIME_HASHER))
    user.save()
    user.groups.add(Group.objects.get_or_create(name=LEARNER)[0])
    profile = LearnerProfile(
        user=user,
        home_center=home_center,
        learner_type=learner_type,
        full_name=full_name,
        full_name_ur=full_name_ur,
        father_name=father_name,
        gender=gender,
        year_of_birth=year_of_birth,
        preferred_language=preferred_language,
        must_change_password=True,
    )
    profile.full_clean(exclude=["user"])
    profile.save()
    return LearnerCreated(profile=profile, password=password)
