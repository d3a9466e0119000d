"""Settings for the test suite (pyproject's DJANGO_SETTINGS_MODULE).

The suite runs with the development environment, DEBUG=1, as ``make run``
does: no HTTPS redirect, plain cookies and static files without a manifest.
Django's test runner still turns settings.DEBUG off while tests run. The
production settings are tested apart, in subprocesses with DEBUG unset
(tests/config/test_production.py).
"""

import os

os.environ.setdefault("DEBUG", "1")

from config.settings import *  # noqa: E402, F403
