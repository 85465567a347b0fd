"""A learner's personal data: export it all (JSON + CSV in a ZIP) and erase it (docs/privacy.md).

Every app holds part of a learner's data, and ``lms`` may not import the apps above it; so each
app registers, from its ``AppConfig.ready``, a function that returns its part for a user
(:func:`privacy_exporter`) and one that erases it (:func:`privacy_eraser`), like
courses' completion registry. This module registers ``lms``'s own parts.

Who may: a manager of the learner's home center, or a programme admin
(:func:`learner_data_allowed`); only for a plain learner account, never a staff account.
"""

import csv
import datetime
import io
import json
import secrets
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import accounts, permissions
from .models import AttendanceMark, CohortMembership, GuardianConsent, LearnerProfile

ERASED = "(erased)"
DATA_REFUSED = _("Only a manager of the learner's home center can do this, for a learner account.")


class PrivacyError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class PersonalFile:
    """A stored file that belongs in an export: where it is and what to call it in the ZIP."""

    name: str
    storage: object
    path: str


@dataclass
class PersonalData:
    """One kind of personal data (``kind`` names its files in the ZIP): rows and files."""

    kind: str
    rows: list[dict]
    files: list[PersonalFile] = field(default_factory=list)


Exporter = Callable[..., Iterable[PersonalData]]
Eraser = Callable[..., None]

_exporters: dict[Exporter, int] = {}
_erasers: dict[Eraser, int] = {}
# The formula-safe CSV cell (value -> cell). Its rule has one home, ``reports.exports.cell``,
# above ``lms``; reports registers it here from its AppConfig.ready.
_csv_cell: list[Callable] = []


def privacy_exporter(func: Exporter, order: int = 100) -> Exporter:
    """Register ``func(*, user) -> iterable of PersonalData``; exports list kinds by ``order``."""
    _exporters[func] = order
    return func


def privacy_eraser(func: Eraser, order: int = 100) -> Eraser:
    """Register ``func(*, user) -> None``, which removes or anonymises the app's personal data
    of ``user`` and keeps every row that a programme figure counts. Erasers run by ``order``,
    higher apps first (lower numbers), ``lms`` last, in one transaction."""
    _erasers[func] = order
    return func


def privacy_csv_cell(func: Callable) -> Callable:
    """Register the function that makes a value a spreadsheet-safe CSV cell."""
    _csv_cell[:] = [func]
    return func


def registered_exporters() -> list[Exporter]:
    return sorted(_exporters, key=_exporters.get)


def registered_erasers() -> list[Eraser]:
    return sorted(_erasers, key=_erasers.get)


# --- Permission ---------------------------------------------------------------------------------

# A learner's details that teaching does not need: managers of the home center see them,
# trainers never (admin views, report filters).
MANAGER_ONLY_FIELDS = ("father_name", "year_of_birth", "gender")


def learner_details_visible(*, user, profile: LearnerProfile) -> bool:
    """May ``user`` see ``profile``'s :data:`MANAGER_ONLY_FIELDS`? Its home center's managers
    and programme admins may; trainers, and managers of other centers, may not."""
    return permissions.can_manage_center(user, profile.home_center)


def learner_data_allowed(*, by, learner_user) -> bool:
    """May ``by`` export or erase ``learner_user``'s data? The same rule as giving a one-time
    password: a manager of the home center (or a programme admin), a plain learner account."""
    return accounts.learner_password_reset_allowed(manager=by, learner_user=learner_user)


# --- Export -------------------------------------------------------------------------------------


def _jsonable(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def _csv(rows: list[dict]) -> str:
    if not _csv_cell:
        raise ImproperlyConfigured("No formula-safe CSV cell registered (reports.privacy).")
    cell = _csv_cell[0]
    columns: list[str] = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([cell(c) for c in columns])
    for row in rows:
        values = [row.get(c) for c in columns]
        writer.writerow(
            [cell(json.dumps(v, default=_jsonable) if isinstance(v, dict | list) else v)
             for v in values]
        )  # fmt: skip
    return "\ufeff" + out.getvalue()


def learner_data_collect(*, user) -> list[PersonalData]:
    """Everything every app holds about ``user``, in registration order."""
    return [part for exporter in registered_exporters() for part in exporter(user=user)]


def learner_data_export(*, by, learner_user, target) -> None:
    """Write the ZIP of everything Hunar holds about ``learner_user`` to ``target`` (a binary
    file): per kind ``<kind>.json`` and ``<kind>.csv``, the stored files under ``files/``, and
    ``about.json`` (who asked, when). Raises :class:`PrivacyError` unless allowed."""
    if not learner_data_allowed(by=by, learner_user=learner_user):
        raise PrivacyError(DATA_REFUSED)
    parts = learner_data_collect(user=learner_user)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        about = {
            "learner_username": learner_user.get_username(),
            "exported_at": timezone.now(),
            "exported_by": by.get_username(),
            "kinds": [part.kind for part in parts],
        }
        archive.writestr("about.json", json.dumps(about, default=_jsonable, indent=2))
        for part in parts:
            data = json.dumps(part.rows, default=_jsonable, indent=2, ensure_ascii=False)
            archive.writestr(f"{part.kind}.json", data)
            archive.writestr(f"{part.kind}.csv", _csv(part.rows))
            for personal_file in part.files:
                if not personal_file.storage.exists(personal_file.path):
                    continue
                with personal_file.storage.open(personal_file.path, "rb") as handle:
                    archive.writestr(f"files/{part.kind}/{personal_file.name}", handle.read())


# --- Erasure ------------------------------------------------------------------------------------


@transaction.atomic
def learner_erase(*, by, learner_user) -> None:
    """Remove or anonymise every personal datum of ``learner_user`` (docs/privacy.md, "Erasure").

    Rows that programme figures count (enrollments, progress, attempts and scores, attendance,
    certificates) stay, tied to an anonymous account that can no longer sign in; names, contact
    details, free text and uploaded files go. Atomic: an eraser that fails leaves everything as
    it was (files are deleted only after the commit). Raises :class:`PrivacyError` unless allowed.
    """
    if not learner_data_allowed(by=by, learner_user=learner_user):
        raise PrivacyError(DATA_REFUSED)
    for eraser in registered_erasers():
        eraser(user=learner_user)


def files_delete_on_commit(storage, paths: Iterable[str]) -> None:
    """Delete stored files once the erasure commits (a rollback keeps them)."""
    paths = [p for p in paths if p]

    def _delete():
        for path in paths:
            if storage.exists(path):
                storage.delete(path)

    transaction.on_commit(_delete)


# --- lms's own parts ----------------------------------------------------------------------------


def _signin_rows(username: str) -> list[dict]:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    rows = []
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        for entry in model.objects.filter(username=username).order_by("attempt_time"):
            rows.append(
                {
                    "kind": model._meta.model_name,
                    "time": entry.attempt_time,
                    "ip_address": entry.ip_address,
                    "user_agent": entry.user_agent,
                    "path": entry.path_info,
                }
            )
    return rows


def lms_export(*, user) -> Iterable[PersonalData]:
    yield PersonalData(
        "account",
        [
            {
                "username": user.get_username(),
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
                "date_joined": user.date_joined,
                "last_login": user.last_login,
                "is_active": user.is_active,
            }
        ],
    )
    profiles = LearnerProfile.objects.filter(user=user).select_related("home_center")
    yield PersonalData(
        "profile",
        [
            {
                "full_name": p.full_name,
                "full_name_ur": p.full_name_ur,
                "father_name": p.father_name,
                "gender": p.gender,
                "year_of_birth": p.year_of_birth,
                "learner_type": p.learner_type,
                "home_center": p.home_center.name,
                "preferred_language": p.preferred_language,
                "must_change_password": p.must_change_password,
            }
            for p in profiles
        ],
    )
    yield PersonalData(
        "guardian_consents",
        list(
            GuardianConsent.objects.filter(learner=user).values(
                "guardian_name", "relationship", "method", "given_on", "note",
                "recorded_by__username", "recorded_at", "withdrawn_at",
            )
        ),
    )  # fmt: skip
    yield PersonalData(
        "cohorts",
        list(
            CohortMembership.objects.filter(learner=user).values(
                "cohort__name", "cohort__center__name", "joined_at"
            )
        ),
    )
    yield PersonalData(
        "attendance",
        list(
            AttendanceMark.objects.filter(learner=user)
            .order_by("session__date")
            .values("session__cohort__name", "session__date", "status", "marked_at")
        ),
    )
    yield PersonalData("sign_ins", _signin_rows(user.get_username()))


def _sessions_delete(user) -> None:
    """The learner's sessions (they carry the user id inside their encoded data)."""
    user_id = str(user.pk)
    doomed = [
        s.session_key
        for s in Session.objects.iterator()
        if str(s.get_decoded().get("_auth_user_id")) == user_id
    ]
    Session.objects.filter(session_key__in=doomed).delete()


def _admin_logs_scrub(user) -> None:
    """Wagtail's and Django's admin history label objects with their ``str()``: the name."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry

    targets = [(ContentType.objects.get_for_model(get_user_model()), [user.pk])]
    profile_ids = list(LearnerProfile.objects.filter(user=user).values_list("pk", flat=True))
    targets.append((ContentType.objects.get_for_model(LearnerProfile), profile_ids))
    for content_type, ids in targets:
        ids = [str(i) for i in ids]
        ModelLogEntry.objects.filter(content_type=content_type, object_id__in=ids).update(
            label=ERASED, data={}
        )
        LogEntry.objects.filter(content_type=content_type, object_id__in=ids).update(
            object_repr=ERASED, change_message=""
        )


def lms_erase(*, user) -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    username = user.get_username()
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        model.objects.filter(username=username).delete()
    _sessions_delete(user)
    _admin_logs_scrub(user)
    GuardianConsent.objects.filter(learner=user).delete()
    LearnerProfile.objects.filter(user=user).update(
        full_name=ERASED,
        full_name_ur="",
        father_name="",
        gender="",
        year_of_birth=None,
        preferred_language=LearnerProfile.Language.ENGLISH,
        must_change_password=False,
    )
    avatar = getattr(getattr(user, "wagtail_userprofile", None), "avatar", None)
    if avatar:
        files_delete_on_commit(avatar.storage, [avatar.name])
    from wagtail.users.models import UserProfile

    UserProfile.objects.filter(user=user).delete()
    user.username = f"erased-{secrets.token_hex(8)}"
    user.first_name = user.last_name = user.email = ""
    user.set_unusable_password()
    user.is_active = False
    user.last_login = None
    user.save()


privacy_exporter(lms_export, order=0)
privacy_eraser(lms_erase, order=1000)
