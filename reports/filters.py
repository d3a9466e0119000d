"""List filters of the report changelist: none offers more than 200 choices and
none queries the database for its choices."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from reports.services import allowed_years
from reports.tables import FORMATS


class YearFilter(admin.SimpleListFilter):
    title = _("报告年度")
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(y), f"{y}年度") for y in reversed(allowed_years())]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(year=int(value))
        return queryset


class FormatFilter(admin.SimpleListFilter):
    title = _("统计表格式")
    parameter_name = "format"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(code, f.name) for code, f in FORMATS.items()]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in FORMATS:
            return queryset.filter(format=self.value())
        return queryset


class _CountFilter(admin.SimpleListFilter):
    field_name = ""

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", _("有")), ("no", _("无"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(**{f"{self.field_name}__gt": 0})
        if self.value() == "no":
            return queryset.filter(**{self.field_name: 0})
        return queryset


class HasMissingFilter(_CountFilter):
    title = _("缺项")
    parameter_name = "has_missing"
    field_name = "missing_count"


class HasErrorsFilter(_CountFilter):
    title = _("错误")
    parameter_name = "has_errors"
    field_name = "error_count"
