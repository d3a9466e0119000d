"""The report's change page: the official form, the findings and the history.

Served by ``ReportAdmin.change_view``; every write goes through
``reports.services``.
"""

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.forms import BoundField
from django.forms.utils import flatatt
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from agencies import permissions
from reports.forms import EXPLAIN_PREFIX, SECTION_PREFIX, ReportForm
from reports.layout import blocks
from reports.models import AnnualReport, ReportChange
from reports.selectors import previous_values, report_values
from reports.services import (
    ReportError,
    SaveResult,
    StaleVersionError,
    finding_key,
    is_editable,
    not_editable_message,
    report_findings,
    report_save_values,
    report_submit,
    report_withdraw,
)
from reports.tables import SIGNATORIES, Finding, Severity, TableFormat, field_label
from reports.tables.base import (
    NA_SPELLINGS,
    NUMBER_PATTERN,
    Compare,
    PreviousYear,
)
from reports.tables.numbers import number_syntax
from reports.validation import count_findings
from reports.views.base import ReportPage, described, who
from reports.views.review import clerk_side

RECENT_CHANGES = 30


def rules_payload(
    table_format: TableFormat, previous: dict[str, Any] | None
) -> dict[str, Any]:
    """The format's declarations as the page's script reads them.

    The rules are declared once in ``reports.tables``; this only serialises
    them so that the page can show sums and broken rules while the clerk types.
    The server re-checks everything on save.
    """

    rules: list[dict[str, Any]] = []
    for rule in table_format.rules:
        if isinstance(rule, Compare):
            rules.append(
                {
                    "kind": "compare",
                    "code": rule.code,
                    "left": list(rule.left),
                    "op": str(rule.op),
                    "right": list(rule.right),
                    "aggregate": str(rule.right_aggregate),
                    "severity": str(rule.severity),
                    "explanation": rule.explanation,
                }
            )
        elif isinstance(rule, PreviousYear) and previous is not None:
            before = previous.get(rule.last)
            if isinstance(before, Decimal):
                rules.append(
                    {
                        "kind": "previous",
                        "code": rule.code,
                        "this": rule.this,
                        "last": rule.last,
                        "op": str(rule.op),
                        "before": str(before),
                        "severity": str(rule.severity),
                        "explanation": rule.explanation,
                    }
                )
    return {
        "rules": rules,
        "cells": {
            code: {
                "name": cell.display_name,
                "required": cell.required,
                "na": cell.allows_na,
            }
            for code, cell in table_format.cells.items()
        },
        "sections": [s.key for s in table_format.sections if s.required],
        "na_spellings": sorted(NA_SPELLINGS),
        # parse_number's rule (reports/tables/numbers.py): the script refuses
        # what the server refuses ("1,5", "١٢"), with the same message.
        "number_pattern": NUMBER_PATTERN,
        "number": number_syntax(),
    }


def cell_html(
    field: BoundField, theirs: str | None, *, pinned: bool = False
) -> SafeString:
    """One cell's input with its marks, rendered without a template per cell
    (a format B page has 200 of them; see ``make bench``)."""
    widget = field.field.widget
    value = field.value()
    attrs = widget.build_attrs(
        widget.attrs,
        {"type": "text", "name": field.html_name, "id": field.auto_id},
    )
    if value not in (None, ""):
        attrs["value"] = str(value)
    classes = ["nb-cellwrap"]
    if field.errors:
        classes.append("nb-invalid")
    if theirs is not None:
        classes.append("nb-conflict")
    if pinned:  # the reviewer's return comment points here
        classes.append("nb-pinned")
    code = field.name
    parts = [
        format_html(
            '<input{}><span class="nb-sum" data-sum-for="{}" hidden></span>',
            flatatt(attrs),
            code,
        ),
    ]
    if theirs is not None:
        parts.append(
            format_html(
                '<span class="nb-theirs">{}{}</span>',
                _("对方："),
                theirs or _("（空白）"),
            )
        )
    parts.extend(
        format_html('<span class="nb-cell-error" role="alert">{}</span>', error)
        for error in field.errors
    )
    parts.append(mark_safe('<span class="nb-rule-msg" hidden></span>'))  # noqa: S308
    return format_html(
        '<span class="{}" data-code="{}">{}</span>',
        " ".join(classes),
        code,
        mark_safe("".join(parts)),  # noqa: S308 - each part is escaped above
    )


def anchor(finding: Finding) -> str:
    """The id of the input a finding jumps to."""
    return field_anchor(finding.cells[0] if finding.cells else "table_year")


def field_anchor(target: str) -> str:
    """The id of the input of a field (a cell code, ``section:<key>``,
    ``signatory:<key>`` or ``table_year``)."""
    if target.startswith("section:"):
        return "id_" + SECTION_PREFIX + target.removeprefix("section:")
    if target.startswith("signatory:"):
        return "id_" + target.removeprefix("signatory:")
    return "id_" + target


class ReportEditor(ReportPage):
    """One request on a report's change page."""

    template = "admin/reports/annualreport/report_form.html"

    def __init__(
        self, model_admin: ModelAdmin, request: HttpRequest, report: AnnualReport
    ) -> None:
        super().__init__(model_admin, request, report)
        self.table_format = report.table_format
        self._load(report)

    def _load(self, report: AnnualReport) -> None:
        """Read the report's values and last year's once, and validate them."""
        self.report = report
        self.values = report_values(report)
        self.previous = previous_values(report)
        self.findings = report_findings(
            report, values=self.values, previous=self.previous
        )
        self.warnings = [f for f in self.findings if f.severity == Severity.WARNING]

    def respond(self) -> HttpResponse:
        if self.request.method == "POST":
            if "_withdraw" in self.request.POST:
                return self.withdraw()
            if self.can_edit:
                return self.post()
            if is_editable(self.report) or not permissions.can_file(
                self.request.user, self.report.agency
            ):
                raise PermissionDenied
            # Submitted or approved: nothing is saved, and the page says why.
            messages.error(self.request, not_editable_message(self.report))
            return self.render(self.stored_form(), status=409)
        return self.render(self.stored_form())

    def stored_form(self) -> ReportForm:
        """The form holding the report as stored."""
        return ReportForm(
            initial=ReportForm.initial_for(self.report, self.values),
            table_format=self.table_format,
            warnings=self.warnings,
        )

    def withdraw(self) -> HttpResponse:
        """撤回: the clerk takes a submitted report back to a draft."""
        try:
            expected = int(self.request.POST.get("version", ""))
        except ValueError:
            messages.error(self.request, _("页面缺少版本信息，请刷新页面后再操作。"))
            return self.render(self.stored_form(), status=400)
        try:
            report_withdraw(
                report=self.report, user=self.request.user, expected_version=expected
            )
        except ReportError as refused:
            for message in refused.messages:
                messages.error(self.request, message)
            self.report.refresh_from_db()
            # The page as the report is now (a reviewer may have acted).
            now = ReportEditor(self.model_admin, self.request, self.report)
            stale = self.report.version != expected
            return now.render(now.stored_form(), status=409 if stale else 400)
        messages.success(self.request, _("已撤回：报告回到草稿状态，可以继续修改。"))
        return HttpResponseRedirect(self.request.path)

    def post(self) -> HttpResponse:
        form = ReportForm(
            self.request.POST,
            table_format=self.table_format,
            warnings=self.warnings,
        )
        if not form.is_valid():
            bad = len([name for name in form.errors if name in self.table_format.cells])
            messages.error(
                self.request,
                _("有 %(n)d 处填写无法接受（见标红的单元格），本次没有保存任何内容。")
                % {"n": bad or len(form.errors)},
            )
            return self.render(form, status=400)
        try:
            saved = report_save_values(
                report=self.report,
                user=self.request.user,
                expected_version=form.cleaned_data["version"],
                values=form.cell_values(),
                sections=form.section_texts(),
                signatories=form.signatory_values(),
                table_year=form.cleaned_data["table_year"],
                merge=True,
            )
        except StaleVersionError as stale:
            return self.conflict(form, stale)
        except ReportError as refused:
            for message in refused.messages:
                messages.error(self.request, message)
            return self.render(form, status=400)
        self._say_saved(saved, submitting="_submit" in self.request.POST)
        if "_submit" in self.request.POST:
            try:
                report_submit(
                    report=saved.report,
                    user=self.request.user,
                    expected_version=saved.report.version,
                    explanations=form.explanations(),
                )
            except ReportError as refused:
                messages.warning(self.request, _("未能提交审核："))
                for message in refused.messages:
                    messages.error(self.request, message)
                # The top of the page shows the refusal and the findings.
                return HttpResponseRedirect(self.request.path)
            messages.success(self.request, _("报告已提交审核。"))
        return HttpResponseRedirect(self.request.path)

    def _say_saved(self, saved: SaveResult, *, submitting: bool) -> None:
        """Say what the save did: nothing, or what it stored and merged."""
        table_format = self.table_format
        if saved.changed:
            messages.success(
                self.request,
                _("草稿已保存为第 %(v)d 版：改动 %(n)d 项。")
                % {"v": saved.report.version, "n": len(saved.changed)},
            )
        elif not submitting:
            messages.info(self.request, _("没有改动，无需保存。"))
        if saved.merged:
            names = "、".join(
                f"「{field_label(table_format, name)}」" for name in saved.merged
            )
            messages.info(
                self.request,
                _(
                    "您打开报告之后，别人修改了%(names)s；这些修改已保留并与您的修改合并。"
                )
                % {"names": names},
            )

    def conflict(self, form: ReportForm, stale: StaleVersionError) -> HttpResponse:
        """Both changed the same field: keep what this clerk typed there, take
        everything else as stored now, and let them choose field by field."""
        self._load(stale.report)
        messages.error(self.request, str(stale))
        data = self.request.POST.copy()
        data["version"] = str(stale.report.version)
        for name, value in stale.merged.items():
            data[ReportForm.field_name(name)] = value
        merged = ReportForm(
            data, table_format=self.table_format, warnings=self.warnings
        )
        merged.is_valid()
        latest = {c.field: c for c in stale.changes}  # ascending: the last wins
        conflicts = []
        for name, (mine, theirs) in stale.conflicts.items():
            change = latest.get(name)
            conflicts.append(
                {
                    "field": name,
                    "label": field_label(self.table_format, name),
                    "mine": mine,
                    "theirs": theirs,
                    "who": who(change.user) if change else "",
                    "at": change.changed_at if change else None,
                }
            )
        return self.render(
            merged,
            conflicts=conflicts,
            theirs={name: theirs for name, (_m, theirs) in stale.conflicts.items()},
            status=409,
        )

    def render(
        self,
        form: ReportForm,
        *,
        conflicts: list[dict[str, Any]] | None = None,
        theirs: dict[str, str] | None = None,
        status: int = 200,
    ) -> HttpResponse:
        report = self.report
        theirs = theirs or {}
        review = clerk_side(
            self.request, report, can_edit=self.can_edit, anchor=field_anchor
        )
        pinned = review.pop("pinned")
        bound = {
            code: cell_html(form[code], theirs.get(code), pinned=code in pinned)
            for code in self.table_format.cells
        }
        findings = self.findings
        explain = {
            finding_key(f): form[EXPLAIN_PREFIX + finding_key(f)]
            for f in findings
            if f.severity == Severity.WARNING
            and EXPLAIN_PREFIX + finding_key(f) in form.fields
        }
        context = {
            **self.base_context(str(report)),
            "form": form,
            "blocks": blocks(self.table_format, bound),
            "sections": [
                form[SECTION_PREFIX + s.key] for s in self.table_format.sections
            ],
            "signatories": [form[key] for key, _label in SIGNATORIES],
            "findings": [
                {
                    "finding": f,
                    "anchor": anchor(f),
                    "explain": explain.get(finding_key(f)),
                }
                for f in findings
            ],
            "counts": count_findings(findings),
            "can_edit": self.can_edit,
            "conflicts": conflicts or [],
            "changes": described(
                ReportChange.objects.filter(report=report)
                .select_related("user")
                .order_by("-version", "field")[:RECENT_CHANGES],
                self.table_format,
            ),
            **review,
            # The form fields the return comment points at, highlighted.
            "pinned_fields": {ReportForm.field_name(name) for name in pinned},
            "payload": rules_payload(self.table_format, self.previous),
            "has_view_permission": True,
            "has_change_permission": self.can_edit,
        }
        return TemplateResponse(self.request, self.template, context, status=status)
