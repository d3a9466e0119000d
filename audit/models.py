"""The audit trail: who did what, when, from where. Rows are only ever added.

``agency_path`` and ``agency_name`` keep the agency as it was when the event
happened, so the event stays scoped (a reviewer sees the events of their
subtree) and readable after the agency is moved or deleted.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from reports.models import AnnualReport


class AuditEvent(models.Model):
    class Kind(models.TextChoices):
        LOGIN = "login", _("登录")
        LOGIN_FAILED = "login_failed", _("登录失败")
        IMPORT = "import", _("导入")
        EXPORT = "export", _("导出")
        REVIEW = "review", _("审核")
        MEMBERSHIP = "membership", _("成员变更")
        AGENCY = "agency", _("机关变更")

    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    action = models.CharField(_("操作"), max_length=40, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("用户"),
    )
    # The user name as it was (for a failed login: as typed).
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    address = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("机关"),
    )
    agency_path = models.CharField(_("机关路径"), max_length=255, blank=True)
    agency_name = models.CharField(_("机关名称"), max_length=200, blank=True)
    report = models.ForeignKey(
        AnnualReport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("年度报告"),
    )
    summary = models.CharField(_("内容"), max_length=500)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["-at"], name="audit_event_at"),
            models.Index(fields=["agency_path"], name="audit_event_agency_path"),
            models.Index(fields=["user", "-at"], name="audit_event_user_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.summary}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("审计记录只能新增，不能修改。")
        super().save(*args, **kwargs)
