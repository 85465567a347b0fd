"""A project upload on a full disk: a clear 503, nothing saved, nothing half-written; the same
upload succeeds once there is room (a real full tmpfs, tests/tiny_disk.py)."""

import pytest

from assessments.models import Response
from lms.atomic_storage import AtomicFileSystemStorage
from tests.assessments.test_uploads import PDF, project, upload  # noqa: F401  (a fixture)
from tests.tiny_disk import tiny_disk  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_on_tiny_disk(monkeypatch, tiny_disk):  # noqa: F811
    """The field's own storage (built once, when the model was defined) on the tiny disk."""
    storage = AtomicFileSystemStorage(location=tiny_disk.path)
    monkeypatch.setattr(Response._meta.get_field("file"), "storage", storage)
    return tiny_disk


def test_an_upload_to_a_full_disk_is_refused_clearly_and_can_be_sent_again(
    client,
    project,  # noqa: F811
    private_on_tiny_disk,
):
    content = PDF + b"%" * (64 * 1024)
    private_on_tiny_disk.fill(leave=8 * 1024)
    response = upload(client, project, content, "gig.pdf")
    assert response.status_code == 503
    assert response["Retry-After"] == "120"
    assert "could not be stored just now" in response.content.decode()
    assert not Response.objects.filter(attempt=project).exists()
    assert private_on_tiny_disk.files() == []

    private_on_tiny_disk.free()
    assert upload(client, project, content, "gig.pdf").status_code == 302
    saved = Response.objects.get(attempt=project, position=0)
    assert saved.file.read() == content
    assert private_on_tiny_disk.files() == [saved.file.name]
