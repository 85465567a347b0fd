"""A minor's name is never public without a guardian's consent (docs/privacy.md).

The attack: an employer, or anyone with a code or a walked serial, reads a school child's full
name on /verify/<code>/, in the JSON API or in the PDF. Before the consent rule all three gave it.
"""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from certificates.services import certificate_issue
from lms import consent
from lms.models import GuardianConsent
from tests.certificates import conftest as certificate_fixtures
from tests.factories import CenterFactory, LearnerProfileFactory, manager_of

pytestmark = pytest.mark.django_db
# The certificates tests' fixtures: a learner who completed a course, a signing key.
completed_enrollment = certificate_fixtures.completed_enrollment
signing_key = certificate_fixtures.signing_key

NAME = "Amina Khan"


@pytest.fixture
def minor_certificate(completed_enrollment):
    certificate = certificate_issue(enrollment=completed_enrollment(year_of_birth=None))
    certificate.pdf.save("c.pdf", ContentFile(b"%PDF-1.7 " + NAME.encode()), save=False)
    certificate.pdf_sha256 = "0" * 64
    certificate.save(update_fields=["pdf", "pdf_sha256"])
    return certificate


def _public(client, certificate):
    page = client.get(f"/verify/{certificate.code}/")
    api = client.get(f"/api/v1/certificates/{certificate.code}/")
    pdf = client.get(f"/verify/{certificate.code}/pdf/")
    return page, api, pdf


def _record_consent(certificate, **overrides):
    learner = certificate.enrollment.learner
    center = learner.learner_profile.home_center
    manager = center.staff.first().user if center.staff.exists() else manager_of(center)
    values = {
        "guardian_name": "Karim Khan",
        "relationship": "father",
        "method": GuardianConsent.Method.PAPER_FORM,
        "given_on": timezone.localdate(),
    }
    values.update(overrides)
    return manager, consent.guardian_consent_record(manager=manager, learner_user=learner, **values)


def test_a_minor_without_consent_is_not_named_anywhere_in_public(client, minor_certificate):
    page, api, pdf = _public(client, minor_certificate)
    assert page.status_code == 200
    html = page.content.decode()
    assert NAME not in html and "آمنہ" not in html
    assert "Holder&#x27;s name withheld" in html or "Holder's name withheld" in html
    assert "VALID" in html  # still says the certificate is genuine
    data = api.json()
    assert data["learner_name"] is None and data["holder_name_withheld"] is True
    assert NAME not in api.content.decode()
    assert pdf.status_code == 404 and NAME.encode() not in pdf.content


def test_recorded_consent_names_the_learner_and_withdrawing_it_hides_the_name_again(
    client, minor_certificate
):
    manager, recorded = _record_consent(minor_certificate)
    assert recorded.recorded_by == manager and recorded.recorded_at is not None
    page, api, pdf = _public(client, minor_certificate)
    assert NAME in page.content.decode()
    assert api.json()["learner_name"] == NAME
    assert pdf.status_code == 200
    consent.guardian_consent_withdraw(manager=manager, consent=recorded)
    page, api, pdf = _public(client, minor_certificate)
    assert NAME not in page.content.decode() and api.json()["learner_name"] is None
    assert pdf.status_code == 404


@pytest.mark.parametrize(
    ("age_this_year", "named"),
    [(None, False), (12, False), (18, False), (19, True), (40, True)],
)
def test_only_a_surely_adult_year_of_birth_names_the_learner(age_this_year, named):
    year = None if age_this_year is None else timezone.localdate().year - age_this_year
    profile = LearnerProfileFactory(year_of_birth=year)
    assert consent.learner_may_be_named_publicly(user_id=profile.user_id) is named


def test_an_account_without_a_learner_profile_is_never_named():
    from tests.factories import UserFactory

    assert consent.learner_may_be_named_publicly(user_id=UserFactory().pk) is False


def test_only_a_manager_of_the_home_center_records_consent(minor_certificate):
    learner = minor_certificate.enrollment.learner
    other = manager_of(CenterFactory(code="SKD"))
    with pytest.raises(consent.ConsentError) as refused:
        consent.guardian_consent_record(
            manager=other, learner_user=learner, guardian_name="X", relationship="uncle",
            method="phone", given_on=timezone.localdate(),
        )  # fmt: skip
    assert refused.value.message == consent.CONSENT_REFUSED
    assert not GuardianConsent.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"given_on": timezone.localdate() + datetime.timedelta(days=2)},
            consent.CONSENT_IN_FUTURE,
        ),
        ({"guardian_name": "  "}, None),
        ({"method": "email"}, None),
    ],
)
def test_bad_consent_is_refused_and_nothing_saved(minor_certificate, overrides, message):
    with pytest.raises(consent.ConsentError) as refused:
        _record_consent(minor_certificate, **overrides)
    if message is not None:
        assert refused.value.message == message
    assert not GuardianConsent.objects.exists()


def test_an_adult_needs_no_consent_and_a_second_standing_consent_is_refused(
    completed_enrollment, minor_certificate
):
    _record_consent(minor_certificate)
    with pytest.raises(consent.ConsentError) as second:
        _record_consent(minor_certificate)
    assert second.value.message == consent.CONSENT_EXISTS
    adult = certificate_issue(enrollment=completed_enrollment(code="SKD", slug="other"))
    with pytest.raises(consent.ConsentError) as adult_refused:
        _record_consent(adult)
    assert adult_refused.value.message == consent.CONSENT_NOT_NEEDED
