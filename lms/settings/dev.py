"""Friendly local settings: what `make run` uses."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, STORAGES, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-never-use-in-production")
# seed_demo may load the demo network (its accounts share a published password).
HUNAR_DEMO_ALLOWED = True
# The demo app (seed_demo and its texts): development and tests only, never production.
INSTALLED_APPS = ["demo", *(app for app in INSTALLED_APPS if app != "demo")]
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
# runserver serves static files itself in DEBUG; the manifest storage would need collectstatic.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
