"""The completeness board (完成情况): for a subtree and a year, every agency's
report status and whether it is late, counted per child subtree.

The board of an agency lists its own report (本级) and one row per child:
the child's own status, and the counts of its whole subtree by status, with
a progress bar; a child with agencies below it drills down a level. Without an
agency the rows are the user's scope roots. Every figure comes from two
grouped queries, whatever the size of the subtree; lateness is the rule of
``reports.deadlines``. The XLSX export (``reports.exporters.board``) reads the
same ``Board``.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from django import forms
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Func, QuerySet, Value, When
from django.db.models.functions import Substr
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies import permissions
from agencies.models import Agency
from reports.deadlines import (
    BOARD_STATES,
    NOT_STARTED,
    Dues,
    board_statuses,
    status_label,
    with_status,
    year_dues,
)
from reports.exporters.board import board_workbook
from reports.filters import year_choices
from reports.models import AnnualReport
from reports.views.queue import review_url

BOARD_PAGE = 100
STEP = Agency.steplen
MAX_ID = 2**63 - 1
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Counts:
    """How many agencies of a subtree are in each status, and how many late."""

    statuses: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(BOARD_STATES, 0)
    )
    late: int = 0

    def add(self, status: str | None, late: bool, n: int) -> None:
        self.statuses[status or NOT_STARTED] += n
        self.late += n if late else 0

    def merge(self, other: "Counts") -> None:
        for key, n in other.statuses.items():
            self.statuses[key] += n
        self.late += other.late

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    @property
    def approved_percent(self) -> int:
        total = self.total
        approved = self.statuses[AnnualReport.Status.APPROVED]
        return round(approved * 100 / total) if total else 0

    def segments(self) -> list[dict[str, Any]]:
        """The progress bar: approved first, not started last."""
        total = self.total or 1
        labels = dict(board_statuses())
        order = [*reversed(list(labels))]
        return [
            {
                "key": key,
                "label": labels[key],
                "count": self.statuses[key],
                "width": f"{self.statuses[key] * 100 / total:.2f}",
            }
            for key in order
        ]

    def items(self) -> list[tuple[str, str, int]]:
        return [(k, label, self.statuses[k]) for k, label in board_statuses()]


@dataclass
class Row:
    """One agency of the board: its own report and its subtree's counts."""

    agency: Agency  # annotated by reports.deadlines.with_status
    counts: Counts
    board_url: str = ""  # its own board, when agencies lie below it
    report_url: str = ""

    @property
    def status_label(self) -> str:
        return status_label(self.agency.report_status)  # type: ignore[attr-defined]


@dataclass
class Board:
    year: int
    dues: Dues
    node: Agency | None  # None: the user's scope roots
    ancestors: list[Agency]
    own: Row | None
    heads: QuerySet[Agency]  # the rows' agencies, annotated, in tree order
    subtree: QuerySet[Agency]  # every agency counted (the rows' subtrees)
    head_counts: dict[str, Counts]
    totals: Counts
    today: date

    def rows(self, heads: Any, user: Any) -> list[Row]:
        return [self.row(a, user) for a in heads]

    def row(self, agency: Agency, user: Any) -> Row:
        counts = self.head_counts.get(agency.path, Counts())
        row = Row(agency, counts)
        if agency.numchild:
            row.board_url = board_url(agency.pk, self.year)
        report_id = agency.report_id  # type: ignore[attr-defined]
        if report_id is not None:
            row.report_url = (
                review_url(report_id)
                if permissions.can_review(user, agency)
                else reverse("admin:reports_annualreport_change", args=[report_id])
            )
        return row

    def details(self) -> Iterator[tuple[Any, ...]]:
        """Every agency counted, in tree order: depth, name, code, kind, level,
        status, submitted_at, late (for the export)."""
        agencies = self.subtree
        if self.node is not None:
            agencies = Agency.objects.filter(path__startswith=self.node.path)
        return (
            with_status(agencies, dues=self.dues, today=self.today)
            .order_by("path")
            .values_list(
                "depth",
                "name",
                "code",
                "kind",
                "level",
                "report_status",
                "submitted_at",
                "late",
            )
            .iterator(chunk_size=2000)
        )


def board_url(agency_id: int | None, year: int) -> str:
    url = reverse("admin:reports_annualreport_board")
    query = f"year={year}" if agency_id is None else f"agency={agency_id}&year={year}"
    return f"{url}?{query}"


class BoardForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("报告年度"), coerce=int)
    agency = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()


def default_year() -> int:
    """Reports are filed early in the year after the one they report."""
    return timezone.localdate().year - 1


def _head_expression(user: Any, node: Agency | None) -> Func | Case:
    """Each agency's row: the path of the row's agency above (or at) it."""
    if node is not None:
        return Substr("path", 1, (node.depth + 1) * STEP)
    if permissions.scope_q(user) is None:  # a superuser: the roots of the tree
        return Substr("path", 1, STEP)
    roots = list(permissions.scope_roots(user).values_list("path", flat=True))
    if len({len(p) for p in roots}) <= 1:
        return Substr("path", 1, len(roots[0]) if roots else STEP)
    return Case(*(When(path__startswith=p, then=Value(p)) for p in roots))


def subtree_counts(
    agencies: QuerySet[Agency], head: Func | Case, dues: Dues, today: date
) -> dict[str, Counts]:
    """Counts by row, in one grouped query."""
    grouped = (
        with_status(agencies, dues=dues, today=today)
        .annotate(head=head)
        .values("head", "report_status", "late")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[str, Counts] = {}
    for item in grouped:
        counts.setdefault(item["head"], Counts()).add(
            item["report_status"], item["late"], item["n"]
        )
    return counts


def load_board(
    user: Any, *, agency_id: int | None, year: int, today: date | None = None
) -> Board:
    """The board of ``agency_id`` (None: the user's scope roots); an agency
    outside the user's scope is not found (Http404)."""
    today = today or timezone.localdate()
    dues = year_dues(year)
    visible = permissions.visible_agencies(user)
    node = None
    if agency_id is None:
        roots = list(permissions.scope_roots(user).values_list("pk", flat=True)[:2])
        if len(roots) == 1:
            agency_id = roots[0]
    if agency_id is not None:
        node = with_status(visible.filter(pk=agency_id), dues=dues, today=today).first()
        if node is None:
            raise Http404(_("没有找到该机关，或您无权访问。"))
    if node is None:
        heads = with_status(permissions.scope_roots(user), dues=dues, today=today)
        subtree = visible
        ancestors: list[Agency] = []
    else:
        below = Agency.objects.filter(path__startswith=node.path)
        heads = with_status(below.filter(depth=node.depth + 1), dues=dues, today=today)
        subtree = below.filter(depth__gt=node.depth)
        paths = [node.path[: k * STEP] for k in range(1, node.depth)]
        ancestors = list(visible.filter(path__in=paths).order_by("depth"))
    head_counts = subtree_counts(subtree, _head_expression(user, node), dues, today)
    totals = Counts()
    for counts in head_counts.values():
        totals.merge(counts)
    if node is not None:
        totals.add(node.report_status, node.late, 1)  # type: ignore[attr-defined]
    board = Board(
        year=year,
        dues=dues,
        node=node,
        ancestors=ancestors,
        own=None,
        heads=heads.order_by("path"),
        subtree=subtree,
        head_counts=head_counts,
        totals=totals,
        today=today,
    )
    if node is not None:  # its own report; its subtree is the rows below
        board.own = replace(board.row(node, user), board_url="")
    return board


def board_view(model_admin: ModelAdmin) -> Callable[[HttpRequest], HttpResponse]:
    """The view ``ReportAdmin.get_urls`` serves at ``board/``."""

    def view(request: HttpRequest) -> HttpResponse:
        return BoardPage(model_admin, request).respond()

    return view


def board_export_view(
    model_admin: ModelAdmin,
) -> Callable[[HttpRequest], HttpResponse]:
    """The view ``ReportAdmin.get_urls`` serves at ``board/export/``."""

    def view(request: HttpRequest) -> HttpResponse:
        return BoardPage(model_admin, request).export()

    return view


class BoardPage:
    """One request for the board or its export."""

    template = "admin/reports/annualreport/board.html"

    def __init__(self, model_admin: ModelAdmin, request: HttpRequest) -> None:
        self.model_admin = model_admin
        self.request = request

    def _form(self) -> BoardForm:
        if self.request.method not in ("GET", "HEAD"):
            raise _NotAllowed
        if not self.model_admin.has_view_permission(self.request):
            raise PermissionDenied
        data = self.request.GET.copy()
        data.setdefault("year", str(default_year()))
        return BoardForm(data)

    def _board(self, form: BoardForm) -> Board:
        return load_board(
            self.request.user,
            agency_id=form.cleaned_data["agency"],
            year=form.cleaned_data["year"],
        )

    def respond(self) -> HttpResponse:
        try:
            form = self._form()
        except _NotAllowed:
            return HttpResponseNotAllowed(["GET"])
        context: dict[str, Any] = {
            **self.model_admin.admin_site.each_context(self.request),
            "opts": self.model_admin.model._meta,
            "title": _("完成情况"),
            "form": form,
        }
        if not form.is_valid():
            return TemplateResponse(self.request, self.template, context, status=400)
        board = self._board(form)
        page: Page = Paginator(board.heads, BOARD_PAGE).get_page(
            self.request.GET.get("p")
        )
        year = board.year
        context.update(
            board=board,
            page=page,
            rows=board.rows(page.object_list, self.request.user),
            statuses=board_statuses(),
            top_url=board_url(None, year),
            ancestors=[(a, board_url(a.pk, year)) for a in board.ancestors],
            export_url=reverse("admin:reports_annualreport_board_export")
            + "?"
            + self.request.GET.urlencode(),
            queue_url=reverse("admin:reports_annualreport_queue"),
        )
        if board.node is not None:
            context["title"] = _("完成情况：%(agency)s") % {"agency": board.node.name}
        return TemplateResponse(self.request, self.template, context)

    def export(self) -> HttpResponse:
        try:
            form = self._form()
        except _NotAllowed:
            return HttpResponseNotAllowed(["GET"])
        if not form.is_valid():
            return HttpResponse(
                _("导出条件有误：%(errors)s") % {"errors": form.errors.as_text()},
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        board = self._board(form)
        data = board_workbook(
            board=board, rows=board.rows(board.heads, self.request.user)
        )
        where = board.node.name if board.node is not None else _("全部")
        name = f"完成情况-{where}-{board.year}年度-{_stamp()}.xlsx"
        return HttpResponse(
            data,
            content_type=XLSX,
            headers={"Content-Disposition": content_disposition_header(True, name)},
        )


class _NotAllowed(Exception):
    """A method other than GET."""


def _stamp() -> str:
    return datetime.now(tz=timezone.get_current_timezone()).strftime("%Y%m%d")
