"""Roster files built to hurt: refused within moments, with a message per cap, nothing stored.

The time bounds (5 s) are correctness bounds, not benchmarks: without the caps the first
workbook below holds the request for tens of seconds and a gigabyte of memory.
"""

import csv
import io
import os
import time
import zipfile

import pytest

from courses import roster, roster_files
from courses.models import RosterImport
from tests.factories import CenterFactory, manager_of

pytestmark = pytest.mark.django_db

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
    b'+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.worksheet+xml"/>'
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    b'<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
HEADINGS = ("Full name", "Username", "Learner type", "Cohort")


def _sheet(cells: int = 4) -> bytes:
    columns = [f'<c r="{chr(65 + i)}1" t="s"><v>{i}</v></c>' for i in range(cells)]
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<sheetData><row r="1">{"".join(columns)}</row></sheetData></worksheet>'
    ).encode()


def workbook(*, filler_strings: int = 0, extra_parts: dict | None = None, sheet=None) -> bytes:
    """A minimal XLSX whose shared strings are the headings plus ``filler_strings`` more,
    streamed into the archive so that even millions take little memory to build."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet or _sheet())
        with archive.open("xl/sharedStrings.xml", "w") as strings:
            strings.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            strings.write(b"".join(b"<si><t>%s</t></si>" % h.encode() for h in HEADINGS))
            block = b"<si><t>a</t></si>" * 10_000
            for _ in range(filler_strings // 10_000):
                strings.write(block)
            strings.write(b"<si><t>a</t></si>" * (filler_strings % 10_000))
            strings.write(b"</sst>")
        for name, data in (extra_parts or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def refusal(content: bytes, filename: str = "class.xlsx") -> tuple[str, float]:
    started = time.perf_counter()
    with pytest.raises(roster.RosterFileError) as caught:
        roster.roster_parse(filename=filename, content=content)
    return str(caught.value), time.perf_counter() - started


ADVICE = {"advice": roster_files._COPY_ADVICE}


def test_a_small_workbook_of_millions_of_shared_strings_is_refused_in_moments():
    content = workbook(filler_strings=2_000_000)
    assert len(content) < 200 * 1024  # the ZIP is tiny; its strings unpack to ~34 MB
    message, elapsed = refusal(content)
    assert elapsed < 5, f"the roster check took {elapsed:.1f} s"
    assert message == roster_files.FILE_XLSX_PART_TOO_LARGE % {
        "part": "xl/sharedStrings.xml",
        "limit": "4.0\xa0MB",
        **ADVICE,
    }


def test_nothing_is_stored_when_a_workbook_is_refused():
    center = CenterFactory(code="GLT")
    with pytest.raises(roster.RosterFileError):
        roster.roster_preview(
            center=center,
            uploaded_by=manager_of(center),
            filename="class.xlsx",
            content=workbook(filler_strings=2_000_000),
        )
    assert not RosterImport.objects.exists()


def test_too_many_shared_strings_within_the_size_caps_are_refused_by_count():
    message, elapsed = refusal(workbook(filler_strings=roster_files.MAX_SHARED_STRINGS + 1))
    assert elapsed < 5
    limit = {"limit": roster_files.MAX_SHARED_STRINGS, **ADVICE}
    assert message == roster_files.FILE_XLSX_TOO_MANY_STRINGS % limit


def test_a_part_packed_tighter_than_a_class_list_ever_is_is_refused():
    padding = b" " * (2 * 1024 * 1024)  # over the 1 MB grace, under the part cap
    message, _elapsed = refusal(workbook(extra_parts={"xl/padding.xml": padding}))
    values = {"part": "xl/padding.xml", "ratio": roster_files.XLSX_BUDGET.max_ratio, **ADVICE}
    assert message == roster_files.FILE_XLSX_PACKED_TOO_TIGHTLY % values


def test_parts_that_together_unpack_past_the_total_are_refused():
    # Each part ~3.5 MB, packed about 40 to 1: every cap but the total holds.
    block = os.urandom(512).hex().encode() + b"\n" * 40_000
    part = block * (3_500_000 // len(block))
    parts = {f"xl/media/part{i}.bin": part for i in range(4)}
    message, _elapsed = refusal(workbook(extra_parts=parts))
    assert message == roster_files.FILE_XLSX_TOO_LARGE_UNPACKED % {"limit": "12.0\xa0MB", **ADVICE}


def test_a_workbook_of_too_many_parts_is_refused():
    parts = {f"xl/custom/part{i}.xml": b"<x/>" for i in range(roster_files.XLSX_BUDGET.max_members)}
    message, _elapsed = refusal(workbook(extra_parts=parts))
    limit = {"limit": roster_files.XLSX_BUDGET.max_members, **ADVICE}
    assert message == roster_files.FILE_XLSX_TOO_MANY_PARTS % limit


def test_a_value_beyond_the_column_cap_refuses_the_file_in_both_formats():
    wide = roster_files.MAX_COLUMNS + 5
    header = ",".join([*HEADINGS, *[f"note {i}" for i in range(wide)]])
    message, _elapsed = refusal(header.encode() + b"\n", filename="class.csv")
    assert message == roster_files.FILE_TOO_MANY_COLUMNS % {"limit": roster_files.MAX_COLUMNS}

    from openpyxl import Workbook

    book = Workbook()
    book.active.append([*HEADINGS, *(["x"] * wide)])
    out = io.BytesIO()
    book.save(out)
    message, _elapsed = refusal(out.getvalue())
    assert message == roster_files.FILE_TOO_MANY_COLUMNS % {"limit": roster_files.MAX_COLUMNS}


def test_a_csv_field_over_the_cap_is_refused_and_the_csv_limit_is_restored():
    before = csv.field_size_limit()
    content = ",".join(HEADINGS).encode() + b'\n"' + b"a" * 5000 + b'",amina,student,Class 7\n'
    message, _elapsed = refusal(content, filename="class.csv")
    assert message == roster_files.FILE_CSV_FIELD_TOO_LONG % {"limit": roster_files.MAX_FIELD_CHARS}
    assert csv.field_size_limit() == before


def test_an_ordinary_workbook_is_still_read():
    rows = roster.roster_parse(
        filename="class.xlsx",
        content=workbook(
            sheet=_sheet(4).replace(
                b"</row>",
                b'</row><row r="2"><c r="A2" t="inlineStr"><is><t>Amina</t></is></c>'
                b'<c r="B2" t="inlineStr"><is><t>amina</t></is></c>'
                b'<c r="C2" t="inlineStr"><is><t>student</t></is></c>'
                b'<c r="D2" t="inlineStr"><is><t>Class 7</t></is></c></row>',
            )
        ),
    )
    assert [(row["full_name"], row["username"], row["cohort"]) for row in rows] == [
        ("Amina", "amina", "Class 7")
    ]
