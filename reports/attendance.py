"""Attendance counts summed in the database, by center or by cohort, for the dashboards.

The rate is the one of ``docs/decisions/0002-attendance-rate.md`` (``lms.attendance``):
attended = present + late marks; missed = absent marks + sessions taken on or after the day the
learner joined with no mark for them. ``lms.attendance`` adds those up per cohort in Python; a
dashboard over the whole network needs the sums from the database, so each count is a correlated
subquery per membership and the sums are grouped in SQL. ``tests/reports`` checks that both give
the same rate.
"""

from django.db.models import (
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, TruncDate

from lms.models import AttendanceMark, CohortMembership, CohortSession

from .filters import ReportFilters

Status = AttendanceMark.Status


def _count(queryset) -> Coalesce:
    """COUNT(*) of a correlated queryset as a scalar subquery (no GROUP BY needed)."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def memberships_with_counts(
    memberships: QuerySet[CohortMembership], filters: ReportFilters
) -> QuerySet[CohortMembership]:
    """Memberships annotated with ``attended`` and ``missed`` in the filters' period."""
    marks = AttendanceMark.objects.filter(
        session__cohort=OuterRef("cohort"), learner=OuterRef("learner")
    ).filter(filters.in_period("session__date"))
    sessions = CohortSession.objects.filter(
        cohort=OuterRef("cohort"), date__gte=OuterRef("joined_on")
    ).filter(filters.in_period("date"))
    left_off = sessions.filter(
        Exists(AttendanceMark.objects.filter(session=OuterRef("pk")))
    ).exclude(
        Exists(
            AttendanceMark.objects.filter(
                session=OuterRef("pk"), learner=OuterRef(OuterRef("learner"))
            )
        )
    )
    return memberships.annotate(joined_on=TruncDate("joined_at")).annotate(
        attended=_count(marks.filter(status__in=[Status.PRESENT, Status.LATE])),
        missed=_count(marks.filter(status=Status.ABSENT)) + _count(left_off),
    )


def attendance_totals(*, cohorts, filters: ReportFilters, group: str) -> dict:
    """{group value: (attended, counted)} for the memberships of ``cohorts``; ``group`` is
    "cohort__center_id", "cohort_id" or ``None`` (one total under the key None)."""
    memberships = memberships_with_counts(
        CohortMembership.objects.filter(cohort__in=cohorts).filter(filters.membership_q()),
        filters,
    )
    if group is None:
        totals = memberships.aggregate(a=Sum("attended"), m=Sum("missed"))
        a, m = totals["a"] or 0, totals["m"] or 0
        return {None: (a, a + m)}
    rows = memberships.values(group).annotate(a=Sum("attended"), m=Sum("missed")).order_by()
    return {row[group]: (row["a"] or 0, (row["a"] or 0) + (row["m"] or 0)) for row in rows}


def attendance_by_learner(*, pairs, filters: ReportFilters) -> dict:
    """{(cohort id, learner id): (attended, counted)} for the given pairs (one query)."""
    pairs = {pair for pair in pairs if pair[0] is not None}
    if not pairs:
        return {}
    memberships = CohortMembership.objects.filter(
        cohort_id__in={c for c, _ in pairs}, learner_id__in={learner for _, learner in pairs}
    )
    rows = memberships_with_counts(memberships, filters).values(
        "cohort_id", "learner_id", "attended", "missed"
    )
    return {
        (r["cohort_id"], r["learner_id"]): (r["attended"], r["attended"] + r["missed"])
        for r in rows
        if (r["cohort_id"], r["learner_id"]) in pairs
    }
