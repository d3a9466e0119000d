"""Import a flat sheet of reports (XLSX or CSV), all or nothing."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.importers.flat import FlatSheetError
from reports.importers.flat_template import parse_flat_file
from reports.importers.sheets import SpreadsheetError, read_sheet
from reports.management.actor import add_user_argument, command_actor
from reports.services.imports import describe, reports_import


class Command(BaseCommand):
    help = "从每行一份报告的电子表格（XLSX/CSV）导入年度报告；有任何错误则全部不导入。"

    def add_arguments(self, parser: CommandParser) -> None:
        add_user_argument(parser)
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="只检查并预览，不写入"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}：{exc.strerror}") from None
        try:
            incoming = parse_flat_file(read_sheet(data, filename=path.name))
        except SpreadsheetError as refused:
            raise CommandError(refused.message) from None
        except FlatSheetError as refused:
            raise CommandError("\n".join(refused.messages)) from None
        outcome = reports_import(
            incoming=incoming,
            user=command_actor(options),
            dry_run=options["dry_run"],
            progress=self._progress,
        )
        sys.stderr.write("\n")
        if not outcome.ok:
            for message in outcome.errors:
                self.stderr.write(message)
            raise CommandError(
                f"{outcome.total('refused')} 行有错误，没有导入任何报告。"
            )
        if options["verbosity"] > 1:
            for row in outcome.rows:
                self.stdout.write(describe(row))
        verb = "将" if options["dry_run"] else "已"
        self.stdout.write(
            f"{verb}新建 {outcome.total('new')} 份，更新 {outcome.total('update')} 份，"
            f"{outcome.total('unchanged')} 份无变化。"
        )

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        sys.stderr.flush()
