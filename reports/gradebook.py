"""The gradebook of a cohort: learners × assessments of one course, read in a constant number
of queries whatever the number of learners, assessments and attempts.

Per learner and assessment: best and latest score, status, attempts and attempts awaiting
grading; per learner: course completion and certificate. The columns are
:class:`reports.tables.Column` objects, so the page and its CSV/XLSX exports print the same
values (``reports.exports``). Attempts and due dates attach to the source-locale assessment
(docs/decisions/0013).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import AssessmentPage, Attempt
from certificates.codes import code_display
from certificates.models import Certificate
from content.canonical import canonical_of
from courses.models import CohortDueDate, Enrollment
from courses.selectors import cohort_courses

from .tables import Column

STATUS_LABELS = {
    "not_started": _("not started"),
    "in_progress": _("in progress"),
    "overdue": _("overdue"),
    "awaiting": _("awaiting grading"),
    "passed": _("passed"),
    "failed": _("not passed"),
    "graded": _("graded"),
}


def _whole(number):
    return None if number is None else int(Decimal(number).quantize(Decimal(1), ROUND_HALF_UP))


@dataclass
class Cell:
    """One learner's record on one assessment."""

    attempts: int = 0
    awaiting: int = 0
    best: Decimal | None = None
    latest: Decimal | None = None
    latest_attempt_id: int | None = None  # the latest submitted or graded attempt: drill-down
    passed: bool = False
    failed: bool = False
    started: bool = False
    overdue: bool = False

    @property
    def status(self) -> str:
        if self.awaiting:
            return "awaiting"
        if self.passed:
            return "passed"
        if self.latest_attempt_id is not None:
            return "failed" if self.failed else "graded"
        if self.overdue:
            return "overdue"
        return "in_progress" if self.started else "not_started"


@dataclass
class GradebookRow:
    learner: object
    name: str
    username: str
    enrollment: Enrollment
    cells: dict = field(default_factory=dict)  # {assessment id: Cell}
    certificate: str = ""

    @property
    def awaiting(self) -> int:
        return sum(cell.awaiting for cell in self.cells.values())

    @property
    def completed_on(self):
        moment = self.enrollment.completed_at
        if self.enrollment.status != Enrollment.Status.COMPLETED or moment is None:
            return None
        return timezone.localtime(moment).date()


@dataclass
class Gradebook:
    cohort: object
    course: object  # the canonical course, or None when the cohort follows none
    courses: list
    assessments: list
    due: dict  # {assessment id: due_at}
    rows: list
    columns: tuple
    sort: str = "name"

    def cell_column(self, column) -> tuple[int, str] | None:
        """(assessment id, part) for a per-assessment column, for links on the page."""
        if column.key.startswith("a") and "_" in column.key:
            pk, part = column.key[1:].split("_", 1)
            if pk.isdigit():
                return int(pk), part
        return None


def _assessment_columns(assessment) -> list[Column]:
    pk, title = assessment.pk, assessment.title

    def cell(row):
        return row.cells[pk]

    return [
        Column(f"a{pk}_best", _("%(title)s: best") % {"title": title},
               lambda row: _whole(cell(row).best), "percent"),
        Column(f"a{pk}_latest", _("%(title)s: latest") % {"title": title},
               lambda row: _whole(cell(row).latest), "percent"),
        Column(f"a{pk}_status", _("%(title)s: status") % {"title": title},
               lambda row: str(STATUS_LABELS[cell(row).status]), "text"),
        Column(f"a{pk}_attempts", _("%(title)s: attempts") % {"title": title},
               lambda row: cell(row).attempts),
    ]  # fmt: skip


def gradebook_columns(assessments) -> tuple[Column, ...]:
    per_assessment = [c for a in assessments for c in _assessment_columns(a)]
    return (
        Column("name", _("Learner"), lambda row: row.name, "text"),
        Column("username", _("Username"), lambda row: row.username, "text"),
        *per_assessment,
        Column("awaiting", _("Awaiting grading"), lambda row: row.awaiting),
        Column("completed_on", _("Course completed"), lambda row: row.completed_on, "date"),
        Column("certificate", _("Certificate"), lambda row: row.certificate, "text"),
    )


def _sort(rows, columns, sort: str):
    """Rows by the column ``sort`` names (``-key`` for descending); blanks always last; ties
    by name. An unknown key sorts by name."""
    key, descending = sort.removeprefix("-"), sort.startswith("-")
    column = next((c for c in columns if c.key == key), columns[0])
    rows = sorted(rows, key=lambda row: (row.name.casefold(), row.username))

    def value(row):
        v = column.value(row)
        return v.casefold() if isinstance(v, str) else v

    present = [row for row in rows if value(row) not in (None, "")]
    blank = [row for row in rows if value(row) in (None, "")]
    return sorted(present, key=value, reverse=descending) + blank, (
        ("-" if descending else "") + column.key
    )


def _learner_name(user) -> str:
    profile = getattr(user, "learner_profile", None)
    return profile.full_name if profile else user.get_username()


def gradebook_of(*, cohort, course_id: int | None = None, sort: str = "name") -> Gradebook:
    """The gradebook of ``cohort`` on one of its courses (``course_id``, default the first).

    The caller has checked that the user may see the cohort. Constant queries: the courses
    (one or two), assessments, enrollments, attempts, certificates and due dates.
    """
    courses = cohort_courses(cohort)
    course = next((c for c in courses if c.pk == course_id), courses[0] if courses else None)
    if course is None:
        return Gradebook(cohort, None, courses, [], {}, [], gradebook_columns([]), sort)
    course = canonical_of(page=course)
    assessments = list(
        AssessmentPage.objects.live()
        .child_of(course)
        .filter(locale_id=course.locale_id)
        .order_by("path")
        .only("id", "title", "path", "depth", "pass_mark_percent")
    )
    enrollments = list(
        Enrollment.objects.filter(cohort=cohort, course=course)
        .exclude(status=Enrollment.Status.WITHDRAWN)
        .select_related("learner__learner_profile")
    )
    due = dict(
        CohortDueDate.objects.filter(cohort=cohort, page__in=[a.pk for a in assessments])
        .values_list("page_id", "due_at")
    )  # fmt: skip
    now = timezone.now()
    rows = {}
    for enrollment in enrollments:
        row = GradebookRow(
            learner=enrollment.learner,
            name=_learner_name(enrollment.learner),
            username=enrollment.learner.get_username(),
            enrollment=enrollment,
        )
        for assessment in assessments:
            row.cells[assessment.pk] = Cell(
                overdue=assessment.pk in due and due[assessment.pk] < now
            )
        rows[enrollment.pk] = row
    attempts = (
        Attempt.objects.filter(
            enrollment__in=list(rows), assessment__in=[a.pk for a in assessments]
        )
        .order_by("submitted_at", "number")
        .values_list("enrollment_id", "assessment_id", "id", "status", "percent", "passed")
    )
    for enrollment_id, assessment_id, pk, status, percent, passed in attempts:
        cell = rows[enrollment_id].cells[assessment_id]
        cell.attempts += 1
        cell.started = True
        if status == Attempt.Status.IN_PROGRESS:
            continue
        cell.overdue = False
        cell.latest_attempt_id = pk
        if status == Attempt.Status.SUBMITTED:
            cell.awaiting += 1
            continue
        cell.latest = percent
        if percent is not None and (cell.best is None or percent > cell.best):
            cell.best = percent
        cell.passed = cell.passed or passed is True
        cell.failed = passed is False
    for enrollment_id, code, status in (
        Certificate.objects.filter(enrollment__in=list(rows))
        .order_by("issued_at")
        .values_list("enrollment_id", "code", "status")
    ):
        row = rows[enrollment_id]
        if status == Certificate.Status.ISSUED:
            row.certificate = code_display(code)
        elif not row.certificate:
            row.certificate = str(_("revoked"))
    columns = gradebook_columns(assessments)
    ordered, sort = _sort(list(rows.values()), columns, sort)
    return Gradebook(cohort, course, courses, assessments, due, ordered, columns, sort)
