"""Write operations on agencies and memberships."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.db import transaction

from agencies.models import Agency, Membership

GROUP_OF_ROLE = {
    Membership.Role.CLERK: "填报人",
    Membership.Role.REVIEWER: "审核人",
}


@transaction.atomic
def agency_ensure(
    *,
    parent: Agency | None,
    code: str,
    name: str,
    kind: str,
    level: str,
    short_name: str = "",
) -> tuple[Agency, bool]:
    """The agency with ``code``, created under ``parent`` if it does not exist.

    An existing agency is returned as it is (moved or renamed by an
    administrator, it stays so).
    """
    existing = Agency.objects.filter(code=code).first()
    if existing is not None:
        return existing, False
    fields = {
        "code": code,
        "name": name,
        "short_name": short_name,
        "kind": kind,
        "level": level,
    }
    if parent is None:
        return Agency.objects.add_root(fields), True
    parent.refresh_from_db()  # treebeard needs the parent's current numchild
    return Agency.objects.add_child(parent, fields), True


@transaction.atomic
def membership_ensure(*, user: AbstractUser, agency: Agency, role: str) -> Membership:
    """Give ``user`` the ``role`` at ``agency`` and the matching group."""
    membership, _ = Membership.objects.get_or_create(
        user=user, agency=agency, role=role
    )
    user.groups.add(Group.objects.get(name=GROUP_OF_ROLE[Membership.Role(role)]))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return membership


def user_ensure(
    *, username: str, password: str, superuser: bool = False
) -> tuple[AbstractUser, bool]:
    """The user ``username``; created with ``password`` if missing."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, False
    if superuser:
        return User.objects.create_superuser(username=username, password=password), True
    return User.objects.create_user(
        username=username, password=password, is_staff=True
    ), True
