"""Import a report's text as a draft of one agency's annual report.

``python manage.py import_report_text FILE --agency CODE [--year YYYY]``.
The text is read by ``parse_report_text`` (the same code path as
``parse_report_text``, the preview command) and stored through
``reports.services``: ``report_create`` when the report does not exist yet,
then ``report_fill_from_import`` (the same path as the admin's import page):
the cells, sections and signatories the text has (those it lacks are left as
they were), the year printed over the table, ``source=TEXT`` and the text
itself. A submitted or approved
report, an unknown agency and a text that is not an annual report are
refused.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from agencies.models import Agency
from reports.importers.text import parse_report_text
from reports.management.actor import add_user_argument, command_actor
from reports.management.commands.parse_report_text import parse_file
from reports.models import AnnualReport
from reports.services import ReportError, report_fill_from_import, report_for_import
from reports.validation import count_findings


class Command(BaseCommand):
    help = "把年度报告文本导入为某机关某年度报告的草稿。"

    def add_arguments(self, parser: CommandParser) -> None:
        add_user_argument(parser)
        parser.add_argument("file", help="报告文本文件（UTF-8 或 GB18030）")
        parser.add_argument("--agency", required=True, help="机关代码")
        parser.add_argument("--year", type=int, help="报告年度（默认从标题识别）")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = command_actor(options)
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"没有代码为 {options['agency']} 的机关。")
        text, preview = parse_file(
            options["file"], format_code=None, year=options["year"]
        )
        if not preview.is_report:
            raise CommandError(f"未导入：{preview.not_report_reason}")
        if preview.year is None:
            raise CommandError("未导入：文中没有找到报告年度，请用 --year 指定。")
        year = preview.year
        try:
            with transaction.atomic():
                report = report_for_import(
                    agency=agency,
                    year=year,
                    user=actor,
                    source=AnnualReport.Source.TEXT,
                )
                if report.format != preview.format:
                    preview = parse_report_text(
                        text, table_format=report.table_format, year=year
                    )
                saved = report_fill_from_import(
                    report=report,
                    user=actor,
                    expected_version=report.version,
                    imported=preview,
                    source=AnnualReport.Source.TEXT,
                    source_text=text,
                )
        except ReportError as exc:
            raise CommandError("未导入：" + "；".join(exc.messages)) from None
        counts = count_findings(saved.findings)
        self.stdout.write(
            f"已导入 {agency} 的 {year} 年度报告（草稿，格式 {report.format}）："
            f"{len(preview.values())} 个统计数有值，"
            f"无法识别的行 {len(preview.unplaced_lines)} 行；"
            f"缺项 {counts['missing']}，错误 {counts['error']}，"
            f"提示 {counts['warning']}。"
        )
        for line, content in preview.unplaced_lines:
            self.stdout.write(f"  无法识别 第{line}行：{content}")
