"""Delete flat-import previews never confirmed (run it from cron, e.g. hourly)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.uploads import previews_pending, previews_sweep


class Command(BaseCommand):
    help = "删除超过时限仍未确认的导入预览文件。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hours",
            type=float,
            default=None,
            help=(
                "删除早于这么多小时的预览（默认 NIANBAO_IMPORT_PREVIEW_HOURS，"
                f"现为 {settings.NIANBAO_IMPORT_PREVIEW_HOURS}）；0 删除全部"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        hours = options["hours"]
        if hours is not None and hours < 0:
            raise CommandError("--hours 不能是负数。")
        max_age = None if hours is None else int(hours * 3600)
        swept = previews_sweep(max_age=max_age)
        self.stdout.write(
            f"已删除 {swept} 份未确认的导入预览，还有 {previews_pending()} 份等待确认。"
        )
