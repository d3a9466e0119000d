"""The roll-up pages (汇总表): a subtree's sums for a year, their XLSX export,
and the same subtree's totals over several years.

``ReportAdmin.get_urls`` serves ``rollup/``, ``rollup/export/`` and
``rollup/years/``. Each asks for the agency by id: one outside the user's
scope answers 404 and shows nothing of it; without an agency the page starts
at the user's scope root (or lets them pick one of their roots). The sums are
read by ``reports.exporters.rollup``; this module only lays them out.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies import permissions
from agencies.models import Agency
from reports.exporters.charts import Series, bar_chart, line_chart
from reports.exporters.rollup import (
    STATUS_CHOICES,
    STATUS_LABELS,
    TOTAL,
    Column,
    Part,
    Rollup,
    rollup,
    visible_node,
)
from reports.exporters.rollup_xlsx import rollup_workbook
from reports.exporters.rollup_years import (
    MAIN_FIGURES,
    figure_series,
    figures_for,
    years_rollup,
)
from reports.filters import year_choices
from reports.models import FIRST_YEAR, AnnualReport
from reports.views.rollup_tables import part_blocks, years_blocks

MAX_ID = 2**63 - 1
MAX_NAMES = 200  # names listed on the page per list; the export has them all
CHART_YEARS = 10
CHART_SIZE = (420, 250)
STEP = Agency.steplen
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def default_year() -> int:
    """Reports are filed early in the year after the one they report."""
    return timezone.localdate().year - 1


class _ScopeForm(forms.Form):
    agency = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )
    statuses = forms.ChoiceField(
        label=gettext_lazy("汇总范围"),
        choices=list(STATUS_LABELS.items()),
        initial="approved",
    )


class RollupForm(_ScopeForm):
    year = forms.TypedChoiceField(label=gettext_lazy("报告年度"), coerce=int)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
        self.order_fields(["agency", "year", "statuses"])


class YearsForm(_ScopeForm):
    years = forms.TypedMultipleChoiceField(
        label=gettext_lazy("报告年度"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["years"].choices = year_choices()
        self.order_fields(["agency", "years", "statuses"])


def rollup_url(name: str, **params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v is not None}, doseq=True)
    return f"{reverse(f'admin:reports_annualreport_{name}')}?{query}"


@dataclass
class ColumnHead:
    column: Column
    count: int
    url: str = ""


class RollupPage:
    """One request for a roll-up page or its export."""

    def __init__(self, model_admin: ModelAdmin, request: HttpRequest) -> None:
        self.model_admin = model_admin
        self.request = request
        self.user = request.user

    # --- shared --------------------------------------------------------

    def _check(self) -> None:
        if not self.model_admin.has_view_permission(self.request):
            raise PermissionDenied

    def _data(self, defaults: dict[str, Any]) -> Any:
        data = self.request.GET.copy()
        for key, value in defaults.items():
            if key not in data:
                if isinstance(value, list):
                    data.setlist(key, [str(v) for v in value])
                else:
                    data[key] = str(value)
        return data

    def _node(self, agency_id: int | None) -> Agency | None:
        """The chosen agency (404 outside the scope), the only scope root,
        or None: the user picks among several roots."""
        if agency_id is not None:
            node = visible_node(self.user, agency_id)
            if node is None:
                raise Http404(_("没有找到该机关，或您无权访问。"))
            return node
        roots = list(self._roots()[:2])
        return roots[0] if len(roots) == 1 else None

    def _roots(self) -> Any:
        return permissions.scope_roots(self.user).order_by("path")

    def _context(self, title: str, form: forms.Form) -> dict[str, Any]:
        return {
            **self.model_admin.admin_site.each_context(self.request),
            "opts": self.model_admin.model._meta,
            "title": title,
            "form": form,
        }

    def _ancestors(self, node: Agency, name: str, **params: Any) -> list[tuple]:
        paths = [node.path[: k * STEP] for k in range(1, node.depth)]
        visible = permissions.visible_agencies(self.user).filter(path__in=paths)
        return [
            (a, rollup_url(name, agency=a.pk, **params))
            for a in visible.order_by("depth")
        ]

    def _choose(self, context: dict[str, Any], name: str, **params: Any) -> None:
        context["roots"] = [
            (a, rollup_url(name, agency=a.pk, **params))
            for a in self._roots()[:MAX_NAMES]
        ]

    # --- the roll-up -----------------------------------------------------

    def respond(self) -> HttpResponse:
        if self.request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET"])
        self._check()
        form = RollupForm(self._data({"year": default_year(), "statuses": "approved"}))
        context = self._context(_("汇总表"), form)
        template = "admin/reports/annualreport/rollup.html"
        if not form.is_valid():
            return TemplateResponse(self.request, template, context, status=400)
        year, choice = form.cleaned_data["year"], form.cleaned_data["statuses"]
        node = self._node(form.cleaned_data["agency"])
        if node is None:
            self._choose(context, "rollup", year=year, statuses=choice)
            return TemplateResponse(self.request, template, context)
        result = rollup(node=node, year=year, statuses=STATUS_CHOICES[choice])
        own = (
            AnnualReport.objects.filter(agency=node, year=year)
            .values_list("pk", flat=True)
            .first()
        )
        params = {"agency": node.pk, "statuses": choice}
        context.update(
            title=_("汇总表：%(agency)s %(year)s 年度")
            % {"agency": node.name, "year": year},
            rollup=result,
            choice_label=STATUS_LABELS[choice],
            parts=[self._part(result, p, choice, own) for p in result.parts],
            missing=result.missing[:MAX_NAMES],
            not_approved=result.not_approved[:MAX_NAMES],
            max_names=MAX_NAMES,
            charts=self._charts(result),
            ancestors=self._ancestors(node, "rollup", year=year, statuses=choice),
            export_url=rollup_url("rollup_export", year=year, **params),
            years_url=rollup_url(
                "rollup_years",
                years=[y for y in (year - 2, year - 1, year) if y >= FIRST_YEAR],
                **params,
            ),
        )
        return TemplateResponse(self.request, template, context)

    def _part(
        self, result: Rollup, part: Part, choice: str, own: int | None
    ) -> dict[str, Any]:
        heads = []
        for column in part.columns:
            head = ColumnHead(column, part.included.get(column.key, 0))
            if column.is_child and column.agency is not None:
                head.url = rollup_url(
                    "rollup", agency=column.agency.pk, year=result.year, statuses=choice
                )
            elif column.key != TOTAL and own is not None:
                head.url = reverse("admin:reports_annualreport_change", args=[own])
            heads.append(head)
        findings = [
            (column, finding)
            for column in sorted(part.columns, key=lambda c: c.key != TOTAL)
            for finding in part.findings.get(column.key, [])
        ]
        return {
            "part": part,
            "heads": heads,
            "blocks": part_blocks(part),
            "findings": findings,
        }

    def _charts(self, result: Rollup) -> list[Any]:
        """A bar chart per main figure across the columns (本级 and each
        child), then a line chart per figure over the last ten years: one
        chart each, since the figures differ by orders of magnitude."""
        part = result.parts[0]
        code = part.table_format.code
        cols = [c for c in part.columns if c.key != TOTAL]
        charts = [
            bar_chart(
                title=_("%(figure)s（%(year)s 年度，按汇总单位）")
                % {"figure": f.label, "year": result.year},
                categories=[_short_name(c) for c in cols],
                series=[
                    Series(
                        f.label, [f.of(code, part.values.get(c.key, {})) for c in cols]
                    )
                ],
                size=CHART_SIZE,
            )
            for f in figures_for(code)
        ]
        years = range(max(FIRST_YEAR, result.year - CHART_YEARS + 1), result.year + 1)
        rows = figure_series(result.node, years, result.statuses)
        for j, figure in enumerate(MAIN_FIGURES):
            values = [numbers[j] for _year, numbers in rows]
            if all(v is None for v in values) and figure not in figures_for(code):
                continue  # a figure of another format, never reported here
            charts.append(
                line_chart(
                    title=_("%(figure)s（%(first)s–%(last)s 年度）")
                    % {
                        "figure": figure.label,
                        "first": years.start,
                        "last": years.stop - 1,
                    },
                    categories=[str(year) for year, _numbers in rows],
                    series=[Series(figure.label, values)],
                    size=CHART_SIZE,
                )
            )
        return charts

    def export(self) -> HttpResponse:
        if self.request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET"])
        self._check()
        form = RollupForm(self._data({"year": default_year(), "statuses": "approved"}))
        if not form.is_valid() or form.cleaned_data["agency"] is None:
            errors = form.errors.as_text() if form.errors else _("请选择机关。")
            return HttpResponse(
                _("导出条件有误：%(errors)s") % {"errors": errors},
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        node = self._node(form.cleaned_data["agency"])
        assert node is not None  # noqa: S101 - an id was given: found or 404
        year, choice = form.cleaned_data["year"], form.cleaned_data["statuses"]
        result = rollup(node=node, year=year, statuses=STATUS_CHOICES[choice])
        years = range(max(FIRST_YEAR, year - CHART_YEARS + 1), year + 1)
        data = rollup_workbook(
            rollup=result, series=figure_series(node, years, result.statuses)
        )
        stamp = datetime.now(tz=timezone.get_current_timezone()).strftime("%Y%m%d")
        name = f"汇总表-{node.name}-{year}年度-{stamp}.xlsx"
        return HttpResponse(
            data,
            content_type=XLSX,
            headers={"Content-Disposition": content_disposition_header(True, name)},
        )

    # --- over the years ----------------------------------------------------

    def years(self) -> HttpResponse:
        if self.request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET"])
        self._check()
        last = default_year()
        form = YearsForm(
            self._data({"years": [last - 2, last - 1, last], "statuses": "approved"})
        )
        context = self._context(_("历年对比"), form)
        template = "admin/reports/annualreport/rollup_years.html"
        if not form.is_valid():
            return TemplateResponse(self.request, template, context, status=400)
        years, choice = form.cleaned_data["years"], form.cleaned_data["statuses"]
        node = self._node(form.cleaned_data["agency"])
        if node is None:
            self._choose(context, "rollup_years", years=years, statuses=choice)
            return TemplateResponse(self.request, template, context)
        result = years_rollup(node=node, years=years, statuses=STATUS_CHOICES[choice])
        context.update(
            title=_("历年对比：%(agency)s") % {"agency": node.name},
            node=node,
            result=result,
            choice_label=STATUS_LABELS[choice],
            parts=[
                {
                    "part": p,
                    "blocks": years_blocks(p),
                    "counts": [(y, p.included.get(y, 0)) for y in p.years],
                }
                for p in result.parts
            ],
            ancestors=self._ancestors(
                node, "rollup_years", years=years, statuses=choice
            ),
            rollup_url=rollup_url(
                "rollup", agency=node.pk, year=max(years), statuses=choice
            ),
        )
        return TemplateResponse(self.request, template, context)


def _short_name(column: Column) -> str:
    if column.agency is not None and column.is_child:
        return column.agency.short_name or column.agency.name
    return column.label


def rollup_urls(model_admin: ModelAdmin) -> list[URLPattern]:
    """The pages ``ReportAdmin.get_urls`` adds: 汇总表, its export, 历年对比."""
    wrap = model_admin.admin_site.admin_view

    def page(action: str) -> Callable[[HttpRequest], HttpResponse]:
        def view(request: HttpRequest) -> HttpResponse:
            return getattr(RollupPage(model_admin, request), action)()

        return wrap(view)

    return [
        path("rollup/", page("respond"), name="reports_annualreport_rollup"),
        path(
            "rollup/export/",
            page("export"),
            name="reports_annualreport_rollup_export",
        ),
        path("rollup/years/", page("years"), name="reports_annualreport_rollup_years"),
    ]
