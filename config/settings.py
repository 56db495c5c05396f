"""Toplum settings.

Every value comes from the environment with a working local default, so a
fresh clone runs with SQLite and in-process tasks. ``DEBUG=0`` switches on the
production values and makes ``SECRET_KEY`` mandatory.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.logs import configure_structlog
from core.logs import formatter as log_formatter

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG=0.")
    # Local development only: never used once DEBUG=0.
    SECRET_KEY = "local-development-only-not-a-secret-" + "x" * 20

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",  # django-bootstrap-static: Bootstrap's CSS/JS as static files, no CDN
    "django_countries",
    "phonenumber_field",
    "simple_history",
    "axes",  # lockout after repeated failed logins
    "django_otp",
    "django_otp.plugins.otp_totp",  # authenticator apps
    "django_otp.plugins.otp_static",  # one-time recovery codes
    "csp",
    "django_prometheus",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Toplum, one app per subject, in the order of DESIGN.md: each imports only apps above it.
    "core",
    "centers",
    "accounts",
    "audit",
    "beneficiaries",
    "services",
    "cases",
    "documents",
    "listening",
    "finance",
    "messaging",
    "reports",
    "planning",
    "privacy",
    "api",
    "demo",
]

MIDDLEWARE = [
    # First: /healthz answers JSON before sessions or users touch the database.
    "core.health.HealthMiddleware",
    "core.logs.RequestIdMiddleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.security.SessionLimitMiddleware",
    "accounts.security.TwoFactorRequiredMiddleware",
    "audit.recorder.AuditContextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "accounts.security.NoStoreMiddleware",
    "centers.middleware.CenterScopeMiddleware",
    "core.logs.RequestContextMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that a lockout answers before any view runs.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "centers.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        # A kept connection is checked before a request reuses it, so the first request after a database
        # restart, a failover or pg_terminate_backend reconnects instead of failing.
        conn_health_checks=True,
    )
}
# Production runs the application as a role that owns nothing, and migrations as the owner
# (`DATABASE_URL=<owner> manage.py migrate`): after every migrate the owner grants DATABASE_APP_ROLE its rows
# (audit/roles.py; README, "Operating it").
DATABASE_APP_ROLE = os.environ.get("DATABASE_APP_ROLE", "")
# A streaming replica for report builds, dashboards and exports (core/replica.py), used while its replication
# lag stays under DATABASE_REPLICA_MAX_LAG seconds; the primary otherwise. Tests mirror it onto the primary
# (tests/test_replica.py uses the real replica CI starts).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
DATABASE_REPLICA_MAX_LAG = float(os.environ.get("DATABASE_REPLICA_MAX_LAG", "5"))
DATABASE_REPLICA_CHECK_SECONDS = float(os.environ.get("DATABASE_REPLICA_CHECK_SECONDS", "5"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out user/address before checking the password
    "django.contrib.auth.backends.ModelBackend",
]

# Lockout (django-axes): five failures for the same user name from the same address lock that pair
# for 15 minutes. Not by address alone: a centre's staff share one public address.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_DISABLE_ACCESS_LOG = True  # logins are in our own audit trail
AXES_VERBOSE = False

# Two-factor login (django-otp): required for these roles and for superusers.
# Partner focal points too: outside staff who read referred people's data from their own offices.
TWO_FACTOR_ROLES = ["center_manager", "national_manager", "data_protection_officer", "partner_focal_point"]
OTP_TOTP_ISSUER = os.environ.get("OTP_ISSUER", "Toplum")
OTP_STATIC_THROTTLE_FACTOR = 1
RECOVERY_CODES = 10

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Staff share desks: a session ends after 30 idle minutes. Saving on every
# request turns the cookie age into an idle timeout.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# …and after 12 hours whatever the activity.
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("SESSION_ABSOLUTE_SECONDS", str(12 * 60 * 60)))

# Internationalisation
LANGUAGE_CODE = "en"
# Our own date formats where Django's default would mislead (config/formats/en: no US month-first dates).
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGES = [
    ("en", _("English")),
    ("tr", _("Turkish")),
    ("ar", _("Arabic")),
    ("fr", _("French")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Istanbul")
USE_I18N = True
USE_TZ = True

# Static files: Bootstrap comes from a Python package and WhiteNoise serves it.
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files kept by the application (documents, report files, uploads awaiting import) go to MEDIA_ROOT, or to an
# S3-compatible bucket with STORAGE_BACKEND=s3. Either way they are private: never served from a public URL,
# always through a view that checks access.
STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "filesystem")
if STORAGE_BACKEND not in {"filesystem", "s3"}:
    raise ImproperlyConfigured("STORAGE_BACKEND must be 'filesystem' or 's3'.")
_DEFAULT_STORAGE = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("S3_BUCKET", "toplum"),
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION", "") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID", ""),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "location": os.environ.get("S3_PREFIX", ""),
        },
    }
    if STORAGE_BACKEND == "s3"
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Phone numbers typed without a country code are Turkish.
PHONENUMBER_DEFAULT_REGION = "TR"
PHONENUMBER_DEFAULT_FORMAT = "INTERNATIONAL"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: Redis when REDIS_URL is set, otherwise tasks run in-process so a
# fresh clone needs no services.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "toplum")
# Queues by latency (config/celery.py, route_task): notices must start within seconds, imports and report
# builds may take minutes. Each queue is named here; unset, it is the default queue, so one worker
# (`make worker`) runs everything. Production names them all and runs a worker per queue (compose.yaml).
CELERY_QUEUES_BY_LATENCY = {
    "notify": os.environ.get("CELERY_QUEUE_NOTIFY", "") or os.environ.get("SMS_QUEUE", ""),
    "imports": os.environ.get("CELERY_QUEUE_IMPORTS", ""),
    "reports": os.environ.get("CELERY_QUEUE_REPORTS", ""),
    "webhooks": os.environ.get("CELERY_QUEUE_WEBHOOKS", ""),
}
CELERY_TASK_ROUTES = ("config.celery.route_task",)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers log through LOGGING below (JSON lines in production), not through Celery's own handler.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE = {
    "monthly-reports": {
        "task": "reports.tasks.build_monthly_reports",
        "schedule": crontab(day_of_month=1, hour=6, minute=0),
    },
    "monthly-reach-for-the-dashboard": {
        "task": "reports.tasks.store_monthly_reach",
        "schedule": crontab(hour=3, minute=0),
    },
    # The current month's counts too, so the dashboard reads only stored rows (figures at most this old).
    "current-month-for-the-dashboard": {
        "task": "reports.tasks.store_current_month",
        "schedule": 60.0 * int(os.environ.get("DASHBOARD_REFRESH_MINUTES", "10")),
        "options": {"expires": 300},
    },
    # Messages held back by quiet hours go at 08:00; tomorrow's reminders are queued in the afternoon.
    "messages-due": {"task": "messaging.tasks.send_due", "schedule": 300.0, "options": {"expires": 280}},
    "reminders-for-tomorrow": {
        "task": "messaging.tasks.queue_reminders",
        "schedule": crontab(hour=16, minute=0),
    },
    "messages-into-monthly-costs": {
        "task": "messaging.tasks.record_month_costs",
        "schedule": crontab(hour=1, minute=30),
    },
    "retention-anonymise": {
        "task": "privacy.tasks.anonymise_inactive_people",
        "schedule": crontab(hour=2, minute=15),
    },
    "worker-heartbeat": {"task": "core.tasks.worker_heartbeat", "schedule": 60.0},
    # Re-queues report builds whose worker died and sends runs queued while the broker was away.
    "report-runs-sweep": {
        "task": "reports.tasks.sweep_report_runs",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Webhook deliveries the broker never took (it was away when the referral changed) are sent again.
    "api-deliver-due": {"task": "api.tasks.deliver_due", "schedule": 300.0, "options": {"expires": 280}},
    "follow-ups-due-today": {
        "task": "cases.tasks.notify_follow_ups_due",
        "schedule": crontab(hour=7, minute=30),
    },
}

# Report builds that survive faults (reports/services.py): a build whose heartbeat is older than this is
# taken to have lost its worker and is started again, at most REPORT_BUILD_MAX_ATTEMPTS times; a run sent
# to the broker but never started is sent again after REPORT_QUEUED_RESEND_AFTER; publishing a build gives
# up after REPORT_BROKER_TIMEOUT so a request never waits for a dead broker.
REPORT_BUILD_STALE_AFTER = int(os.environ.get("REPORT_BUILD_STALE_AFTER", "120"))
REPORT_BUILD_MAX_ATTEMPTS = int(os.environ.get("REPORT_BUILD_MAX_ATTEMPTS", "3"))
REPORT_QUEUED_RESEND_AFTER = int(os.environ.get("REPORT_QUEUED_RESEND_AFTER", "900"))
REPORT_BROKER_TIMEOUT = float(os.environ.get("REPORT_BROKER_TIMEOUT", "0.5"))

# /metrics (config/metrics.py) answers Prometheus with this bearer token; unset, only requests from loopback.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")

# /healthz calls the worker "stale" when it has not run the heartbeat for this long.
WORKER_HEARTBEAT_STALE_SECONDS = int(os.environ.get("WORKER_HEARTBEAT_STALE_SECONDS", "180"))

# In any downloadable disaggregated table, counts from 1 to this minus one appear as "<N".
REPORT_SMALL_CELL_THRESHOLD = int(os.environ.get("REPORT_SMALL_CELL_THRESHOLD", "5"))
# SMS and WhatsApp to beneficiaries (messaging/, read through messaging/conf.py). make run writes the messages
# it would send to MEDIA_ROOT/sent-messages.log; production sets the Twilio backend and its credentials.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "messaging.backends.file.FileBackend")
SMS_QUEUE = os.environ.get("SMS_QUEUE", "") or None  # "notify" in production, consumed by its own worker
SMS_PRICE_USD = os.environ.get("SMS_PRICE_USD", "0.05")
SMS_DAILY_CAP = int(os.environ.get("SMS_DAILY_CAP", "3"))
SMS_QUIET_START = int(os.environ.get("SMS_QUIET_START", "21"))
SMS_QUIET_END = int(os.environ.get("SMS_QUIET_END", "8"))
TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
TWILIO_FROM = os.environ.get("TWILIO_FROM", "")
TWILIO_WHATSAPP_FROM = os.environ.get("TWILIO_WHATSAPP_FROM", "")
TWILIO_API_BASE = os.environ.get("TWILIO_API_BASE", "https://api.twilio.com")
MESSAGING_PUBLIC_URL = os.environ.get("MESSAGING_PUBLIC_URL", "")

# The API (api/): authentication, scopes and throttles are the API's own (api/); the schema is OpenAPI 3.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "UNAUTHENTICATED_USER": None,
    # JSON only: no browsable API (its pages would need inline scripts and a session).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # Per API client (api.authentication.ClientRateThrottle), whichever token or address it calls from.
    "DEFAULT_THROTTLE_RATES": {"api_client": os.environ.get("API_THROTTLE_RATE", "1000/hour")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Toplum API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "DESCRIPTION": "Referrals for partner organisations' systems; monthly reach figures, the activity catalogue "
    "and the service directory for donors and coordination. Every call needs `Authorization: Bearer <token>`; "
    "webhooks are signed as api/webhooks.py describes.",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"ServiceTypeEnum": "cases.models.ServiceType"},
}

# The data controller named in the cover letter of a subject-access document (KVKK): the national society.
DATA_CONTROLLER_NAME = os.environ.get("DATA_CONTROLLER_NAME", "")
MEDIA_ROOT = Path(
    os.environ.get("MEDIA_ROOT", BASE_DIR / "media")
)  # private: served only through views that check access

# Content-Security-Policy (django-csp): nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Uploads (cost and survey imports): checked in the request (size, type, a ZIP's unpacked size, no DTD),
# then stored privately under MEDIA_ROOT/imports/ until the import task ends, and deleted.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(5 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "50000"))
IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("IMPORT_MAX_UNPACKED_BYTES", str(50 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024

# Documents on profiles and cases (documents/): PDF, JPEG or PNG up to this size, checked by content.
DOCUMENT_MAX_BYTES = int(os.environ.get("DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024)))

# Subject rights: people with no contact for this many years are anonymised by a nightly job.
RETENTION_YEARS = int(os.environ.get("RETENTION_YEARS", "5"))

# Production hardening, on by default once DEBUG=0.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Off only for a plain-HTTP stack on loopback (.ci/stack); never behind a real address.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "toplum@localhost")

# Logs (core/logs.py): JSON lines with request id, user id and centre code, never personal data.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "console" if DEBUG else "json")
configure_structlog()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"structured": log_formatter(LOG_FORMAT)},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # fontTools narrates every font subset it makes for a PDF card; the request line is ours (core/logs.py).
    "loggers": {
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "django.server": {"level": "WARNING"},
        "toplum.request": {"level": os.environ.get("REQUEST_LOG_LEVEL", "INFO")},
    },
}
