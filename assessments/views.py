"""The learner's side: start, take (page by page, saved on every step), submit, see the result.

Every view finds the attempt through ``selectors`` for the signed-in user: someone else's
attempt id is a 404. Everything works without JavaScript; the small script only adds autosave.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.models import Locale

from content.canonical import translations_in

from . import forms, selectors, services
from .models import AssessmentPage, Attempt
from .uploads import UploadRejected

# Room for the other form fields next to the largest allowed file.
FORM_OVERHEAD_BYTES = 1024 * 1024
STORAGE_FAILED = gettext_lazy(
    "Your file could not be stored just now (the server's storage is full). Nothing was saved; "
    "your answers are still on this page. Choose the file again and save in a few minutes."
)


def _too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.ASSESSMENT_UPLOAD_MAX_BYTES + FORM_OVERHEAD_BYTES


def _page_number(attempt, value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 1
    return min(max(number, 1), forms.page_count(attempt))


def _own_attempt(request, attempt_id) -> Attempt:
    return get_object_or_404(selectors.own_attempts(request.user), pk=attempt_id)


@login_required
@require_POST
def attempt_start(request, page_id):
    page = get_object_or_404(AssessmentPage.objects.live(), pk=page_id)
    try:
        attempt = services.attempt_start(learner=request.user, assessment=page)
    except services.AssessmentError as error:
        messages.error(request, str(error))
        return redirect(page.url)
    return redirect("assessments:attempt", attempt.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def attempt_take(request, attempt_id):
    attempt = _own_attempt(request, attempt_id)
    if attempt.status != Attempt.Status.IN_PROGRESS:
        return redirect("assessments:result", attempt.pk)
    if services.attempt_is_overdue(attempt):
        services.attempt_submit(attempt=attempt)
        messages.warning(
            request,
            _("The time for this attempt ran out; it was submitted with your saved answers."),
        )
        return redirect("assessments:result", attempt.pk)
    if request.method == "GET":
        page_number = _page_number(attempt, request.GET.get("page"))
        return _render_attempt(request, attempt, page_number)
    if _too_large(request):
        return _render_attempt(
            request,
            attempt,
            _page_number(attempt, request.GET.get("page")),
            error=_("The upload is larger than %(limit)s; nothing was saved.")
            % {"limit": filesizeformat(settings.ASSESSMENT_UPLOAD_MAX_BYTES)},
            status=413,
        )
    page_number = _page_number(attempt, request.POST.get("page"))
    action = request.POST.get("action", "save")
    answers = forms.answers_from_post(attempt, request.POST)
    files = forms.files_from_post(attempt, request.FILES)
    try:
        sequence = int(request.POST.get("sequence", ""))
    except ValueError:
        sequence = -1
    try:
        services.attempt_save(attempt=attempt, answers=answers, files=files, sequence=sequence)
        if action == "submit":
            # Saved; the learner confirms on a page that names what is still unanswered.
            return redirect("assessments:confirm", attempt.pk)
    except services.StaleForm as error:
        attempt.refresh_from_db()
        return _render_attempt(request, attempt, page_number, answers, error=str(error), status=409)
    except UploadRejected as error:
        return _render_attempt(
            request,
            attempt,
            page_number,
            answers,
            error=_("Nothing was saved. %(reason)s") % {"reason": error.message},
            status=error.status,
        )
    except services.AttemptClosed as error:
        messages.warning(request, str(error))
        return redirect("assessments:result", attempt.pk)
    except OSError:
        # The file store failed (a full disk): the whole save rolled back and no partial file
        # was kept (lms.atomic_storage); the answers stay on the page to send again.
        response = _render_attempt(
            request, attempt, page_number, answers, error=STORAGE_FAILED, status=503
        )
        response["Retry-After"] = "120"
        return response
    if action == "next":
        page_number += 1
    elif action == "previous":
        page_number -= 1
    elif action.startswith("page-") and action[5:].isdigit():
        page_number = int(action[5:])
    else:
        messages.success(request, _("Your answers are saved."))
    page_number = _page_number(attempt, page_number)
    return redirect(f"{reverse('assessments:attempt', args=[attempt.pk])}?page={page_number}")


def _answered(response) -> bool:
    return response.answer not in (None, "", []) or bool(response.file)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def attempt_confirm(request, attempt_id):
    """The step before submitting: the unanswered questions by number and title, with "Submit
    now" and "Go back" (a page, so it works without JavaScript)."""
    attempt = _own_attempt(request, attempt_id)
    if attempt.status != Attempt.Status.IN_PROGRESS:
        return redirect("assessments:result", attempt.pk)
    changed = False
    if request.method == "POST":
        try:
            sequence = int(request.POST.get("sequence", ""))
        except ValueError:
            sequence = -1
        # Answers saved elsewhere (another tab) since this page was shown: show the list again.
        changed = sequence != attempt.sequence
        if not changed or services.attempt_is_overdue(attempt):
            services.attempt_submit(attempt=attempt)
            messages.success(request, _("Your answers were submitted."))
            return redirect("assessments:result", attempt.pk)
    elif services.attempt_is_overdue(attempt):
        services.attempt_submit(attempt=attempt)
        messages.warning(
            request,
            _("The time for this attempt ran out; it was submitted with your saved answers."),
        )
        return redirect("assessments:result", attempt.pk)
    answered = {r.position for r in attempt.responses.all() if _answered(r)}
    missing = [p for p in range(len(attempt.questions)) if p not in answered]
    rows = forms.question_rows(attempt, missing, {}, {})
    per_page = attempt.snapshot.get("questions_per_page") or 5
    for row in rows:
        row["page"] = row["position"] // per_page + 1
    context = {
        "attempt": attempt,
        "assessment": _shown(attempt.assessment),
        "unanswered": rows,
        "total": len(attempt.questions),
        "changed": changed,
    }
    return render(
        request, "assessments/attempt_confirm.html", context, status=409 if changed else 200
    )


def _shown(assessment: AssessmentPage) -> AssessmentPage:
    """The assessment's live translation in the active language, for its title and link (the
    attempt and its rules stay on the canonical assessment)."""
    try:
        locale = Locale.get_active()
    except Locale.DoesNotExist:
        return assessment
    queryset = AssessmentPage.objects.all()
    return translations_in([assessment], locale, queryset=queryset).get(assessment.pk, assessment)


def _render_attempt(request, attempt, page_number, answers=None, *, error="", status=200):
    positions = forms.page_positions(attempt, page_number)
    responses = {r.position: r for r in attempt.responses.all()}
    pages = forms.page_count(attempt)
    context = {
        "attempt": attempt,
        "assessment": _shown(attempt.assessment),
        "rows": forms.question_rows(attempt, positions, answers or {}, responses),
        "positions": ",".join(str(p) for p in positions),
        "page_number": page_number,
        "page_count": pages,
        "page_range": range(1, pages + 1),
        "answered": sum(1 for r in responses.values() if _answered(r)),
        "total": len(attempt.questions),
        "error": error,
        "has_file": any(attempt.questions[p]["kind"] == "file" for p in positions),
        "upload_limit": settings.ASSESSMENT_UPLOAD_MAX_BYTES,
    }
    return render(request, "assessments/attempt.html", context, status=status)


@login_required
@require_POST
def attempt_autosave(request, attempt_id):
    """The script's autosave: the same fields as the form, answered in JSON (no files)."""
    attempt = _own_attempt(request, attempt_id)
    try:
        sequence = int(request.POST.get("sequence", ""))
    except ValueError:
        sequence = -1
    answers = forms.answers_from_post(attempt, request.POST)
    try:
        attempt = services.attempt_save(attempt=attempt, answers=answers, sequence=sequence)
    except services.StaleForm as error:
        return JsonResponse(
            {
                "saved": False,
                "stale": True,
                "sequence": error.current_sequence,
                "message": str(error),
            },
            status=409,
        )
    except services.AttemptClosed as error:
        return JsonResponse({"saved": False, "closed": True, "message": str(error)}, status=409)
    return JsonResponse(
        {"saved": True, "sequence": attempt.sequence, "saved_at": attempt.last_saved_at.isoformat()}
    )


@login_required
@require_GET
def attempt_result(request, attempt_id):
    attempt = _own_attempt(request, attempt_id)
    if attempt.status == Attempt.Status.IN_PROGRESS:
        return redirect("assessments:attempt", attempt.pk)
    assessment = attempt.assessment
    show_feedback = attempt.status == Attempt.Status.GRADED and assessment.feedback_visible()
    responses = {r.position: r for r in attempt.responses.all()}
    rows = forms.question_rows(attempt, range(len(attempt.questions)), {}, responses)
    return render(
        request,
        "assessments/result.html",
        {
            "attempt": attempt,
            "assessment": _shown(assessment),
            "rows": rows,
            "show_feedback": show_feedback,
            "show_correct": show_feedback and assessment.show_correct_answers,
        },
    )


@login_required
@require_GET
def response_file(request, attempt_id, position):
    """An uploaded file, for its learner and the learner's graders only; never inline."""
    attempt = get_object_or_404(selectors.readable_attempts(request.user), pk=attempt_id)
    response = attempt.responses.filter(position=position).exclude(file="").first()
    if response is None:
        raise Http404
    try:
        handle = response.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    result = FileResponse(
        handle,
        as_attachment=True,
        filename=response.file_name or f"answer-{position + 1}",
        content_type="application/octet-stream",
    )
    result["X-Content-Type-Options"] = "nosniff"
    result["Content-Security-Policy"] = "sandbox; default-src 'none'"
    result["Cache-Control"] = "private, no-store"
    return result
