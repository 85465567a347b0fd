"""Courses' part of a learner's data export and erasure (registered with ``lms.privacy``).

Enrollments and lesson progress stay through an erasure (the programme's figures count them);
they hold nothing that names the learner. Roster imports keep the rows as typed by a manager:
the learner's row is blanked.
"""

from collections.abc import Iterable

from lms.privacy import ERASED, PersonalData

from .models import AnnouncementRead, Enrollment, LessonProgress, RosterImport

# Row keys that only organise the import; every other value in a row is the learner's.
_ROSTER_KEEP = {"row", "extra_values", "learner_type", "cohort"}


def _roster_rows_of(username: str):
    """(import, row) for every roster row that names this username (any letter case)."""
    wanted = username.casefold()
    for roster_import in RosterImport.objects.filter(rows__icontains=username).iterator():
        for row in roster_import.rows:
            if str(row.get("username", "")).casefold() == wanted:
                yield roster_import, row


def courses_export(*, user) -> Iterable[PersonalData]:
    yield PersonalData(
        "enrollments",
        list(
            Enrollment.objects.filter(learner=user)
            .order_by("enrolled_at")
            .values(
                "course__title", "center__name", "cohort__name", "status",
                "enrolled_at", "started_at", "completed_at",
            )
        ),
    )  # fmt: skip
    yield PersonalData(
        "lesson_progress",
        list(
            LessonProgress.objects.filter(enrollment__learner=user)
            .order_by("started_at")
            .values(
                "enrollment__course__title", "lesson_title", "started_at", "last_seen_at",
                "completed_at", "time_spent_seconds",
            )
        ),
    )  # fmt: skip
    yield PersonalData(
        "announcements_read",
        list(
            AnnouncementRead.objects.filter(user=user)
            .order_by("read_at")
            .values("announcement__title_en", "announcement__title_ur", "read_at")
        ),
    )
    yield PersonalData(
        "roster_rows",
        [
            {"import": i.filename, "uploaded_at": i.uploaded_at, **row}
            for i, row in _roster_rows_of(user.get_username())
        ],
    )


def courses_erase(*, user) -> None:
    AnnouncementRead.objects.filter(user=user).delete()
    changed = {}
    for roster_import, row in _roster_rows_of(user.get_username()):
        for key, value in list(row.items()):
            if key not in _ROSTER_KEEP and isinstance(value, str):
                row[key] = ERASED if key in ("username", "full_name") else ""
        roster_import.problems = [
            p for p in roster_import.problems if p.get("row") != row.get("row")
        ]
        changed[roster_import.pk] = roster_import
    for roster_import in changed.values():
        roster_import.save(update_fields=["rows", "problems"])


def roster_rows_purge(*, now=None) -> int:
    """Roster imports older than ``ROSTER_IMPORT_RETENTION_DAYS`` lose their rows (names,
    father's names, years of birth as typed); the counts in ``summary`` stay. An import never
    confirmed is discarded. How many imports changed."""
    from django.conf import settings

    from lms.retention import retention_cutoff

    cutoff = retention_cutoff(settings.ROSTER_IMPORT_RETENTION_DAYS, now)
    old = RosterImport.objects.filter(uploaded_at__lt=cutoff).exclude(rows=[])
    old.filter(status=RosterImport.Status.PREVIEWED).update(status=RosterImport.Status.DISCARDED)
    return old.update(rows=[], problems=[])
