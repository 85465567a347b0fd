"""Checking a learner's uploaded file: its size, and what its content really is.

The file name's extension is only a claim; the first bytes (and, for ZIP-based Word files, the
archive's members) decide the type. A file whose content does not match its extension, or
whose type the question does not accept, is refused with a sentence saying why.

Files are stored, never unpacked or decoded here, but a grader's computer will: a ZIP-based file
(ZIP, DOCX, and XLSX, PPTX or ODT uploaded as ZIP) is held against unpacked-size and file-count
caps, inflated in chunks storing nothing (``content.archives``); an image against a pixel cap
read from its header; a file that is a PDF or an image and a ZIP at once is refused
(``docs/decisions/0008-bounded-hostile-input.md``).
"""

from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from content.archives import ArchiveRefused, ZipBudget, zip_inspect

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


def _archive_budget() -> ZipBudget:
    unpacked = settings.ASSESSMENT_UPLOAD_MAX_UNPACKED_BYTES
    return ZipBudget(
        max_members=settings.ASSESSMENT_UPLOAD_MAX_ARCHIVE_FILES,
        max_member_bytes=unpacked,
        max_total_bytes=unpacked,
    )


def _archive_members(upload) -> set[str] | None:
    """The names inside a ZIP-based upload within the caps; None when it is not a ZIP.
    Raises ``UploadRejected`` for an archive over a cap (a decompression bomb)."""
    budget = _archive_budget()
    try:
        members = zip_inspect(upload, budget=budget, verify=True)
    except ArchiveRefused as refused:
        if refused.reason == "unreadable":
            return None
        if refused.reason == "members":
            raise UploadRejected(
                _("This archive holds more than %(limit)s files; send fewer files.")
                % {"limit": budget.max_members}
            ) from None
        raise UploadRejected(
            _(
                "Unpacked, this archive would be larger than %(limit)s (or it hides its real "
                "size). Send the files themselves, or a smaller archive."
            )
            % {"limit": filesizeformat(budget.max_total_bytes)}
        ) from None
    return {info.filename for info in members}


def _zip_kind(upload) -> str | None:
    names = _archive_members(upload)
    if names is None:
        return None
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return "docx"
    return "zip"


def _also_a_zip(upload) -> bool:
    """Whether a file that starts as something else also opens as a ZIP archive with files in
    it (a polyglot: a PDF or an image a grader's unzip tool would unpack too)."""
    try:
        return bool(zip_inspect(upload, budget=_archive_budget()))
    except ArchiveRefused as refused:
        return refused.reason != "unreadable"


def _image_check(upload, kind: str) -> None:
    """Refuse an image whose header claims more pixels than any image Hunar accepts (it would
    take gigabytes to display), or that Pillow cannot read as the image it claims to be."""
    from PIL import Image

    limit = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
    upload.seek(0)
    try:
        with Image.open(upload, formats=["PNG" if kind == "png" else "JPEG"]) as image:
            width, height = image.size
    except Image.DecompressionBombError:
        width = height = limit + 1
    except (OSError, SyntaxError, ValueError):
        raise UploadRejected(
            _("This file is not a readable %(kind)s.") % {"kind": FILE_TYPES[kind]}
        ) from None
    finally:
        upload.seek(0)
    if width * height > limit:
        raise UploadRejected(
            _(
                "This image has more than %(limit)s million pixels; make it smaller and upload "
                "it again."
            )
            % {"limit": limit // 1_000_000}
        )


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
    if kind not in ("zip", "docx") and _also_a_zip(upload):
        raise UploadRejected(
            _("This file is a %(kind)s and a ZIP archive at once; save it again as a %(kind)s.")
            % {"kind": FILE_TYPES[kind]}
        )
    if kind in ("png", "jpg"):
        _image_check(upload, kind)
    return CheckedUpload(name=name, kind=kind, size=upload.size)
