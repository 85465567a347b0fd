"""Class roster import: a center manager's CSV or XLSX file, checked, previewed, then committed.

``roster_parse`` reads a file into plain rows or refuses the whole file (``RosterFileError``);
``roster_check`` lists every bad row; ``roster_preview`` stores rows and problems in a
``RosterImport`` and creates nobody; ``roster_commit`` creates the learners, all or nothing, once
the manager confirms, through ``lms.people.learner_create`` (the one way learners and their
one-time passwords are made). Initial passwords exist in plain text only in what
``roster_commit`` returns: the database keeps their hashes.
"""

import csv
import datetime
import hashlib
import io
import os
import re
import unicodedata
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lms.csv_safe import neutralize
from lms.models import CenterStaff, Cohort, CohortMembership, LearnerProfile
from lms.people import UsernameTaken, learner_create
from lms.permissions import can_manage_center

from .models import CoursePage, Enrollment, RosterImport, TrackPage
from .roster_files import (  # noqa: F401 (the file messages are named roster.FILE_* elsewhere)
    FILE_CSV_ENCODING,
    FILE_CSV_UNREADABLE,
    FILE_NOT_CSV,
    FILE_NOT_XLSX,
    FILE_TOO_MANY_ROWS,
    FILE_XLSX_UNREADABLE,
    RosterFileUnusable,
    read_csv,
    read_xlsx,
)
from .services import enrollment_create, missing_prerequisites

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
DEFAULT_MAX_ROWS = 500  # a roster is a class or a center's intake, not the whole network
OLDEST_YEAR_OF_BIRTH = 1940
YOUNGEST_AGE = 5
# Lower case and digits only (no Shift on a lab keyboard), without look-alikes: 0/o, 1/l/i.

# --- Messages shown to managers (tests assert these; Urdu translations live in locale/) -------

FILE_EMPTY = _("The file is empty.")
FILE_TOO_LARGE = _(
    "The file is %(size)s; a roster file may be at most %(limit)s. Split the class list into "
    "smaller files."
)
FILE_WRONG_TYPE = _(
    "Upload the roster as a CSV file (.csv) or an Excel workbook (.xlsx). Other kinds of file, "
    "including old Excel files (.xls), cannot be read."
)
FILE_NO_HEADER = _(
    "The first row must hold the column names, e.g. Full name, Username, Learner type, Cohort."
)
FILE_UNKNOWN_COLUMNS = _("Unknown columns: %(columns)s. The columns can be: %(known)s.")
FILE_MISSING_COLUMNS = _("Required columns are missing: %(columns)s.")
FILE_REPEATED_COLUMNS = _("These columns appear more than once: %(columns)s.")
FILE_NO_ROWS = _("The file has column names but no learners.")

ROW_EXTRA_VALUES = _(
    "This row has more values than there are columns. If a name contains a comma, put the name "
    "in quotes."
)
ROW_MISSING = _("%(field)s is missing.")
ROW_TOO_LONG = _("%(field)s is longer than %(limit)s characters.")
ROW_BAD_LEARNER_TYPE = _("Learner type “%(value)s” is not one of: student, youth.")
ROW_BAD_GENDER = _("Gender “%(value)s” is not one of: female, male, other (or leave it empty).")
ROW_BAD_YEAR = _("Year of birth “%(value)s” is not a year from %(first)s to %(last)s.")
ROW_UNKNOWN_COHORT = _("There is no cohort “%(cohort)s” at %(center)s.")
ROW_AMBIGUOUS_COHORT = _(
    "Several cohorts at %(center)s are called “%(cohort)s” apart from capital letters; write "
    "the name exactly as it is spelled in Hunar."
)
ROW_COHORT_OTHER_CENTER = _(
    "Cohort “%(cohort)s” belongs to another center; only cohorts of %(center)s can be used."
)
ROW_BAD_USERNAME = _(
    "Username “%(username)s” may contain only letters, digits and the characters @ . + - _ "
    "(no spaces)."
)
ROW_DUPLICATE_USERNAME = _("Username “%(username)s” appears twice (first on row %(first)s).")
ROW_USERNAME_TAKEN = _("Username “%(username)s” is already in use; choose another.")
ROW_CONFLICT = _(
    "Another upload created some of these learners at the same moment; upload the file again."
)

ALREADY_COMMITTED = _("This roster has already been imported.")
DISCARDED = _("This roster was discarded; upload the file again.")
NOT_ALLOWED = _("You do not manage this center.")
HAS_PROBLEMS = _("The roster has problems; fix the file and upload it again.")

COLUMN_LABELS = {
    "full_name": _("Full name"),
    "full_name_ur": _("Urdu name"),
    "father_name": _("Father's name"),
    "username": _("Username"),
    "learner_type": _("Learner type"),
    "gender": _("Gender"),
    "year_of_birth": _("Year of birth"),
    "cohort": _("Cohort"),
}
COLUMNS = tuple(COLUMN_LABELS)
REQUIRED_COLUMNS = ("full_name", "username", "learner_type", "cohort")
# The headings of the downloadable template; the parser reads these in any language setting.
TEMPLATE_HEADERS = (
    "Full name",
    "Urdu name",
    "Father's name",
    "Username",
    "Learner type",
    "Gender",
    "Year of birth",
    "Cohort",
)
HEADER_ALIASES = {
    "full_name": ("full name", "name", "learner name", "student name", "full name english"),
    "full_name_ur": ("urdu name", "full name urdu", "name urdu", "name in urdu", "full name ur"),
    "father_name": ("fathers name", "father name", "father", "fathers full name"),
    "username": ("username", "user name", "login", "user id"),
    "learner_type": ("learner type", "type"),
    "gender": ("gender", "sex"),
    "year_of_birth": ("year of birth", "birth year", "year born", "yob"),
    "cohort": ("cohort", "cohort name", "class"),
}
_HEADER_LOOKUP = {alias: key for key, aliases in HEADER_ALIASES.items() for alias in aliases}
MAX_LENGTHS = {"full_name": 200, "full_name_ur": 200, "father_name": 200, "username": 150}
LEARNER_TYPES = {value: value for value in LearnerProfile.LearnerType.values}
GENDERS = {**{value: value for value in LearnerProfile.Gender.values}, "f": "female", "m": "male"}


# --- Exceptions -----------------------------------------------------------------------------


class RosterError(Exception):
    """A roster cannot be read, checked or committed; ``str(error)`` is the message to show."""

    default_message = HAS_PROBLEMS

    def __init__(self, message=None):
        self.message = str(message or self.default_message)
        super().__init__(self.message)


class RosterFileError(RosterError):
    """The whole file is refused (size, type, encoding, columns); nothing was stored."""


class RosterHasProblems(RosterError):
    """Rows are bad; ``problems`` lists every one of them."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(HAS_PROBLEMS)


class RosterAlreadyCommitted(RosterError):
    default_message = ALREADY_COMMITTED


class RosterDiscarded(RosterError):
    default_message = DISCARDED


class RosterNotAllowed(RosterError, PermissionDenied):
    default_message = NOT_ALLOWED


@dataclass(frozen=True)
class Problem:
    """One bad value: ``row`` is the spreadsheet row number (the header is row 1)."""

    row: int
    field: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class NewLearner:
    user: object
    full_name: str
    full_name_ur: str
    username: str
    cohort: str
    password: str = field(repr=False)  # shown once on the password sheet, never stored


@dataclass(frozen=True)
class RosterCommitResult:
    roster_import: RosterImport
    created: list[NewLearner]
    already_present: int
    enrolled: int
    # Per cohort and course: enrolled, already enrolled, not enrolled and the courses needed first.
    courses: list = field(default_factory=list)


# --- Parsing --------------------------------------------------------------------------------


def _setting(name: str, default: int) -> int:
    return getattr(settings, name, default)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime.datetime | datetime.date):
        value = value.isoformat()[:10]
    # Collapse runs of spaces (and stray line breaks in a cell) to one space.
    return " ".join(str(value).split())


def _header_key(heading: str) -> str:
    """'Father’s Name', 'fathers_name' and ' FATHERS NAME ' all read as 'fathers name'."""
    text = re.sub(r"['’`]", "", heading.casefold())
    return " ".join(re.sub(r"[^\w]+|_", " ", text).split())


def _map_header(cells: list[str]) -> dict[int, str]:
    columns: dict[int, str] = {}
    unknown, repeated = [], []
    for index, heading in enumerate(cells):
        if not heading:
            continue
        key = _HEADER_LOOKUP.get(_header_key(heading))
        if key is None:
            unknown.append(f"“{heading}”")
        elif key in columns.values():
            repeated.append(f"“{heading}”")
        else:
            columns[index] = key
    # No known column at all: most likely the names start on row 1 without a heading row.
    errors = [] if columns else [FILE_NO_HEADER]
    if unknown:
        known = ", ".join(TEMPLATE_HEADERS)
        errors.append(FILE_UNKNOWN_COLUMNS % {"columns": ", ".join(unknown), "known": known})
    if repeated:
        errors.append(FILE_REPEATED_COLUMNS % {"columns": ", ".join(repeated)})
    # Named as they must be written in the file (English), whatever the reader's language.
    heading = dict(zip(COLUMNS, TEMPLATE_HEADERS, strict=True))
    missing = [heading[key] for key in REQUIRED_COLUMNS if key not in columns.values()]
    if missing and columns:
        errors.append(FILE_MISSING_COLUMNS % {"columns": ", ".join(missing)})
    if errors:
        raise RosterFileError(" ".join(str(error) for error in errors))
    return columns


def roster_max_bytes() -> int:
    return _setting("ROSTER_MAX_BYTES", DEFAULT_MAX_BYTES)


def roster_size_check(*, size: int) -> None:
    """Refuse an empty or too large file before reading it (views call it with the upload size)."""
    if not size:
        raise RosterFileError(FILE_EMPTY)
    if size > roster_max_bytes():
        limits = {"size": filesizeformat(size), "limit": filesizeformat(roster_max_bytes())}
        raise RosterFileError(FILE_TOO_LARGE % limits)


def roster_parse(*, filename: str, content: bytes) -> list[dict]:
    """Read a CSV (UTF-8) or XLSX roster into one dict per non-blank data row.

    Each dict has every key of ``COLUMNS`` (empty string when absent), ``row`` (the spreadsheet
    row number, header = 1) and ``extra_values`` (non-empty cells outside the named columns).
    Raises ``RosterFileError`` when the whole file cannot be used.
    """
    max_rows = _setting("ROSTER_MAX_ROWS", DEFAULT_MAX_ROWS)
    roster_size_check(size=len(content))
    extension = os.path.splitext(filename or "")[1].lower()
    readers = {".csv": read_csv, ".xlsx": read_xlsx}
    if extension not in readers:
        raise RosterFileError(FILE_WRONG_TYPE)
    try:
        raw_rows = readers[extension](content, max_rows=max_rows)
    except RosterFileUnusable as error:
        raise RosterFileError(error) from None

    if not raw_rows:
        raise RosterFileError(FILE_NO_HEADER)
    header = [_cell_text(cell) for cell in raw_rows[0]]
    columns = _map_header(header)
    rows = []
    for number, raw in enumerate(raw_rows[1:], start=2):
        cells = [_cell_text(cell) for cell in raw]
        if not any(cells):
            continue  # blank rows keep their number but are not learners
        if len(rows) >= max_rows:
            raise RosterFileError(FILE_TOO_MANY_ROWS % {"limit": max_rows})
        row = {key: "" for key in COLUMNS}
        row["row"] = number
        row["extra_values"] = 0
        for index, value in enumerate(cells):
            if columns.get(index) == "username":
                # Store what Django will: full-width and other look-alike forms folded (NFKC).
                row["username"] = unicodedata.normalize("NFKC", value)
            elif index in columns:
                row[columns[index]] = value
            elif value:
                row["extra_values"] += 1
        rows.append(row)
    if not rows:
        raise RosterFileError(FILE_NO_ROWS)
    return rows


# --- Checking -------------------------------------------------------------------------------


@dataclass
class _Inspection:
    problems: list[Problem]
    cohorts: dict[int, Cohort]  # row number -> its cohort
    existing: dict[int, object]  # row number -> the learner that row already imported


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _username_key(username: str) -> str:
    # Lower() in SQL and str.lower() agree on ASCII, which is all a valid username mostly holds.
    return username.lower()


def _cohort_lookup(center, names: set[str]):
    here = list(Cohort.objects.filter(center=center).select_related("center"))
    exact = {cohort.name: cohort for cohort in here}
    folded = defaultdict(list)
    for cohort in here:
        folded[cohort.name.lower()].append(cohort)
    missing = {name.lower() for name in names if name not in exact and name.lower() not in folded}
    elsewhere = set(
        Cohort.objects.exclude(center=center)
        .annotate(lname=Lower("name"))
        .filter(lname__in=missing)
        .values_list("lname", flat=True)
    )
    return exact, folded, elsewhere


def _users_by_key(usernames: set[str]) -> dict[str, list]:
    User = get_user_model()
    found = defaultdict(list)
    users = (
        User.objects.annotate(
            lname=Lower("username"),
            is_center_staff=Exists(CenterStaff.objects.filter(user=OuterRef("pk"))),
        )
        .filter(lname__in={_username_key(name) for name in usernames})
        .select_related("learner_profile")
    )
    for user in users:
        found[_username_key(user.username)].append(user)
    return found


def _is_same_learner(user, center, full_name: str) -> bool:
    profile = getattr(user, "learner_profile", None)
    return (
        profile is not None
        and not (user.is_staff or user.is_superuser or user.is_center_staff)
        and profile.home_center_id == center.pk
        and _fold(profile.full_name) == _fold(full_name)
    )


def _year_range() -> tuple[int, int]:
    return OLDEST_YEAR_OF_BIRTH, timezone.localdate().year - YOUNGEST_AGE


def _inspect(*, center, rows: list[dict]) -> _Inspection:
    problems: list[Problem] = []
    cohorts: dict[int, Cohort] = {}
    existing: dict[int, object] = {}
    exact, folded, elsewhere = _cohort_lookup(center, {r["cohort"] for r in rows if r["cohort"]})
    users = _users_by_key({r["username"] for r in rows if r["username"]})
    first_year, last_year = _year_range()
    validate_username = UnicodeUsernameValidator()
    first_row_of: dict[str, int] = {}

    for row in rows:
        number = row["row"]

        def problem(column, message, number=number):
            problems.append(Problem(row=number, field=column, message=str(message)))

        if row.get("extra_values"):
            problem("", ROW_EXTRA_VALUES)
        for column in REQUIRED_COLUMNS:
            if not row[column]:
                problem(column, ROW_MISSING % {"field": COLUMN_LABELS[column]})
        for column, limit in MAX_LENGTHS.items():
            if len(row[column]) > limit:
                label = COLUMN_LABELS[column]
                problem(column, ROW_TOO_LONG % {"field": label, "limit": limit})

        if row["learner_type"] and row["learner_type"].lower() not in LEARNER_TYPES:
            problem("learner_type", ROW_BAD_LEARNER_TYPE % {"value": row["learner_type"]})
        if row["gender"] and row["gender"].lower() not in GENDERS:
            problem("gender", ROW_BAD_GENDER % {"value": row["gender"]})
        if row["year_of_birth"]:
            year = row["year_of_birth"]
            # isdecimal() also admits Urdu digits (۲۰۱۲), which int() reads as 2012.
            if not (len(year) == 4 and year.isdecimal() and first_year <= int(year) <= last_year):
                values = {"value": year, "first": first_year, "last": last_year}
                problem("year_of_birth", ROW_BAD_YEAR % values)

        name = row["cohort"]
        if name:
            matches = [exact[name]] if name in exact else folded.get(name.lower(), [])
            values = {"cohort": name, "center": center.name}
            if len(matches) == 1:
                cohorts[number] = matches[0]
            elif matches:
                problem("cohort", ROW_AMBIGUOUS_COHORT % values)
            elif name.lower() in elsewhere:
                problem("cohort", ROW_COHORT_OTHER_CENTER % values)
            else:
                problem("cohort", ROW_UNKNOWN_COHORT % values)

        username = row["username"]
        if not username or len(username) > MAX_LENGTHS["username"]:
            continue
        try:
            validate_username(username)
        except ValidationError:
            problem("username", ROW_BAD_USERNAME % {"username": username})
            continue
        key = _username_key(username)
        if key in first_row_of:
            values = {"username": username, "first": first_row_of[key]}
            problem("username", ROW_DUPLICATE_USERNAME % values)
            continue
        first_row_of[key] = number
        holders = users.get(key, [])
        if not holders or not row["full_name"]:
            continue
        same = [user for user in holders if _is_same_learner(user, center, row["full_name"])]
        if same:
            existing[number] = same[0]
        else:
            problem("username", ROW_USERNAME_TAKEN % {"username": username})

    problems.sort(key=lambda p: p.row)
    return _Inspection(problems=problems, cohorts=cohorts, existing=existing)


def roster_check(*, center, rows: list[dict], uploaded_by=None) -> list[Problem]:
    """Every problem of every row, in row order; an empty list means the roster can be imported.

    A row whose username already belongs to a learner of this center with the same full name
    is "already imported", not a problem. The rules do not depend on ``uploaded_by``.
    """
    return _inspect(center=center, rows=rows).problems


# --- Preview, commit, discard ---------------------------------------------------------------


def _require_manager(user, center) -> None:
    if not can_manage_center(user, center):
        raise RosterNotAllowed()


def _store_check(roster_import: RosterImport, inspection: _Inspection) -> None:
    for row in roster_import.rows:
        row["already_imported"] = row["row"] in inspection.existing
    roster_import.problems = [problem.as_dict() for problem in inspection.problems]


@transaction.atomic
def roster_preview(*, center, uploaded_by, filename: str, content: bytes) -> RosterImport:
    """Parse and check a file and keep it as a previewed ``RosterImport``; create nobody.

    Raises ``RosterFileError`` (storing nothing) when the whole file is unusable.
    """
    _require_manager(uploaded_by, center)
    rows = roster_parse(filename=filename, content=content)
    roster_import = RosterImport(
        center=center,
        uploaded_by=uploaded_by,
        filename=os.path.basename(filename or "")[-255:],
        file_sha256=hashlib.sha256(content).hexdigest(),
        rows=rows,
    )
    _store_check(roster_import, _inspect(center=center, rows=rows))
    roster_import.save()
    return roster_import


@transaction.atomic
def roster_recheck(*, roster_import: RosterImport) -> RosterImport:
    """Check a previewed import again against today's database and store what it finds."""
    locked = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
    if locked.status == RosterImport.Status.PREVIEWED:
        _store_check(locked, _inspect(center=locked.center, rows=locked.rows))
        locked.save(update_fields=["rows", "problems"])
    return locked


def _courses_of(cohort: Cohort) -> list[CoursePage]:
    """The courses a cohort follows: its course, or every live course of its track in order
    (each learner is enrolled in those whose prerequisites they have completed)."""
    if cohort.curriculum_id is None:
        return []
    page = cohort.curriculum.specific
    if isinstance(page, CoursePage):
        return [page]
    if isinstance(page, TrackPage):
        return list(
            CoursePage.objects.child_of(page)
            .live()
            .prefetch_related("prerequisites")
            .order_by("path")
        )
    return []


def _course_line(cohort: Cohort, course: CoursePage) -> dict:
    return {
        **{"cohort": cohort.name, "course": course.title},
        **{"enrolled": 0, "already": 0, "not_enrolled": 0, "needs": []},
    }


def _create_learners(roster_import: RosterImport, inspection: _Inspection):
    center = roster_import.center
    courses: dict[int, list[CoursePage]] = {}
    lines: dict[tuple[int, int], dict] = {}
    created, already_present, enrolled = [], 0, 0
    for row in roster_import.rows:
        cohort = inspection.cohorts[row["row"]]
        if cohort.pk not in courses:
            courses[cohort.pk] = _courses_of(cohort)
        user = inspection.existing.get(row["row"])
        if user is not None:
            already_present += 1
        else:
            # Permission was checked by roster_commit (the confirming manager manages center).
            new = learner_create(
                by=None,
                username=row["username"],
                home_center=center,
                learner_type=LEARNER_TYPES[row["learner_type"].lower()],
                full_name=row["full_name"],
                full_name_ur=row["full_name_ur"],
                father_name=row["father_name"],
                gender=GENDERS.get(row["gender"].lower(), ""),
                year_of_birth=int(row["year_of_birth"]) if row["year_of_birth"] else None,
            )
            user = new.user
            created.append(
                NewLearner(
                    user=user,
                    full_name=row["full_name"],
                    full_name_ur=row["full_name_ur"],
                    username=user.username,
                    cohort=cohort.name,
                    password=new.password,
                )
            )
        CohortMembership.objects.get_or_create(cohort=cohort, learner=user)
        for course in courses[cohort.pk]:
            line = lines.setdefault((cohort.pk, course.pk), _course_line(cohort, course))
            if Enrollment.objects.filter(learner=user, course=course).exists():
                line["already"] += 1
                continue
            # A new learner has completed nothing: every prerequisite is missing.
            required = list(course.prerequisites.all())
            missing = missing_prerequisites(learner=user, course=course) if required else []
            if missing:
                line["not_enrolled"] += 1
                for needed in missing:
                    if needed.title not in line["needs"]:
                        line["needs"].append(needed.title)
                continue
            enrollment_create(learner=user, course=course, cohort=cohort, check_prerequisites=False)
            line["enrolled"] += 1
            enrolled += 1
    return created, already_present, enrolled, list(lines.values())


@transaction.atomic
def roster_commit(*, roster_import: RosterImport, confirmed_by) -> RosterCommitResult:
    """Create the learners of a previewed, problem-free roster: every row or none.

    Rows already imported (same username, same center, same name) create nobody; their missing
    cohort membership and enrollments are added. Raises ``RosterAlreadyCommitted``,
    ``RosterDiscarded``, ``RosterNotAllowed`` or ``RosterHasProblems`` (the database changed
    since the preview) and then changes nothing.
    """
    # The row lock makes a second confirmation wait, then find the import committed.
    locked = (
        RosterImport.objects.select_for_update().select_related("center").get(pk=roster_import.pk)
    )
    _require_manager(confirmed_by, locked.center)
    if locked.status == RosterImport.Status.COMMITTED:
        raise RosterAlreadyCommitted()
    if locked.status == RosterImport.Status.DISCARDED:
        raise RosterDiscarded()
    inspection = _inspect(center=locked.center, rows=locked.rows)
    if inspection.problems:
        raise RosterHasProblems(inspection.problems)
    try:
        with transaction.atomic():
            created, already_present, enrolled, course_lines = _create_learners(locked, inspection)
    except (IntegrityError, UsernameTaken):
        # A concurrent upload took a username between our check and our insert.
        problems = _inspect(center=locked.center, rows=locked.rows).problems
        raise RosterHasProblems(problems or [Problem(0, "", str(ROW_CONFLICT))]) from None

    _store_check(locked, inspection)  # what was already there at commit time, not at preview
    locked.status = RosterImport.Status.COMMITTED
    locked.committed_at = timezone.now()
    locked.summary = {
        "created": len(created),
        "already_present": already_present,
        "enrolled": enrolled,
        "courses": course_lines,
        "confirmed_by": confirmed_by.pk,
    }
    locked.save(update_fields=["rows", "problems", "status", "committed_at", "summary"])
    for name in ("rows", "problems", "status", "committed_at", "summary"):
        setattr(roster_import, name, getattr(locked, name))
    return RosterCommitResult(
        roster_import=locked,
        created=created,
        already_present=already_present,
        enrolled=enrolled,
        courses=course_lines,
    )


@transaction.atomic
def roster_discard(*, roster_import: RosterImport) -> RosterImport:
    """Drop a previewed roster; discarding twice is harmless, a committed one cannot be."""
    locked = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
    if locked.status == RosterImport.Status.COMMITTED:
        raise RosterAlreadyCommitted()
    if locked.status == RosterImport.Status.PREVIEWED:
        locked.status = RosterImport.Status.DISCARDED
        locked.save(update_fields=["status"])
    roster_import.status = locked.status
    return locked


def roster_same_file_imported(*, roster_import: RosterImport) -> RosterImport | None:
    """An earlier committed import of the same file at the same center, if there is one."""
    return (
        RosterImport.objects.filter(
            center_id=roster_import.center_id,
            file_sha256=roster_import.file_sha256,
            status=RosterImport.Status.COMMITTED,
        )
        .exclude(pk=roster_import.pk)
        .order_by("-committed_at")
        .first()
    )


SUMMARY_HEADERS = (
    _("Cohort"),
    _("Course"),
    pgettext_lazy("a number of learners", "Enrolled"),
    _("Already enrolled"),
    _("Not enrolled"),
    _("Needs first"),
)


def roster_summary_csv(*, roster_import: RosterImport) -> bytes:
    """A committed import's enrolments per cohort and course, header row first (UTF-8, BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(header) for header in SUMMARY_HEADERS])
    for line in (roster_import.summary or {}).get("courses", []):
        needs = "; ".join(line["needs"])
        writer.writerow(
            [neutralize(line["cohort"]), neutralize(line["course"])]
            + [line["enrolled"], line["already"], line["not_enrolled"], neutralize(needs)]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def roster_template_csv() -> bytes:
    """The downloadable template: the headings and one example row, UTF-8 with a BOM for Excel."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(TEMPLATE_HEADERS)
    example = ("Amina Bibi", "آمنہ بی بی", "Karim Khan", "amina.bibi", "student", "female")
    writer.writerow([*example, "2012", "Class 7 morning"])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


__all__ = [
    "COLUMNS",
    "NewLearner",
    "Problem",
    "RosterAlreadyCommitted",
    "RosterCommitResult",
    "RosterDiscarded",
    "RosterError",
    "RosterFileError",
    "RosterHasProblems",
    "RosterNotAllowed",
    "roster_check",
    "roster_commit",
    "roster_discard",
    "roster_parse",
    "roster_preview",
    "roster_recheck",
    "roster_max_bytes",
    "roster_same_file_imported",
    "roster_summary_csv",
    "roster_size_check",
    "roster_template_csv",
]
