"""Reviewers (审核人) may read the audit trail of their scope."""

from django.db import migrations

from agencies.migrations import _permissions

REVIEWER = "审核人"


def fill(apps, schema_editor) -> None:
    _permissions.ensure_permissions(apps, "audit")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=REVIEWER)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="audit", codename="view_auditevent"
        )
    )


def unfill(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=REVIEWER):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="audit")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("agencies", "0002_fill_groups"),
    ]

    operations = [migrations.RunPython(fill, unfill)]
