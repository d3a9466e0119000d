"""Create the groups 填报人 (clerk) and 审核人 (reviewer) with their permissions.

Later apps add their own model permissions to these groups in their own data
migrations (see reports' fill_group_permissions).
"""

from django.db import migrations

from agencies.migrations._permissions import ensure_permissions

CLERK = "填报人"
REVIEWER = "审核人"
PERMISSIONS = {
    CLERK: ["view_agency", "view_membership"],
    REVIEWER: ["view_agency", "view_membership"],
}


def fill_groups(apps, schema_editor) -> None:
    ensure_permissions(apps, "agencies")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="agencies", codename__in=codenames
            )
        )


def remove_groups(apps, schema_editor) -> None:
    apps.get_model("auth", "Group").objects.filter(name__in=PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(fill_groups, remove_groups)]
