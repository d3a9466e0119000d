"""reports.exporters.print: the page to print, sign and stamp.

Read as a browser gets it from ``<id>/print/``: the title, the parts in the
format's order with their text in paragraphs, the tables with the official
form's merged headings, the signatories, the seal box and an A4 page rule.
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from reports.exporters.print import render_print
from reports.tables import get_format
from tests.conftest import World
from tests.factories import client_for
from tests.reports.exporters.filled import filled_report


class Tables(HTMLParser):
    """The page's tables as rows of (tag, text, colspan, rowspan)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[tuple[str, str, int, int]]]] = {}
        self.current: list[list[tuple[str, str, int, int]]] | None = None
        self.cell: list[object] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table":
            self.current = self.tables.setdefault(found.get("data-table") or "", [])
        elif tag == "tr" and self.current is not None:
            self.current.append([])
        elif tag in ("th", "td") and self.current is not None:
            self.cell = [
                tag,
                "",
                int(found.get("colspan") or 1),
                int(found.get("rowspan") or 1),
            ]

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell[1] += data  # type: ignore[operator]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self.cell is not None and self.current is not None:
            self.current[-1].append(tuple(self.cell))  # type: ignore[arg-type]
            self.cell = None
        elif tag == "table":
            self.current = None


def page(world: World, code: str, **kwargs: object) -> str:
    report = filled_report(agency=world.district, code=code, **kwargs)  # type: ignore[arg-type]
    response = client_for(world.clerk).get(
        reverse("admin:reports_annualreport_print", args=[report.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def tables(html: str) -> dict[str, list[list[tuple[str, str, int, int]]]]:
    parser = Tables()
    parser.feed(html)
    return parser.tables


def text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


@pytest.mark.parametrize("code", ["B", "B2019"])
def test_format_b_parts_in_order_with_their_tables(world: World, code: str) -> None:
    html = page(world, code)
    year = 2022 if code == "B" else 2019
    assert f"<h1>吉林市统计局龙潭分局{year}年政府信息公开工作年度报告</h1>" in html
    headings = re.findall(r"<h2>([^<]+)</h2>", html)
    assert headings == [s.title for s in get_format(code).sections]
    # Each part's text in paragraphs, its line breaks kept, blank lines gone.
    assert (
        "<p>overview第一段。<br>第一段的第二行。</p>\n  \n  <p>overview第二段。</p>"
        in html
    )
    # Parts 二–四 carry their tables, after their own text.
    position = {key: html.index(f'data-table="{key}"') for key in ("b2", "b3", "b4")}
    assert html.index("active第二段") < position["b2"] < html.index("三、收到和处理")
    assert position["b2"] < position["b3"] < position["b4"]
    assert html.index("applications第二段") < position["b3"]
    assert html.index("reviews第二段") < position["b4"] < html.index("五、存在的主要")


def test_table_three_and_four_keep_the_official_merged_headings(world: World) -> None:
    found = tables(page(world, "B"))

    three = found["b3"]
    assert three[0] == [
        ("th", "申请人情况", 3, 2),
        ("th", "自然人", 1, 2),
        ("th", "法人或其他组织", 5, 1),
        ("th", "总计", 1, 2),
    ]
    assert [cell[1] for cell in three[1]] == [
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]
    assert three[2][0] == ("th", "一、本年新收政府信息公开申请数量", 3, 1)
    results = next(row for row in three if row[0][1] == "三、本年度办理结果")
    assert results[0][2:] == (1, 22)
    assert results[1] == ("th", "(一)予以公开", 2, 1)
    deny = next(row for row in three if row[0][1] == "(三)不予公开")
    assert deny[0][2:] == (1, 8) and deny[1][1] == "1.属于国家秘密"
    assert all(len(row) == 8 for row in three[2:] if row[0][2] == 3)

    four = found["b4"]
    assert four[0] == [("th", "行政复议", 5, 1), ("th", "行政诉讼", 10, 1)]
    assert four[1][0] == ("th", "结果维持", 1, 2)
    assert four[1][5:] == [("th", "未经复议直接起诉", 5, 1), ("th", "复议后起诉", 5, 1)]
    assert len(four[2]) == 10 and len(four[3]) == 15

    two = found["b2"]
    assert two[0] == [("th", "第二十条第(一)项", 4, 1)]
    assert two[4] == [("th", "第二十条第(五)项", 4, 1)]
    assert two[5] == [("th", "信息内容", 1, 1), ("th", "本年处理决定数量", 3, 1)]
    assert "/" in [cell[1] for row in two for cell in row if cell[0] == "td"]


def test_format_a_table_after_the_text_blanks_blank(world: World) -> None:
    html = page(world, "A")
    headings = re.findall(r"<h2>([^<]+)</h2>", html)
    assert headings[:2] == ["一、概述", "二、主动公开政府信息情况"]
    assert headings[-1] == "八、其他需要报告的事项"
    assert '<h2 class="nb-table-title">政府信息公开情况统计表</h2>' in html
    assert html.index("八、其他需要报告的事项") < html.index('data-table="a"')
    assert "（2017年度）" in html and "填报单位：吉林市统计局龙潭分局" in html
    rows = tables(html)["a"]
    assert rows[0] == [("th", "统计指标", 1, 1), ("th", "单位", 1, 1)] + [
        ("th", "统计数", 1, 1)
    ]
    by_label = {row[0][1]: row for row in rows[1:]}
    assert by_label["一、主动公开情况"][1:] == [
        ("td", "—", 1, 1),
        ("td", "", 1, 1),
    ]
    # a1_gazette is blank in the typed values, a1_wechat is 0: not the same.
    assert by_label["1.政府公报公开政府信息数"][2][1] == ""
    assert by_label["4.政务微信公开政府信息数"][2][1] == "0"


def test_signatories_seal_and_a4(world: World) -> None:
    html = page(world, "A")
    plain = text(html)
    assert "单位负责人：包太洋" in plain.replace("\n", "")
    assert "填报日期：2018年2月28日" in plain.replace("\n", "")
    assert "印章" in plain
    assert "@page { size: A4 portrait" in html
    assert "@media print {\n  html, body { background: none; }" in html
    assert 'lang="zh-Hans"' in html


def test_text_is_escaped_and_formulas_stay_text(world: World) -> None:
    html = page(
        world,
        "B",
        sections={"overview": "=1+1\n<script>alert(1)</script>"},
        signatories={"signed_head": "@x", "signed_reviewer": "=1+1"},
    )
    assert "<script>alert(1)</script>" not in html
    assert "<p>=1+1<br>&lt;script&gt;alert(1)&lt;/script&gt;</p>" in html
    assert "<dd>@x</dd>" in html and "<dd>=1+1</dd>" in html


def test_an_empty_part_keeps_its_heading(world: World) -> None:
    report = filled_report(agency=world.district, code="B", sections={})
    html = render_print(report)
    assert re.findall(r"<h2>([^<]+)</h2>", html) == [
        s.title for s in get_format("B").sections
    ]
    assert "<p>" not in html.split("<h1>")[1].split('<div class="nb-signing">')[0]
