"""Filters of report lists: the changelist's list filters (none queries the
database for its choices) and the review queue's FilterSet. None offers more
than 200 choices."""

from datetime import date, datetime, time
from typing import Any

import django_filters
from django import forms
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Case, Q, QuerySet, When
from django.forms.utils import flatatt
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from agencies import permissions
from agencies.models import Agency, Membership
from reports.models import FIRST_YEAR, AnnualReport
from reports.services import allowed_years
from reports.services.review import TRANSITIONS
from reports.tables import FORMATS


def year_choices() -> list[tuple[str, str]]:
    """The years a report may be for, latest first."""
    return [(str(y), f"{y}年度") for y in reversed(allowed_years())]


class YearFilter(admin.SimpleListFilter):
    title = _("报告年度")
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return year_choices()

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


# --- the review queue (django-filter) ---------------------------------------

AGENCY_CHOICES = 200  # no filter offers more (docs: the performance budget)
YES_NO = [("yes", _("有")), ("no", _("无"))]


def queue_statuses() -> list[tuple[str, str]]:
    """Every status a transition of ``TRANSITIONS`` starts from or leads to,
    in the order ``AnnualReport.Status`` declares them."""
    declared = {s for t in TRANSITIONS.values() for s in (*t.sources, t.target)}
    return [(s.value, s.label) for s in AnnualReport.Status if s in declared]


def awaiting_review() -> str:
    """The queue's default status: where a clerk's submission puts a report."""
    return TRANSITIONS["submit"].target


def review_subtrees(request: HttpRequest | None) -> QuerySet[Agency]:
    """Agencies whose subtree holds reports the user reviews: each reviewer
    membership's agency and every agency below it (all, for a superuser)."""
    user = request.user if request is not None else AnonymousUser()
    q = permissions.review_q(user)
    if q is None:
        return Agency.objects.all()
    heads = Membership.objects.filter(
        user_id=user.pk, role=Membership.Role.REVIEWER
    ).values("agency_id")
    return Agency.objects.filter(q | Q(pk__in=heads))


class PlainSelect(forms.Select):
    """A select drawn in one pass. Django draws each option through a
    template, which costs about 30 ms for the agency filter's 200."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        chosen = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) in chosen else "", label)  # noqa: S308
                for key, label in self.choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            options,
        )


def _indented(agency: Agency, top: int) -> str:
    return "　" * max(agency.depth - top, 0) + agency.name


class QueueFilter(django_filters.FilterSet):
    """The review queue's filters; every value is checked by the form, and a
    malformed one is a form error, never a database error."""

    year = django_filters.ChoiceFilter(
        label=_("报告年度"), choices=year_choices, empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=queue_statuses, empty_label=_("全部")
    )
    agency = django_filters.ModelChoiceFilter(
        label=_("机关及其下级"),
        queryset=review_subtrees,
        method="filter_subtree",
        empty_label=_("全部"),
        widget=PlainSelect,
    )
    level = django_filters.ChoiceFilter(
        label=_("行政层级"),
        field_name="agency__level",
        choices=Agency.Level.choices,
        empty_label=_("全部"),
    )
    since = django_filters.DateFilter(
        label=_("提交日期不早于"),
        method="filter_since",
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[
            MinValueValidator(date(FIRST_YEAR, 1, 1)),
            MaxValueValidator(date(2999, 12, 31)),
        ],
    )
    warnings = django_filters.ChoiceFilter(
        label=_("提示"),
        choices=YES_NO,
        method="filter_warnings",
        empty_label=_("全部"),
    )

    class Meta:
        model = AnnualReport
        fields: list[str] = []

    @property
    def form(self) -> forms.Form:
        if not hasattr(self, "_form"):
            form = super().form
            form.fields["agency"].widget.choices = self.agency_choices()
        return self._form

    def agency_choices(self) -> list[tuple[str, str]]:
        """At most ``AGENCY_CHOICES`` agencies of the review scope, those with
        agencies below them first, shallowest first; and the chosen one."""
        scope = review_subtrees(self.request)
        shown = list(
            scope.annotate(leaf=Case(When(numchild=0, then=1), default=0))
            .order_by("leaf", "depth", "path")
            .only("pk", "name", "path", "depth")[:AGENCY_CHOICES]
        )
        chosen = str(self.data.get("agency", ""))
        if chosen.isascii() and chosen.isdigit() and len(chosen) < 19:
            if all(str(a.pk) != chosen for a in shown):
                found = list(scope.filter(pk=int(chosen)).only("name", "path", "depth"))
                shown = shown[: AGENCY_CHOICES - len(found)] + found
        shown.sort(key=lambda a: a.path)
        top = min((a.depth for a in shown), default=1)
        return [("", str(_("全部"))), *((str(a.pk), _indented(a, top)) for a in shown)]

    def filter_subtree(
        self, queryset: QuerySet, name: str, value: Agency | None
    ) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(agency__path__startswith=value.path)

    def filter_since(
        self, queryset: QuerySet, name: str, value: date | None
    ) -> QuerySet:
        if value is None:
            return queryset
        start = timezone.make_aware(datetime.combine(value, time.min))
        return queryset.filter(submitted_at__gte=start)

    def filter_warnings(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "yes":
            return queryset.filter(warning_count__gt=0)
        if value == "no":
            return queryset.filter(warning_count=0)
        return queryset
