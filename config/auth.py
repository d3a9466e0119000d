"""Login throttling: django-axes's backend, for logins that come with a request."""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses a login while django-axes has its user name or address locked.

    Every login over the web carries its request (the admin's login form
    passes it), and is checked. ``authenticate()`` without a request is code
    run on the server (a shell, a management command, a test's
    ``Client.login``): there is no address to throttle, so this backend
    stands aside and the model backend decides, where django-axes's own
    backend would raise.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


USERNAME_LIMIT = 150  # Django's user names; django-axes stores at most 255


def throttled_username(request: HttpRequest | None, credentials: dict) -> str:
    """The user name django-axes records and locks: as typed, cut to the
    longest a user name can be (a 300-character name would overflow its column
    on PostgreSQL and answer 500)."""
    return str((credentials or {}).get("username") or "")[:USERNAME_LIMIT]
