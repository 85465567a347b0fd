"""Trainers see what teaching needs; father's name, year of birth and gender are for managers.

The leak: a trainer opened a learner's admin page and read the father's name, year of birth and
gender, and could filter the learner list, the cohort dashboard and its export by gender or age
to learn each learner's.
"""

import pytest
from django.urls import reverse

from courses.services import enrollment_create
from lms.models import CohortMembership, CohortSession, LearnerProfile
from tests.factories import CohortFactory, LearnerProfileFactory, manager_of, trainer_of

pytestmark = pytest.mark.django_db

FATHER = "Karim Baig Senior"


@pytest.fixture
def cohort(make_course):
    _track, course, _lessons = make_course(lessons=1)
    cohort = CohortFactory(curriculum=course)
    people = {}
    for name, gender, year in (("Amina Khan", "female", 2011), ("Bilal Ahmed", "male", 2013)):
        profile = LearnerProfileFactory(
            home_center=cohort.center, full_name=name, father_name=f"{FATHER} of {name}",
            gender=gender, year_of_birth=year,
        )  # fmt: skip
        CohortMembership.objects.create(cohort=cohort, learner=profile.user)
        enrollment_create(learner=profile.user, course=course, cohort=cohort)
        people[name] = profile
    trainer = trainer_of(cohort.center)
    cohort.trainers.add(trainer)
    return cohort, people, trainer, manager_of(cohort.center)


def _inspect(client, user, profile):
    client.force_login(user)
    response = client.get(reverse("learners:inspect", args=[profile.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_trainer_reads_no_manager_only_detail_on_a_learner_page(client, cohort):
    _cohort, people, trainer, manager = cohort
    profile = people["Amina Khan"]
    html = _inspect(client, trainer, profile)
    assert "Amina Khan" in html  # the name is what teaching needs
    for value in (FATHER, "2011", "Female", "female"):
        assert value not in html
    html = _inspect(client, manager, profile)
    assert FATHER in html and "2011" in html and "female" in html.lower()


def test_a_trainer_cannot_filter_learners_by_gender(client, cohort):
    _cohort, _people, trainer, manager = cohort
    url = reverse("learners:index")
    client.force_login(trainer)
    html = client.get(url, {"gender": "female"}).content.decode()
    assert "Amina Khan" in html and "Bilal Ahmed" in html  # the filter is not applied
    assert 'name="gender"' not in html
    client.force_login(manager)
    html = client.get(url, {"gender": "female"}).content.decode()
    assert "Amina Khan" in html and "Bilal Ahmed" not in html


@pytest.mark.parametrize("query", [{"gender": "female"}, {"age_band": "15_17"}])
def test_a_trainer_cannot_filter_the_cohort_dashboard_or_its_export_by_gender_or_age(
    client, cohort, query
):
    cohort_, people, trainer, manager = cohort
    LearnerProfile.objects.filter(pk=people["Bilal Ahmed"].pk).update(year_of_birth=2000)
    page = reverse("reports:cohort", args=[cohort_.pk])
    export = reverse("reports:cohort_export", args=[cohort_.pk, "csv"])
    client.force_login(trainer)
    html = client.get(page, query).content.decode()
    csv = b"".join(client.get(export, query).streaming_content).decode("utf-8-sig")
    for text in (html, csv):
        assert "Amina Khan" in text and "Bilal Ahmed" in text
    assert 'name="gender"' not in html and 'name="age_band"' not in html
    client.force_login(manager)
    html = client.get(page, query).content.decode()
    assert "Amina Khan" in html and "Bilal Ahmed" not in html


def test_no_page_a_trainer_uses_for_their_cohort_shows_a_manager_only_detail(client, cohort):
    """Attendance sheets, the cohort's progress and dashboard, the learner list: names yes,
    father's name and year of birth never."""
    cohort_, people, trainer, _manager = cohort
    session = CohortSession.objects.create(
        cohort=cohort_, date=cohort_.start_date, shift=cohort_.shift
    )
    pages = [
        reverse("lms_attendance:index"),
        reverse("lms_attendance:cohort", args=[cohort_.pk]),
        reverse("lms_attendance:session", args=[session.pk]),
        reverse("cohort_progress", args=[cohort_.pk]),
        reverse("reports:cohort", args=[cohort_.pk]),
        reverse("learners:index"),
        *(reverse("learners:inspect", args=[p.pk]) for p in people.values()),
    ]
    client.force_login(trainer)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert FATHER not in html and "2011" not in html and "2013" not in html, url
