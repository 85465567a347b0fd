"""The follow-up form a learner opens from their e-mail, without signing in.

The token in the link is the only key: it is looked up by its hash, answers once, and the page
is never cached or indexed. A bad, used or expired link gets a plain explanation (status 404 or
410), never someone else's form.
"""

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .followups import (
    LINK_ANSWERED,
    LINK_EXPIRED,
    FollowUpError,
    FollowUpForm,
    followup_answer,
    followup_for_token,
)


def _closed(request, message):
    status = 410 if message in (LINK_ANSWERED, LINK_EXPIRED) else 404
    return TemplateResponse(
        request, "reports/followup/closed.html", {"message": message}, status=status
    )


@never_cache
@require_http_methods(["GET", "POST"])
def followup_answer_view(request, token):
    if request.GET.get("done") == "1" and request.method == "GET":
        return TemplateResponse(request, "reports/followup/thanks.html", {})
    try:
        followup = followup_for_token(token)
    except FollowUpError as error:
        return _closed(request, error.message)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            followup_answer(token=token, answers=form.cleaned_data)
        except FollowUpError as error:
            return _closed(request, error.message)
        return redirect(request.path + "?done=1")
    context = {
        "form": form,
        "course": followup.enrollment.course.title,
        "days": followup.days_after,
    }
    response = TemplateResponse(request, "reports/followup/form.html", context)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
