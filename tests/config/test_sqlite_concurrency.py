"""The embedded SQLite default under concurrent requests, against a live server.

A real ``runserver`` (threaded, one connection per request thread) on a
SQLite file, as ``make run`` serves it; two clerks' browsers are played by
urllib sessions posting at the same instant. Without WAL, a busy timeout and
IMMEDIATE transactions this answered 500 "database is locked" in 2 of 8
trials.
"""

import http.cookiejar
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
SETUP = """
from agencies.models import Agency, Membership
from agencies.services import membership_ensure, user_ensure
from reports.models import AnnualReport
from reports.services import report_create, system_actor
agency = Agency.objects.get(code="jl-jlc-tjj-lt")
for name in ("clerk_a", "clerk_b"):
    user, _ = user_ensure(username=name, password="live-pass-123")
    membership_ensure(user=user, agency=agency, role=Membership.Role.CLERK)
AnnualReport.objects.filter(agency=agency, year=2019).delete()
print(report_create(agency=agency, year=2019, user=system_actor()).pk)
"""
TRIALS = 8
# The server runs on its own SQLite file whatever the suite's database is;
# once is enough.
pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="tests the embedded SQLite default; run in the SQLite step",
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, int]]:
    database = tmp_path_factory.mktemp("live") / "nianbao.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "1"}
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "load_demo")
    report_id = int(_manage(env, "shell", "-c", SETUP).strip().splitlines()[-1])
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/admin/login/", timeout=2)  # noqa: S310
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        yield url, database, report_id
    finally:
        server.terminate()
        server.wait(timeout=10)


class _Fields(HTMLParser):
    """The named fields of the report form, as a browser posts them."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "input" and a.get("name") and a.get("type") not in ("submit",):
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.fields[a["name"]] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Browser:
    """One clerk's browser: a session cookie, the CSRF token, no redirects."""

    def __init__(self, url: str, username: str) -> None:
        self.url = url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )
        self.get("/admin/login/")
        status, _ = self.post(
            "/admin/login/",
            {"username": username, "password": "live-pass-123", "next": "/admin/"},
        )
        assert status == 302, f"{username} could not log in"

    def _csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def get(self, path: str) -> str:
        with self.opener.open(self.url + path, timeout=60) as response:
            return response.read().decode()

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str]:
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self._csrf()})
        request = urllib.request.Request(  # noqa: S310 - our own http:// server
            self.url + path,
            data=body.encode(),
            headers={"Referer": self.url + path},
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as answer:
            return answer.code, answer.read().decode()

    def open_form(self, path: str) -> dict[str, str]:
        parser = _Fields()
        parser.feed(self.get(path))
        return {k: v for k, v in parser.fields.items() if k != "csrfmiddlewaretoken"}


def _at_once(*posts: tuple[Browser, str, dict[str, str]]) -> list[int]:
    barrier = threading.Barrier(len(posts))
    statuses: list[int] = [0] * len(posts)

    def run(index: int, browser: Browser, path: str, data: dict[str, str]) -> None:
        barrier.wait()
        statuses[index] = browser.post(path, data)[0]

    threads = [
        threading.Thread(target=run, args=(i, *post)) for i, post in enumerate(posts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _stored(database: Path, report_id: int) -> dict[str, object]:
    with sqlite3.connect(database) as db:
        values = dict(
            db.execute(
                "select code, value from reports_reportvalue where report_id = ?",
                (report_id,),
            ).fetchall()
        )
        (reviewer,) = db.execute(
            "select signed_reviewer from reports_annualreport where id = ?",
            (report_id,),
        ).fetchone()
    return {**values, "signed_reviewer": reviewer}


def test_two_clerks_saving_at_once_neither_fails_nor_loses_an_edit(
    live: tuple[str, Path, int],
) -> None:
    url, database, report_id = live
    path = f"/admin/reports/annualreport/{report_id}/change/"
    a, b = Browser(url, "clerk_a"), Browser(url, "clerk_b")
    for trial in range(TRIALS):
        form_a, form_b = a.open_form(path), b.open_form(path)
        assert form_a["version"] == form_b["version"]
        form_a.update({"b2t_rule_new_made": str(100 + trial), "_save": "保存草稿"})
        form_b.update({"signed_reviewer": f"审核{trial}", "_save": "保存草稿"})
        statuses = _at_once((a, path, form_a), (b, path, form_b))
        assert statuses == [302, 302], f"trial {trial}: {statuses}"
        stored = _stored(database, report_id)
        assert int(float(stored["b2t_rule_new_made"])) == 100 + trial  # type: ignore[arg-type]
        assert stored["signed_reviewer"] == f"审核{trial}"


def test_the_same_cell_at_once_one_wins_and_the_other_is_told(
    live: tuple[str, Path, int],
) -> None:
    url, database, report_id = live
    path = f"/admin/reports/annualreport/{report_id}/change/"
    a, b = Browser(url, "clerk_a"), Browser(url, "clerk_b")
    for trial in range(TRIALS):
        form_a, form_b = a.open_form(path), b.open_form(path)
        form_a.update({"b2t_norm_new_made": str(1000 + trial), "_save": "保存草稿"})
        form_b.update({"b2t_norm_new_made": str(2000 + trial), "_save": "保存草稿"})
        statuses = _at_once((a, path, form_a), (b, path, form_b))
        assert sorted(statuses) == [302, 409], f"trial {trial}: {statuses}"
        winner = 1000 + trial if statuses[0] == 302 else 2000 + trial
        assert int(float(_stored(database, report_id)["b2t_norm_new_made"])) == winner  # type: ignore[arg-type]


def test_the_live_server_reads_wal_mode(live: tuple[str, Path, int]) -> None:
    _url, database, _report = live
    with sqlite3.connect(database) as db:
        (mode,) = db.execute("pragma journal_mode").fetchone()
    assert mode == "wal"
