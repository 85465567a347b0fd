"""A lab node: Hunar on its embedded defaults (SQLite, tasks in process) for one center's LAN.

`make node UPSTREAM=… TOKEN=…` uses these settings; see docs/decisions/0023-lab-node-sync.md.
"""

import secrets

from .base import *  # noqa: F403
from .base import CELERY_BEAT_SCHEDULE, STORAGES, SYNC_NODE_DIR, env

HUNAR_NODE = True
DEBUG = env.bool("DJANGO_DEBUG", default=False)
# The lab's LAN reaches the node by whatever address the PC has there.
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["*"])
SYNC_NODE_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
_secret_file = SYNC_NODE_DIR / "secret_key"
if not _secret_file.exists():
    _secret_file.write_text(secrets.token_urlsafe(50))
    _secret_file.chmod(0o600)
SECRET_KEY = env("DJANGO_SECRET_KEY", default=_secret_file.read_text().strip())
# No collectstatic on a lab PC: WhiteNoise serves the app's static files from their finders.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Uploaded media (images, documents) served by Django itself on the LAN.
HUNAR_NODE_SERVE_MEDIA = True
# One sync both ways every few minutes while a beat runs (make node runs a loop instead).
CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,
    "node-sync": {"task": "sync.tasks.node_sync_task", "schedule": 300.0},
}
