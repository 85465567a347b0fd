"""Roster import in the Wagtail admin: upload, preview, confirm (the password sheet), discard.

Center managers reach it from the "Import roster" menu item. Every view finds its center or
import through ``lms.permissions`` on every request: an import of a center the user does not
manage is a 404, and a user who manages no center at all is refused.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms.models import Center
from lms.permissions import centers_managed_by

from . import roster
from .models import RosterImport

CHANGED_SINCE_PREVIEW = _(
    "Something changed since the preview, so nothing was imported. The problems are listed "
    "below; fix the file and upload it again."
)
DISCARDED_MESSAGE = _("The roster was discarded; nobody was imported.")
TEMPLATE_FILENAME = "hunar-roster-template.csv"


class RosterUploadForm(forms.Form):
    center = forms.ModelChoiceField(label=_("Center"), queryset=Center.objects.none())
    file = forms.FileField(
        label=_("Roster file"),
        help_text=_("A CSV (UTF-8) or Excel (.xlsx) file, one learner per row."),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        centers = centers_managed_by(user).order_by("name")
        self.fields["center"].queryset = centers
        if len(centers) == 1:
            self.fields["center"].initial = centers[0].pk
            self.fields["center"].empty_label = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            roster.roster_size_check(size=upload.size)
        except roster.RosterFileError as error:
            raise forms.ValidationError(error.message) from None
        return upload


def _require_some_center(request):
    if not centers_managed_by(request.user).exists():
        raise PermissionDenied


def _import_or_404(request, pk) -> RosterImport:
    return get_object_or_404(
        RosterImport.objects.select_related("center", "uploaded_by"),
        pk=pk,
        center__in=centers_managed_by(request.user),
    )


def upload_view(request):
    _require_some_center(request)
    form = RosterUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            roster_import = roster.roster_preview(
                center=form.cleaned_data["center"],
                uploaded_by=request.user,
                filename=upload.name,
                # Never read more than the limit (plus one byte, to notice a file over it).
                content=upload.read(roster.roster_max_bytes() + 1),
            )
        except roster.RosterFileError as error:
            form.add_error("file", error.message)
        else:
            return redirect("courses_roster:preview", roster_import.pk)
    recent = RosterImport.objects.filter(
        center__in=centers_managed_by(request.user)
    ).select_related("center")[:10]
    return TemplateResponse(
        request,
        "courses/admin/roster_upload.html",
        {"form": form, "recent_imports": recent, "columns": roster.TEMPLATE_HEADERS},
    )


@require_GET
def template_view(request):
    _require_some_center(request)
    response = HttpResponse(roster.roster_template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_FILENAME}"'
    return response


def _table(roster_import: RosterImport) -> list[dict]:
    bad_rows = {problem["row"] for problem in roster_import.problems}
    return [
        {
            **row,
            "has_problem": row["row"] in bad_rows,
            "values": [row.get(column, "") for column in roster.COLUMNS],
        }
        for row in roster_import.rows
    ]


@require_GET
def preview_view(request, pk):
    roster_import = _import_or_404(request, pk)
    existing = sum(1 for row in roster_import.rows if row.get("already_imported"))
    context = {
        "roster_import": roster_import,
        "problems": roster_import.problems,
        "table": _table(roster_import),
        "column_labels": list(roster.COLUMN_LABELS.values()),
        "new_count": len(roster_import.rows) - existing,
        "existing_count": existing,
        "same_file": roster.roster_same_file_imported(roster_import=roster_import),
        "can_confirm": (
            roster_import.status == RosterImport.Status.PREVIEWED and not roster_import.problems
        ),
    }
    return TemplateResponse(request, "courses/admin/roster_preview.html", context)


def confirm_view(request, pk):
    roster_import = _import_or_404(request, pk)
    if request.method != "POST":
        return redirect("courses_roster:preview", roster_import.pk)
    try:
        result = roster.roster_commit(roster_import=roster_import, confirmed_by=request.user)
    except roster.RosterHasProblems as error:
        # A forged confirmation of a roster that had problems at preview gets the plain message.
        messages.error(request, error.message if roster_import.problems else CHANGED_SINCE_PREVIEW)
        roster.roster_recheck(roster_import=roster_import)
        return redirect("courses_roster:preview", roster_import.pk)
    except (roster.RosterAlreadyCommitted, roster.RosterDiscarded) as error:
        messages.error(request, error.message)
        return redirect("courses_roster:preview", roster_import.pk)
    response = TemplateResponse(
        request,
        "courses/admin/roster_passwords.html",
        {"roster_import": result.roster_import, "result": result},
    )
    # The only copy of the passwords: keep it out of every cache and the back button.
    add_never_cache_headers(response)
    return response


@require_GET
def summary_view(request, pk):
    """A committed import's courses: who was enrolled where, and why not (CSV)."""
    roster_import = _import_or_404(request, pk)
    if roster_import.status != RosterImport.Status.COMMITTED:
        return redirect("courses_roster:preview", roster_import.pk)
    content = roster.roster_summary_csv(roster_import=roster_import)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    day = roster_import.committed_at.date().isoformat()
    name = f"roster-{roster_import.center.code}-{day}-courses.csv".lower()
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def discard_view(request, pk):
    roster_import = _import_or_404(request, pk)
    if request.method != "POST":
        return redirect("courses_roster:preview", roster_import.pk)
    try:
        roster.roster_discard(roster_import=roster_import)
    except roster.RosterAlreadyCommitted as error:
        messages.error(request, error.message)
        return redirect("courses_roster:preview", roster_import.pk)
    messages.success(request, DISCARDED_MESSAGE)
    return redirect("courses_roster:upload")


urlpatterns = [
    path("", upload_view, name="upload"),
    path("template.csv", template_view, name="template"),
    path("<int:pk>/", preview_view, name="preview"),
    path("<int:pk>/confirm/", confirm_view, name="confirm"),
    path("<int:pk>/discard/", discard_view, name="discard"),
    path("<int:pk>/courses.csv", summary_view, name="summary"),
]


@hooks.register("register_admin_urls")
def register_roster_urls():
    return [path("roster/", include((urlpatterns, "courses_roster"), namespace="courses_roster"))]


class RosterMenuItem(MenuItem):
    def is_shown(self, request):
        return centers_managed_by(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_roster_menu_item():
    return RosterMenuItem(
        _("Import roster"),
        reverse("courses_roster:upload"),
        name="import-roster",
        icon_name="upload",
        order=350,
    )
