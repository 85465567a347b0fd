"""The people service: new learners, one-time passwords, and a profile's account fixed for good.

The attack these tests replay (issue 12, finding 5): Gilgit's manager re-pointed a learner
profile at an account of another center through the learner edit form, then gave "the learner"
a one-time password, and signed in as that account.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from courses import roster
from lms import accounts, forms, people, roles
from lms.models import AccountChangeRefused, CohortMembership, LearnerProfile
from tests.factories import (
    CenterFactory,
    CohortFactory,
    LearnerProfileFactory,
    UserFactory,
    manager_of,
)

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def world():
    gilgit = CenterFactory(name="Gilgit lab", code="GLT")
    skardu = CenterFactory(name="Skardu lab", code="SKD", district="Skardu")
    return {
        "gilgit": gilgit,
        "skardu": skardu,
        "manager": manager_of(gilgit, "manager.glt"),
        "own": LearnerProfileFactory(home_center=gilgit, full_name="Amina Gilgit"),
        "victim": LearnerProfileFactory(home_center=skardu, full_name="Bilal Skardu"),
        "skardu_manager": manager_of(skardu, "manager.skd"),
    }


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


# --- The one generator ------------------------------------------------------------------------


def test_one_time_password_is_easy_to_type_random_and_never_all_digits_or_letters():
    passwords = {people.one_time_password_generate() for _ in range(200)}
    assert len(passwords) == 200
    for password in passwords:
        assert len(password) == people.ONE_TIME_PASSWORD_LENGTH == 10
        assert set(password) <= set("abcdefghjkmnpqrstuvwxyz23456789")
        assert any(c.isdigit() for c in password) and any(c.isalpha() for c in password)


def test_admin_page_and_roster_import_use_the_one_generator(monkeypatch, world):
    """Replacing the generator changes every password Hunar hands out: there is no other."""
    monkeypatch.setattr(people, "one_time_password_generate", lambda: "sole2generator")
    CohortFactory(center=world["gilgit"], name="Class 7")
    csv = b"Full name,Username,Learner type,Cohort\nRoster Kid,roster.kid,student,Class 7\n"
    preview = roster.roster_preview(
        center=world["gilgit"], uploaded_by=world["manager"], filename="c.csv", content=csv
    )
    imported = roster.roster_commit(roster_import=preview, confirmed_by=world["manager"])
    reset = accounts.learner_password_reset_by_center(
        manager=world["manager"], learner_user=world["own"].user
    )
    created = people.learner_create(
        by=world["manager"],
        username="new.one",
        full_name="New One",
        learner_type="student",
        home_center=world["gilgit"],
    )
    passwords = {reset, created.password, imported.created[0].password}
    assert passwords == {"sole2generator"}
    assert User.objects.get(username="roster.kid").check_password("sole2generator")


# --- learner_create -----------------------------------------------------------------------------


def test_learner_create_makes_account_and_profile_with_a_one_time_password(world):
    created = people.learner_create(
        by=world["manager"],
        username="Sana.Karim",
        full_name="Sana Karim",
        full_name_ur="ثنا کریم",
        learner_type="youth",
        home_center=world["gilgit"],
        year_of_birth=2008,
    )
    user = User.objects.get(username="Sana.Karim")
    assert created.user == user and created.profile == user.learner_profile
    assert user.password.startswith("pbkdf2_sha256_onetime$")
    assert user.check_password(created.password)
    assert created.password not in repr(created)
    assert user.learner_profile.must_change_password
    assert list(user.groups.values_list("name", flat=True)) == [roles.LEARNER]
    assert not (user.is_staff or user.is_superuser)


@pytest.mark.parametrize("username", ["amina.GILGIT", "has space", ""])
def test_learner_create_refuses_taken_or_bad_usernames_and_creates_nothing(world, username):
    world["own"].user.username = "Amina.Gilgit"
    world["own"].user.save()
    users, profiles = User.objects.count(), LearnerProfile.objects.count()
    with pytest.raises((people.UsernameTaken, people.UsernameInvalid)):
        people.learner_create(
            by=world["manager"],
            username=username,
            full_name="X",
            learner_type="student",
            home_center=world["gilgit"],
        )
    assert (User.objects.count(), LearnerProfile.objects.count()) == (users, profiles)


def test_learner_create_refuses_a_center_the_user_does_not_manage(world):
    users = User.objects.count()
    with pytest.raises(people.CenterNotManaged):
        people.learner_create(
            by=world["manager"],
            username="smuggled",
            full_name="Smuggled",
            learner_type="student",
            home_center=world["skardu"],
        )
    assert User.objects.count() == users


def test_learner_create_is_all_or_nothing_when_the_profile_is_refused(world):
    users = User.objects.count()
    with pytest.raises(Exception, match="learner_type"):
        people.learner_create(
            by=None,
            username="half.made",
            full_name="Half",
            learner_type="robot",
            home_center=world["gilgit"],
        )
    assert User.objects.count() == users
    assert not User.objects.filter(username="half.made").exists()


# --- A profile's account never changes ----------------------------------------------------------


def test_model_refuses_to_point_a_profile_at_another_account(world):
    profile = world["own"]
    original = profile.user_id
    profile.user = world["victim"].user
    with pytest.raises(AccountChangeRefused):
        profile.save()
    # An instance built from scratch with the profile's pk is refused too.
    with pytest.raises(AccountChangeRefused):
        LearnerProfile(
            pk=profile.pk,
            user=UserFactory(username="fresh"),
            home_center=world["gilgit"],
            learner_type="student",
            full_name="X",
        ).save()
    assert LearnerProfile.objects.get(pk=profile.pk).user_id == original


def test_forged_edit_post_cannot_take_over_another_centers_account(world):
    """The reproduced attack: re-point Gilgit's profile at an account of Skardu (a learner in a
    Skardu class who has no profile of their own), then give "the learner" a one-time password."""
    profile = world["own"]
    victim = UserFactory(username="skardu.pupil", role=roles.LEARNER)
    CohortMembership.objects.create(cohort=CohortFactory(center=world["skardu"]), learner=victim)
    manager = _signed_in(world["manager"])
    edit = reverse("learners:edit", args=[profile.pk])

    response = manager.post(
        edit,
        {
            "user": victim.pk,
            "full_name": "Amina Gilgit",
            "learner_type": "student",
            "home_center": world["gilgit"].pk,
            "preferred_language": "en",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [forms.ACCOUNT_FIXED]
    profile.refresh_from_db()
    assert profile.user_id != victim.pk
    reset = manager.post(reverse("learner_one_time_password", args=[profile.pk]))
    victim.refresh_from_db()
    assert not victim.check_password(reset.context["password"])
    assert "user" not in manager.get(edit).context["form"].fields  # nothing left to forge


def test_edit_form_does_not_offer_other_centers(world):
    form = _signed_in(world["manager"]).get(reverse("learners:edit", args=[world["own"].pk]))
    choices = form.context["form"].fields["home_center"].queryset
    assert list(choices) == [world["gilgit"]]


# --- The admin's create form --------------------------------------------------------------------


def test_admin_creates_a_new_account_and_shows_its_password_once(world):
    manager = _signed_in(world["manager"])
    add = reverse("learners:add")
    form = manager.get(add).context["form"]
    assert "user" not in form.fields and "username" in form.fields
    assert list(form.fields["home_center"].queryset) == [world["gilgit"]]

    response = manager.post(
        add,
        {
            "username": "zara.ali",
            "full_name": "Zara Ali",
            "learner_type": "student",
            "home_center": world["gilgit"].pk,
            "preferred_language": "ur",
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = response.context["password"]
    assert password in response.text
    user = User.objects.get(username="zara.ali")
    assert user.check_password(password)
    assert user.learner_profile.home_center == world["gilgit"]
    assert user.learner_profile.must_change_password


def test_admin_create_refuses_an_existing_username_and_another_center(world):
    manager = _signed_in(world["manager"])
    taken = world["victim"].user.username
    before = (User.objects.count(), LearnerProfile.objects.count())
    response = manager.post(
        reverse("learners:add"),
        {
            "username": taken.upper(),
            "full_name": "Takeover",
            "learner_type": "student",
            "home_center": world["skardu"].pk,
            "preferred_language": "en",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "already in use" in str(errors["username"])
    assert "Select a valid choice" in str(errors["home_center"])
    assert (User.objects.count(), LearnerProfile.objects.count()) == before
    assert world["victim"].user.learner_profile == world["victim"]


def test_copying_a_learner_creates_a_new_account_and_leaves_the_original(world):
    original = world["own"]
    response = _signed_in(world["manager"]).post(
        reverse("learners:copy", args=[original.pk]),
        {
            "username": "amina.sister",
            "full_name": "Amina's Sister",
            "learner_type": "student",
            "home_center": world["gilgit"].pk,
            "preferred_language": "en",
        },
    )
    assert response.status_code == 200 and response.context["password"]
    copy = LearnerProfile.objects.get(user__username="amina.sister")
    assert copy.pk != original.pk
    original.refresh_from_db()
    assert (original.full_name, original.user_id) == ("Amina Gilgit", world["own"].user_id)
