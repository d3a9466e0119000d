"""``make load``: clerks saving and reviewers approving, against a real server.

Against PostgreSQL only, and a server on 127.0.0.1 only (gunicorn with the
production settings, started here; ``manage.py runserver --noreload`` if
gunicorn is not installed). Sets up its own agencies, users and reports (the
users are signed in by sessions made here, not by the login form: the
figures are of the work, not of password hashing), then for a fixed time
each clerk opens its report and saves one cell, and each reviewer opens a
submitted report and approves it. Prints requests per second, p50/p95
latency and errors; fails on any error or on any save without its change
record (a lost edit).
"""

import http.cookiejar
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from statistics import quantiles

from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

from agencies.models import Agency, Membership
from agencies.services import agency_ensure, membership_ensure
from reports.forms import ReportForm
from reports.models import AnnualReport, ReportChange, ReviewEvent
from reports.selectors import report_values
from reports.services import (
    report_create,
    report_save_values,
    report_submit,
    system_actor,
)
from reports.tables import SIGNATORIES

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
VERSION = re.compile(
    r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"'
)
EXPECTED = re.compile(
    r'name="expected_version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="expected_version"'
)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    saves: dict[int, list[int]] = field(default_factory=dict)  # report → values
    approvals: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Browser:
    """One user's cookies, timed requests, redirects not followed."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    def __init__(self, base: str, session_key: str, tally: Tally) -> None:
        self.base, self.tally = base, tally
        self.jar = http.cookiejar.CookieJar()
        self.jar.set_cookie(_cookie(settings.SESSION_COOKIE_NAME, session_key))
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), self._NoRedirect
        )

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        # Always http://127.0.0.1:<port>/: the base is built here, never given.
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310
        request.add_header("Referer", self.base + path)
        start = time.perf_counter()
        try:
            with self.opener.open(request, timeout=60) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as answer:
            status, text = answer.code, answer.read().decode(errors="replace")
        except OSError as exc:
            status, text = 0, str(exc)
        with self.tally.lock:
            self.tally.latencies.append(time.perf_counter() - start)
        return status, text

    def fail(self, what: str) -> None:
        with self.tally.lock:
            self.tally.errors.append(what)


def _cookie(name: str, value: str) -> http.cookiejar.Cookie:
    return http.cookiejar.Cookie(
        0, name, value, None, False, HOST, False, False, "/", True,
        False, None, False, None, None, {},
    )  # fmt: skip


def _session(user: object) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)  # type: ignore[attr-defined]
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()  # type: ignore[attr-defined]
    store.create()
    return store.session_key or ""


def _first(pattern: re.Pattern[str], page: str) -> str | None:
    match = pattern.search(page)
    return next((g for g in match.groups() if g), None) if match else None


@dataclass
class World:
    clerks: list[tuple[object, AnnualReport]]
    reviewers: list[tuple[object, list[AnnualReport]]]


def prepare(*, clerks: int, reviewers: int, queue: int) -> World:
    """Agencies, users, one draft per clerk and ``queue`` submitted reports."""
    User = get_user_model()
    tag = secrets.token_hex(3)
    root, _ = agency_ensure(
        parent=None, code=f"load-{tag}", name=f"压力测试省{tag}",
        kind=Agency.Kind.GOVERNMENT, level=Agency.Level.PROVINCE,
    )  # fmt: skip
    system = system_actor()
    world = World(clerks=[], reviewers=[])
    agencies = []
    for n in range(clerks):
        agency, _ = agency_ensure(
            parent=root, code=f"load-{tag}-{n}", name=f"压力测试局{n}",
            kind=Agency.Kind.DEPARTMENT, level=Agency.Level.CITY,
        )  # fmt: skip
        user = User.objects.create_user(username=f"load-{tag}-clerk{n}")
        membership_ensure(user=user, agency=agency, role=Membership.Role.CLERK)
        report = report_create(agency=agency, year=2017, user=system)
        world.clerks.append((User.objects.get(pk=user.pk), report))
        agencies.append(agency)
    pool = []
    for i in range(queue):
        agency = agencies[i % len(agencies)]
        report = report_create(
            agency=agency, year=2016 - i // len(agencies), user=system
        )
        fmt = report.table_format
        report = report_save_values(
            report=report, user=system, expected_version=report.version,
            values=dict.fromkeys(fmt.cells, "0"),
            sections={s.key: "内容" for s in fmt.sections},
            signatories={k: "2018-03-01" if k == "filled_on" else "某人"
                         for k, _label in SIGNATORIES},
        ).report  # fmt: skip
        pool.append(
            report_submit(report=report, user=system, expected_version=report.version)
        )
    for n in range(reviewers):
        user = User.objects.create_user(username=f"load-{tag}-reviewer{n}")
        membership_ensure(user=user, agency=root, role=Membership.Role.REVIEWER)
        world.reviewers.append((User.objects.get(pk=user.pk), pool[n::reviewers]))
    return world


def _clerk(browser: Browser, report: AnnualReport, until: float) -> None:
    path = f"/admin/reports/annualreport/{report.pk}/change/"
    base = ReportForm.initial_for(report, report_values(report))
    data = {k: "" if v is None else str(v) for k, v in base.items()}
    value = 0
    while time.monotonic() < until:
        status, page = browser.request(path)
        version, token = _first(VERSION, page), _first(CSRF, page)
        if status != 200 or not version or not token:
            browser.fail(f"打开 {path}：{status}")
            continue
        value += 1
        posted = {**data, "a1_total": str(value), "version": version}
        posted |= {"csrfmiddlewaretoken": token, "_save": "保存草稿"}
        status, page = browser.request(path, posted)
        if status != 302:
            browser.fail(f"保存 {path}：{status}")
            continue
        with browser.tally.lock:
            browser.tally.saves.setdefault(report.pk, []).append(value)


def _reviewer(browser: Browser, reports: list[AnnualReport], until: float) -> None:
    for report in reports:
        if time.monotonic() >= until:
            return
        path = f"/admin/reports/annualreport/{report.pk}/review/"
        status, page = browser.request(path)
        version, token = _first(EXPECTED, page), _first(CSRF, page)
        if status != 200 or not version or not token:
            browser.fail(f"打开 {path}：{status}")
            continue
        data = {"transition": "approve", "expected_version": version}
        status, _page = browser.request(path, {**data, "csrfmiddlewaretoken": token})
        if status != 302:
            browser.fail(f"审核 {path}：{status}")
            continue
        with browser.tally.lock:
            browser.tally.approvals.append(report.pk)
    while time.monotonic() < until:  # the queue is done: keep reading it
        browser.request("/admin/reports/annualreport/queue/")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_server(port: int, secret_key: str) -> tuple[subprocess.Popen, str]:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": HOST,
        "NIANBAO_HTTPS": "0",
        "NIANBAO_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    # DEBUG off serves hashed static names: the manifest must exist.
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    if gunicorn.exists():
        command = [
            str(gunicorn),
            "-c",
            "config/gunicorn.py",
            "--bind",
            f"{HOST}:{port}",
        ]
        env.setdefault("NIANBAO_WEB_WORKERS", "2")
        name = "gunicorn"
    else:
        command = [sys.executable, "manage.py", "runserver", "--noreload",
                   f"{HOST}:{port}"]  # fmt: skip
        name = "runserver --noreload"
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - read after the run
        prefix="nianbao-load-", suffix=".log", delete=False
    )
    server = subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    server.log_path = log.name  # type: ignore[attr-defined]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return server, name
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(Path(log.name).read_text()[-2000:]) from None
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("服务器 30 秒内没有启动。")


def run(*, seconds: int, clerks: int, reviewers: int) -> tuple[dict, list[str]]:
    """Run the load; the figures, and the problems found (none: passed)."""
    if connection.vendor != "postgresql":
        raise RuntimeError("压力测试只在 PostgreSQL 上运行（DATABASE_URL）。")
    world = prepare(clerks=clerks, reviewers=reviewers, queue=reviewers * 40)
    # The sessions made here are signed with the key the server uses.
    settings.SECRET_KEY = secrets.token_urlsafe(40)
    port = _free_port()
    server, name = start_server(port, settings.SECRET_KEY)
    tally = Tally()
    base = f"http://{HOST}:{port}"
    try:
        clerks_in = [(Browser(base, _session(u), tally), r) for u, r in world.clerks]
        reviewers_in = [
            (Browser(base, _session(u), tally), rs) for u, rs in world.reviewers
        ]
        until = time.monotonic() + seconds
        threads = [
            threading.Thread(target=_clerk, args=(b, r, until)) for b, r in clerks_in
        ] + [
            threading.Thread(target=_reviewer, args=(b, rs, until))
            for b, rs in reviewers_in
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    problems = list(dict.fromkeys(tally.errors))[:20]
    if problems:
        problems.append(f"服务器日志：{server.log_path}")  # type: ignore[attr-defined]
    for report_id, values in tally.saves.items():
        changes = ReportChange.objects.filter(report_id=report_id, field="a1_total")
        stored = report_values(AnnualReport.objects.get(pk=report_id)).get("a1_total")
        if changes.count() != len(values) or stored != values[-1]:
            problems.append(
                f"报告 {report_id}：保存 {len(values)} 次，"
                f"修改记录 {changes.count()} 条，现值 {stored}，"
                f"最后保存 {values[-1]}（有修改丢失）"
            )
    approved = ReviewEvent.objects.filter(
        report_id__in=tally.approvals, to_status=AnnualReport.Status.APPROVED
    ).count()
    if approved != len(tally.approvals):
        problems.append(f"通过 {len(tally.approvals)} 份，审核记录 {approved} 条")
    cuts = quantiles(tally.latencies, n=100) if len(tally.latencies) > 1 else [0] * 99
    figures = {
        "server": name,
        "seconds": round(elapsed, 1),
        "clerks": clerks,
        "reviewers": reviewers,
        "requests": len(tally.latencies),
        "rps": round(len(tally.latencies) / elapsed, 1),
        "p50_ms": round(cuts[49] * 1000),
        "p95_ms": round(cuts[94] * 1000),
        "errors": len(tally.errors),
        "saves": sum(len(v) for v in tally.saves.values()),
        "approvals": len(tally.approvals),
    }
    return figures, problems
