"""The review step of the "Question review" workflow (``assessments.review``).

Like Wagtail's group approval, but the reviewers of a question are decided by the owner of its
bank (``assessments.ownership``): a manager of the bank's center, or a programme admin. A
manager of another center neither sees the question in "Awaiting your review" nor may act on it.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from wagtail.models import Task, TaskState


def _may_review(obj, user) -> bool:
    from assessments.ownership import question_publishable_by

    return question_publishable_by(user, obj)


class QuestionReviewTask(Task):
    """Approval by the reviewers of the question's bank (its center's managers, or programme
    admins for programme banks)."""

    def user_can_access_editor(self, obj, user):
        return _may_review(obj, user)

    def locked_for_user(self, obj, user):
        # While in review only its reviewers may change the question.
        return not _may_review(obj, user)

    def user_can_lock(self, obj, user):
        return _may_review(obj, user)

    def get_actions(self, obj, user):
        if not _may_review(obj, user):
            return []
        return [
            ("reject", _("Request changes"), True),
            ("approve", _("Approve"), False),
            ("approve", _("Approve with comment"), True),
        ]

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from assessments.ownership import questions_publishable_by

        from .questions import Question

        ids = [str(pk) for pk in questions_publishable_by(user).values_list("pk", flat=True)]
        return self.task_states.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            workflow_state__base_content_type=ContentType.objects.get_for_model(Question),
            workflow_state__object_id__in=ids,
        )

    @classmethod
    def get_description(cls):
        return _("Managers of the bank's center (programme admins for programme banks) approve")

    class Meta:
        verbose_name = _("question review task")
        verbose_name_plural = _("question review tasks")
