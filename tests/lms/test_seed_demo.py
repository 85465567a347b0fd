import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from lms.demo import SCHOOL_LABS, TECH_HUBS
from lms.models import Center, CenterStaff, Cohort, LearnerProfile

pytestmark = pytest.mark.django_db

DISTRICTS = [
    "Gilgit", "Hunza", "Nagar", "Ghizer", "Gupis-Yasin", "Skardu", "Shigar",
    "Kharmang", "Roundu", "Ghanche", "Astore", "Diamer", "Darel", "Tangir",
]  # fmt: skip


def _counts():
    from courses.models import Enrollment, LessonProgress
    from lms.models import CohortMembership

    models = (Center, Cohort, CenterStaff, LearnerProfile, get_user_model())
    models += (CohortMembership, Enrollment, LessonProgress)
    return {model.__name__: model.objects.count() for model in models}


def test_seed_demo_twice_gives_the_same_data():
    call_command("seed_demo", stdout=io.StringIO())
    first = _counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first
    assert first["Center"] == 17
    assert first["Cohort"] > 0 and first["LearnerProfile"] > 0
    assert first["Enrollment"] > 0 and first["LessonProgress"] > 0


def test_demo_network_is_the_gilgit_baltistan_network(demo_network):
    labs = Center.objects.filter(kind=Center.Kind.SCHOOL_LAB)
    assert sorted(labs.values_list("district", flat=True)) == sorted(DISTRICTS)
    hubs = Center.objects.filter(kind=Center.Kind.TECH_HUB)
    assert sorted(hubs.values_list("district", flat=True)) == ["Diamer", "Ghizer", "Nagar"]
    assert len(SCHOOL_LABS) == 14 and len(TECH_HUBS) == 3


def test_seed_demo_prints_logins_for_every_role(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    for role in ("Programme admin", "Center manager", "Trainer", "Learner"):
        assert role in out
    assert "hunar-demo-2026" in out


def test_demo_cohorts_are_valid(demo_network):
    for cohort in Cohort.objects.select_related("center"):
        cohort.full_clean()
