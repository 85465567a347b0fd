"""A center manager imports a class roster (a file with one broken row is reported and imports
nobody; the corrected file imports everyone), then issues the cohort's certificates."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model

from certificates.models import Certificate
from courses import services
from courses.models import Enrollment, RosterImport
from courses.roster import TEMPLATE_HEADERS
from tests.factories import CenterFactory, CohortFactory, manager_of

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

User = get_user_model()
COHORT = "Class 7 morning"
ROWS = [
    ("Amina Bibi", "آمنہ بی بی", "Karim Khan", "amina.bibi", "student", "female", "2012", COHORT),
    ("Bilal Ahmed", "", "", "bilal.ahmed", "student", "male", "2012", COHORT),
    ("Sana Karim", "", "", "sana.karim", "student", "female", "2013", COHORT),
]
BROKEN_ROW = ("Sana Karim", "", "", "sana.karim", "teacher", "female", "2013", COHORT)


def roster_csv(rows) -> dict:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(TEMPLATE_HEADERS)
    writer.writerows(rows)
    return {"name": "class7.csv", "mimeType": "text/csv", "buffer": buffer.getvalue().encode()}


@pytest.fixture
def center(make_course, signing_key):
    _track, course, lessons = make_course(lessons=2, blocks=2)
    center = CenterFactory(code="GLT", name="Gilgit School IT Center", district="Gilgit")
    cohort = CohortFactory(center=center, name=COHORT, curriculum=course)
    manager_of(center, "manager.glt")
    return cohort, course, lessons


def upload(page, rows):
    page.goto("/admin/roster/")
    page.set_input_files("input[name=file]", files=[roster_csv(rows)])
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_load_state()


def test_manager_imports_a_roster_and_issues_the_cohorts_certificates(web, center):
    cohort, course, lessons = center

    def broken_file(page):
        sign_in(page, "manager.glt", next_url="/admin/")
        upload(page, [*ROWS[:2], BROKEN_ROW])
        problems = page.locator(".roster-problems").inner_text()
        confirm = page.get_by_role("button", name="Confirm and import").count()
        return problems, confirm

    problems, confirm_buttons = web.do(broken_file)
    assert "The file has 1 problem. Nothing has been imported." in problems
    assert "Row 4: Learner type “teacher” is not one of: student, youth." in problems
    assert confirm_buttons == 0
    assert not User.objects.filter(username__in=[row[3] for row in ROWS]).exists()

    def clean_file(page):
        upload(page, ROWS)
        page.get_by_role("button", name="Confirm and import").click()
        page.wait_for_load_state()
        sheet = page.locator("table.roster-sheet tbody tr")
        return {
            row.locator(".roster-username").inner_text(): row.locator(
                ".roster-password"
            ).inner_text()
            for row in sheet.all()
        }

    passwords = web.do(clean_file)
    assert sorted(passwords) == sorted(row[3] for row in ROWS)
    assert RosterImport.objects.filter(status=RosterImport.Status.COMMITTED).count() == 1
    enrolled = Enrollment.objects.filter(cohort=cohort, course=course)
    assert sorted(enrolled.values_list("learner__username", flat=True)) == sorted(passwords)

    # The learners study: Amina and Bilal finish the course, Sana has not yet.
    for username in ("amina.bibi", "bilal.ahmed"):
        for lesson in lessons:
            services.lesson_complete(learner=User.objects.get(username=username), lesson=lesson)

    def first_sign_in(page):  # the password sheet works, and asks for a new password
        sign_in(page, "amina.bibi", passwords["amina.bibi"])
        return page.url

    assert "/accounts/password/change/" in web.new().do(first_sign_in)

    def issue(page):
        page.goto("/admin/certificates/")
        row = page.locator("table.listing tbody tr", has_text=COHORT)
        row.get_by_role("button", name="Issue certificates for this cohort").click()
        page.wait_for_selector("text=Download all PDFs (ZIP)")
        counts = page.locator(".batch-counts").inner_text()
        not_issued = page.locator("table", has_text="Reasons").inner_text()
        with page.expect_download() as download:
            page.get_by_role("link", name="Download all PDFs (ZIP)").click()
        return counts, not_issued, download.value.suggested_filename

    counts, not_issued, zip_name = web.do(issue)
    assert " ".join(counts.split()) == "2 of 3 issued, 1 not issued"
    assert "Sana Karim" in not_issued and "Amina Bibi" not in not_issued
    assert zip_name.endswith(".zip")
    issued = Certificate.objects.filter(status=Certificate.Status.ISSUED)
    assert sorted(issued.values_list("enrollment__learner__username", flat=True)) == [
        "amina.bibi",
        "bilal.ahmed",
    ]
    assert all(certificate.pdf for certificate in issued)
