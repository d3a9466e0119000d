"""Bulk data for benchmarks: a wide agency tree and many reports, fast.

This is test data, not a write path of the application: it bypasses the
services on purpose (a benchmark of 100,000 reports cannot wait for 100,000
service calls) and writes rows that the services would write.
"""

import io
import random
from collections.abc import Iterator
from decimal import Decimal

from django.db import connection, transaction

from agencies.models import Agency
from reports.models import AnnualReport, ReportValue
from reports.tables import get_format

ROOT_CODE = "bench"


def _path(parent_path: str, step: int) -> str:
    return Agency._get_path(parent_path, len(parent_path) // Agency.steplen + 1, step)


@transaction.atomic
def build_tree(*, fanout: int) -> list[Agency]:
    """A root with ``fanout`` children of ``fanout`` children each.

    Returns the leaves. Paths are computed directly (treebeard's layout).
    """
    Agency.objects.filter(code__startswith=ROOT_CODE).delete()
    last_root = Agency.objects.order_by("-path").filter(depth=1).first()
    root_step = (Agency._str2int(last_root.path) if last_root else 0) + 1
    root_path = Agency._get_path(None, 1, root_step)
    rows = [
        Agency(
            path=root_path,
            depth=1,
            numchild=fanout,
            code=ROOT_CODE,
            name="性能测试根机关",
            kind=Agency.Kind.GOVERNMENT,
            level=Agency.Level.PROVINCE,
        )
    ]
    for i in range(1, fanout + 1):
        middle = _path(root_path, i)
        rows.append(
            Agency(
                path=middle,
                depth=2,
                numchild=fanout,
                code=f"{ROOT_CODE}-{i}",
                name=f"性能测试市{i}",
                kind=Agency.Kind.GOVERNMENT,
                level=Agency.Level.CITY,
            )
        )
        rows.extend(
            Agency(
                path=_path(middle, j),
                depth=3,
                numchild=0,
                code=f"{ROOT_CODE}-{i}-{j}",
                name=f"性能测试市{i}县{j}统计局",
                kind=Agency.Kind.DEPARTMENT,
                level=Agency.Level.COUNTY,
            )
            for j in range(1, fanout + 1)
        )
    Agency.objects.bulk_create(rows, batch_size=5000)
    return list(Agency.objects.filter(code__startswith=f"{ROOT_CODE}-", depth=3))


def build_reports(*, agencies: list[Agency], years: range, with_values: bool) -> int:
    """One report per agency and year, format A, with random plausible values."""
    table_format = get_format("A")
    reports = [
        AnnualReport(
            agency=agency,
            year=year,
            format=table_format.code,
            status=random.choice(list(AnnualReport.Status)),  # noqa: S311
            missing_count=random.randint(0, 3),  # noqa: S311
            error_count=random.randint(0, 1),  # noqa: S311
            warning_count=random.randint(0, 2),  # noqa: S311
        )
        for agency in agencies
        for year in years
    ]
    AnnualReport.objects.bulk_create(reports, batch_size=5000)
    if with_values:
        ids = AnnualReport.objects.filter(
            agency__code__startswith=f"{ROOT_CODE}-"
        ).values_list("pk", flat=True)
        _copy_values(list(ids), list(table_format.cells))
    return len(reports)


def _value_rows(report_ids: list[int], codes: list[str]) -> Iterator[str]:
    rng = random.Random(7)  # noqa: S311
    for report_id in report_ids:
        for code in codes:
            yield f"{report_id}\t{code}\t{rng.randint(0, 500)}\tf\n"


def _copy_values(report_ids: list[int], codes: list[str]) -> None:
    if connection.vendor != "postgresql":
        ReportValue.objects.bulk_create(
            (
                ReportValue(report_id=r, code=c, value=Decimal(1))
                for r in report_ids
                for c in codes
            ),
            batch_size=5000,
        )
        return
    table = ReportValue._meta.db_table
    columns = "(report_id, code, value, not_applicable)"
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3 cursor
        with raw.copy(f"COPY {table} {columns} FROM STDIN") as copy:  # noqa: S608
            buffer = io.StringIO()
            for n, line in enumerate(_value_rows(report_ids, codes), 1):
                buffer.write(line)
                if n % 200_000 == 0:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
            copy.write(buffer.getvalue())
