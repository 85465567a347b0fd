"""Weekly trends kept ready: the unfiltered overview, center pages and centers side by side read
the series the beat stores hourly (``docs/decisions/0025-weekly-trends.md``).

:func:`trend_snapshots_refresh` runs :func:`reports.trends.weekly_figures_by` — the one home of
the weekly rules — for every center and for the programme, in one REPEATABLE READ transaction,
and replaces the stored trend rows (``FigureSnapshot`` scopes ``trend_center`` and
``trend_total``) without touching the figures of :mod:`reports.summaries`. The readers below
give a page those rows on PostgreSQL with no filter set once a refresh has run, and otherwise
compute at request time (a filter, SQLite — no beat there —, no refresh yet); a cohort's trend
is always computed (one cohort's rows are few). Each trend carries the time it was computed.
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from lms.models import Center

from .filters import ReportFilters
from .models import FigureSnapshot
from .summaries import snapshot_refresh_transaction, snapshots_supported
from .trends import Trend, WeekFigures, trend_of, trend_weeks, weekly_figures_by

Scope = FigureSnapshot.Scope
LOCK_KEY = 0x48554E4152_25
_PARTS = ("active", "lessons", "attended", "attendance_counted", "certificates")


def _stored(trend: Trend) -> dict:
    return {
        "weeks": [w.week.isoformat() for w in trend.weeks],
        "rows": [[getattr(w, part) for part in _PARTS] for w in trend.weeks],
    }


def _loaded(figures: dict, as_of) -> Trend:
    weeks = [
        WeekFigures(datetime.date.fromisoformat(day), **dict(zip(_PARTS, row, strict=True)))
        for day, row in zip(figures["weeks"], figures["rows"], strict=True)
    ]
    return Trend(weeks=weeks, as_of=as_of)


def _empty(stored: dict) -> dict:
    """Zeros over the weeks of another stored trend."""
    return {"weeks": stored["weeks"], "rows": [[0] * len(_PARTS) for _ in stored["weeks"]]}


def trend_snapshots_refresh() -> int:
    """Recompute the stored trends of every center and of the programme; the number of rows
    written. 0 on SQLite and when another refresh holds the lock. Atomic: a failure keeps the
    old rows."""
    if not snapshots_supported():
        return 0
    with snapshot_refresh_transaction(LOCK_KEY) as held:
        if not held:
            return 0
        computed_at = timezone.now()
        filters = ReportFilters()
        weeks = trend_weeks(filters=filters)
        centers = Center.objects.all()
        members = sorted(centers.values_list("pk", flat=True))
        by_center = weekly_figures_by(by="center", centers=centers, filters=filters, weeks=weeks)
        total = weekly_figures_by(by=None, centers=centers, filters=filters, weeks=weeks)
        rows = [
            FigureSnapshot(
                scope=Scope.TREND_CENTER, key=pk, computed_at=computed_at,
                figures=_stored(trend_of(by_center, pk, weeks)),
            )
            for pk in members
        ]  # fmt: skip
        rows.append(
            FigureSnapshot(
                scope=Scope.TREND_TOTAL, key=None, computed_at=computed_at,
                figures=_stored(trend_of(total, None, weeks)) | {"members": members},
            )
        )  # fmt: skip
        FigureSnapshot.objects.filter(scope__in=(Scope.TREND_CENTER, Scope.TREND_TOTAL)).delete()
        FigureSnapshot.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _stored_rows(filters: ReportFilters, center_ids):
    """(the programme's stored row, {center id: stored row}) or None when the page must
    compute (a filter, not PostgreSQL, nothing stored yet)."""
    if not snapshots_supported() or filters != ReportFilters():
        return None
    total, by_center = None, {}
    wanted = Q(scope=Scope.TREND_TOTAL) | Q(scope=Scope.TREND_CENTER, key__in=list(center_ids))
    for scope, key, figures, at in FigureSnapshot.objects.filter(wanted).values_list(
        "scope", "key", "figures", "computed_at"
    ):
        if scope == Scope.TREND_TOTAL:
            total = (figures, at)
        else:
            by_center[key] = (figures, at)
    return None if total is None else (total, by_center)


def trend_total(*, centers: list, filters: ReportFilters) -> Trend:
    """The weekly trend of ``centers`` together: stored for the whole programme or a single
    center when the page may use stored rows, otherwise computed now."""
    ids = sorted(c.pk for c in centers)
    stored = _stored_rows(filters, ids if len(ids) == 1 else [])
    if stored is not None:
        (figures, at), by_center = stored
        if figures.get("members") == ids:
            return _loaded(figures, at)
        if len(ids) == 1:
            # A center created since the refresh has no row yet: zeros, as of the refresh.
            return _loaded(*(by_center.get(ids[0]) or (_empty(figures), at)))
    weeks = trend_weeks(filters=filters)
    return trend_of(
        weekly_figures_by(by=None, centers=centers, filters=filters, weeks=weeks), None, weeks
    )


def trends_by_center(*, centers: list, filters: ReportFilters) -> list[Trend]:
    """The weekly trend of each of ``centers``, in their order: stored or computed now."""
    ids = [c.pk for c in centers]
    stored = _stored_rows(filters, ids)
    if stored is not None:
        (total, at), by_center = stored
        return [_loaded(*(by_center.get(pk) or (_empty(total), at))) for pk in ids]
    weeks = trend_weeks(filters=filters)
    found = weekly_figures_by(by="center", centers=centers, filters=filters, weeks=weeks)
    return [trend_of(found, pk, weeks) for pk in ids]
