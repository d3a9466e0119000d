"""Small charts drawn on the server as SVG markup: grouped bars and lines.

The page embeds the markup as it is: no script, no external file, no font
download. Every text (titles, category and series names) is escaped here, so
an agency named ``<script>`` or ``=1+1`` is drawn as those characters. A
missing value (None) draws no bar and breaks the line.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from reports.tables.values import fmt

Number = Decimal | int | float | None

PALETTE = ("#417690", "#c9731d", "#5b8c3a", "#a33c3c", "#7a5ca3", "#3c8c8c")
TOP, BOTTOM, LEFT, RIGHT = 56, 72, 64, 16
LABEL_CHARS = 8  # category labels longer than this are cut (the tooltip has all)
SIZE = (640, 320)  # least width, height


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Number]


def nice_max(top: float) -> tuple[float, float]:
    """An axis maximum at or above ``top`` and its tick step (1, 2 or 5 × 10^n)."""
    if top <= 0:
        return 1.0, 0.25
    raw = top / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if step < 1 and top >= 1:
        step = 1.0
    return step * math.ceil(top / step), step


def _number(value: Number) -> float | None:
    return None if value is None else float(value)


def _label(value: Number) -> str:
    if value is None:
        return "无数据"
    if isinstance(value, Decimal):
        return fmt(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


class _Canvas:
    """The frame both charts share: title, legend, axes, category labels."""

    def __init__(
        self,
        *,
        title: str,
        categories: Sequence[str],
        series: Sequence[Series],
        size: tuple[int, int],
    ) -> None:
        self.title = title
        self.categories = list(categories)
        self.series = list(series)
        least, self.height = size
        self.width = max(least, LEFT + RIGHT + len(self.categories) * self.slot_width)
        self.plot_w = self.width - LEFT - RIGHT
        self.plot_h = self.height - TOP - BOTTOM
        numbers = [
            n for s in self.series for v in s.values if (n := _number(v)) is not None
        ]
        self.top, self.step = nice_max(max(numbers, default=0.0))
        self.empty = not numbers
        self.parts: list[str] = []

    @property
    def slot_width(self) -> int:
        return max(36, 14 * max(len(self.series), 1) + 16)

    def y(self, value: float) -> float:
        return TOP + self.plot_h - value / self.top * self.plot_h

    def x(self, index: int) -> float:
        """The centre of category ``index``."""
        return LEFT + (index + 0.5) * self.plot_w / max(len(self.categories), 1)

    def frame(self) -> None:
        add = self.parts.append
        add(
            f'<text x="{LEFT}" y="20" class="nb-chart-title" font-size="14" '
            f'font-weight="600">{escape(self.title)}</text>'
        )
        x = LEFT
        # One series: the title names it; several: a legend.
        for i, series in enumerate(self.series if len(self.series) > 1 else []):
            colour = PALETTE[i % len(PALETTE)]
            add(f'<rect x="{x}" y="30" width="10" height="10" fill="{colour}"/>')
            add(
                f'<text x="{x + 14}" y="39" font-size="11">{escape(series.name)}</text>'
            )
            x += 24 + 12 * len(series.name)
        ticks = round(self.top / self.step)
        for k in range(ticks + 1):
            value = self.step * k
            y = self.y(value)
            add(
                f'<line x1="{LEFT}" x2="{self.width - RIGHT}" y1="{y:.1f}" '
                f'y2="{y:.1f}" stroke="#ddd"/>'
            )
            add(
                f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" '
                f'text-anchor="end">{value:g}</text>'
            )
        rotate = len(self.categories) > 8
        base = TOP + self.plot_h
        for i, name in enumerate(self.categories):
            x = self.x(i)
            turn = f' transform="rotate(-40 {x:.1f} {base + 16})"' if rotate else ""
            anchor = "end" if rotate else "middle"
            add(
                f'<text x="{x:.1f}" y="{base + 16}" font-size="11" '
                f'text-anchor="{anchor}"{turn}><title>{escape(name)}</title>'
                f"{escape(_short(name))}</text>"
            )
        add(
            f'<line x1="{LEFT}" x2="{self.width - RIGHT}" y1="{base}" y2="{base}" '
            'stroke="#888"/>'
        )
        if self.empty:
            middle_x, middle_y = LEFT + self.plot_w / 2, TOP + self.plot_h / 2
            add(
                f'<text x="{middle_x:.1f}" y="{middle_y:.1f}" font-size="13" '
                'text-anchor="middle" fill="#888">暂无数据</text>'
            )

    def svg(self) -> SafeString:
        body = "".join(self.parts)
        # Every text above went through escape(); numbers are formatted here.
        return mark_safe(  # noqa: S308
            f'<svg xmlns="http://www.w3.org/2000/svg" class="nb-chart" '
            f'width="{self.width}" height="{self.height}" '
            f'viewBox="0 0 {self.width} {self.height}" role="img" '
            f'aria-label="{escape(self.title)}">{body}</svg>'
        )


def bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    size: tuple[int, int] = SIZE,
) -> SafeString:
    """Grouped bars: one group per category, one bar per series; ``size`` is
    the least width (more categories widen it) and the height."""
    canvas = _Canvas(title=title, categories=categories, series=series, size=size)
    canvas.frame()
    slot = canvas.plot_w / max(len(canvas.categories), 1)
    bar = min(24.0, slot * 0.8 / max(len(canvas.series), 1))
    for i, name in enumerate(canvas.categories):
        left = canvas.x(i) - bar * len(canvas.series) / 2
        for j, series in enumerate(canvas.series):
            value = _number(series.values[i]) if i < len(series.values) else None
            if value is None:
                continue
            y = canvas.y(value)
            canvas.parts.append(
                f'<rect x="{left + j * bar:.1f}" y="{y:.1f}" width="{bar:.1f}" '
                f'height="{TOP + canvas.plot_h - y:.1f}" '
                f'fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(name)} · '
                f"{escape(series.name)}：{_label(series.values[i])}</title></rect>"
            )
    return canvas.svg()


def line_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    size: tuple[int, int] = SIZE,
) -> SafeString:
    """One line per series over the categories (years); None breaks a line."""
    canvas = _Canvas(title=title, categories=categories, series=series, size=size)
    canvas.frame()
    for j, series in enumerate(canvas.series):
        colour = PALETTE[j % len(PALETTE)]
        runs: list[list[tuple[float, float]]] = [[]]
        for i, raw in enumerate(series.values[: len(canvas.categories)]):
            value = _number(raw)
            if value is None:
                runs.append([])
                continue
            point = (canvas.x(i), canvas.y(value))
            runs[-1].append(point)
            canvas.parts.append(
                f'<circle cx="{point[0]:.1f}" cy="{point[1]:.1f}" r="3" '
                f'fill="{colour}"><title>{escape(canvas.categories[i])} · '
                f"{escape(series.name)}：{_label(raw)}</title></circle>"
            )
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                canvas.parts.append(
                    f'<polyline points="{points}" fill="none" stroke="{colour}" '
                    'stroke-width="2"/>'
                )
    return canvas.svg()
