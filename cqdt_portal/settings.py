"""CQĐT Portal settings: one module, read from the environment.

Development needs nothing set (SQLite in the checkout, DEBUG on, mail to the console). Production sets
DEBUG=0 and must then give SECRET_KEY; a malformed value (a bad boolean, a bad URL) fails at start-up.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "axes",
    "csp",
    "cqdt_portal.lib",
    "accounts",
    "notifications",
    "plans",
    "wards",
    "documents",
    "org",
    "tasks",
    "reminders",
    "reporting",
    "dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before the CSRF check's process_view reads a body: size limits, NUL in the address, no-store when signed in.
    "cqdt_portal.middleware.RequestLimitsMiddleware",
    # Every page of the portal is for signed-in officials; views open to all say so with
    # @login_not_required (the login page). The API under API_PREFIX authenticates on its own.
    "cqdt_portal.middleware.PortalLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cqdt_portal.urls"


# The page that shows each kind of object, wherever it is served. An app never names a page of an app that
# builds on it (the layers, docs/architecture.md), so the project wires these pages here, and
# `obj.get_absolute_url()` works in every app, in the admin ("Xem trên trang") and in e-mails.
def _unit_page(url_name, *args):
    """A unit's page: a code names a unit only within its lifespan, so an ended unit's link carries its last day."""

    def url(unit):
        path = reverse(url_name, args=[*args, unit.code])
        return f"{path}?as_of={unit.valid_to.isoformat()}" if unit.valid_to else path

    return url


ABSOLUTE_URL_OVERRIDES = {
    "plans.legaldocument": lambda d: reverse("tasks:document_detail", args=[d.pk]),
    "wards.district": _unit_page("tasks:district_detail"),
    "wards.ward": _unit_page("tasks:unit_detail", "phuong"),
    "org.department": _unit_page("tasks:unit_detail", "so"),
    "tasks.assignment": lambda a: reverse("reporting:assignment_detail", args=[a.pk]),
}

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
                "cqdt_portal.context_processors.waiting",
            ],
        },
    },
]

WSGI_APPLICATION = "cqdt_portal.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # The working set (a city's plan: tens of thousands of rows) stays in memory or on SSD, where a random read
    # costs about what a sequential one does; PostgreSQL's default (4) made it hash a whole table of tasks to join
    # fifty rows of one ward's list (1.4 ms instead of 0.2, docs/benchmarks.md). 1.1 is the usual SSD setting.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "options", f"-c random_page_cost={env.float('DB_RANDOM_PAGE_COST', default=1.1)}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.KeptPermissionsBackend",
]
# Failed-login throttling (django-axes): five failures for one user name from one address lock that pair for
# 15 minutes. Counting the pair, not the name alone, means a stranger elsewhere cannot lock an official out; only
# that pair's own successful login (or an admin, "Khoá đăng nhập" in the admin) clears its count, so an insider
# cannot wipe their guesses at someone else's password by signing in as themselves. One address trying many
# names (password spraying) is locked too, after ADDRESS_FAILURE_LIMIT failures (accounts/lockout.py).
# Failures during a lockout do not extend it: after the cool-off the pair may try again.
AXES_HANDLER = "accounts.lockout.LoginLockoutHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=4 * AXES_FAILURE_LIMIT)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_COOLOFF_MESSAGE = "Tạm khoá đăng nhập: đã nhập sai nhiều lần. Vui lòng thử lại sau."
# The admin of lockouts is accounts.LoginLockout (in Vietnamese), not axes' own.
AXES_ENABLE_ADMIN = False
# Behind REVERSE_PROXIES proxies, each appending the address it received from to X-Forwarded-For, the client is
# that many entries from the right of the header; whatever the client wrote there itself is further left and
# ignored. With none (the default), X-Forwarded-For is ignored and the connection's address counts.
REVERSE_PROXIES = env.int("REVERSE_PROXIES", default=0)
AXES_IPWARE_PROXY_ORDER = "left-most"
# django-ipware counts the proxies listed in the header: the last one is the connection itself, not listed.
AXES_IPWARE_PROXY_COUNT = REVERSE_PROXIES - 1 if REVERSE_PROXIES else None
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR",) if REVERSE_PROXIES else ("REMOTE_ADDR",)
# A header with more entries than the proxies (a client's own X-Forwarded-For) is still read, from the right.
IPWARE_STRICT = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboards:home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
# Vietnamese only: a browser set to English still gets every screen, the admin's too, in Vietnamese.
LANGUAGES = [("vi", "Tiếng Việt")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["cqdt_portal.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Largest file (ward list, plan tasks) an admin may import (the whole country's GSO export is about 2 MB).
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)

MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# E-mail: EMAIL_URL (smtp://user:pass@host:587/?tls=True, consolemail://, filemail:////abs/path — django-environ
# strips one slash, so filemail:///path is relative to the working directory),
# console by default so development never mails anyone by mistake.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="CQĐT Portal <no-reply@cqdt.hanoi.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who runs the portal and whom to ask for help, on the login page and in password-reset mails.
PORTAL_AGENCY = env.str("PORTAL_AGENCY", default="Văn phòng Ủy ban nhân dân thành phố Hà Nội")
PORTAL_SUPPORT_CONTACT = env.str(
    "PORTAL_SUPPORT_CONTACT",
    default="Bộ phận hỗ trợ kỹ thuật: hotro.cqdt@hanoi.gov.vn, điện thoại 024 3825 3536",
)
# Links in e-mails need the portal's address; requests are not there to tell it in a worker.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis hands an unacknowledged message (a killed worker's, or a retry waiting for its countdown) to another
# worker after this many seconds. It must exceed the longest retry countdown (reminders/jobs.py: 1 hour) so that a
# waiting retry is not run twice; a killed worker's digest is then redelivered within 2 hours.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=2 * 3600)
}
# The schedule lives in the database (django-celery-beat) so admins can see and change it; `seed` creates
# its entries (tasks.services.reminder_schedule_ensure).
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# Deadline reminders: the defaults that `seed` copies into the ReminderSettings row, which admins then edit.
REMINDER_DAYS_BEFORE = env.list("REMINDER_DAYS_BEFORE", cast=int, default=[7, 3, 1])
REMINDER_OVERDUE_EVERY_DAYS = env.int("REMINDER_OVERDUE_EVERY_DAYS", default=7)
# QĐ 202/QĐ-UBND: a task still overdue after more than 3 reminders goes to the city leadership's meeting.
REMINDER_ESCALATE_AFTER = env.int("REMINDER_ESCALATE_AFTER", default=3)

REST_FRAMEWORK = {
    # A browser signs in with its session; a script or another system with its API token ("Authorization: Token
    # <key>", one per person or system, issued and revoked in the admin). HTTP Basic hashes the password on every
    # request (bench/: 2.5 req/s): in development only. The token first: a request without credentials gets 401
    # with "WWW-Authenticate: Token", which tells a script what to send.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
        *(["rest_framework.authentication.BasicAuthentication"] if DEBUG else []),
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: people read the API through its docs page (/api/docs/); the browsable renderer needs
    # inline styles that the Content-Security-Policy forbids.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
API_PREFIX = "/api/"
SPECTACULAR_SETTINGS = {
    # Swagger UI's files come from the drf-spectacular-sidecar package: nothing from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "TITLE": "CQĐT Portal API",
    "DESCRIPTION": "Read-only API of the Hà Nội urban-government pilot tracker.",
    "VERSION": "1.0.0",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cqdt_portal.api_schema.document_errors",
    ],
}

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Production serves over HTTPS (TLS ends at the reverse proxy, which sets X-Forwarded-Proto). HTTPS=false is
# only for trying production mode on plain http://127.0.0.1 (a load test, say); check --deploy then warns.
HTTPS = env.bool("HTTPS", default=not DEBUG)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
X_FRAME_OPTIONS = "DENY"
# Pages load scripts, styles and images from the portal only, and no inline script runs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_forbidden": {"()": "cqdt_portal.log.OneLineForbidden"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["one_line_forbidden"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# Evidence files attached to progress reports: at most this many bytes each, at most EVIDENCE_MAX_FILES per
# report. Served only through reporting:evidence_download (which checks access), never from MEDIA_URL.
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
EVIDENCE_MAX_FILES = env.int("EVIDENCE_MAX_FILES", default=5)
# The largest request the portal reads (cqdt_portal.middleware.RequestLimitsMiddleware), refused before anything
# is spooled to disk: a report's evidence files or an import, with room for the form; the login form otherwise.
REQUEST_MAX_BYTES = env.int(
    "REQUEST_MAX_BYTES", default=max(EVIDENCE_MAX_BYTES * EVIDENCE_MAX_FILES, IMPORT_MAX_BYTES) + 1024 * 1024
)
ANONYMOUS_REQUEST_MAX_BYTES = env.int("ANONYMOUS_REQUEST_MAX_BYTES", default=64 * 1024)
