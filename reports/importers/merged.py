"""Merged ranges of a worksheet, read as Excel shows them.

Excel shows a merged range as its top-left cell; the reader keeps that value
and the other cells blank, as they are in a file Excel wrote. A value in a
covered cell (which a program, not Excel, can leave there) would be read
without anyone having seen it: ``merged_problem`` names it, and the reader
refuses the file (reports/importers/sheets.py).
"""

import re

HINT = "请在 Excel 中打开并保存后再导入"
MERGE_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?")


def cell_name(row: int, column: int) -> str:
    """Excel's name of a 1-based cell: ``cell_name(7, 2) == "B7"``."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def merged_problem(name: str, rows: list[list[object]], merges: list[str]) -> str:
    """Why the merged ranges ``merges`` ("A1:C1") of sheet ``name`` cannot be
    read, in Chinese; "" when they can.

    Only cells inside ``rows`` (the sheet's data from A1) are visited, each at
    most once in all unless ranges overlap (only a damaged file has that), so
    a range over the whole sheet costs no more than the sheet itself.
    """
    budget = sum(len(row) for row in rows)
    for ref in merges:
        match = MERGE_REF.fullmatch(ref.strip())
        if match is None:
            return (
                f"工作表“{name}”的合并单元格“{ref[:30]}”无法识别，"
                f"文件可能已损坏：{HINT}"
            )
        first_col, first_row, last_col, last_row = match.groups()
        top, left = int(first_row), _column_number(first_col)
        bottom = int(last_row or first_row)
        right = _column_number(last_col or first_col)
        top, bottom = min(top, bottom), max(top, bottom)
        left, right = min(left, right), max(left, right)
        for number in range(top, min(bottom, len(rows)) + 1):
            row = rows[number - 1]
            end = min(right, len(row))
            budget -= max(end - left + 1, 0)
            if budget < 0:
                return f"工作表“{name}”的合并单元格相互重叠，文件可能已损坏：{HINT}"
            for column in range(left, end + 1):
                value = row[column - 1]
                if value is not None and (number, column) != (top, left):
                    return (
                        f"工作表“{name}”的合并单元格 {ref} 遮住了单元格 "
                        f"{cell_name(number, column)} 中的内容“{str(value)[:20]}”"
                        "（在 Excel 中看不到），已拒绝读取：请取消合并、核对后再导入"
                    )
    return ""
