"""Exporting 10,000 reports side by side (one row a report) to XLSX and CSV.

Two ways out of the same rows, in the same run: nianbao's flat export
(reports/exporters/flat.py: one streamed query, the sheet's XML written row
by row) and django-import-export's default export of the same reports: a
``ModelResource`` with one field per cell, its export loop over the
queryset (values prefetched, so not a query per report) and tablib's XLSX,
with the project's formula escaping on.
"""

import io
import time
import tracemalloc
from collections.abc import Callable

from django.db import connection
from django.db.models import Count, QuerySet
from import_export import fields, resources
from import_export.formats import base_formats

from reports.bench import Figure
from reports.exporters.flat import write_flat
from reports.models import AnnualReport, ReportValue
from reports.tables import get_format
from reports.tables.values import shown


def _seconds(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def _peak_mb(run: Callable[[], object]) -> float:
    """The most memory Python held while ``run`` ran (an untimed run)."""
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


class DefaultExportResource(resources.ModelResource):
    """django-import-export's default export, with a field for each cell."""

    agency_code = fields.Field(attribute="agency__code", column_name="agency_code")
    agency_name = fields.Field(attribute="agency__name", column_name="agency_name")

    class Meta:
        model = AnnualReport
        fields = ("agency_code", "agency_name", "year", "format", "status",
                  "missing_count", "error_count", "warning_count")  # fmt: skip

    def __init__(self, codes: list[str], **kwargs: object) -> None:
        super().__init__(**kwargs)
        for code in codes:
            self.fields[code] = fields.Field(
                column_name=code,
                dehydrate_method=lambda report, code=code: _cells(report).get(code),
            )


def _cells(report: AnnualReport) -> dict[str, str]:
    cached = getattr(report, "_bench_cells", None)
    if cached is None:
        cached = {
            v.code: "/" if v.not_applicable else shown(v.value)
            for v in report.values.all()
            if v.not_applicable or v.value is not None
        }
        report._bench_cells = cached  # type: ignore[attr-defined]
    return cached


def import_export_export(reports: QuerySet[AnnualReport], codes: list[str]) -> bytes:
    queryset = reports.select_related("agency").prefetch_related("values")
    dataset = DefaultExportResource(codes).export(queryset)
    return base_formats.XLSX().export_data(dataset)


def nianbao_export(reports: QuerySet[AnnualReport], kind: str) -> int:
    return write_flat(reports, io.BytesIO(), kind=kind)


def _bench_year() -> int:
    """The bench data's year with the most reports."""
    busiest = (
        AnnualReport.objects.filter(agency__code__startswith="bench-")
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("-n", "-year")
        .first()
    )
    assert busiest is not None, "no bench data"  # noqa: S101
    return busiest["year"]


def _settle() -> None:
    """Vacuum the freshly loaded tables, as autovacuum has a production
    database's: until then the first reads of each page write to it (hint
    bits), and autovacuum competes for the machine's two cores."""
    if connection.vendor == "postgresql":
        tables = [model._meta.db_table for model in (AnnualReport, ReportValue)]
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")


def run(*, reports: int, baseline_rows: int) -> list[Figure]:
    _settle()
    year = _bench_year()
    # The list filtered as a superior would: one year of the bench tree.
    chosen = AnnualReport.objects.filter(year=year, agency__code__startswith="bench-")
    ids = list(chosen.order_by("agency__path").values_list("pk", flat=True))
    if len(ids) > reports:
        ids = ids[:reports]
        chosen = AnnualReport.objects.filter(pk__in=ids)
    formats = chosen.values_list("format", flat=True).distinct()
    codes = [code for f in formats for code in get_format(f).cells]
    xlsx = min(_seconds(lambda: nianbao_export(chosen, "xlsx")) for _ in range(3))
    memory = _peak_mb(lambda: nianbao_export(chosen, "xlsx"))
    csv = min(_seconds(lambda: nianbao_export(chosen, "csv")) for _ in range(3))
    sample = AnnualReport.objects.filter(pk__in=ids[:baseline_rows])
    baseline = _seconds(lambda: import_export_export(sample, codes))
    baseline_full = baseline * len(ids) / max(min(baseline_rows, len(ids)), 1)
    scaled = "" if baseline_rows >= len(ids) else f" ({baseline_rows:,} rows, scaled)"
    return [
        Figure(f"flat export of {len(ids):,} reports to XLSX", xlsx, "s", 5.0,
               "design budget"),
        Figure("  same, to CSV", csv, "s", 5.0, "design budget"),
        Figure(f"django-import-export default export{scaled}", baseline_full, "s"),
        Figure("flat XLSX export vs django-import-export", xlsx, "s", baseline_full,
               "import-export"),
        Figure("peak Python memory of the flat XLSX export", memory, "MB"),
    ]  # fmt: skip
