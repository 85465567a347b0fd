"""Files appear whole or not at all: a full disk leaves no truncated file under any name."""

import errno

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from lms.atomic_storage import AtomicFileSystemStorage
from lms.settings import base
from tests.tiny_disk import tiny_disk  # noqa: F401  (a fixture)

BIG = b"x" * (64 * 1024)


def test_media_and_private_files_are_stored_atomically():
    for alias in ("default", "private"):
        assert base.STORAGES[alias]["BACKEND"] == "lms.atomic_storage.AtomicFileSystemStorage"


def test_a_saved_file_is_whole_and_names_never_collide(tmp_path):
    storage = AtomicFileSystemStorage(location=tmp_path)
    first = storage.save("a/b.pdf", ContentFile(b"one"))
    second = storage.save("a/b.pdf", ContentFile(b"two"))
    assert first == "a/b.pdf" and second != first
    assert storage.open(first).read() == b"one" and storage.open(second).read() == b"two"
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == sorted(
        [first.split("/")[1], second.split("/")[1]]
    )


def test_a_full_disk_leaves_nothing_half_written(tiny_disk):  # noqa: F811
    tiny_disk.fill(leave=16 * 1024)
    storage = AtomicFileSystemStorage(location=tiny_disk.path)
    with pytest.raises(OSError) as error:
        storage.save("certificates/a.pdf", ContentFile(BIG))
    assert error.value.errno == errno.ENOSPC
    assert tiny_disk.files() == []
    tiny_disk.free()
    assert storage.save("certificates/a.pdf", ContentFile(BIG)) == "certificates/a.pdf"
    assert (tiny_disk.path / "certificates/a.pdf").read_bytes() == BIG


def test_django_s_own_storage_would_leave_a_truncated_file(tiny_disk):  # noqa: F811
    """Why the atomic storage exists: the same full disk under FileSystemStorage."""
    tiny_disk.fill(leave=16 * 1024)
    with pytest.raises(OSError):
        FileSystemStorage(location=tiny_disk.path).save("a.pdf", ContentFile(BIG))
    assert tiny_disk.files() == ["a.pdf"]
