"""CSV and XLSX exports of the report tables, streamed, and safe to open in a spreadsheet.

Both formats take the table's :class:`~reports.tables.Column` list and any iterable of rows, so
a learner export of a whole center is read, written and sent a chunk at a time. Text that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return) is written with a leading apostrophe: the rule lives in :mod:`lms.csv_safe`.
"""

import csv
import datetime
import re
import tempfile
from collections.abc import Iterable
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify

from lms.csv_safe import neutralize

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell(value):
    """An export cell: numbers stay numbers, None is empty, text is neutralized."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float | Decimal | datetime.date):
        return value
    return neutralize(str(value))


def header(columns) -> list[str]:
    """Column labels; percentages say so, since their cells hold plain numbers (67, not 67%)."""
    return [
        neutralize(f"{column.label} (%)" if column.kind == "percent" else str(column.label))
        for column in columns
    ]


def values(columns, row) -> list:
    return [cell(column.value(row)) for column in columns]


def _preamble(title: str, filters) -> list[list]:
    """Lines above the table saying what it is, so a file read later explains itself."""
    lines = [[neutralize(title)]]
    for name, value in filters.describe():
        lines.append([neutralize(name), neutralize(value)])
    lines.append([])
    return lines


class _Echo:
    def write(self, value):
        return value


def csv_lines(columns, rows: Iterable) -> Iterable[str]:
    """The header row first, then the rows: a CSV file is read by programs that take its first
    line as the column names, so what the table is (title, filters) goes in the file name."""
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a BOM, so spreadsheet programs read the file (and Urdu names) as UTF-8
    yield writer.writerow(header(columns))
    for row in rows:
        yield writer.writerow(values(columns, row))


def filename(stem: str, extension: str) -> str:
    return f"{slugify(stem) or 'report'}-{timezone.localdate():%Y-%m-%d}.{extension}"


def csv_response(columns, rows, *, title: str, filters, stem: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(columns, rows), content_type=CSV_TYPE)
    # The filters in use name the file, since the CSV itself starts with its header row.
    named = "-".join([stem, *(str(value) for _name, value in filters.describe())])
    response["Content-Disposition"] = f'attachment; filename="{filename(named, "csv")}"'
    return response


def xlsx_write(columns, rows: Iterable, *, title: str, filters, target) -> None:
    """Write the workbook to ``target`` (a path or binary file) with openpyxl's write-only
    mode, which keeps rows on disk as they come instead of building the sheet in memory."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    # A sheet's name may not hold : \ / ? * [ ] (a cohort called "2026/27" would fail).
    sheet_name = re.sub(r"[:\\/?*\[\]]", " ", str(title))[:31].strip()
    sheet = workbook.create_sheet(title=sheet_name or "Report")
    for line in _preamble(title, filters):
        sheet.append(line)
    bold = Font(bold=True)
    heading = []
    for label in header(columns):
        heading_cell = WriteOnlyCell(sheet, value=label)
        heading_cell.font = bold
        heading.append(heading_cell)
    sheet.append(heading)
    for row in rows:
        sheet.append(values(columns, row))
    workbook.save(target)


def xlsx_response(columns, rows, *, title: str, filters, stem: str) -> FileResponse:
    # The file is built in a temporary file (spilled to disk past 1 MB) and sent in blocks.
    spool = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115 (FileResponse closes it)
    xlsx_write(columns, rows, title=title, filters=filters, target=spool)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=filename(stem, "xlsx"), content_type=XLSX_TYPE
    )


def export_response(fmt: str, columns, rows, *, title: str, filters, stem: str):
    respond = xlsx_response if fmt == "xlsx" else csv_response
    return respond(columns, rows, title=title, filters=filters, stem=stem)
