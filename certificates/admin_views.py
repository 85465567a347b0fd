"""Certificates in the Wagtail admin: issue a cohort's certificates and follow the batch, list the
certificates of one's centers, download PDFs, revoke and re-issue.

Every view finds its cohort, batch or certificate through ``lms.permissions.centers_managed_by``
on every request: another center's object is a 404. State changes only on POST (with Django's
CSRF check). No JavaScript: the progress page refreshes itself with a meta tag.
"""

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.admin import messages

from courses.models import Enrollment
from lms.models import Cohort
from lms.permissions import centers_managed_by

from .batch import (
    batch_zip_available,
    cohort_batch_progress,
    cohort_certificates_issue,
    cohort_latest_batch,
)
from .models import Certificate
from .services import CertificateError, certificate_reissue, certificate_revoke
from .services_pdf import certificate_pdf_open
from .signing import SigningKeyMissing
from .storage import private_storage

app_name = "certificates_admin"
PAGE_SIZE = 50
BATCH_STARTED = _("Issuing certificates for %(cohort)s: this page follows the progress.")
REVOKED = _("Certificate %(serial)s was revoked.")
REISSUED = _("Certificate %(old)s was revoked and %(new)s issued in its place.")
ZIP_EXPIRED = _(
    "This ZIP has expired: ZIPs are deleted %(hours)s hours after they are built. Issue the "
    "cohort again to build a new one (learners who already have a certificate keep it)."
)


def _cohorts(request):
    return Cohort.objects.filter(center__in=centers_managed_by(request.user))


def _certificates(request):
    return Certificate.objects.filter(center__in=centers_managed_by(request.user))


def _progress_or_404(request, batch_id):
    progress = cohort_batch_progress(batch_id)
    if progress is None or not _cohorts(request).filter(pk=progress.cohort_id).exists():
        raise Http404
    return progress


@require_GET
def cohort_list_view(request):
    completed = Q(enrollments__status=Enrollment.Status.COMPLETED)
    issued = Q(enrollments__certificates__status=Certificate.Status.ISSUED)
    cohorts = list(
        _cohorts(request)
        .select_related("center")
        .annotate(
            learners=Count("enrollments", distinct=True),
            completed=Count("enrollments", filter=completed, distinct=True),
            certified=Count("enrollments__certificates", filter=issued, distinct=True),
        )
        .order_by("center__name", "name")
    )
    for cohort in cohorts:
        cohort.latest_batch = cohort_latest_batch(cohort.pk)
    return TemplateResponse(request, "certificates/admin/cohort_list.html", {"cohorts": cohorts})


@require_POST
def cohort_issue_view(request, cohort_id):
    cohort = get_object_or_404(_cohorts(request), pk=cohort_id)
    batch_id = cohort_certificates_issue(cohort=cohort, by=request.user)
    messages.success(request, BATCH_STARTED % {"cohort": cohort.name})
    return redirect("certificates_admin:batch", batch_id)


def _batch_context(progress, cohort) -> dict:
    available = progress.finished and batch_zip_available(progress.zip_name)
    context = {"progress": progress, "cohort": cohort, "zip_available": available}
    if progress.finished and not available:
        context["zip_expired"] = ZIP_EXPIRED % {"hours": settings.CERTIFICATE_BATCH_ZIP_HOURS}
    return context


@require_GET
def batch_view(request, batch_id):
    progress = _progress_or_404(request, batch_id)
    cohort = Cohort.objects.select_related("center").get(pk=progress.cohort_id)
    context = _batch_context(progress, cohort)
    return TemplateResponse(request, "certificates/admin/batch_progress.html", context)


@require_GET
def batch_download_view(request, batch_id):
    """The batch's ZIP from the private storage, for the cohort's managers, until it expires;
    after that the batch page again (410), saying so, with a button to build a new one."""
    progress = _progress_or_404(request, batch_id)
    if not progress.finished:
        raise Http404
    cohort = Cohort.objects.select_related("center").get(pk=progress.cohort_id)
    context = _batch_context(progress, cohort)
    if not context["zip_available"]:
        return TemplateResponse(
            request, "certificates/admin/batch_progress.html", context, status=410
        )
    try:
        handle = private_storage().open(progress.zip_name, "rb")
    except FileNotFoundError:  # deleted by the sweep since the check just above
        raise Http404 from None
    filename = f"{slugify(cohort.name) or 'cohort'}-certificates-{batch_id}.zip"
    return FileResponse(handle, as_attachment=True, filename=filename)


@require_GET
def certificate_list_view(request):
    certificates = _certificates(request).select_related("center", "enrollment__cohort")
    cohort_id = request.GET.get("cohort", "")
    if cohort_id.isdigit():
        certificates = certificates.filter(enrollment__cohort_id=int(cohort_id))
    query = request.GET.get("q", "").strip()
    if query:
        certificates = certificates.filter(
            Q(serial__icontains=query)
            | Q(code__icontains=query.replace("-", "").upper())
            | Q(snapshot__learner_name__icontains=query)
        )
    page = Paginator(certificates.order_by("-issued_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("p")
    )
    context = {"page": page, "query": query, "cohort_id": cohort_id}
    return TemplateResponse(request, "certificates/admin/certificate_list.html", context)


@require_GET
def certificate_pdf_view(request, pk):
    certificate = get_object_or_404(_certificates(request), pk=pk)
    handle = certificate_pdf_open(certificate)
    if handle is None:
        raise Http404
    return FileResponse(
        handle,
        content_type="application/pdf",
        filename=f"{certificate.serial}.pdf",
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


ACTIONS = {
    "revoke": (_("Revoke certificate"), certificate_revoke),
    "reissue": (_("Re-issue certificate"), certificate_reissue),
}


@require_http_methods(["GET", "POST"])
def certificate_action_view(request, pk, action):
    certificate = get_object_or_404(
        _certificates(request).filter(status=Certificate.Status.ISSUED), pk=pk
    )
    title, service = ACTIONS[action]
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = service(
                certificate=certificate, by=request.user, reason=form.cleaned_data["reason"]
            )
        except CertificateError as error:
            form.add_error(None, [str(error), *map(str, error.reasons)])
        except SigningKeyMissing as error:
            form.add_error(None, str(error))
        else:
            if action == "revoke":
                messages.success(request, REVOKED % {"serial": certificate.serial})
            else:
                messages.success(
                    request, REISSUED % {"old": certificate.serial, "new": result.serial}
                )
            return redirect("certificates_admin:certificates")
    context = {"certificate": certificate, "form": form, "title": title, "action": action}
    return TemplateResponse(request, "certificates/admin/certificate_action.html", context)


urlpatterns = [
    path("", cohort_list_view, name="cohorts"),
    path("cohorts/<int:cohort_id>/issue/", cohort_issue_view, name="cohort_issue"),
    path("batches/<slug:batch_id>/", batch_view, name="batch"),
    path("batches/<slug:batch_id>/download/", batch_download_view, name="batch_download"),
    path("issued/", certificate_list_view, name="certificates"),
    path("issued/<int:pk>/pdf/", certificate_pdf_view, name="certificate_pdf"),
    path("issued/<int:pk>/revoke/", certificate_action_view, {"action": "revoke"}, name="revoke"),
    path(
        "issued/<int:pk>/reissue/", certificate_action_view, {"action": "reissue"}, name="reissue"
    ),
]
