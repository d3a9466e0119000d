"""``make bench``: load a national-size data set and print the figures."""

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from agencies.models import Agency
from reports.bench import Figure, admin_pages, data, imports, one_report, review_pages
from reports.bench import exports as export_bench
from reports.bench import rollup as rollup_bench
from reports.bench import text as text_bench


class Command(BaseCommand):
    help = "性能基准：载入大量数据，输出各项指标及其与基线的比值。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fanout", type=int, default=100)
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--repeat", type=int, default=20)
        parser.add_argument("--import-reports", type=int, default=10_000)
        parser.add_argument("--export-reports", type=int, default=10_000)
        parser.add_argument(
            "--rollup-agencies", type=int, default=50_000, help="汇总基准的机关数"
        )
        parser.add_argument(
            "--baseline-rows",
            type=int,
            default=1_000,
            help="django-import-export 逐行导入的行数（少于全部时按比例折算）",
        )
        parser.add_argument(
            "--only",
            choices=["pages", "review", "imports", "rollup", "exports", "text"],
            help="只运行其中一部分（pages 含审核队列与完成情况，review 只含这两页）",
        )
        parser.add_argument(
            "--no-values",
            action="store_true",
            help="只建报告，不写统计数（更快）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The test client's host; not setup_test_environment(), whose template
        # instrumentation would slow every page it measures.
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        figures: list[Figure] = []
        if not Agency.objects.filter(code=data.ROOT_CODE).exists():
            start = time.perf_counter()
            leaves = data.build_tree(fanout=options["fanout"])
            years = range(2008, 2008 + options["years"])
            count = data.build_reports(
                agencies=leaves, years=years, with_values=not options["no_values"]
            )
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            figures.append(
                Figure(
                    f"load {count:,} reports (bench data)",
                    time.perf_counter() - start,
                    "s",
                )
            )
        if options["only"] in (None, "pages"):
            figures += admin_pages.run(repeat=options["repeat"])
            figures += one_report.run(repeat=options["repeat"])
        if options["only"] in (None, "pages", "review"):
            figures += review_pages.run(repeat=options["repeat"])
        if options["only"] in (None, "imports"):
            figures += imports.run(
                reports=options["import_reports"],
                baseline_rows=min(options["baseline_rows"], options["import_reports"]),
            )
        if options["only"] in (None, "text"):
            figures += text_bench.run()
        if options["only"] in (None, "rollup"):
            figures += rollup_bench.run(
                agencies=options["rollup_agencies"], repeat=options["repeat"]
            )
        if options["only"] in (None, "exports"):
            figures += export_bench.run(
                reports=options["export_reports"],
                baseline_rows=min(options["baseline_rows"], options["export_reports"]),
            )
        self.stdout.write("")
        for figure in figures:
            self.stdout.write(figure.line())
