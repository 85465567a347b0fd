"""Dashboards in the admin: scoped by lms.permissions, charts with their tables, and exports
that hold exactly the figures the page shows for the same filters."""

import csv
import io
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lms import roles
from lms.models import LearnerProfile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class TableParser(HTMLParser):
    """The text of every cell of the tables marked ``data-report-table``, by table name."""

    def __init__(self):
        super().__init__()
        self.tables, self.current, self.row, self.cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-report-table" in attrs:
            self.current = self.tables.setdefault(attrs["data-report-table"], [])
        elif self.current is not None and tag == "tr":
            self.row = []
        elif self.row is not None and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.current = None
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.current.append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def page_tables(response) -> dict:
    parser = TableParser()
    parser.feed(response.content.decode())
    return parser.tables


def body_rows(table):
    """Rows after the header, without the total row and "nothing to show" rows."""
    return [row for row in table[1:] if len(row) == len(table[0])]


def as_page_text(value: str, header: str) -> str:
    """An export cell written the way the page prints it (percent sign, dash for nothing)."""
    if value in ("", None):
        return "—"
    if header.endswith("(%)"):
        return f"{value}%"
    return str(value)


def csv_table(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    return lines  # the header row first: what the table is goes in the file name


def xlsx_table(response) -> list[list]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    lines = [list(row) for row in workbook.active.iter_rows(values_only=True)]
    start = next(i for i, line in enumerate(lines) if not any(v is not None for v in line)) + 1
    return [["" if v is None else v for v in line] for line in lines[start:]]


def as_page(table, skip=()) -> list[list[str]]:
    header = table[0]
    return [
        [as_page_text(v, header[i]) for i, v in enumerate(row) if i not in skip]
        for row in table[1:]
    ]


@pytest.fixture
def admin_user(db):
    return UserFactory(username="programme-admin", role=roles.PROGRAMME_ADMIN)


def _get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


# --- Scope --------------------------------------------------------------------------------------


def test_programme_admin_sees_every_center(client, network, admin_user):
    response = _get(client, admin_user, reverse("reports:overview"))
    assert response.status_code == 200
    names = [row[0] for row in body_rows(page_tables(response)["centers"])]
    assert names == ["Gilgit lab", "Skardu lab"]
    assert '<h1 class="w-h1">Programme overview</h1>' in response.content.decode()


def test_manager_sees_only_their_center(client, network):
    response = _get(client, network.manager, reverse("reports:overview"))
    names = [row[0] for row in body_rows(page_tables(response)["centers"])]
    assert names == ["Gilgit lab"]
    assert "Skardu" not in response.content.decode()
    # Titled with their center, not "Programme overview" (issue 16).
    assert '<h1 class="w-h1">Overview: Gilgit lab</h1>' in response.content.decode()


@pytest.mark.parametrize(
    "name", ["reports:center", "reports:center_export", "reports:center_learners_export"]
)
def test_manager_of_another_center_gets_404(client, network, name):
    args = [network.skd.pk] + (["csv"] if "export" in name else [])
    assert _get(client, network.manager, reverse(name, args=args)).status_code == 404
    assert _get(client, network.other_manager, reverse(name, args=args)).status_code == 200


def test_cohort_pages_follow_cohort_scope(client, network):
    day, evening = network.glt_day, network.glt_evening
    page = _get(client, network.trainer, reverse("reports:cohort", args=[day.pk]))
    assert page.status_code == 200
    overview_link = f'href="{reverse("reports:overview")}"'
    assert overview_link not in page.content.decode()  # a trainer has no overview
    managers_page = _get(client, network.manager, reverse("reports:cohort", args=[day.pk]))
    assert overview_link in managers_page.content.decode()
    for cohort in (evening, network.skd_day):  # not taught by this trainer
        assert (
            _get(client, network.trainer, reverse("reports:cohort", args=[cohort.pk])).status_code
            == 404
        )  # noqa: E501
    assert (
        _get(client, network.other_manager, reverse("reports:cohort", args=[day.pk])).status_code
        == 404
    )  # noqa: E501
    # A trainer has no center dashboard (it includes cohorts they do not teach).
    assert (
        _get(client, network.trainer, reverse("reports:center", args=[network.glt.pk])).status_code
        == 404
    )  # noqa: E501


def test_learners_and_anonymous_visitors_are_kept_out(client, network):
    url = reverse("reports:overview")
    assert client.get(url).status_code == 302
    assert _get(client, network.learners["g1"], url).status_code in (302, 403)


def test_menu_shows_reports_to_managers_only(client, network):
    # Quoted: the trainer's "My cohorts" links are under the same path (/admin/dashboards/...).
    menu = '"' + reverse("reports:overview") + '"'
    client.force_login(network.manager)
    assert menu in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(network.trainer)
    assert menu not in client.get(reverse("wagtailadmin_home")).content.decode()


# --- Charts -------------------------------------------------------------------------------------


def test_charts_are_accessible_svg_with_the_same_numbers_in_a_table(client, network, admin_user):
    html = _get(client, admin_user, reverse("reports:overview")).content.decode()
    svgs = re.findall(r'<svg[^>]*class="report-chart"[^>]*>.*?</svg>', html, re.S)
    assert len(svgs) == 2
    for svg in svgs:
        chart_id = re.search(r'aria-labelledby="(chart-\w+)-title \1-desc"', svg)[1]
        assert 'role="img"' in svg
        assert f'<title id="{chart_id}-title">' in svg and f'<desc id="{chart_id}-desc">' in svg
    assert "<script" not in html.split('class="nice-padding"', 1)[1].split("</main>")[0]
    completion = re.search(r"Completion rate per center</title>.*?</svg>", html, re.S)[0]
    assert re.search(r">Gilgit lab<.*?>50%<", completion, re.S)
    assert re.search(r">Skardu lab<.*?>33%<", completion, re.S)
    assert re.search(r"<th scope=\"row\">Gilgit lab</th><td>50%</td>", html)


# --- Exports equal the page -----------------------------------------------------------------------

FILTER_SETS = [{}, {"gender": "female"}, {"shift": "school_hours", "learner_type": "student"}]


@pytest.mark.parametrize("params", FILTER_SETS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_overview_export_equals_the_page(client, network, admin_user, params, fmt):
    page = page_tables(_get(client, admin_user, reverse("reports:overview"), **params))
    export = _get(client, admin_user, reverse("reports:overview_export", args=[fmt]), **params)
    table = csv_table(export) if fmt == "csv" else xlsx_table(export)
    assert [h.removesuffix(" (%)") for h in table[0]] == page["centers"][0]
    assert as_page(table) == body_rows(page["centers"])


@pytest.mark.parametrize("params", FILTER_SETS)
def test_center_export_equals_the_page(client, network, params):
    url = reverse("reports:center", args=[network.glt.pk])
    page = page_tables(_get(client, network.manager, url, **params))
    for fmt in ("csv", "xlsx"):
        export = _get(
            client, network.manager, reverse("reports:center_export", args=[network.glt.pk, fmt]),
            **params,
        )  # fmt: skip
        table = csv_table(export) if fmt == "csv" else xlsx_table(export)
        assert as_page(table) == body_rows(page["cohorts"]), fmt


def test_learner_export_equals_the_cohort_page(client, network):
    page = page_tables(
        _get(client, network.manager, reverse("reports:cohort", args=[network.glt_day.pk]))
    )
    learners = body_rows(page["learners"])
    assert [row[0] for row in learners] == [f"Learner {k}" for k in ("g1", "g2", "g3", "g4")]
    export = _get(
        client, network.manager, reverse("reports:cohort_export", args=[network.glt_day.pk, "csv"])
    )
    table = csv_table(export)
    dates = [i for i, h in enumerate(table[0]) if h in ("Enrolled", "Last seen", "Completed")]
    strip = lambda rows: [[v for i, v in enumerate(r) if i not in dates] for r in rows]  # noqa: E731
    assert as_page(table, skip=dates) == strip(learners)
    # The center's learner export holds the cohort's rows too, and the other cohort's.
    center_export = csv_table(
        _get(
            client, network.manager,
            reverse("reports:center_learners_export", args=[network.glt.pk, "csv"]),
        )
    )  # fmt: skip
    assert len(center_export) - 1 == 6
    assert all(row[2] == "Gilgit lab" for row in center_export[1:])


def test_exports_neutralize_formulas(client, network, admin_user):
    LearnerProfile.objects.filter(user=network.learners["g1"]).update(
        full_name='=HYPERLINK("http://evil.example","x")'
    )
    LearnerProfile.objects.filter(user=network.learners["g2"]).update(full_name="+92 300 1234567")
    LearnerProfile.objects.filter(user=network.learners["g3"]).update(full_name="@SUM(A1)")
    url = reverse("reports:cohort_export", args=[network.glt_day.pk, "csv"])
    names = [row[0] for row in csv_table(_get(client, network.manager, url))[1:]]
    assert '\'=HYPERLINK("http://evil.example","x")' in names
    assert "'+92 300 1234567" in names and "'@SUM(A1)" in names
    assert not any(name.startswith(("=", "+", "-", "@")) for name in names)
    xlsx = xlsx_table(_get(client, network.manager, url.replace(".csv", ".xlsx")))
    assert not any(str(row[0]).startswith(("=", "+", "-", "@")) for row in xlsx[1:])


def test_exports_stream(client, network, admin_user):
    response = _get(
        client, admin_user, reverse("reports:center_learners_export", args=[network.glt.pk, "csv"])
    )  # noqa: E501
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="glt-learners-' in response["Content-Disposition"]


def test_invalid_filters_show_errors_and_all_figures(client, network, admin_user):
    response = _get(
        client, admin_user, reverse("reports:overview"), date_from="2026-10-01",
        date_to="2026-09-01",
    )  # fmt: skip
    assert response.status_code == 200
    assert "The first day comes after the last day." in response.content.decode()


def test_a_csv_starts_with_its_header_and_its_name_says_what_it_is(client, network, admin_user):
    url = reverse("reports:center_learners_export", args=[network.glt.pk, "csv"])
    response = _get(client, admin_user, url)
    first = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[0]
    assert first.startswith("Learner,Username,Center,Cohort")
    assert 'filename="glt-learners-' in response["Content-Disposition"]


def test_a_managers_overview_export_is_named_after_their_center(client, network, admin_user):
    url = reverse("reports:overview_export", args=["csv"])
    response = _get(client, network.manager, url)
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Center,")  # the header row first, no title line
    assert 'filename="glt-overview-' in response["Content-Disposition"]
    assert not any("SKD" in line or "Skardu" in line for line in lines)
    response = _get(client, admin_user, url)
    assert 'filename="centers-' in response["Content-Disposition"]


@pytest.mark.parametrize("name", ["reports:overview", "reports:center", "reports:cohort"])
def test_wide_tables_keep_their_first_column_in_view(client, network, name):
    """Every report table scrolls inside its region, whose first column is sticky."""
    args = {"reports:center": [network.glt.pk], "reports:cohort": [network.glt_day.pk]}
    page = _get(client, network.manager, reverse(name, args=args.get(name, []))).text
    tables = re.findall(r'<table class="[^"]*report-table[^"]*"', page)
    assert tables
    assert len(re.findall(r'<div class="report-table-scroll"[^>]*><table', page)) == len(tables)
    sticky = re.search(r"\.report-table-scroll \.report-table td:first-child \{([^}]*)\}", page)
    assert sticky and "position: sticky" in sticky.group(1)
