"""Settings for the real celery worker started by tests/certificates/test_batch.py.

The test settings plus what two processes must share: the cache (batch progress) on the test
Redis, the media directories (PDFs and ZIPs are in the private one), and a short broker
visibility timeout so that a task held by a killed worker is handed to the next worker within
seconds rather than an hour.
"""

import os

from lms.settings.test import *  # noqa: F403
from lms.settings.test import STORAGES

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["HUNAR_TEST_REDIS_URL"],
        "KEY_PREFIX": os.environ["HUNAR_TEST_CACHE_PREFIX"],
    },
    "renditions": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
STORAGES = {
    **STORAGES,
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ["HUNAR_TEST_PRIVATE_MEDIA_ROOT"]},
    },
}
MEDIA_ROOT = os.environ["HUNAR_TEST_MEDIA_ROOT"]
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("HUNAR_TEST_VISIBILITY_TIMEOUT", "20")),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}

# The broker-outage test (test_broker_outage.py) runs its own issuing process and beat on its
# own Redis: not eager there, e-mails as files it can count, a fast follow-up sweep.
if os.environ.get("HUNAR_TEST_NOT_EAGER"):
    CELERY_TASK_ALWAYS_EAGER = False
if os.environ.get("HUNAR_TEST_EMAIL_DIR"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["HUNAR_TEST_EMAIL_DIR"]
if os.environ.get("HUNAR_TEST_SWEEP_SECONDS"):
    CERTIFICATE_FOLLOW_UP_GRACE_SECONDS = int(os.environ["HUNAR_TEST_SWEEP_SECONDS"])
    CELERY_BEAT_SCHEDULE = {
        "certificates-follow-up-sweep": {
            "task": "certificates.certificates_follow_up_sweep_task",
            "schedule": float(os.environ["HUNAR_TEST_SWEEP_SECONDS"]),
            "options": {"expires": float(os.environ["HUNAR_TEST_SWEEP_SECONDS"])},
        }
    }
