"""The figures, counted by hand on the network of conftest.py, and their query budget."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import Attempt
from lms.attendance import cohort_attendance_rates
from lms.models import Center, Cohort
from reports.filters import ReportFilters
from reports.selectors import center_table, cohort_table, learner_rows
from tests.factories import CenterFactory

pytestmark = pytest.mark.django_db


def _by_label(rows):
    return {row.label: row for row in rows}


def test_the_quiz_attempts_are_graded(network):
    assert Attempt.objects.filter(status="graded").count() == 6
    assert Attempt.objects.filter(passed=True).count() == 4


def test_center_figures_match_the_hand_count(network):
    rows, total = center_table(centers=Center.objects.all(), filters=ReportFilters())
    glt, skd = _by_label(rows)["Gilgit lab"], _by_label(rows)["Skardu lab"]
    assert (glt.learners, glt.active_week, glt.lessons_completed) == (6, 4, 7)
    assert (glt.completed, glt.enrollments, glt.completion_rate) == (3, 6, 50)
    assert (glt.passed, glt.graded, glt.pass_rate) == (3, 5, 60)
    assert (glt.certificates_issued, glt.certificates_verified) == (2, 1)
    assert (glt.attended, glt.attendance_counted, glt.attendance_rate) == (4, 6, 67)
    assert (skd.learners, skd.active_week, skd.lessons_completed) == (3, 2, 3)
    assert (skd.completion_rate, skd.pass_rate, skd.attendance_rate) == (33, 100, 75)
    assert (skd.certificates_issued, skd.certificates_verified) == (1, 0)
    assert (total.learners, total.completion_rate, total.pass_rate) == (9, 44, 67)
    assert (total.attendance_rate, total.certificates_issued) == (70, 3)


def test_cohort_figures_match_the_hand_count(network):
    rows, total = cohort_table(
        center=network.glt, cohorts=Cohort.objects.all(), filters=ReportFilters()
    )
    day, evening = _by_label(rows)["GLT day"], _by_label(rows)["GLT evening"]
    assert (day.learners, day.completion_rate, day.pass_rate, day.attendance_rate) == (
        4, 50, 67, 67,
    )  # fmt: skip
    assert (evening.learners, evening.completion_rate, evening.pass_rate) == (2, 50, 50)
    assert evening.attendance_rate is None  # no session was taken
    assert total.learners == 6 and total.lessons_completed == 7


def test_attendance_rate_is_the_one_lms_attendance_computes(network):
    """The database sums of reports.attendance agree with lms.attendance, cohort by cohort."""
    cohorts = Cohort.objects.all()
    expected = cohort_attendance_rates(cohorts=cohorts)
    for center in (network.glt, network.skd):
        rows, _total = cohort_table(center=center, cohorts=cohorts, filters=ReportFilters())
        for row in rows:
            rate = expected.get(row.key)
            assert row.attendance_rate == (None if rate is None else round(rate * 100)), row


def test_sum_of_learner_rows_equals_the_cohort_row(network):
    filters = ReportFilters()
    rows, _ = cohort_table(center=network.glt, cohorts=Cohort.objects.all(), filters=filters)
    for row in rows:
        learners = list(learner_rows(centers=[network.glt], cohorts=[row.key], filters=filters))
        assert len(learners) == row.enrollments
        assert sum(r.lessons_completed for r in learners) == row.lessons_completed
        assert sum(r.attended for r in learners) == row.attended
        assert sum(r.attendance_counted for r in learners) == row.attendance_counted
        assert sum(1 for r in learners if r.passed) == row.passed
        assert sum(1 for r in learners if r.certificate) == row.certificates_issued


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (dict(gender="female"), {"Gilgit lab": (3, 67), "Skardu lab": (2, 50)}),
        (dict(learner_type="youth"), {"Gilgit lab": (3, 33), "Skardu lab": (0, None)}),
        (dict(shift="second_shift"), {"Gilgit lab": (2, 50), "Skardu lab": (0, None)}),
        (dict(district="Skardu"), {"Skardu lab": (3, 33)}),
        (dict(age_band="unknown"), {"Gilgit lab": (1, 0), "Skardu lab": (0, None)}),
    ],
)
def test_filters_narrow_every_center(network, filters, expected):
    rows, _ = center_table(centers=Center.objects.all(), filters=ReportFilters(**filters))
    got = {row.label: (row.learners, row.completion_rate) for row in rows}
    assert got == expected


def test_age_bands_count_from_the_year_of_the_last_day(network):
    year = timezone.localdate().year
    filters = ReportFilters(age_band="under_15")
    rows, total = center_table(centers=Center.objects.all(), filters=filters)
    births = {"g1": 2010, "g2": 2011, "g3": 2000, "e1": 2004, "e2": 2005, "s1": 2010,
              "s2": 2012, "s3": 2009}  # fmt: skip
    assert total.learners == sum(1 for born in births.values() if year - born <= 14)


def test_track_filter(network, home):
    track = network.course.get_parent()
    rows, total = center_table(
        centers=Center.objects.all(),
        filters=ReportFilters(track_id=track.pk, track_path=track.path),
    )
    assert total.learners == 9
    rows, total = center_table(
        centers=Center.objects.all(), filters=ReportFilters(track_id=1, track_path="9999")
    )
    assert total.learners == 0 and total.attendance_counted == 0


def test_period_counts_attendance_of_its_days_only(network):
    day = datetime.date(2026, 9, 7)
    rows, _ = center_table(
        centers=Center.objects.all(), filters=ReportFilters(date_from=day, date_to=day)
    )
    glt, skd = _by_label(rows)["Gilgit lab"], _by_label(rows)["Skardu lab"]
    assert (glt.attended, glt.attendance_counted) == (3, 3)
    assert (skd.attended, skd.attendance_counted) == (1, 2)
    # Nobody had enrolled by then, and nothing was completed or issued that day.
    assert glt.learners == 0 and glt.lessons_completed == 0 and glt.certificates_issued == 0


def test_the_overview_costs_the_same_queries_for_more_centers(network):
    filters = ReportFilters()
    with CaptureQueriesContext(connection) as few:
        center_table(centers=Center.objects.all(), filters=filters)
    for number in range(15):
        CenterFactory(code=f"X{number:02d}")
    with CaptureQueriesContext(connection) as many:
        rows, _ = center_table(centers=Center.objects.all(), filters=filters)
    assert len(rows) == 17
    assert len(many) == len(few) <= 16


def test_learner_rows_cost_a_constant_number_of_queries_per_chunk(network):
    filters = ReportFilters()
    with CaptureQueriesContext(connection) as queries:
        rows = list(learner_rows(centers=Center.objects.all(), filters=filters, chunk_size=4))
    assert len(rows) == 9
    # One query for the enrollments (read through a cursor), and per chunk of 4 four more:
    # attendance marks, members by joining day, taken sessions, attempts.
    assert len(queries) == 1 + 4 * 3
    with CaptureQueriesContext(connection) as queries:
        rows = list(learner_rows(centers=Center.objects.all(), filters=filters, chunk_size=100))
    assert len(rows) == 9 and len(queries) == 1 + 4
