"""Settings of the fault suite's Hunar processes: production's, with static files from the finders.

Everything else is ``lms.settings.production`` as deployed (Redis cache and broker, PostgreSQL,
cached sessions, two gunicorn workers). Only the static files change: ``collectstatic`` with
compression costs the suite ~40 s and no fault touches static files.
"""

from lms.settings.production import *  # noqa: F403
from lms.settings.production import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False
