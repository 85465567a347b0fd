"""A real, tiny, full disk for the tests about one: a 256 KB tmpfs mounted in the test's own
folder (needs root; skips otherwise), so writes fail with the kernel's own ENOSPC."""

import os
import subprocess

import pytest

SIZE = "256k"


@pytest.fixture
def tiny_disk(tmp_path):
    """The mounted folder; ``fill(leave=bytes)`` fills it to leave that much, ``free()`` empties
    the filler again."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs for a full disk (needs root): {mounted.stderr.strip()}")
    try:
        yield TinyDisk(folder)
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


class TinyDisk:
    def __init__(self, folder):
        self.path = folder
        self.filler = folder / ".filler"

    def fill(self, leave: int = 0) -> None:
        free = os.statvfs(self.path).f_bavail * os.statvfs(self.path).f_frsize
        with open(self.filler, "ab") as handle:
            handle.write(b"\0" * max(free - leave, 0))

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)

    def files(self) -> list[str]:
        return sorted(
            str(path.relative_to(self.path))
            for path in self.path.rglob("*")
            if path.is_file() and path != self.filler
        )
