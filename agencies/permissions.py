"""Which agencies a user may see, file for and review: the one place.

A user's scope is the union of the subtrees of their memberships' agencies;
superusers see everything. Clerks file for their agencies' subtrees; reviewers
review the reports of the agencies strictly below theirs (nobody approves their
own agency's report). Every admin, export, autocomplete and command asks here.
"""

from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from agencies.models import Agency, Membership

User = AbstractBaseUser | AnonymousUser

_CACHE_ATTR = "_nianbao_membership_paths"


def _membership_paths(user: User) -> list[tuple[str, str]]:
    """(role, agency path) of each membership, read once per user object."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user_id=user.pk).values_list(
                "role", "agency__path"
            )
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def _prefix_q(paths: Iterable[str], field: str, *, strict: bool = False) -> Q:
    """Q matching every agency whose path starts with one of ``paths``."""
    lookup = f"{field}path__startswith" if field else "path__startswith"
    exact = f"{field}path" if field else "path"
    q = Q(pk__in=[])
    for path in _outermost(paths):
        part = Q(**{lookup: path})
        if strict:
            part &= ~Q(**{exact: path})
        q |= part
    return q


def _outermost(paths: Iterable[str]) -> list[str]:
    """Drop paths that lie inside another path of the list."""
    result: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(kept) for kept in result):
            result.append(path)
    return result


def _is_unrestricted(user: User) -> bool:
    return bool(user.is_active and user.is_superuser)


def _role_q(user: User, field: str, role: str | None, strict: bool = False) -> Q | None:
    if _is_unrestricted(user):
        return None
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    paths = (p for held, p in _membership_paths(user) if role is None or held == role)
    return _prefix_q(paths, field, strict=strict)


def scope_q(user: User, field: str = "") -> Q | None:
    """Q limiting agencies (or rows whose ``field`` is an agency) to the scope.

    ``field`` is the lookup prefix of the agency relation, such as
    ``"agency__"``; ``None`` means no restriction (a superuser).
    """
    return _role_q(user, field, role=None)


def filing_q(user: User, field: str = "") -> Q | None:
    """Agencies the user may file reports for: their clerk subtrees."""
    return _role_q(user, field, role=Membership.Role.CLERK)


def review_q(user: User, field: str = "") -> Q | None:
    """Agencies whose reports the user may review: strictly below a reviewer's."""
    return _role_q(user, field, role=Membership.Role.REVIEWER, strict=True)


def _apply(qs: QuerySet, q: Q | None) -> QuerySet:
    return qs if q is None else qs.filter(q)


def visible_agencies(user: User) -> QuerySet[Agency]:
    return _apply(Agency.objects.all(), scope_q(user))


def filing_agencies(user: User) -> QuerySet[Agency]:
    return _apply(Agency.objects.all(), filing_q(user))


def reviewable_agencies(user: User) -> QuerySet[Agency]:
    return _apply(Agency.objects.all(), review_q(user))


def scope_roots(user: User) -> QuerySet[Agency]:
    """The top agencies of the user's scope: where their tree view starts."""
    if _is_unrestricted(user):
        return Agency.objects.get_root_nodes()
    paths = _outermost(path for _role, path in _membership_paths(user))
    return Agency.objects.filter(path__in=paths).order_by("path")


def _holds(
    user: User, agency: Agency | None, *, role: str | None, strict: bool = False
) -> bool:
    """Whether a membership (of ``role``, or any) covers ``agency``."""
    if _is_unrestricted(user):
        return True
    if agency is None or not user.is_authenticated or not user.is_active:
        return False
    return any(
        agency.path.startswith(path) and not (strict and agency.path == path)
        for held, path in _membership_paths(user)
        if role is None or held == role
    )


def can_see(user: User, agency: Agency | None) -> bool:
    return _holds(user, agency, role=None)


def can_file(user: User, agency: Agency | None) -> bool:
    return _holds(user, agency, role=Membership.Role.CLERK)


def can_review(user: User, agency: Agency | None) -> bool:
    return _holds(user, agency, role=Membership.Role.REVIEWER, strict=True)


def can_place_under(user: User, parent: Agency | None) -> bool:
    """Whether the user may put an agency directly below ``parent``.

    ``None`` stands for the top of the tree. New and moved agencies stay
    inside the user's scope, so their parent must be in it; only a superuser
    makes or moves roots.
    """
    if _is_unrestricted(user):
        return True
    return parent is not None and can_see(user, parent)
