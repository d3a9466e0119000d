"""Export reports as a flat sheet (XLSX or CSV), one row per report.

The file reads back unchanged through ``import_reports``. The actor decides
what is exported: ``--user`` exports that user's scope, the default (the
system) every report.
"""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agencies import permissions
from agencies.models import Agency
from reports.management.actor import add_user_argument, command_actor
from reports.models import AnnualReport
from reports.resources import ReportExportResource
from reports.services.actors import is_system
from reports.tasks import LARGE_EXPORT

KINDS = {".xlsx": "xlsx", ".csv": "csv"}


class Command(BaseCommand):
    help = "把年度报告导出为每行一份报告的电子表格（XLSX/CSV），可原样导回。"

    def add_arguments(self, parser: CommandParser) -> None:
        add_user_argument(parser)
        parser.add_argument("--year", type=int, help="只导出该年度的报告")
        parser.add_argument(
            "--agency", help="只导出该机关（机关代码）及其下属机关的报告"
        )
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            required=True,
            help="输出文件，.xlsx 或 .csv",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"]
        kind = KINDS.get(output.suffix.lower())
        if kind is None:
            raise CommandError(f"输出文件须以 .xlsx 或 .csv 结尾：{output}")
        user = command_actor(options)
        reports = AnnualReport.objects.all()
        if options["year"] is not None:
            reports = reports.filter(year=options["year"])
        if options["agency"]:
            agency = Agency.objects.filter(code=options["agency"]).first()
            # Outside the scope reads like unknown: nothing is disclosed.
            if agency is None or not (
                is_system(user) or permissions.can_see(user, agency)
            ):
                raise CommandError(
                    f"机关代码“{options['agency']}”不存在或不在您的管辖范围内。"
                )
            reports = reports.filter(agency__path__startswith=agency.path)
        resource = ReportExportResource(user=user)
        total = resource.filter_export(reports).count()
        partial = output.with_name(f"{output.name}.part")
        try:
            with partial.open("wb") as target:
                count = resource.write(
                    reports,
                    target,
                    kind=kind,
                    progress=lambda done: self._progress(done, total),
                    large=total > LARGE_EXPORT,
                )
            partial.replace(output)  # a half-written file never takes its name
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(f"无法写入文件 {output}：{exc.strerror}") from None
        sys.stderr.write("\n")
        self.stdout.write(f"已导出 {count} 份报告到 {output}。")

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        sys.stderr.flush()
