"""Certificate PDFs and batch ZIPs are private files (issue 12, finding 2).

Before, ``/media/certificates/<year>/<serial>.pdf`` handed a minor's certificate to anyone who
walked the serials, and cohort ZIPs sat beside them forever. Now the files live in
``STORAGES["private"]`` under unguessable names and are reached only through the verification
code (rate limited), the learner's own sign-in, or their center's managers.
"""

import datetime
import hashlib
import importlib
import io
import zipfile

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.http import FileResponse, Http404
from django.test import Client
from django.urls import re_path, reverse
from django.utils import timezone

import lms.urls
from certificates import batch, rendering, services_pdf, tasks
from certificates.admin_views import ZIP_EXPIRED
from certificates.models import Certificate
from certificates.services import certificate_issue
from certificates.storage import certificate_pdf_name
from lms import roles
from tests.certificates.test_batch import make_cohort  # noqa: F401  (a fixture)
from tests.factories import (
    CenterFactory,
    LearnerProfileFactory,
    UserFactory,
    manager_of,
    trainer_of,
)

FAKE_PDF = b"%PDF-1.7\n% a stand-in for a rendered certificate\n%%EOF\n"
migration = importlib.import_module(
    "certificates.migrations.0003_move_certificate_pdfs_to_private_storage"
)


def _serve_media(request, path):
    # What MEDIA_URL stands for: every file in the default storage is public (a web server or a
    # public bucket in production, Django itself under DEBUG).
    if not default_storage.exists(path):
        raise Http404
    return FileResponse(default_storage.open(path, "rb"))


urlpatterns = [re_path(r"^media/(?P<path>.*)$", _serve_media), *lms.urls.urlpatterns]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def _empty(storage, folder: str) -> None:
    if not storage.exists(folder):
        return
    folders, files = storage.listdir(folder)
    for name in files:
        storage.delete(f"{folder}/{name}")
    for name in folders:
        _empty(storage, f"{folder}/{name}")


@pytest.fixture(autouse=True)
def _clean_slate():
    """The in-memory storages and the cache outlive each test's database (and serials repeat)."""
    for storage in (default_storage, storages["private"]):
        _empty(storage, "certificates")
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fake_render(monkeypatch):
    monkeypatch.setattr(rendering, "certificate_pdf_render", lambda certificate, **kw: FAKE_PDF)


@pytest.fixture
def certificate(completed_enrollment, fake_render):
    """An issued certificate whose PDF was stored by the service, as the render task does."""
    issued = certificate_issue(enrollment=completed_enrollment())
    return services_pdf.certificate_pdf_store(certificate_id=issued.pk)


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


# --- Where the file lives -----------------------------------------------------------------------


def test_the_pdf_is_stored_privately_under_a_name_without_serial_or_code(certificate):
    name = certificate.pdf.name
    assert certificate.pdf.storage.backend() is storages["private"]
    assert storages["private"].exists(certificate.pdf.name)
    assert not storages["default"].exists(certificate.pdf.name)
    assert storages["private"].exists(name)
    assert certificate.serial not in name and certificate.code not in name
    assert "GLT" not in name and "2026" not in name  # nothing to walk
    assert not default_storage.exists("certificates")  # nothing in the public storage at all


def test_consecutive_serials_get_unrelated_names():
    names = [certificate_pdf_name(Certificate(serial=f"GB-GLT-2026-0000{n}")) for n in range(1, 4)]
    assert len({name[:20] for name in names}) == 3
    assert all(name.startswith("certificates/") and name.endswith(".pdf") for name in names)


def test_the_old_media_url_of_a_certificate_serves_no_pdf(
    completed_enrollment, fake_render, client
):
    """The reported attack: GET /media/certificates/<year>/<serial>.pdf."""
    issued = certificate_issue(enrollment=completed_enrollment())
    stored = services_pdf.certificate_pdf_store(certificate_id=issued.pk)
    year = f"{stored.issued_at:%Y}"
    for url in (
        f"/media/certificates/{year}/{stored.serial}.pdf",
        f"/media/{stored.pdf.name}",
        f"/media/certificates/{stored.serial}.pdf",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
    assert not default_storage.exists("certificates")  # nothing of it in the public storage
    # The public way still works: by its code, rate limited.
    response = client.get(f"/verify/{stored.code}/pdf/")
    assert response.status_code == 200 and _body(response) == FAKE_PDF


def test_debug_is_the_only_time_django_serves_media():
    # In production nothing in Hunar maps MEDIA_URL; certificates are no longer there anyway.
    assert not settings.DEBUG
    assert not any("media" in str(p.pattern) for p in lms.urls.urlpatterns)


# --- Who can open it ------------------------------------------------------------------------------


def test_verify_pdf_streams_the_private_file_by_code(client, certificate):
    response = client.get(f"/verify/{certificate.code}/pdf/")
    assert response.status_code == 200
    assert _body(response) == FAKE_PDF
    assert f'filename="{certificate.serial}.pdf"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


def test_a_lost_file_is_a_404_not_a_server_error(client, certificate):
    storages["private"].delete(certificate.pdf.name)
    assert client.get(f"/verify/{certificate.code}/pdf/").status_code == 404
    owner = Client()
    owner.force_login(certificate.enrollment.learner)
    assert owner.get(reverse("certificate_file", args=[certificate.pk])).status_code == 404


def test_the_learner_and_their_centers_managers_open_it_nobody_else(certificate):
    center = certificate.center
    elsewhere = CenterFactory(code="SKD", name="Skardu Hub")
    actors = {
        "owner": certificate.enrollment.learner,
        "manager": manager_of(center),
        "admin": UserFactory(role=roles.PROGRAMME_ADMIN),
        "other_learner": LearnerProfileFactory(home_center=center).user,
        "trainer_of_center": trainer_of(center),
        "other_manager": manager_of(elsewhere),
    }
    url = reverse("certificate_file", args=[certificate.pk])
    missing = reverse("certificate_file", args=[certificate.pk + 1000])
    for who, user in actors.items():
        client = Client()
        client.force_login(user)
        response = client.get(url)
        if who in ("owner", "manager", "admin"):
            assert response.status_code == 200, who
            assert _body(response) == FAKE_PDF
            assert f'filename="{certificate.serial}.pdf"' in response["Content-Disposition"]
            assert "no-store" in response["Cache-Control"]
        else:
            # The same answer as for a certificate that does not exist.
            assert response.status_code == 404, who
            assert client.get(missing).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_my_learning_links_to_the_signed_in_pdf_not_the_public_one(client, certificate):
    from courses.models import Enrollment

    Enrollment.objects.filter(pk=certificate.enrollment_id).update(
        status=Enrollment.Status.COMPLETED, completed_at=timezone.now()
    )
    client.force_login(certificate.enrollment.learner)
    html = client.get(reverse("learning_dashboard")).content.decode()
    assert reverse("certificate_file", args=[certificate.pk]) in html
    assert reverse("verify_pdf", args=[certificate.code]) not in html


# --- Moving existing files (migration 0003) ---------------------------------------------


def _old_layout(certificate) -> str:
    """Put the certificate's PDF where it was before: the public storage, named by serial."""
    old = f"certificates/{certificate.issued_at:%Y}/{certificate.serial}.pdf"
    storages["private"].delete(certificate.pdf.name)
    default_storage.save(old, ContentFile(FAKE_PDF))
    Certificate.objects.filter(pk=certificate.pk).update(pdf=old)
    return old


def test_migration_moves_public_pdfs_to_private_hidden_names(certificate):
    old = _old_layout(certificate)
    default_storage.save("certificates/batches/7-abc.zip", ContentFile(b"PK"))

    migration.pdfs_to_private(django_apps, None)

    certificate.refresh_from_db()
    assert certificate.pdf.name == certificate_pdf_name(certificate)
    with storages["private"].open(certificate.pdf.name, "rb") as handle:
        assert handle.read() == FAKE_PDF
    assert not default_storage.exists(old)
    assert not default_storage.exists("certificates/batches/7-abc.zip")
    # Run again (after a crash, say): nothing changes, nothing breaks.
    migration.pdfs_to_private(django_apps, None)
    certificate.refresh_from_db()
    assert certificate.pdf.name == certificate_pdf_name(certificate)
    assert storages["private"].exists(certificate.pdf.name)


def test_migration_finishes_what_a_crashed_run_left(certificate):
    """Crashed after the row was updated but before the public file was deleted."""
    old = _old_layout(certificate)
    storages["private"].save(certificate_pdf_name(certificate), ContentFile(FAKE_PDF))
    Certificate.objects.filter(pk=certificate.pk).update(pdf=certificate_pdf_name(certificate))
    migration.pdfs_to_private(django_apps, None)
    assert not default_storage.exists(old)
    assert storages["private"].exists(certificate_pdf_name(certificate))


def test_migration_reverses_to_the_old_public_names(certificate):
    hidden = certificate.pdf.name
    migration.pdfs_to_public(django_apps, None)
    certificate.refresh_from_db()
    old = f"certificates/{certificate.issued_at:%Y}/{certificate.serial}.pdf"
    assert certificate.pdf.name == old
    with default_storage.open(old, "rb") as handle:
        assert handle.read() == FAKE_PDF
    assert not storages["private"].exists(hidden)


# --- Batch ZIPs ---------------------------------------------------------------------------------


def _batch(cohort, capture):
    with capture(execute=True):
        batch_id = batch.cohort_certificates_issue(cohort=cohort, by=None)
    return batch.cohort_batch_progress(batch_id)


@pytest.fixture
def zip_batch(make_cohort, django_capture_on_commit_callbacks):  # noqa: F811
    """A finished batch with a ZIP (one learner who has not completed: no rendering needed)."""
    cohort = make_cohort(completed=0, active=1)
    progress = _batch(cohort, django_capture_on_commit_callbacks)
    assert progress.finished
    return cohort, progress


def test_batch_zip_is_private_random_and_for_the_cohorts_managers(zip_batch):
    cohort, progress = zip_batch
    assert storages["private"].exists(progress.zip_name)
    assert not default_storage.exists(progress.zip_name)
    assert progress.batch_id not in progress.zip_name
    assert f"/{cohort.pk}-" not in progress.zip_name
    url = reverse("certificates_admin:batch_download", args=[progress.batch_id])
    manager = Client()
    manager.force_login(manager_of(cohort.center))
    response = manager.get(url)
    assert response.status_code == 200
    zipfile.ZipFile(io.BytesIO(_body(response)))  # a real ZIP
    for user in (trainer_of(cohort.center), manager_of(CenterFactory(code="SKD"))):
        stranger = Client()
        stranger.force_login(user)
        assert stranger.get(url).status_code in (302, 403, 404)


def test_an_expired_zip_says_so_and_offers_to_build_again(zip_batch, settings):
    cohort, progress = zip_batch
    manager = Client()
    manager.force_login(manager_of(cohort.center))
    url = reverse("certificates_admin:batch_download", args=[progress.batch_id])
    assert manager.get(url).status_code == 200
    settings.CERTIFICATE_BATCH_ZIP_HOURS = 0  # every ZIP is past its time
    response = manager.get(url)
    assert response.status_code == 410
    expected = str(ZIP_EXPIRED % {"hours": 0})
    assert expected.split(":")[0] in response.text
    issue = reverse("certificates_admin:cohort_issue", args=[cohort.pk])
    assert f'action="{issue}"' in response.text
    page = manager.get(reverse("certificates_admin:batch", args=[progress.batch_id]))
    assert url not in page.text and f'action="{issue}"' in page.text
    # Once the sweep deleted it, the same answer.
    settings.CERTIFICATE_BATCH_ZIP_HOURS = 24
    storages["private"].delete(progress.zip_name)
    assert manager.get(url).status_code == 410


def test_the_beat_task_deletes_zips_older_than_the_setting(zip_batch, settings):
    _cohort, progress = zip_batch
    storage = storages["private"]
    hours = settings.CERTIFICATE_BATCH_ZIP_HOURS
    built = storage.get_modified_time(progress.zip_name)
    assert batch.batch_zips_delete_expired(now=built + datetime.timedelta(hours=hours - 1)) == 0
    assert storage.exists(progress.zip_name)
    assert not batch.batch_zip_available(
        progress.zip_name, now=built + datetime.timedelta(hours=hours)
    )
    settings.CERTIFICATE_BATCH_ZIP_HOURS = 0
    assert tasks.batch_zips_delete_expired_task.delay().get() == 1
    assert not storage.exists(progress.zip_name)


def test_the_sweep_is_on_the_beat_schedule_with_a_default_of_a_day():
    from lms.settings import base

    assert base.CERTIFICATE_BATCH_ZIP_HOURS == 24
    tasks_on_beat = {entry["task"] for entry in base.CELERY_BEAT_SCHEDULE.values()}
    assert "certificates.batch_zips_delete_expired_task" in tasks_on_beat


def test_a_rebuilt_zip_replaces_the_batchs_previous_one(zip_batch):
    _cohort, progress = zip_batch
    again = batch.batch_zip_build(batch_id=progress.batch_id)
    assert again != progress.zip_name
    assert storages["private"].exists(again)
    assert not storages["private"].exists(progress.zip_name)


def test_storing_again_replaces_an_old_layout_file(certificate, django_capture_on_commit_callbacks):
    """A certificate still pointing at another name (another SECRET_KEY, an old layout) is
    stored again under its hidden name and the old file is deleted."""
    storages["private"].save("certificates/legacy.pdf", ContentFile(FAKE_PDF))
    Certificate.objects.filter(pk=certificate.pk).update(pdf="certificates/legacy.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        stored = services_pdf.certificate_pdf_store(certificate_id=certificate.pk)
    assert stored.pdf.name == certificate_pdf_name(stored)
    assert not storages["private"].exists("certificates/legacy.pdf")
    assert hashlib.sha256(FAKE_PDF).hexdigest() == stored.pdf_sha256
