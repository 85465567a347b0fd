"""A certificate's PDF and e-mail are owed in its own row and paid by the sweep when the tasks
queued on issue never reached the broker; each at most once (certificates.pending)."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError

from certificates import tasks
from certificates.models import Certificate
from certificates.notifications import certificate_notify_learner
from certificates.pending import certificates_follow_up_owed, certificates_follow_up_sweep
from certificates.services import certificate_issue, certificate_revoke
from certificates.services_pdf import certificate_pdf_is_current
from tests.certificates.test_batch import make_cohort  # noqa: F401  (a fixture)


def _broker_down(*args, **kwargs):
    raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


@pytest.fixture
def broker_down(monkeypatch):
    monkeypatch.setattr(tasks.certificate_render_pdf_task, "delay", _broker_down)
    monkeypatch.setattr(tasks.certificate_notify_learner_task, "delay", _broker_down)


@pytest.fixture
def issued_while_broker_down(completed_enrollment, broker_down, django_capture_on_commit_callbacks):
    enrollment = completed_enrollment()
    enrollment.learner.email = "amina@example.org"
    enrollment.learner.save(update_fields=["email"])
    Certificate.objects.all().delete()  # the one issued on completion, eagerly
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_issue(enrollment=enrollment)
    certificate.refresh_from_db()
    return certificate


def test_a_lost_follow_up_is_paid_by_the_sweep_once(issued_while_broker_down, settings):
    certificate = issued_while_broker_down
    # Issued all the same; the PDF and the e-mail are owed, not done.
    assert certificate.status == Certificate.Status.ISSUED
    assert (certificate.pdf_sha256, certificate.notified_at) == ("", None)
    assert mail.outbox == []

    # Within the grace period the on-issue tasks may still come: the sweep leaves it.
    settings.CERTIFICATE_FOLLOW_UP_GRACE_SECONDS = 120
    assert certificates_follow_up_sweep() == 0

    settings.CERTIFICATE_FOLLOW_UP_GRACE_SECONDS = 0
    assert certificates_follow_up_sweep() == 1
    certificate.refresh_from_db()
    assert certificate_pdf_is_current(certificate)
    assert certificate.notified_at is not None
    assert [message.to for message in mail.outbox] == [["amina@example.org"]]

    # Nothing owed any more: later sweeps and late tasks do nothing twice.
    assert certificates_follow_up_owed(issued_before=timezone.now()) == []
    assert certificates_follow_up_sweep() == 0
    assert certificate_notify_learner(certificate_id=certificate.pk) is False
    assert len(mail.outbox) == 1


def test_a_revoked_certificate_is_neither_rendered_nor_announced(
    issued_while_broker_down, settings, admin_user
):
    certificate_revoke(certificate=issued_while_broker_down, by=admin_user, reason="Typo")
    settings.CERTIFICATE_FOLLOW_UP_GRACE_SECONDS = 0
    assert certificates_follow_up_owed(issued_before=timezone.now()) == []
    assert certificates_follow_up_sweep() == 0
    assert mail.outbox == []


def test_one_failing_certificate_does_not_stop_the_sweep(
    issued_while_broker_down, completed_enrollment, settings, monkeypatch, caplog
):
    """Disk full for one PDF: logged, left owed, and the others still finished."""
    from certificates import pending

    first = issued_while_broker_down
    second = certificate_issue(enrollment=completed_enrollment(name="Bilal", code="SKD", slug="b"))
    Certificate.objects.filter(pk=second.pk).update(pdf_sha256="", notified_at=None)
    real_store = pending.certificate_pdf_store

    def store(*, certificate_id):
        if certificate_id == first.pk:
            raise OSError(28, "No space left on device")
        return real_store(certificate_id=certificate_id)

    monkeypatch.setattr(pending, "certificate_pdf_store", store)
    settings.CERTIFICATE_FOLLOW_UP_GRACE_SECONDS = 0
    assert certificates_follow_up_sweep() == 1
    assert "still owed" in caplog.text
    assert certificates_follow_up_owed(issued_before=timezone.now()) == [first.pk]
    first.refresh_from_db()
    assert first.notified_at is None  # no e-mail for a certificate whose PDF is not there


def test_owed_is_what_is_older_than_the_cutoff(issued_while_broker_down):
    issued = issued_while_broker_down.issued_at
    assert certificates_follow_up_owed(issued_before=issued) == []
    later = issued + datetime.timedelta(seconds=1)
    assert certificates_follow_up_owed(issued_before=later) == [issued_while_broker_down.pk]


def test_a_completion_whose_certificate_was_never_issued_gets_one_from_the_sweep(
    make_cohort,  # noqa: F811  (the fixture imported above)
    settings,
    admin_user,
):
    """The process that completed the enrollment died before the receiver issued (the on-commit
    signal never ran): the sweep issues it; a revoked one or an old completion it leaves."""
    from courses.models import Enrollment

    cohort = make_cohort(completed=3, active=1)
    lost, revoked, old = Enrollment.objects.filter(
        cohort=cohort, status=Enrollment.Status.COMPLETED
    ).order_by("pk")
    certificate_revoke(certificate=certificate_issue(enrollment=revoked), by=admin_user, reason="x")
    Enrollment.objects.filter(pk=old.pk).update(
        completed_at=timezone.now() - datetime.timedelta(days=3)
    )
    settings.CERTIFICATE_FOLLOW_UP_GRACE_SECONDS = 0
    certificates_follow_up_sweep()
    assert Certificate.objects.filter(enrollment=lost, status="issued").count() == 1
    assert not Certificate.objects.filter(enrollment=revoked, status="issued").exists()
    assert not Certificate.objects.filter(enrollment=old).exists()
    certificates_follow_up_sweep()
    assert Certificate.objects.filter(enrollment=lost).count() == 1
