"""Print the findings of one stored report as JSON."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.models import AnnualReport
from reports.services import report_findings
from reports.validation import count_findings


class Command(BaseCommand):
    help = "校验一份已保存的年度报告并输出全部问题。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agency", required=True, help="机关代码")
        parser.add_argument("--year", required=True, type=int, help="报告年度")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **options: Any) -> None:
        report = (
            AnnualReport.objects.select_related("agency")
            .filter(agency__code=options["agency"], year=options["year"])
            .first()
        )
        if report is None:
            raise CommandError(
                f"没有找到机关 {options['agency']} 的 {options['year']} 年度报告。"
            )
        findings = report_findings(report)
        if options["json"]:
            payload = {
                "format": report.format,
                "counts": count_findings(findings),
                "findings": [f.as_dict() for f in findings],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        counts = count_findings(findings)
        self.stdout.write(
            f"{report}（格式 {report.format}）：缺项 {counts['missing']}，"
            f"错误 {counts['error']}，提示 {counts['warning']}"
        )
        for finding in findings:
            self.stdout.write(
                f"  [{finding.severity}] {finding.rule}: {finding.message}"
            )
