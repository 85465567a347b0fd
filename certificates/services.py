"""Issuing, revoking and re-issuing certificates."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.selectors import enrollment_grade_percent
from courses.models import Enrollment
from courses.services import enrollment_completion_check, enrollment_completion_evaluate

from . import signing
from .codes import code_generate
from .models import Certificate, CertificateTemplate, SerialCounter

PAYLOAD_VERSION = 1
SERIAL_PREFIX = "GB"  # Gilgit-Baltistan


class CertificateError(Exception):
    """Refused, with a reason to show; ``reasons`` lists every unmet rule where there are some."""

    def __init__(self, message: str, reasons: list[str] | None = None):
        self.reasons = reasons or []
        super().__init__(message)


NOT_ELIGIBLE = _("The course's completion rules are not met yet.")
NOT_COMPLETED = _("Only a completed enrollment can get a certificate.")
ALREADY_REVOKED = _("This certificate is already revoked.")
REASON_REQUIRED = _("Give a reason for revoking the certificate.")


def template_for(course) -> CertificateTemplate | None:
    return (
        CertificateTemplate.objects.filter(courses=course).first()
        or CertificateTemplate.objects.filter(is_default=True).first()
    )


def _serial_take(center, year: int) -> str:
    counter, _created = SerialCounter.objects.select_for_update().get_or_create(
        center=center, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{SERIAL_PREFIX}-{center.code}-{year}-{counter.last:05d}"


def _grade(enrollment: Enrollment) -> str | None:
    percent = enrollment_grade_percent(enrollment)
    return None if percent is None else f"{percent}%"


def _snapshot(enrollment: Enrollment, template, issued_at: datetime.datetime) -> dict:
    """Everything printed on the certificate, frozen now: later edits change none of it."""
    profile = getattr(enrollment.learner, "learner_profile", None)
    course = enrollment.course
    center = enrollment.center
    cohort = enrollment.cohort
    return {
        "learner_name": profile.full_name if profile else enrollment.learner.get_username(),
        "learner_name_ur": profile.full_name_ur if profile else "",
        "course_title": course.title,
        "course_version": course.live_revision_id,
        "hours": course.hours,
        "grade": _grade(enrollment),
        "center_name": center.name,
        "center_code": center.code,
        "district": center.district,
        "shift": cohort.shift if cohort else "",
        "completed_on": timezone.localdate(enrollment.completed_at).isoformat(),
        "issued_on": timezone.localdate(issued_at).isoformat(),
        "signatory_name": template.signatory_name if template else "",
        "signatory_title": template.signatory_title if template else "",
        "language": template.language if template else "both",
    }


def certificate_payload(*, snapshot: dict, code: str, serial: str, kid: str) -> dict:
    """The signed object: the printed fields, the code, the serial, the key id, the schema."""
    return {
        "v": PAYLOAD_VERSION,
        "code": code,
        "serial": serial,
        "kid": kid,
        "name": snapshot["learner_name"],
        "name_ur": snapshot["learner_name_ur"],
        "course": snapshot["course_title"],
        "hours": snapshot["hours"],
        "grade": snapshot["grade"],
        "center": snapshot["center_name"],
        "center_code": snapshot["center_code"],
        "district": snapshot["district"],
        "completed": snapshot["completed_on"],
        "issued": snapshot["issued_on"],
    }


def _enqueue_render(certificate: Certificate) -> None:
    from .tasks import certificate_render_pdf_task

    # robust: a failed enqueue (broker down) or an eager render error must not fail the
    # request that issued the certificate; the PDF is owed in the certificate's own row, and
    # the follow-up sweep renders it later (certificates.pending).
    transaction.on_commit(lambda: certificate_render_pdf_task.delay(certificate.pk), robust=True)


def _enqueue_notification(certificate: Certificate) -> None:
    from .tasks import certificate_notify_learner_task

    transaction.on_commit(
        lambda: certificate_notify_learner_task.delay(certificate.pk), robust=True
    )


@transaction.atomic
def certificate_issue(
    *, enrollment: Enrollment, supersedes: Certificate | None = None, follow_up: bool = True
):
    """The enrollment's certificate: issued now if the course's rules are met; asking again
    returns the same certificate. Raises CertificateError with the unmet rules otherwise.

    ``follow_up`` queues the PDF rendering and the learner's e-mail; a batch passes False
    because it renders in its own chunk and notifies everyone once the batch is done.
    """
    # The row lock serializes concurrent requests for the same enrollment (PostgreSQL).
    enrollment = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("course", "center", "cohort", "learner__learner_profile")
        .get(pk=enrollment.pk)
    )
    existing = enrollment.certificates.filter(status=Certificate.Status.ISSUED).first()
    if existing is not None:
        return existing
    if enrollment.status != Enrollment.Status.COMPLETED:
        enrollment_completion_evaluate(enrollment=enrollment)
        enrollment.refresh_from_db()
    if enrollment.status != Enrollment.Status.COMPLETED:
        reasons = enrollment_completion_check(enrollment=enrollment) or [NOT_COMPLETED]
        raise CertificateError(NOT_ELIGIBLE, reasons)

    key = signing.current_key()
    now = timezone.now()
    template = template_for(enrollment.course)
    snapshot = _snapshot(enrollment, template, now)
    serial = _serial_take(enrollment.center, timezone.localdate(now).year)
    for _attempt in range(5):
        code = code_generate()
        if not Certificate.objects.filter(code=code).exists():
            break
    payload = certificate_payload(snapshot=snapshot, code=code, serial=serial, kid=key.kid)
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                enrollment=enrollment,
                code=code,
                serial=serial,
                template=template,
                center=enrollment.center,
                snapshot=snapshot,
                payload=payload,
                signature=signing.sign(payload, key.kid),
                kid=key.kid,
                issued_at=now,
                supersedes=supersedes,
            )
    except IntegrityError:
        # Another process issued it between our check and insert (only without row locks).
        return enrollment.certificates.get(status=Certificate.Status.ISSUED)
    if follow_up:
        _enqueue_render(certificate)
        _enqueue_notification(certificate)
    return certificate


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Revoke on the same row; the code keeps answering, now with REVOKED and the date (the
    reason is recorded for staff, never shown publicly)."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if not reason.strip():
        raise CertificateError(REASON_REQUIRED)
    if certificate.status == Certificate.Status.REVOKED:
        raise CertificateError(ALREADY_REVOKED)
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = by
    certificate.revocation_reason = reason.strip()
    certificate.save(update_fields=["status", "revoked_at", "revoked_by", "revocation_reason"])
    return certificate


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Revoke and issue a fresh certificate (new code, current names) that points to the old."""
    old = certificate_revoke(certificate=certificate, by=by, reason=reason)
    return certificate_issue(enrollment=old.enrollment, supersedes=old)


def certificate_issue_on_completion(*, enrollment: Enrollment) -> None:
    """Receiver for courses' enrollment_completed: issue quietly, or leave it to a manager."""
    try:
        certificate_issue(enrollment=enrollment)
    except (CertificateError, signing.SigningKeyMissing):
        # No key configured yet, or a rule changed meanwhile: a manager can issue it later.
        return
