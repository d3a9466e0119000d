"""Reports with every kind of value, for the exporters' tests.

Numbers, zeros (an answer), blanks (missing), "not applicable" where a cell
allows it, amounts to the sixth decimal, negative changes where a cell is
signed; signatories with one left blank; narrative text in paragraphs.
"""

from datetime import date
from decimal import Decimal

from agencies.models import Agency
from reports.models import AnnualReport
from reports.tables import NA, CellValue, get_format
from reports.tables.base import ValueType
from tests.factories import make_report

YEARS = {"A": 2017, "B2019": 2019, "B": 2022}

SIGNATORIES: dict[str, object] = {
    "signed_head": "包太洋",
    "signed_reviewer": "",
    "signed_preparer": "彭莹",
    "contact_phone": "0743-8233025",
    "filled_on": date(2018, 2, 28),
}


def typed_values(code: str) -> dict[str, CellValue]:
    """The values a clerk typed, by cell code; a blank is absent."""
    values: dict[str, CellValue] = {}
    for n, (cell_code, cell) in enumerate(get_format(code).cells.items()):
        if n % 5 == 3:
            continue
        if cell.allows_na and n % 4 == 1:
            values[cell_code] = NA
        elif cell.type is ValueType.AMOUNT:
            values[cell_code] = Decimal("5949.088667") if n % 2 else Decimal("0.35")
        elif cell.type is ValueType.SIGNED_COUNT and n % 2:
            values[cell_code] = Decimal(-3)
        else:
            values[cell_code] = Decimal(0 if n % 7 == 6 else 10 * n + 1)
    return values


def section_texts(code: str) -> dict[str, str]:
    """Two paragraphs a section, the first of two lines."""
    return {
        s.key: f"{s.key}第一段。\n第一段的第二行。\n\n  \n{s.key}第二段。"
        for s in get_format(code).sections
    }


def filled_report(
    *,
    agency: Agency,
    code: str = "A",
    values: dict[str, CellValue] | None = None,
    sections: dict[str, str] | None = None,
    signatories: dict[str, object] | None = None,
) -> AnnualReport:
    return make_report(
        agency=agency,
        year=YEARS[code],
        values=typed_values(code) if values is None else values,
        sections=section_texts(code) if sections is None else sections,
        signatories=SIGNATORIES if signatories is None else signatories,
    )
