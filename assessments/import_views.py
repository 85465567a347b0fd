"""Importing questions into a bank, and exporting a bank, in the Wagtail admin.

Every request finds its bank through ``assessments.ownership`` (import: banks the user may
edit; export: banks the user may see), so another center's bank is a 404 for GET and POST
alike. Import is two steps: upload, then a preview of every question and every problem with its
line; "Import" posts the same file back (carried in the form, so any web process can answer)
and the service checks and saves it again, all or nothing.
"""

import base64
import binascii

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.admin import messages

from . import importing, ownership
from .models import Question

IMPORTED_DRAFTS = _("%(count)s questions imported into “%(bank)s” as drafts for review.")
IMPORTED_LIVE = _("%(count)s questions imported into “%(bank)s” and published.")
NOTHING_IMPORTED = _("Nothing was imported: correct the problems listed below and try again.")
TOO_LARGE = _("The file is larger than %(size)s KB; split it into smaller files.")


class QuestionImportForm(forms.Form):
    file = forms.FileField(label=_("Question file"), required=False)
    format = forms.ChoiceField(label=_("Format"), choices=list(importing.FORMATS.items()))
    publish = forms.BooleanField(
        label=_("Publish the questions"),
        required=False,
        help_text=_("Without this, the questions arrive as drafts for the bank's reviewers."),
    )
    # The previewed file, sent back with "Import" (base64).
    content = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, may_publish: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_publish:
            del self.fields["publish"]

    def clean(self):
        cleaned = super().clean()
        upload, content = cleaned.get("file"), cleaned.get("content")
        cap = settings.QUESTION_IMPORT_MAX_BYTES
        if upload is not None:
            if upload.size > cap:
                raise forms.ValidationError(TOO_LARGE % {"size": cap // 1024})
            cleaned["data"] = upload.read()
        elif content:
            try:
                cleaned["data"] = base64.b64decode(content, validate=True)
            except (binascii.Error, ValueError):
                raise forms.ValidationError(_("Upload the file again.")) from None
            if len(cleaned["data"]) > cap:
                raise forms.ValidationError(TOO_LARGE % {"size": cap // 1024})
        else:
            raise forms.ValidationError(_("Choose a file of questions."))
        return cleaned


def _rows(outcome):
    """One row per question with the problems of its line, then the problems of no question."""
    by_line = {}
    for problem in outcome.problems:
        by_line.setdefault(problem.line, []).append(problem.message)
    rows, lines = [], set()
    for question in outcome.questions:
        lines.add(question.line)
        rows.append(
            {
                "line": question.line,
                "kind": Question.Kind(question.kind).label,
                "category": question.category,
                "prompt": Truncator(strip_tags(question.prompt)).chars(100),
                "has_urdu": bool(question.prompt_ur),
                "points": question.points,
                "problems": by_line.get(question.line, []),
            }
        )
    other = [p for p in outcome.problems if p.line not in lines]
    return rows, other


@require_http_methods(["GET", "POST"])
def question_import_view(request, bank_id):
    bank = get_object_or_404(ownership.banks_editable_by(request.user), pk=bank_id)
    if not request.user.has_perm("assessments.add_question"):
        raise PermissionDenied
    may_publish = ownership.banks_publishable_by(request.user).filter(pk=bank.pk).exists()
    form = QuestionImportForm(request.POST or None, request.FILES or None, may_publish=may_publish)
    context = {"bank": bank, "form": form, "may_publish": may_publish}
    if request.method == "POST" and form.is_valid():
        data, fmt = form.cleaned_data["data"], form.cleaned_data["format"]
        publish = bool(form.cleaned_data.get("publish"))
        if "confirm" in request.POST:
            outcome = importing.questions_import(
                bank=bank, user=request.user, data=data, fmt=fmt, publish=publish
            )
            if outcome.ok:
                done = IMPORTED_LIVE if publish else IMPORTED_DRAFTS
                messages.success(request, done % {"count": len(outcome.saved), "bank": bank})
                return redirect(reverse("questions:list") + f"?bank={bank.pk}")
            messages.error(request, NOTHING_IMPORTED)
        else:
            outcome = importing.questions_preview(bank=bank, data=data, fmt=fmt)
        rows, other = _rows(outcome)
        confirm = QuestionImportForm(
            initial={
                "format": fmt,
                "publish": publish,
                "content": base64.b64encode(data).decode("ascii"),
            },
            may_publish=may_publish,
        )
        context.update(outcome=outcome, rows=rows, other_problems=other, confirm_form=confirm)
    return TemplateResponse(request, "assessments/admin/question_import.html", context)


@require_GET
def question_export_view(request, bank_id):
    bank = get_object_or_404(ownership.banks_visible_to(request.user), pk=bank_id)
    fmt = request.GET.get("format", "gift")
    if fmt not in importing.FORMATS:
        fmt = "gift"
    text, _left_out = importing.bank_export(bank=bank, fmt=fmt, user=request.user)
    kind = "application/xml" if fmt == "moodlexml" else "text/plain"
    response = HttpResponse(text, content_type=f"{kind}; charset=utf-8")
    filename = f"{slugify(bank.title) or 'bank'}-{bank.pk}.{importing.EXTENSIONS[fmt]}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


urlpatterns = [
    path("banks/<int:bank_id>/import/", question_import_view, name="question_import"),
    path("banks/<int:bank_id>/export/", question_export_view, name="question_export"),
]
