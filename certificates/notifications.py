"""Tell a learner by e-mail that their certificate is ready (only when they have an address)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Certificate


def certificate_notify_learner(*, certificate_id: int) -> bool:
    """Send the e-mail in the learner's preferred language; False when there is no address."""
    certificate = Certificate.objects.select_related("enrollment__learner__learner_profile").get(
        pk=certificate_id
    )
    learner = certificate.enrollment.learner
    if not learner.email:
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
