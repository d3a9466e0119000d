"""Derive every user's role groups from their memberships.

Until now a membership added in the admin gave a scope but no group, so no
permissions; and a user could sit in a role group without a membership. From
here on Membership.role is the only source (``agencies.services.user_groups_sync``
keeps it so); this brings the existing users in line once.
"""

from django.conf import settings
from django.db import migrations

GROUP_OF_ROLE = {"clerk": "填报人", "reviewer": "审核人"}


def sync_role_groups(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    Membership = apps.get_model("agencies", "Membership")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    groups = {g.name: g for g in Group.objects.filter(name__in=GROUP_OF_ROLE.values())}
    if len(groups) != len(GROUP_OF_ROLE):
        return  # nothing to sync into (a database emptied by a test run)
    Through = User.groups.through
    role_group_ids = [g.pk for g in groups.values()]
    wanted = {
        (user_id, groups[GROUP_OF_ROLE[role]].pk)
        for user_id, role in Membership.objects.values_list("user_id", "role")
    }
    held = set(
        Through.objects.filter(group_id__in=role_group_ids).values_list(
            "user_id", "group_id"
        )
    )
    for user_id, group_id in held - wanted:
        Through.objects.filter(user_id=user_id, group_id=group_id).delete()
    Through.objects.bulk_create(
        [Through(user_id=u, group_id=g) for u, g in sorted(wanted - held)]
    )
    member_ids = {user_id for user_id, _group in wanted}
    User.objects.filter(pk__in=member_ids, is_staff=False).update(is_staff=True)


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0002_fill_groups"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
