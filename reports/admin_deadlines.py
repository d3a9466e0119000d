"""Each year's due dates (报送截止日期), set by administrators only.

Years without a row use the defaults of ``reports.deadlines``; the
completeness board reads whichever applies.
"""

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from agencies.admin import SafeActionsMixin
from reports.deadlines import default_dues
from reports.models import FIRST_YEAR, Deadline
from reports.services import allowed_years


class DeadlineForm(forms.ModelForm):
    class Meta:
        model = Deadline
        fields = ["year", "government_due", "department_due"]

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        years = allowed_years()
        if year not in years and year != years.stop:  # next year may be set ahead
            raise forms.ValidationError(
                _("报告年度须在 %(first)d–%(last)d 之间。")
                % {"first": FIRST_YEAR, "last": years.stop}
            )
        return year

    def clean(self) -> dict:
        cleaned = super().clean()
        year = cleaned.get("year")
        for name in ("government_due", "department_due"):
            due = cleaned.get(name)
            if year is not None and due is not None and due.year <= year:
                self.add_error(name, _("截止日期应在报告年度之后。"))
        return cleaned


@admin.register(Deadline)
class DeadlineAdmin(SafeActionsMixin, admin.ModelAdmin):
    form = DeadlineForm
    list_display = ["year", "government_due", "department_due", "defaults"]
    ordering = ["-year"]

    @admin.display(description=_("未设定时的默认日期"))
    def defaults(self, deadline: Deadline) -> str:
        try:
            dues = default_dues(deadline.year)
        except KeyError:  # a year no table format covers
            return "—"
        return f"人民政府 {dues.government:%Y-%m-%d}，其他 {dues.others:%Y-%m-%d}"

    # Deadlines bind every agency: administrators (superusers) only.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(
        self, request: HttpRequest, obj: Deadline | None = None
    ) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(
        self, request: HttpRequest, obj: Deadline | None = None
    ) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(
        self, request: HttpRequest, obj: Deadline | None = None
    ) -> bool:
        return self.has_module_permission(request)
