from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "agencies"
    verbose_name = _("机关与人员")

    def ready(self) -> None:
        # Django 6.1's empty choice of every select ("- Select an option -")
        # has no Chinese translation; Django lets an app's ready() replace it.
        from django.db.models import fields

        fields.BLANK_CHOICE_LABEL = _("请选择")
