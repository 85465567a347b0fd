"""The one place that decides which centers, cohorts and learners a user may see.

Everything scoped by center (admin views, dashboards, exports, APIs) asks these functions.

- A programme admin sees the whole network.
- A center manager sees every cohort and learner of the centers they manage.
- A trainer sees their center, the cohorts they teach and the learners in those cohorts.
- A learner sees only themselves; anyone else sees nothing.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from .models import Center, CenterStaff, Cohort, LearnerProfile
from .roles import PROGRAMME_ADMIN


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_programme_admin(user) -> bool:
    if not _active(user):
        return False
    # Remembered on the user object, which lives for one request: admin pages ask many times
    # (every menu item checks), and the answer cannot change within a request.
    cached = getattr(user, "_hunar_is_programme_admin", None)
    if cached is None:
        cached = user.is_superuser or user.groups.filter(name=PROGRAMME_ADMIN).exists()
        user._hunar_is_programme_admin = cached
    return cached


def centers_visible_to(user) -> QuerySet[Center]:
    if is_programme_admin(user):
        return Center.objects.all()
    if not _active(user):
        return Center.objects.none()
    return Center.objects.filter(staff__user=user).distinct()


def centers_managed_by(user) -> QuerySet[Center]:
    """Centers where the user may act as a manager (enrol, import rosters, issue certificates)."""
    if is_programme_admin(user):
        return Center.objects.all()
    if not _active(user):
        return Center.objects.none()
    return Center.objects.filter(staff__user=user, staff__role=CenterStaff.Role.MANAGER).distinct()


def cohorts_visible_to(user) -> QuerySet[Cohort]:
    """Managers: all cohorts of their centers. Trainers: the cohorts they teach."""
    if is_programme_admin(user):
        return Cohort.objects.all()
    if not _active(user):
        return Cohort.objects.none()
    # A flat queryset (no join, no DISTINCT), so callers can annotate counts on it safely.
    visible = Cohort.objects.filter(Q(center__in=centers_managed_by(user)) | Q(trainers=user))
    return Cohort.objects.filter(pk__in=visible.values("pk"))


def learner_users_visible_to(user):
    """Users whose learning data (progress, attendance, enrollments) this user may see."""
    User = get_user_model()
    if is_programme_admin(user):
        return User.objects.all()
    if not _active(user):
        return User.objects.none()
    managed = centers_managed_by(user)
    return User.objects.filter(
        Q(pk=user.pk)
        | Q(learner_profile__home_center__in=managed)
        | Q(cohort_memberships__cohort__center__in=managed)
        | Q(cohort_memberships__cohort__trainers=user)
    ).distinct()


def users_visible_to(user):
    """Accounts a user may pick in an admin form: the learners they may see and the staff of
    their centers (programme admins: everyone)."""
    User = get_user_model()
    if is_programme_admin(user):
        return User.objects.all()
    if not _active(user):
        return User.objects.none()
    return User.objects.filter(
        Q(pk__in=learner_users_visible_to(user).values("pk"))
        | Q(pk__in=CenterStaff.objects.filter(center__in=centers_visible_to(user)).values("user"))
    )


def learners_visible_to(user) -> QuerySet[LearnerProfile]:
    if is_programme_admin(user):
        return LearnerProfile.objects.all()
    if not _active(user):
        return LearnerProfile.objects.none()
    staff_view = learner_users_visible_to(user).exclude(pk=user.pk)
    return LearnerProfile.objects.filter(user__in=staff_view)


def staff_visible_to(user) -> QuerySet[CenterStaff]:
    if is_programme_admin(user):
        return CenterStaff.objects.all()
    return CenterStaff.objects.filter(center__in=centers_visible_to(user))


def can_see_center(user, center: Center) -> bool:
    return centers_visible_to(user).filter(pk=center.pk).exists()


def can_manage_center(user, center: Center) -> bool:
    return centers_managed_by(user).filter(pk=center.pk).exists()


def can_see_cohort(user, cohort: Cohort) -> bool:
    return cohorts_visible_to(user).filter(pk=cohort.pk).exists()


def can_see_learner(user, learner_user) -> bool:
    """May ``user`` see this learner's progress, enrollments and attendance?"""
    if _active(user) and user.pk == learner_user.pk:
        return True
    return learner_users_visible_to(user).filter(pk=learner_user.pk).exists()
