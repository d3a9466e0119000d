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

        # Every app's admin module is loaded by now (django.contrib.admin is
        # installed first); no admin, ours or a library's, may answer 500.
        from django.contrib import admin

        from agencies.admin import harden_admin_site

        harden_admin_site(admin.site)
