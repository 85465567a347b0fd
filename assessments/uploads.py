"""Checking a learner's uploaded file: its size, and what its content really is.

The file name's extension is only a claim; the first bytes (and, for ZIP-based Word files, the
archive's members) decide the type. A file whose content does not match its extension, or
whose type the question does not accept, is refused with a sentence saying why.
"""

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .models.questions import FILE_TYPES

MAGIC = [
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
    (b"PK\x03\x04", "zip"),
]
TEXT_TYPES = {"txt", "html", "svg"}
EXTENSIONS = {"jpeg": "jpg", "htm": "html", "text": "txt", "md": "txt"}


class UploadRejected(Exception):
    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    kind: str
    size: int


def _head(upload, size: int = 4096) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _detect(upload, extension: str) -> str | None:
    head = _head(upload)
    for magic, kind in MAGIC:
        if head.startswith(magic):
            if kind == "zip":
                return _zip_kind(upload)
            return kind
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        # A multi-byte character cut at the edge of the head is still text.
        try:
            text = head[:-4].decode("utf-8")
        except UnicodeDecodeError:
            return None
    if "\x00" in text:
        return None
    lowered = text.lower()
    if extension == "svg":
        return "svg" if "<svg" in lowered else "txt"
    if extension == "html":
        return "html" if "<" in lowered else "txt"
    return "txt"


def _zip_kind(upload) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return "docx"
    return "zip"


def upload_check(upload, *, allowed: list[str]) -> CheckedUpload:
    """The upload's real type if it is allowed and small enough, else :class:`UploadRejected`."""
    limit = settings.ASSESSMENT_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise UploadRejected(
            _("The file is %(size)s; the largest allowed is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            status=413,
        )
    if upload.size == 0:
        raise UploadRejected(_("The file is empty."))
    name = PurePath(upload.name or "upload").name[-255:]
    extension = PurePath(name).suffix.lower().lstrip(".")
    extension = EXTENSIONS.get(extension, extension)
    kind = _detect(upload, extension)
    allowed_names = ", ".join(str(FILE_TYPES[t]) for t in allowed if t in FILE_TYPES)
    if kind is None:
        raise UploadRejected(
            _("This file's content is not a type this question accepts (%(allowed)s).")
            % {"allowed": allowed_names}
        )
    if (
        extension in FILE_TYPES
        and extension != kind
        and not (extension == "txt" and kind in TEXT_TYPES)
    ):
        raise UploadRejected(
            _("The file is named .%(extension)s but its content is a %(kind)s.")
            % {"extension": extension, "kind": FILE_TYPES[kind]}
        )
    if kind not in allowed:
        raise UploadRejected(
            _("A %(kind)s is not accepted here; upload one of: %(allowed)s.")
            % {"kind": FILE_TYPES[kind], "allowed": allowed_names}
        )
    return CheckedUpload(name=name, kind=kind, size=upload.size)
