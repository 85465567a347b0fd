"""Where uploaded project files live: a private folder, never under MEDIA_ROOT or a public URL.

Files are only ever streamed by ``assessments.views.response_file`` after a permission check.
"""

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    # settings.STORAGES["private"]: a folder outside MEDIA_ROOT with no base URL (or a private
    # S3 prefix), so nothing can link to a file directly.
    return storages["private"]


def upload_path(response, filename: str) -> str:
    # The learner's file name is kept on the row, not in the path: the path is not guessable
    # from anything a learner can see and carries no user-supplied characters.
    import secrets

    return f"attempts/{response.attempt_id}/{secrets.token_hex(16)}"
