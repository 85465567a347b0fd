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
