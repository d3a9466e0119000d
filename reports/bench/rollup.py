"""The roll-up of a 50,000-agency tree (one format A report each): one SQL
statement under 1 s, beside fetching the same values and summing them in
Python.

The tree is built once, beside the other bench data: a root, 50 children and
the rest of the agencies spread under them, with an approved report for
``YEAR`` (a year the import bench leaves alone) holding every cell of format A.
"""

import os
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from django.db import connection, reset_queries, transaction
from django.test.utils import CaptureQueriesContext

from agencies.models import Agency
from reports.bench import Figure, data
from reports.exporters.rollup import (
    STATUS_CHOICES,
    children_of,
    column_heads,
    head,
    rollup,
    subtree_sums,
    sums_plan,
)
from reports.models import AnnualReport, ReportValue
from reports.tables import get_format

ROOT_CODE = "rollup-bench"  # not "bench…": data.build_tree deletes those
YEAR = 2016  # format A; the import bench deletes every report of 2018
CHILDREN = 50
BUDGET_MS = 1000.0
SSD_PAGE_COST = 1.1
APPROVED = STATUS_CHOICES["approved"]


@transaction.atomic
def build(*, agencies: int) -> Agency:
    """The tree and its reports, unless they are there already."""
    root = Agency.objects.filter(code=ROOT_CODE).first()
    if (
        root is not None
        and Agency.objects.filter(path__startswith=root.path).count() == agencies
        and AnnualReport.objects.filter(
            agency__path__startswith=root.path, year=YEAR
        ).count()
        == agencies
    ):
        return root
    if root is not None:
        subtree = Agency.objects.filter(path__startswith=root.path)
        AnnualReport.objects.filter(agency__in=subtree).delete()
        subtree.delete()
    last = Agency.objects.filter(depth=1).order_by("-path").first()
    step = (Agency._str2int(last.path) if last else 0) + 1
    root_path = Agency._get_path(None, 1, step)
    leaves = agencies - 1 - CHILDREN
    rows = [_agency(root_path, 1, ROOT_CODE, "汇总性能测试州", CHILDREN)]
    for i in range(CHILDREN):
        below = (leaves + i) // CHILDREN  # spreads the leaves evenly
        path = Agency._get_path(root_path, 2, i + 1)
        rows.append(_agency(path, 2, f"{ROOT_CODE}-{i}", f"汇总测试县{i}", below))
        rows.extend(
            _agency(
                Agency._get_path(path, 3, j + 1),
                3,
                f"{ROOT_CODE}-{i}-{j}",
                f"汇总测试县{i}单位{j}",
                0,
            )
            for j in range(below)
        )
    # bulk_create returns the new rows' ids (RETURNING): no query on tables
    # whose statistics are stale until the ANALYZE that follows the build.
    created = Agency.objects.bulk_create(rows, batch_size=5000)
    reports = AnnualReport.objects.bulk_create(
        (
            AnnualReport(
                agency_id=agency.pk,
                year=YEAR,
                format="A",
                status=AnnualReport.Status.APPROVED,
            )
            for agency in created
        ),
        batch_size=5000,
    )
    # The bench package's own COPY writer (random counts, fixed seed).
    data._copy_values([r.pk for r in reports], list(get_format("A").cells))
    return Agency.objects.get(code=ROOT_CODE)


def _agency(path: str, depth: int, code: str, name: str, numchild: int) -> Agency:
    return Agency(
        path=path,
        depth=depth,
        numchild=numchild,
        code=code,
        name=name,
        kind=Agency.Kind.GOVERNMENT if depth < 3 else Agency.Kind.DEPARTMENT,
        level=Agency.Level.CITY if depth == 1 else Agency.Level.COUNTY,
    )


def python_sums(root: Agency) -> dict[tuple[str, str], Decimal]:
    """The baseline: fetch the same values and add them up in Python."""
    rows = (
        ReportValue.objects.filter(
            report__agency__path__startswith=root.path,
            report__year=YEAR,
            report__status__in=APPROVED,
            not_applicable=False,
            value__isnull=False,
        )
        .annotate(head=head(root, "report__agency__"))
        .values_list("head", "code", "value")
        .iterator(chunk_size=20_000)
    )
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for path, code, value in rows:
        sums[path, code] += value
    return sums


def _median_ms(work: Callable[[], object], repeat: int) -> float:
    work()  # warm up
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def _ssd(work: Callable[[], float]) -> float:
    """``work`` planned as on a server with its data on SSD (or in memory):
    PostgreSQL's default random_page_cost (4) is for spinning disks."""
    if connection.vendor != "postgresql":
        return work()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL random_page_cost = {SSD_PAGE_COST}")
        return work()


def _plan(root: Agency, heads: list[str]) -> str:
    """The top of the aggregate's plan and whether it scans the path index."""
    plan = sums_plan(root, heads, YEAR, APPROVED)
    index = "path index" if "_like" in plan else "no path index"
    values = "index-only" if "Index Only Scan" in plan else "values from the table"
    return f"{plan.splitlines()[0].split('  (')[0]}, {index}, {values}"


def floor_count(root: Agency) -> int:
    """The least work any SQL roll-up does: join and count the same values."""
    return ReportValue.objects.filter(
        report__agency__path__startswith=root.path,
        report__year=YEAR,
        report__status__in=APPROVED,
    ).count()


def _collation() -> str:
    if connection.vendor != "postgresql":
        return connection.vendor
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT CASE datlocprovider WHEN 'i' THEN 'ICU ' || daticulocale "
            "ELSE datcollate END FROM pg_database WHERE datname = current_database()"
        )
        return cursor.fetchone()[0]


def _budget(ms: float) -> str:
    return "" if ms < BUDGET_MS else " OVER BUDGET"


def run(*, agencies: int, repeat: int) -> list[Figure]:
    start = time.perf_counter()
    root = build(agencies=agencies)
    if connection.vendor == "postgresql":
        # As autovacuum leaves a table whose rows have settled: statistics,
        # and pages marked all-visible (so the covering index is read alone).
        # (VACUUM cannot run in a transaction, as in a test: ANALYZE there.)
        vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            cursor.execute(vacuum)
    built = time.perf_counter() - start
    count = Agency.objects.filter(path__startswith=root.path).count()
    # The columns' paths: one small statement the page makes anyway (its
    # figure below counts it); the aggregate's figure is the statement alone.
    heads = column_heads(root, children_of(root))
    # A full query log (9,000 entries, from building the tree under DEBUG)
    # would make the captures below count nothing.
    reset_queries()
    with CaptureQueriesContext(connection) as statement:
        totals = subtree_sums(root, heads, YEAR, APPROVED)
    with CaptureQueriesContext(connection) as read:
        result = rollup(node=root, year=YEAR, statuses=APPROVED)
    baseline = python_sums(root)
    check = {
        (r["head"], r["code"]): r["total"] for r in totals if r["total"] is not None
    }
    assert check == baseline, "SQL and Python sums differ"  # noqa: S101
    assert result.included == count  # noqa: S101 - every agency filed

    def aggregate() -> list:
        return subtree_sums(root, heads, YEAR, APPROVED)

    sql_ms = _median_ms(aggregate, repeat)
    ssd_ms = _ssd(lambda: _median_ms(aggregate, repeat))
    floor_ms = _median_ms(lambda: floor_count(root), repeat)
    read_ms = _median_ms(
        lambda: rollup(node=root, year=YEAR, statuses=APPROVED), repeat
    )
    python_ms = _median_ms(lambda: python_sums(root), min(3, repeat))
    python = "fetch + sum in Python"
    load = os.getloadavg()[0]
    return [
        Figure(
            f"roll-up tree of {count:,} agencies: built or found, analysed", built, "s"
        ),
        Figure(
            f"roll-up of {count:,} agencies, the aggregate{_budget(sql_ms)}",
            sql_ms,
            "ms",
            python_ms,
            python,
        ),
        Figure(
            f"  its statements ({_plan(root, heads)}; {_collation()})",
            len(statement),
            "",
        ),
        Figure(
            f"  planned for SSD (random_page_cost {SSD_PAGE_COST}){_budget(ssd_ms)}",
            ssd_ms,
            "ms",
            python_ms,
            python,
        ),
        Figure(
            "  floor: join and count the same values",
            floor_ms,
            "ms",
            sql_ms,
            "the aggregate",
        ),
        Figure(
            f"roll-up page data ({len(read)} statements){_budget(read_ms)}",
            read_ms,
            "ms",
            python_ms,
            python,
        ),
        Figure("  load average while measuring (2 cores)", load, ""),
    ]
