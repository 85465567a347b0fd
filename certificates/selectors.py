"""Reads about certificates that depend on who asks."""

from django.db.models import Q, QuerySet

from lms.permissions import centers_managed_by

from .models import Certificate


def certificates_openable_by(user) -> QuerySet[Certificate]:
    """Certificates whose PDF ``user`` may open when signed in: their own (any status), and
    every certificate of the centers they manage (all of them for a programme admin).

    Trainers are not included, as in the certificates admin: issuing and handing out
    certificates is a manager's job. Anyone else reaches a PDF only through its verification
    code (``/verify/<code>/pdf/``, rate limited).
    """
    if not (user and user.is_authenticated and user.is_active):
        return Certificate.objects.none()
    return Certificate.objects.filter(
        Q(enrollment__learner=user) | Q(center__in=centers_managed_by(user))
    )


def certificates_for_dashboard(enrollment_ids: list[int]) -> dict[int, list[dict]]:
    """{enrollment id: its issued certificates as plain values} for "My learning", one query."""
    from django.urls import reverse

    rows = (
        Certificate.objects.filter(
            enrollment_id__in=enrollment_ids, status=Certificate.Status.ISSUED
        )
        .order_by("issued_at", "pk")
        .values_list("pk", "enrollment_id", "code", "pdf")
    )
    found: dict[int, list[dict]] = {}
    for pk, enrollment_id, code, pdf in rows:
        found.setdefault(enrollment_id, []).append(
            {
                "display_code": Certificate(code=code).display_code,
                "verify_url": reverse("verify_certificate", args=[code]),
                "pdf_url": reverse("certificate_file", args=[pk]) if pdf else "",
            }
        )
    return found
