"""Write one stored report to a file: the official-layout XLSX, Word or print HTML.

``--as-user NAME`` keeps to that user's scope (as the admin's export URLs do):
a report outside it is not found, whatever exists. The kind of file is told by
the output's extension.
"""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from agencies import permissions
from agencies.models import Agency
from reports.exporters.docx import report_docx
from reports.exporters.official import report_workbook
from reports.exporters.print import render_print
from reports.models import AnnualReport

WRITERS = {
    ".xlsx": ("官方样式统计表", report_workbook),
    ".docx": ("Word 报告", report_docx),
    ".html": ("打印页", lambda report: render_print(report).encode()),
}


class Command(BaseCommand):
    help = (
        "导出一份年度报告：官方样式统计表（.xlsx）、Word 报告（.docx）"
        "或打印页（.html）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agency", required=True, help="机关代码")
        parser.add_argument("--year", required=True, type=int, help="报告年度")
        parser.add_argument(
            "--as-user", help="以此用户的权限导出：只能导出其范围内的报告"
        )
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            help="输出文件，扩展名决定格式：.xlsx、.docx 或 .html",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        kind = WRITERS.get(output.suffix.lower())
        if kind is None:
            raise CommandError(
                f"无法识别输出文件“{output.name}”的格式："
                "扩展名应为 .xlsx、.docx 或 .html。"
            )
        if not output.parent.is_dir():
            raise CommandError(f"输出目录“{output.parent}”不存在。")
        report = self._report(options["agency"], options["year"], options["as_user"])
        label, write = kind
        data = write(report)
        try:
            output.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"无法写入“{output}”：{exc.strerror or exc}") from exc
        self.stdout.write(f"已导出 {report} 的{label}：{output}（{len(data):,} 字节）")

    def _report(self, code: str, year: int, username: str | None) -> AnnualReport:
        agencies = Agency.objects.all()
        scope = ""
        if username:
            users = get_user_model().objects.filter(is_active=True)
            user = users.filter(username=username).first()
            if user is None:
                raise CommandError(f"没有名为 {username} 的有效用户。")
            if not user.has_perm("reports.view_annualreport"):
                raise CommandError(f"用户 {username} 没有查看年度报告的权限。")
            agencies = permissions.visible_agencies(user)
            scope = f"（在用户 {username} 的范围内）"
        agency = agencies.filter(code=code).first()
        if agency is None:
            raise CommandError(f"没有找到代码为 {code} 的机关{scope}。")
        report = (
            AnnualReport.objects.select_related("agency")
            .filter(agency=agency, year=year)
            .first()
        )
        if report is None:
            raise CommandError(f"机关 {code} 没有 {year} 年度的报告。")
        return report
