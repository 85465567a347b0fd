"""Settings shared by every environment; everything configurable is read from the environment here.

The embedded defaults (SQLite, tasks run in process, a file cache) need no configuration at all;
setting DATABASE_URL, CELERY_BROKER_URL and CACHE_URL moves the same code onto PostgreSQL and Redis.
"""

import datetime
import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Embedded defaults keep their SQLite file, file cache and media under var/ (git-ignored).
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
# A developer's .env is read when present; real environment variables always win.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Our apps, top of the dependency stack first (see docs/architecture in README).
    "sync",
    "reports",
    "certificates",
    "assessments",
    "courses",
    "content",
    "lms",
    "axes",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response, static files included
    # (see "Security headers" below).
    "lms.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Learners share slow links: compress HTML (Django adds random padding against BREACH).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Wagtail's site, home page and page for a URL from the shared cache (content.page_cache).
    "content.middleware.PageRoutingMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "lms.middleware.SessionIdleTimeoutMiddleware",
    "lms.middleware.ForcePasswordChangeMiddleware",
    # A learner who opens /admin/ is pointed to "My learning" (staff pass through).
    "lms.middleware.LearnerAdminMiddleware",
    # Last, as django-axes requires: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Refuse before any password is checked: a username + address pair locked by django-axes,
    # then a username that has had too many wrong passwords from anywhere (lms.signin).
    "axes.backends.AxesStandaloneBackend",
    "lms.signin.SignInThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# --- Client address ---------------------------------------------------------------------------
# Who the client is, for sign-in protection, rate limits and logs (lms.client): X-Forwarded-For
# is read only from our own proxies, from the right. 0 and no ranges: REMOTE_ADDR alone.
# AXES_IPWARE_PROXY_COUNT, the old name, is still read.
HUNAR_TRUSTED_PROXY_COUNT = env.int(
    "HUNAR_TRUSTED_PROXY_COUNT", default=env.int("AXES_IPWARE_PROXY_COUNT", default=0)
)
HUNAR_TRUSTED_PROXIES = env.list("HUNAR_TRUSTED_PROXIES", default=[])
for _proxy_range in HUNAR_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy_range, strict=False)
    except ValueError as error:
        raise ImproperlyConfigured(f"HUNAR_TRUSTED_PROXIES: {error}") from error

# --- Sign-in protection (docs/decisions/0006-sign-in-protection.md) ---------------------------
# Per username, whatever the address: this many wrong passwords at once, then one try per
# 3600 / SIGNIN_USERNAME_TRIES_PER_HOUR seconds. So guessing one password is held to that many
# tries an hour, and whoever stops typing a classmate's username wrongly leaves them waiting at
# most one interval. Kept in the database (lms.SignInThrottle), shared by every web process.
SIGNIN_USERNAME_BURST = env.int("SIGNIN_USERNAME_BURST", default=10)
SIGNIN_USERNAME_TRIES_PER_HOUR = env.int("SIGNIN_USERNAME_TRIES_PER_HOUR", default=20)
if SIGNIN_USERNAME_BURST < 1 or SIGNIN_USERNAME_TRIES_PER_HOUR < 1:
    raise ImproperlyConfigured("SIGNIN_USERNAME_BURST and _TRIES_PER_HOUR must be at least 1.")
# django-axes, per username + address, never the address alone (a lab of 40 shares one): it
# records every attempt for the admin and locks a pair for no longer than the throttle's wait.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=3))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lockout page states the wait: more wrong attempts during a lock don't extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_CLIENT_IP_CALLABLE = "lms.client.axes_client_ip"
# Renders registration/locked_out.html with how long this learner must wait.
AXES_LOCKOUT_CALLABLE = "lms.signin.lockout_response"

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"
AUTH_USER_MODEL = "lms.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# Embedded default: SQLite in WAL mode with IMMEDIATE transactions and a busy timeout, so a lab
# of learners writing at once waits its turn instead of failing with "database is locked".
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA foreign_keys=ON;"
        "PRAGMA busy_timeout=20000;"
    ),
}
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'hunar.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
# Persistent connections on SQLite too: opening one runs the PRAGMAs above on every request.
# Safe with WAL and IMMEDIATE: between requests a connection is in autocommit and holds no lock
# or snapshot, and Django closes one left in a broken transaction. runserver closes its
# per-request thread's connection anyway, so there this changes nothing.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
# Shared between processes in every mode (rate limits and lockouts must hold across workers):
# Redis when CACHE_URL is set, otherwise a file cache under var/.
CACHES = {
    "default": env.cache("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}"),
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The same backend, keeping one Redis client per process instead of one per call.
    CACHES["default"]["BACKEND"] = "lms.redis_cache.RedisCache"
if CACHES["default"]["BACKEND"] == "lms.redis_cache.RedisCache":
    # Redis is a cache: an unreachable one is a miss (lms.redis_cache), and one that hangs must
    # cost a request a fraction of a second, not gunicorn's timeout (decision 0018).
    CACHES["default"]["OPTIONS"] = {
        "socket_connect_timeout": env.float("CACHE_CONNECT_TIMEOUT", default=0.5),
        "socket_timeout": env.float("CACHE_SOCKET_TIMEOUT", default=1.0),
        **CACHES["default"].get("OPTIONS", {}),
    }
# Wagtail looks renditions up in this cache before the database.
CACHES["renditions"] = {**CACHES["default"], "KEY_PREFIX": "renditions"}

# --- Celery ---------------------------------------------------------------------------------
# No broker configured: run tasks in the calling process (the embedded default). The in-memory
# transport is never used for delivery then; it only keeps kombu from looking for localhost AMQP.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="") or "memory://"
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL == "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env(
    "CELERY_RESULT_BACKEND",
    default=CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else None,
)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Asia/Karachi"
# Recycle a worker process past ~300 MB (WeasyPrint and fonts grow with use).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=300_000)
# Redis hands a task its worker never acknowledged (the worker died) to another worker after
# this many seconds. Longer than the longest hard time limit (cohort_batch_chunk_task, 660 s) and
# the longest retry countdown, so a task still running is never handed out twice; short enough
# that a dead worker's tasks come back within minutes (docs/decisions/0019-no-task-lost.md).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=720),
    "socket_connect_timeout": 5,
}
# With the broker down, queueing gives up after about a second instead of holding the request:
# the work is recorded in PostgreSQL and a beat sweep queues it again (docs/decisions/0019).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
# How often the beat recomputes the unfiltered dashboards' figures; pages say how fresh they are.
REPORTS_FIGURES_REFRESH_SECONDS = env.int("REPORTS_FIGURES_REFRESH_SECONDS", default=300)
CELERY_BEAT_SCHEDULE = {
    "publish-scheduled-pages": {"task": "courses.publish_scheduled_pages_task", "schedule": 60.0},
    # Attempts whose time ran out are submitted with their last saved answers, never lost.
    "submit-overdue-attempts": {"task": "assessments.submit_overdue_attempts", "schedule": 60.0},
    # Weekly reports for the week just ended, to managers and programme admins (CELERY_TIMEZONE):
    # first on Monday at 06:00, then hourly; each run sends only what is still owed, so a report
    # lost to a broker or worker outage goes out at the next hour (docs/decisions/0019).
    "weekly-reports": {
        "task": "reports.weekly_reports_send_task",
        "schedule": crontab(minute=0, hour="6-23"),
        "options": {"expires": 3000},
    },
    # Freelancing follow-ups due today (30, 90 and 180 days after completion).
    "freelancing-followups": {
        "task": "reports.followups_send_due_task",
        "schedule": crontab(minute=0, hour=10),
    },
    # Certificates still without their PDF or their e-mail (broker was down, worker died):
    # queued again (certificates.pending, docs/decisions/0019-no-task-lost.md).
    "certificates-follow-up-sweep": {
        "task": "certificates.certificates_follow_up_sweep_task",
        "schedule": 60.0,
        # A sweep that waited out a worker outage in the queue is dropped, not run 60 times.
        "options": {"expires": 50},
    },
    # The dashboards' stored figures (reports.summaries, docs/decisions/0017): PostgreSQL only.
    "reports-figures-refresh": {
        "task": "reports.figure_snapshots_refresh_task",
        "schedule": float(REPORTS_FIGURES_REFRESH_SECONDS),
    },
    # The dashboards' stored weekly trends (reports.trend_snapshots, docs/decisions/0025).
    "reports-trends-refresh": {
        "task": "reports.trend_snapshots_refresh_task",
        "schedule": crontab(minute=0),
    },
    # Certificate verifications counted in Redis, into the database (certificates.verification).
    "flush-verification-counts": {
        "task": "certificates.verification_counts_flush_task",
        "schedule": 60.0,
    },
    # Cohort ZIPs of certificate PDFs older than CERTIFICATE_BATCH_ZIP_HOURS are deleted.
    "delete-expired-certificate-zips": {
        "task": "certificates.batch_zips_delete_expired_task",
        "schedule": crontab(minute=15),
    },
    # Retention (docs/privacy.md, "How long"): nightly, each period set below.
    "privacy-signin-logs": {
        "task": "lms.signin_logs_purge_task",
        "schedule": crontab(minute=10, hour=2),
    },
    "privacy-sessions": {"task": "lms.sessions_purge_task", "schedule": crontab(minute=20, hour=2)},
    "privacy-followup-links": {
        "task": "reports.followup_links_purge_task",
        "schedule": crontab(minute=30, hour=2),
    },
    "privacy-project-files": {
        "task": "assessments.project_files_purge_task",
        "schedule": crontab(minute=40, hour=2),
    },
    "privacy-roster-rows": {
        "task": "courses.roster_rows_purge_task",
        "schedule": crontab(minute=50, hour=2),
    },
}

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# New and changed passwords use the first (argon2id at OWASP's minimum); the others only verify
# older hashes, which are re-hashed with the first at the next sign-in. The one-time hasher only
# hashes passwords a center hands out, which learners must change at first sign-in.
# docs/decisions/0016-password-hashing.md.
PASSWORD_HASHERS = [
    "lms.hashers.HunarArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "lms.hashers.OneTimePasswordHasher",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "learning_dashboard"
# Sessions read from the shared cache, written through to the database (survive a cache flush).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)
# Shared lab computers: the session dies with the browser, and after this many seconds without a
# request (lms.middleware.SessionIdleTimeoutMiddleware).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ur", "اردو")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Karachi"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request without it
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env("DJANGO_MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Learners' uploaded project files: private, never served from a media URL, only streamed by a
# view that checks permission (assessments.views). Not under MEDIA_ROOT on purpose.
PRIVATE_MEDIA_ROOT = Path(env("DJANGO_PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
# On disk, files appear whole or not at all: a full disk leaves no truncated file behind
# (lms.atomic_storage, docs/decisions/0019-no-task-lost.md).
STORAGES = {
    "default": {"BACKEND": "lms.atomic_storage.AtomicFileSystemStorage"},
    "private": {
        "BACKEND": "lms.atomic_storage.AtomicFileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Optional: media on S3-compatible storage, switched on only when a bucket is named.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"location": "private", "default_acl": "private", "querystring_auth": True},
    }
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default=None)
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
# WhiteNoise serves hashed (manifest) files, fonts included, as immutable for a year and
# compresses them with Brotli and gzip at collectstatic time.

# --- Email ----------------------------------------------------------------------------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Hunar <no-reply@hunar.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Hunar"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = [
    *("csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"),
    *("mp4", "webm", "vtt"),  # lesson videos and their captions
]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# The largest image Hunar accepts, from staff (Wagtail) and learners (project files) alike:
# decoding one takes about 4 bytes a pixel (Wagtail's default, 128 million, is half a gigabyte).
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Documents keep their files in STORAGES["private"] (no public URL) and are served only by
# Wagtail's document view, after the collection's view restrictions are checked; never by a
# redirect to the file's storage URL (docs/decisions/0012-collections-per-center.md).
WAGTAILDOCS_DOCUMENT_MODEL = "lms.PrivateDocument"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Translating a page into Urdu copies the page tree above it, so the Urdu site mirrors English.
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = True
# The admin asks no third party anything: no avatars from gravatar.com (it would learn who uses
# the admin), no check for a new Wagtail release from the browser. The CSP allows neither host.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --- Security headers -----------------------------------------------------------------------
# docs/decisions/0011-content-security-policy.md. SecurityMiddleware sends the Referrer-Policy,
# X-Content-Type-Options and Cross-Origin-Opener-Policy headers; XFrameOptionsMiddleware sends
# X-Frame-Options for browsers that predate frame-ancestors.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"


def _origin(url: str) -> str | None:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


# Where media (images, renditions, documents, videos) comes from when it is not this host.
_media_defaults = [_origin(MEDIA_URL)]
if AWS_STORAGE_BUCKET_NAME:
    _media_defaults.append(
        _origin(AWS_S3_ENDPOINT_URL or f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com")
    )
    if AWS_S3_REGION_NAME and not AWS_S3_ENDPOINT_URL:
        _media_defaults.append(
            f"https://{AWS_STORAGE_BUCKET_NAME}.s3.{AWS_S3_REGION_NAME}.amazonaws.com"
        )
CSP_MEDIA_ORIGINS = env.list(
    "HUNAR_CSP_MEDIA_ORIGINS", default=[origin for origin in _media_defaults if origin]
)
# The video players lessons may embed: content.sanitize.ALLOWED_IFRAME_HOSTS and content.video.
CSP_FRAME_ORIGINS = [
    "https://www.youtube-nocookie.com",
    "https://www.youtube.com",
    "https://player.vimeo.com",
]
# Public pages, learners' pages, verification: scripts and <style> only from our own files or
# with this response's nonce, no plugins, no <base>, forms only to us, never framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, *CSP_MEDIA_ORIGINS],
        "media-src": [SELF, *CSP_MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": CSP_FRAME_ORIGINS,
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The Wagtail admin: the same, plus exactly what Wagtail 8 needs. Its editor previews a page in
# an iframe of the admin ('self' as frame source and ancestor); the rich-text editor (Draftail)
# writes <style> elements (inline style elements only: style attributes stay blocked); image
# uploads are previewed from blob: URLs. Wagtail's inline scripts are replaced by markers
# (lms.admin_csp), so scripts stay as strict as on the site.
HUNAR_ADMIN_PATH_PREFIX = "/admin/"
HUNAR_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "style-src-elem": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "blob:", *CSP_MEDIA_ORIGINS],
        "frame-src": [SELF, *CSP_FRAME_ORIGINS],
        "frame-ancestors": [SELF],
    }
}
# Powerful browser features nobody on Hunar needs, off for every page and every frame in it.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        *("accelerometer", "autoplay", "browsing-topics"),
        *("camera", "display-capture", "geolocation", "gyroscope", "hid", "idle-detection"),
        *("interest-cohort", "local-fonts", "magnetometer", "microphone", "midi", "payment"),
        *("publickey-credentials-get", "screen-wake-lock", "serial", "usb"),
        "xr-spatial-tracking",
    )
}

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # Wagtail's own background tasks (reference index) log every run at INFO.
    # Wagtail logs every page creation and publication at INFO (hundreds when seeding).
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# --- Demo data -----------------------------------------------------------------------------
# seed_demo creates a superuser and accounts with a published password: only development and
# test settings turn this on (production never; seed_demo has a flag that names the risk).
HUNAR_DEMO_ALLOWED = False

# --- Health check ---------------------------------------------------------------------------
HEALTHZ_BROKER_TIMEOUT = env.float("HEALTHZ_BROKER_TIMEOUT", default=2.0)

# --- Certificates ---------------------------------------------------------------------------
# Private signing keys stay outside the database: one PEM file per key id in this directory,
# or one key given as PEM text in CERTIFICATE_SIGNING_KEY (with its CERTIFICATE_SIGNING_KEY_ID).
CERTIFICATE_KEY_DIR = Path(env("CERTIFICATE_KEY_DIR", default=str(VAR_DIR / "keys")))
CERTIFICATE_SIGNING_KEY = env("CERTIFICATE_SIGNING_KEY", default="")
CERTIFICATE_SIGNING_KEY_ID = env("CERTIFICATE_SIGNING_KEY_ID", default="")
# Public address printed in QR codes and links on certificates.
HUNAR_PUBLIC_URL = env("HUNAR_PUBLIC_URL", default=WAGTAILADMIN_BASE_URL).rstrip("/")
# Public verification endpoints: requests per client address per minute.
VERIFY_RATE_LIMIT_PER_MINUTE = env.int("VERIFY_RATE_LIMIT_PER_MINUTE", default=60)
# A cohort's ZIP of certificate PDFs is deleted this many hours after it was built (beat).
CERTIFICATE_BATCH_ZIP_HOURS = env.int("CERTIFICATE_BATCH_ZIP_HOURS", default=24)
# A certificate still without its PDF or e-mail this long after issue is finished by the beat
# sweep (certificates.pending): the task queued on issue was lost to a broker or worker outage.
CERTIFICATE_FOLLOW_UP_GRACE_SECONDS = env.int("CERTIFICATE_FOLLOW_UP_GRACE_SECONDS", default=120)
# An uploaded PDF that is not a file Hunar issued is read in a child process with these limits
# (docs/decisions/0008-bounded-hostile-input.md): wall-clock seconds (CPU seconds rounded up)
# and address space in bytes.
PDF_CHECK_SECONDS = env.float("PDF_CHECK_SECONDS", default=2.0)
PDF_CHECK_MEMORY_BYTES = env.int("PDF_CHECK_MEMORY_BYTES", default=512 * 1024 * 1024)
# Site-wide: uploaded PDFs read per minute (issued files, answered by their hash, never count).
PDF_CHECK_PARSES_PER_MINUTE = env.int("PDF_CHECK_PARSES_PER_MINUTE", default=10)

# --- Assessments ----------------------------------------------------------------------------
# Largest project file a learner may upload (bytes); bigger requests get a 413 and store nothing.
ASSESSMENT_UPLOAD_MAX_BYTES = env.int("ASSESSMENT_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# A ZIP-based project file (ZIP, DOCX, ...) may unpack to at most this many bytes and files; it
# is inflated in chunks to check, never extracted (docs/decisions/0008-bounded-hostile-input.md).
ASSESSMENT_UPLOAD_MAX_UNPACKED_BYTES = env.int(
    "ASSESSMENT_UPLOAD_MAX_UNPACKED_BYTES", default=100 * 1024 * 1024
)
ASSESSMENT_UPLOAD_MAX_ARCHIVE_FILES = env.int("ASSESSMENT_UPLOAD_MAX_ARCHIVE_FILES", default=1000)
# Seconds after a time limit during which a submit still counts (slow lab connections).
ASSESSMENT_GRACE_SECONDS = env.int("ASSESSMENT_GRACE_SECONDS", default=60)
# A question file (GIFT, Moodle XML, Aiken) may be at most this many bytes and questions; over
# either it is refused before parsing or saving (docs/decisions/0021-question-import-formats.md).
QUESTION_IMPORT_MAX_BYTES = env.int("QUESTION_IMPORT_MAX_BYTES", default=1024 * 1024)
QUESTION_IMPORT_MAX_QUESTIONS = env.int("QUESTION_IMPORT_MAX_QUESTIONS", default=500)

# --- Retention (docs/privacy.md) ------------------------------------------------------------
# Days each kind of personal data is kept; beat's "privacy-*" entries delete what is older.
SIGNIN_LOG_RETENTION_DAYS = env.int("SIGNIN_LOG_RETENTION_DAYS", default=90)
FOLLOWUP_LINK_RETENTION_DAYS = env.int("FOLLOWUP_LINK_RETENTION_DAYS", default=30)
ASSESSMENT_FILE_RETENTION_DAYS = env.int("ASSESSMENT_FILE_RETENTION_DAYS", default=365)
ROSTER_IMPORT_RETENTION_DAYS = env.int("ROSTER_IMPORT_RETENTION_DAYS", default=30)

# --- Lab nodes (docs/decisions/0023-lab-node-sync.md) -----------------------------------------
# A node keeps its key, its outbox of unacknowledged batches and node.json here.
SYNC_NODE_DIR = Path(env("HUNAR_NODE_DIR", default=str(VAR_DIR / "node")))
# A signed sync request is accepted this many seconds either side of the server's clock, once.
SYNC_REPLAY_WINDOW = env.int("SYNC_REPLAY_WINDOW", default=300)
# True on a lab node (lms.settings.node): its admin shows the link's state and what waits.
HUNAR_NODE = False
# Staff may read the admin in Urdu (Account → Preferred language; right to left). Wagtail ships
# no Urdu, so its own words stay English; Hunar's admin pages (gradebook, to-do, imports) are
# translated.
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
