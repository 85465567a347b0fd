"""Admin page where a center manager gives a learner a one-time password.

Reached at ``/admin/programme/learners/<profile id>/one-time-password/``: GET asks to confirm,
POST sets the password and shows it once (the response is never cached and never redirected,
so reloading does not show it again). Another center's learner, or a staff account, is a 404.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from wagtail import hooks

from . import accounts
from .models import LearnerProfile


@never_cache
@require_http_methods(["GET", "POST"])
def learner_one_time_password(request, profile_id):
    profile = get_object_or_404(
        LearnerProfile.objects.select_related("user", "home_center"), pk=profile_id
    )
    if not accounts.learner_password_reset_allowed(manager=request.user, learner_user=profile.user):
        raise Http404
    context = {
        "profile": profile,
        "learners_url": reverse("learners:index"),
        "action_url": reverse("learner_one_time_password", args=[profile.pk]),
    }
    if request.method == "POST":
        try:
            context["password"] = accounts.learner_password_reset_by_center(
                manager=request.user, learner_user=profile.user
            )
        except accounts.LearnerPasswordResetRefused as error:
            raise Http404 from error
        return TemplateResponse(request, "lms/admin/one_time_password_done.html", context)
    return TemplateResponse(request, "lms/admin/one_time_password.html", context)


@hooks.register("register_admin_urls")
def register_one_time_password_url():
    return [
        path(
            "programme/learners/<int:profile_id>/one-time-password/",
            learner_one_time_password,
            name="learner_one_time_password",
        )
    ]
