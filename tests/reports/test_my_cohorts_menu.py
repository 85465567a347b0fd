"""Issue 16: trainers and managers reach their cohorts' dashboards and gradebooks from the admin
menu ("My cohorts"); nobody sees another center's cohorts there."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.wagtail_hooks import MY_COHORTS_SHOWN
from tests.factories import CohortFactory, trainer_of

pytestmark = pytest.mark.django_db


def admin_home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.text


def links(cohort) -> list[str]:
    return [
        reverse("reports:cohort", args=[cohort.pk]),
        reverse("gradebook:cohort", args=[cohort.pk]),
    ]


def test_a_trainer_sees_the_cohorts_they_teach_and_no_others(client, network):
    page = admin_home(client, network.trainer)
    assert "My cohorts" in page
    assert "GLT day: dashboard" in page and "GLT day: gradebook" in page
    for url in links(network.glt_day):
        assert url in page
        # The menu's links open for the trainer.
        assert client.get(url).status_code == 200
    for cohort in (network.glt_evening, network.skd_day):
        for url in links(cohort):
            assert url not in page
    assert "SKD day" not in page and "GLT evening" not in page


def test_a_manager_sees_their_centers_cohorts_only(client, network):
    page = admin_home(client, network.manager)
    for cohort in (network.glt_day, network.glt_evening):
        for url in links(cohort):
            assert url in page
    for url in links(network.skd_day):
        assert url not in page


def test_a_long_list_ends_with_all_gradebooks_and_ended_cohorts_drop_out(client, network):
    center = network.glt_day.center
    long_ago = timezone.localdate() - datetime.timedelta(days=400)
    ended = CohortFactory(
        center=center, name="Ended long ago", start_date=long_ago,
        end_date=long_ago + datetime.timedelta(days=90),
    )  # fmt: skip
    page = admin_home(client, network.manager)
    assert reverse("reports:cohort", args=[ended.pk]) not in page
    assert "All gradebooks" not in page
    for number in range(MY_COHORTS_SHOWN):
        CohortFactory(center=center, name=f"Class {number:02d}")
    page = admin_home(client, network.manager)
    assert "All gradebooks" in page


def test_staff_without_cohorts_get_no_menu_and_learners_no_admin(client, network):
    idle = trainer_of(network.glt_day.center, "idle-trainer")
    assert "My cohorts" not in admin_home(client, idle)
    other = admin_home(client, network.other_manager)
    assert reverse("reports:cohort", args=[network.skd_day.pk]) in other
    assert reverse("reports:cohort", args=[network.glt_day.pk]) not in other
    client.force_login(network.learners["g1"])
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code in (302, 403)
