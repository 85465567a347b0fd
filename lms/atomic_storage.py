"""Disk storage that never leaves a half-written file under a name a row can point to.

Django's ``FileSystemStorage`` writes straight into the final name, so a disk that fills up (or
a process killed) mid-write leaves a truncated file there. This one writes a hidden temporary
file in the same folder, flushes it to disk, and only then links it under the final name (as
atomic as the rename it replaces, and like ``O_EXCL`` it never replaces an existing file). On
any error the temporary file is removed and the error raised: the caller's transaction rolls
back and nothing refers to a partial file. See docs/decisions/0019-no-task-lost.md.
"""

import contextlib
import errno
import os
import tempfile

from django.core.files.storage import FileSystemStorage

PARTIAL_PREFIX = ".partial-"


def is_disk_full(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)


class AtomicFileSystemStorage(FileSystemStorage):
    """``FileSystemStorage`` whose files appear whole or not at all."""

    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        if self.directory_permissions_mode is not None:
            old_umask = os.umask(0o777 & ~self.directory_permissions_mode)
            try:
                os.makedirs(directory, self.directory_permissions_mode, exist_ok=True)
            finally:
                os.umask(old_umask)
        else:
            os.makedirs(directory, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=PARTIAL_PREFIX)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                if hasattr(content, "seek"):
                    content.seek(0)
                for chunk in content.chunks():
                    handle.write(chunk if isinstance(chunk, bytes) else chunk.encode())
                handle.flush()
                os.fsync(handle.fileno())
            mode = self.file_permissions_mode
            if mode is None:
                umask = os.umask(0)
                os.umask(umask)
                mode = 0o666 & ~umask
            os.chmod(temporary, mode)
            while True:
                try:
                    if getattr(self, "_allow_overwrite", False):
                        os.replace(temporary, full_path)
                    else:
                        os.link(temporary, full_path)
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        return str(name).replace("\\", "/")
