"""``manage.py rollup``: the roll-up (汇总表) of an agency's subtree for a year,
as text, JSON or an XLSX workbook; the same read as the admin page."""

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from agencies.models import Agency
from reports.exporters.rollup import (
    STATUS_CHOICES,
    STATUS_LABELS,
    TOTAL,
    Part,
    Rollup,
    rollup,
    visible_node,
)
from reports.exporters.rollup_xlsx import rollup_workbook
from reports.exporters.rollup_years import figure_series
from reports.models import FIRST_YEAR
from reports.tables import NA, CellValue

CHART_YEARS = 10


def parse_statuses(text: str) -> tuple[str, tuple[str, ...]]:
    """``approved`` or ``approved,submitted`` → (choice, statuses)."""
    given = {part.strip() for part in text.split(",") if part.strip()}
    for choice, statuses in STATUS_CHOICES.items():
        if given == set(statuses):
            return choice, statuses
    raise CommandError(
        f"--statuses 只能是 approved（仅已通过）或 approved,submitted"
        f"（已提交和已通过），而不是“{text}”。"
    )


def json_number(value: CellValue) -> int | float | str | None:
    if isinstance(value, Decimal):
        whole, denominator = value.as_integer_ratio()
        return whole if denominator == 1 else float(value)
    return "/" if value is NA else None


def part_json(result: Rollup, part: Part) -> dict[str, Any]:
    def cells(key: str) -> dict[str, Any]:
        return {
            code: json_number(value)
            for code, value in part.values.get(key, {}).items()
            if value is not None
        }

    return {
        "agency": result.node.code,
        "year": result.year,
        "format": part.table_format.code,
        "statuses": list(result.statuses),
        "included": part.report_count,
        "missing": [m.code for m in result.missing],
        "not_approved": [m.code for m in result.not_approved],
        "cells": cells(TOTAL),
        "columns": {
            column.code: cells(column.key)
            for column in part.columns
            if column.key != TOTAL
        },
        "findings": [f.as_dict() for f in part.findings.get(TOTAL, [])],
    }


class Command(BaseCommand):
    help = "汇总一个机关及其下级机关某年度的统计数（与后台“汇总表”相同）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agency", required=True, help="机关代码")
        parser.add_argument("--year", required=True, help="报告年度")
        parser.add_argument(
            "--statuses",
            default="approved",
            help="汇总哪些报告：approved（默认，仅已通过）或 approved,submitted",
        )
        parser.add_argument("--format", help="只输出此格式的汇总（一年有两种格式时）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")
        parser.add_argument("-o", "--output", help="写入 XLSX 文件（含图表）")
        parser.add_argument("--user", help="按此用户的范围汇总（默认：不限）")

    def handle(self, *args: Any, **options: Any) -> None:
        year = self._year(options["year"])
        choice, statuses = parse_statuses(options["statuses"])
        node = self._node(options["agency"], options.get("user"))
        result = rollup(node=node, year=year, statuses=statuses)
        parts = result.parts
        if options.get("format"):
            parts = [p for p in parts if p.table_format.code == options["format"]]
            if not parts:
                found = "、".join(p.table_format.code for p in result.parts)
                raise CommandError(
                    f"该年度汇总中没有格式 {options['format']}（有：{found}）。"
                )
        if options.get("output"):
            self._write(options["output"], result, year)
        if options["json"]:
            if len(parts) > 1:
                found = "、".join(p.table_format.code for p in parts)
                raise CommandError(
                    f"该年度有 {found} 两种格式的报告，请用 --format 指定其一。"
                )
            payload = part_json(result, parts[0])
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self._text(result, parts, STATUS_LABELS[choice])

    def _year(self, text: str) -> int:
        if not text.strip().isdigit() or not FIRST_YEAR <= int(text) <= 9999:
            raise CommandError(
                f"报告年度应为 {FIRST_YEAR} 年以后的年份，而不是“{text}”。"
            )
        return int(text)

    def _node(self, code: str, username: str | None) -> Agency:
        agency_id = (
            Agency.objects.filter(code=code).values_list("pk", flat=True).first()
        )
        user = None
        if username:
            user = (
                get_user_model()
                .objects.filter(username=username, is_active=True)
                .first()
            )
            if user is None:
                raise CommandError(f"没有名为 {username} 的有效用户。")
        node = visible_node(user, agency_id) if agency_id is not None else None
        if node is None:
            # The same answer for an unknown agency and one outside the scope.
            raise CommandError(f"没有找到代码为 {code} 的机关，或无权汇总。")
        return node

    def _write(self, name: str, result: Rollup, year: int) -> None:
        years = range(max(FIRST_YEAR, year - CHART_YEARS + 1), year + 1)
        data = rollup_workbook(
            rollup=result, series=figure_series(result.node, years, result.statuses)
        )
        try:
            Path(name).write_bytes(data)
        except OSError as exc:
            raise CommandError(f"无法写入 {name}：{exc.strerror or exc}") from None
        self.stderr.write(f"已写入 {name}")

    def _text(self, result: Rollup, parts: list[Part], label: str) -> None:
        out = self.stdout.write
        out(
            f"{result.node.name}（{result.node.code}）{result.year}年度汇总，{label}："
            f"纳入 {result.included} 份，未纳入 {len(result.missing)} 个机关，"
            f"已纳入但尚未审核通过 {len(result.not_approved)} 个。"
        )
        for member in result.missing:
            out(f"  未纳入：{member.code} {member.name}（{member.status_label}）")
        for member in result.not_approved:
            out(f"  尚未审核通过：{member.code} {member.name}（{member.status_label}）")
        for part in parts:
            cells = part.table_format.cells
            out(f"\n{part.table_format.name}：{part.report_count} 份")
            for code, value in part.totals.items():
                if code in cells and value is not None:
                    out(f"  {code}\t{cells[code].display_name}\t{value}")
            for finding in part.findings.get(TOTAL, []):
                out(f"  [{finding.severity}] {finding.rule}: {finding.message}")
