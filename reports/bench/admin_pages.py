"""Server time and query counts of the report admin pages over a big table."""

import secrets
import statistics
import time
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agencies.models import Agency, Membership
from agencies.services import membership_ensure, user_ensure
from reports.bench import Figure
from reports.models import AnnualReport
from reports.services import report_create, report_save_values, system_actor

CHANGELIST_BUDGET_MS = 150.0


def _timed(get: Callable[[], int], repeat: int) -> tuple[float, int]:
    """Median milliseconds of ``repeat`` requests, and the queries of one."""
    get()  # warm up
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        status = get()
        samples.append((time.perf_counter() - start) * 1000)
        assert status == 200, status  # noqa: S101 - a benchmark of a broken page is void
    reset_queries()  # a full query log (DEBUG) would make the capture count 0
    with CaptureQueriesContext(connection) as captured:
        get()
    return statistics.median(samples), len(captured)


def _reviewer(root: Agency) -> Client:
    user, _ = user_ensure(username="bench_reviewer", password=secrets.token_urlsafe(16))
    membership_ensure(user=user, agency=root, role=Membership.Role.REVIEWER)
    client = Client()
    client.force_login(get_user_model().objects.get(pk=user.pk))
    return client


def run(*, repeat: int) -> list[Figure]:
    root = Agency.objects.get(code="bench")
    client = _reviewer(root)
    leaf = Agency.objects.filter(code__startswith="bench-", depth=3).first()
    report_a = AnnualReport.objects.filter(agency=leaf, format="A").first()
    report_b = AnnualReport.objects.filter(agency=leaf, year=2022).first()
    if report_b is None:
        report_b = report_create(agency=leaf, year=2022, user=system_actor())
        report_save_values(
            report=report_b,
            user=system_actor(),
            expected_version=report_b.version,
            values={"b3_new__np": "3", "b3_new__total": "3"},
        )

    def page(url: str, **params: str) -> Callable[[], int]:
        return lambda: client.get(url, params).status_code

    base = "/admin/reports/annualreport/"
    change_a, queries_a = _timed(page(f"{base}{report_a.pk}/change/"), repeat)
    change_b, queries_b = _timed(page(f"{base}{report_b.pk}/change/"), repeat)
    listed, queries_list = _timed(page(base, year="2017", status="submitted"), repeat)
    plain, queries_plain = _timed(page(base), repeat)
    searched, queries_search = _timed(page(base, q="性能测试市7县"), repeat)
    total = AnnualReport.objects.count()
    return [
        Figure(f"reports in the database ({connection.vendor})", total, "reports"),
        Figure("change page, format A (58 cells), median", change_a, "ms"),
        Figure(
            "change page, format B (200 cells), median",
            change_b,
            "ms",
            change_a,
            "format A",
        ),
        Figure("change page queries, format A", queries_a, "queries"),
        Figure(
            "change page queries, format B", queries_b, "queries", queries_a, "format A"
        ),
        Figure(
            "changelist page 1, year+status filter, median",
            listed,
            "ms",
            CHANGELIST_BUDGET_MS,
            "budget",
        ),
        Figure(
            "changelist page 1, no filter, median",
            plain,
            "ms",
            CHANGELIST_BUDGET_MS,
            "budget",
        ),
        Figure(
            "changelist page 1, search, median",
            searched,
            "ms",
            CHANGELIST_BUDGET_MS,
            "budget",
        ),
        Figure("changelist queries (filtered)", queries_list, "queries"),
        Figure("changelist queries (no filter)", queries_plain, "queries"),
        Figure("changelist queries (search)", queries_search, "queries"),
    ]
