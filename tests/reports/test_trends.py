"""Weekly trends (issue 16): the weekly numbers of a hand-built network, who may see which
trend, the folded table against its chart, and a query count that does not grow with the
weeks or the centers."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certificates.models import Certificate
from courses.models import LessonProgress
from lms import roles
from reports.filters import ReportFilters
from reports.trends import trend_of, trend_weeks, weekly_figures_by
from tests.factories import CenterFactory, UserFactory

from .test_views import page_tables

pytestmark = pytest.mark.django_db

KARACHI = ZoneInfo("Asia/Karachi")
# Four weeks around the network's two attendance sessions (Mondays 7 and 14 September).
PERIOD = {"date_from": "2026-08-31", "date_to": "2026-09-27"}
FILTERS = ReportFilters(date_from=datetime.date(2026, 8, 31), date_to=datetime.date(2026, 9, 27))
WEEKS = [datetime.date(2026, 8, 31) + datetime.timedelta(weeks=n) for n in range(4)]


def at(day: int, hour: int = 12, month: int = 9) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=KARACHI)


@pytest.fixture
def dated(network):
    """Lesson completions, visits and certificates moved to known days:

    ====  =================================  ===============================  ===========
    who   completed (lessons)                last seen                        certificate
    ====  =================================  ===============================  ===========
    g1    Wed 9 Sep (2)                      one lesson 9 Sep, one 16 Sep     Thu 10 Sep
    g2    Wed 16 Sep (2)                     16 Sep
    g3    Wed 9 Sep (1)                      9 Sep
    e1    Tue 22 Sep (2)                     22 Sep                           Tue 22 Sep
    s1    Wed 9 Sep (2)                      9 Sep                            Tue 8 Sep
    s2    Mon 7 Sep 02:00 Karachi (1)        the same: Sunday 6 Sep in UTC
    ====  =================================  ===============================  ===========
    """
    days = {"g1": at(9), "g2": at(16), "g3": at(9), "e1": at(22), "s1": at(9), "s2": at(7, 2)}
    for key, moment in days.items():
        LessonProgress.objects.filter(enrollment__learner=network.learners[key]).update(
            completed_at=moment, last_seen_at=moment, started_at=moment
        )
    back = LessonProgress.objects.filter(enrollment__learner=network.learners["g1"]).first()
    LessonProgress.objects.filter(pk=back.pk).update(last_seen_at=at(16))
    for key, moment in {"g1": at(10), "e1": at(22), "s1": at(8)}.items():
        Certificate.objects.filter(enrollment__learner=network.learners[key]).update(
            issued_at=moment
        )
    return network


def series(trend, figure):
    return [value for _week, value in trend.series(figure)]


def test_weeks_of_a_period_and_of_a_cohort(network):
    assert trend_weeks(filters=FILTERS) == WEEKS
    network.glt_day.end_date = datetime.date(2026, 9, 20)
    cohort_weeks = trend_weeks(filters=ReportFilters(), cohort=network.glt_day)
    # The cohort starts on Tuesday 1 September: its first week is the one of Monday 31 August.
    assert cohort_weeks == WEEKS[:3]


def test_programme_weekly_numbers(dated):
    n = dated
    trend = trend_of(
        weekly_figures_by(by=None, centers=[n.glt, n.skd], filters=FILTERS, weeks=WEEKS),
        None,
        WEEKS,
    )
    assert [w.week for w in trend.weeks] == WEEKS
    assert series(trend, "lessons") == [0, 6, 2, 2]  # s2's 02:00 on Monday counts in Karachi
    assert series(trend, "active") == [0, 4, 2, 1]  # g1 in both weeks, once in each
    assert series(trend, "certificates") == [0, 2, 0, 1]
    # 7 Sep: g1, g2, g3 (late) of 3 counted (g4 excused); s1 of s1, s2 (s3 not yet joined).
    # 14 Sep: g1 of g1, g2, g3 (left off); s1 and s2 of 2.
    assert series(trend, "attendance") == [None, 80, 60, None]


def test_center_and_cohort_weekly_numbers(dated):
    n = dated
    by_center = weekly_figures_by(by="center", centers=[n.glt, n.skd], filters=FILTERS, weeks=WEEKS)
    assert series(by_center[n.glt.pk], "lessons") == [0, 3, 2, 2]
    assert series(by_center[n.skd.pk], "lessons") == [0, 3, 0, 0]
    assert series(by_center[n.glt.pk], "attendance") == [None, 100, 33, None]
    assert series(by_center[n.skd.pk], "attendance") == [None, 50, 100, None]
    assert series(by_center[n.skd.pk], "certificates") == [0, 1, 0, 0]
    by_cohort = weekly_figures_by(
        by="cohort", centers=[n.glt], cohorts=[n.glt_evening.pk], filters=FILTERS, weeks=WEEKS
    )
    assert list(by_cohort) == [n.glt_evening.pk]
    evening = by_cohort[n.glt_evening.pk]
    assert series(evening, "lessons") == [0, 0, 0, 2]
    assert series(evening, "active") == [0, 0, 0, 1]
    assert series(evening, "attendance") == [None] * 4


def test_weekly_attendance_adds_up_to_the_dashboard_rate(dated):
    """Week by week, the parts of the rate sum to the period's (reports.attendance)."""
    from lms.models import Cohort
    from reports.attendance import attendance_totals

    n = dated
    trend = trend_of(
        weekly_figures_by(by=None, centers=[n.glt, n.skd], filters=FILTERS, weeks=WEEKS),
        None,
        WEEKS,
    )
    total = attendance_totals(cohorts=Cohort.objects.all(), filters=FILTERS, group=None)[None]
    assert total == (
        sum(w.attended for w in trend.weeks),
        sum(w.attendance_counted for w in trend.weeks),
    )


def test_filters_apply_to_trends(dated):
    n = dated
    female = ReportFilters(date_from=FILTERS.date_from, date_to=FILTERS.date_to, gender="female")
    trend = trend_of(
        weekly_figures_by(by=None, centers=[n.glt, n.skd], filters=female, weeks=WEEKS),
        None,
        WEEKS,
    )
    # g1, g3, s1, s2 completed in week 2; e1 in week 4; g2 (male) is gone from week 3.
    assert series(trend, "lessons") == [0, 6, 0, 2]


def test_query_count_does_not_grow_with_weeks_or_centers(dated):
    n = dated

    def queries(*, centers, weeks):
        with CaptureQueriesContext(connection) as captured:
            weekly_figures_by(by="center", centers=centers, filters=FILTERS, weeks=weeks)
        return len(captured)

    few = queries(centers=[n.glt], weeks=WEEKS[:2])
    more_weeks = [WEEKS[0] + datetime.timedelta(weeks=k) for k in range(26)]
    extra = [CenterFactory(code=f"X{k}", name=f"Extra {k}") for k in range(3)]
    assert queries(centers=[n.glt, n.skd, *extra], weeks=more_weeks) == few
    assert few <= 6


# --- Pages --------------------------------------------------------------------------------------


@pytest.fixture
def admin_user(db):
    return UserFactory(username="programme-admin", role=roles.PROGRAMME_ADMIN)


def _get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


CHART = re.compile(r'<svg[^>]*class="report-chart report-trend"[^>]*>.*?</svg>', re.S)


def trend_charts(html):
    """{chart id: (title, [(week label, shown value)], [column heights])} of every trend chart."""
    charts = {}
    for svg in CHART.findall(html):
        chart_id = re.search(r'<title id="(trend-\w+)-title">', svg)[1]
        title = re.search(r'<title id="[\w-]+-title">(.*?)</title>', svg)[1]
        columns = re.findall(r'<rect class="t-bar"[^>]*height="([\d.]+)"><title>(.*?)</title>', svg)
        charts[chart_id] = (
            title,
            [tuple(text.rsplit(": ", 1)) for _h, text in columns],
            [float(h) for h, _t in columns],
        )
    return charts


def test_each_chart_folds_its_own_numbers_beneath_it(client, dated, admin_user):
    response = _get(client, admin_user, reverse("reports:overview"), **PERIOD)
    html = response.content.decode()
    charts = trend_charts(html)
    assert len(charts) == 4
    tables = page_tables(response)
    for chart_id, (title, columns, heights) in charts.items():
        assert (
            'role="img"' in html and f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in html
        )
        assert "31 Aug 2026" in title and "21 Sep 2026" in title
        table = tables[chart_id]
        assert [tuple(row) for row in table[1:]] == columns
        # Inside a <details>, right after its chart.
        assert re.search(
            rf'id="{chart_id}-desc".*?</svg>\s*<details[^>]*>\s*<summary>.*?'
            rf'data-report-table="{chart_id}"',
            html,
            re.S,
        )
        # Column heights follow the values (taller column, larger number).
        values = [float(v.rstrip("%")) if v != "—" else 0 for _w, v in columns]
        assert sorted(range(4), key=lambda i: values[i]) == sorted(
            range(4), key=lambda i: heights[i]
        )
    lessons = next(c for c in charts.values() if c[0].startswith("Lessons completed"))
    assert lessons[1] == [("31 Aug", "0"), ("7 Sep", "6"), ("14 Sep", "2"), ("21 Sep", "2")]
    assert "Weekly figures as of" in html


def test_pages_stay_light(client, dated, admin_user):
    html = _get(client, admin_user, reverse("reports:overview"), **PERIOD).content.decode()
    for svg in CHART.findall(html):
        assert len(svg.encode()) < 4000


def test_center_manager_sees_only_their_centers_trends(client, dated):
    n = dated
    overview = _get(client, n.manager, reverse("reports:overview"), **PERIOD)
    lessons = next(
        c for c in trend_charts(overview.content.decode()).values()
        if c[0].startswith("Lessons completed")
    )  # fmt: skip
    assert [v for _w, v in lessons[1]] == ["0", "3", "2", "2"]  # Gilgit's, not the programme's
    center = _get(client, n.manager, reverse("reports:center", args=[n.glt.pk]), **PERIOD)
    assert center.status_code == 200 and len(trend_charts(center.content.decode())) == 4
    refused = _get(client, n.manager, reverse("reports:center", args=[n.skd.pk]), **PERIOD)
    assert refused.status_code == 404


def test_centers_side_by_side_is_for_programme_admins(client, dated, admin_user):
    n = dated
    url = reverse("reports:overview")
    page = _get(client, admin_user, url, trend="lessons", **PERIOD)
    assert page.status_code == 200
    charts = trend_charts(page.content.decode())
    titles = sorted(title.split(":")[0] for title, _c, _h in charts.values())
    assert titles == ["Gilgit lab", "Skardu lab"]
    by_center = {title.split(":")[0]: [v for _w, v in c] for title, c, _h in charts.values()}
    assert by_center == {"Gilgit lab": ["0", "3", "2", "2"], "Skardu lab": ["0", "3", "0", "0"]}
    overview = _get(client, admin_user, url, **PERIOD).content.decode()
    assert "trend=lessons" in overview
    # Refused: a center manager, a trainer, and a figure that does not exist.
    assert _get(client, n.manager, url, trend="lessons").status_code == 404
    assert "trend=lessons" not in _get(client, n.manager, url).content.decode()
    assert _get(client, n.trainer, url, trend="lessons").status_code == 404
    assert _get(client, admin_user, url, trend="bogus").status_code == 404


def test_trainer_sees_trends_of_their_cohorts_only(client, dated):
    n = dated
    mine = _get(client, n.trainer, reverse("reports:cohort", args=[n.glt_day.pk]), **PERIOD)
    assert mine.status_code == 200
    lessons = next(
        c for c in trend_charts(mine.content.decode()).values()
        if c[0].startswith("Lessons completed")
    )  # fmt: skip
    assert [v for _w, v in lessons[1]] == ["0", "3", "2", "0"]
    for cohort in (n.glt_evening, n.skd_day):
        url = reverse("reports:cohort", args=[cohort.pk])
        assert _get(client, n.trainer, url, **PERIOD).status_code == 404
    assert _get(client, n.trainer, reverse("reports:center", args=[n.glt.pk])).status_code == 404


def test_urdu_page_keeps_weeks_left_to_right(client, dated, admin_user):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "ur"
    profile.save()
    client.force_login(admin_user)
    html = client.get(reverse("reports:overview"), PERIOD).content.decode()
    assert re.search(r'<html[^>]*lang="ur"[^>]*dir="rtl"', html)
    charts = CHART.findall(html)
    assert len(charts) == 4
    for svg in charts:
        assert "direction:ltr" in svg
    # The numbers are the same as in English, whatever the language of the labels.
    values = sorted([v for _w, v in c[1]] for c in trend_charts(html).values())
    assert ["0", "6", "2", "2"] in values


# --- Stored trends (PostgreSQL) -------------------------------------------------------------------


def _overview_lessons(client, user, **params):
    html = _get(client, user, reverse("reports:overview"), **params).content.decode()
    chart = next(c for c in trend_charts(html).values() if c[0].startswith("Lessons completed"))
    return chart[1], html


@pytest.mark.postgres
def test_stored_trends_equal_the_trends_computed_now(network):
    from lms.models import Center
    from reports.trend_snapshots import trend_snapshots_refresh, trend_total, trends_by_center

    centers = list(Center.objects.order_by("pk"))
    weeks = trend_weeks(filters=ReportFilters())
    computed = weekly_figures_by(by="center", centers=centers, filters=ReportFilters(), weeks=weeks)
    counted_total = trend_total(centers=centers, filters=ReportFilters())
    assert counted_total.as_of is None and sum(series(counted_total, "lessons")) == 10
    assert trend_snapshots_refresh() == len(centers) + 1
    stored = trends_by_center(centers=centers, filters=ReportFilters())
    assert [t.weeks for t in stored] == [trend_of(computed, c.pk, weeks).weeks for c in centers]
    assert all(t.as_of is not None for t in stored)
    stored_total = trend_total(centers=centers, filters=ReportFilters())
    assert stored_total.weeks == counted_total.weeks and stored_total.as_of is not None
    one = trend_total(centers=[network.skd], filters=ReportFilters())
    assert one.weeks == stored[centers.index(network.skd)].weeks and one.as_of is not None


@pytest.mark.postgres
def test_unfiltered_overview_reads_stored_trends_until_the_next_hourly_refresh(
    client, network, admin_user
):
    from reports.models import FigureSnapshot
    from reports.summaries import figure_snapshots_refresh
    from reports.trend_snapshots import trend_snapshots_refresh

    trend_snapshots_refresh()
    before, _html = _overview_lessons(client, admin_user)
    from courses import services

    services.lesson_complete(learner=network.learners["g4"], lesson=network.lessons[0])
    # The five-minute refresh of the other figures leaves the trends alone.
    figure_snapshots_refresh()
    assert FigureSnapshot.objects.filter(scope=FigureSnapshot.Scope.TREND_TOTAL).exists()
    stale, html = _overview_lessons(client, admin_user)
    assert stale == before
    computed_at = FigureSnapshot.objects.get(scope="trend_total").computed_at
    from reports.summaries import as_of_time

    assert f"Weekly figures as of {as_of_time(computed_at)}" in html
    # A filtered view is computed now.
    today = datetime.date.today().isoformat()
    filtered, _html = _overview_lessons(client, admin_user, date_from=today, date_to=today)
    assert filtered[-1][1] != "0"
    trend_snapshots_refresh()
    fresh, _html = _overview_lessons(client, admin_user)
    assert int(fresh[-1][1]) == int(before[-1][1]) + 1


def test_the_beat_refreshes_the_stored_trends_hourly():
    from celery.schedules import crontab
    from django.conf import settings

    from reports import tasks

    entry = settings.CELERY_BEAT_SCHEDULE["reports-trends-refresh"]
    assert entry["task"] == tasks.trend_snapshots_refresh_task.name
    assert entry["schedule"] == crontab(minute=0)


def test_sqlite_computes_trends_and_stores_none(network):
    from reports.models import FigureSnapshot
    from reports.trend_snapshots import trend_snapshots_refresh

    if connection.vendor == "postgresql":
        pytest.skip("SQLite only: the embedded default computes at request time")
    assert trend_snapshots_refresh() == 0
    assert not FigureSnapshot.objects.exists()
