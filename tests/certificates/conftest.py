import pytest

from certificates import signing
from courses import services as course_services
from lms.models import CohortMembership
from tests.factories import CenterFactory, CohortFactory, LearnerProfileFactory


@pytest.fixture
def signing_key(settings, tmp_path):
    settings.CERTIFICATE_KEY_DIR = tmp_path / "keys"
    return signing.key_generate()


@pytest.fixture
def completed_enrollment(db, make_course, signing_key):
    """A learner at the Gilgit lab who completed a two-lesson course in a cohort; an adult unless
    ``year_of_birth`` says otherwise (a minor's name is withheld in public, lms.consent)."""

    def _make(
        name="Amina Khan", name_ur="آمنہ خان", code="GLT", slug="computer-basics",
        year_of_birth=2000,
    ):  # fmt: skip
        _track, course, lessons = make_course(lessons=2, slug=slug)
        center = CenterFactory(code=code, name=f"{code} School IT Center", district="Gilgit")
        cohort = CohortFactory(center=center, curriculum=course)
        learner = LearnerProfileFactory(
            home_center=center, full_name=name, full_name_ur=name_ur, year_of_birth=year_of_birth
        )
        CohortMembership.objects.create(cohort=cohort, learner=learner.user)
        enrollment = course_services.enrollment_create(
            learner=learner.user, course=course, cohort=cohort
        )
        for lesson in lessons:
            course_services.lesson_complete(learner=learner.user, lesson=lesson)
        enrollment.refresh_from_db()
        return enrollment

    return _make
