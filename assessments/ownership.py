"""Who may see, edit and publish which question bank (and so its questions).

Built on :mod:`lms.permissions`, the one helper that scopes by center. A bank belongs to one
center or, with no center, to the programme:

- see: programme admins every bank; a trainer or manager their centers' banks and the
  programme's banks (they may use those in assessments);
- edit (draft, submit for review, delete an unused one): programme admins every bank; trainers
  and managers their centers' banks; programme banks only programme admins;
- publish (approve a review, publish, unpublish): programme admins every bank; a center's
  managers that center's banks. Trainers never publish.

The admin's permission policies (``QuestionBankPermissionPolicy``, ``QuestionPermissionPolicy``)
answer per object from these sets; the viewsets answer 404 outside them. Model permissions from
``AssessmentsConfig.ready`` still gate each action by role.
"""

from django.db.models import Q, QuerySet
from wagtail.permission_policies import ModelPermissionPolicy

from lms.permissions import centers_managed_by, centers_visible_to, is_programme_admin

from .models import Question, QuestionBank

# Actions of Wagtail's views and the set each one is checked against.
PUBLISH_ACTIONS = {"publish", "unpublish", "lock", "unlock"}
VIEW_ACTIONS = {"view"}


def banks_visible_to(user) -> QuerySet[QuestionBank]:
    if is_programme_admin(user):
        return QuestionBank.objects.all()
    centers = centers_visible_to(user)
    if not centers.exists():
        return QuestionBank.objects.none()
    return QuestionBank.objects.filter(Q(center__in=centers) | Q(center__isnull=True))


def banks_editable_by(user) -> QuerySet[QuestionBank]:
    if is_programme_admin(user):
        return QuestionBank.objects.all()
    return QuestionBank.objects.filter(center__in=centers_visible_to(user))


def banks_publishable_by(user) -> QuerySet[QuestionBank]:
    if is_programme_admin(user):
        return QuestionBank.objects.all()
    return QuestionBank.objects.filter(center__in=centers_managed_by(user))


def questions_visible_to(user) -> QuerySet[Question]:
    return Question.objects.filter(bank__in=banks_visible_to(user))


def questions_editable_by(user) -> QuerySet[Question]:
    return Question.objects.filter(bank__in=banks_editable_by(user))


def questions_publishable_by(user) -> QuerySet[Question]:
    return Question.objects.filter(bank__in=banks_publishable_by(user))


def question_publishable_by(user, question: Question) -> bool:
    """May ``user`` review (approve, publish, unpublish) this question?"""
    return banks_publishable_by(user).filter(pk=question.bank_id).exists()


def _banks_for(user, action: str) -> QuerySet[QuestionBank]:
    if action in VIEW_ACTIONS:
        return banks_visible_to(user)
    if action in PUBLISH_ACTIONS:
        return banks_publishable_by(user)
    return banks_editable_by(user)


class QuestionBankPermissionPolicy(ModelPermissionPolicy):
    """Model permissions by role, narrowed per bank to the sets above."""

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return QuestionBank.objects.none()
        return _banks_for(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.instances_user_has_permission_for(user, action).filter(pk=instance.pk).exists()


class QuestionPermissionPolicy(ModelPermissionPolicy):
    """Model permissions by role, narrowed per question to its bank's sets."""

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return Question.objects.none()
        return Question.objects.filter(bank__in=_banks_for(user, action))

    def user_has_permission_for_instance(self, user, action, instance):
        return self.instances_user_has_permission_for(user, action).filter(pk=instance.pk).exists()
