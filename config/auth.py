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
