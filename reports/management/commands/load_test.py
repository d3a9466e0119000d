"""``make load``: a bounded load test against a server on 127.0.0.1."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.bench.load import run


class Command(BaseCommand):
    help = (
        "压力测试（仅 PostgreSQL，仅 127.0.0.1）：若干填报人反复打开并保存报告、"
        "若干审核人审核通过，运行固定时间后输出每秒请求数、延迟和错误；"
        "有错误或有修改丢失时失败。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seconds", type=int, default=30)
        parser.add_argument("--clerks", type=int, default=50)
        parser.add_argument("--reviewers", type=int, default=5)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            figures, problems = run(
                seconds=options["seconds"],
                clerks=options["clerks"],
                reviewers=options["reviewers"],
            )
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            "服务器 {server}，{seconds} 秒，{clerks} 个填报人、{reviewers} 个审核人："
            "{requests} 个请求，{rps} 请求/秒，p50 {p50_ms} ms，p95 {p95_ms} ms，"
            "错误 {errors} 个；保存 {saves} 次，审核通过 {approvals} 份。".format(
                **figures
            )
        )
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write(self.style.SUCCESS("没有错误，没有丢失的修改。"))
