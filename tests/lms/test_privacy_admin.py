"""The learner's *Privacy and consent* page in the admin: consent, export, erasure, each only for
a manager of the learner's home center (or a programme admin); anyone else gets a 404."""

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.models import CohortMembership, GuardianConsent, LearnerProfile
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
def learner():
    cohort = CohortFactory()
    profile = LearnerProfileFactory(
        home_center=cohort.center, full_name="Amina Khan", father_name="Karim Baig",
        year_of_birth=timezone.localdate().year - 12,
    )  # fmt: skip
    CohortMembership.objects.create(cohort=cohort, learner=profile.user)
    trainer = trainer_of(cohort.center)
    cohort.trainers.add(trainer)
    return profile, manager_of(cohort.center), trainer


def _url(profile):
    return reverse("learner_privacy", args=[profile.pk])


def test_only_the_home_center_manager_reaches_the_page(client, learner):
    profile, manager, trainer = learner
    outsiders = [trainer, manager_of(CenterFactory(code="SKD")), UserFactory(), profile.user]
    for user in outsiders:
        client.force_login(user)
        # 403: a learner in the admin gets the page pointing to "My learning".
        response = client.get(_url(profile))
        assert response.status_code in (302, 403, 404) and "Amina" not in response.text, user
        for action in ("export", "erase", "record_consent"):
            response = client.post(_url(profile), {"action": action, "confirm_username": "x"})
            assert response.status_code in (302, 403, 404)
            assert not response.get("Content-Disposition")
    assert LearnerProfile.objects.get(pk=profile.pk).full_name == "Amina Khan"
    client.force_login(manager)
    assert client.get(_url(profile)).status_code == 200


def test_a_manager_records_and_withdraws_consent(client, learner):
    profile, manager, _trainer = learner
    client.force_login(manager)
    data = {
        "action": "record_consent", "guardian_name": "Karim Baig", "relationship": "father",
        "method": "paper_form", "given_on": timezone.localdate().isoformat(), "note": "file 7",
    }  # fmt: skip
    assert client.post(_url(profile), data).status_code == 302
    recorded = GuardianConsent.objects.get()
    assert (recorded.recorded_by, recorded.method) == (manager, "paper_form")
    future = {**data, "given_on": "2999-01-01"}
    GuardianConsent.objects.all().delete()
    response = client.post(_url(profile), future)
    assert response.status_code == 400 and not GuardianConsent.objects.exists()
    client.post(_url(profile), data)
    assert client.post(_url(profile), {"action": "withdraw_consent"}).status_code == 302
    assert GuardianConsent.objects.get().withdrawn_by == manager


def test_the_export_downloads_a_zip_of_the_learner(client, learner):
    profile, manager, _trainer = learner
    client.force_login(manager)
    response = client.post(_url(profile), {"action": "export"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "Karim Baig" in archive.read("profile.json").decode()


def test_erasure_needs_the_username_typed(client, learner):
    profile, manager, _trainer = learner
    client.force_login(manager)
    wrong = client.post(_url(profile), {"action": "erase", "confirm_username": "someone"})
    assert wrong.status_code == 400
    assert LearnerProfile.objects.get(pk=profile.pk).full_name == "Amina Khan"
    username = profile.user.username
    right = client.post(_url(profile), {"action": "erase", "confirm_username": username})
    assert right.status_code == 302
    profile.refresh_from_db()
    assert profile.full_name == "(erased)" and profile.father_name == ""
