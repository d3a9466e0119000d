"""Importing 10,000 format A reports from one flat XLSX.

Three ways into the same tables, in the same run: nianbao's import (read with
calamine, parse, validate every report, upsert), django-import-export's
default row-by-row import of the same file (its import loop with a savepoint
per row, each row saved through ``report_save_values``), and a plain COPY of
the same cells (the floor). The first import also gives the peak memory it
adds (``timed_peak``).
"""

import ctypes
import gc
import io
import random
import sys
import time
from collections.abc import Callable

import tablib
import xlsxwriter
from django.db import connection, transaction
from import_export import fields, resources

from agencies.models import Agency
from reports.bench import Figure
from reports.importers.flat import parse_flat
from reports.importers.sheets import read_sheet
from reports.models import AnnualReport, ReportValue
from reports.services import report_create, report_save_values, system_actor
from reports.services.imports import reports_import
from reports.tables import get_format

YEAR = 2018  # format A, and not among the bench data's years


def build_file(agencies: list[Agency], *, seed: int) -> bytes:
    """A flat XLSX: code, year, then the 58 cells of format A."""
    codes = list(get_format("A").cells)
    rng = random.Random(seed)  # noqa: S311
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = book.add_worksheet("reports")
    sheet.write_row(0, 0, ["agency_code", "year", *codes])
    for number, agency in enumerate(agencies, 1):
        values = [rng.randint(0, 900) for _code in codes]
        sheet.write_row(number, 0, [agency.code, YEAR, *values])
    book.close()
    return buffer.getvalue()


def _clear() -> None:
    AnnualReport.objects.filter(year=YEAR).delete()


def _seconds(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def _status_kb(key: str) -> int:
    """A figure of /proc/self/status in kB: ``VmRSS`` now, ``VmHWM`` its peak."""
    with open("/proc/self/status") as status:
        for line in status:
            name, _colon, value = line.partition(":")
            if name == key:
                return int(value.split()[0])
    raise LookupError(key)


def _reset_peak() -> int | None:
    """Lower the process's peak RSS to its RSS now; that RSS in kB, or None
    where the peak cannot be reset (not Linux, or Linux before 4.0)."""
    if sys.platform != "linux":
        return None
    gc.collect()
    # Memory that an earlier run freed but the C heap kept would be reused
    # unseen: glibc gives it back first (musl has no such call, nor need).
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)
    if trim is not None:
        trim(0)
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")  # "reset the peak resident set size" (proc(5))
    except OSError:
        return None
    return _status_kb("VmRSS")


def timed_peak(run: Callable[[], object]) -> tuple[float, float | None]:
    """Seconds that ``run`` takes, and the peak memory it adds in MB (None
    where that cannot be measured).

    The peak is the kernel's peak RSS (``VmHWM``) above the RSS at the start,
    after the peak was reset to that RSS: what ``run`` itself needs at most,
    whatever peak came before in the process. ``ru_maxrss`` cannot say this:
    it is the process's peak ever, so a run after a bigger one (the bench
    data's load) seems to add little. The reset keeps the timed run the
    measured one and needs nothing else. A forked child would need its own
    database connection (the tests' in-memory SQLite cannot be shared) and
    would count the shared library code it pages in again; tracemalloc sees
    Python's allocations only (not calamine's or psycopg's) and made the
    10,000-report import six times slower.

    What Python's allocator keeps of earlier work (partly used arenas) can
    still take some growth unseen: the import read 205 MB after the bench
    data's load, 228 MB in a fresh process.
    """
    start_kb = _reset_peak()
    seconds = _seconds(run)
    if start_kb is None:
        return seconds, None
    return seconds, (_status_kb("VmHWM") - start_kb) / 1024


def nianbao_import(data: bytes) -> None:
    incoming = parse_flat(read_sheet(data, filename="bench.xlsx"))
    outcome = reports_import(incoming=incoming, user=system_actor(), dry_run=False)
    assert outcome.ok, outcome.errors[:5]  # noqa: S101


class RowByRowResource(resources.ModelResource):
    """django-import-export's default loop: one savepoint and one save per row."""

    agency_code = fields.Field(column_name="agency_code")

    class Meta:
        model = AnnualReport
        fields = ("agency_code",)
        import_id_fields = ("agency_code",)
        skip_diff = True

    def import_row(self, row: dict, instance_loader: object, **kwargs: object):  # noqa: ANN201
        agency = Agency.objects.get(code=row["agency_code"])
        report = report_create(
            agency=agency, year=int(row["year"]), user=system_actor()
        )
        values = {k: v for k, v in row.items() if k not in ("agency_code", "year")}
        report_save_values(
            report=report,
            user=system_actor(),
            expected_version=report.version,
            values=values,
        )
        result = self.get_row_result_class()()
        result.import_type = result.IMPORT_TYPE_NEW
        return result


def import_export_import(data: bytes, rows: int) -> None:
    sheet = read_sheet(data, filename="bench.xlsx")
    dataset = tablib.Dataset(headers=[str(h) for h in sheet.rows[0]])
    for row in sheet.rows[1 : rows + 1]:
        dataset.append(row)
    result = RowByRowResource().import_data(dataset, dry_run=False)
    problems = [e.error for e in result.base_errors] + result.row_errors()[:1]
    assert not result.has_errors(), problems  # noqa: S101


def copy_floor(data: bytes) -> None:
    """COPY the same cells into an empty copy of the values table (with its
    identity, indexes and constraints; foreign keys are not copied)."""
    sheet = read_sheet(data, filename="bench.xlsx")
    codes = [str(c) for c in sheet.rows[0][2:]]
    table = ReportValue._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE bench_copy (LIKE {table} INCLUDING ALL)"  # noqa: S608
        )
        buffer = io.StringIO()
        for report_id, row in enumerate(sheet.rows[1:], 1):
            for code, value in zip(codes, row[2:], strict=True):
                buffer.write(f"{report_id}\t{code}\t{value}\tf\n")
        with cursor.cursor.copy(
            "COPY bench_copy (report_id, code, value, not_applicable) FROM STDIN"
        ) as copy:
            copy.write(buffer.getvalue())
        cursor.execute("DROP TABLE bench_copy")


def run(*, reports: int, baseline_rows: int) -> list[Figure]:
    agencies = list(
        Agency.objects.filter(code__startswith="bench-", depth=3).order_by("path")[
            :reports
        ]
    )
    first_file = build_file(agencies, seed=1)
    changed_file = build_file(agencies, seed=2)
    _clear()
    first, memory = timed_peak(lambda: nianbao_import(first_file))
    cells = AnnualReport.objects.filter(year=YEAR).count() * len(get_format("A").cells)
    again = _seconds(lambda: nianbao_import(changed_file))
    unchanged = _seconds(lambda: nianbao_import(changed_file))
    sample = ReportValue.objects.filter(report__year=YEAR).first()
    assert sample is not None and sample.value is not None  # noqa: S101
    _clear()
    baseline = _seconds(lambda: import_export_import(first_file, baseline_rows))
    baseline_full = baseline * len(agencies) / baseline_rows
    _clear()
    figures = [
        Figure(f"import {len(agencies):,} format A reports ({cells:,} cells)", first,
               "s", 60.0, "issue budget"),
        Figure("  same, against the design budget", first, "s", 15.0, "design budget"),
        Figure("django-import-export row-by-row import"
               + ("" if baseline_rows == len(agencies)
                  else f" ({baseline_rows:,} rows, scaled)"),
               baseline_full, "s"),
        Figure("nianbao import vs django-import-export", first, "s", baseline_full,
               "import-export"),
        Figure("re-import, every value changed", again, "s", first, "first import"),
        Figure("re-import, nothing changed", unchanged, "s", first, "first import"),
    ]  # fmt: skip
    if memory is not None:
        figures.append(
            Figure(
                "peak memory growth during the import", memory, "MB", 300.0, "budget"
            )
        )
    if connection.vendor == "postgresql":
        floor = _seconds(lambda: copy_floor(first_file))
        figures.append(Figure("plain COPY of the same cells", floor, "s"))
        figures.append(Figure("nianbao import vs COPY", first, "s", floor, "COPY"))
    return figures
