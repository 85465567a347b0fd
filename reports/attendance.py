"""Attendance counts summed in the database, by center, by cohort or by learner.

The rate is the one of ``docs/decisions/0002-attendance-rate.md`` (``lms.attendance``):
attended = present + late marks; missed = absent marks + sessions taken on or after the day the
learner joined with no mark for them. ``lms.attendance`` counts per membership with correlated
subqueries, which is right for one cohort but takes seconds over a whole network; here the same
counts come from two set-based aggregates over memberships (``tests/reports`` checks that both
agree):

- the member's marks in their cohort: attended, absent, and "marked while eligible" (the session
  is on or after the day they joined);
- eligible slots: pairs (member, taken session of their cohort on or after the joining day),
  from members counted by joining day and the taken sessions' days (see ``_eligible_slots``).

Sessions left off = eligible slots − marked while eligible.
"""

import datetime
from bisect import bisect_left
from dataclasses import replace

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncDate, TruncWeek

from lms.models import AttendanceMark, CohortMembership, CohortSession

from .filters import ReportFilters

Status = AttendanceMark.Status

# Group names, as seen from a membership.
_SLOT_GROUPS = {
    "cohort__center_id": ("cohort__center_id",),
    "cohort_id": ("cohort_id",),
    "learner": ("cohort_id", "learner_id"),
    None: (),
}


def _grouped(queryset, fields, **aggregates) -> dict:
    if not fields:
        return {None: queryset.aggregate(**aggregates)}
    rows = queryset.values(*fields).annotate(**aggregates).order_by()
    key = (
        (lambda row: row[fields[0]])
        if len(fields) == 1
        else (lambda row: tuple(row[f] for f in fields))
    )  # noqa: E731,E501
    return {key(row): row for row in rows}


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _grouped_weekly(queryset, fields, day_field, **aggregates) -> dict:
    """{(group key, Monday): aggregates}: as :func:`_grouped`, also by the week of ``day_field``
    (annotated after the caller's filter(), so it reads the same joined row as the counts)."""
    rows = (
        queryset.annotate(week=TruncWeek(day_field))
        .values(*fields, "week")
        .annotate(**aggregates)
        .order_by()
    )
    result = {}
    for row in rows:
        if not fields:
            key = None
        elif len(fields) == 1:
            key = row[fields[0]]
        else:
            key = tuple(row[f] for f in fields)
        result[(key, row["week"])] = row
    return result


def _eligible_slots(*, memberships, filters: ReportFilters, group, weekly=False) -> dict:
    """{group key: pairs (member, taken session of their cohort on or after the joining day)}.

    Two small aggregates instead of a member × session join: members counted by cohort and
    joining day, and the taken sessions' days per cohort; each count of members then meets the
    sessions on or after its day (a bisection). The joining day is worked out once per member,
    not once per pair (on SQLite it is a Python function call in the query). ``weekly``: keyed
    by (group key, Monday of the session's week) instead.
    """
    fields = _SLOT_GROUPS[group]
    extra = [f for f in fields if f != "cohort_id"]
    joined = (
        memberships.annotate(joined_on=TruncDate("joined_at"))
        .values("cohort_id", "joined_on", *extra)
        .annotate(n=Count("pk"))
        .order_by()
    )
    taken = (
        CohortSession.objects.filter(cohort__in=memberships.values("cohort_id"))
        .filter(Exists(AttendanceMark.objects.filter(session=OuterRef("pk"))))
        .filter(filters.in_period("date"))
        .values_list("cohort_id", "date")
        .order_by("cohort_id", "date")
    )
    days: dict[int, list] = {}
    for cohort_id, day in taken:
        days.setdefault(cohort_id, []).append(day)
    slots: dict = {}
    for row in joined:
        cohort_days = days.get(row["cohort_id"], [])
        first = bisect_left(cohort_days, row["joined_on"])
        if not fields:
            key = None
        elif len(fields) == 1:
            key = row[fields[0]]
        else:
            key = tuple(row[f] for f in fields)
        if weekly:
            for day in cohort_days[first:]:
                slot = (key, _monday(day))
                slots[slot] = slots.get(slot, 0) + row["n"]
        else:
            slots[key] = slots.get(key, 0) + row["n"] * (len(cohort_days) - first)
    return slots


def _counts(*, memberships, filters: ReportFilters, group, weekly=False) -> dict:
    """{group key: (attended, counted)} for a membership queryset in scope; ``weekly``: keyed by
    (group key, Monday of the session's week)."""
    memberships = memberships.filter(filters.membership_q())
    mark = "learner__attendance_marks"
    # One filter() call: both conditions hold for the same joined mark, which is thereby a mark
    # of this member in this cohort (the same join lms.attendance uses).
    marks = memberships.filter(
        Q(**{f"{mark}__session__cohort": F("cohort")}) & filters.in_period(f"{mark}__session__date")
    )
    counts = dict(
        attended=Count(mark, filter=Q(**{f"{mark}__status__in": [Status.PRESENT, Status.LATE]})),
        absent=Count(mark, filter=Q(**{f"{mark}__status": Status.ABSENT})),
        marked_eligible=Count(
            mark, filter=Q(**{f"{mark}__session__date__gte": TruncDate("joined_at")})
        ),
    )
    if weekly:
        marked = _grouped_weekly(marks, _SLOT_GROUPS[group], f"{mark}__session__date", **counts)
    else:
        marked = _grouped(marks, _SLOT_GROUPS[group], **counts)
    slot_counts = _eligible_slots(
        memberships=memberships, filters=filters, group=group, weekly=weekly
    )
    result = {}
    for key in marked.keys() | slot_counts.keys():
        m = marked.get(key) or {}
        attended = m.get("attended") or 0
        left_off = slot_counts.get(key, 0) - (m.get("marked_eligible") or 0)
        missed = (m.get("absent") or 0) + max(left_off, 0)
        result[key] = (attended, attended + missed)
    return result


def attendance_totals(*, cohorts, filters: ReportFilters, group: str | None) -> dict:
    """{group value: (attended, counted)} for the members of ``cohorts``; ``group`` is
    "cohort__center_id", "cohort_id" or None (one total under the key None)."""
    return _counts(
        memberships=CohortMembership.objects.filter(cohort__in=cohorts),
        filters=filters,
        group=group,
    )


def attendance_by_learner(*, pairs, filters: ReportFilters) -> dict:
    """{(cohort id, learner id): (attended, counted)} for the given pairs (two queries)."""
    pairs = {pair for pair in pairs if pair[0] is not None}
    if not pairs:
        return {}
    cohort_ids = {cohort for cohort, _learner in pairs}
    learner_ids = {learner for _cohort, learner in pairs}
    counts = _counts(
        memberships=CohortMembership.objects.filter(
            cohort_id__in=cohort_ids, learner_id__in=learner_ids
        ),
        filters=filters,
        group="learner",
    )
    return {key: value for key, value in counts.items() if key in pairs}


def attendance_weekly(
    *, cohorts, filters: ReportFilters, group: str | None, first: datetime.date, last: datetime.date
) -> dict:
    """{(group value, Monday): (attended, counted)} for the sessions from ``first`` to ``last``
    (inclusive) of the members of ``cohorts``, week by week: the rate of
    :func:`attendance_totals`, in three queries whatever the number of weeks or groups."""
    return _counts(
        memberships=CohortMembership.objects.filter(cohort__in=cohorts),
        filters=replace(filters, date_from=first, date_to=last),
        group=group,
        weekly=True,
    )
