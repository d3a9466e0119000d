"""Who a command acts as: ``--user USERNAME``, or the system actor.

Every write is recorded with its actor; a command is never anonymous.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.management.base import CommandError, CommandParser

from reports.services import system_actor


def add_user_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--user",
        help="以此用户的身份和权限执行（默认：系统，记入修改记录）",
    )


def command_actor(options: dict[str, Any]) -> AbstractBaseUser:
    username = options.get("user")
    if not username:
        return system_actor()
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"没有名为 {username} 的有效用户。")
    return user
