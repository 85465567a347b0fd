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
