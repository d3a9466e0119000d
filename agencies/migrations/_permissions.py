"""Shared by data migrations: make model permissions exist mid-migrate."""

from django.contrib.auth.management import create_permissions


def ensure_permissions(apps, app_label: str) -> None:
    """Permissions are normally created after migrate; create them now."""
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
