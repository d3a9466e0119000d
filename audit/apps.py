from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "audit"
    verbose_name = _("审计日志")

    def ready(self) -> None:
        from audit import signals  # noqa: F401  (connects the receivers)
