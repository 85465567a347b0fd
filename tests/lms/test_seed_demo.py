import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from demo.network import SCHOOL_LABS, TECH_HUBS
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


# --- Refusing outside development and tests (issue 12, finding 10) ------------------------------

PRODUCTION_VALUE = """
import lms.settings.production as production
print(production.HUNAR_DEMO_ALLOWED)
"""


def _production_setting():
    """HUNAR_DEMO_ALLOWED as lms.settings.production really sets it (imported in a child process
    with the variables production requires)."""
    import subprocess
    import sys

    from tests.lms.test_settings import PRODUCTION_ENV, ROOT, _clean_env

    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_VALUE], cwd=ROOT, env=_clean_env(**PRODUCTION_ENV),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.strip() == "True"


def test_seed_demo_refuses_under_production_settings(settings):
    from django.core.management.base import CommandError

    settings.HUNAR_DEMO_ALLOWED = _production_setting()
    with pytest.raises(CommandError, match="Nothing was created"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not get_user_model().objects.exists()
    assert not Center.objects.exists()


def test_seed_demo_runs_with_the_flag_that_names_the_risk(settings):
    settings.HUNAR_DEMO_ALLOWED = False
    call_command("seed_demo", "--i-know-this-creates-public-demo-accounts", stdout=io.StringIO())
    assert get_user_model().objects.get(username="admin").is_superuser


@pytest.mark.parametrize("username", ["admin", "manager.glt"])
def test_seed_demo_never_takes_over_an_existing_account(username):
    from django.core.management.base import CommandError

    owner = get_user_model().objects.create_user(username=username, password="a-real-secret-42")
    with pytest.raises(CommandError, match=f"'{username}' already exists"):
        call_command("seed_demo", stdout=io.StringIO())
    owner.refresh_from_db()
    assert not owner.is_superuser and not owner.is_staff
    assert not owner.groups.exists()
    assert owner.check_password("a-real-secret-42")
    assert get_user_model().objects.count() == 1 and not Center.objects.exists()


def test_seed_demo_updates_accounts_made_by_an_earlier_demo():
    # An earlier seed_demo hashed the demo password with a random salt.
    get_user_model().objects.create_user(username="admin", password="hunar-demo-2026")
    call_command("seed_demo", stdout=io.StringIO())
    assert get_user_model().objects.get(username="admin").is_superuser
