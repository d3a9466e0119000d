"""Build the demo hierarchy and demo users; running it again changes nothing."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from agencies.demo import TREE, USERS, DemoAgency
from agencies.models import Agency, Membership
from agencies.services import agency_ensure, membership_ensure, user_ensure


class Command(BaseCommand):
    help = "载入演示用的机关层级和演示用户（可重复运行）。"

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            created = sum(self._ensure_tree(node, parent=None) for node in TREE)
            new_users = self._ensure_users()
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
