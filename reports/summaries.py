"""Dashboard figures kept ready: the unfiltered programme overview and center pages of a large
network, read from rows the beat refreshes (``docs/decisions/0017-report-summaries.md``).

:func:`figure_snapshots_refresh` runs :func:`reports.selectors.figures_by` — the one home of
every rule — over the whole network, in one REPEATABLE READ transaction (every query sees the
same moment), and replaces the stored rows; readers keep seeing the previous rows until it
commits. :func:`figure_snapshot_read` gives a page those rows when it may use them: on
PostgreSQL, with no filter set, once a refresh has run. Anything else (a filter, SQLite — the
embedded default, where no beat runs —, no refresh yet) is computed at request time, as before.
Each page says how fresh its figures are.
"""

import datetime
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields

from django.db import connection, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy

from lms.models import Center, Cohort

from .filters import ReportFilters
from .followups import OutcomeRow, outcome_rows_counted
from .models import FigureSnapshot
from .selectors import Figures, figures_by

Scope = FigureSnapshot.Scope
# The figures a row stores: everything but the label and the object, which the page adds.
STORED = tuple(f.name for f in fields(Figures) if f.name not in {"key", "label", "obj", "as_of"})
# pg_try_advisory_xact_lock key: one refresh at a time, across processes and machines.
LOCK_KEY = 0x48554E4152_17
# Rows of the weekly trends (reports.trends): their own refresh, hourly, their own lock.
TREND_SCOPES = (Scope.TREND_CENTER, Scope.TREND_TOTAL)


def snapshots_supported() -> bool:
    """Stored figures are a PostgreSQL feature; SQLite (one process, no beat) computes."""
    return connection.vendor == "postgresql"


@contextmanager
def snapshot_refresh_transaction(lock_key: int):
    """One refresh's transaction (repeatable read when outermost; inside a caller's
    transaction, its isolation level stands); yields whether this refresh holds the advisory
    lock ``lock_key`` (False: another refresh is writing the same rows)."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        with connection.cursor() as cursor:
            if outermost:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [lock_key])
            held = cursor.fetchone()[0]
        yield held


def _stored(figures: Figures) -> dict:
    values = asdict(figures)
    return {name: values[name] for name in STORED}


def figure_snapshots_refresh() -> int:
    """Recompute every stored row; the number of rows written. 0 on SQLite, and when another
    refresh holds the lock (that one's rows will do). Atomic: a failure keeps the old rows."""
    if not snapshots_supported():
        return 0
    with snapshot_refresh_transaction(LOCK_KEY) as held:
        if not held:
            return 0
        computed_at = timezone.now()
        filters = ReportFilters()
        centers = Center.objects.all()
        cohorts = Cohort.objects.values("pk")
        distinct_parts = {"enrollments", "active"}
        rows = []

        def add(scope, figures: dict, extra=None):
            for key, figure in figures.items():
                stored = _stored(figure) | (extra or {})
                rows.append(
                    FigureSnapshot(scope=scope, key=key, figures=stored, computed_at=computed_at)
                )

        add(Scope.CENTER, figures_by(by="center", centers=centers, filters=filters))
        by_cohort = figures_by(by="cohort", centers=centers, filters=filters, cohorts=cohorts)
        add(Scope.COHORT, by_cohort)
        # Learners are people, who may be counted in two rows: totals count them again.
        cohorts_of: dict = {}
        for cohort_id, center_id in Cohort.objects.order_by("pk").values_list("pk", "center_id"):
            cohorts_of.setdefault(center_id, []).append(cohort_id)
        center_totals = figures_by(
            by="center", centers=centers, filters=filters, cohorts=cohorts, parts=distinct_parts
        )
        for center_id, members in cohorts_of.items():
            add(
                Scope.CENTER_TOTAL,
                {center_id: center_totals.get(center_id) or Figures()},
                {"members": members},
            )
        outcomes: dict = {}
        for center_id, row in outcome_rows_counted(
            centers=centers, filters=filters, per_center_id=True
        ):
            outcomes.setdefault(center_id, []).append(asdict(row))
        rows += [
            FigureSnapshot(
                scope=Scope.OUTCOMES, key=center_id, figures={"rows": stored},
                computed_at=computed_at,
            )
            for center_id, stored in outcomes.items()
        ]  # fmt: skip
        total = figures_by(by=None, centers=centers, filters=filters, parts=distinct_parts)
        members = sorted(centers.values_list("pk", flat=True))
        add(Scope.TOTAL, {None: total.get(None) or Figures()}, {"members": members})
        FigureSnapshot.objects.exclude(scope__in=TREND_SCOPES).delete()
        FigureSnapshot.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


@dataclass
class Snapshot:
    """Stored figures of one scope: {key: Figures}, and when they were computed."""

    computed_at: datetime.datetime
    figures: dict
    totals: dict

    def total(self, key, *, members) -> Figures | None:
        """The stored distinct counts of a total, or None when they were counted over other
        rows than ``members`` (the center ids of the programme total, the cohort ids of a
        center's)."""
        stored = dict(self.totals.get(key) or {})
        if stored.pop("members", None) != sorted(members):
            return None
        return Figures(as_of=self.computed_at, **stored)


def figure_snapshot_read(*, by: str, keys, filters: ReportFilters, center=None):
    """The stored rows for ``keys`` (center ids when ``by`` is "center", cohort ids when
    "cohort"), with the matching totals, or None when the page must compute: a filter is set,
    the database is not PostgreSQL, or nothing was stored yet."""
    if not snapshots_supported() or filters != ReportFilters():
        return None
    if by == "center":
        scope, total_scope, total_keys = Scope.CENTER, Scope.TOTAL, [None]
    else:
        scope, total_scope, total_keys = Scope.COHORT, Scope.CENTER_TOTAL, [center.pk]
    wanted = list(
        FigureSnapshot.objects.filter(scope=scope, key__in=list(keys)).values_list(
            "key", "figures", "computed_at"
        )
    )
    # The programme total is written by every refresh: without it nothing was stored yet.
    totals = list(
        FigureSnapshot.objects.filter(
            Q(scope=Scope.TOTAL) | Q(scope=total_scope, key__in=total_keys)
        ).values_list("scope", "key", "figures", "computed_at")
    )
    computed_at = next((at for s, _k, _f, at in totals if s == Scope.TOTAL), None)
    if computed_at is None:
        return None
    stored_totals = {key: {} for key in total_keys}
    stored_totals.update({key: values for s, key, values, _ in totals if s == total_scope})
    return Snapshot(
        computed_at=computed_at,
        figures={key: Figures(key=key, as_of=computed_at, **values) for key, values, _ in wanted},
        totals=stored_totals,
    )


FIGURES_AS_OF = gettext_lazy("Figures as of %(time)s")


def as_of_time(as_of: datetime.datetime | None) -> str:
    """ "08:15" (with the date when not today); ``None`` means computed now."""
    moment = timezone.localtime(as_of or timezone.now())
    shown = formats.time_format(moment, "H:i")
    if moment.date() != timezone.localdate():
        shown = f"{formats.date_format(moment, 'SHORT_DATE_FORMAT')} {shown}"
    return shown


def figures_as_of_text(as_of: datetime.datetime | None) -> str:
    """ "Figures as of 08:15" (with the date when not today); ``None`` means computed now."""
    return str(FIGURES_AS_OF) % {"time": as_of_time(as_of)}


def outcome_snapshot_read(*, centers, filters: ReportFilters) -> list[OutcomeRow] | None:
    """The stored follow-up outcomes of ``centers`` in the order of
    :func:`reports.followups.outcome_rows`, or None when they must be counted (as
    :func:`figure_snapshot_read`)."""
    if not snapshots_supported() or filters != ReportFilters():
        return None
    ids = [c.pk for c in centers] if isinstance(centers, list) else centers.values("pk")
    stored = list(
        FigureSnapshot.objects.filter(
            Q(scope=Scope.TOTAL) | Q(scope=Scope.OUTCOMES, key__in=ids)
        ).values_list("scope", "key", "figures")
    )
    if not any(scope == Scope.TOTAL for scope, _key, _figures in stored):
        return None
    by_center = {key: figures["rows"] for scope, key, figures in stored if scope == Scope.OUTCOMES}
    # Centers in the database's order of names, as the counted query sorts them.
    order = Center.objects.filter(pk__in=list(by_center)).order_by("name", "pk")
    return [
        OutcomeRow(**row)
        for center_id in order.values_list("pk", flat=True)
        for row in by_center[center_id]
    ]
