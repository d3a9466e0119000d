"""The roll-up's tables laid out for the templates, from ``reports.layout``.

A list table (format A, format B's table 二 in 2019) keeps its rows and gets
a value column per roll-up column; a grid (format B's tables) keeps its
heading rows and repeats each of its rows once per roll-up column (本级, each
child, 合计), so every figure stays under its official heading.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reports.exporters.rollup import Part
from reports.exporters.rollup_years import YearsPart
from reports.layout import Block, blocks
from reports.tables import CellValue
from reports.tables.values import fmt, shown


@dataclass(frozen=True)
class Shown:
    text: str  # "" blank, "/" not applicable, or the number
    na: int = 0  # "/" left out of this sum

    @property
    def css(self) -> str:
        return "num" + (" na" if self.text == "/" else "")


def shown_cell(part: Part, column: str, code: str) -> Shown:
    value: CellValue = part.value(column, code)
    return Shown(shown(value), part.na.get(column, {}).get(code, 0))


def part_blocks(part: Part) -> list[dict[str, Any]]:
    """The official tables of ``part``'s format with the roll-up's columns."""
    keys = [c.key for c in part.columns]
    result: list[dict[str, Any]] = []
    for block in blocks(part.table_format):
        if block.kind == "list":
            rows = [
                {
                    "label": row.label,
                    "indent": row.indent,
                    "unit": row.unit,
                    "cells": None
                    if row.slot is None
                    else [shown_cell(part, k, row.slot.cell.code) for k in keys],
                }
                for row in block.rows
            ]
            result.append(_block(block, rows=rows))
            continue
        segments = []
        for segment in block.segments:
            lines = []
            for line in segment.lines:
                subrows = []
                if not line.header:
                    for column in part.columns:
                        cells = [
                            None
                            if slot is None
                            else shown_cell(part, column.key, slot.cell.code)
                            for slot in line.slots
                        ]
                        subrows.append({"column": column, "cells": cells})
                lines.append(
                    {
                        "label": line.label,
                        "indent": line.indent,
                        "header": line.header,
                        "rows": subrows,
                    }
                )
            heads = segment.header_rows()
            segments.append(
                {
                    "heading": segment.heading,
                    "corner": segment.corner,
                    "unit": segment.unit,
                    "header_rows": heads,
                    "depth": len(heads),
                    "width": len(segment.columns) + 2,
                    "span": len(part.columns),
                    "lines": lines,
                }
            )
        result.append(_block(block, segments=segments))
    return result


def _block(block: Block, **parts: Any) -> dict[str, Any]:
    return {
        "kind": block.kind,
        "title": block.title,
        "note": block.note,
        "columns": block.columns,
        **parts,
    }


def _signed(value: Decimal | None) -> str:
    if value is None:
        return ""
    return ("+" if value > 0 else "") + fmt(value)


def _percent(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{'+' if value > 0 else ''}{value:.1f}%"


def _years_cells(part: YearsPart, code: str) -> list[dict[str, Any]]:
    cells = []
    for index, year in enumerate(part.years):
        change, percent = part.change(year, code)
        cells.append(
            {
                "value": shown(part.value(year, code)),
                "first": index == 0,
                "change": _signed(change),
                "percent": _percent(percent),
            }
        )
    return cells


def years_blocks(part: YearsPart) -> list[dict[str, Any]]:
    """Rows of the format's cells, each with its years and changes; a grid's
    cells are listed one per row, named by their row and column."""
    result: list[dict[str, Any]] = []
    for block in blocks(part.table_format):
        rows: list[dict[str, Any]] = []
        if block.kind == "list":
            for row in block.rows:
                code = row.slot.cell.code if row.slot else None
                rows.append(
                    {
                        "label": row.label,
                        "indent": row.indent,
                        "unit": row.unit,
                        "cells": _years_cells(part, code) if code else None,
                    }
                )
        else:
            for segment in block.segments:
                if segment.heading:
                    rows.append({"label": segment.heading, "indent": 0, "cells": None})
                for line in segment.lines:
                    if line.header:
                        rows.append(
                            {"label": line.label, "indent": line.indent, "cells": None}
                        )
                        continue
                    for slot, heading in zip(line.slots, segment.columns, strict=False):
                        if slot is None:
                            continue
                        rows.append(
                            {
                                "label": f"{line.label} · {heading}",
                                "indent": line.indent,
                                "unit": slot.cell.unit,
                                "cells": _years_cells(part, slot.cell.code),
                            }
                        )
        result.append(_block(block, rows=rows))
    return result
