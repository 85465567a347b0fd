"""The private file store: a folder outside MEDIA_ROOT (or a private S3 prefix) with no public URL.

Files here are reached only through a view that checks permission first: Wagtail's document
serve view for documents (``lms.models.PrivateDocument``).
"""

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    # A callable, so migrations name this function rather than a configured backend, and tests
    # that override STORAGES get their own store.
    return storages["private"]
