"""Issuing a cohort's certificates in chunks: progress, the ZIP, the admin pages, the command."""

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage, storages
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certificates import batch, rendering
from certificates.models import Certificate
from courses import services as course_services
from courses.models import Enrollment
from lms import roles
from lms.models import CenterStaff
from tests.factories import (
    CenterFactory,
    CenterStaffFactory,
    CohortFactory,
    LearnerProfileFactory,
    UserFactory,
)

COMPLETED_LEARNERS = 5
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Batch progress lives in the cache, which outlives each test's database."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_cohort(make_course, signing_key):
    """A cohort of ``completed`` learners who finished the course and ``active`` who did not.

    Completion is set directly (not through lessons), so no certificate is issued on completion
    even when the test commits.
    """

    def _make(completed=COMPLETED_LEARNERS, active=1, code="GLT", slug="computer-basics"):
        _track, course, _lessons = make_course(lessons=2, slug=slug)
        center = CenterFactory(code=code, name=f"{code} School IT Center", district="Gilgit")
        cohort = CohortFactory(center=center, curriculum=course, name=f"{code} morning")
        for number in range(completed + active):
            learner = LearnerProfileFactory(home_center=center, full_name=f"Learner {number}")
            enrollment = course_services.enrollment_create(
                learner=learner.user, course=course, cohort=cohort
            )
            if number < completed:
                Enrollment.objects.filter(pk=enrollment.pk).update(
                    status=Enrollment.Status.COMPLETED, completed_at=timezone.now()
                )
        return cohort

    return _make


def manager_of(center):
    user = UserFactory(role=roles.CENTER_MANAGER)
    CenterStaffFactory(user=user, center=center, role=CenterStaff.Role.MANAGER)
    return user


def _zip_names(name: str) -> dict[str, bytes]:
    with storages["private"].open(name, "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _assert_batch_result(progress, cohort):
    assert progress.total == COMPLETED_LEARNERS + 1
    assert progress.done == COMPLETED_LEARNERS
    assert len(progress.failed) == 1
    [failure] = progress.failed
    assert failure["learner"] == f"Learner {COMPLETED_LEARNERS}"
    assert failure["reasons"] == ["0 of 2 lessons completed."]
    assert progress.finished
    # Private, under a random name: nothing in it names the cohort or the batch.
    assert progress.zip_name.startswith("certificates/batches/")
    assert progress.batch_id not in progress.zip_name
    assert not default_storage.exists(progress.zip_name)
    certificates = Certificate.objects.filter(enrollment__cohort=cohort)
    assert certificates.count() == COMPLETED_LEARNERS
    files = _zip_names(progress.zip_name)
    assert sorted(files) == sorted(f"{c.serial}.pdf" for c in certificates)
    for certificate in certificates:
        assert hashlib.sha256(files[f"{certificate.serial}.pdf"]).hexdigest() == (
            certificate.pdf_sha256
        )


@pytest.mark.django_db
def test_batch_issues_the_completed_reports_the_rest_and_zips_the_pdfs(
    make_cohort, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(batch, "CHUNK_SIZE", 2)  # three chunks
    cohort = make_cohort()
    with django_capture_on_commit_callbacks(execute=True):
        batch_id = batch.cohort_certificates_issue(cohort=cohort, by=None)
    progress = batch.cohort_batch_progress(batch_id)
    assert progress.chunks == progress.chunks_finished == 3
    _assert_batch_result(progress, cohort)
    assert batch.cohort_latest_batch(cohort.pk) == batch_id


@pytest.mark.django_db
def test_running_the_batch_again_issues_and_renders_nothing_new(
    make_cohort, monkeypatch, django_capture_on_commit_callbacks
):
    cohort = make_cohort()
    with django_capture_on_commit_callbacks(execute=True):
        batch.cohort_certificates_issue(cohort=cohort, by=None)
    serials = set(Certificate.objects.values_list("serial", flat=True))
    renders = []
    real = rendering.certificate_pdf_render
    monkeypatch.setattr(
        rendering, "certificate_pdf_render", lambda c, **k: renders.append(c.pk) or real(c, **k)
    )
    with django_capture_on_commit_callbacks(execute=True):
        again = batch.cohort_certificates_issue(cohort=cohort, by=None)
    _assert_batch_result(batch.cohort_batch_progress(again), cohort)
    assert set(Certificate.objects.values_list("serial", flat=True)) == serials
    assert renders == []


@pytest.mark.django_db
def test_a_bug_for_one_learner_fails_that_learner_only(
    make_cohort, monkeypatch, django_capture_on_commit_callbacks
):
    cohort = make_cohort(completed=3, active=0)
    first = Enrollment.objects.filter(cohort=cohort).order_by("pk").first()
    real = batch._issue_one

    def sometimes_broken(enrollment_id):
        if enrollment_id == first.pk:
            raise KeyError("learner_name")
        return real(enrollment_id)

    monkeypatch.setattr(batch, "_issue_one", sometimes_broken)
    with django_capture_on_commit_callbacks(execute=True):
        batch_id = batch.cohort_certificates_issue(cohort=cohort, by=None)
    progress = batch.cohort_batch_progress(batch_id)
    assert (progress.done, progress.finished) == (2, True)
    assert "learner_name" in progress.failed[0]["reasons"][0]


# --- Admin views ---------------------------------------------------------------------------


@pytest.fixture
def cohort_and_managers(make_cohort):
    cohort = make_cohort()
    other = CenterFactory(code="SKD", name="SKD Hub", district="Skardu")
    return cohort, manager_of(cohort.center), manager_of(other)


def _client(user, csrf=False):
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_manager_issues_from_the_admin_and_follows_the_batch(
    cohort_and_managers, django_capture_on_commit_callbacks
):
    cohort, manager, _other = cohort_and_managers
    client = _client(manager)
    listing = client.get(reverse("certificates_admin:cohorts"))
    assert listing.status_code == 200
    assert cohort.name in listing.text
    issue_url = reverse("certificates_admin:cohort_issue", args=[cohort.pk])
    assert issue_url in listing.text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(issue_url)
    assert response.status_code == 302
    batch_id = batch.cohort_latest_batch(cohort.pk)
    assert response.url == reverse("certificates_admin:batch", args=[batch_id])

    page = client.get(response.url)
    assert page.status_code == 200
    assert "5 of 6 issued, 1 not issued" in page.text
    assert "0 of 2 lessons completed." in page.text
    assert 'http-equiv="refresh"' not in page.text  # finished: no more refreshing
    download_url = reverse("certificates_admin:batch_download", args=[batch_id])
    assert download_url in page.text
    download = client.get(download_url)
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert len(archive.namelist()) == COMPLETED_LEARNERS


@pytest.mark.django_db
def test_progress_page_refreshes_itself_while_running(cohort_and_managers):
    cohort, manager, _other = cohort_and_managers
    batch_id, _chunks = batch.cohort_batch_plan(cohort=cohort, by=manager)  # nothing queued
    page = _client(manager).get(reverse("certificates_admin:batch", args=[batch_id]))
    assert '<meta http-equiv="refresh" content="3">' in page.text
    assert "0 of 6 issued" in page.text
    download = reverse("certificates_admin:batch_download", args=[batch_id])
    assert _client(manager).get(download).status_code == 404


@pytest.mark.django_db
def test_another_centers_manager_gets_404_everywhere(
    cohort_and_managers, django_capture_on_commit_callbacks
):
    cohort, manager, stranger = cohort_and_managers
    with django_capture_on_commit_callbacks(execute=True):
        batch_id = batch.cohort_certificates_issue(cohort=cohort, by=manager)
    certificate = Certificate.objects.filter(enrollment__cohort=cohort).first()
    client = _client(stranger)
    listing = client.get(reverse("certificates_admin:cohorts"))
    assert listing.status_code == 200 and cohort.name not in listing.text
    issued = client.get(reverse("certificates_admin:certificates"))
    assert issued.status_code == 200 and certificate.serial not in issued.text
    assert (
        client.post(reverse("certificates_admin:cohort_issue", args=[cohort.pk])).status_code == 404
    )
    for name, args in [
        ("batch", [batch_id]),
        ("batch_download", [batch_id]),
        ("certificate_pdf", [certificate.pk]),
        ("revoke", [certificate.pk]),
        ("reissue", [certificate.pk]),
    ]:
        assert client.get(reverse(f"certificates_admin:{name}", args=args)).status_code == 404
    response = client.post(
        reverse("certificates_admin:revoke", args=[certificate.pk]), {"reason": "x"}
    )
    assert response.status_code == 404
    certificate.refresh_from_db()
    assert certificate.is_valid


@pytest.mark.django_db
def test_issuing_needs_post_and_the_csrf_token(cohort_and_managers):
    cohort, manager, _other = cohort_and_managers
    client = _client(manager, csrf=True)
    url = reverse("certificates_admin:cohort_issue", args=[cohort.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    assert batch.cohort_latest_batch(cohort.pk) is None
    client.get(reverse("certificates_admin:cohorts"))  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    assert client.post(url, HTTP_X_CSRFTOKEN=token).status_code == 302


@pytest.mark.django_db
def test_revoke_and_reissue_from_the_certificate_listing(
    cohort_and_managers, django_capture_on_commit_callbacks
):
    cohort, manager, _other = cohort_and_managers
    with django_capture_on_commit_callbacks(execute=True):
        batch.cohort_certificates_issue(cohort=cohort, by=manager)
    first, second = Certificate.objects.filter(enrollment__cohort=cohort).order_by("pk")[:2]
    client = _client(manager)
    listing = client.get(reverse("certificates_admin:certificates"), {"cohort": cohort.pk})
    assert first.serial in listing.text and first.display_code in listing.text
    pdf = client.get(reverse("certificates_admin:certificate_pdf", args=[first.pk]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")

    revoke = reverse("certificates_admin:revoke", args=[first.pk])
    assert client.post(revoke, {"reason": "  "}).status_code == 200  # a reason is required
    first.refresh_from_db()
    assert first.is_valid
    assert client.post(revoke, {"reason": "Issued in error"}).status_code == 302
    first.refresh_from_db()
    assert (first.status, first.revoked_by, first.revocation_reason) == (
        Certificate.Status.REVOKED,
        manager,
        "Issued in error",
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("certificates_admin:reissue", args=[second.pk]), {"reason": "Name corrected"}
        )
    assert response.status_code == 302
    new = second.superseded_by
    assert new.is_valid and new.code != second.code
    new.refresh_from_db()
    assert new.pdf and new.pdf_sha256


@pytest.mark.django_db
def test_templates_snippet_is_for_programme_admins_only(cohort_and_managers):
    _cohort, manager, _other = cohort_and_managers
    admin = UserFactory(role=roles.PROGRAMME_ADMIN)
    url = reverse("wagtailsnippets_certificates_certificatetemplate:list")
    assert _client(admin).get(url).status_code == 200
    assert _client(manager).get(url).status_code in (302, 403)
    add = reverse("wagtailsnippets_certificates_certificatetemplate:add")
    assert _client(admin).get(add).status_code == 200
    menu = _client(manager).get(reverse("wagtailadmin_home")).text
    assert reverse("certificates_admin:cohorts") in menu
    assert url not in menu


@pytest.mark.django_db
def test_command_issues_a_cohort_with_a_progress_bar(make_cohort, monkeypatch):
    cohort = make_cohort()
    # From a shell there is no surrounding transaction: on-commit work runs at once.
    monkeypatch.setattr(transaction, "on_commit", lambda callback, **kwargs: callback())
    out = io.StringIO()
    call_command("issue_certificates", cohort=cohort.pk, stdout=out)
    text = out.getvalue()
    assert "[" + "#" * batch_bar_width() + "] 6/6  issued 5, not issued 1" in text
    assert "not issued: Learner 5: 0 of 2 lessons completed." in text
    assert "ZIP of the PDFs: certificates/batches/" in text
    assert Certificate.objects.filter(enrollment__cohort=cohort).count() == COMPLETED_LEARNERS


def batch_bar_width() -> int:
    from certificates.management.commands.issue_certificates import BAR_WIDTH

    return BAR_WIDTH


@pytest.mark.django_db
def test_batch_emails_each_learner_with_an_address_once(
    make_cohort, mailoutbox, django_capture_on_commit_callbacks
):
    cohort = make_cohort()
    with_email = Enrollment.objects.filter(cohort=cohort, status="completed")[:2]
    for enrollment in with_email:
        enrollment.learner.email = f"{enrollment.learner.username}@example.org"
        enrollment.learner.save()
    with django_capture_on_commit_callbacks(execute=True):
        batch.cohort_certificates_issue(cohort=cohort, by=None)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        e.learner.email for e in Enrollment.objects.filter(learner__email__endswith="example.org")
    )
    assert len(mailoutbox) == 2
