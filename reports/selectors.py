"""The figures every dashboard, export and weekly report shows: one home per query.

Each figure is one SQL aggregate grouped by center or by cohort, whatever the number of centers,
cohorts or learners (a constant number of queries per table; no Python loops over rows). Callers
pass the centers or cohorts the user may see (``lms.permissions``); nothing here checks access.

Figures of a group (a center, a cohort, or everything):

- learners: distinct learners with an enrollment open in the period;
- active this week: distinct learners who opened a lesson in the seven days ending the period;
- lessons completed: lesson completions in the period;
- completion rate: enrollments completed (by the end of the period) ÷ enrollments open in it;
- pass rate: see :mod:`reports.attempts`;
- certificates issued: valid certificates issued in the period; verified: of those, how many
  were looked up at least once;
- attendance rate: see :mod:`reports.attendance`.
"""

import math
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from django.db.models import Count, F, Func, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from certificates.models import Certificate
from courses.models import Enrollment, LessonProgress
from lms.models import Center, Cohort

from .attempts import attempt_results_by_enrollment, pass_totals
from .attendance import attendance_by_learner, attendance_totals
from .filters import ReportFilters


def percent(part: int, whole: int) -> int | None:
    """A share as a whole percentage, halves rounded up; None when there is nothing to share."""
    return math.floor(part * 100 / whole + 0.5) if whole else None


@dataclass
class Figures:
    """The figures of one row; rates keep their parts so totals and exports can recompute them."""

    key: object = None
    label: str = ""
    learners: int = 0
    enrollments: int = 0
    active_week: int = 0
    lessons_completed: int = 0
    completed: int = 0
    passed: int = 0
    graded: int = 0
    certificates_issued: int = 0
    certificates_verified: int = 0
    attended: int = 0
    attendance_counted: int = 0
    obj: object = None
    # When the figures were computed, if they were stored (reports.summaries); None: just now.
    as_of: object = None

    @property
    def completion_rate(self) -> int | None:
        return percent(self.completed, self.enrollments)

    @property
    def pass_rate(self) -> int | None:
        return percent(self.passed, self.graded)

    @property
    def attendance_rate(self) -> int | None:
        return percent(self.attended, self.attendance_counted)


# Group names: what a row is keyed by, seen from each model.
_GROUPS = {
    "center": {
        "enrollment": "center_id",
        "via_enrollment": "enrollment__center_id",
        "membership": "cohort__center_id",
    },
    "cohort": {
        "enrollment": "cohort_id",
        "via_enrollment": "enrollment__cohort_id",
        "membership": "cohort_id",
    },
    None: {"enrollment": None, "via_enrollment": None, "membership": None},
}


def _grouped(queryset, group: str | None, **aggregates) -> dict:
    if group is None:
        return {None: queryset.aggregate(**aggregates)}
    rows = queryset.values(group).annotate(**aggregates).order_by()
    return {row.pop(group): row for row in rows}


ALL_PARTS = frozenset({"enrollments", "active", "lessons", "certificates", "passes", "attendance"})
# Figures that add up across groups (each counted thing belongs to one center and one cohort);
# learners and active learners are distinct people, who may be in two groups.
ADDITIVE = (
    "lessons_completed", "passed", "graded", "certificates_issued", "certificates_verified",
    "attended", "attendance_counted",
)  # fmt: skip


def figures_by(
    *, by: str | None, centers, filters: ReportFilters, cohorts=None, parts=ALL_PARTS
) -> dict:
    """{center id | cohort id | None: Figures} for the enrollments at ``centers`` (and, when
    given, in ``cohorts``). ``by`` is "center", "cohort" or None (one total); ``parts`` picks
    which figures to compute (all by default), one or two queries each."""
    names = _GROUPS[by]
    scope = Q(center__in=centers)
    if cohorts is not None:
        scope &= Q(cohort__in=cohorts)
    enrollments = Enrollment.objects.filter(scope & filters.enrollment_q())
    open_enrollments = enrollments.filter(filters.open_in_period_q())
    progress = LessonProgress.objects.filter(enrollment__in=enrollments)
    result: dict = {}

    def row(key) -> Figures:
        return result.setdefault(key, Figures(key=key))

    if "enrollments" in parts:
        done = Q(status=Enrollment.Status.COMPLETED)
        if filters.end:
            done &= Q(completed_at__lt=filters.end)
        for key, v in _grouped(
            open_enrollments,
            names["enrollment"],
            learners=Count("learner", distinct=True),
            enrollments=Count("pk"),
            completed=Count("pk", filter=done),
        ).items():
            r = row(key)
            r.learners, r.enrollments, r.completed = v["learners"], v["enrollments"], v["completed"]

    if parts & {"active", "lessons"}:
        # One pass over the progress rows for both figures.
        week_start, week_end = filters.week_window()
        seen_this_week = Q(last_seen_at__gte=week_start, last_seen_at__lt=week_end)
        completed_in_period = Q(completed_at__isnull=False) & filters.in_period("completed_at")
        wanted = Q(pk__in=[])
        if "active" in parts:
            wanted |= seen_this_week
        if "lessons" in parts:
            wanted |= completed_in_period
        for key, v in _grouped(
            progress.filter(wanted),
            names["via_enrollment"],
            active=Count("enrollment__learner", distinct=True, filter=seen_this_week),
            lessons=Count("pk", filter=completed_in_period),
        ).items():
            r = row(key)
            if "active" in parts:
                r.active_week = v["active"]
            if "lessons" in parts:
                r.lessons_completed = v["lessons"]

    if "certificates" in parts:
        certificates = Certificate.objects.filter(
            Q(enrollment__in=enrollments, status=Certificate.Status.ISSUED)
            & filters.in_period("issued_at")
        )
        for key, v in _grouped(
            certificates,
            names["via_enrollment"],
            issued=Count("pk"),
            verified=Count("pk", filter=Q(verification_count__gt=0)),
        ).items():
            r = row(key)
            r.certificates_issued, r.certificates_verified = v["issued"], v["verified"]

    if "passes" in parts:
        for key, (passed, graded) in pass_totals(
            enrollments=open_enrollments, filters=filters, group=names["via_enrollment"]
        ).items():
            row(key).passed, row(key).graded = passed, graded

    if "attendance" in parts:
        cohort_scope = Cohort.objects.filter(center__in=centers)
        if cohorts is not None:
            cohort_scope = cohort_scope.filter(pk__in=cohorts)
        for key, (attended, counted) in attendance_totals(
            cohorts=cohort_scope, filters=filters, group=names["membership"]
        ).items():
            row(key).attended, row(key).attendance_counted = attended, counted
    return result


def _total(rows, *, centers, filters: ReportFilters, cohorts=None) -> Figures:
    """The total of ``rows``: additive figures summed, distinct learners counted again."""
    total = figures_by(
        by=None, centers=centers, filters=filters, cohorts=cohorts,
        parts={"enrollments", "active"},
    ).get(None) or Figures()  # fmt: skip
    for name in ADDITIVE:
        setattr(total, name, sum(getattr(r, name) for r in rows))
    return total


def _stored_or_computed(*, by, keys, centers, filters, cohorts=None, center=None):
    """({key: Figures}, stored total or None) for a table: the stored rows when the page may
    use them (:mod:`reports.summaries`), otherwise computed now. The stored total is None when
    it was stored for other rows than ``keys`` (a center or cohort added since the refresh)."""
    from .summaries import figure_snapshot_read

    snapshot = figure_snapshot_read(by=by, keys=keys, filters=filters, center=center)
    if snapshot is None:
        return figures_by(by=by, centers=centers, filters=filters, cohorts=cohorts), None, None
    total = snapshot.total(None if by == "center" else center.pk, members=keys)
    return snapshot.figures, total, snapshot.computed_at


def _total_of(rows, stored: Figures | None, as_of, **scope) -> Figures:
    """The total of ``rows``: additive figures summed; distinct learners stored or counted."""
    total = stored or _total(rows, **scope)
    for name in ADDITIVE:
        setattr(total, name, sum(getattr(r, name) for r in rows))
    total.as_of = as_of
    return total


def center_table(*, centers, filters: ReportFilters) -> tuple[list[Figures], Figures]:
    """One row per center (all of ``centers`` in the filters' district), and the total. The
    total's ``as_of`` says when stored figures were computed (None: now)."""
    if filters.district:
        centers = centers.filter(district=filters.district)
    centers = list(centers.order_by("district", "name"))
    keys = [center.pk for center in centers]
    figures, stored_total, as_of = _stored_or_computed(
        by="center", keys=keys, centers=centers, filters=filters
    )
    rows = []
    for center in centers:
        r = figures.get(center.pk) or Figures(key=center.pk, as_of=as_of)
        r.label, r.obj = center.name, center
        rows.append(r)
    return rows, _total_of(rows, stored_total, as_of, centers=centers, filters=filters)


def cohort_table(*, center: Center, cohorts, filters: ReportFilters) -> tuple[list, Figures]:
    """One row per cohort of ``cohorts`` at ``center``, and the center's total for them (its
    ``as_of`` as in :func:`center_table`)."""
    cohorts = list(cohorts.filter(center=center).order_by("-start_date", "name"))
    if filters.shift:
        cohorts = [c for c in cohorts if c.shift == filters.shift]
    ids = [c.pk for c in cohorts]
    figures, stored_total, as_of = _stored_or_computed(
        by="cohort", keys=ids, centers=[center], filters=filters, cohorts=ids, center=center
    )
    rows = []
    for cohort in cohorts:
        r = figures.get(cohort.pk) or Figures(key=cohort.pk, as_of=as_of)
        r.label, r.obj = cohort.name, cohort
        rows.append(r)
    return rows, _total_of(
        rows, stored_total, as_of, centers=[center], filters=filters, cohorts=ids
    )


# --- Learners -----------------------------------------------------------------------------------


@dataclass
class LearnerRow:
    enrollment_id: int
    name: str
    username: str
    center: str
    cohort: str
    course: str
    status: str
    enrolled_on: object
    completed_on: object
    lessons_completed: int
    last_seen: object
    attended: int
    attendance_counted: int
    best_percent: object
    passed: bool | None
    certificate: str

    @property
    def attendance_rate(self) -> int | None:
        return percent(self.attended, self.attendance_counted)


def _subquery_count(queryset):
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


LEARNER_FIELDS = (
    "pk", "learner_id", "cohort_id", "status", "enrolled_at", "completed_at",
    "learner__username", "learner__learner_profile__full_name", "center__name", "cohort__name",
    "course__title",
)  # fmt: skip


def learner_enrollments(*, centers, filters: ReportFilters, cohorts=None):
    """The enrollments behind the learner tables as plain values (no model instances: a
    whole network is 20,000 rows), with their per-learner counts annotated."""
    scope = Q(center__in=centers)
    if cohorts is not None:
        scope &= Q(cohort__in=cohorts)
    progress = LessonProgress.objects.filter(enrollment=OuterRef("pk"))
    completed = progress.filter(Q(completed_at__isnull=False) & filters.in_period("completed_at"))
    last_seen = progress.order_by().values("enrollment").annotate(m=Max("last_seen_at"))
    certificate = Certificate.objects.filter(
        enrollment=OuterRef("pk"), status=Certificate.Status.ISSUED
    ).filter(filters.in_period("issued_at"))
    return (
        Enrollment.objects.filter(scope & filters.enrollment_q() & filters.open_in_period_q())
        .annotate(
            lessons_done=_subquery_count(completed),
            last_seen=Subquery(last_seen.values("m")),
            certificate_code=Subquery(certificate.values("code")[:1]),
        )
        .order_by("center__name", "cohort__name", "learner__learner_profile__full_name", "pk")
        .values(*LEARNER_FIELDS, "lessons_done", "last_seen", "certificate_code")
    )


def _batched(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def learner_rows(
    *, centers, filters: ReportFilters, cohorts=None, chunk_size: int = 1000
) -> Iterator[LearnerRow]:
    """One row per enrollment, streamed: rows are read ``chunk_size`` at a time and each chunk
    costs three more queries (attendance twice, attempts), so memory stays flat for any
    center."""
    from certificates.codes import code_display

    statuses = {value: str(label) for value, label in Enrollment.Status.choices}
    enrollments = learner_enrollments(centers=centers, filters=filters, cohorts=cohorts)
    for chunk in _batched(enrollments.iterator(chunk_size=chunk_size), chunk_size):
        attendance = attendance_by_learner(
            pairs=[(e["cohort_id"], e["learner_id"]) for e in chunk], filters=filters
        )
        results = attempt_results_by_enrollment(
            enrollment_ids=[e["pk"] for e in chunk], filters=filters
        )
        for e in chunk:
            attended, counted = attendance.get((e["cohort_id"], e["learner_id"]), (0, 0))
            best, passed = results.get(e["pk"], (None, None))
            code = e["certificate_code"]
            yield LearnerRow(
                enrollment_id=e["pk"],
                name=e["learner__learner_profile__full_name"] or e["learner__username"],
                username=e["learner__username"],
                center=e["center__name"],
                cohort=e["cohort__name"] or "",
                course=e["course__title"],
                status=statuses.get(e["status"], e["status"]),
                enrolled_on=e["enrolled_at"],
                completed_on=e["completed_at"],
                lessons_completed=e["lessons_done"],
                last_seen=e["last_seen"],
                attended=attended,
                attendance_counted=counted,
                best_percent=best,
                passed=passed,
                certificate=code_display(code) if code else "",
            )
