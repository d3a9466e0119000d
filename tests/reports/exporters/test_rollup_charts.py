"""The server-drawn SVG charts of the roll-up page (reports/exporters/charts.py)."""

import math
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from reports.exporters.charts import Series, bar_chart, line_chart, nice_max

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 - our own markup, well-formedness


def bars(root: ET.Element) -> list[ET.Element]:
    """The data bars (legend swatches have no tooltip)."""
    return [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]


def test_bar_chart_draws_a_bar_per_value() -> None:
    svg = bar_chart(
        title="主要指标",
        categories=["本级", "吉首市", "凤凰县"],
        series=[
            Series("收到申请数", [Decimal(4), Decimal(7), None]),
            Series("行政复议数", [Decimal(0), Decimal(2), Decimal("1.5")]),
        ],
    )
    root = parse(svg)
    assert root.get("role") == "img" and root.get("aria-label") == "主要指标"
    drawn = bars(root)
    assert len(drawn) == 5  # 凤凰县 has no 收到申请数: no bar
    tips = [r.find(f"{SVG}title").text for r in drawn]
    assert "吉首市 · 收到申请数：7" in tips
    assert "凤凰县 · 行政复议数：1.5" in tips
    heights = {t: float(r.get("height")) for t, r in zip(tips, drawn, strict=True)}
    assert heights["本级 · 行政复议数：0"] == 0
    assert heights["吉首市 · 收到申请数：7"] > heights["本级 · 收到申请数：4"] > 0


def test_line_chart_breaks_where_a_year_has_no_value() -> None:
    svg = line_chart(
        title="历年",
        categories=["2015", "2016", "2017", "2018"],
        series=[Series("收到申请数", [1, 2, None, 4]), Series("空", [None] * 4)],
    )
    root = parse(svg)
    lines = list(root.iter(f"{SVG}polyline"))
    assert len(lines) == 1  # 2015–2016; 2018 stands alone
    assert len(lines[0].get("points").split()) == 2
    assert len(list(root.iter(f"{SVG}circle"))) == 3


def test_text_is_escaped() -> None:
    svg = bar_chart(
        title="<script>alert(1)</script>",
        categories=['"><img src=x onerror=alert(1)>', "=1+1"],
        series=[Series("<b>", [1, 2])],
    )
    assert "<script>" not in svg and "<img" not in svg and "<b>" not in svg
    root = parse(svg)  # still well-formed
    texts = "".join(root.itertext())
    assert "<script>alert(1)</script>" in texts
    assert "=1+1" in texts


def test_no_data_says_so() -> None:
    root = parse(bar_chart(title="空", categories=["本级"], series=[]))
    assert "暂无数据" in "".join(root.itertext())
    root = parse(line_chart(title="空", categories=[], series=[Series("a", [])]))
    assert "暂无数据" in "".join(root.itertext())


def test_many_categories_widen_the_chart_and_turn_the_labels() -> None:
    names = [f"第{i}县人民政府很长的名字" for i in range(40)]
    root = parse(
        bar_chart(title="多", categories=names, series=[Series("a", [1] * 40)])
    )
    assert int(root.get("width")) > 640
    labels = [t for t in root.iter(f"{SVG}text") if t.get("transform")]
    assert len(labels) == 40
    assert labels[0].find(f"{SVG}title").text == names[0]  # full name on hover


@pytest.mark.parametrize(
    ("top", "axis"),
    [(0, 1.0), (7, 8.0), (42, 60.0), (0.45, 0.6), (1000, 1000.0), (1001, 1500.0)],
)
def test_nice_max(top: float, axis: float) -> None:
    found, step = nice_max(top)
    assert found == pytest.approx(axis)
    assert found >= top
    ticks = found / step
    assert ticks == pytest.approx(round(ticks)) and 1 <= round(ticks) <= 5
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 6) in (1, 2, 2.5, 5)
