"""gunicorn's settings (``gunicorn -c config/gunicorn.py config.wsgi``).

Its own log lines, errors and one per request, go to standard output as JSON
lines like the application's (config/logs.py). The address comes from the
command line (``--bind``); NIANBAO_WEB_WORKERS and NIANBAO_WEB_TIMEOUT tune it.
"""

import os


def _positive(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) <= 0:
        raise SystemExit(f"环境变量 {name} 的值 {raw!r} 不是正整数。")
    return int(raw)


wsgi_app = "config.wsgi:application"
workers = _positive("NIANBAO_WEB_WORKERS", 2)
# Reading a large spreadsheet for its preview happens in the request.
timeout = _positive("NIANBAO_WEB_TIMEOUT", 120)
# Behind a reverse proxy on the same machine: trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("NIANBAO_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.logs.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
    },
    "root": {"handlers": ["stdout"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "gunicorn.access": {
            "handlers": ["stdout"],
            "level": "INFO",
            "propagate": False,
        },
    },
}
