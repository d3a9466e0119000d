"""No page answers 500, whatever is put in its address or its form.

Every URL pattern of the project (the admin's model pages and the custom ones
that ReportAdmin and AgencyAdmin add in ``get_urls``, found by walking
``get_resolver()``) is requested with malformed values in each path parameter
and with real ids (one in the clerk's scope, one outside it); each page is
GET with garbage query strings and POSTed empty, with garbage in every field it
shows or that any page of the project expects, and with junk files; as each
persona. Each request runs in a transaction that is rolled back, so a garbage
POST that deletes or changes something does not change what later requests
see. A failure names the persona, method, URL, data and the exception.
"""

import logging
import re
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from itertools import product
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

from agencies.models import Agency, Membership
from reports.models import ImportJob
from reports.tables import FORMATS
from reports.tasks import run_import_job
from tests.conftest import World
from tests.factories import make_report, make_user

# Substituted for every path parameter (GET; POST too for the second list).
MALFORMED = ["abc", "0", "999999", "-1", "%00", "9" * 40, "x" * 2000, "../x"]
POSTED_MALFORMED = ["abc", "%00", "9" * 40, "../x"]
# Each is put into every form field of a page at once.
GARBAGE = [
    "abc",
    "7",
    "-1",
    "99999999999999999999",
    "\x00",
    "../../etc/passwd",
    "x" * 5000,
    "",
]
QUERY_GARBAGE = ["abc", "\x00", "99999999999999999999", "x" * 2000]
# Fields some page of the project reads, whether or not the page shows them.
KNOWN_FIELDS = [
    "version", "format", "resource", "import_file_name", "original_file_name",
    "kind", "text", "sheet", "year", "agency", "user", "role", "table_year",
    "action", "_selected_action", "index", "select_across", "post",
    "node", "target", "relation", "treebeard_ref_node", "treebeard_position",
    "username", "password", "password1", "password2", "old_password",
    "new_password1", "new_password2", "usable_password", "next", "q",
]  # fmt: skip
KNOWN_QUERY = [
    "q", "p", "o", "e", "all", "_changelist_filters", "_to_field", "_popup",
    "term", "app_label", "model_name", "field_name", "page", "year", "status",
    "format", "next",
]  # fmt: skip
AUTOCOMPLETE = {
    "app_label": "agencies",
    "model_name": "membership",
    "field_name": "agency",
}
FILE_FIELDS = ["import_file", "file", "text_file", "sheet_file"]


def _junk_files() -> list[dict[str, SimpleUploadedFile]]:
    """Uploads that are not what they claim to be, in every file field."""
    samples = [
        ("junk.xlsx", b"\x00\x01not a workbook" * 50),
        ("junk.csv", "年度,机关代码\nabc,\x00\n2017,不存在\n".encode()),
        ("junk.txt", b"\xff\xfe\x00\xd8"),
        ("empty.xlsx", b""),
    ]
    return [
        {f: SimpleUploadedFile(name, content) for f in FILE_FIELDS}
        for name, content in samples
    ]


# What the project's own pages read, in combinations no page would send: the
# per-report import (kind, text, sheet, version), the spreadsheet import
# (format, resource, import_file_name), list actions, tree moves, new reports.
SCENARIOS: list[dict[str, str]] = [
    {
        "kind": "text", "text": "abc", "_confirm": "1", "version": "abc",
        "import_file_name": "../../etc/passwd", "original_file_name": "x.csv",
        "format": "0", "resource": "0",
        "action": "delete_selected", "_selected_action": "abc", "post": "yes",
        "node": "abc", "target": "999999", "relation": "child",
        "agency": "abc", "year": "abc",
    },
    {
        "kind": "text", "text": "\x00一、总体情况\x00", "_confirm": "1", "version": "0",
        "import_file_name": "abc", "original_file_name": "x.xlsx",
        "format": "7", "resource": "9",
        "action": "delete_selected", "_selected_action": "999999", "index": "abc",
        "node": "1", "target": "1", "relation": "sibling",
        "agency": "999999", "year": "99999999999999999999",
    },
    {
        "kind": "sheet", "sheet": "////", "_confirm": "1", "version": "-1",
        "format": "abc", "resource": "abc",
        "action": "abc", "index": "-1", "select_across": "abc",
        "table_year": "abc", "relation": "abc",
    },
    {
        "kind": "sheet", "sheet": "YWJj", "_confirm": "1", "version": "1",
        "format": "1", "resource": "0", "import_file_name": "",
        "original_file_name": "", "action": "", "node": "", "target": "",
    },
]  # fmt: skip

PERSONAS = ["anonymous", "clerk", "reviewer", "outsider", "superuser"]

_PARAM = re.compile(r"<(?:[^>:]+:)?([^>]+)>")
_GROUP = re.compile(r"\(\?P<(\w+)>[^()]*\)")
_FIELD = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"")
_FORM = re.compile(rb"<form\b[^>]*>", re.IGNORECASE)
_HREF_PARAM = re.compile(r"href=\"\?([^\"]*)\"")


def _template(pattern: URLPattern | URLResolver) -> str:
    """A pattern as text with ``{name}`` where its parameters go."""
    if isinstance(pattern.pattern, RegexPattern):
        regex = str(pattern.pattern).removeprefix("^").removesuffix("$")
        return _GROUP.sub(r"{\1}", regex)
    return _PARAM.sub(r"{\1}", str(pattern.pattern))


def url_templates(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """Every URL pattern of the project, through every include."""
    resolver = resolver or get_resolver()
    found: list[str] = []
    for pattern in resolver.url_patterns:
        here = prefix + _template(pattern)
        if isinstance(pattern, URLResolver):
            found += url_templates(pattern, here)
        else:
            found.append(here)
    return found


@dataclass
class Targets:
    """The objects whose ids are put into the addresses."""

    real: dict[str, list[str]]
    users: dict[str, AbstractUser | None]


@pytest.fixture
def targets(world: World, settings: Any, tmp_path: Any) -> Targets:
    settings.MEDIA_ROOT = tmp_path
    mine = make_report(agency=world.district)
    theirs = make_report(agency=world.other_bureau)
    jobs = [
        ImportJob.objects.create(
            user=user, file=ContentFile(b"abc", name="job.csv"), filename="job.csv"
        )
        for user in (world.clerk, world.outsider)
    ]
    real: dict[str, list[str]] = {
        "agencies/agency": [str(world.district.pk), str(world.other_bureau.pk)],
        "agencies/membership": [
            str(Membership.objects.get(user=world.clerk).pk),
            str(Membership.objects.get(user=world.outsider).pk),
        ],
        "reports/annualreport": [str(mine.pk), str(theirs.pk)],
        "auth/user": [str(world.clerk.pk), str(world.outsider.pk)],
        "auth/group": [str(Group.objects.get(name="填报人").pk)],
        "import-job": [str(job.pk) for job in jobs],
        "content_type_id": [str(ContentType.objects.get_for_model(Agency).pk)],
        "app_label": ["agencies", "reports"],
        "code": [*FORMATS, "a"],
        "ext": ["xlsx", "csv"],
    }
    # A task result, for the task results admin's pages (not run: no worker).
    result = run_import_job.enqueue(jobs[0].pk)
    real["django_tasks_database/dbtaskresult"] = [str(result.id)]
    users: dict[str, AbstractUser | None] = {
        "anonymous": None,
        "clerk": world.clerk,
        "reviewer": world.reviewer,
        "outsider": world.outsider,
        "superuser": make_user(superuser=True),
    }
    return Targets(real=real, users=users)


def _real_ids(template: str, name: str, real: dict[str, list[str]]) -> list[str]:
    if name in real:
        return real[name]
    if "import-job/" in template:
        return real["import-job"]
    if template.startswith("admin/r/"):
        return real["agencies/agency"]
    match = re.match(r"admin/(\w+/\w+)/", template)
    return real.get(match.group(1), []) if match else []


def addresses(template: str, real: dict[str, list[str]]) -> Iterator[tuple[str, str]]:
    """(URL, the malformed value in it or "" for real ids) for one pattern."""
    names = re.findall(r"{(\w+)}", template)
    if not names:
        yield "/" + template, ""
        return
    for value in MALFORMED:
        yield "/" + template.format(**dict.fromkeys(names, value)), value
    choices = [_real_ids(template, name, real) for name in names]
    for values in product(*choices):
        yield "/" + template.format(**dict(zip(names, values, strict=True))), ""


def _summary(response: HttpResponse) -> str:
    """The exception behind a 500: type, message, and where it was raised."""
    if not getattr(response, "exc_info", None):
        return "(500 without an exception)"
    kind, value, tb = response.exc_info
    frames = traceback.extract_tb(tb)
    ours = [f for f in frames if ".venv" not in f.filename]
    admin = [f for f in frames if "/contrib/admin/" in f.filename]
    shown = [frames[-1], *(ours or admin)[-2:][::-1]]
    base = str(settings.BASE_DIR) + "/"
    places = [
        f"{f.filename.split('site-packages/')[-1].removeprefix(base)}:{f.lineno}"
        f" {f.name}"
        for f in shown
    ]
    where = " <- ".join(dict.fromkeys(places))
    return f"{kind.__name__}: {str(value)[:160]!r} at {where}"


def _short(data: dict[str, Any] | None) -> str:
    if not data:
        return "{}"
    shown = {k: (v if isinstance(v, str) else "<file>") for k, v in data.items()}
    values = set(shown.values())
    if len(shown) > 6 and len(values) <= 2:
        return f"<{len(shown)} fields> = {sorted(repr(v[:40]) for v in values)}"
    return repr({k: v[:40] for k, v in shown.items()})


def _posts_a_form(html: bytes) -> bool:
    """Whether the page has a form that posts (other than the logout button)."""
    return any(
        b'method="post"' in tag.lower() and b"logout" not in tag
        for tag in _FORM.findall(html)
    )


class Walker:
    """One persona's requests, each rolled back, and the 500s they met."""

    def __init__(self, user: AbstractUser | None) -> None:
        self.client = Client(raise_request_exception=False)
        if user is not None:
            self.client.force_login(user)
        self.cookies = {name: m.value for name, m in self.client.cookies.items()}
        self.failures: list[str] = []
        self.requests = 0
        self.answers: Counter[int] = Counter()

    def request(
        self,
        method: str,
        url: str,
        data: dict[str, Any] | None = None,
    ) -> HttpResponse:
        self.client.cookies = SimpleCookie(self.cookies)  # undo logouts, messages
        self.requests += 1
        with transaction.atomic():
            if method == "GET":
                response = self.client.get(url, data)
            else:
                response = self.client.post(url, data or {})
            transaction.set_rollback(True)
        self.answers[response.status_code] += 1
        if response.status_code == 500:
            self.failures.append(
                f"{method} {url[:120]} data={_short(data)}: {_summary(response)}"
            )
        return response

    def fields(self, response: HttpResponse) -> tuple[list[str], list[str]]:
        """The form fields and the query parameters the page offers."""
        if response.status_code != 200 or "html" not in response.get(
            "Content-Type", ""
        ):
            return [], []
        html = response.content.decode(errors="replace")
        fields = sorted(set(_FIELD.findall(html)) - {"csrfmiddlewaretoken"})
        params = {
            part.split("=")[0]
            for query in _HREF_PARAM.findall(html)
            for part in query.replace("&amp;", "&").split("&")
            if part
        }
        return fields, sorted(params)

    def query(self, url: str, params: list[str]) -> None:
        """Garbage in a list's, a search's or a JSON endpoint's query string.

        One unknown parameter sends a list back to itself before it
        searches, so the search, the page's own parameters and an
        autocomplete lookup each get theirs alone.
        """
        self.request("GET", url, dict.fromkeys(KNOWN_QUERY, "abc"))
        for value in QUERY_GARBAGE:
            self.request("GET", url, {"q": value})
            self.request("GET", url, dict.fromkeys({*params, "p", "o"}, value))
            self.request("GET", url, {**AUTOCOMPLETE, "term": value, "page": value})

    def walk(self, url: str, *, malformed: str) -> None:
        page = self.request("GET", url)
        if malformed:  # the address is wrong: what is posted hardly matters
            if malformed in POSTED_MALFORMED:
                self.request("POST", url, dict.fromkeys(KNOWN_FIELDS, "abc"))
            return
        if page.status_code not in (200, 405):  # refused, missing, redirected
            self.request("POST", url, dict.fromkeys(KNOWN_FIELDS, "\x00"))
            return
        fields, params = self.fields(page)
        if not re.search(r"/(change|delete|history|password|import-source)/$", url):
            self.query(url, params)
        names = sorted({*fields, *KNOWN_FIELDS} - set(FILE_FIELDS))
        self.request("POST", url)
        if page.status_code == 200 and not _posts_a_form(page.content):
            # Nothing on the page is posted (a history, a JSON answer).
            self.request("POST", url, dict.fromkeys(names, "abc"))
            return
        for value in GARBAGE:
            self.request("POST", url, dict.fromkeys(names, value))
        for scenario, files in zip(SCENARIOS, _junk_files(), strict=True):
            self.request("POST", url, scenario)
            self.request("POST", url, {**scenario, **files})


@pytest.fixture
def quiet_request_log() -> Iterator[None]:
    """Thousands of 404s and the 500s under test are not worth logging."""
    loggers = [logging.getLogger(n) for n in ("django.request", "django.security")]
    saved = [logger.disabled for logger in loggers]
    for logger in loggers:
        logger.disabled = True
    yield
    for logger, disabled in zip(loggers, saved, strict=True):
        logger.disabled = disabled


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_answers_500(
    targets: Targets, persona: str, quiet_request_log: None
) -> None:
    walker = Walker(targets.users[persona])
    templates = url_templates()
    assert any("children/{parent_id}" in t for t in templates)  # AgencyAdmin
    assert any("import-source" in t for t in templates)  # ReportAdmin
    for template in templates:
        for url, malformed in addresses(template, targets.real):
            walker.walk(url, malformed=malformed)
    assert walker.requests > 300
    # The persona stayed signed in throughout (a logout is undone each time).
    assert walker.answers[200] > (20 if persona == "anonymous" else 100), walker.answers
    assert not walker.failures, (
        f"{len(walker.failures)} requests as {persona} answered 500:\n"
        + "\n".join(walker.failures)
    )
