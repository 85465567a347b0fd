"""Settings shared by every environment; everything configurable is read from the environment here.

The embedded defaults (SQLite, tasks run in process, a file cache) need no configuration at all;
setting DATABASE_URL, CELERY_BROKER_URL and CACHE_URL moves the same code onto PostgreSQL and Redis.
"""

import datetime
from pathlib import Path

import environ
from celery.schedules import crontab

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
    # Last, as django-axes requires: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username + address pair is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Brute-force protection keyed on username + address, never the address alone: a whole lab
# signs in from one IP, so its 40 learners must all get in while 10 failures on one username
# from one address lock that pair for 15 minutes. Attempts live in the database, shared by
# every web process.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lockout page promises 15 minutes: more wrong attempts during a lock don't extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind the load balancer the client address comes from X-Forwarded-For (see production.py).
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=0)
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

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
# Redis redelivers unacknowledged tasks after this; it must exceed the longest hard time limit.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_BEAT_SCHEDULE = {
    "publish-scheduled-pages": {"task": "courses.publish_scheduled_pages_task", "schedule": 60.0},
    # Attempts whose time ran out are submitted with their last saved answers, never lost.
    "submit-overdue-attempts": {"task": "assessments.submit_overdue_attempts", "schedule": 60.0},
    # Weekly reports for the week just ended, to managers and programme admins (CELERY_TIMEZONE).
    "weekly-reports": {
        "task": "reports.weekly_reports_send_task",
        "schedule": crontab(minute=0, hour=6, day_of_week="mon"),
    },
    # Freelancing follow-ups due today (30, 90 and 180 days after completion).
    "freelancing-followups": {
        "task": "reports.followups_send_due_task",
        "schedule": crontab(minute=0, hour=10),
    },
    # Certificate verifications counted in Redis, into the database (certificates.verification).
    "flush-verification-counts": {
        "task": "certificates.verification_counts_flush_task",
        "schedule": 60.0,
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
# Django's defaults first (new and changed passwords use the first); the one-time hasher only
# hashes passwords a center hands out, which learners must change at first sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
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
# Translating a page into Urdu copies the page tree above it, so the Urdu site mirrors English.
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = True

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

# --- Assessments ----------------------------------------------------------------------------
# Largest project file a learner may upload (bytes); bigger requests get a 413 and store nothing.
ASSESSMENT_UPLOAD_MAX_BYTES = env.int("ASSESSMENT_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# Seconds after a time limit during which a submit still counts (slow lab connections).
ASSESSMENT_GRACE_SECONDS = env.int("ASSESSMENT_GRACE_SECONDS", default=60)

# --- Retention (docs/privacy.md) ------------------------------------------------------------
# Days each kind of personal data is kept; beat's "privacy-*" entries delete what is older.
SIGNIN_LOG_RETENTION_DAYS = env.int("SIGNIN_LOG_RETENTION_DAYS", default=90)
FOLLOWUP_LINK_RETENTION_DAYS = env.int("FOLLOWUP_LINK_RETENTION_DAYS", default=30)
ASSESSMENT_FILE_RETENTION_DAYS = env.int("ASSESSMENT_FILE_RETENTION_DAYS", default=365)
ROSTER_IMPORT_RETENTION_DAYS = env.int("ROSTER_IMPORT_RETENTION_DAYS", default=30)
