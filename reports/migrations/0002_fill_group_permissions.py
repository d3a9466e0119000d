"""Give the groups 填报人 and 审核人 their permissions on reports.

Clerks create and change their agencies' reports; reviewers view them and
(through the review services) change their status.
"""

from django.db import migrations

from agencies.migrations import _permissions

PERMISSIONS = {
    "填报人": ["view_annualreport", "add_annualreport", "change_annualreport",
            "view_reportchange", "view_reviewevent"],
    "审核人": ["view_annualreport", "change_annualreport",
            "view_reportchange", "view_reviewevent"],
}  # fmt: skip


def fill(apps, schema_editor) -> None:
    _permissions.ensure_permissions(apps, "reports")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="reports", codename__in=codenames
            )
        )


def unfill(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=PERMISSIONS):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="reports")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("agencies", "0002_fill_groups"),
    ]

    operations = [migrations.RunPython(fill, unfill)]
