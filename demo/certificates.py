"""Demo certificates for ``seed_demo``: a signing key, certificates for the demo learners who
completed a course (at several centers), and one of them revoked. Idempotent."""

from django.db import transaction

from certificates.models import Certificate, CertificateTemplate, SigningKey
from certificates.services import certificate_issue, certificate_revoke
from certificates.signing import key_generate
from courses.models import Enrollment

REVOKED_REASON = "Demo: issued to the wrong learner and withdrawn."
# Whose certificate the demo revokes: a finisher at Tangir, so Gilgit's certified learner
# (printed by seed_demo) keeps a valid one.
REVOKED_HOLDER = "student.tng2"


@transaction.atomic
def demo_certificates_seed() -> None:
    if not SigningKey.objects.filter(retired_at__isnull=True).exists():
        key_generate()
    CertificateTemplate.objects.get_or_create(
        name="Hunar standard",
        defaults={
            "signatory_name": "Programme Director",
            "signatory_title": "IT Centers Programme, Gilgit-Baltistan",
            "is_default": True,
        },
    )
    completed = Enrollment.objects.filter(status=Enrollment.Status.COMPLETED).order_by("pk")
    for enrollment in completed:
        if not enrollment.certificates.exists():
            certificate_issue(enrollment=enrollment)
    if not Certificate.objects.filter(status=Certificate.Status.REVOKED).exists():
        issued = Certificate.objects.filter(status=Certificate.Status.ISSUED).order_by("pk")
        chosen = issued.filter(enrollment__learner__username=REVOKED_HOLDER).first()
        chosen = chosen or issued.last()
        if chosen is not None and Certificate.objects.count() > 1:
            certificate_revoke(certificate=chosen, by=None, reason=REVOKED_REASON)
