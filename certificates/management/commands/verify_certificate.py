"""Check a certificate's signature offline: ``manage.py verify_certificate <PDF or QR link>``.

Uses the public keys in the database, or a saved JWKS (``--jwks hunar-keys.json``). Revocation
is not checked: that needs the online page.
"""

import hashlib
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates import pdf_check, verification

FIELDS = [
    ("code", "Code"),
    ("serial", "Serial"),
    ("name", "Name"),
    ("name_ur", "Name (Urdu)"),
    ("course", "Course"),
    ("hours", "Hours"),
    ("grade", "Grade"),
    ("center", "Center"),
    ("center_code", "Center code"),
    ("district", "District"),
    ("completed", "Completed"),
    ("issued", "Issued"),
    ("kid", "Key"),
]


class Command(BaseCommand):
    help = "Check a certificate PDF or QR link against Hunar's published keys, offline."

    def add_arguments(self, parser):
        parser.add_argument("source", help="a certificate PDF file, or the link in its QR code")
        parser.add_argument("--jwks", help="a saved /.well-known/hunar-keys.json to use")

    def handle(self, *args, source, jwks=None, **options):
        keys = verification.published_keys(json.loads(Path(jwks).read_text()) if jwks else None)
        path = Path(source)
        is_pdf = "#" not in source and path.is_file()
        if is_pdf:
            record = self._pdf_record(path)
        else:
            try:
                record = verification.qr_link_parse(source)
            except verification.LinkError as exc:
                raise CommandError(f"INVALID: {exc}") from exc
        problem = verification.record_problem(record, keys)
        if problem is None:
            for field, label in FIELDS:
                value = record.payload.get(field)
                self.stdout.write(f"{label + ':':14} {'—' if value in (None, '') else value}")
        if problem:
            self.stdout.write(f"INVALID: {problem}")
            raise CommandError("INVALID")
        self.stdout.write(self.style.SUCCESS("VALID SIGNATURE"))
        if is_pdf:
            self.stdout.write(
                "The signature covers the attached record, not the printed page: compare the "
                "SHA-256 above with the one on the certificate's page."
            )
        self.stdout.write("Revocation is not checked offline: open the certificate's page online.")

    def _pdf_record(self, path: Path) -> verification.SignedRecord:
        data = path.read_bytes()
        self.stdout.write(f"{'SHA-256:':14} {hashlib.sha256(data).hexdigest()}")
        if not data.startswith(b"%PDF-"):
            raise CommandError("INVALID: not a PDF file")
        try:
            credential = pdf_check.pdf_credential(data)
        except pdf_check.PdfTooComplex as exc:
            raise CommandError(f"INVALID: {exc}") from exc
        signed = pdf_check.credential_signed(credential) if credential else None
        if signed is None:
            raise CommandError(f"INVALID: no signed {pdf_check.CREDENTIAL_ATTACHMENT} in it")
        return verification.SignedRecord(*signed)
