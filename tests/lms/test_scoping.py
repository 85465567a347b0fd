"""A center manager or trainer sees only their own center; a programme admin sees every center."""

import pytest
from django.urls import reverse

from lms import permissions, roles
from lms.models import Cohort, CohortMembership
from tests.factories import (
    CenterFactory,
    CohortFactory,
    LearnerProfileFactory,
    UserFactory,
    manager_of,
    trainer_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_centers():
    gilgit = CenterFactory(name="Gilgit lab", code="GLT")
    skardu = CenterFactory(name="Skardu lab", code="SKD", district="Skardu")
    return {
        "gilgit": gilgit,
        "skardu": skardu,
        "gilgit_cohort": CohortFactory(center=gilgit, name="Gilgit morning"),
        "skardu_cohort": CohortFactory(center=skardu, name="Skardu morning"),
        "gilgit_learner": LearnerProfileFactory(home_center=gilgit, full_name="Amina Gilgit"),
        "skardu_learner": LearnerProfileFactory(home_center=skardu, full_name="Bilal Skardu"),
        "manager": manager_of(gilgit),
        "trainer": trainer_of(gilgit),
    }


def test_helper_limits_manager_to_their_center(two_centers):
    user = two_centers["manager"]
    assert list(permissions.centers_visible_to(user)) == [two_centers["gilgit"]]
    assert list(permissions.cohorts_visible_to(user)) == [two_centers["gilgit_cohort"]]
    assert list(permissions.learners_visible_to(user)) == [two_centers["gilgit_learner"]]
    assert not permissions.can_see_center(user, two_centers["skardu"])
    assert permissions.can_see_learner(user, two_centers["gilgit_learner"].user)
    assert not permissions.can_see_learner(user, two_centers["skardu_learner"].user)


def test_helper_limits_trainer_to_the_cohorts_they_teach(two_centers):
    trainer = two_centers["trainer"]
    taught = two_centers["gilgit_cohort"]
    other = CohortFactory(center=two_centers["gilgit"], name="Gilgit evening")
    assert not permissions.cohorts_visible_to(trainer).exists()
    taught.trainers.add(trainer)
    CohortMembership.objects.create(cohort=taught, learner=two_centers["gilgit_learner"].user)
    in_other = LearnerProfileFactory(home_center=two_centers["gilgit"], full_name="Other")
    CohortMembership.objects.create(cohort=other, learner=in_other.user)
    assert list(permissions.centers_visible_to(trainer)) == [two_centers["gilgit"]]
    assert list(permissions.cohorts_visible_to(trainer)) == [taught]
    assert list(permissions.learners_visible_to(trainer)) == [two_centers["gilgit_learner"]]
    assert not permissions.can_see_learner(trainer, in_other.user)
    assert not permissions.can_see_cohort(trainer, other)


def test_learner_sees_only_themselves(two_centers):
    me = two_centers["gilgit_learner"].user
    assert permissions.can_see_learner(me, me)
    assert not permissions.can_see_learner(me, two_centers["skardu_learner"].user)


def test_helper_gives_programme_admin_every_center(two_centers):
    admin = UserFactory(username="programme", role=roles.PROGRAMME_ADMIN)
    assert permissions.centers_visible_to(admin).count() == 2
    assert permissions.cohorts_visible_to(admin).count() == 2
    assert permissions.learners_visible_to(admin).count() == 2


def test_helper_gives_learners_and_strangers_nothing(two_centers):
    learner = two_centers["gilgit_learner"].user
    assert not permissions.centers_visible_to(learner).exists()
    assert not permissions.cohorts_visible_to(learner).exists()
    assert not permissions.learners_visible_to(learner).exists()


def test_manager_lists_only_own_cohorts_and_learners_in_admin(client, two_centers):
    client.force_login(two_centers["manager"])
    cohorts = client.get(reverse("cohorts:index"))
    assert cohorts.status_code == 200
    assert "Gilgit morning" in cohorts.text
    assert "Skardu morning" not in cohorts.text

    learners = client.get(reverse("learners:index"))
    assert learners.status_code == 200
    assert "Amina Gilgit" in learners.text
    assert "Bilal Skardu" not in learners.text


@pytest.mark.parametrize(
    "url_name, target",
    [
        ("cohorts:edit", "skardu_cohort"),
        ("cohorts:inspect", "skardu_cohort"),
        ("cohorts:delete", "skardu_cohort"),
        ("cohorts:history", "skardu_cohort"),
        ("learners:edit", "skardu_learner"),
        ("learners:inspect", "skardu_learner"),
        ("centers:inspect", "skardu"),
    ],
)
def test_manager_cannot_open_another_centers_objects(client, two_centers, url_name, target):
    client.force_login(two_centers["manager"])
    response = client.get(reverse(url_name, args=[two_centers[target].pk]))
    assert response.status_code == 404


def test_manager_can_open_own_cohort(client, two_centers):
    client.force_login(two_centers["manager"])
    response = client.get(reverse("cohorts:edit", args=[two_centers["gilgit_cohort"].pk]))
    assert response.status_code == 200


def test_manager_cannot_create_cohort_at_another_center(client, two_centers):
    client.force_login(two_centers["manager"])
    response = client.post(
        reverse("cohorts:add"),
        {
            "center": two_centers["skardu"].pk,
            "name": "Smuggled cohort",
            "shift": "school_hours",
            "start_date": "2026-10-01",
        },
    )
    assert response.status_code == 200  # the form is shown again with an error
    assert "Select a valid choice" in response.text
    assert not Cohort.objects.filter(name="Smuggled cohort").exists()


def test_manager_creates_cohort_at_own_center(client, two_centers):
    client.force_login(two_centers["manager"])
    response = client.post(
        reverse("cohorts:add"),
        {
            "center": two_centers["gilgit"].pk,
            "name": "Gilgit evening",
            "shift": "second_shift",
            "start_date": "2026-10-01",
            "trainers": [two_centers["trainer"].pk],
        },
    )
    assert response.status_code == 302, response.text[:2000]
    cohort = Cohort.objects.get(name="Gilgit evening")
    assert list(cohort.trainers.all()) == [two_centers["trainer"]]


def test_manager_cannot_post_an_edit_to_another_centers_cohort(client, two_centers):
    client.force_login(two_centers["manager"])
    cohort = two_centers["skardu_cohort"]
    response = client.post(
        reverse("cohorts:edit", args=[cohort.pk]),
        {
            "center": cohort.center_id,
            "name": "Renamed",
            "shift": "school_hours",
            "start_date": "2026-09-01",
        },
    )
    assert response.status_code == 404
    cohort.refresh_from_db()
    assert cohort.name == "Skardu morning"


def test_trainer_may_view_but_not_add_cohorts(client, two_centers):
    two_centers["gilgit_cohort"].trainers.add(two_centers["trainer"])
    client.force_login(two_centers["trainer"])
    assert client.get(reverse("cohorts:index")).status_code == 200
    assert client.get(reverse("cohorts:add")).status_code in (302, 403)


def test_learner_cannot_reach_the_admin(client, two_centers):
    client.force_login(two_centers["gilgit_learner"].user)
    response = client.get(reverse("cohorts:index"))
    assert response.status_code in (302, 403)
    assert "Gilgit morning" not in response.text


def test_programme_admin_lists_every_cohort(client, two_centers):
    client.force_login(UserFactory(username="programme", role=roles.PROGRAMME_ADMIN))
    response = client.get(reverse("cohorts:index"))
    assert "Gilgit morning" in response.text
    assert "Skardu morning" in response.text


def test_manager_sees_one_time_password_link_for_own_learners_only(client, two_centers):
    client.force_login(two_centers["manager"])
    html = client.get(reverse("learners:index")).text
    own = reverse("learner_one_time_password", args=[two_centers["gilgit_learner"].pk])
    other = reverse("learner_one_time_password", args=[two_centers["skardu_learner"].pk])
    assert own in html and other not in html
