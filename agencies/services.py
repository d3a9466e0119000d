"""Write operations on agencies and memberships.

A user's role groups (填报人, 审核人) follow from their memberships and from
nothing else: ``user_groups_sync`` derives them, and every write of a
membership (here, in the admin, in data migrations) ends by calling it.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.db import transaction
from django.db.models import Q

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
def agencies_delete(*, agencies: Iterable[Agency]) -> None:
    """Delete agencies with everything below them; their members' groups follow."""
    agencies = list(agencies)
    below = Q(pk__in=[])
    for agency in agencies:
        below |= Q(memberships__agency__path__startswith=agency.path)
    users = list(get_user_model().objects.filter(below).distinct())
    Agency.objects.filter(pk__in=[a.pk for a in agencies]).delete()
    for user in users:
        user_groups_sync(user=user)


@transaction.atomic
def membership_save(*, membership: Membership) -> Membership:
    """Save a new or changed membership; its user's role groups follow.

    A membership handed from one user to another takes the role from the
    first user's groups too.
    """
    before = (
        Membership.objects.filter(pk=membership.pk)
        .values_list("user_id", flat=True)
        .first()
    )
    membership.save()
    user_groups_sync(user=membership.user)
    if before is not None and before != membership.user_id:
        user_groups_sync(user=get_user_model().objects.get(pk=before))
    return membership


@transaction.atomic
def memberships_delete(*, memberships: Iterable[Membership]) -> None:
    """Delete memberships; their users lose the roles they no longer hold."""
    memberships = list(memberships)
    users = {m.user_id: m.user for m in memberships}
    Membership.objects.filter(pk__in=[m.pk for m in memberships]).delete()
    for user in users.values():
        user_groups_sync(user=user)


@transaction.atomic
def membership_ensure(*, user: AbstractUser, agency: Agency, role: str) -> Membership:
    """Give ``user`` the ``role`` at ``agency`` and the matching group."""
    membership, _ = Membership.objects.get_or_create(
        user=user, agency=agency, role=role
    )
    user_groups_sync(user=user)
    return membership


@transaction.atomic
def user_groups_sync(*, user: AbstractUser) -> None:
    """Put ``user`` in exactly the role groups of their memberships.

    A clerk's membership anywhere puts them in 填报人, a reviewer's in 审核人;
    without such a membership they leave the group. Other groups are left
    alone. A user who holds a membership may sign in to the admin (is_staff);
    losing the last membership leaves is_staff as it is, since without a
    role group and a scope there is nothing left to see.
    """
    roles = set(
        Membership.objects.filter(user_id=user.pk).values_list("role", flat=True)
    )
    wanted = {GROUP_OF_ROLE[Membership.Role(role)] for role in roles}
    groups = {g.name: g for g in Group.objects.filter(name__in=GROUP_OF_ROLE.values())}
    missing = wanted - groups.keys()
    if missing:  # the data migration 0002 creates them; never silently skip
        raise Group.DoesNotExist(f"缺少用户组：{'、'.join(sorted(missing))}")
    user.groups.remove(*(g for name, g in groups.items() if name not in wanted))
    user.groups.add(*(groups[name] for name in wanted))
    if roles and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


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
