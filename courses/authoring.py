"""Who may author and publish curriculum pages, and the review every trainer edit goes through.

Trainers may create and edit pages but not publish them: their edits go to the "Curriculum
review" workflow, where a center manager or programme admin approves (and so publishes) them.
This runs after every ``migrate`` and from ``seed_demo``, and is idempotent. Images and
documents are granted per collection by ``lms.media``, not here.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from lms.roles import CENTER_MANAGER, PROGRAMME_ADMIN, TRAINER, roles_sync

REVIEW_WORKFLOW_NAME = "Curriculum review"
REVIEW_TASK_NAME = "Reviewer approval"
REVIEWER_ROLES = (CENTER_MANAGER, PROGRAMME_ADMIN)

PAGE_PERMISSIONS = {
    TRAINER: ("add_page", "change_page"),
    CENTER_MANAGER: ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
    PROGRAMME_ADMIN: (
        *("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
        "bulk_delete_page",
    ),
}


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def curriculum_review_setup() -> Workflow:
    """Grant page permissions per role and attach the review workflow to the tree."""
    groups = roles_sync()
    root_page = Page.get_first_root_node()

    for role, codenames in PAGE_PERMISSIONS.items():
        wanted = {_permission(f"wagtailcore.{codename}") for codename in codenames}
        existing = GroupPagePermission.objects.filter(group=groups[role], page=root_page)
        existing.exclude(permission__in=wanted).delete()
        for permission in wanted:
            GroupPagePermission.objects.get_or_create(
                group=groups[role], page=root_page, permission=permission
            )

    task, _ = GroupApprovalTask.objects.get_or_create(
        name=REVIEW_TASK_NAME, defaults={"active": True}
    )
    task.groups.set(Group.objects.filter(name__in=REVIEWER_ROLES))
    workflow, _ = Workflow.objects.get_or_create(
        name=REVIEW_WORKFLOW_NAME, defaults={"active": True}
    )
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    # The workflow on the root page covers every page in every language.
    WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})
    # Wagtail's stock "Moderators approval" would be a second, unused route to publishing pages.
    # Workflows of snippet types (assessments' question review) are not page routes: kept.
    Workflow.objects.exclude(pk=workflow.pk).filter(workflow_content_types__isnull=True).update(
        active=False
    )
    return workflow
