"""The completeness board as an XLSX workbook, headers in Chinese.

Two sheets: 汇总 (one row per row of the board: the child subtrees, or the
user's scope roots, with their counts by status) and 明细 (every agency of the
subtree in tree order, with its status, submission time, due date and whether
it is late). Text is written as text, so a name that starts with "=" is never
a formula.
"""

import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

import xlsxwriter
from django.utils import timezone
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from agencies.models import Agency
from reports.deadlines import board_statuses, status_label

if TYPE_CHECKING:
    from reports.views.board import Board, Row

SUMMARY = "汇总"
DETAILS = "明细"
MAX_INDENT = 15  # Excel's limit


def board_workbook(*, board: "Board", rows: Sequence["Row"]) -> bytes:
    """The board's summary and every agency's status, as XLSX bytes."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"constant_memory": True, "strings_to_formulas": False}
    )
    bold = book.add_format({"bold": True})
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    percent = book.add_format({"num_format": "0%"})
    _summary(book.add_worksheet(SUMMARY), board, rows, bold, percent)
    _details(book, book.add_worksheet(DETAILS), board, bold, when, day)
    book.close()
    return buffer.getvalue()


def _title(board: "Board") -> str:
    where = board.node.name if board.node is not None else "本人范围内全部机关"
    dues = board.dues
    return (
        f"{where} {board.year}年度报告完成情况（截止日期：人民政府 "
        f"{dues.government:%Y-%m-%d}，其他机关 {dues.others:%Y-%m-%d}；"
        f"统计日 {board.today:%Y-%m-%d}）"
    )


def _summary(
    sheet: Worksheet,
    board: "Board",
    rows: Sequence["Row"],
    bold: Format,
    percent: Format,
) -> None:
    statuses = board_statuses()
    sheet.write_string(0, 0, _title(board), bold)
    headers = ["机关", "机关代码", "本机关状态", "本机关逾期", "机关数"]
    headers += [label for _key, label in statuses] + ["逾期", "通过率"]
    sheet.write_row(1, 0, headers, bold)
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, 1, 16)
    sheet.set_column(2, len(headers) - 1, 10)
    line = 2
    listed = [board.own] if board.own is not None else []
    for row in [*listed, *rows]:
        agency = row.agency
        own = row is board.own
        name = f"{agency.name}（本级）" if own else agency.name
        sheet.write_string(line, 0, name)
        sheet.write_string(line, 1, agency.code)
        sheet.write_string(line, 2, row.status_label)
        sheet.write_string(line, 3, "是" if agency.late else "否")  # type: ignore[attr-defined]
        counts = row.counts
        if own:  # its own report only; the rows below hold its subtree
            line += 1
            continue
        sheet.write_number(line, 4, counts.total)
        for column, (key, _label) in enumerate(statuses, 5):
            sheet.write_number(line, column, counts.statuses[key])
        sheet.write_number(line, 5 + len(statuses), counts.late)
        share = counts.approved_percent / 100
        sheet.write_number(line, 6 + len(statuses), share, percent)
        line += 1
    totals = board.totals
    sheet.write_string(line, 0, "合计", bold)
    sheet.write_number(line, 4, totals.total, bold)
    for column, (key, _label) in enumerate(statuses, 5):
        sheet.write_number(line, column, totals.statuses[key], bold)
    sheet.write_number(line, 5 + len(statuses), totals.late, bold)
    sheet.write_number(line, 6 + len(statuses), totals.approved_percent / 100, percent)


def _details(
    book: Workbook,
    sheet: Worksheet,
    board: "Board",
    bold: Format,
    when: Format,
    day: Format,
) -> None:
    kinds = dict(Agency.Kind.choices)
    levels = dict(Agency.Level.choices)
    indents = [book.add_format({"indent": n}) for n in range(MAX_INDENT + 1)]
    headers = [
        "机关",
        "机关代码",
        "类别",
        "行政层级",
        "状态",
        "提交时间",
        "截止日期",
        "是否逾期",
    ]
    sheet.write_row(0, 0, headers, bold)
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, 1, 16)
    sheet.set_column(2, 4, 12)
    sheet.set_column(5, 6, 17)
    top = board.node.depth if board.node is not None else 1
    for line, item in enumerate(board.details(), 1):
        depth, name, code, kind, level, status, submitted_at, late = item
        indent = indents[min(max(depth - top, 0), MAX_INDENT)]
        sheet.write_string(line, 0, name, indent)
        sheet.write_string(line, 1, code)
        sheet.write_string(line, 2, str(kinds.get(kind, kind)))
        sheet.write_string(line, 3, str(levels.get(level, level)))
        sheet.write_string(line, 4, status_label(status))
        if submitted_at is not None:
            sheet.write_datetime(line, 5, _local(submitted_at), when)
        sheet.write_datetime(line, 6, _midnight(board.dues.for_kind(kind)), day)
        sheet.write_string(line, 7, "是" if late else "否")


def _local(moment: datetime) -> datetime:
    """XlsxWriter takes naive datetimes: the site's local time."""
    return timezone.localtime(moment).replace(tzinfo=None)


def _midnight(due: date) -> datetime:
    return datetime(due.year, due.month, due.day)
