"""Write the whole database (and the kept originals) to one zip file."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.backup import export_all


class Command(BaseCommand):
    help = (
        "把整个数据库（机关、用户、成员、报告、统计数、修改与审核记录、截止日期、"
        "通知、审计记录）和原始文件导出为一个 zip 文件，可用 import_all 导入空数据库。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="要写入的 zip 文件")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if path.exists():
            raise CommandError(f"文件 {path} 已存在：请换一个文件名，以免覆盖。")
        try:
            counts = export_all(path)
        except OSError as exc:
            path.unlink(missing_ok=True)
            raise CommandError(f"无法写入 {path}：{exc.strerror or exc}") from None
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count}")
        self.stdout.write(self.style.SUCCESS(f"已导出到 {path}。"))
