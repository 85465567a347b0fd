"""A certificate rendered onto a full disk: no PDF recorded, nothing half-written left, and the
sweep stores it once there is room (a real full tmpfs, tests/tiny_disk.py)."""

import hashlib

import pytest

from certificates.models import Certificate
from certificates.pending import certificates_follow_up_sweep
from certificates.services import certificate_issue
from certificates.services_pdf import certificate_pdf_open, certificate_pdf_store
from lms.atomic_storage import AtomicFileSystemStorage
from tests.tiny_disk import tiny_disk  # noqa: F401  (a fixture)


@pytest.fixture
def private_on_tiny_disk(monkeypatch, tiny_disk):  # noqa: F811
    """The field's own storage (built once, when the model was defined) on the tiny disk."""
    storage = AtomicFileSystemStorage(location=tiny_disk.path)
    monkeypatch.setattr(Certificate._meta.get_field("pdf"), "storage", storage)
    return tiny_disk


def test_a_pdf_that_did_not_fit_is_stored_by_the_sweep_once_there_is_room(
    completed_enrollment, private_on_tiny_disk, settings
):
    # Issued outside a committed transaction: the on-issue render never ran, the PDF is owed.
    certificate = certificate_issue(enrollment=completed_enrollment())
    private_on_tiny_disk.fill(leave=4 * 1024)

    with pytest.raises(OSError):
        certificate_pdf_store(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    assert (certificate.pdf.name, certificate.pdf_sha256) == ("", "")
    assert certificate_pdf_open(certificate) is None
    assert private_on_tiny_disk.files() == []
    settings.CERTIFICATE_FOLLOW_UP_GRACE_SECONDS = 0
    assert certificates_follow_up_sweep() == 0  # still full: logged, left owed

    private_on_tiny_disk.free()
    assert certificates_follow_up_sweep() == 1
    certificate.refresh_from_db()
    data = (private_on_tiny_disk.path / certificate.pdf.name).read_bytes()
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() == certificate.pdf_sha256
    assert private_on_tiny_disk.files() == [certificate.pdf.name]
