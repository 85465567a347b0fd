"""The "Assessments" admin menu: question banks and questions (viewsets), the grading queue
and item analysis (admin views, shown to whoever grades somebody); the guard on deleting
questions, single or in bulk."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.models import register_snippet

from . import admin_views, import_views, ownership
from .models import Question
from .review import deletion_refusal
from .viewsets import AssessmentsViewSetGroup

# As snippets, so that Wagtail creates the publish and lock permissions of questions.
register_snippet(AssessmentsViewSetGroup)


class QuestionDeleteBulkAction(DeleteBulkAction):
    """Wagtail's bulk delete of snippets, for questions: ids the user may not even see answer
    404 (the stock action would list them by title as "no permission"); "select all" means the
    questions the user sees."""

    models = [Question]

    def get_all_objects_in_listing_query(self, parent_id):
        return ownership.questions_visible_to(self.request.user).values_list("pk", flat=True)

    def check_perm(self, snippet):
        if not ownership.questions_visible_to(self.request.user).filter(pk=snippet.pk).exists():
            raise Http404
        return super().check_perm(snippet)


# Registered after Wagtail's own snippet bulk delete, which it replaces for questions.
hooks.register("register_bulk_action", QuestionDeleteBulkAction, order=100)


@hooks.register("before_delete_snippet")
def refuse_deleting_questions(request, instances):
    """Questions of a bank in live use are kept, with the reason (single and bulk delete; the
    views and the bulk action have already narrowed ``instances`` to the user's questions)."""
    questions = [instance for instance in instances if isinstance(instance, Question)]
    if not questions:
        return None
    refusal = deletion_refusal(questions=questions)
    if refusal:
        messages.error(request, refusal)
        return redirect("questions:list")
    return None


@hooks.register("register_admin_urls")
def register_assessments_admin_urls():
    urls = (admin_views.urlpatterns, admin_views.app_name)
    imports = (import_views.urlpatterns, "assessments_import")
    return [
        path("assessments/", include(urls, namespace=admin_views.app_name)),
        path("assessments/", include(imports, namespace="assessments_import")),
    ]


class GraderMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.is_grader(request.user)


@hooks.register("register_assessments_menu_item")
def register_grading_queue_item():
    return GraderMenuItem(
        _("Grading queue"), reverse("assessments_admin:queue"), icon_name="tasks", order=30
    )


@hooks.register("register_assessments_menu_item")
def register_item_analysis_item():
    return GraderMenuItem(
        _("Item analysis"),
        reverse("assessments_admin:item_analysis_index"),
        icon_name="table",
        order=40,
    )
