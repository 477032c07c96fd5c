"""One settings module for every tier, driven by environment variables.

PORTAL_ENV selects the tier: ``demo`` (embedded default: SQLite, in-memory channel
layer), ``test`` (the suite, normally on PostgreSQL + Redis) or ``production``.
Any malformed value stops the process with a message naming the variable.
"""

import os
import re
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
TIERS = ("demo", "test", "production")


def fail(message: str) -> None:
    sys.exit(f"Configuration error: {message}")


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = os.environ.get(name, default)
    if value not in choices:
        fail(f"{name}={value!r} is not one of {', '.join(choices)}.")
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    fail(f"{name}={value!r} is not a boolean (use true or false).")
    return default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int, minimum: int = 1) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    if not value.strip().isdigit() or int(value) < minimum:
        fail(f"{name}={value!r} is not a whole number of at least {minimum}.")
    return int(value)


def env_origins(name: str, default: list[str]) -> list[str]:
    """Full origins (scheme://host[:port], nothing after), lower-cased, each as a browser sends it."""
    origins = []
    for value in env_list(name, default):
        parsed = urlparse(value.lower())
        if parsed.scheme not in ("http", "https") or not parsed.hostname or parsed.path not in ("", "/"):
            fail(f"{name} must list origins such as https://portal.example.org, got {value!r}.")
        origins.append(f"{parsed.scheme}://{parsed.netloc}")
    return origins


def env_years_by_country(name: str) -> dict[str, int]:
    """`KZ=5,IQ=10`: a number of years per ISO country code."""
    years = {}
    for item in env_list(name, []):
        country, _sep, number = item.partition("=")
        if len(country.strip()) != 2 or not number.strip().isdigit():
            fail(f"{name} must look like KZ=5,IQ=10, got {item!r}.")
        years[country.strip().upper()] = int(number)
    return years


def env_url(name: str, schemes: tuple[str, ...]) -> str | None:
    value = os.environ.get(name)
    if not value:
        return None
    parsed = urlparse(value)
    if parsed.scheme not in schemes or not (parsed.hostname or parsed.path):
        fail(f"{name} must be a URL with scheme {' or '.join(schemes)}, got {value!r}.")
    return value


PORTAL_ENV = env_choice("PORTAL_ENV", TIERS, "production")
EMBEDDED = PORTAL_ENV != "production"
DEBUG = env_bool("DEBUG", PORTAL_ENV == "demo")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not EMBEDDED:
        fail("SECRET_KEY is required when PORTAL_ENV=production.")
    SECRET_KEY = "insecure-key-for-demo-and-tests-only"  # noqa: S105 - never used in production (above)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if EMBEDDED else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The only Origin headers a WebSocket may open with (portal.wiring.asgi): BASE_URL's origin and the
# trusted CSRF origins unless listed; the test tier adds the test client's.
WEBSOCKET_ALLOWED_ORIGINS = env_origins(
    "WEBSOCKET_ALLOWED_ORIGINS",
    [
        "{0.scheme}://{0.netloc}".format(urlparse(os.environ.get("BASE_URL", "http://127.0.0.1:8000"))),
        *CSRF_TRUSTED_ORIGINS,
        *(["http://testserver"] if PORTAL_ENV == "test" else []),
    ],
)

DATABASE_URL = env_url("DATABASE_URL", ("postgres", "postgresql", "sqlite"))
REDIS_URL = env_url("REDIS_URL", ("redis", "rediss"))
if not EMBEDDED and not (DATABASE_URL and REDIS_URL):
    fail("DATABASE_URL and REDIS_URL are required when PORTAL_ENV=production.")

if not DATABASE_URL:
    (BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_health_checks=True)
    if DATABASE_URL
    else {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "var" / "demo.sqlite3"}
}
# Each server process takes its PostgreSQL connections from a pool of at most DATABASE_POOL_SIZE,
# reused from request to request and tested before each use (CONN_HEALTH_CHECKS: a restart of
# PostgreSQL costs no request). A request finding them all busy waits for one up to
# DATABASE_POOL_TIMEOUT seconds: a slow answer rather than an error, within a reverse proxy's 60 s.
# So the connections stay bounded however many requests run at once. A pool needs CONN_MAX_AGE = 0.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"] = {
        "pool": {
            "min_size": 1,
            "max_size": env_int("DATABASE_POOL_SIZE", 10),
            "timeout": env_int("DATABASE_POOL_TIMEOUT", 30),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if REDIS_URL and PORTAL_ENV == "test" and (xdist_worker := os.environ.get("PYTEST_XDIST_WORKER")):
    # The suite's parallel processes (pytest-xdist's gw0, gw1, …) share one Redis server: each takes a
    # database of its own, as pytest-django gives each a PostgreSQL database of its own.
    REDIS_URL = urlparse(REDIS_URL)._replace(path=f"/{int(xdist_worker.removeprefix('gw')) + 1}").geturl()
if REDIS_URL:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}}
    # The cache only saves work (portal/foundation/caching.py): while Redis is down or does not answer
    # (for these seconds per call), pages are built without it.
    CACHES = {
        "default": {
            "BACKEND": "portal.foundation.caching.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

INSTALLED_APPS = [
    "daphne",
    "portal.foundation",
    "accounts",
    "portal.wiring",
    "cso_directory",
    "referrals",
    "django_tasks",
    "django_tasks_db",
    "aftercare",
    "reporting",
    "wagtail.contrib.forms",
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
    "django_filters",
    "channels",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.sessions.SessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",  # who has passed the second factor
    "accounts.middleware.SecondFactorMiddleware",  # asks for it before anything else works
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.sessions.NoStoreForSignedInMiddleware",
    "portal.wiring.headers.ContentSecurityPolicyMiddleware",
    "portal.foundation.audit.AuditContextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a lock-out noticed while signing in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]
INSTALLED_APPS.insert(INSTALLED_APPS.index("wagtail.contrib.forms"), "wagtail.contrib.redirects")
# Before the CSRF check, which reads the form: an upload over a view's limit is refused unread.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.csrf.CsrfViewMiddleware"), "portal.foundation.uploads.UploadLimitMiddleware"
)
# Sets the language cookie when a sign-in brought back the user's preferred language.
MIDDLEWARE.insert(
    MIDDLEWARE.index("axes.middleware.AxesMiddleware"), "accounts.languages.RestoredLanguageCookieMiddleware"
)

ROOT_URLCONF = "portal.wiring.urls"
ASGI_APPLICATION = "portal.wiring.asgi.application"

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
                "portal.wiring.context_processors.navigation",
            ],
        },
    },
]

# Password rules per ASVS 5.0 6.2: 12 to 128 characters, not a common or breached password (Django's
# offline list of some 20,000), not close to the username or address; no composition rules, so no
# NumericPasswordValidator either (it asks for a character that is not a digit).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
if PORTAL_ENV == "test":
    # A deliberately slow hash costs a second per sign-in; the suite signs in hundreds of times.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "workspace"  # each role's own start page
LOGOUT_REDIRECT_URL = "/"
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
WAGTAILADMIN_LOGIN_URL = LOGIN_URL
# One password-reset flow for everyone, the portal's (throttled): Wagtail's /admin/password_reset/ is closed.
WAGTAIL_PASSWORD_RESET_ENABLED = False
PASSWORD_RESET_LIMIT_PER_ADDRESS = 3  # links sent to one address per PASSWORD_RESET_WINDOW
PASSWORD_RESET_LIMIT_PER_IP = 10  # requests answered from one IP address per PASSWORD_RESET_WINDOW
PASSWORD_RESET_WINDOW = 60 * 60  # seconds

# Every call of authenticate() (the portal's sign-in or any other) first asks
# django-axes whether this username may still try from this address; a call without a request is refused.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Lock-out (ASVS 5.0 6.3.1; NIST SP 800-63B 5.2.2): 5 failures of one username from one IP address lock
# that pair out for 15 minutes, and each further try restarts the 15 minutes; a success resets the count.
# Per username *and* address: per username alone, anyone could lock a colleague out by guessing at their
# name (a denial of service on people who must reach case files); per address alone, colleagues behind one
# office NAT would lock each other out. An attacker is left 5 guesses per 15 minutes per address, against
# 12+ character passwords off the common list, with the second factor behind them.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"  # the sign-in page again, the same for every username
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]  # X-Forwarded-For is whatever the client wants it to be

# Second factor (TOTP and single-use recovery codes, django-otp): asked of everyone who has set one up,
# and of every signed-in user when PORTAL_REQUIRE_TWO_FACTOR is on (production's default).
PORTAL_REQUIRE_TWO_FACTOR = env_bool("PORTAL_REQUIRE_TWO_FACTOR", PORTAL_ENV == "production")
OTP_TOTP_ISSUER = "Reintegration Portal"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("ckb", _("Kurdish (Sorani)")),
    ("ru", _("Russian")),
    ("kk", _("Kazakh")),
    ("ky", _("Kyrgyz")),
    ("tg", _("Tajik")),
]
# Ours first; then the strings Django and Wagtail show but ship no catalogue (or an incomplete one) for
# in ckb, kk, ky and tg (locale_upstream/README.md).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_upstream"]
# The Wagtail admin in every portal language, not only those Wagtail ships a catalogue for (else ckb, kk,
# ky and tg fall back to English once a user has a Wagtail profile).
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Dates, times and numbers: Django's formats per language, ours where Django has none or ours must differ.
FORMAT_MODULE_PATH = ["portal.foundation.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Consent evidence and other files about people: served only through permission-checked views.
    "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}},
}

# Background jobs (notification emails): in production a queue in PostgreSQL drained by
# `manage.py db_worker`; the embedded tiers run each job in-process right after commit.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend" if EMBEDDED else "django_tasks_db.DatabaseBackend"
    }
}
REFERRAL_RESPONSE_WORKING_DAYS: dict[str, int] = {}
# Years a client's records are kept after their case closed, per country (others: the default);
# `manage.py apply_retention` erases them after that.
RETENTION_YEARS_AFTER_CLOSE = env_years_by_country("RETENTION_YEARS_AFTER_CLOSE")
RETENTION_YEARS_DEFAULT = env_int("RETENTION_YEARS_DEFAULT", 5)
# Days an API write's answer is kept for retries with its idempotency key (portal.foundation.idempotency);
# `manage.py apply_retention` deletes older ones: they hold what the write returned, names among it.
IDEMPOTENCY_KEY_DAYS = env_int("IDEMPOTENCY_KEY_DAYS", 7)

# Sessions end after SESSION_IDLE_TIMEOUT without a request, and SESSION_ABSOLUTE_TIMEOUT after
# signing in whatever happens (accounts.sessions); the cookie lives no longer than the latter.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30) * 60
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT_HOURS", 12) * 60 * 60
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not EMBEDDED
CSRF_COOKIE_SECURE = not EMBEDDED
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not EMBEDDED:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Only a deployment whose proxy sets this header (and strips it from clients) may name it.
PROXY_SSL_HEADER = os.environ.get("SECURE_PROXY_SSL_HEADER", "")
if PROXY_SSL_HEADER:
    if not re.fullmatch(r"HTTP_[A-Z0-9_]+", PROXY_SSL_HEADER):
        fail(f"SECURE_PROXY_SSL_HEADER must name a header such as HTTP_X_FORWARDED_PROTO, got {PROXY_SSL_HEADER!r}.")
    SECURE_PROXY_SSL_HEADER = (PROXY_SSL_HEADER, "https")
SECURE_REFERRER_POLICY = "same-origin"
# No inline script or style anywhere, no other host; portal.wiring.headers widens style-src for
# the Wagtail admin only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if EMBEDDED else "django.core.mail.backends.smtp.EmailBackend",
)

WAGTAIL_SITE_NAME = "Reintegration and CSO Coordination Portal"
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_ENABLE_UPDATE_CHECK = False  # no request to wagtail.org from the admin
WAGTAIL_I18N_ENABLED = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # the portal must work offline: no avatars from outside
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 2 * 1024 * 1024
WAGTAILDOCS_EXTENSIONS = ["pdf"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Queries are logged without the values they carry: names and note text never reach a log.
    "filters": {
        "without_query_values": {"()": "portal.foundation.logs.WithoutQueryValues"},
        "without_exception_details": {"()": "portal.foundation.logs.WithoutExceptionDetails"},
    },
    "loggers": {
        "django.db.backends": {"filters": ["without_query_values"]},
        "django.template": {"filters": ["without_exception_details"]},
    },
}
