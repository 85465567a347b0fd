"""The one place that decides which centers, cohorts and learners a user may see.

Everything scoped by center (admin views, dashboards, exports, APIs) asks these functions.
A programme admin sees the whole network; a center manager or trainer sees only the centers
where they hold a staff role; anyone else sees no center at all.
"""

from django.db.models import QuerySet

from .models import Center, CenterStaff, Cohort, LearnerProfile
from .roles import PROGRAMME_ADMIN


def is_programme_admin(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=PROGRAMME_ADMIN).exists()


def centers_visible_to(user) -> QuerySet[Center]:
    if is_programme_admin(user):
        return Center.objects.all()
    if not user.is_authenticated or not user.is_active:
        return Center.objects.none()
    return Center.objects.filter(staff__user=user).distinct()


def centers_managed_by(user) -> QuerySet[Center]:
    """Centers where the user may act as a manager (enrol, issue certificates)."""
    if is_programme_admin(user):
        return Center.objects.all()
    if not user.is_authenticated or not user.is_active:
        return Center.objects.none()
    return Center.objects.filter(staff__user=user, staff__role=CenterStaff.Role.MANAGER).distinct()


def cohorts_visible_to(user) -> QuerySet[Cohort]:
    if is_programme_admin(user):
        return Cohort.objects.all()
    return Cohort.objects.filter(center__in=centers_visible_to(user))


def learners_visible_to(user) -> QuerySet[LearnerProfile]:
    if is_programme_admin(user):
        return LearnerProfile.objects.all()
    return LearnerProfile.objects.filter(home_center__in=centers_visible_to(user))


def staff_visible_to(user) -> QuerySet[CenterStaff]:
    if is_programme_admin(user):
        return CenterStaff.objects.all()
    return CenterStaff.objects.filter(center__in=centers_visible_to(user))


def can_see_center(user, center: Center) -> bool:
    return centers_visible_to(user).filter(pk=center.pk).exists()
