"""The roll-up over the years: a subtree's totals for several years side by
side with the change, and the main figures that the charts draw.

Sums follow the rules of ``reports.exporters.rollup`` (chosen statuses, one
format at a time, blanks and "/" add nothing). The years of one format make
one part; a change is taken from the previous chosen year of the same part.
Figures (``MAIN_FIGURES``) are the formats' headline numbers
(``TableFormat.headlines``), so a line over the years crosses the 2019 change
of format.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet

from agencies.models import Agency
from reports.exporters.rollup import (
    STATUS_CHOICES,
    cell_value,
    normal,
    sum_annotations,
)
from reports.models import AnnualReport, ReportValue
from reports.tables import FORMATS, CellValue, TableFormat, get_format
from reports.tables import format_for_year as year_format
from reports.tables.base import HEADLINES

# --- the main figures, for the charts --------------------------------------


@dataclass(frozen=True)
class MainFigure:
    """A headline number of the roll-up, read from each format's cells."""

    label: str
    codes: Mapping[str, tuple[str, ...]]  # format code -> cells added up

    def of(self, format_code: str, values: Mapping[str, CellValue]) -> Decimal | None:
        numbers = [
            v
            for c in self.codes.get(format_code, ())
            if isinstance(v := values.get(c), Decimal)
        ]
        return sum(numbers, Decimal(0)) if numbers else None


MAIN_FIGURES = tuple(
    MainFigure(
        name,
        {f.code: f.headlines[name] for f in FORMATS.values() if name in f.headlines},
    )
    for name in HEADLINES
)


def figures_for(format_code: str) -> list[MainFigure]:
    return [f for f in MAIN_FIGURES if format_code in f.codes]


def figure_codes() -> set[str]:
    return {c for f in MAIN_FIGURES for codes in f.codes.values() for c in codes}


def yearly_values_query(
    node: Agency,
    years: Iterable[int],
    statuses: Iterable[str],
    codes: Iterable[str] | None = None,
) -> QuerySet:
    """(year, format, code, total, filled, na) for the subtree: one statement."""
    rows = ReportValue.objects.filter(
        report__agency__path__startswith=node.path,
        report__year__in=list(years),
        report__status__in=list(statuses),
    )
    if codes is not None:
        rows = rows.filter(code__in=sorted(codes))
    return (
        rows.values("report__year", "report__format", "code")
        .annotate(**sum_annotations())
        .order_by()
    )


def yearly_values(
    node: Agency,
    years: Iterable[int],
    statuses: Iterable[str],
    codes: Iterable[str] | None = None,
) -> dict[tuple[int, str], dict[str, CellValue]]:
    """Subtree totals by (year, format) and code."""
    result: dict[tuple[int, str], dict[str, CellValue]] = defaultdict(dict)
    for row in yearly_values_query(node, years, statuses, codes):
        key = (row["report__year"], row["report__format"])
        result[key][row["code"]] = cell_value(row["total"], row["filled"], row["na"])
    return dict(result)


def figure_series(
    node: Agency, years: Iterable[int], statuses: Iterable[str]
) -> list[tuple[int, list[Decimal | None]]]:
    """Each year's main figures (``MAIN_FIGURES`` order) for the subtree."""
    years = sorted(set(years))
    values = yearly_values(node, years, statuses, codes=figure_codes())
    series = []
    for year in years:
        shown: list[Decimal | None] = []
        for figure in MAIN_FIGURES:
            found = [
                n
                for (y, fmt), cells in values.items()
                if y == year and (n := figure.of(fmt, cells)) is not None
            ]
            shown.append(sum(found, Decimal(0)) if found else None)
        series.append((year, shown))
    return series


# --- year over year ---------------------------------------------------------


@dataclass
class YearsPart:
    """One format's cells for the chosen years of that format."""

    table_format: TableFormat
    years: list[int]
    values: dict[int, dict[str, CellValue]]
    included: dict[int, int]

    def value(self, year: int, code: str) -> CellValue:
        return self.values.get(year, {}).get(code)

    def previous(self, year: int) -> int | None:
        index = self.years.index(year)
        return self.years[index - 1] if index else None

    def change(self, year: int, code: str) -> tuple[Decimal | None, Decimal | None]:
        """The difference to the previous chosen year, and it in percent."""
        before = self.previous(year)
        now = self.value(year, code)
        then = self.value(before, code) if before is not None else None
        if not isinstance(now, Decimal) or not isinstance(then, Decimal):
            return None, None
        percent = ((now - then) * 100 / then).quantize(Decimal("0.1")) if then else None
        return normal(now - then), percent


@dataclass
class YearsRollup:
    node: Agency
    years: list[int]
    statuses: tuple[str, ...]
    parts: list[YearsPart]


def years_rollup(
    *,
    node: Agency,
    years: Iterable[int],
    statuses: Iterable[str] = STATUS_CHOICES["approved"],
) -> YearsRollup:
    """Each cell of the subtree's totals for ``years`` side by side, a part
    per format (two statements: the sums and the report counts)."""
    years = sorted(set(years))
    statuses = tuple(statuses)
    values = yearly_values(node, years, statuses)
    counts = (
        AnnualReport.objects.filter(
            agency__path__startswith=node.path,
            year__in=years,
            status__in=statuses,
        )
        .values("year", "format")
        .annotate(n=Count("pk"))
        .order_by()
    )
    included = {(row["year"], row["format"]): row["n"] for row in counts}
    keys = set(values) | set(included)
    for year in years:
        if not any(y == year for y, _fmt in keys):
            keys.add((year, year_format(year).code))
    parts: dict[str, YearsPart] = {}
    for year, code in sorted(keys):
        part = parts.setdefault(code, YearsPart(get_format(code), [], {}, {}))
        part.years.append(year)
        part.values[year] = values.get((year, code), {})
        part.included[year] = included.get((year, code), 0)
    return YearsRollup(
        node=node, years=years, statuses=statuses, parts=list(parts.values())
    )
