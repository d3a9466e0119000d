"""The fourth persona of the agency tests: a clerk of a sibling agency."""

import pytest
from django.contrib.auth.models import AbstractUser, Permission

from agencies.models import Agency
from tests.conftest import World
from tests.factories import make_agency, make_member


@pytest.fixture
def sibling_agency(world: World) -> Agency:
    """吉林市统计局船营分局: 龙潭分局's sibling under 吉林市统计局."""
    return make_agency(
        parent=world.city_bureau, name="吉林市统计局船营分局", code="t-jl-cy"
    )


@pytest.fixture
def sibling(sibling_agency: Agency) -> AbstractUser:
    """Clerk of 船营分局: sees neither 龙潭分局 nor 吉林市统计局."""
    return make_member(agency=sibling_agency, username="sibling")


def grant(user: AbstractUser, *codenames: str) -> AbstractUser:
    """``user`` with extra model permissions, re-read so they take effect."""
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return type(user).objects.get(pk=user.pk)
