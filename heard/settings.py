"""Heard's one settings module: everything that differs between machines comes from the environment.

The helpers below fail loudly: a malformed value stops Heard at start-up with a message naming the variable,
rather than running with a silent default. ``HEARD_ENV`` says what kind of installation this is:

- ``development`` (default): a developer's machine; DEBUG on, demo secrets allowed.
- ``demo``: ``heard demo`` on a laptop; DEBUG off, demo secrets allowed, printed loudly.
- ``test``: the test suite.
- ``production``: refuses to start without real secrets (see ``_refuse_demo_secrets``).
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HEARD_VAR_DIR", BASE_DIR / "var"))


# --- typed helpers ------------------------------------------------------------------------------------------


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"Set the environment variable {name}.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value


def database_from_url(url: str) -> dict[str, object]:
    """Django's DATABASES entry for an ``sqlite:///path`` or ``postgres://user:pass@host:port/name`` URL."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)
        # sqlite:///relative/path and sqlite:////absolute/path, as SQLAlchemy and dj-database-url read them.
        name = path[1:] if path.startswith("//") else path.lstrip("/")
        if not name:
            raise ImproperlyConfigured("DATABASE_URL names no SQLite file: use sqlite:///var/heard.sqlite3.")
        name_path = Path(name) if Path(name).is_absolute() or name == ":memory:" else BASE_DIR / name
        if name != ":memory:":
            # The embedded database lives in a git-ignored folder that a fresh clone does not have yet.
            name_path.parent.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(name_path),
            # Keep the connection (and its PRAGMAs) between requests, as for PostgreSQL.
            "CONN_MAX_AGE": env_int("HEARD_DB_CONN_MAX_AGE", 60),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
        }
    if parsed.scheme in {"postgres", "postgresql"}:
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "heard",
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": env_int("HEARD_DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
            "TEST": {"NAME": f"test_{unquote(parsed.path.lstrip('/')) or 'heard'}"},
        }
    raise ImproperlyConfigured(f"DATABASE_URL must start sqlite:/// or postgres://, not {parsed.scheme!r}.")


# --- what kind of installation ------------------------------------------------------------------------------

HEARD_ENV = env_choice("HEARD_ENV", "development", ("development", "demo", "test", "production"))
IS_PRODUCTION = HEARD_ENV == "production"

# Values that are safe only on a laptop. Production refuses them.
DEMO_SECRET_KEY = "heard-demo-secret-key-not-for-production-use-0000000000000000"  # noqa: S105
DEMO_PSEUDONYM_KEY = "heard-demo-pseudonym-key-not-for-production"
DEMO_ENCRYPTION_KEY = "aGVhcmQtZGVtby1lbmNyeXB0aW9uLWtleS1ub3QtcmVhbA=="  # base64 of a fixed demo phrase

SECRET_KEY = env_str("SECRET_KEY", None if IS_PRODUCTION else DEMO_SECRET_KEY)
# Keys held outside the database, one per purpose (docs/security.md).
HEARD_PSEUDONYM_KEY = env_str("HEARD_PSEUDONYM_KEY", None if IS_PRODUCTION else DEMO_PSEUDONYM_KEY)
HEARD_ENCRYPTION_KEY = env_str("HEARD_ENCRYPTION_KEY", None if IS_PRODUCTION else DEMO_ENCRYPTION_KEY)


def _refuse_demo_secrets() -> None:
    demo_values = {
        "SECRET_KEY": (SECRET_KEY, DEMO_SECRET_KEY),
        "HEARD_PSEUDONYM_KEY": (HEARD_PSEUDONYM_KEY, DEMO_PSEUDONYM_KEY),
        "HEARD_ENCRYPTION_KEY": (HEARD_ENCRYPTION_KEY, DEMO_ENCRYPTION_KEY),
    }
    for name, (value, demo) in demo_values.items():
        if value == demo or value.startswith("heard-demo"):
            raise ImproperlyConfigured(f"{name} is the demonstration value: production needs its own secret.")
        if len(value) < 32:
            raise ImproperlyConfigured(f"{name} is too short: use at least 32 random characters.")


if IS_PRODUCTION:
    _refuse_demo_secrets()

DEBUG = env_bool("HEARD_DEBUG", HEARD_ENV == "development")
ALLOWED_HOSTS = env_list(
    "HEARD_ALLOWED_HOSTS", [] if IS_PRODUCTION else ["127.0.0.1", "localhost", "testserver", "[::1]"]
)
if IS_PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set HEARD_ALLOWED_HOSTS to the host names Heard answers to.")
CSRF_TRUSTED_ORIGINS = env_list("HEARD_CSRF_TRUSTED_ORIGINS", [])

# --- applications ------------------------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "django_tasks_rq",
    "django_rq",
    "heard.core",
    "heard.privacy",
    "heard.projects",
    "heard.listening",
    "heard.understanding",
    "heard.acting",
    "heard.reports",
    "heard.api",
    "heard.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "heard.core.middleware.RequestContextMiddleware",
    "heard.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "heard.core.middleware.SessionLifetimeMiddleware",
    "heard.core.middleware.OrganisationMiddleware",
    "heard.core.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "heard.urls"
WSGI_APPLICATION = "heard.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "heard" / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "heard.jinja2_env.environment",
            "autoescape": True,
            "context_processors": ["heard.core.context_processors.heard"],
        },
    },
    {
        # Django's own templates (the task and RQ admin pages we do not mount) still need a DTL engine.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]

# --- data --------------------------------------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'heard.sqlite3'}")
DATABASES = {"default": database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache: rate limits on public pages (docs/operations.md) -------------------------------------------------

# Shared by every web process when HEARD_CACHE_URL names a Redis server; otherwise each process keeps its own,
# and a limit such as "30 survey answers in 10 minutes from one address" applies per process.
HEARD_CACHE_URL = env_str("HEARD_CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": HEARD_CACHE_URL}
        if HEARD_CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- background tasks (docs/adr/0006-background-tasks.md) ---------------------------------------------------

HEARD_TASK_BACKEND = env_choice("HEARD_TASK_BACKEND", "database", ("database", "rq", "immediate"))
HEARD_REDIS_URL = env_str("HEARD_REDIS_URL", "redis://127.0.0.1:6379/0")
TASK_QUEUES = ["default"]
RQ_QUEUES = {name: {"URL": HEARD_REDIS_URL, "DEFAULT_TIMEOUT": 3600} for name in TASK_QUEUES}
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[HEARD_TASK_BACKEND],
        "QUEUES": TASK_QUEUES,
    }
}

# --- sign-in (docs/adr/0005-sign-in.md) --------------------------------------------------------------------

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
if HEARD_ENV == "test":
    # Hashing at full strength makes a suite of sign-ins take minutes; the production hasher is tested apart.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]

# NCSC password guidance: length over complexity, block common passwords, no forced expiry.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "heard.core.passwords.MaximumLengthValidator"},
]

HEARD_LOCKOUT_FAILURES = env_int("HEARD_LOCKOUT_FAILURES", 5)
HEARD_LOCKOUT_MINUTES = env_int("HEARD_LOCKOUT_MINUTES", 15)
# Sessions end after this long idle, and in any case this long after sign-in.
HEARD_SESSION_IDLE_MINUTES = env_int("HEARD_SESSION_IDLE_MINUTES", 30)
HEARD_SESSION_MAX_HOURS = env_int("HEARD_SESSION_MAX_HOURS", 10)
SESSION_COOKIE_AGE = HEARD_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
HEARD_HTTPS = env_bool("HEARD_HTTPS", IS_PRODUCTION)
SESSION_COOKIE_SECURE = HEARD_HTTPS
CSRF_COOKIE_SECURE = HEARD_HTTPS
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "heard.core.views.errors.csrf_failure"
SECURE_SSL_REDIRECT = HEARD_HTTPS and env_bool("HEARD_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("HEARD_BEHIND_PROXY", False) else None
)
# How many proxies of ours append to X-Forwarded-For; the client's address is that many places from the end.
HEARD_TRUSTED_PROXIES = max(1, env_int("HEARD_TRUSTED_PROXIES", 1))
SECURE_HSTS_SECONDS = 31536000 if HEARD_HTTPS else 0
# Load balancers probe the health check over plain HTTP, straight to gunicorn.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- e-mail: reminders of commitments (docs/operations.md) -------------------------------------------------
# Without HEARD_EMAIL_HOST, messages are written to the worker's output (development and the demo); in-app lists
# of commitments due show the same thing to anyone who signs in.
HEARD_EMAIL_HOST = env_str("HEARD_EMAIL_HOST", "")
if HEARD_EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = HEARD_EMAIL_HOST
    EMAIL_PORT = env_int("HEARD_EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("HEARD_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = env_str("HEARD_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("HEARD_EMAIL_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("HEARD_EMAIL_FROM", "heard@localhost")
# The address people use to reach Heard, for links in e-mails (there is no request to take it from).
HEARD_SITE_URL = env_str("HEARD_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- the look ----------------------------------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("HEARD_STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "heard" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if HEARD_ENV != "production"
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In development and tests, serve straight from the app folders without collectstatic.
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
if not IS_PRODUCTION:
    # Outside production nothing is collected into STATIC_ROOT; WhiteNoise serves from the app folders instead.
    warnings.filterwarnings("ignore", message="No directory at")

# --- logging: no identifiers in a log line (docs/security.md) ----------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("HEARD_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's request logger writes the full path, which can carry search terms; keep only warnings.
        "django.request": {"level": "ERROR"},
        "django.security.DisallowedHost": {"level": "ERROR"},
    },
}
