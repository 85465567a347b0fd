"""Production settings: refuse to start without secrets and real services.

Required: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL (PostgreSQL), CELERY_BROKER_URL,
CACHE_URL (Redis). Everything else has a safe default; see .env.example.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, env


def _require(name: str) -> str:
    value = env(name, default="")
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set in production (see .env.example and the README)."
        )
    return value


DEBUG = False
SECRET_KEY = _require("DJANGO_SECRET_KEY")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 random characters.")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[]) or _require("DJANGO_ALLOWED_HOSTS")
_require("DATABASE_URL")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL in production.")
CELERY_BROKER_URL = _require("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = False
_require("CACHE_URL")
if "filebased" in CACHES["default"]["BACKEND"] or "locmem" in CACHES["default"]["BACKEND"]:
    raise ImproperlyConfigured("CACHE_URL must point at a shared cache (Redis) in production.")
WAGTAILADMIN_BASE_URL = _require("WAGTAILADMIN_BASE_URL")
HUNAR_PUBLIC_URL = env("HUNAR_PUBLIC_URL", default=WAGTAILADMIN_BASE_URL).rstrip("/")

# HTTPS everywhere; TLS ends at the load balancer, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# One proxy (the load balancer) sits in front: the client is the address it appended, the last
# in X-Forwarded-For (lms.client). Name its addresses in HUNAR_TRUSTED_PROXIES too, so that a
# request reaching gunicorn around it is not believed.
HUNAR_TRUSTED_PROXY_COUNT = env.int(
    "HUNAR_TRUSTED_PROXY_COUNT", default=env.int("AXES_IPWARE_PROXY_COUNT", default=1)
)
# Load balancers probe the health endpoint over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # A database outage answers 503 to every request: one traceback a minute, not one each.
    "filters": {"database_outage": {"()": "lms.outages.DatabaseOutageLogFilter"}},
    "loggers": {
        # Wagtail's own background tasks (reference index) log every run at INFO.
        "django_tasks": {"level": "WARNING"},
        "django.request": {"filters": ["database_outage"]},
    },
}
