"""What a table prints where a value stands, and what it is worth.

A field there is a number ("85,674", "1.4万", "5条", "0.35万元"), "not
applicable" ("/", "—"), a unit, or something that is no number at all but is
still written as a value: "十二", "三十余", "若干", "约5", "无". The last kind
is told apart from a row label, a heading, a date or a sentence by
``looks_like_value``: a short field made only of digits, Chinese numerals,
words of approximation ("约", "余", "左右" …) and a unit, or one of the words
a clerk writes for "none", "some" or "unknown". The table reader refuses such
a field in the cell's name when it stands in a row's place for a value, and
reports its line as unplaced anywhere else. A page number ("- 3 -", "第3页",
"第 3 页 共 12 页", "3/12") is neither a value nor content: ``is_page_number``.

What a number is worth is decided by ``Cell.number`` (``parse_number``, the
one number rule): ``parse_value`` only finds the number, its "万" and unit.
"""

import re
from decimal import Decimal

from reports.importers.labels import has_numbering, squeeze
from reports.tables import FORMATS, Cell, CellValue, CellValueError
from reports.tables.base import NA_SPELLINGS, ValueType

# The units the formats print, and "元", which some tables print for 万元.
UNITS = frozenset(
    {cell.unit for f in FORMATS.values() for cell in f.cells.values()} | {"元"}
)
_UNITS_LONGEST_FIRST = sorted(UNITS, key=len, reverse=True)  # 万元 before 元
_UNIT_NAMES = "|".join(_UNITS_LONGEST_FIRST)
# Finds a number token as printed (spaces removed, not NFKC-normalised):
# digits of any script, commas and points, an optional "万" and unit. It only
# finds; what the token is worth, or why it is refused, is decided by
# ``Cell.number`` (parse_number, the one number rule), so that "1,5" or "١٢"
# is refused in the cell's name, as the change form refuses it.
_VALUE = re.compile(rf"^([+\-＋－]?[\d,.，．]*\d)(万(?!元))?({_UNIT_NAMES})?$")
_TOKEN_SPACE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]+")
NA = frozenset(squeeze(s) for s in NA_SPELLINGS) | {"—", "——", "-", "--", "/"}

YUAN_PER_WAN = Decimal(10000)
MAX_VALUE_CHARS = 12  # a value as written is short; a longer field is text
MAX_PAGE_CHARS = 20  # "第12页/共30页", spaces aside
_NUMERALS = "零〇○一二三四五六七八九十百千万亿两壹贰貳叁肆伍陆陸柒捌玖拾佰仟萬億兩"
_APPROXIMATELY = (
    "大约",
    "大概",
    "将近",
    "接近",
    "超过",
    "不到",
    "不足",
    "少于",
    "多于",
    "以上",
    "以下",
    "左右",
    "上下",
    "约",
    "近",
    "逾",
    "超",
    "余",
    "多",
    "几",
    "数",
    "来",
    "共",
    "计",
)
# A value written without (only) digits: numerals, approximations, digits
# and the signs that go with them ("3-5", "5~6", "5%", "(5)").
_WRITTEN = re.compile(
    "(?:" + "|".join(_APPROXIMATELY) + rf"|[{_NUMERALS}]|[\d.,+\-~～—/()%])+"
)
# What clerks write instead of a number: "none", "some", "unknown".
WORDS = frozenset(
    {
        "若干",
        "无",
        "没有",
        "不详",
        "未知",
        "不清楚",
        "未统计",
        "无法统计",
        "待统计",
        "暂无",
        "暂无数据",
        "无数据",
        "待定",
        "略",
        "空",
        "少量",
        "大量",
        "较多",
        "很多",
        "零星",
        "未填",
    }
)
_PAGE = re.compile(
    r"^(?:[-—–─_·•~]+\d{1,4}[-—–─_·•~]+"
    r"|第\d{1,4}页(?:[,/]?共\d{1,4}页)?"
    r"|共\d{1,4}页[,/]?第\d{1,4}页"
    r"|page\d{1,4}(?:of\d{1,4})?)$",
    re.IGNORECASE,
)
_PAGE_OF = re.compile(r"^(\d{1,4})/(\d{1,4})$")  # "3/12": page 3 of 12


def number_token(text: str) -> re.Match[str] | None:
    """(number, 万, unit) of a field that is a number as printed, else None."""
    return _VALUE.match(_TOKEN_SPACE.sub("", text))


def is_page_number(text: str) -> bool:
    """A page number as printed between pages: "- 3 -", "第3页共12页", "3/12"."""
    if len(_TOKEN_SPACE.sub("", text)) > MAX_PAGE_CHARS:
        return False
    squeezed = squeeze(text)
    page_of = _PAGE_OF.match(squeezed)
    if page_of:
        return 0 < int(page_of.group(1)) <= int(page_of.group(2))
    return bool(_PAGE.match(squeezed))


def looks_like_value(text: str) -> bool:
    """Whether a field that is no number is still written as a value.

    "十二", "十二条", "三十余", "一百多", "壹拾贰", "约5", "5左右", "3-5", "若干",
    "无": yes. A label ("(一)…", "1、…"), a heading, a date ("2018年3月1日"), a
    page number or a sentence: no.
    """
    if len(_TOKEN_SPACE.sub("", text)) > 2 * MAX_VALUE_CHARS:
        return False  # prose: not worth normalising
    squeezed = squeeze(text)
    if not squeezed or len(squeezed) > MAX_VALUE_CHARS or has_numbering(squeezed):
        return False
    if is_page_number(squeezed):
        return False
    for unit in _UNITS_LONGEST_FIRST:
        if squeezed.endswith(unit) and len(squeezed) > len(unit):
            squeezed = squeezed[: -len(unit)]
            break
    if squeezed in WORDS:
        return True
    return bool(_WRITTEN.fullmatch(squeezed)) and any(
        char.isdigit() or char in _NUMERALS for char in squeezed
    )


def in_yuan(text: str, cell: Cell) -> bool:
    """Whether a value of an amount cell (万元) was printed in 元 ("250000元"),
    which ``parse_value`` converts exactly."""
    match = number_token(text)
    return (
        cell.type is ValueType.AMOUNT
        and match is not None
        and match.group(3) == "元"
        and not match.group(2)
    )


def parse_value(text: str, cell: Cell) -> CellValue:
    """A printed value as the cell's value; CellValueError when unreadable.

    The number itself is read by ``Cell.number`` (parse_number: "85674",
    "85,674", full-width digits; never "1,5", "١٢" or "十二"), with around it
    "1.4万" (×10000, counts only and only when the result is whole), a unit
    after the number ("5条", "0.35万元") and "/" or "—" where the cell allows
    "not applicable".
    """
    squeezed = squeeze(text)
    name = cell.display_name
    printed = text.strip()
    if squeezed in NA:
        return cell.clean(squeezed if squeezed in NA_SPELLINGS else "/")
    match = number_token(text)
    if match is None:
        cell.number(squeezed, printed)  # refused in the one rule's words
        raise CellValueError(cell, f"「{name}」的值“{printed}”不是数字。")
    number, wan, unit = match.groups()
    amount = cell.type is ValueType.AMOUNT
    if unit == "元" and amount and not wan:
        value = cell.number(number, printed) / YUAN_PER_WAN
        try:
            return cell.check(value, printed)
        except CellValueError:
            raise CellValueError(
                cell,
                f"「{name}」以万元为单位，“{printed}”折合 {value.normalize():f} "
                f"万元，超过 6 位小数，无法准确换算。",
            ) from None
    if (
        unit == "元"
        or (unit == "万元" and not amount)
        or (unit and unit != "万元" and amount)
    ):
        raise CellValueError(
            cell, f"「{name}」的单位是{cell.unit}，“{printed}”的单位不符。"
        )
    value = cell.number(number, printed)
    if wan:
        if amount:
            raise CellValueError(
                cell, f"「{name}」已以万元为单位，“{printed}”不能再带“万”。"
            )
        value *= 10000
        if value != value.to_integral_value():
            raise CellValueError(
                cell, f"「{name}」（{cell.unit}）应为整数：“{printed}”不是整数。"
            )
    return cell.check(value, printed)
