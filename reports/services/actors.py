"""Who acts: every service takes a user, and the system is one too.

Commands and the demo loader act as the system actor (or as ``--user``): an
inactive account without a password, which can never log in, so no request
can carry it. It is recorded in the history as 系统.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser

SYSTEM_USERNAME = "nianbao-system"


def system_actor() -> AbstractBaseUser:
    """The system's own account, created on first use."""
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"is_active": False, "first_name": "系统"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def is_system(user: AbstractBaseUser) -> bool:
    """The system actor: services skip the scope check for it, and only it."""
    if user is None:
        raise TypeError("services need an actor: a user or system_actor()")
    return (
        user.get_username() == SYSTEM_USERNAME
        and not user.is_active
        and not user.has_usable_password()
    )


def actor(user: AbstractBaseUser) -> AbstractBaseUser | None:
    """The user to record as having acted (never an anonymous user)."""
    if user is None:
        raise TypeError("services need an actor: a user or system_actor()")
    return user if user.pk else None
