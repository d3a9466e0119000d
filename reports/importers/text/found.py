"""The statistics tables found in a text, so that the clerk can choose one.

Two reports pasted together hold two tables (``table.read_tables`` tells them
apart by a row met a second time). Each ``FoundTable`` says where its table
is and what goes with it. Its *part* of the text, what is read when it is
chosen, runs from the end of the table before it, or from the title of the
next report when one is printed in between, to the start of the next part:
so choosing a table takes its own report's title year, 填报单位, signatories
and sections, not the other report's.
"""

from dataclasses import dataclass

from reports.importers.text.meta import find_year, is_report_title, read_signatories
from reports.importers.text.rows import TableRead


@dataclass(frozen=True)
class FoundTable:
    """One statistics table of a text; line numbers are 1-based."""

    index: int  # as ``parse_report_text(table_index=…)`` takes it, from 0
    first_line: int  # the table's first and last lines
    last_line: int
    start_line: int  # its part of the text (see the module docstring)
    end_line: int
    title: str  # the report's title printed before the table, "" when none
    agency_name: str | None  # 填报单位 printed in its part
    year: int | None  # the year of its report's title
    table_year: int | None  # the year printed over the table
    values: int  # cells read with a value or "not applicable"
    location: str = ""  # "第 77–390 行"; the sheet importer names sheet and rows

    @property
    def description(self) -> str:
        """What tells it from the others: its report's title, else its 填报单位."""
        if self.title:
            return self.title
        if self.agency_name:
            return f"填报单位：{self.agency_name}"
        return "统计表"


def found_tables(
    reads: list[TableRead], raw_lines: list[str], lines: list[str]
) -> list[FoundTable]:
    """The tables read (``reads``) with their parts of the text."""
    tables = [read for read in reads if read.found]
    starts = [0]
    for before, after in zip(tables, tables[1:], strict=False):
        title = next(
            (
                j
                for j in range(before.last + 1, after.first)
                if is_report_title(lines[j])
            ),
            None,
        )
        starts.append(before.last + 1 if title is None else title)
    ends = [start - 1 for start in starts[1:]] + [len(lines) - 1]
    found = []
    for n, read in enumerate(tables):
        start, end = starts[n], ends[n]
        title = next(
            (
                raw_lines[j].strip()
                for j in range(start, read.first)
                if is_report_title(lines[j])
            ),
            "",
        )
        _signed, agency, _findings = read_signatories(
            raw_lines[start : end + 1], lines[start : end + 1]
        )
        found.append(
            FoundTable(
                index=n,
                first_line=read.first + 1,
                last_line=read.last + 1,
                start_line=start + 1,
                end_line=end + 1,
                title=title,
                agency_name=agency,
                year=find_year(lines[start : end + 1]),
                table_year=read.table_year,
                values=sum(1 for value in read.cells.values() if value is not None),
                location=f"第 {read.first + 1}–{read.last + 1} 行",
            )
        )
    return found
