"""Logins, failed logins, and changes of agencies and memberships.

Agencies and memberships are recorded from their model signals, so that every
path (the services, the admin's forms, the tree's drag-and-drop move, a
cascade) is covered by one receiver each; the user and address are those of
the request being served (none in a command).
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest

from agencies.models import Agency, Membership
from audit.services import Kind, audit_record


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(
    sender: type, request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any
) -> None:
    audit_record(
        kind=Kind.LOGIN,
        user=user,
        request=request,
        action="login",
        summary=f"{user.get_username()} 登录",
    )


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(
    sender: str,
    credentials: dict[str, Any],
    request: HttpRequest | None = None,
    **kwargs: Any,
) -> None:
    # The credentials arrive with the password already masked by Django.
    username = str(credentials.get(get_user_model().USERNAME_FIELD) or "")
    audit_record(
        kind=Kind.LOGIN_FAILED,
        request=request,
        username=username,
        action="login_failed",
        summary=f"登录失败：用户名“{username[:150]}”",
    )


@receiver(post_save, sender=Agency, dispatch_uid="audit_agency_saved")
def _agency_saved(
    sender: type, instance: Agency, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw:  # loaddata
        return
    verb = "新建" if created else "修改"
    audit_record(
        kind=Kind.AGENCY,
        agency=instance,
        action="created" if created else "changed",
        summary=f"{verb}机关「{instance.name}」（代码 {instance.code}）",
        detail={"code": instance.code, "path": instance.path},
    )


@receiver(post_delete, sender=Agency, dispatch_uid="audit_agency_deleted")
def _agency_deleted(sender: type, instance: Agency, **kwargs: Any) -> None:
    audit_record(
        kind=Kind.AGENCY,
        agency=instance,
        live=False,
        action="deleted",
        summary=f"删除机关「{instance.name}」（代码 {instance.code}）",
        detail={"code": instance.code, "path": instance.path},
    )


def _membership_text(membership: Membership, agency: Agency | None) -> str:
    user = get_user_model().objects.filter(pk=membership.user_id).first()
    who = user.get_username() if user else f"用户 #{membership.user_id}"
    where = agency.name if agency else f"机关 #{membership.agency_id}"
    return f"{who} 在「{where}」的角色“{membership.get_role_display()}”"


@receiver(post_save, sender=Membership, dispatch_uid="audit_membership_saved")
def _membership_saved(
    sender: type, instance: Membership, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    agency = Agency.objects.filter(pk=instance.agency_id).first()
    audit_record(
        kind=Kind.MEMBERSHIP,
        agency=agency,
        action="created" if created else "changed",
        summary=("添加" if created else "修改")
        + f"：{_membership_text(instance, agency)}",
        detail={"user_id": instance.user_id, "role": instance.role},
    )


@receiver(post_delete, sender=Membership, dispatch_uid="audit_membership_deleted")
def _membership_deleted(sender: type, instance: Membership, **kwargs: Any) -> None:
    # The agency may be deleted in the same cascade: kept by name and path.
    agency = Agency.objects.filter(pk=instance.agency_id).first()
    audit_record(
        kind=Kind.MEMBERSHIP,
        agency=agency,
        live=False,
        action="deleted",
        summary=f"删除：{_membership_text(instance, agency)}",
        detail={"user_id": instance.user_id, "role": instance.role},
    )
