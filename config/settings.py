"""Settings for nianbao.

Every value that differs between deployments comes from the environment; a
malformed variable stops start-up with an ImproperlyConfigured that names it.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no variable; anything but the usual spellings is refused."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"环境变量 {name} 的值 {raw!r} 无法识别："
        "请使用 1/0、true/false、yes/no 或 on/off。"
    )


def env_int(name: str, default: int) -> int:
    """Read a positive whole number."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value <= 0:
        raise ImproperlyConfigured(f"环境变量 {name} 的值 {raw!r} 不是正整数。")
    return value


def env_database(name: str, default: str) -> dict:
    """Parse DATABASE_URL: sqlite:///path or postgres://user:pass@host/db."""
    raw = os.environ.get(name) or default
    if not raw.startswith(("sqlite:", "postgres:", "postgresql:", "pgsql:")):
        raise ImproperlyConfigured(
            f"环境变量 {name} 的值 {raw!r} 无法识别："
            "应以 sqlite:// 或 postgres:// 开头。"
        )
    try:
        config = dj_database_url.parse(raw, conn_max_age=60)
    except Exception as exc:  # dj_database_url raises several kinds
        raise ImproperlyConfigured(
            f"环境变量 {name} 的值 {raw!r} 无法解析：{exc}"
        ) from exc
    if config["ENGINE"] == "django.db.backends.postgresql" and not config.get("NAME"):
        raise ImproperlyConfigured(f"环境变量 {name} 缺少数据库名。")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Concurrent requests on the embedded database: readers never block
        # the writer (WAL), a writer waits for another instead of failing
        # with "database is locked" (timeout, in seconds), and every
        # transaction takes the write lock when it begins (IMMEDIATE), so two
        # read-then-write transactions cannot deadlock on the upgrade.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
        config["CONN_MAX_AGE"] = 0
    return config


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated list; blanks between commas are dropped."""
    raw = os.environ.get(name, default)
    return [item.strip() for item in raw.split(",") if item.strip()]


# Off unless the environment turns it on: `make run`, .ci/serve and the test
# suite (config/settings_test.py) set DEBUG=1; a deployment sets nothing.
DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DEBUG 关闭时必须设置环境变量 SECRET_KEY。")
    SECRET_KEY = "django-insecure-nianbao-development-only"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

# The site's public origins (https://nianbao.example.gov.cn), for the CSRF
# check of forms posted over HTTPS through a proxy.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
for _origin in CSRF_TRUSTED_ORIGINS:
    if not _origin.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            f"环境变量 CSRF_TRUSTED_ORIGINS 中的 {_origin!r} "
            "应以 http:// 或 https:// 开头。"
        )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "treebeard",
    "import_export",
    "django_filters",
    "django_tasks_db",
    "axes",
    "agencies",
    "reports",
    "audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from the WSGI process (collectstatic's output);
    # with DEBUG the development server serves them from the source folders.
    *([] if DEBUG else ["whitenoise.middleware.WhiteNoiseMiddleware"]),
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After authentication: holds the request for the audit trail (audit/).
    "audit.middleware.AuditMiddleware",
    # A dropped database connection: a 503 page saying nothing was stored.
    "config.faults.DatabaseFaultMiddleware",
    # Last, as django-axes asks: answers a locked-out login with its page.
    "axes.middleware.AxesMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
# Chinese only: with English offered, a browser set to English turned
# Django's own admin strings (Search, Run, Log out…) into English beside ours.
# Our strings stay translatable; a language is added here with its catalogue.
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# `manage.py collectstatic` gathers static files here; WhiteNoise serves them
# (compressed, with hashed names and far-future caching when DEBUG is off).
STATIC_ROOT = Path(os.environ.get("NIANBAO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "media/"

# Uploaded files (spreadsheets, report texts) larger than this are refused.
NIANBAO_UPLOAD_LIMIT_MB = env_int("NIANBAO_UPLOAD_LIMIT_MB", 20)
DATA_UPLOAD_MAX_MEMORY_SIZE = NIANBAO_UPLOAD_LIMIT_MB * 1024 * 1024
# Uploads above this are streamed to a temporary file, never held in memory:
# a file over the limit is refused by its size before anything reads it.
FILE_UPLOAD_MAX_MEMORY_SIZE = min(5, NIANBAO_UPLOAD_LIMIT_MB) * 1024 * 1024

# The flat import keeps an upload between its preview and the confirmation,
# bound to the user and session (reports/uploads.py), and deletes previews
# never confirmed after this many hours (`manage.py clear_import_previews`).
# Unset: MEDIA_ROOT/import-previews.
NIANBAO_IMPORT_PREVIEW_DIR = os.environ.get("NIANBAO_IMPORT_PREVIEW_DIR") or None
NIANBAO_IMPORT_PREVIEW_HOURS = env_int("NIANBAO_IMPORT_PREVIEW_HOURS", 6)

TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

# The audit trail records each request's REMOTE_ADDR; behind a reverse proxy,
# name the header it sets (e.g. X-Forwarded-For): its last address is taken.
NIANBAO_PROXY_ADDRESS_HEADER = os.environ.get("NIANBAO_PROXY_ADDRESS_HEADER", "")

IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

# E-mail: notices of submissions and decisions (reports/services/notifications),
# through Django 6.1's MAILERS (EMAIL_BACKEND and the EMAIL_HOST family of
# settings are deprecated). `make run` prints mails (console); a deployment
# sends through SMTP. NIANBAO_EMAIL_BACKEND: console, smtp, locmem, dummy or a
# backend's dotted path; the SMTP server comes from EMAIL_HOST, EMAIL_PORT,
# EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL.
_MAIL_BACKENDS = {
    name: f"django.core.mail.backends.{name}.EmailBackend"
    for name in ("console", "smtp", "locmem", "dummy")
}
_mail_backend = os.environ.get("NIANBAO_EMAIL_BACKEND", "").strip() or (
    "console" if DEBUG else "smtp"
)
if _mail_backend not in _MAIL_BACKENDS and "." not in _mail_backend:
    raise ImproperlyConfigured(
        f"环境变量 NIANBAO_EMAIL_BACKEND 的值 {_mail_backend!r} 无法识别："
        "请使用 console、smtp、locmem、dummy 或邮件后端的完整路径。"
    )
_mailer: dict = {"BACKEND": _MAIL_BACKENDS.get(_mail_backend, _mail_backend)}
if _mailer["BACKEND"] == _MAIL_BACKENDS["smtp"]:
    _mailer["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", default=False),
        "use_ssl": env_bool("EMAIL_USE_SSL", default=False),
        "timeout": 30,
    }
    if _mailer["OPTIONS"]["use_tls"] and _mailer["OPTIONS"]["use_ssl"]:
        raise ImproperlyConfigured(
            "环境变量 EMAIL_USE_TLS 与 EMAIL_USE_SSL 只能开启一个。"
        )
MAILERS = {"default": _mailer}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "nianbao <nianbao@localhost>")
# Links in mails are absolute: a mail has no request to take the host from.
NIANBAO_SITE_URL = os.environ.get("NIANBAO_SITE_URL") or "http://127.0.0.1:8000"
if not NIANBAO_SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"环境变量 NIANBAO_SITE_URL 的值 {NIANBAO_SITE_URL!r} "
        "应以 http:// 或 https:// 开头。"
    )


# --- Security -----------------------------------------------------------------
# HTTPS: on unless DEBUG. NIANBAO_HTTPS=1 redirects plain HTTP to HTTPS, marks
# the session and CSRF cookies Secure and sends HSTS; set it to 0 only for a
# trial on a machine without TLS.
NIANBAO_HTTPS = env_bool("NIANBAO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = NIANBAO_HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes speak plain HTTP to 127.0.0.1
SESSION_COOKIE_SECURE = NIANBAO_HTTPS
CSRF_COOKIE_SECURE = NIANBAO_HTTPS
SECURE_HSTS_SECONDS = (
    env_int("NIANBAO_HSTS_SECONDS", 31_536_000) if NIANBAO_HTTPS else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("NIANBAO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("NIANBAO_HSTS_PRELOAD", True)
# Behind a reverse proxy that ends TLS, name the header by which it tells the
# scheme (NIANBAO_PROXY_SSL_HEADER=X-Forwarded-Proto, value "https"). Only
# when the proxy always sets it: a client could otherwise claim HTTPS.
_proxy_ssl_header = os.environ.get("NIANBAO_PROXY_SSL_HEADER", "").strip()
if _proxy_ssl_header:
    if not _proxy_ssl_header.replace("-", "").isalnum():
        raise ImproperlyConfigured(
            f"环境变量 NIANBAO_PROXY_SSL_HEADER 的值 {_proxy_ssl_header!r} "
            "不是请求头名称（例如 X-Forwarded-Proto）。"
        )
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + _proxy_ssl_header.upper().replace("-", "_"),
        "https",
    )

# Neither cookie is for scripts: the pages' scripts post forms, never read them.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# A session ends after this many minutes without a request (each request
# renews it) and when the browser closes.
NIANBAO_SESSION_IDLE_MINUTES = env_int("NIANBAO_SESSION_IDLE_MINUTES", 60)
SESSION_COOKIE_AGE = NIANBAO_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy on every response (django.middleware.csp): scripts
# and styles come from our own static files; the admin's few inline ones carry
# the request's nonce ({% csp_nonce_attr %}). No 'unsafe-inline' anywhere, so
# templates keep no <script> bodies, <style> blocks or style="" attributes.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- Login throttling (django-axes) ---------------------------------------------
# After NIANBAO_LOGIN_FAILURE_LIMIT wrong passwords the user name and, apart,
# the address are refused for NIANBAO_LOGIN_LOCKOUT_MINUTES (each further try
# while locked starts the wait again); the login page says so in Chinese.
AUTHENTICATION_BACKENDS = [
    "config.auth.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("NIANBAO_LOGIN_FAILURE_LIMIT", 5)
NIANBAO_LOGIN_LOCKOUT_MINUTES = env_int("NIANBAO_LOGIN_LOCKOUT_MINUTES", 15)
AXES_COOLOFF_TIME = timedelta(minutes=NIANBAO_LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/login_locked.html"
# The same client address as the audit trail: NIANBAO_PROXY_ADDRESS_HEADER.
AXES_CLIENT_IP_CALLABLE = "audit.services.client_address"
AXES_USERNAME_CALLABLE = "config.auth.throttled_username"
AXES_VERBOSE = False

# --- Logging --------------------------------------------------------------------
# One JSON object a line on standard output (config/logs.py), for journald or
# a container runtime to collect; NIANBAO_LOG_FORMAT=text for reading by eye.
NIANBAO_LOG_LEVEL = os.environ.get("NIANBAO_LOG_LEVEL", "INFO").upper()
if NIANBAO_LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"环境变量 NIANBAO_LOG_LEVEL 的值 {NIANBAO_LOG_LEVEL!r} 无法识别："
        "请使用 DEBUG、INFO、WARNING、ERROR 或 CRITICAL。"
    )
NIANBAO_LOG_FORMAT = os.environ.get("NIANBAO_LOG_FORMAT", "json").strip().lower()
if NIANBAO_LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(
        f"环境变量 NIANBAO_LOG_FORMAT 的值 {NIANBAO_LOG_FORMAT!r} 无法识别："
        "请使用 json 或 text。"
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "config.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": NIANBAO_LOG_FORMAT,
        },
    },
    "root": {"handlers": ["stdout"], "level": NIANBAO_LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        # Lockouts are WARNING; its INFO lines follow every login.
        "axes": {"level": "WARNING"},
    },
}

# --- Health (config/health.py) ----------------------------------------------------
# /healthz answers 503 when a task has waited longer than this for the worker
# and none finished in that time (the worker is stopped or stuck).
NIANBAO_WORKER_STALE_SECONDS = env_int("NIANBAO_WORKER_STALE_SECONDS", 300)
