"""The private file store: a folder outside MEDIA_ROOT (or a private S3 prefix) with no public URL.

Files here are reached only through a view that checks permission first: Wagtail's document
serve view for documents (``lms.models.PrivateDocument``), the attempt-file view for learners'
project files, the certificate views for PDFs and cohort ZIPs.

Every ``FileField`` that stores here names :func:`private_storage`, and every other caller uses
it too: the one home of "which store is private". Django evaluates a field's storage callable
once, when the model class is built; the object it gets here looks ``STORAGES["private"]`` up on
each call instead of keeping the backend it found first, so a process (a test, a management
command) whose ``STORAGES`` changes after import writes and reads the store configured now.
"""

from django.core.files.storage import Storage, storages


class PrivateStorage(Storage):
    """Whatever ``STORAGES["private"]`` is at the moment of the call (see the module docstring)."""

    @staticmethod
    def backend() -> Storage:
        return storages["private"]

    def __eq__(self, other):
        return isinstance(other, PrivateStorage) or other is self.backend()

    def __hash__(self):
        return hash(PrivateStorage)

    def deconstruct(self):
        return ("lms.storage.PrivateStorage", (), {})

    # Storage's public interface, each delegated to the configured backend.
    def open(self, name, mode="rb"):
        return self.backend().open(name, mode)

    def save(self, name, content, max_length=None):
        return self.backend().save(name, content, max_length=max_length)

    def get_valid_name(self, name):
        return self.backend().get_valid_name(name)

    def get_alternative_name(self, file_root, file_ext):
        return self.backend().get_alternative_name(file_root, file_ext)

    def get_available_name(self, name, max_length=None):
        return self.backend().get_available_name(name, max_length=max_length)

    def generate_filename(self, filename):
        return self.backend().generate_filename(filename)

    def path(self, name):
        return self.backend().path(name)

    def delete(self, name):
        return self.backend().delete(name)

    def exists(self, name):
        return self.backend().exists(name)

    def listdir(self, path):
        return self.backend().listdir(path)

    def size(self, name):
        return self.backend().size(name)

    def url(self, name):
        return self.backend().url(name)

    def get_accessed_time(self, name):
        return self.backend().get_accessed_time(name)

    def get_created_time(self, name):
        return self.backend().get_created_time(name)

    def get_modified_time(self, name):
        return self.backend().get_modified_time(name)


_PRIVATE = PrivateStorage()


def private_storage() -> Storage:
    # A callable, so migrations name this function rather than a configured backend.
    return _PRIVATE
