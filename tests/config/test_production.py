"""Production settings: DEBUG off unless set, `check --deploy` clean with the
documented variables, HTTPS and cookie hardening, session idle expiry, CSP
without 'unsafe-inline', and `.ci/serve-production` answering for real."""

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[2]

# The variables docs/deployment.md names; a deployment sets these and no more.
DEPLOYMENT = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "nianbao.example.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://nianbao.example.gov.cn",
    "DATABASE_URL": "sqlite:///:memory:",
    "NIANBAO_PROXY_SSL_HEADER": "X-Forwarded-Proto",
}


def clean_environment(**env: str) -> dict[str, str]:
    """This process's environment without any setting of ours (the test suite
    runs with DEBUG=1), plus ``env``."""
    ours = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"}
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in ours and not k.startswith(("NIANBAO_", "DATABASE_", "EMAIL_"))
    }
    return {**environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env}


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and project
        [sys.executable, *args],
        cwd=ROOT,
        env=clean_environment(**env),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def settings_of(names: list[str], **env: str) -> dict[str, object]:
    code = (
        "import json, django; django.setup(); from django.conf import settings;"
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}},"
        " default=str))"
    )
    result = run(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_debug_is_off_unless_set_and_then_a_secret_key_is_required() -> None:
    result = run(["-c", "import django; django.setup()"])
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr

    assert settings_of(["DEBUG"], SECRET_KEY="x" * 50) == {"DEBUG": False}
    assert settings_of(["DEBUG"], DEBUG="1") == {"DEBUG": True}


def test_check_deploy_reports_nothing_with_the_documented_variables() -> None:
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "DEBUG"], **DEPLOYMENT
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_hardening() -> None:
    values = settings_of(
        [
            "SECURE_SSL_REDIRECT",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
            "SESSION_COOKIE_HTTPONLY",
            "CSRF_COOKIE_HTTPONLY",
            "SECURE_HSTS_SECONDS",
            "SECURE_PROXY_SSL_HEADER",
            "SESSION_COOKIE_AGE",
            "SESSION_SAVE_EVERY_REQUEST",
            "STORAGES",
            "MIDDLEWARE",
            "CSRF_TRUSTED_ORIGINS",
        ],
        **DEPLOYMENT,
        NIANBAO_SESSION_IDLE_MINUTES="20",
    )

    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["CSRF_COOKIE_HTTPONLY"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31_536_000
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SESSION_COOKIE_AGE"] == 20 * 60
    assert values["SESSION_SAVE_EVERY_REQUEST"] is True
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == (  # type: ignore[index]
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in values["MIDDLEWARE"]  # type: ignore[operator]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://nianbao.example.gov.cn"]


def test_without_a_proxy_header_no_client_can_claim_https() -> None:
    env = {k: v for k, v in DEPLOYMENT.items() if k != "NIANBAO_PROXY_SSL_HEADER"}
    assert settings_of(["SECURE_PROXY_SSL_HEADER"], **env) == {
        "SECURE_PROXY_SSL_HEADER": None
    }


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"NIANBAO_PROXY_SSL_HEADER": "X-Proto: https"}, "NIANBAO_PROXY_SSL_HEADER"),
        ({"NIANBAO_SESSION_IDLE_MINUTES": "0"}, "NIANBAO_SESSION_IDLE_MINUTES"),
        ({"NIANBAO_HTTPS": "perhaps"}, "NIANBAO_HTTPS"),
        ({"NIANBAO_HSTS_SECONDS": "a year"}, "NIANBAO_HSTS_SECONDS"),
        ({"CSRF_TRUSTED_ORIGINS": "nianbao.example.gov.cn"}, "CSRF_TRUSTED_ORIGINS"),
        ({"NIANBAO_LOGIN_FAILURE_LIMIT": "five"}, "NIANBAO_LOGIN_FAILURE_LIMIT"),
        ({"NIANBAO_LOGIN_LOCKOUT_MINUTES": "-1"}, "NIANBAO_LOGIN_LOCKOUT_MINUTES"),
        ({"NIANBAO_LOG_FORMAT": "xml"}, "NIANBAO_LOG_FORMAT"),
        ({"NIANBAO_LOG_LEVEL": "LOUD"}, "NIANBAO_LOG_LEVEL"),
        ({"NIANBAO_WORKER_STALE_SECONDS": "soon"}, "NIANBAO_WORKER_STALE_SECONDS"),
    ],
)  # fmt: skip
def test_a_malformed_security_variable_is_named(
    env: dict[str, str], named: str
) -> None:
    result = run(["-c", "import django; django.setup()"], **{**DEPLOYMENT, **env})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr


@pytest.mark.django_db
def test_every_answer_carries_a_csp_without_unsafe_inline() -> None:
    for url in ["/admin/login/", "/admin/", "/healthz", "/no-such-page/"]:
        response = Client().get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy, url
        assert "unsafe-inline" not in policy, url
        assert "object-src 'none'" in policy, url
        assert "frame-ancestors 'none'" in policy, url


@pytest.mark.django_db
def test_the_session_ends_after_idle_minutes_and_each_request_renews_it() -> None:
    from django.contrib.sessions.models import Session

    from tests.factories import client_for, make_user

    client = client_for(make_user(superuser=True))
    key = client.cookies["sessionid"].value
    client.get("/admin/")
    first = Session.objects.get(pk=key).expire_date
    idle = timedelta(minutes=60)  # the default NIANBAO_SESSION_IDLE_MINUTES
    assert abs(first - timezone.now() - idle) < timedelta(seconds=5)
    assert client.cookies["sessionid"]["max-age"] == ""  # ends with the browser

    time.sleep(1.1)
    client.get("/admin/")
    assert Session.objects.get(pk=key).expire_date > first  # renewed

    Session.objects.filter(pk=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_logs_are_json_lines_on_stdout() -> None:
    code = (
        "import django, logging; django.setup();"
        "logging.getLogger('reports').warning('导入 %s 行', 3, extra={'report': 7})"
    )
    result = run(["-c", code], DEBUG="1")

    entry = json.loads(result.stdout.strip().splitlines()[-1])
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "reports"
    assert entry["message"] == "导入 3 行"
    assert entry["report"] == 7


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_serve_production_runs_gunicorn_whitenoise_and_the_worker(
    tmp_path: Path,
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = clean_environment(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        NIANBAO_STATIC_ROOT=str(tmp_path / "static"),
        NIANBAO_HTTPS="0",  # plain HTTP on the loopback, for this test only
        NIANBAO_WEB_WORKERS="1",
    )
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(  # noqa: S603 - our own script
        [str(ROOT / ".ci" / "serve-production"), f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        health: tuple[int, dict[str, str], bytes] | None = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                health = fetch(f"{base}/healthz")
                break
            except OSError:
                time.sleep(0.5)
        assert health is not None, (tmp_path / "serve.log").read_text()
        assert health[0] == 200
        assert json.loads(health[2])["status"] == "ok"

        status, headers, body = fetch(f"{base}/admin/login/")
        assert status == 200
        assert headers["Server"] == "gunicorn"
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
        css = body.decode().split('href="/static/admin/css/base.')[1].split('"')[0]
        status, headers, _ = fetch(f"{base}/static/admin/css/base.{css}")
        assert status == 200
        assert "immutable" in headers["Cache-Control"]  # hashed name, WhiteNoise

        deadline = time.monotonic() + 20  # the worker takes the heartbeat
        while time.monotonic() < deadline:
            worker = json.loads(fetch(f"{base}/healthz")[2])["checks"]["worker"]
            if worker["last_finished"]:
                break
            time.sleep(0.5)
        assert worker["last_finished"], (tmp_path / "serve.log").read_text()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    lines = (tmp_path / "serve.log").read_text().splitlines()
    logged = [json.loads(line) for line in lines if line.startswith("{")]
    assert any(entry["logger"] == "gunicorn.access" for entry in logged)
    assert any("heartbeat" in entry["message"] for entry in logged)
