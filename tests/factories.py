"""Builders for tests: keyword-only functions with defaults, no fixtures files."""

import io
import itertools
from collections.abc import Mapping
from pathlib import Path

import xlsxwriter
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython
from django.test import Client, RequestFactory

from agencies.models import Agency, Membership
from agencies.services import agency_ensure, membership_ensure, user_ensure
from reports.models import AnnualReport
from reports.services import report_create, report_save_values, system_actor

_seq = itertools.count(1)

PASSWORD = "test-pass-123"  # noqa: S105


def make_agency(
    *,
    parent: Agency | None = None,
    name: str | None = None,
    code: str | None = None,
    kind: str = Agency.Kind.DEPARTMENT,
    level: str = Agency.Level.CITY,
) -> Agency:
    n = next(_seq)
    agency, _ = agency_ensure(
        parent=parent,
        code=code or f"agency-{n}",
        name=name or f"测试机关{n}",
        kind=kind,
        level=level,
    )
    return agency


def make_user(*, username: str | None = None, superuser: bool = False) -> AbstractUser:
    user, _ = user_ensure(
        username=username or f"user{next(_seq)}",
        password=PASSWORD,
        superuser=superuser,
    )
    return user


def make_member(
    *, agency: Agency, role: str = Membership.Role.CLERK, username: str | None = None
) -> AbstractUser:
    user = make_user(username=username)
    membership_ensure(user=user, agency=agency, role=role)
    return get_user_model().objects.get(pk=user.pk)  # fresh: no cached scope


def make_report(
    *,
    agency: Agency,
    year: int = 2017,
    values: Mapping[str, object] | None = None,
    sections: Mapping[str, str] | None = None,
    signatories: Mapping[str, object] | None = None,
    table_year: int | None = None,
) -> AnnualReport:
    report = report_create(agency=agency, year=year, user=system_actor())
    if values or sections or signatories or table_year is not None:
        report = report_save_values(
            report=report,
            user=system_actor(),
            expected_version=report.version,
            values=values or {},
            sections=sections,
            signatories=signatories,
            table_year=table_year,
        ).report
    return report


def client_for(user: AbstractUser) -> Client:
    """A test client logged in as ``user``, with its password, through a
    request as the login form would: django-axes sees (and counts) it."""
    client = Client()
    request = RequestFactory().post("/admin/login/")
    if not client.login(request=request, username=user.username, password=PASSWORD):
        raise AssertionError(f"{user.username} could not log in")
    return client


def make_xlsx(rows: list[list[object]], *, sheet: str = "reports") -> bytes:
    """An XLSX file with one sheet holding ``rows`` from A1."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    page = book.add_worksheet(sheet)
    for number, row in enumerate(rows):
        page.write_row(number, 0, row)
    book.close()
    return buffer.getvalue()


_PROJECT = Path(__file__).resolve().parents[1]


def restore_data_migrations() -> None:
    """Run the project's data migrations again (the groups 填报人 and 审核人
    with their permissions).

    A transactional test empties every table when it ends, so after the first
    browser test these rows are gone and ``load_demo`` cannot give the demo
    users their groups.
    """
    loader = MigrationLoader(connection)
    plan: list[tuple[str, str]] = []
    for leaf in loader.graph.leaf_nodes():
        plan += [n for n in loader.graph.forwards_plan(leaf) if n not in plan]
    for key in plan:
        if Path(apps.get_app_config(key[0]).path).parent != _PROJECT:
            continue  # Django's own apps
        operations = loader.graph.nodes[key].operations
        code = [op.code for op in operations if isinstance(op, RunPython)]
        if code:
            state = loader.project_state(key, at_end=False)
            for function in code:
                function(state.apps, None)
