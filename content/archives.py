"""Looking inside a ZIP-based upload (a roster workbook, a learner's DOCX or ZIP) within budgets,
without extracting it (``docs/decisions/0008-bounded-hostile-input.md``).

``zip_inspect`` reads the end-of-central-directory record first, so a directory of a million
entries is refused before ``zipfile`` parses it, then holds every entry's declared size, the
total and the compression ratio against a ``ZipBudget``. ``zipfile`` never yields more than an
entry declares (it stops there), so for readers that go through it, such as openpyxl, the
declared sizes are the real bound. Other unzip tools (a grader's) inflate a stream to its end
whatever it declares: ``verify=True`` also inflates each entry in chunks, within the budget and
storing nothing, and refuses one that inflates past its declared size.
"""

import copy
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

END_OF_DIRECTORY = b"PK\x05\x06"
_END_RECORD = struct.Struct("<4s4H2LH")
# A central directory entry is 46 bytes plus its name, extra field and comment; names in a
# workbook or a project are short, so a directory larger than this per entry hides something.
_DIRECTORY_BYTES_PER_MEMBER = 1024
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class ZipBudget:
    """What one archive may hold. ``max_ratio`` (uncompressed / compressed) applies to entries
    larger than ``ratio_grace_bytes``; None leaves the ratio to the size caps."""

    max_members: int
    max_member_bytes: int
    max_total_bytes: int
    max_ratio: int | None = None
    ratio_grace_bytes: int = 1024 * 1024


class ArchiveRefused(Exception):
    """The archive is over a budget or unreadable. ``reason`` is one of ``REASONS`` (each app
    words its own message); ``member`` names the entry when one is to blame."""

    REASONS = ("unreadable", "members", "member_size", "total_size", "ratio", "sizes_lie")

    def __init__(self, reason: str, member: str = ""):
        assert reason in self.REASONS, reason
        self.reason = reason
        self.member = member
        super().__init__(f"{reason}: {member}" if member else reason)


def _directory_check(file, budget: ZipBudget) -> None:
    """Refuse from the end record alone: too many entries, or a directory too large for them."""
    file.seek(0, 2)
    size = file.tell()
    tail_length = min(size, _END_RECORD.size + 0xFFFF)  # the record and the longest comment
    file.seek(size - tail_length)
    tail = file.read(tail_length)
    file.seek(0)
    at = tail.rfind(END_OF_DIRECTORY)
    if at < 0 or len(tail) - at < _END_RECORD.size:
        raise ArchiveRefused("unreadable")
    fields = _END_RECORD.unpack_from(tail, at)
    entries, directory_bytes, directory_offset = fields[4], fields[5], fields[6]
    if 0xFFFF in (fields[3], entries) or 0xFFFFFFFF in (directory_bytes, directory_offset):
        raise ArchiveRefused("members")  # ZIP64: more entries or bytes than any budget here
    if entries > budget.max_members or (
        directory_bytes > budget.max_members * _DIRECTORY_BYTES_PER_MEMBER
    ):
        raise ArchiveRefused("members")


def _sizes_check(members: list[zipfile.ZipInfo], budget: ZipBudget) -> None:
    if len(members) > budget.max_members:
        raise ArchiveRefused("members")
    total = 0
    for info in members:
        if info.flag_bits & 0x1:  # encrypted: nothing can look inside
            raise ArchiveRefused("unreadable", info.filename)
        if info.file_size > budget.max_member_bytes:
            raise ArchiveRefused("member_size", info.filename)
        total += info.file_size
        if total > budget.max_total_bytes:
            raise ArchiveRefused("total_size", info.filename)
        if (
            budget.max_ratio is not None
            and info.file_size > budget.ratio_grace_bytes
            and info.file_size > budget.max_ratio * max(info.compress_size, 1)
        ):
            raise ArchiveRefused("ratio", info.filename)


def _inflate_check(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Inflate one entry, keeping nothing, allowing one byte more than it declares: getting that
    byte means its stream is longer than its declared size. The CRC is checked here, since
    zipfile's own check would fire on the extra byte first."""
    probe = copy.copy(info)
    probe.file_size = info.file_size + 1
    del probe.CRC
    inflated, crc = 0, 0
    with archive.open(probe) as stream:
        while chunk := stream.read(_CHUNK):
            inflated += len(chunk)
            if inflated > info.file_size:
                raise ArchiveRefused("sizes_lie", info.filename)
            crc = zlib.crc32(chunk, crc)
    if inflated != info.file_size or crc != info.CRC:
        raise ArchiveRefused("unreadable", info.filename)


def zip_inspect(file, *, budget: ZipBudget, verify: bool = False) -> list[zipfile.ZipInfo]:
    """The entries of a ZIP file (bytes or a seekable binary file), checked against ``budget``.

    Never writes anything and reads at most the budget's total when ``verify``; leaves a file
    at position 0. Raises ``ArchiveRefused``.
    """
    if isinstance(file, bytes | bytearray):
        file = io.BytesIO(file)
    try:
        _directory_check(file, budget)
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            _sizes_check(members, budget)
            if verify:
                for info in members:
                    _inflate_check(archive, info)
    except ArchiveRefused:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        NotImplementedError,
        EOFError,
        OSError,
        ValueError,
        struct.error,
        RuntimeError,
    ):
        # Damaged, truncated or of an unsupported method: zipfile fails in all these ways.
        raise ArchiveRefused("unreadable") from None
    finally:
        file.seek(0)
    return members
