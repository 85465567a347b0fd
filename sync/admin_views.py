"""Lab nodes in the Wagtail admin.

On the programme's server (programme admins only): the nodes with their last sync, a form that
makes a one-time enrolment token for a center, and revoking a node. On a node: a panel on the
admin home that tells the lab's staff whether the link is up ("offline since 09:12 — 214 records
waiting") with a button that syncs now.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from lms.models import Center
from lms.permissions import is_programme_admin

from . import services
from .models import Node

app_name = "sync_admin"
MENU_LABEL = gettext_lazy("Lab nodes")


def _programme_admin_only(request):
    if not is_programme_admin(request.user):
        raise PermissionDenied


class TokenForm(forms.Form):
    center = forms.ModelChoiceField(
        label=gettext_lazy("Center"), queryset=Center.objects.filter(is_active=True)
    )


@require_http_methods(["GET", "POST"])
def node_index(request):
    _programme_admin_only(request)
    form = TokenForm(request.POST or None)
    token = None
    if request.method == "POST" and form.is_valid():
        token = services.enrolment_token_create(
            center=form.cleaned_data["center"], created_by=request.user
        )
    return TemplateResponse(
        request,
        "sync/admin/nodes.html",
        {
            "title": MENU_LABEL,
            "nodes": Node.objects.select_related("center"),
            "form": form,
            "token": token,
            "token_center": form.cleaned_data["center"] if token else None,
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("Home")},
                {"url": "", "label": MENU_LABEL},
            ],
        },
    )


@require_POST
def node_revoke(request, node_id):
    _programme_admin_only(request)
    node = get_object_or_404(Node.objects.select_related("center"), pk=node_id)
    services.node_revoke(node=node)
    messages.success(request, _("%(node)s is revoked: its syncs are refused.") % {"node": node})
    return redirect("sync_admin:index")


@require_POST
def node_sync_now(request):
    """On a node: one sync both ways, now, for the lab's staff."""
    from .node import node_sync

    if not settings.HUNAR_NODE or not request.user.has_perm("wagtailadmin.access_admin"):
        raise PermissionDenied
    summary = node_sync()
    if summary.online:
        messages.success(
            request,
            _("Synced: %(sent)d records sent, %(received)d received.")
            % {"sent": summary.sent, "received": summary.received},
        )
    else:
        messages.error(request, _("The programme's server did not answer; try again later."))
    return redirect("wagtailadmin_home")


urlpatterns = [
    path("", node_index, name="index"),
    path("<int:node_id>/revoke/", node_revoke, name="revoke"),
    path("sync-now/", node_sync_now, name="sync_now"),
]


class NodesMenuItem(MenuItem):
    def is_shown(self, request):
        return not settings.HUNAR_NODE and is_programme_admin(request.user)


class NodeLinkPanel(Component):
    """On a node's admin home: the link's state and what waits to go up."""

    name = "hunar_node_link"
    template_name = "sync/admin/link_panel.html"
    order = 40

    def get_context_data(self, parent_context):
        from .node import node_state

        context = super().get_context_data(parent_context)
        context["state"] = node_state()
        context["csrf_token"] = parent_context.get("csrf_token")
        return context
