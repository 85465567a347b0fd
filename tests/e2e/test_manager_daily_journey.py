"""A center manager's day in the admin (issue 16), in English and with the admin in Urdu (right
to left), axe on every page: the to-do panel lists the learners eligible for a certificate; the
overview is titled with their center; they announce to the whole center; a roster file's
summary is shown before it is imported.

The roster's problems and the certificates issued are in test_center_manager_journey.py.
"""

import pytest
from wagtail.users.models import UserProfile

from courses import services
from courses.models import Announcement, Enrollment
from lms.models import CohortMembership
from tests.factories import CenterFactory, CohortFactory, LearnerProfileFactory, manager_of

from .conftest import Journey, sign_in
from .test_center_manager_journey import COHORT, ROWS, roster_csv

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
]

CENTER = "Gilgit School IT Center"


@pytest.fixture
def center(make_course, request):
    """A center whose cohort has one learner who finished the course (eligible)."""
    _track, course, lessons = make_course(lessons=1, blocks=1)
    center = CenterFactory(code="GLT", name=CENTER, district="Gilgit")
    CenterFactory(code="SKD", name="Skardu Tech Hub")  # not theirs
    cohort = CohortFactory(center=center, name=COHORT, curriculum=course)
    profile = LearnerProfileFactory(home_center=center, full_name="Amina Khan")
    CohortMembership.objects.create(cohort=cohort, learner=profile.user)
    services.enrollment_create(learner=profile.user, course=course, cohort=cohort)
    services.lesson_complete(learner=profile.user, lesson=lessons[0])
    manager = manager_of(center, "manager.glt")
    UserProfile.get_for_user(manager)  # the admin's language is the staff member's own choice
    UserProfile.objects.filter(user=manager).update(preferred_language=request.param)
    return {"language": request.param, "center": center, "cohort": cohort, "course": course}


@pytest.mark.parametrize("center", ["en", "ur"], indirect=True)
def test_a_managers_day(web, center):
    journey = Journey(center["language"])

    def home_and_overview(page):
        sign_in(page, "manager.glt")  # the public form: staff land in the admin
        journey.visit(page, "admin home")
        eligible = page.locator("[data-todo-item=eligible]").inner_text()
        page.goto("/admin/dashboards/")
        journey.visit(page, "overview")
        return page.url, eligible, page.locator("main h1").first.inner_text()

    url, eligible, title = web.do(home_and_overview)
    assert url.endswith("/admin/dashboards/")
    assert COHORT in eligible and CENTER in eligible and eligible.rstrip().endswith("1")
    assert CENTER in title and "Skardu" not in title

    def announce(page):
        page.goto("/admin/programme/announcements/new/")
        journey.visit(page, "announcement form")
        choices = page.locator("select[name=center] option").all_inner_texts()
        page.select_option("select[name=center]", str(center["center"].pk))
        page.fill("[name=title_en]", "Centre closed on Friday")
        page.fill("[name=body_en]", "All classes move to Saturday.")
        page.fill("[name=title_ur]", "جمعہ کو مرکز بند")
        page.fill("[name=body_ur]", "تمام کلاسیں ہفتے کو ہوں گی۔")
        page.locator("main form[method=post i] button[type=submit]").first.click()
        page.wait_for_load_state()
        journey.visit(page, "announcements")
        return choices, page.url

    choices, url = web.do(announce)
    assert [c for c in choices if c.strip("- ")] == [f"{CENTER} (GLT)"]  # only their own
    assert url.endswith("/admin/programme/announcements/")
    sent = Announcement.objects.get()
    assert (sent.center, sent.cohort, sent.title_ur) == (center["center"], None, "جمعہ کو مرکز بند")

    def roster(page):
        page.goto("/admin/roster/")
        journey.visit(page, "roster upload")
        page.set_input_files("input[name=file]", files=[roster_csv(ROWS)])
        page.locator("main form[method=post i] button[type=submit]").first.click()
        page.wait_for_load_state()
        journey.visit(page, "roster preview")
        preview = page.locator("main").inner_text()
        page.locator("form[action$='/confirm/'] button[type=submit]").click()
        page.wait_for_load_state()
        journey.visit(page, "roster passwords")
        sheet_rows = page.locator("table.roster-sheet tbody tr").count()
        page.locator("main a.button[href*='/roster/']:not([href$='.csv'])").first.click()  # Done
        page.wait_for_load_state()
        journey.visit(page, "roster summary")
        return preview, sheet_rows, page.locator("main .help-info").first.inner_text()

    preview, sheet_rows, summary = web.do(roster)
    for full_name, *_rest in ROWS:
        assert full_name in preview
    assert sheet_rows == len(ROWS)
    if center["language"] == "en":
        assert "New learners: 3. Already imported: 0. Course enrolments: 3." in summary
    else:  # the same figures, in the Urdu sentence
        assert "3" in summary and "0" in summary
    imported = Enrollment.objects.filter(cohort=center["cohort"]).exclude(
        learner__learner_profile__full_name="Amina Khan"
    )
    assert imported.count() == len(ROWS)
    journey.check()
