"""Everything the reports read from assessment attempts, kept in one place.

Pass rate = enrollments with a passed graded attempt ÷ enrollments with any graded attempt
(in the period: graded attempts submitted before its end). Until ``assessments.models.Attempt``
exists these functions answer "no graded attempts", and :func:`attempts_available` says so.
"""

from django.apps import apps
from django.db.models import Count, Max, Q

from .filters import ReportFilters


def attempt_model():
    """``assessments.Attempt``, or None while the assessments app has no such model."""
    try:
        model = apps.get_model("assessments", "Attempt")
    except LookupError:
        return None
    fields = {f.name for f in model._meta.get_fields()}
    if not {"enrollment", "status", "passed", "percent", "submitted_at"} <= fields:
        return None
    return model


def attempts_available() -> bool:
    return attempt_model() is not None


def _graded(Attempt, filters: ReportFilters):
    q = Q(status="graded") & filters.in_period("submitted_at")
    return Attempt.objects.filter(q)


def pass_totals(*, enrollments, filters: ReportFilters, group: str | None) -> dict:
    """{group value: (passed, graded)}: enrollments (of the ``enrollments`` queryset) with a
    passed graded attempt, and with any graded attempt. ``group`` is a field of Enrollment
    reached from Attempt ("enrollment__center_id", "enrollment__cohort_id") or None."""
    Attempt = attempt_model()
    if Attempt is None:
        return {}
    attempts = _graded(Attempt, filters).filter(enrollment__in=enrollments)
    figures = {
        "graded": Count("enrollment", distinct=True),
        "passed": Count("enrollment", filter=Q(passed=True), distinct=True),
    }
    if group is None:
        totals = attempts.aggregate(**figures)
        return {None: (totals["passed"], totals["graded"])}
    rows = attempts.values(group).annotate(**figures).order_by()
    return {row[group]: (row["passed"], row["graded"]) for row in rows}


def attempt_results_by_enrollment(*, enrollment_ids, filters: ReportFilters) -> dict:
    """{enrollment id: (best percent, passed)} over graded attempts (one query)."""
    Attempt = attempt_model()
    if Attempt is None or not enrollment_ids:
        return {}
    rows = (
        _graded(Attempt, filters)
        .filter(enrollment_id__in=enrollment_ids)
        .values("enrollment_id")
        .annotate(best=Max("percent"), passed=Count("pk", filter=Q(passed=True)))
        .order_by()
    )
    return {r["enrollment_id"]: (r["best"], r["passed"] > 0) for r in rows}
