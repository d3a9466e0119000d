"""The agency hierarchy and who works for which agency.

An agency's subtree is one ``path`` prefix query (treebeard's materialised
path), on SQLite and PostgreSQL alike.
"""

from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


class Agency(MP_Node):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("人民政府")
        DEPARTMENT = "department", _("政府部门")
        DISPATCHED = "dispatched", _("派出或垂直管理机构")
        OTHER = "other", _("其他")

    class Level(models.TextChoices):
        NATIONAL = "national", _("国家")
        PROVINCE = "province", _("省")
        CITY = "city", _("市")
        COUNTY = "county", _("县")
        TOWNSHIP = "township", _("乡")

    name = models.CharField(_("全称"), max_length=200)
    short_name = models.CharField(_("简称"), max_length=100, blank=True)
    code = models.CharField(
        _("代码"),
        max_length=50,
        unique=True,
        help_text=_("机关的唯一代码，导入导出时用它识别机关。"),
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("行政层级"), max_length=20, choices=Level.choices)

    class Meta:
        verbose_name = _("机关")
        verbose_name_plural = _("机关")
        indexes = [models.Index(fields=["name"], name="agencies_agency_name_idx")]

    def __str__(self) -> str:
        return self.name

    def subtree(self) -> QuerySet["Agency"]:
        """This agency and every agency below it, in one query."""
        return Agency.objects.filter(path__startswith=self.path)


class Membership(models.Model):
    class Role(models.TextChoices):
        CLERK = "clerk", _("填报人")
        REVIEWER = "reviewer", _("审核人")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("用户"),
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("机关"),
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("成员")
        verbose_name_plural = _("成员")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"],
                name="agencies_membership_unique_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.agency} · {self.get_role_display()}"
