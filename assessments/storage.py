"""Where uploaded project files live: the private store (``lms.storage``), never a public URL.

Files are only ever streamed by ``assessments.views.response_file`` after a permission check.
``private_storage`` is re-exported here because migrations name this path.
"""

import secrets

from lms.storage import private_storage

__all__ = ["private_storage", "upload_path"]


def upload_path(response, filename: str) -> str:
    # The learner's file name is kept on the row, not in the path: the path is not guessable
    # from anything a learner can see and carries no user-supplied characters.
    return f"attempts/{response.attempt_id}/{secrets.token_hex(16)}"
