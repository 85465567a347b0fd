"""Certificates' part of a learner's data export and erasure (registered with ``lms.privacy``).

Erasure rule (docs/privacy.md): a certificate is never revoked because its holder's data was
erased: the training happened, and the holder's own printed copy must still check as genuine
(offline by its QR signature, online by uploading the file, whose SHA-256 is kept). Its record
is reduced to "valid, holder's name withheld": the names leave the snapshot and the stored
payload, the stored PDF (which prints the name) is deleted, a revocation reason is blanked.
"""

from collections.abc import Iterable

from lms.privacy import ERASED, PersonalData, PersonalFile, files_delete_on_commit

from .models import Certificate


def certificates_export(*, user) -> Iterable[PersonalData]:
    certificates = Certificate.objects.filter(enrollment__learner=user).order_by("issued_at")
    rows, files = [], []
    for c in certificates:
        rows.append(
            {
                "serial": c.serial, "code": c.display_code, "status": c.status,
                "issued_at": c.issued_at, "revoked_at": c.revoked_at,
                "revocation_reason": c.revocation_reason, "printed": c.snapshot,
            }
        )  # fmt: skip
        if c.pdf:
            files.append(PersonalFile(f"{c.serial}.pdf", c.pdf.storage, c.pdf.name))
    yield PersonalData("certificates", rows, files)


def certificates_erase(*, user) -> None:
    for certificate in Certificate.objects.filter(enrollment__learner=user).iterator():
        snapshot = {**certificate.snapshot, "learner_name": "", "learner_name_ur": ""}
        snapshot["name_withheld"] = True
        payload = {**certificate.payload, "name": "", "name_ur": ""}
        if certificate.pdf:
            files_delete_on_commit(certificate.pdf.storage, [certificate.pdf.name])
        Certificate.objects.filter(pk=certificate.pk).update(
            snapshot=snapshot,
            payload=payload,
            pdf="",
            revocation_reason=ERASED if certificate.revocation_reason else "",
        )
