"""One report out: the official-layout XLSX (budget 100 ms), Word and print.

Each figure is the median time of the exporter on a stored report, reads
through the selectors included: format A from the bench data, and a format B
report (2021) of the same agency with every cell filled, made here once.
"""

import statistics
import time
from collections.abc import Callable
from decimal import Decimal

from agencies.models import Agency
from reports.bench import Figure
from reports.exporters.docx import report_docx
from reports.exporters.official import report_workbook
from reports.exporters.print import render_print
from reports.models import AnnualReport
from reports.services import report_create, report_save_values, system_actor
from reports.tables import get_format

BUDGET_MS = 100.0
B_YEAR = 2021


def _median_ms(work: Callable[[], object], repeat: int) -> float:
    work()  # warm up: templates, formats
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def _full_b_report(agency: Agency) -> AnnualReport:
    report = AnnualReport.objects.filter(agency=agency, year=B_YEAR).first()
    if report is None:
        report = report_create(agency=agency, year=B_YEAR, user=system_actor())
        values = {code: Decimal(n % 17) for n, code in enumerate(get_format("B").cells)}
        report = report_save_values(
            report=report,
            user=system_actor(),
            expected_version=report.version,
            values=values,
        ).report
    return report


def run(*, repeat: int) -> list[Figure]:
    leaf = Agency.objects.filter(code__startswith="bench-", depth=3).first()
    report_a = AnnualReport.objects.filter(agency=leaf, format="A").first()
    report_b = _full_b_report(leaf)
    figures = []
    for name, report in (("format A", report_a), ("format B, all cells", report_b)):
        if report is None:
            continue
        figures.append(
            Figure(
                f"one report, official XLSX, {name}, median",
                _median_ms(lambda report=report: report_workbook(report), repeat),
                "ms",
                BUDGET_MS,
                "budget",
            )
        )
    figures.append(
        Figure(
            "one report, Word (.docx), format B, median",
            _median_ms(lambda: report_docx(report_b), repeat),
            "ms",
        )
    )
    figures.append(
        Figure(
            "one report, print page, format B, median",
            _median_ms(lambda: render_print(report_b), repeat),
            "ms",
        )
    )
    return figures
