"""The roll-up as an XLSX workbook in the official layout, with native charts.

One sheet per format (汇总表): the official table with the columns 本级, each
child subtree and 合计 (a grid of format B repeats each of its rows once per
column), then the rules' findings on the sums. Then 未纳入及未审核 (the
agencies left out, and those summed before approval), 图表数据 (what the
charts read) and 图表: Excel's own column chart of the main figures by child
subtree and line chart of them over the years, so they stay live in Excel.

Every text that begins with = + - @, a tab or a carriage return is written
with a leading apostrophe, so no name or label can become a formula here or
in a sheet that copies it.
"""

import io
from collections.abc import Sequence
from decimal import Decimal

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from reports.exporters.rollup import (
    STATUS_CHOICES,
    STATUS_LABELS,
    TOTAL,
    Column,
    Part,
    Rollup,
)
from reports.exporters.rollup_years import MAIN_FIGURES, figures_for
from reports.layout import Block, blocks
from reports.tables import NA, CellValue, Severity

CHARTS = "图表"
CHART_DATA = "图表数据"
MEMBERS = "未纳入及未审核"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_INDENT = 15  # Excel's limit


def safe_text(text: object) -> str:
    """``text`` as a string that no spreadsheet reads as a formula."""
    value = "" if text is None else str(text)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def sheet_names(rollup: Rollup) -> list[str]:
    if len(rollup.parts) == 1:
        return ["汇总表"]
    return [f"汇总表-{p.table_format.code}" for p in rollup.parts]


def statuses_label(rollup: Rollup) -> str:
    choice = next(
        (k for k, v in STATUS_CHOICES.items() if v == tuple(rollup.statuses)), ""
    )
    return STATUS_LABELS.get(choice, "、".join(rollup.statuses))


class _Styles:
    def __init__(self, book: Workbook) -> None:
        border = {"border": 1, "valign": "vcenter"}
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.note = book.add_format({"font_color": "#555555"})
        self.head = book.add_format(
            {**border, "bold": True, "align": "center", "text_wrap": True}
        )
        self.text = book.add_format({**border, "text_wrap": True})
        self.center = book.add_format({**border, "align": "center"})
        self.number = book.add_format({**border, "num_format": "#,##0.######"})
        self.bold = book.add_format({"bold": True})
        self.indents = [
            book.add_format({**border, "text_wrap": True, "indent": n})
            for n in range(MAX_INDENT + 1)
        ]

    def indent(self, level: int) -> Format:
        return self.indents[max(0, min(level, MAX_INDENT))]


def _value(sheet: Worksheet, row: int, col: int, value: CellValue, st: _Styles) -> None:
    if isinstance(value, Decimal):
        sheet.write_number(row, col, float(value), st.number)
    elif value is NA:
        sheet.write_string(row, col, "/", st.center)
    else:
        sheet.write_blank(row, col, None, st.text)


def _column_heads(
    sheet: Worksheet, row: int, col: int, part: Part, st: _Styles
) -> None:
    for i, column in enumerate(part.columns):
        count = part.included.get(column.key, 0)
        sheet.write_string(row, col + i, safe_text(column.label), st.head)
        sheet.write_string(row + 1, col + i, f"{count} 份", st.center)


def _list_block(
    sheet: Worksheet, row: int, block: Block, part: Part, st: _Styles
) -> int:
    sheet.merge_range(row, 0, row + 1, 0, block.columns[0], st.head)
    sheet.merge_range(row, 1, row + 1, 1, block.columns[1], st.head)
    _column_heads(sheet, row, 2, part, st)
    row += 2
    for line in block.rows:
        sheet.write_string(row, 0, safe_text(line.label), st.indent(line.indent))
        sheet.write_string(row, 1, safe_text(line.unit), st.center)
        for i, column in enumerate(part.columns):
            if line.slot is None:
                sheet.write_blank(row, 2 + i, None, st.text)
            else:
                value = part.value(column.key, line.slot.cell.code)
                _value(sheet, row, 2 + i, value, st)
        row += 1
    return row


def _grid_block(
    sheet: Worksheet, row: int, block: Block, part: Part, st: _Styles
) -> int:
    sheet.write_string(row, 0, safe_text(block.title), st.bold)
    row += 1
    for segment in block.segments:
        if segment.heading:
            sheet.write_string(row, 0, safe_text(segment.heading), st.bold)
            row += 1
        heads = segment.header_rows()
        depth = len(heads)
        _span(sheet, row, 0, depth, 1, segment.corner or "", st.head)
        _span(sheet, row, 1, depth, 1, "汇总单位", st.head)
        taken: set[tuple[int, int]] = set()  # cells under a taller heading
        for r, cells in enumerate(heads):
            col = 2
            for label, colspan, rowspan in cells:
                while (r, col) in taken:
                    col += 1
                _span(sheet, row + r, col, rowspan, colspan, label, st.head)
                taken.update(
                    (r + k, col + c) for k in range(rowspan) for c in range(colspan)
                )
                col += colspan
        row += depth
        for line in segment.lines:
            if line.header:
                width = 2 + len(segment.columns)
                _span(sheet, row, 0, 1, width, line.label, st.indent(line.indent))
                row += 1
                continue
            _span(
                sheet, row, 0, len(part.columns), 1, line.label, st.indent(line.indent)
            )
            for column in part.columns:
                sheet.write_string(row, 1, safe_text(column.label), st.text)
                for i, slot in enumerate(line.slots):
                    if slot is None:
                        sheet.write_blank(row, 2 + i, None, st.text)
                    else:
                        value = part.value(column.key, slot.cell.code)
                        _value(sheet, row, 2 + i, value, st)
                row += 1
    return row


def _span(
    sheet: Worksheet,
    row: int,
    col: int,
    rows: int,
    cols: int,
    text: str,
    style: Format,
) -> None:
    """Write ``text`` over a block of cells, merged when it spans several."""
    if rows == 1 and cols == 1:
        sheet.write_string(row, col, safe_text(text), style)
    else:
        sheet.merge_range(
            row, col, row + rows - 1, col + cols - 1, safe_text(text), style
        )


def _findings(sheet: Worksheet, row: int, part: Part, st: _Styles) -> int:
    found = [
        (column, finding)
        for column in _total_first(part.columns)
        for finding in part.findings.get(column.key, [])
    ]
    row += 1
    sheet.write_string(row, 0, "汇总数校验", st.bold)
    row += 1
    if not found:
        sheet.write_string(row, 0, "汇总数符合本格式全部校验规则。", st.note)
        return row + 1
    for column, finding in found:
        kind = "错误" if finding.severity is Severity.ERROR else "提示"
        sheet.write_string(row, 0, safe_text(f"{column.label}（{kind}）"))
        sheet.write_string(row, 1, safe_text(finding.message))
        row += 1
    return row


def _total_first(columns: Sequence[Column]) -> list[Column]:
    return sorted(columns, key=lambda c: c.key != TOTAL)


def _part_sheet(
    book: Workbook, name: str, rollup: Rollup, part: Part, st: _Styles
) -> None:
    sheet = book.add_worksheet(name)
    width = 2 + len(part.columns)
    title = f"{rollup.node.name}{rollup.year}年度{part.table_format.title}（汇总）"
    sheet.write_string(0, 0, safe_text(title), st.title)
    sheet.write_string(
        1,
        0,
        safe_text(
            f"汇总范围：{rollup.node.name}及其下级机关；汇总{statuses_label(rollup)}"
            f"共 {part.report_count} 份；未纳入 {len(rollup.missing)} 个机关，"
            f"已纳入但尚未审核通过 {len(rollup.not_approved)} 个；"
            f"格式：{part.table_format.name}。“/”（不适用）与空白均不计入合计。"
        ),
        st.note,
    )
    sheet.set_column(0, 0, 46)
    sheet.set_column(1, 1, 10)
    sheet.set_column(2, width, 12)
    row = 3
    layout = blocks(part.table_format)
    for block in layout:
        if block.kind == "list":
            row = _list_block(sheet, row, block, part, st) + 1
        else:
            row = _grid_block(sheet, row, block, part, st) + 1
    _findings(sheet, row, part, st)
    if len(layout) == 1 and layout[0].kind == "list":
        sheet.freeze_panes(5, 2)  # the column headings stay in view


def _members_sheet(book: Workbook, rollup: Rollup, st: _Styles) -> None:
    sheet = book.add_worksheet(MEMBERS)
    heads = ["机关代码", "机关名称", "报告状态", "情况"]
    for col, text in enumerate(heads):
        sheet.write_string(0, col, text, st.head)
    row = 1
    for label, members in (
        ("未纳入汇总", rollup.missing),
        ("已纳入汇总，尚未审核通过", rollup.not_approved),
    ):
        for member in members:
            sheet.write_string(row, 0, safe_text(member.code))
            sheet.write_string(row, 1, safe_text(member.name))
            sheet.write_string(row, 2, member.status_label)
            sheet.write_string(row, 3, label)
            row += 1
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, 1, 40)
    sheet.set_column(2, 3, 24)


def _charts(
    book: Workbook,
    rollup: Rollup,
    series: Sequence[tuple[int, Sequence[Decimal | None]]],
    st: _Styles,
) -> None:
    data = book.add_worksheet(CHART_DATA)
    charts = book.add_worksheet(CHARTS)
    part = rollup.parts[0]
    figures = figures_for(part.table_format.code)
    columns = [c for c in part.columns if c.key != TOTAL]
    data.write_string(0, 0, "汇总单位", st.head)
    for j, figure in enumerate(figures):
        data.write_string(0, 1 + j, figure.label, st.head)
    for i, column in enumerate(columns, 1):
        data.write_string(i, 0, safe_text(column.label))
        values = part.values.get(column.key, {})
        for j, figure in enumerate(figures):
            number = figure.of(part.table_format.code, values)
            if number is not None:
                data.write_number(i, 1 + j, float(number))
    # One chart per figure: the figures differ by orders of magnitude.
    height = 16  # rows a chart takes on the 图表 sheet
    for j, figure in enumerate(figures):
        bars = book.add_chart({"type": "column"})
        bars.add_series(
            {
                "name": [CHART_DATA, 0, 1 + j],
                "categories": [CHART_DATA, 1, 0, len(columns), 0],
                "values": [CHART_DATA, 1, 1 + j, len(columns), 1 + j],
            }
        )
        bars.set_title({"name": f"{figure.label}（{rollup.year}年度，按汇总单位）"})
        bars.set_legend({"none": True})
        bars.set_size({"width": max(560, 48 * len(columns)), "height": 300})
        charts.insert_chart(j * height, 0, bars)
    top = len(columns) + 3
    data.write_string(top, 0, "年度", st.head)
    for j, figure in enumerate(MAIN_FIGURES):
        data.write_string(top, 1 + j, figure.label, st.head)
    for i, (year, numbers) in enumerate(series, 1):
        data.write_string(top + i, 0, f"{year}年")
        for j, number in enumerate(numbers):
            if number is not None:
                data.write_number(top + i, 1 + j, float(number))
    shown = [
        (j, figure)
        for j, figure in enumerate(MAIN_FIGURES)
        if figure in figures or any(numbers[j] is not None for _y, numbers in series)
    ]
    for k, (j, figure) in enumerate(shown):
        lines = book.add_chart({"type": "line"})
        lines.add_series(
            {
                "name": [CHART_DATA, top, 1 + j],
                "categories": [CHART_DATA, top + 1, 0, top + len(series), 0],
                "values": [CHART_DATA, top + 1, 1 + j, top + len(series), 1 + j],
                "marker": {"type": "circle"},
            }
        )
        lines.set_title({"name": f"{figure.label}（历年）"})
        lines.set_legend({"none": True})
        lines.show_blanks_as("gap")
        lines.set_size({"width": 560, "height": 300})
        charts.insert_chart(k * height, 10, lines)
    data.set_column(0, 0, 30)
    data.set_column(1, len(MAIN_FIGURES), 16)


def rollup_workbook(
    *, rollup: Rollup, series: Sequence[tuple[int, Sequence[Decimal | None]]]
) -> bytes:
    """The roll-up and its charts as XLSX bytes; ``series`` is each year's
    main figures (``rollup_years.figure_series``)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"strings_to_formulas": False})
    st = _Styles(book)
    for name, part in zip(sheet_names(rollup), rollup.parts, strict=True):
        _part_sheet(book, name, rollup, part, st)
    _members_sheet(book, rollup, st)
    _charts(book, rollup, series, st)
    book.close()
    return buffer.getvalue()
