"""The one rule that reads a number as a clerk or a file wrote it.

``parse_number`` decides, for every way a number comes in: the change form
(``Cell.clean``), the flat and sheet imports (``Cell.clean`` on each value),
the text and official-layout imports (``Cell.number`` on each number token)
and the form's script, which gets the same pattern and translation through
the page (``NUMBER_PATTERN``, ``number_syntax``) and so refuses what the
server refuses, with the same message.

Accepted: the digits 0-9 and their full-width forms, an optional sign, a
decimal point, and commas only as thousands separators ("1,234",
"12,345,678", "１，２３４", "1,234.5"). Refused: a comma anywhere else ("1,5",
"0,35", "1,,2", ",5"), the digits of other scripts ("١٢", "१२", which Python's
``Decimal`` and ``\\d`` would take), exponents, underscores, "NaN".
"""

import re
from decimal import Decimal
from typing import Final

# Full-width characters typed with a Chinese input method, read as their
# ASCII forms; the script applies the same translation.
FULLWIDTH: Final = {
    **{chr(0xFF10 + n): str(n) for n in range(10)},
    "．": ".",
    "，": ",",
    "－": "-",
    "＋": "+",
}
_FULLWIDTH = str.maketrans(FULLWIDTH)

# A number once full-width characters are translated. Written for both
# Python's re and JavaScript's RegExp: [0-9], never \d (which in Python takes
# every script's digits); a leading group of 1-3 digits without a leading
# zero, then groups of exactly three.
NUMBER_PATTERN: Final = (
    r"^[+-]?(?:(?:[1-9][0-9]{0,2}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+)$"
)
_NUMBER = re.compile(NUMBER_PATTERN)

COMMA_HINT: Final = "逗号只能用作千位分隔符，每三位一个（如 1,234），小数点请用“.”"
DIGITS_HINT: Final = "请用数字 0–9 填写"
# The refusal of a cell's value; ``hint`` is "" or "：" and one of the hints.
REFUSAL: Final = "「{name}」的值“{raw}”不是数字{hint}。"


class NumberError(ValueError):
    """Text that is not a number; ``hint`` says why when it can be told."""

    def __init__(self, text: str, hint: str = "") -> None:
        super().__init__(f"{text!r} is not a number")
        self.text = text
        self.hint = hint


def parse_number(text: str) -> Decimal:
    """The number ``text`` spells (surrounding spaces ignored), or NumberError."""
    spelled = text.strip().translate(_FULLWIDTH)
    if _NUMBER.fullmatch(spelled) is None:
        raise NumberError(text, _hint(spelled))
    return Decimal(spelled.replace(",", ""))


def _hint(spelled: str) -> str:
    if any(c.isdecimal() and not "0" <= c <= "9" for c in spelled):
        return DIGITS_HINT
    if "," in spelled:
        return COMMA_HINT
    return ""


def number_refusal(name: str, raw: object, error: NumberError) -> str:
    """The message that refuses ``raw`` in the cell called ``name``."""
    hint = f"：{error.hint}" if error.hint else ""
    return REFUSAL.format(name=name, raw=raw, hint=hint)


def number_syntax() -> dict[str, object]:
    """What the form's script needs, besides ``NUMBER_PATTERN``, to read
    numbers as ``parse_number`` does: the translation, the hints and the
    wording of a refusal (the script picks the hint as ``_hint`` does)."""
    return {
        "fullwidth": dict(FULLWIDTH),
        "hints": {"digits": DIGITS_HINT, "comma": COMMA_HINT},
        "refusal": REFUSAL,
    }
