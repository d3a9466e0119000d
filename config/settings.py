"""Settings for nianbao.

Every value that differs between deployments comes from the environment; a
malformed variable stops start-up with an ImproperlyConfigured that names it.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

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


DEBUG = env_bool("DEBUG", default=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DEBUG 关闭时必须设置环境变量 SECRET_KEY。")
    SECRET_KEY = "django-insecure-nianbao-development-only"  # noqa: S105

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if host.strip()
]

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
    "agencies",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
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
