"""A programme admin reads the weekly trends in Chromium, in English and then in Urdu: four charts
on the overview, each with its table folded beneath it, the centers side by side, no serious or
critical axe violation, and weeks that still run left to right on the right-to-left page."""

import pytest
from wagtail.users.models import UserProfile

from lms import roles
from tests.factories import UserFactory
from tests.reports.conftest import network  # noqa: F401  (the hand-counted network)
from tests.reports.test_trends import dated  # noqa: F401  (its lessons on known days)

from .conftest import screenshot, sign_in
from .test_accessibility import _blocking
from .test_admin_csp import LISTEN

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

PERIOD = "?date_from=2026-08-31&date_to=2026-09-27"


@pytest.fixture
def admin(dated):  # noqa: F811
    return UserFactory(username="programme.admin", role=roles.PROGRAMME_ADMIN)


def read_trends(page):
    """Per trend chart: its title, the tooltips of its columns, and its folded table's cells
    (read after opening the fold, as a person would)."""
    charts = []
    for figure in page.locator("figure.report-trend-figure").all():
        svg = figure.locator("svg.report-trend")
        tips = [t.text_content() for t in svg.locator("rect title").all()]
        figure.locator("details summary").click()
        rows = figure.locator("details table tbody tr").all()
        cells = [
            f"{r.locator('th').inner_text().strip()}: {r.locator('td').inner_text().strip()}"
            for r in rows
        ]
        charts.append(
            {
                "role": svg.get_attribute("role"),
                "title": svg.locator("title").first.text_content(),
                "tips": tips,
                "table": cells,
                "direction": svg.evaluate(
                    "e => getComputedStyle(e.querySelector('text')).direction"
                ),
            }
        )
    return charts


def test_admin_reads_weekly_trends_in_english_and_urdu(web, admin):
    from axe_playwright_python.sync_playwright import Axe

    def english(page):
        page.context.add_init_script(LISTEN)  # every Content-Security-Policy violation, kept
        sign_in(page, "programme.admin", next_url="/admin/")
        page.goto("/admin/dashboards/" + PERIOD)
        charts = read_trends(page)
        violations = _blocking(Axe().run(page)) + page.evaluate("window.__cspViolations")
        page.get_by_role("link", name="Lessons completed").click()
        page.wait_for_load_state()
        side_by_side = read_trends(page)
        violations += _blocking(Axe().run(page)) + page.evaluate("window.__cspViolations")
        screenshot(page, "trends-side-by-side-en")
        return charts, side_by_side, violations

    charts, side_by_side, violations = web.do(english)
    assert violations == []
    assert len(charts) == 4
    for chart in charts:
        assert chart["role"] == "img"
        assert chart["tips"] == chart["table"] and len(chart["table"]) == 4
    lessons = next(c for c in charts if c["title"].startswith("Lessons completed"))
    assert [t.rsplit(": ", 1)[1] for t in lessons["tips"]] == ["0", "6", "2", "2"]
    assert sorted(c["title"].split(":")[0] for c in side_by_side) == ["Gilgit lab", "Skardu lab"]

    profile = UserProfile.get_for_user(admin)
    profile.preferred_language = "ur"
    profile.save()

    def urdu(page):
        page.goto("/admin/dashboards/" + PERIOD)
        direction = page.evaluate("getComputedStyle(document.body).direction")
        charts = read_trends(page)
        violations = _blocking(Axe().run(page)) + page.evaluate("window.__cspViolations")
        screenshot(page, "trends-overview-ur")
        return direction, charts, violations

    direction, charts, violations = web.do(urdu)
    assert direction == "rtl"
    assert violations == []
    assert len(charts) == 4
    for chart in charts:
        assert chart["direction"] == "ltr"  # weeks run left to right, numbers read as numbers
        assert chart["tips"] == chart["table"]
    values = sorted(tuple(t.rsplit(": ", 1)[1] for t in c["tips"]) for c in charts)
    assert ("0", "6", "2", "2") in values
