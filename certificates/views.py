"""The employer's side: verify a certificate by code, by uploaded PDF, or offline in the browser.

Pages carry no JavaScript except the offline verifier, which is one self-contained file.
"""

import base64
import functools
import hashlib
import json
import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from . import pdf_check, signing, verification
from .codes import code_normalize
from .selectors import certificates_openable_by
from .services_pdf import certificate_pdf_open

NOINDEX = "noindex, nofollow"
OFFLINE_CSP = (
    "default-src 'none'; script-src {script}; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def public_verification(view):
    """Rate limited per client IP, never indexed, never cached by a shared proxy."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        retry_after = verification.rate_limit_hit(request)
        if retry_after is not None:
            response = render(
                request,
                "certificates/verify_rate_limited.html",
                {"message": verification.RATE_LIMITED},
                status=429,
            )
            response["Retry-After"] = str(retry_after)
        else:
            response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = NOINDEX
        return response

    return never_cache(wrapped)


def _typo(request, message: str, typed: str = ""):
    return render(
        request, "certificates/verify.html", {"code_error": message, "typed": typed}, status=400
    )


def _not_found():
    # Rendered without the request: the same bytes whatever was asked and by whom.
    return HttpResponse(render_to_string("certificates/verify_not_found.html"), status=404)


@public_verification
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    """The code form (GET, no JS) and the PDF upload (POST); a typed code redirects."""
    if request.method == "POST":
        return _upload(request)
    typed = request.GET.get("code", "").strip()
    if not typed:
        return render(request, "certificates/verify.html")
    problem = verification.code_problem(typed)
    if problem:
        return _typo(request, problem, typed)
    return redirect("verify_certificate", code=code_normalize(typed))


def _upload(request):
    upload = request.FILES.get("pdf")
    problem = pdf_check.upload_problem(upload)
    if problem:
        return render(request, "certificates/verify.html", {"upload_error": problem}, status=400)
    try:
        result = pdf_check.pdf_check(data=upload.read())
    except pdf_check.PdfCheckBusy as error:
        response = render(
            request, "certificates/verify.html", {"upload_error": str(error)}, status=429
        )
        response["Retry-After"] = str(error.retry_after)
        return response
    except pdf_check.PdfNotChecked as error:
        return render(request, "certificates/verify.html", {"upload_error": str(error)}, status=400)
    return render(request, "certificates/verify_upload.html", {"result": result})


@public_verification
@require_safe
def verify_certificate(request, code: str):
    problem = verification.code_problem(code)
    if problem:
        return _typo(request, problem, code)
    normalized = code_normalize(code)
    if normalized != code:
        return redirect("verify_certificate", code=normalized, permanent=True)
    certificate = verification.certificate_get(code=code)
    if certificate is None:
        return _not_found()
    if request.method == "GET":
        verification.certificate_count_verification(certificate=certificate)
    context = {
        "certificate": certificate,
        "record": verification.certificate_public_data(certificate),
        "snapshot": certificate.snapshot,
    }
    if request.COOKIES or request.META.get("QUERY_STRING"):
        # A visitor with a session or messages (or a query string the language switcher
        # repeats): the page as rendered for them.
        return render(request, "certificates/verify_certificate.html", context)
    return _shared_page(request, context)


# Rendered pages for visitors without cookies (a scanned QR code, an employer's first visit).
PAGE_TTL = 300


def _shared_page(request, context: dict) -> HttpResponse:
    """The page a visitor without cookies sees, from the shared cache when it is there.

    Without cookies nothing on the page is personal (no session, messages or CSRF token), so it
    is the same for everyone. The key hashes everything the page shows, so a revoked or
    re-issued certificate, or a newly stored PDF, is a new key at once: nothing to invalidate.
    """
    key = _page_key(context)
    html = cache.get(key)
    if html is None:
        html = render_to_string("certificates/verify_certificate.html", context, request=request)
        if not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # a token on the page: not shared
            cache.set(key, html, PAGE_TTL)
    response = HttpResponse(html)
    patch_vary_headers(response, ["Cookie"])  # as rendering with the (unread) session does
    return response


def _page_key(context: dict) -> str:
    certificate = context["certificate"]
    facts = [
        translation.get_language(),
        static("css/hunar.css"),  # a new deployment's stylesheet: a new page
        context["record"],
        context["snapshot"],
        certificate.supersedes.code if certificate.supersedes_id else None,
        # Only a revoked certificate can have been replaced (and only then does the page say so).
        None if certificate.is_valid else _superseded_by_code(certificate),
    ]
    digest = hashlib.sha256(json.dumps(facts, sort_keys=True, default=str).encode()).hexdigest()
    return f"certificates:verify-page:{digest}"


def _superseded_by_code(certificate) -> str | None:
    try:
        return certificate.superseded_by.code
    except type(certificate).DoesNotExist:
        return None


@public_verification
@require_safe
def verify_pdf(request, code: str):
    """The original PDF as issued, to whoever has the code (not counted as a verification).

    Streamed from the private storage; rate limited with the other public pages."""
    if verification.code_problem(code):
        return _not_found()
    normalized = code_normalize(code)
    if normalized != code:
        return redirect("verify_pdf", code=normalized, permanent=True)
    certificate = verification.certificate_get(code=code)
    # The PDF prints the holder's name: not public for a minor without a guardian's consent.
    if certificate is None or not verification.certificate_names_holder(certificate):
        return _not_found()
    handle = certificate_pdf_open(certificate)
    if handle is None:
        return _not_found()
    return _pdf_response(certificate, handle)


def _pdf_response(certificate, handle) -> FileResponse:
    # Streamed from the private storage; the name a browser saves it under is the serial.
    return FileResponse(
        handle,
        content_type="application/pdf",
        as_attachment=False,
        filename=f"{certificate.serial}.pdf",
    )


@never_cache
@login_required
@require_safe
def certificate_file(request, pk: int):
    """A signed-in learner's own certificate PDF (the link on "My learning"), or one of a center
    the requester manages; 404 for anyone else, the same as for a certificate that does not
    exist. Not rate limited like ``verify_pdf``: it asks for a sign-in instead of a code."""
    certificate = get_object_or_404(certificates_openable_by(request.user), pk=pk)
    handle = certificate_pdf_open(certificate)
    if handle is None:
        raise Http404
    return _pdf_response(certificate, handle)


@require_safe
def verify_offline(request):
    """One self-contained HTML file that checks a QR link's signature with no network at all."""
    context = {
        "data": {
            "keys": list(verification.published_keys().values()),
            "site": settings.HUNAR_PUBLIC_URL,
        }
    }
    html = render_to_string("certificates/offline.html", context, request=request)
    hashes = " ".join(
        "'sha256-{}'".format(
            base64.b64encode(hashlib.sha256(script.encode()).digest()).decode("ascii")
        )
        for script in _INLINE_SCRIPT.findall(html)
    )
    csp = OFFLINE_CSP.format(script=hashes or "'none'")
    # The same policy travels inside the file, so a saved copy keeps it.
    html = html.replace("__CSP__", csp.replace("; frame-ancestors 'none'", ""), 1)
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = csp
    response["Content-Disposition"] = 'inline; filename="hunar-verifier.html"'
    response["X-Robots-Tag"] = NOINDEX
    patch_cache_control(response, public=True, max_age=3600)
    return response


@require_safe
def keys(request):
    """The published public keys (JWKS), current and retired."""
    response = JsonResponse(signing.jwks())
    patch_cache_control(response, public=True, max_age=3600)
    response["Access-Control-Allow-Origin"] = "*"
    return response
