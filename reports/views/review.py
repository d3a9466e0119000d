"""The review page: a report read-only for its reviewer, what to check in it,
and the buttons of the transitions the reviewer may apply now.

Served by ``ReportAdmin.review_view`` (``<id>/review/``), and by
``change_view`` to a user who may review the report but not file for it. Every
transition goes through ``reports.services.transition_apply``; this page only
reads, and says why a transition was refused.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from agencies import permissions
from reports.layout import blocks
from reports.models import AnnualReport, ReportChange, ReviewEvent
from reports.review_checks import Comparison, review_checks
from reports.selectors import (
    fields_changed_since,
    latest_return,
    previous_report,
    report_values,
)
from reports.services import (
    TRANSITIONS,
    ReportError,
    available,
    finding_key,
    is_editable,
    not_editable_message,
    report_findings,
    transition_apply,
)
from reports.services.review import Role, StaleTransitionError, Transition
from reports.tables import SIGNATORIES, CellValue, Finding, TableFormat, field_label
from reports.tables.base import shown
from reports.validation import count_findings
from reports.views.base import ReportPage, described

RECENT_CHANGES = 50
# The worst finding on a cell marks it; a cell in several keeps the worst.
SEVERITY_ORDER = {"missing": 0, "error": 1, "warning": 2}


def review_url(report: AnnualReport) -> str:
    return reverse("admin:reports_annualreport_review", args=[report.pk])


def pinnable(table_format: TableFormat) -> set[str]:
    """Every field a comment may be pinned to, by its stored name."""
    return {
        *table_format.cells,
        *(f"section:{s.key}" for s in table_format.sections),
        *(f"signatory:{key}" for key, _label in SIGNATORIES),
        "table_year",
    }


def pinned_names(raw: Iterable[str]) -> list[str]:
    """The pinned fields as posted (one hidden field, comma-separated, or
    several), in order, each once."""
    names: list[str] = []
    for value in raw:
        for name in value.split(","):
            name = name.strip()
            if name and name not in names:
                names.append(name)
    return names


def review_anchor(name: str) -> str:
    """The id of a field on the review page."""
    return "nb-f-" + name.replace(":", "-")


@dataclass
class Pin:
    """A field a comment is pinned to, as a page links to it."""

    name: str
    label: str
    anchor: str


def pins(
    table_format: TableFormat, names: Sequence[str], anchor: Callable[[str], str]
) -> list[Pin]:
    return [Pin(n, field_label(table_format, n), anchor(n)) for n in names]


def with_pins(
    events: Iterable[ReviewEvent],
    table_format: TableFormat,
    anchor: Callable[[str], str],
) -> list[ReviewEvent]:
    """Review events with ``who`` and their pinned fields as ``pins``."""
    result = described(events, table_format)
    for event in result:
        event.pins = pins(table_format, event.cells or [], anchor)  # type: ignore[attr-defined]
    return result


def clerk_side(
    request: HttpRequest,
    report: AnnualReport,
    *,
    can_edit: bool,
    anchor: Callable[[str], str],
) -> dict[str, Any]:
    """What the clerk's form shows of the review: the latest return (or
    reopen) while the report is returned, every review event with its
    comment, the withdraw button, the lock and a link to the review page."""
    user, table_format = request.user, report.table_format
    returned = None
    if report.status == AnnualReport.Status.RETURNED:
        returned = latest_return(report)
        if returned is not None:
            with_pins([returned], table_format, anchor)
    withdraw = [t for t in available(user, report) if t.name == "withdraw"]
    locked = ""
    if not can_edit:
        locked = (
            not_editable_message(report)
            if not is_editable(report)
            else _("您没有填报这份报告的权限，只能查看。")
        )
    return {
        "returned": returned,
        "pinned": set(returned.cells) if returned is not None else set(),
        "events": with_pins(
            report.events.select_related("user").order_by("at", "pk"),
            table_format,
            anchor,
        ),
        "withdraw": withdraw[0] if withdraw else None,
        "locked_message": locked,
        "review_url": (
            review_url(report) if permissions.can_review(user, report.agency) else ""
        ),
    }


def cell_text(
    code: str,
    label: str,
    value: CellValue,
    comparison: Comparison | None,
    marks: Sequence[str],
) -> SafeString:
    """One cell as text: its value, last year's and the change; a button that
    pins the comment to the cell."""
    now = shown(value)
    parts = [
        format_html('<span class="nb-now">{}</span>', now)
        if now
        else format_html('<span class="nb-now nb-none">{}</span>', _("（空白）"))
    ]
    if comparison is not None:
        parts.append(
            format_html(
                '<span class="nb-prev">{} {}{}{}</span>',
                _("上年"),
                comparison.before,
                format_html(' <span class="nb-delta">{}</span>', comparison.change)
                if comparison.change
                else "",
                format_html(
                    ' <b class="nb-jump10" title="{}">{}</b>',
                    comparison.jump_title,
                    comparison.jump,
                )
                if comparison.jump
                else "",
            )
        )
    classes = ["nb-rv", "nb-pin", *marks]
    if comparison is not None and comparison.jump:
        classes.append("nb-has-jump")
    return format_html(
        '<button type="button" class="{}" id="{}" data-field="{}" data-label="{}" '
        'aria-pressed="false" title="{}">{}</button>',
        " ".join(classes),
        review_anchor(code),
        code,
        label,
        _("%(label)s：点击让意见指向此项") % {"label": label},
        format_html_join("", "{}", ((p,) for p in parts)),
    )


class ReportReview(ReportPage):
    """One request on a report's review page."""

    template = "admin/reports/annualreport/review.html"

    def __init__(
        self, model_admin: ModelAdmin, request: HttpRequest, report: AnnualReport
    ) -> None:
        super().__init__(model_admin, request, report)
        self.table_format = report.table_format

    @property
    def transitions(self) -> list[Transition]:
        """The reviewer's transitions this user may apply now: the buttons."""
        return [
            t
            for t in available(self.request.user, self.report)
            if t.role is Role.REVIEWER
        ]

    def respond(self) -> HttpResponse:
        if self.request.method == "POST":
            return self.post()
        return self.render()

    def post(self) -> HttpResponse:
        data = self.request.POST
        # A NUL cannot be typed and PostgreSQL refuses to store it.
        comment = data.get("comment", "").replace("\x00", "")
        pinned = pinned_names(data.getlist("cells"))
        kept = {"comment": comment, "pinned": pinned}
        transition = TRANSITIONS.get(data.get("transition", ""))
        if transition is None or transition.role is not Role.REVIEWER:
            messages.error(self.request, _("请点选页面上的审核按钮。"))
            return self.render(status=400, **kept)
        try:
            expected = int(data.get("expected_version", ""))
        except ValueError:
            messages.error(self.request, _("页面缺少版本信息，请刷新页面后再操作。"))
            return self.render(status=400, **kept)
        known = pinnable(self.table_format)
        if any(name not in known for name in pinned):
            messages.error(
                self.request, _("意见所指的单元格不存在，请刷新页面后再选。")
            )
            return self.render(status=400, **{**kept, "pinned": []})
        try:
            transition_apply(
                name=transition.name,
                report=self.report,
                user=self.request.user,
                expected_version=expected,
                comment=comment,
                cells=pinned,
            )
        except ReportError as refused:
            self.report.refresh_from_db()
            for message in refused.messages:
                messages.error(self.request, message)
            stale = isinstance(refused, StaleTransitionError)
            return self.render(status=409 if stale else 400, **kept)
        messages.success(
            self.request,
            _("已%(done)s：%(report)s。")
            % {"done": transition.done, "report": self.report},
        )
        return HttpResponseRedirect(review_url(self.report))

    def render(
        self, *, status: int = 200, comment: str = "", pinned: Sequence[str] = ()
    ) -> HttpResponse:
        report, table_format = self.report, self.table_format
        values = report_values(report)
        last = previous_report(report)
        previous = report_values(last) if last is not None else None
        findings = report_findings(report, values=values, previous=previous)
        checks = review_checks(
            table_format,
            values=values,
            sections=report.sections,
            previous=previous,
            previous_format=last.format if last is not None else None,
            previous_sections=last.sections if last is not None else None,
        )
        returned = latest_return(report)
        fixed = fields_changed_since(report, returned.at) if returned else set()
        marks = self._marks(findings, fixed)
        bound = {
            code: cell_text(
                code,
                cell.display_name,
                values.get(code),
                checks.comparisons.get(code),
                marks.get(code, []),
            )
            for code, cell in table_format.cells.items()
        }
        context = {
            **self.base_context(_("审核 %(report)s") % {"report": report}),
            "blocks": blocks(table_format, bound),
            "sections": self._sections(
                last.sections if last is not None else {}, checks.copies, marks
            ),
            "signatories": [
                {
                    "name": f"signatory:{key}",
                    "anchor": review_anchor(f"signatory:{key}"),
                    "label": label,
                    "value": getattr(report, key),
                    "marks": " ".join(marks.get(f"signatory:{key}", [])),
                }
                for key, label in SIGNATORIES
            ],
            "table_year_marks": " ".join(marks.get("table_year", [])),
            "findings": [
                {
                    "finding": f,
                    "anchor": review_anchor(f.cells[0] if f.cells else "table_year"),
                    "explanation": (
                        report.explanations.get(finding_key(f), "")
                        if f.severity == "warning"
                        else None
                    ),
                }
                for f in findings
            ],
            "checks": [
                {"finding": f, "anchor": review_anchor(f.cells[0]) if f.cells else ""}
                for f in checks.findings
            ],
            "counts": count_findings(findings),
            "last": last,
            "returned": returned,
            "fixed": len(fixed),
            "events": with_pins(
                report.events.select_related("user").order_by("at", "pk"),
                table_format,
                review_anchor,
            ),
            "changes": self._changes(returned),
            "transitions": self.transitions,
            "state_note": self._state_note(),
            "comment": comment,
            "pinned": pins(table_format, pinned, review_anchor),
            "pinned_value": ",".join(pinned),
            "can_file": permissions.can_file(self.request.user, report.agency),
            "has_view_permission": True,
            "has_change_permission": False,
        }
        return TemplateResponse(self.request, self.template, context, status=status)

    def _state_note(self) -> str:
        """Why there is no button, when there is none."""
        report = self.report
        if report.status in (report.Status.DRAFT, report.Status.RETURNED):
            return _("报告状态为“%(status)s”：填报人提交审核后才能审核。") % {
                "status": report.get_status_display()
            }
        if not permissions.can_review(self.request.user, report.agency):
            return _("您不是这份报告的审核人，只能查看。")
        if report.status == report.Status.APPROVED:
            return _("报告已通过审核并锁定。")
        return ""

    @staticmethod
    def _marks(findings: list[Finding], fixed: set[str]) -> dict[str, list[str]]:
        """The classes of each field: its worst finding, and changed since the
        latest return."""
        worst: dict[str, str] = {}
        for finding in findings:
            for name in finding.cells or ("table_year",):
                held = worst.get(name)
                severity = str(finding.severity)
                if held is None or SEVERITY_ORDER[severity] < SEVERITY_ORDER[held]:
                    worst[name] = severity
        marks: dict[str, list[str]] = {n: [f"nb-rv-{s}"] for n, s in worst.items()}
        for name in fixed:
            marks.setdefault(name, []).append("nb-rv-fixed")
        return marks

    def _sections(
        self,
        before: dict[str, str],
        copies: dict[str, float],
        marks: dict[str, list[str]],
    ) -> list[dict[str, Any]]:
        return [
            {
                "name": f"section:{s.key}",
                "anchor": review_anchor(f"section:{s.key}"),
                "title": s.title,
                "text": self.report.sections.get(s.key, ""),
                "before": before.get(s.key, ""),
                "share": f"{copies[s.key]:.0%}" if s.key in copies else "",
                "marks": " ".join(marks.get(f"section:{s.key}", [])),
            }
            for s in self.table_format.sections
        ]

    def _changes(self, returned: ReviewEvent | None) -> list[ReportChange]:
        """The latest changes, those since the latest return marked."""
        changes = described(
            self.report.changes.select_related("user").order_by("-version", "field")[
                :RECENT_CHANGES
            ],
            self.table_format,
        )
        for change in changes:
            change.after_return = bool(returned and change.changed_at > returned.at)  # type: ignore[attr-defined]
        return changes
