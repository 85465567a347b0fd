"""Project files: checked by content, limited in size, stored privately, served to few."""

import io
import struct
import time
import zipfile

import pytest
from django.conf import settings as real_settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from assessments import services
from assessments.models import AssessmentPage, AssessmentQuestion, Attempt, Response
from assessments.uploads import UploadRejected, upload_check
from tests.assessments.conftest import confirm_submit
from tests.curriculum import publish
from tests.factories import CenterFactory, trainer_of

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes(size=(4, 4), mode="RGB") -> bytes:
    out = io.BytesIO()
    PILImage.new(mode, size).save(out, format="PNG")
    return out.getvalue()


PNG = png_bytes()


@pytest.fixture
def project(question_bank, project_question, cohort_learner, client):
    course = question_bank[0]
    page = course.add_child(instance=AssessmentPage(title="Gig", slug="gig", kind="project"))
    AssessmentQuestion.objects.create(page=page, question=project_question)
    publish(page)
    learner, _enrollment = cohort_learner
    attempt = services.attempt_start(learner=learner, assessment=page)
    client.force_login(learner)
    return attempt


def upload(client, attempt, content, name, action="save"):
    url = reverse("assessments:attempt", args=[attempt.pk])
    data = {"sequence": attempt.sequence, "page": 1, "positions": "0", "action": action}
    data["q-0"] = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(url, data)
    if action == "submit":  # and "Submit now" on the confirmation step
        assert response["Location"] == reverse("assessments:confirm", args=[attempt.pk])
        return confirm_submit(client, attempt)
    return response


@pytest.fixture(autouse=True)
def empty_private_storage():
    """The in-memory storage outlives a test; each test starts with none of the files."""
    yield
    storage = storages["private"]
    if storage.exists("attempts"):
        for folder in storage.listdir("attempts")[0]:
            for name in storage.listdir(f"attempts/{folder}")[1]:
                storage.delete(f"attempts/{folder}/{name}")


def test_private_files_live_outside_media_and_have_no_public_url():
    from lms.settings import base

    assert base.STORAGES["private"]["OPTIONS"]["base_url"] is None
    assert not base.PRIVATE_MEDIA_ROOT.is_relative_to(base.MEDIA_ROOT)


def stored_files():
    storage = storages["private"]
    _dirs, files = storage.listdir("attempts") if storage.exists("attempts") else ([], [])
    return [name for d in _dirs for name in storage.listdir(f"attempts/{d}")[1]] + files


def test_a_pdf_is_stored_privately_and_served_to_the_learner(client, project):
    response = upload(client, project, PDF, "gig.pdf")
    assert response.status_code == 302
    saved = Response.objects.get(attempt=project, position=0)
    assert (saved.file_name, saved.file_type, saved.file_size) == ("gig.pdf", "pdf", len(PDF))
    assert "gig" not in saved.file.name  # the stored name is random, not the learner's
    assert saved.file.storage.backend() is storages["private"]
    assert storages["private"].exists(saved.file.name)
    download = client.get(reverse("assessments:file", args=[project.pk, 0]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]


def test_a_file_whose_content_does_not_match_its_name_is_refused(client, project):
    response = upload(client, project, PNG, "gig.pdf")
    assert response.status_code == 400
    assert "named .pdf but its content is a PNG image" in response.content.decode()
    assert not Response.objects.filter(attempt=project).exists()
    assert stored_files() == []


def test_a_type_the_question_does_not_accept_is_refused(client, project):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("index.html", "<p>hi</p>")
    response = upload(client, project, archive.getvalue(), "site.zip")
    assert response.status_code == 400
    assert "ZIP archive is not accepted here" in response.content.decode()
    assert stored_files() == []


def test_an_executable_renamed_to_pdf_is_refused(client, project):
    response = upload(client, project, b"MZ\x90\x00" + b"\x00" * 100, "gig.pdf")
    assert response.status_code == 400
    assert stored_files() == []


def test_an_oversized_upload_gets_413_and_stores_nothing(client, project, settings):
    settings.ASSESSMENT_UPLOAD_MAX_BYTES = 1000
    response = upload(client, project, PDF + b"x" * 5000, "gig.pdf")
    assert response.status_code == 413
    assert stored_files() == []
    assert not Response.objects.filter(attempt=project).exists()


def test_a_request_larger_than_the_limit_is_refused_before_reading(client, project, settings):
    settings.ASSESSMENT_UPLOAD_MAX_BYTES = 10
    response = upload(client, project, PDF * 40_000, "gig.pdf")  # > limit + form overhead
    assert response.status_code == 413
    assert stored_files() == []


def test_a_new_upload_replaces_the_old_file(client, project, django_capture_on_commit_callbacks):
    upload(client, project, PDF, "first.pdf")
    project.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, project, PNG, "second.png")
    saved = Response.objects.get(attempt=project, position=0)
    assert saved.file_name == "second.png"
    assert len(stored_files()) == 1


def test_only_the_learner_and_their_graders_can_download(client, project, other_learner):
    upload(client, project, PDF, "gig.pdf")
    url = reverse("assessments:file", args=[project.pk, 0])
    client.force_login(other_learner)
    assert client.get(url).status_code == 404
    cohort = project.enrollment.cohort
    trainer = trainer_of(cohort.center)
    cohort.trainers.add(trainer)
    client.force_login(trainer)
    assert client.get(url).status_code == 200
    stranger = trainer_of(CenterFactory(), "far-trainer")
    client.force_login(stranger)
    assert client.get(url).status_code == 404


def test_submitting_a_project_waits_for_a_trainer(client, project):
    upload(client, project, PDF, "gig.pdf", action="submit")
    project.refresh_from_db()
    assert project.status == Attempt.Status.SUBMITTED
    result = client.get(reverse("assessments:result", args=[project.pk])).content.decode()
    assert "A trainer will grade your answers" in result


def test_grading_with_the_rubric_passes_the_attempt(client, project):
    upload(client, project, PDF, "gig.pdf", action="submit")
    cohort = project.enrollment.cohort
    trainer = trainer_of(cohort.center)
    cohort.trainers.add(trainer)
    response = Response.objects.get(attempt=project, position=0)
    services.response_grade(
        response=response,
        grader=trainer,
        rubric_scores=[4, 2, 2],
        feedback="<p>Good <script>x</script></p>",
    )
    project.refresh_from_db()
    assert project.status == Attempt.Status.GRADED
    assert str(project.percent) == "80.00" and project.passed
    response.refresh_from_db()
    assert "<script>" not in response.feedback
    with pytest.raises(services.GradingError, match="Say why"):
        services.response_grade(response=response, grader=trainer, rubric_scores=[1, 1, 1])
    services.response_grade(
        response=response, grader=trainer, rubric_scores=[1, 1, 1], reason="Recounted"
    )
    project.refresh_from_db()
    assert project.passed is False
    result = client.get(reverse("assessments:result", args=[project.pk])).content.decode()
    assert "How it was graded" in result and "Clear offer" in result
    assert [c.new_score for c in response.grade_changes.all()] == [8, 3]


# --- Hostile files: bombs and polyglots -------------------------------------------------------


def zipped(members: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def checked_within_bound(name: str, content: bytes, allowed: list[str]):
    upload = SimpleUploadedFile(name, content)
    started = time.perf_counter()
    try:
        return upload_check(upload, allowed=allowed)
    finally:
        elapsed = time.perf_counter() - started
        assert elapsed < 5, f"the upload check took {elapsed:.1f} s"


def test_a_zip_bomb_docx_is_refused_without_unpacking_it():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            zeros = b"\0" * (1024 * 1024)
            for _ in range(real_settings.ASSESSMENT_UPLOAD_MAX_UNPACKED_BYTES // len(zeros) + 1):
                member.write(zeros)
    bomb = out.getvalue()
    assert len(bomb) < real_settings.ASSESSMENT_UPLOAD_MAX_BYTES
    with pytest.raises(UploadRejected, match="Unpacked, this archive would be larger than"):
        checked_within_bound("essay.docx", bomb, ["docx", "zip"])


def test_an_archive_whose_entry_inflates_past_its_declared_size_is_refused():
    data = bytearray(zipped({"notes.txt": b"\0" * (30 * 1024 * 1024)}))
    # Declare 10 bytes in the local header and in the central directory: zipfile would stop
    # there, a grader's unzip tool would write all 30 MB.
    struct.pack_into("<L", data, 22, 10)
    struct.pack_into("<L", data, data.rfind(b"PK\x01\x02") + 24, 10)
    with pytest.raises(UploadRejected, match="hides its real size"):
        checked_within_bound("site.zip", bytes(data), ["zip"])


def test_an_archive_of_too_many_files_is_refused():
    limit = real_settings.ASSESSMENT_UPLOAD_MAX_ARCHIVE_FILES
    many = zipped({f"f{i}.txt": b"" for i in range(limit + 1)})
    with pytest.raises(UploadRejected, match=f"more than {limit} files"):
        checked_within_bound("site.zip", many, ["zip"])
    assert checked_within_bound("site.zip", zipped({"index.html": "<p>hi</p>"}), ["zip"]).kind == (
        "zip"
    )


def test_a_pdf_that_is_also_a_zip_is_refused():
    polyglot = PDF + zipped({"index.html": "<script>alert(1)</script>"})
    with pytest.raises(UploadRejected, match="PDF document and a ZIP archive at once"):
        checked_within_bound("gig.pdf", polyglot, ["pdf"])
    assert checked_within_bound("gig.pdf", PDF, ["pdf"]).kind == "pdf"


def test_an_image_claiming_more_pixels_than_the_cap_is_refused():
    limit = real_settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
    side = int(limit**0.5) + 100
    huge = png_bytes((side, side), mode="1")  # a few kilobytes on disk
    assert len(huge) < 1024 * 1024
    with pytest.raises(UploadRejected, match="million pixels"):
        checked_within_bound("gig.png", huge, ["png"])
    with pytest.raises(UploadRejected, match="not a readable PNG"):
        checked_within_bound("gig.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, ["png"])


def test_staff_image_uploads_have_the_same_pixel_cap():
    from wagtail.images.fields import WagtailImageField

    assert real_settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS <= 40_000_000
    side = int(real_settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS**0.5) + 100
    upload = SimpleUploadedFile("banner.png", png_bytes((side, side), mode="1"))
    with pytest.raises(ValidationError):
        WagtailImageField().clean(upload)


def test_a_refused_archive_stores_nothing(client, project):
    polyglot = PDF + zipped({"index.html": "<p>hi</p>"})
    response = upload(client, project, polyglot, "gig.pdf")
    assert response.status_code == 400
    assert "ZIP archive at once" in response.content.decode()
    assert stored_files() == []
    assert not Response.objects.filter(attempt=project).exists()
