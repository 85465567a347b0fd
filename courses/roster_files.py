"""Reading a roster file (CSV or XLSX) into raw rows, within caps that hold against hostile files.

An XLSX file is a ZIP: before openpyxl opens it, ``content.archives.zip_inspect`` holds its parts
against ``XLSX_BUDGET`` and the shared strings are counted, so a small file that unpacks to
millions of strings is refused in milliseconds (``docs/decisions/0008-bounded-hostile-input.md``).
Rows and columns are capped for both formats and CSV fields by ``csv.field_size_limit``.

Every refusal is ``RosterFileUnusable`` with the sentence to show; ``courses.roster`` turns it into
its ``RosterFileError``. Nothing here stores anything.
"""

import contextlib
import csv
import io
import re
import zipfile

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from content.archives import ArchiveRefused, ZipBudget, zip_inspect

XLSX_MAGIC = b"PK\x03\x04"
# A class list's workbook has a dozen parts of a few hundred kilobytes; these caps leave room
# for formatting, a logo and an instructions sheet, and keep openpyxl's work small.
XLSX_BUDGET = ZipBudget(
    max_members=100,
    max_member_bytes=4 * 1024 * 1024,
    max_total_bytes=12 * 1024 * 1024,
    max_ratio=100,
    ratio_grace_bytes=1024 * 1024,
)
MAX_SHARED_STRINGS = 50_000
MAX_COLUMNS = 50
MAX_FIELD_CHARS = 1000
# A sheet may carry formatted but empty rows; this many beyond the learner limit are read.
EXTRA_PHYSICAL_ROWS = 1000
_SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")

FILE_NOT_XLSX = _(
    "This file is named .xlsx but is not an Excel workbook. Open it in Excel and save it again "
    "as an Excel workbook (.xlsx) or as CSV UTF-8."
)
FILE_NOT_CSV = _(
    "This file is named .csv but is not a text file. In Excel choose Save As and “CSV UTF-8 "
    "(Comma delimited)”, or upload the Excel workbook (.xlsx) itself."
)
FILE_XLSX_UNREADABLE = _(
    "The Excel file could not be read; it may be damaged or protected by a password. Open it in "
    "Excel, save it again and upload the new copy."
)
FILE_CSV_ENCODING = _(
    "The CSV file is not saved as UTF-8, so Urdu names would come out garbled. In Excel choose "
    "Save As and “CSV UTF-8 (Comma delimited)”, then upload that file."
)
FILE_CSV_UNREADABLE = _("The CSV file could not be read: %(error)s.")
FILE_TOO_MANY_ROWS = _("The file has more than %(limit)s learners; split it into smaller files.")

_COPY_ADVICE = _(
    "Copy the class list into a new, empty workbook (or save it as CSV UTF-8) and upload that."
)
FILE_XLSX_TOO_MANY_PARTS = _(
    "This workbook is made of more than %(limit)s parts, far more than a class list needs. "
    "%(advice)s"
)
FILE_XLSX_PART_TOO_LARGE = _(
    "Part “%(part)s” of this workbook unpacks to more than %(limit)s, far more than a class "
    "list needs. %(advice)s"
)
FILE_XLSX_TOO_LARGE_UNPACKED = _(
    "This workbook unpacks to more than %(limit)s, far more than a class list needs. %(advice)s"
)
FILE_XLSX_PACKED_TOO_TIGHTLY = _(
    "Part “%(part)s” of this workbook is packed more than %(ratio)s times smaller than its "
    "content, which a class list never is. %(advice)s"
)
FILE_XLSX_TOO_MANY_STRINGS = _(
    "This workbook holds more than %(limit)s different texts, far more than a class list "
    "needs. %(advice)s"
)
FILE_TOO_MANY_COLUMNS = _(
    "A row of the file has more than %(limit)s columns; a roster has the columns of the "
    "template. Remove the extra columns and upload it again."
)
FILE_CSV_FIELD_TOO_LONG = _(
    "A value in the CSV file is longer than %(limit)s characters; a quotation mark may be "
    "missing. Open the file, check the row and save it again."
)


class RosterFileUnusable(Exception):
    """The file cannot be read within the caps; ``str(error)`` is the sentence to show."""


def read_csv(content: bytes, *, max_rows: int) -> list[list[str]]:
    """The rows of a UTF-8 (optionally with BOM) CSV file, comma, semicolon or tab separated."""
    if content.startswith(XLSX_MAGIC) or b"\x00" in content:
        raise RosterFileUnusable(FILE_NOT_CSV)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RosterFileUnusable(FILE_CSV_ENCODING) from None
    first_line = text.split("\n", 1)[0]
    # Excel in some regional settings separates with semicolons; a roster always has commas.
    delimiter = max(",;\t", key=first_line.count) if first_line.count(",") == 0 else ","
    rows = []
    try:
        with _field_size_limit(MAX_FIELD_CHARS):
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
                _row_check(row, rows, max_rows)
                rows.append(row)
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise RosterFileUnusable(FILE_CSV_FIELD_TOO_LONG % {"limit": MAX_FIELD_CHARS}) from None
        raise RosterFileUnusable(FILE_CSV_UNREADABLE % {"error": error}) from None
    return rows


@contextlib.contextmanager
def _field_size_limit(limit: int):
    # The limit is process-wide; restored at once (web workers are processes, one request each).
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _row_check(row, rows: list, max_rows: int) -> None:
    if len(rows) > max_rows + EXTRA_PHYSICAL_ROWS:
        raise RosterFileUnusable(FILE_TOO_MANY_ROWS % {"limit": max_rows})
    if len(row) > MAX_COLUMNS and any(row[MAX_COLUMNS:]):
        raise RosterFileUnusable(FILE_TOO_MANY_COLUMNS % {"limit": MAX_COLUMNS})


def read_xlsx(content: bytes, *, max_rows: int) -> list[tuple]:
    """The rows of the first sheet of an XLSX workbook (values, not formulas), at most
    ``MAX_COLUMNS`` wide; refused before openpyxl sees it when its parts are over the caps."""
    if not content.startswith(XLSX_MAGIC):
        raise RosterFileUnusable(FILE_NOT_XLSX)
    _xlsx_parts_check(content)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        # Damaged, encrypted or foreign ZIP files fail in many ways inside openpyxl.
        raise RosterFileUnusable(FILE_XLSX_UNREADABLE) from None
    rows = []
    try:
        # One column past the cap, to notice a value there; max_col also keeps a sheet whose
        # dimension claims 16384 columns from padding every row to that width.
        sheet_rows = workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
        for values in sheet_rows:
            _row_check(values, rows, max_rows)
            rows.append(values)
    except RosterFileUnusable:
        raise
    except Exception:  # damaged sheet XML shows up only while reading the rows
        raise RosterFileUnusable(FILE_XLSX_UNREADABLE) from None
    finally:
        workbook.close()
    return rows


def _xlsx_parts_check(content: bytes) -> None:
    try:
        members = zip_inspect(content, budget=XLSX_BUDGET)
    except ArchiveRefused as refused:
        raise RosterFileUnusable(_archive_message(refused)) from None
    # Count shared strings in every XML part (whatever the workbook's relationships call it):
    # each part is at most the budget's size, so this is a bounded, fast pass.
    strings = 0
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for info in members:
            if info.filename.lower().endswith(".xml"):
                strings += len(_SHARED_STRING.findall(archive.read(info)))
                if strings > MAX_SHARED_STRINGS:
                    limit = {"limit": MAX_SHARED_STRINGS, "advice": _COPY_ADVICE}
                    raise RosterFileUnusable(FILE_XLSX_TOO_MANY_STRINGS % limit)


def _archive_message(refused: ArchiveRefused) -> str:
    budget, advice = XLSX_BUDGET, _COPY_ADVICE
    if refused.reason == "members":
        return FILE_XLSX_TOO_MANY_PARTS % {"limit": budget.max_members, "advice": advice}
    if refused.reason == "member_size":
        limit = filesizeformat(budget.max_member_bytes)
        return FILE_XLSX_PART_TOO_LARGE % {"part": refused.member, "limit": limit, "advice": advice}
    if refused.reason == "total_size":
        limit = filesizeformat(budget.max_total_bytes)
        return FILE_XLSX_TOO_LARGE_UNPACKED % {"limit": limit, "advice": advice}
    if refused.reason == "ratio":
        ratio = budget.max_ratio
        return FILE_XLSX_PACKED_TOO_TIGHTLY % {
            "part": refused.member,
            "ratio": ratio,
            "advice": advice,
        }
    return str(FILE_XLSX_UNREADABLE)
