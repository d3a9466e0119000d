"""Restore a file of ``export_all`` into an empty, migrated database."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.backup import BackupError, import_all


class Command(BaseCommand):
    help = (
        "把 export_all 导出的 zip 文件导入到刚 migrate 过的空数据库；"
        "数据库不空则拒绝。全部导入或全部不导入。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="export_all 写出的 zip 文件")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = import_all(options["file"])
        except BackupError as refused:
            raise CommandError(str(refused)) from None
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count}")
        self.stdout.write(self.style.SUCCESS("导入完成。"))
