"""axe-core in Chromium on the pages learners and employers use, in English and in Urdu: no
serious or critical violation."""

import pytest

from assessments.models import AssessmentPage, AssessmentQuestion
from certificates.services import certificate_issue, certificate_revoke
from courses import services
from lms.models import CohortMembership
from tests.assessments.conftest import question_bank  # noqa: F401  (a fixture)
from tests.curriculum import publish
from tests.factories import CenterFactory, CohortFactory, LearnerProfileFactory, manager_of

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

BLOCKING = ("serious", "critical")


@pytest.fixture
def site(urdu_lesson, signing_key):
    """A learner enrolled in the course (one lesson done), a certificate and a revoked one."""
    course, lessons, urdu = urdu_lesson
    center = CenterFactory(code="GLT", name="Gilgit School IT Center")
    cohort = CohortFactory(center=center, curriculum=course)
    profile = LearnerProfileFactory(home_center=center, full_name="Amina Khan")
    CohortMembership.objects.create(cohort=cohort, learner=profile.user)
    services.enrollment_create(learner=profile.user, course=course, cohort=cohort)
    services.lesson_complete(learner=profile.user, lesson=lessons[0])
    certificates = []
    for name in ("Bilal Ahmed", "Sana Karim"):
        graduate = LearnerProfileFactory(home_center=center, full_name=name)
        CohortMembership.objects.create(cohort=cohort, learner=graduate.user)
        enrollment = services.enrollment_create(learner=graduate.user, course=course, cohort=cohort)
        for lesson in lessons:
            services.lesson_complete(learner=graduate.user, lesson=lesson)
        enrollment.refresh_from_db()
        certificates.append(certificate_issue(enrollment=enrollment))
    certificate_revoke(certificate=certificates[1], by=manager_of(center), reason="In error")
    return {
        "en": {"lesson": lessons[0].url, "prefix": ""},
        "ur": {"lesson": urdu.url, "prefix": "/ur"},
        "learner": profile.user.username,
        "code": certificates[0].code,
        "revoked": certificates[1].code,
    }


def _blocking(results) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("language", ["en", "ur"])
def test_pages_have_no_serious_or_critical_axe_violations(web, site, language):
    from axe_playwright_python.sync_playwright import Axe

    prefix = site[language]["prefix"]
    anonymous = {
        "sign-in": f"{prefix}/accounts/login/",
        "verify": f"{prefix}/verify/",
        "certificate": f"{prefix}/verify/{site['code']}/",
        "revoked certificate": f"{prefix}/verify/{site['revoked']}/",
        "mistyped code": f"{prefix}/verify/?code=ABCD-EFGH",
        "offline verifier": f"{prefix}/verify/offline/",
        "lesson (visitor)": site[language]["lesson"],
    }
    signed_in = {
        "dashboard": f"{prefix}/learning/",
        "lesson (learner)": site[language]["lesson"],
    }

    def audit(page, pages):
        axe, found = Axe(), {}
        for name, url in pages.items():
            response = page.goto(url)
            assert response.status == (400 if "code=" in url else 200), (url, response.status)
            assert page.get_attribute("html", "lang") == language
            found[name] = _blocking(axe.run(page))
        return found

    found = web.do(audit, anonymous)
    web.do(sign_in, site["learner"])
    found |= web.do(audit, signed_in)
    assert set(found) == set(anonymous) | set(signed_in)
    problems = {name: issues for name, issues in found.items() if issues}
    assert not problems, problems


@pytest.fixture
def quiz(question_bank):  # noqa: F811  (the imported fixture)
    """A published quiz of every objective type, and a learner who finished the lessons."""
    course, lessons, _bank, questions = question_bank
    page = course.add_child(
        instance=AssessmentPage(title="Check your skills", slug="check", questions_per_page=5)
    )
    for position, kind in enumerate(["single", "multiple", "true_false", "short_text", "numeric"]):
        AssessmentQuestion.objects.create(page=page, question=questions[kind], sort_order=position)
    publish(page)
    center = CenterFactory(code="GLT", name="Gilgit School IT Center")
    cohort = CohortFactory(center=center, curriculum=course)
    profile = LearnerProfileFactory(home_center=center, full_name="Amina Khan")
    CohortMembership.objects.create(cohort=cohort, learner=profile.user)
    services.enrollment_create(learner=profile.user, course=course, cohort=cohort)
    for lesson in lessons:
        services.lesson_complete(learner=profile.user, lesson=lesson)
    return profile.user.username, page.url


def test_quiz_pages_have_no_serious_or_critical_axe_violations(web, quiz):
    """The quiz's start page and a page of questions (in English and with the Urdu interface;
    the demo has no Urdu quiz yet, so the questions stay English there)."""
    from axe_playwright_python.sync_playwright import Axe

    username, quiz_url = quiz

    def audit(page):
        axe, found = Axe(), {}
        sign_in(page, username)
        page.goto(quiz_url)
        found["quiz start"] = _blocking(axe.run(page))
        page.get_by_role("button", name="Start").click()
        page.wait_for_load_state()
        attempt = page.url.split("?")[0]
        assert "/attempts/" in attempt, attempt
        found["quiz questions"] = _blocking(axe.run(page))
        path = attempt.split("://", 1)[1].split("/", 1)[1]
        page.goto(f"/ur/{path}")
        assert page.get_attribute("html", "dir") == "rtl"
        found["quiz questions (ur)"] = _blocking(axe.run(page))
        return found

    found = web.do(audit)
    problems = {name: issues for name, issues in found.items() if issues}
    assert not problems, problems
