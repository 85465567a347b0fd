"""The JSON API for employers' systems: one certificate by code, with its OpenAPI schema at
``/api/v1/openapi.json``. Included, not language-prefixed, by ``certificates.api_urls``."""

import datetime
from typing import Literal

from django.http import HttpResponse
from ninja import NinjaAPI, Schema, Status

from . import verification
from .codes import code_normalize

api = NinjaAPI(
    title="Hunar certificates",
    version="1",
    description="Check a Hunar certificate by its verification code. Rate limited per IP.",
    urls_namespace="certificates_api",
    docs_url=None,  # the schema is enough; Swagger UI would load scripts from a CDN
)


class ErrorOut(Schema):
    detail: str


class CenterOut(Schema):
    name: str
    code: str
    district: str


class CertificateOut(Schema):
    code: str
    serial: str
    status: Literal["valid", "revoked"]
    learner_name: str | None
    holder_name_withheld: bool
    course: str
    hours: int | None
    grade: str | None
    center: CenterOut
    issued_on: datetime.date
    revoked_on: datetime.date | None
    pdf_sha256: str | None
    kid: str


@api.get(
    "/certificates/{code}/",
    response={200: CertificateOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    url_name="certificate",
    summary="A certificate by its verification code",
)
def certificate_detail(request, code: str, response: HttpResponse):
    """Typing is forgiving (case, hyphens, spaces, I/L→1, O→0); a code whose check symbol fails
    gets 400 without a lookup; an unknown code gets 404."""
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-cache"
    response["Access-Control-Allow-Origin"] = "*"
    retry_after = verification.rate_limit_hit(request)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
        return Status(429, {"detail": str(verification.RATE_LIMITED)})
    problem = verification.code_problem(code)
    if problem:
        return Status(400, {"detail": problem})
    certificate = verification.certificate_get(code=code_normalize(code))
    if certificate is None:
        return Status(404, {"detail": "Not found."})
    verification.certificate_count_verification(certificate=certificate)
    return Status(200, verification.certificate_public_data(certificate))
