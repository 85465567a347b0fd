"""The "Question review" workflow, and what a bank in live use may not lose.

Questions go through review like lesson pages (``courses.authoring``): a trainer's edit is a
draft until a reviewer of the bank (``assessments.ownership``) approves it. Setup runs after
every ``migrate`` and from ``seed_demo``, and is idempotent.

A bank is in live use when a live (published) assessment asks one of its questions or draws
from it. Such a bank, and any question in it, cannot be deleted: deleting would change what
learners are asked at once, past review. A reviewer unpublishes a question instead.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from wagtail.models import Workflow, WorkflowContentType, WorkflowTask

from .models import (
    AssessmentDraw,
    AssessmentPage,
    AssessmentQuestion,
    Question,
    QuestionReviewTask,
)

REVIEW_WORKFLOW_NAME = "Question review"
REVIEW_TASK_NAME = "Bank owner approval"


@transaction.atomic
def question_review_setup() -> Workflow:
    """Create (or re-activate) the question review workflow and assign it to questions."""
    task, _created = QuestionReviewTask.objects.get_or_create(name=REVIEW_TASK_NAME)
    if not task.active:
        task.active = True
        task.save(update_fields=["active"])
    workflow, _created = Workflow.objects.get_or_create(name=REVIEW_WORKFLOW_NAME)
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowContentType.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(Question), defaults={"workflow": workflow}
    )
    return workflow


def live_assessments_using(*, bank_ids) -> QuerySet[AssessmentPage]:
    """Live assessments that ask a question of, or draw from, any of these banks."""
    bank_ids = list(bank_ids)
    drawing = AssessmentDraw.objects.filter(bank_id__in=bank_ids).values("page_id")
    asking = AssessmentQuestion.objects.filter(question__bank_id__in=bank_ids).values("page_id")
    return (
        AssessmentPage.objects.live().filter(Q(pk__in=drawing) | Q(pk__in=asking)).order_by("title")
    )


def deletion_refusal(*, banks=(), questions=()) -> str | None:
    """Why these banks and questions may not be deleted, or None when they may."""
    bank_ids = {bank.pk for bank in banks} | {question.bank_id for question in questions}
    if not bank_ids:
        return None
    titles = list(live_assessments_using(bank_ids=bank_ids).values_list("title", flat=True))
    if not titles:
        return None
    used_by = ", ".join(f"“{title}”" for title in titles[:5])
    if len(titles) > 5:
        used_by += ", …"
    if banks:
        return _(
            "This bank is used by live assessments (%(used_by)s), so it cannot be deleted. "
            "Unpublish those assessments first."
        ) % {"used_by": used_by}
    return _(
        "This question's bank is used by live assessments (%(used_by)s), so the question cannot "
        "be deleted. A reviewer of the bank can unpublish it instead; attempts already started "
        "keep it."
    ) % {"used_by": used_by}
