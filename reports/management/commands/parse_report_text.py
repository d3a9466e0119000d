"""Read a report and print the preview; touches no database table.

``python manage.py parse_report_text FILE [--format A|B2019|B] [--year YYYY]
[--json]``. FILE is the report's text (.txt, UTF-8 or GB18030), a web page
(.html), a Word document (.docx) or a PDF with a text layer, told by its
content (``reports.importers.documents.parse_document``); the output is the
same for each. With ``--json`` it prints the preview of
``reports.importers.text.as_json``: ``format``, ``year``, ``table_year``,
``agency_name``, ``is_report``, ``not_report_reason``, ``cells`` (code →
an int when whole, the exact decimal as a string such as "0.35" otherwise,
"n/a" for not applicable, null when missing), ``sources``, ``sections``,
``signatories`` (填报日期 as YYYY-MM-DD), ``unplaced_lines`` and ``findings``.
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.importers.documents import DocumentError, parse_document
from reports.importers.sheets import upload_limit_bytes
from reports.importers.text import (
    TextImport,
    TextImportError,
    as_json,
    parse_report_text,
    read_text_file,
)
from reports.tables import FORMATS, get_format
from reports.validation import count_findings


def parse_file(
    path: str, *, format_code: str | None, year: int | None
) -> tuple[str, TextImport]:
    """The file's text and its preview; every failure is a CommandError."""
    try:
        text = read_text_file(path)
        table_format = get_format(format_code) if format_code else None
        return text, parse_report_text(text, table_format=table_format, year=year)
    except TextImportError as exc:
        raise CommandError(str(exc)) from None


def parse_document_file(
    path: str, *, format_code: str | None, year: int | None
) -> TextImport:
    """The preview of a report file of any kind; every failure is a CommandError."""
    file = Path(path)
    try:
        size = file.stat().st_size
        limit = upload_limit_bytes()
        if size > limit:  # refused before it is read
            raise CommandError(
                f"文件过大（{size} 字节），最多 {limit // (1024 * 1024)} MB。"
            )
        data = file.read_bytes()
    except OSError as exc:
        raise CommandError(f"无法读取文件 {path}：{exc.strerror}。") from None
    table_format = get_format(format_code) if format_code else None
    try:
        return parse_document(data, file.name, table_format=table_format, year=year)
    except DocumentError as exc:
        raise CommandError(exc.message) from None


class Command(BaseCommand):
    help = (
        "读取年度报告（文本 .txt、网页 .html、Word .docx 或文字版 PDF），"
        "输出识别结果；不写数据库。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", help="报告文件：文本（UTF-8 或 GB18030）、网页、Word 或 PDF"
        )
        parser.add_argument(
            "--format", choices=sorted(FORMATS), help="统计表格式（默认按年度判断）"
        )
        parser.add_argument("--year", type=int, help="报告年度（默认从标题识别）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        result = parse_document_file(
            options["file"], format_code=options["format"], year=options["year"]
        )
        if options["json"]:
            self.stdout.write(json.dumps(as_json(result), ensure_ascii=False, indent=2))
            return
        if not result.is_report:
            self.stdout.write(result.not_report_reason)
        filled = len(result.values())
        counts = count_findings(result.findings)
        self.stdout.write(
            f"格式 {result.format}，报告年度 {result.year or '未识别'}，"
            f"统计表年度 {result.table_year or '未标注'}，"
            f"填报单位 {result.agency_name or '未识别'}；"
            f"{filled}/{len(result.cells)} 个统计数有值，"
            f"正文 {len(result.sections)} 部分，"
            f"无法识别的行 {len(result.unplaced_lines)} 行；"
            f"缺项 {counts['missing']}，错误 {counts['error']}，"
            f"提示 {counts['warning']}"
        )
        for line, text in result.unplaced_lines:
            self.stdout.write(f"  无法识别 第{line}行：{text}")
        for finding in result.findings:
            if finding.severity != "missing":
                self.stdout.write(
                    f"  [{finding.severity}] {finding.rule}: {finding.message}"
                )
