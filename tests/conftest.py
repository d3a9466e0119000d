"""Shared fixtures: the three personas of every permission test."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AbstractUser, Group

from agencies.models import Agency, Membership
from tests.factories import make_agency, make_member, restore_data_migrations


@dataclass
class World:
    """吉林省 → 吉林市统计局 → 龙潭分局, and 湖南省 → 湖南省统计局 apart."""

    province: Agency
    city_bureau: Agency
    district: Agency
    other_province: Agency
    other_bureau: Agency
    clerk: AbstractUser  # clerk of the leaf 龙潭分局
    reviewer: AbstractUser  # reviewer of its ancestor 吉林市统计局
    outsider: AbstractUser  # clerk of 湖南省统计局, another subtree


@pytest.fixture
def world(db: None) -> World:
    if not Group.objects.filter(name__in=["填报人", "审核人"]).count() == 2:
        # A transactional test's flush (of an earlier test) removed the rows
        # that the data migrations made.
        restore_data_migrations()
    province = make_agency(
        name="吉林省人民政府",
        code="t-jl",
        kind=Agency.Kind.GOVERNMENT,
        level=Agency.Level.PROVINCE,
    )
    city_bureau = make_agency(parent=province, name="吉林市统计局", code="t-jl-tjj")
    district = make_agency(
        parent=city_bureau,
        name="吉林市统计局龙潭分局",
        code="t-jl-lt",
        kind=Agency.Kind.DISPATCHED,
        level=Agency.Level.COUNTY,
    )
    other_province = make_agency(
        name="湖南省人民政府",
        code="t-hn",
        kind=Agency.Kind.GOVERNMENT,
        level=Agency.Level.PROVINCE,
    )
    other_bureau = make_agency(
        parent=other_province, name="湖南省统计局", code="t-hn-tjj"
    )
    return World(
        province=province,
        city_bureau=city_bureau,
        district=district,
        other_province=other_province,
        other_bureau=other_bureau,
        clerk=make_member(agency=district, username="clerk"),
        reviewer=make_member(
            agency=city_bureau, role=Membership.Role.REVIEWER, username="reviewer"
        ),
        outsider=make_member(agency=other_bureau, username="outsider"),
    )


@pytest.fixture(autouse=True)
def fast_password_hasher(settings: object) -> None:
    """Real hashing costs ~0.2 s a user; tests check access, not the hash."""
    settings.PASSWORD_HASHERS = [  # type: ignore[attr-defined]
        "django.contrib.auth.hashers.MD5PasswordHasher"
    ]


@pytest.fixture(autouse=True)
def media_in_tmp(settings: object, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Uploads, kept originals and import previews go to a throw-away folder,
    never into the project's media/."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))  # type: ignore[attr-defined]
