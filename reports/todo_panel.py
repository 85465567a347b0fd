"""The to-do panel on the Wagtail admin home (``construct_homepage_panels``) and the POST that
marks an inbox notice read."""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_POST
from wagtail.admin.ui.components import Component

from lms.notices import notice_mark_read

from .todo import todo_of

app_name = "todo"


class TodoPanel(Component):
    name = "hunar_todo"
    template_name = "reports/admin/todo_panel.html"
    order = 50  # first: above Wagtail's own panels

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        request = parent_context["request"]
        context["request"] = request
        context["csrf_token"] = parent_context.get("csrf_token")
        context["todo"] = todo_of(user=request.user)
        return context


@require_POST
def notice_read(request, notice_id):
    """Mark one of the requester's own notices read; anyone else's is a 404."""
    if not notice_mark_read(user=request.user, notice_id=notice_id):
        raise Http404
    return redirect("wagtailadmin_home")


urlpatterns = [path("notices/<int:notice_id>/read/", notice_read, name="notice_read")]
