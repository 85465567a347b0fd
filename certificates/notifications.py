"""Tell a learner by e-mail that their certificate is ready (only when they have an address)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import Certificate


@transaction.atomic
def certificate_notify_learner(*, certificate_id: int) -> bool:
    """Send the e-mail in the learner's preferred language, once per certificate; False when
    it was sent before, the certificate is revoked, or the learner has no address.

    Runs under the certificate's row lock and records ``notified_at`` in the same transaction,
    so the on-issue task, a batch and the sweep (certificates.pending) never send it twice. A
    worker that dies between the mail server's acceptance and the commit sends it again: the
    one duplicate no database can prevent.
    """
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("enrollment__learner__learner_profile")
        .get(pk=certificate_id)
    )
    if certificate.notified_at is not None:
        return False
    certificate.notified_at = timezone.now()
    certificate.save(update_fields=["notified_at"])
    learner = certificate.enrollment.learner
    if certificate.status != Certificate.Status.ISSUED or not learner.email:
        return False
    profile = getattr(learner, "learner_profile", None)
    language = profile.preferred_language if profile else settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "certificate": certificate,
            "verify_url": settings.HUNAR_PUBLIC_URL
            + reverse("verify_certificate", args=[certificate.code]),
            "dashboard_url": settings.HUNAR_PUBLIC_URL + reverse("learning_dashboard"),
        }
        subject = render_to_string("certificates/email/issued_subject.txt", context).strip()
        body = render_to_string("certificates/email/issued_body.txt", context)
    send_mail(subject, body, None, [learner.email])
    return True
