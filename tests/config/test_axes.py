"""Login throttling (django-axes): five wrong passwords lock the user name and
the address for NIANBAO_LOGIN_LOCKOUT_MINUTES; the page says so in Chinese."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD, client_for, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


def attempt(
    username: str, password: str, *, address: str = "192.0.2.10"
) -> tuple[Client, int, str]:
    client = Client(REMOTE_ADDR=address)
    response = client.post(LOGIN, {"username": username, "password": password})
    return client, response.status_code, response.content.decode()


def logged_in(client: Client) -> bool:
    return client.get("/admin/").status_code == 200


@pytest.fixture
def clerk() -> AbstractUser:
    return make_user(username="clerk-axes")


def test_ten_wrong_passwords_then_the_right_one_is_refused(clerk: AbstractUser) -> None:
    for _ in range(10):
        _, status, _ = attempt(clerk.username, "wrong-password")
        assert status in {200, 429}

    client, status, page = attempt(clerk.username, PASSWORD)

    assert status == 429
    assert "登录失败次数过多" in page
    assert "15 分钟后再试" in page
    assert not logged_in(client)


def test_the_lock_comes_at_the_configured_limit(clerk: AbstractUser) -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        _, status, page = attempt(clerk.username, "wrong-password")
        assert status == 200  # the login form again, with its error
    _, status, _ = attempt(clerk.username, "wrong-password")
    assert status == 429


def test_the_user_name_is_locked_from_another_address_too(clerk: AbstractUser) -> None:
    for _ in range(5):
        attempt(clerk.username, "wrong-password", address="192.0.2.10")

    client, status, _ = attempt(clerk.username, PASSWORD, address="198.51.100.7")

    assert status == 429
    assert not logged_in(client)


def test_the_address_is_locked_for_other_user_names_too(clerk: AbstractUser) -> None:
    for n in range(5):
        attempt(f"guess{n}", "wrong-password", address="192.0.2.10")

    client, status, _ = attempt(clerk.username, PASSWORD, address="192.0.2.10")
    assert status == 429
    assert not logged_in(client)

    other, status, _ = attempt(clerk.username, PASSWORD, address="198.51.100.7")
    assert status == 302
    assert logged_in(other)


def test_after_the_cool_off_the_right_password_works(clerk: AbstractUser) -> None:
    for _ in range(10):
        attempt(clerk.username, "wrong-password")
    assert attempt(clerk.username, PASSWORD)[1] == 429

    AccessAttempt.objects.update(
        attempt_time=timezone.now()
        - timedelta(minutes=settings.NIANBAO_LOGIN_LOCKOUT_MINUTES, seconds=1)
    )
    client, status, _ = attempt(clerk.username, PASSWORD)

    assert status == 302
    assert logged_in(client)


def test_a_success_before_the_limit_starts_the_count_again(clerk: AbstractUser) -> None:
    for _ in range(4):
        attempt(clerk.username, "wrong-password")
    assert attempt(clerk.username, PASSWORD)[1] == 302

    for _ in range(4):
        _, status, _ = attempt(clerk.username, "wrong-password")
        assert status == 200


def test_client_for_logs_in_through_a_request_axes_sees(clerk: AbstractUser) -> None:
    for _ in range(5):
        attempt(clerk.username, "wrong-password", address="127.0.0.1")

    with pytest.raises(AssertionError, match="could not log in"):
        client_for(clerk)

    AccessAttempt.objects.all().delete()
    assert logged_in(client_for(clerk))


def test_an_overlong_user_name_is_refused_not_a_server_error(db: None) -> None:
    from django.test import Client

    response = Client().post(
        "/admin/login/", {"username": "x" * 300, "password": "y", "next": "/admin/"}
    )
    assert response.status_code == 200  # the login form again, with its message
