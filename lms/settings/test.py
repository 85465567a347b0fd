"""Fast, isolated test settings. DATABASE_URL still selects PostgreSQL when CI sets it."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS

DEBUG = False
SECRET_KEY = "test-only-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"  # noqa: S105
# seed_demo may load the demo network (its accounts share a published password).
HUNAR_DEMO_ALLOWED = True
# The demo app (seed_demo and its texts): development and tests only, never production.
INSTALLED_APPS = ["demo", *(app for app in INSTALLED_APPS if app != "demo")]
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "lms.hashers.OneTimePasswordHasher",
]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # No rendition cache: query budgets must hold on a cold cache, through prefetching alone.
    "renditions": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests decide per test whether tasks go to a real worker; by default they run in process.
CELERY_TASK_ALWAYS_EAGER = True
LOGGING = {"version": 1, "disable_existing_loggers": False}
