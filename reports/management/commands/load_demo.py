"""Build the demo hierarchy, the demo users and the seed reports.

Running it again changes nothing: existing agencies, users and reports are
left as they are.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from agencies.demo import TREE, USERS, DemoAgency
from agencies.models import Agency, Membership
from agencies.services import agency_ensure, membership_ensure, user_ensure
from reports.demo import SEED_REPORTS, SEEDS
from reports.importers.text import parse_report_text
from reports.models import AnnualReport
from reports.services import (
    report_fill_from_import,
    report_for_import,
    system_actor,
)


class Command(BaseCommand):
    help = "载入演示用的机关层级、演示用户和种子报告（可重复运行）。"

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            created = sum(self._ensure_tree(node, parent=None) for node in TREE)
            new_users = self._ensure_users()
            self._import_seeds()
        self.stdout.write(f"机关：新建 {created} 个，共 {Agency.objects.count()} 个。")
        self.stdout.write(f"用户：新建 {new_users} 个。演示账号：")
        for demo in USERS:
            self.stdout.write(
                f"  {demo.username:<16} 密码 {demo.password:<16} {demo.description}"
            )

    def _ensure_tree(self, node: DemoAgency, parent: Agency | None) -> int:
        agency, created = agency_ensure(
            parent=parent,
            code=node.code,
            name=node.name,
            short_name=node.short_name,
            kind=node.kind,
            level=node.level,
        )
        return int(created) + sum(
            self._ensure_tree(child, parent=agency) for child in node.children
        )

    def _ensure_users(self) -> int:
        created_count = 0
        for demo in USERS:
            user, created = user_ensure(
                username=demo.username,
                password=demo.password,
                superuser=demo.superuser,
            )
            created_count += int(created)
            if demo.agency_code and demo.role:
                membership_ensure(
                    user=user,
                    agency=Agency.objects.get(code=demo.agency_code),
                    role=Membership.Role(demo.role),
                )
        return created_count

    def _import_seeds(self) -> None:
        """The seed texts, through the text importer, as drafts."""
        for seed in SEED_REPORTS:
            text = (SEEDS / seed.file).read_text(encoding="utf-8")
            preview = parse_report_text(text)
            if not preview.is_report:
                self.stdout.write(
                    f"种子 {seed.note}：未导入，{preview.not_report_reason}"
                )
                continue
            agency = Agency.objects.get(code=seed.agency_code)
            year = preview.year
            if AnnualReport.objects.filter(agency=agency, year=year).exists():
                continue
            report = report_for_import(
                agency=agency,
                year=year,
                user=system_actor(),
                source=AnnualReport.Source.TEXT,
            )
            saved = report_fill_from_import(
                report=report,
                user=system_actor(),
                expected_version=report.version,
                imported=parse_report_text(
                    text, table_format=report.table_format, year=year
                ),
                source=AnnualReport.Source.TEXT,
                source_text=text,
            )
            stored = saved.report
            self.stdout.write(
                f"种子 {seed.note}：已导入为 {agency.name} {year} 年度报告草稿"
                f"（缺项 {stored.missing_count}，错误 {stored.error_count}，"
                f"提示 {stored.warning_count}）。"
            )
