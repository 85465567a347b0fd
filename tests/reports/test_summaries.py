"""Stored dashboard figures (reports.summaries): on PostgreSQL the unfiltered overview and center
pages read what the beat computed, equal to counting at request time; every page says how fresh
its figures are; SQLite (the embedded default) always counts."""

import datetime
import re
from dataclasses import asdict

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import Enrollment
from lms import roles
from lms.models import Center, Cohort
from reports import tasks
from reports.filters import ReportFilters
from reports.followups import outcome_rows
from reports.models import FigureSnapshot, FollowUp
from reports.selectors import center_table, cohort_table
from reports.summaries import STORED, figure_snapshots_refresh, figures_as_of_text
from tests.factories import LearnerProfileFactory, UserFactory

from .test_views import _get, body_rows, page_tables

AS_OF = re.compile(r"Figures as of (?:\S+ )?(\d\d):(\d\d)")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="programme-admin", role=roles.PROGRAMME_ADMIN)


def _figures(rows, total):
    """Every stored figure of a table's rows and total, with the row's key."""
    return [(r.key, {n: asdict(r)[n] for n in STORED}) for r in [*rows, total]]


def _tables():
    everywhere = Center.objects.all()
    tables = {"overview": _figures(*center_table(centers=everywhere, filters=ReportFilters()))}
    for center in everywhere.order_by("code"):
        rows, total = cohort_table(
            center=center, cohorts=Cohort.objects.all(), filters=ReportFilters()
        )
        tables[center.code] = _figures(rows, total)
    return tables


def _shown_time(response) -> tuple[int, int]:
    match = AS_OF.search(response.content.decode())
    assert match, "the page does not say how fresh its figures are"
    return int(match[1]), int(match[2])


@pytest.fixture
def outside_cohorts(network):
    """A learner at GLT enrolled outside any cohort: in the center's row of the overview, not in
    the center page's cohort total (the two totals the refresh stores apart)."""
    profile = LearnerProfileFactory(user__username="walk-in", home_center=network.glt)
    services.enrollment_create(learner=profile.user, course=network.course)
    return profile.user


@pytest.fixture
def followups(network):
    """Sent follow-ups at both centers, some answered."""
    today = timezone.localdate()
    now = timezone.now()
    for key, days, answered in (("g1", 30, True), ("g1", 90, False), ("e1", 30, True),
                                ("s1", 30, True), ("s1", 180, True)):  # fmt: skip
        FollowUp.objects.create(
            enrollment=Enrollment.objects.get(learner=network.learners[key]), days_after=days,
            due_on=today, sent_at=now, answered_at=now if answered else None,
            has_marketplace_profile=answered, has_first_paid_job=key == "s1" and answered,
            income_band="10k_30k" if answered else "", still_looking=key != "s1",
        )  # fmt: skip


@pytest.mark.postgres
def test_stored_figures_equal_the_figures_counted_at_request_time(
    network, outside_cohorts, followups
):
    everywhere = Center.objects.all()
    outcomes = outcome_rows(centers=everywhere, filters=ReportFilters())
    assert len(outcomes) == 4
    counted = _tables()
    assert all(total[1]["learners"] for total in (t[-1] for t in counted.values()))
    assert figure_snapshots_refresh() > 0
    stored = _tables()
    assert stored == counted
    assert outcome_rows(centers=everywhere, filters=ReportFilters()) == outcomes
    assert outcome_rows(centers=[network.skd], filters=ReportFilters()) == outcomes[-2:]
    rows, total = center_table(centers=Center.objects.all(), filters=ReportFilters())
    assert total.as_of is not None and all(r.as_of == total.as_of for r in rows)
    # Really read from the stored rows: what is stored is what the pages show.
    FigureSnapshot.objects.filter(scope=FigureSnapshot.Scope.OUTCOMES).update(figures={"rows": []})
    assert outcome_rows(centers=everywhere, filters=ReportFilters()) == []


@pytest.mark.postgres
def test_unfiltered_pages_read_the_stored_figures_until_the_next_refresh(
    client, network, admin_user
):
    figure_snapshots_refresh()
    before = page_tables(_get(client, admin_user, reverse("reports:overview")))["centers"]
    services.lesson_complete(learner=network.learners["g4"], lesson=network.lessons[0])
    stale = page_tables(_get(client, admin_user, reverse("reports:overview")))["centers"]
    assert stale == before
    # A filtered view is counted now, and so sees the new lesson.
    filtered = page_tables(_get(client, admin_user, reverse("reports:overview"), gender="male"))
    column = filtered["centers"][0].index("Lessons completed")
    assert body_rows(filtered["centers"])[0][column] == "3"  # g2's two and g4's new one
    figure_snapshots_refresh()
    fresh = page_tables(_get(client, admin_user, reverse("reports:overview")))["centers"]
    assert body_rows(fresh)[0][column] == str(int(body_rows(before)[0][column]) + 1)


@pytest.mark.postgres
def test_the_page_shows_when_the_stored_figures_were_computed(client, network, admin_user):
    figure_snapshots_refresh()
    computed = timezone.localtime(FigureSnapshot.objects.first().computed_at)
    earlier = computed - datetime.timedelta(hours=3)
    FigureSnapshot.objects.update(computed_at=earlier)
    for url, user in (
        (reverse("reports:overview"), admin_user),
        (reverse("reports:center", args=[network.glt.pk]), network.manager),
    ):
        response = _get(client, user, url)
        assert _shown_time(response) == (earlier.hour, earlier.minute), url
        assert figures_as_of_text(earlier) in response.content.decode()


def test_pages_computed_now_say_so(client, network, admin_user):
    """Without stored figures (SQLite always; PostgreSQL before the first refresh, or with a
    filter) the figures are as of the request."""
    before = timezone.localtime()
    for params in ({}, {"gender": "female"}):
        response = _get(client, admin_user, reverse("reports:overview"), **params)
        shown = _shown_time(response)
        after = timezone.localtime()
        assert shown in {(before.hour, before.minute), (after.hour, after.minute)}


def test_sqlite_computes_and_stores_nothing(network):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite only: the embedded default counts at request time")
    assert figure_snapshots_refresh() == 0
    assert not FigureSnapshot.objects.exists()


def test_the_beat_refreshes_the_stored_figures():
    entry = settings.CELERY_BEAT_SCHEDULE["reports-figures-refresh"]
    assert entry["task"] == tasks.figure_snapshots_refresh_task.name
    assert entry["schedule"] == settings.REPORTS_FIGURES_REFRESH_SECONDS


def test_figures_as_of_names_the_day_when_not_today():
    today = timezone.localtime().replace(hour=8, minute=15)
    assert figures_as_of_text(today) == "Figures as of 08:15"
    yesterday = figures_as_of_text(today - datetime.timedelta(days=1))
    assert yesterday.startswith("Figures as of ") and yesterday.endswith(" 08:15")
    assert yesterday != "Figures as of 08:15"
