"""Grading and item analysis in the Wagtail admin.

Every view finds its attempt through ``selectors.gradable_attempts`` on every request (a
trainer's cohorts, a manager's centers, everything for a programme admin, never one's own
attempts): any other attempt is a 404, for GET and POST alike. Item analysis counts only the
attempts the same selector gives. A user who grades nobody is refused outright.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.admin import messages
from wagtail.models import Page

from content.sanitize import clean_html
from lms.permissions import centers_managed_by, cohorts_visible_to, is_programme_admin

from . import selectors, services
from .admin_forms import ResponseGradeForm
from .analysis import item_analysis, item_analysis_csv
from .localize import localized_question
from .models import AssessmentPage, Attempt, GradeChange

app_name = "assessments_admin"
PAGE_SIZE = 50
GRADES_SAVED = _("Grades saved for %(learner)s.")
NOTHING_TO_SAVE = _("Nothing to save: give a score for at least one answer.")
NOT_SAVED = _("Nothing was saved: correct the marked fields.")


def is_grader(user) -> bool:
    """Does ``user`` grade anybody (teach a cohort, manage a center, run the programme)?"""
    return (
        is_programme_admin(user)
        or cohorts_visible_to(user).exists()
        or centers_managed_by(user).exists()
    )


def _require_grader(request):
    if not is_grader(request.user):
        raise PermissionDenied


def _learner_name(user) -> str:
    profile = getattr(user, "learner_profile", None)
    return profile.full_name if profile else user.get_username()


@require_GET
def grading_queue_view(request):
    _require_grader(request)
    show = request.GET.get("show", "waiting")
    if show == "graded":
        regraded = GradeChange.objects.filter(response__attempt=OuterRef("pk"))
        attempts = (
            selectors.gradable_attempts(request.user)
            .filter(Exists(regraded), status=Attempt.Status.GRADED)
            .select_related("learner__learner_profile", "assessment", "enrollment__cohort")
            .select_related("enrollment__center")
            .order_by("-graded_at", "-pk")
        )
    else:
        show = "waiting"
        attempts = selectors.grading_queue(request.user).select_related("learner__learner_profile")
    assessment_id = request.GET.get("assessment", "")
    if assessment_id.isdigit():
        attempts = attempts.filter(assessment_id=int(assessment_id))
    page = Paginator(attempts, PAGE_SIZE).get_page(request.GET.get("p"))
    for attempt in page:
        attempt.learner_name = _learner_name(attempt.learner)
    waiting_by_assessment = (
        selectors.grading_queue(request.user)
        .order_by()
        .values("assessment_id", "assessment__title")
        .annotate(count=Count("pk"))
        .order_by("assessment__title")
    )
    context = {
        "page": page,
        "show": show,
        "assessment_id": assessment_id,
        "assessments": waiting_by_assessment,
    }
    return TemplateResponse(request, "assessments/admin/grading_queue.html", context)


def _answer_text(response) -> str:
    """A written answer exactly as the learner typed it. The template escapes it and keeps its
    line breaks and spacing: an answer is text, never markup (a learner's ``<h1>`` is code to
    grade, and a link or remote image must not load in the grader's browser)."""
    answer = response.answer
    return answer if isinstance(answer, str) else ""


@require_http_methods(["GET", "POST"])
def attempt_grade_view(request, attempt_id):
    attempt = get_object_or_404(
        selectors.gradable_attempts(request.user)
        .exclude(status=Attempt.Status.IN_PROGRESS)
        .select_related("learner__learner_profile", "assessment", "enrollment__cohort")
        .select_related("enrollment__center"),
        pk=attempt_id,
    )
    responses = selectors.manual_responses(attempt)
    forms = [
        ResponseGradeForm(
            request.POST if request.method == "POST" else None,
            response=response,
            question=localized_question(attempt.questions[response.position]),
        )
        for response in responses
    ]
    error = None
    if request.method == "POST":
        if all([form.is_valid() for form in forms]):
            to_save = [form for form in forms if form.to_save]
            if not to_save:
                error = NOTHING_TO_SAVE
            else:
                grading = None
                try:
                    # All the answers' grades or none of them.
                    with transaction.atomic():
                        for grading in to_save:
                            services.response_grade(
                                response=grading.response,
                                grader=request.user,
                                **grading.grade_arguments(),
                            )
                except services.GradingError as refused:
                    grading.add_error(None, str(refused))
                    error = NOT_SAVED
                else:
                    learner = _learner_name(attempt.learner)
                    messages.success(request, GRADES_SAVED % {"learner": learner})
                    return redirect("assessments_admin:queue")
        else:
            error = NOT_SAVED
    history = {}
    changes = GradeChange.objects.filter(response__in=[r.pk for r in responses]).select_related(
        "changed_by"
    )
    for change in changes:
        history.setdefault(change.response_id, []).append(change)
    items = [
        {
            "form": form,
            "response": form.response,
            "question": form.question,
            "prompt": mark_safe(clean_html(form.question.get("prompt", ""))),  # noqa: S308
            "answer": _answer_text(form.response),
            "number": form.response.position + 1,
            "history": history.get(form.response.pk, []),
        }
        for form in forms
    ]
    attempt.learner_name = _learner_name(attempt.learner)
    context = {"attempt": attempt, "items": items, "error": error}
    return TemplateResponse(request, "assessments/admin/attempt_grade.html", context)


@require_GET
def item_analysis_index_view(request):
    _require_grader(request)
    graded = dict(
        selectors.gradable_attempts(request.user)
        .filter(status=Attempt.Status.GRADED)
        .order_by()
        .values_list("assessment_id")
        .annotate(count=Count("pk"))
    )
    assessments = AssessmentPage.objects.order_by("path").only("pk", "title", "path", "depth")
    page = Paginator(assessments, PAGE_SIZE).get_page(request.GET.get("p"))
    parents = Page.objects.filter(
        path__in={a.path[: -AssessmentPage.steplen] for a in page}
    ).values_list("path", "title")
    course_titles = dict(parents)
    for assessment in page:
        assessment.course_title = course_titles.get(assessment.path[: -AssessmentPage.steplen])
        assessment.graded_attempts = graded.get(assessment.pk, 0)
    return TemplateResponse(request, "assessments/admin/item_analysis_index.html", {"page": page})


@require_GET
def item_analysis_view(request, page_id):
    _require_grader(request)
    assessment = get_object_or_404(AssessmentPage, pk=page_id)
    analysis = item_analysis(user=request.user, assessment=assessment)
    return TemplateResponse(request, "assessments/admin/item_analysis.html", {"analysis": analysis})


@require_GET
def item_analysis_csv_view(request, page_id):
    _require_grader(request)
    assessment = get_object_or_404(AssessmentPage, pk=page_id)
    analysis = item_analysis(user=request.user, assessment=assessment)
    response = HttpResponse(
        "\ufeff" + item_analysis_csv(analysis), content_type="text/csv; charset=utf-8"
    )
    filename = f"item-analysis-{slugify(assessment.slug) or assessment.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


urlpatterns = [
    path("grading/", grading_queue_view, name="queue"),
    path("grading/<int:attempt_id>/", attempt_grade_view, name="grade"),
    path("item-analysis/", item_analysis_index_view, name="item_analysis_index"),
    path("item-analysis/<int:page_id>/", item_analysis_view, name="item_analysis"),
    path("item-analysis/<int:page_id>/csv/", item_analysis_csv_view, name="item_analysis_csv"),
]
