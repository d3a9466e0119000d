"""The per-report import page: paste or upload, preview, confirm.

The clerk of 吉林市统计局龙潭分局 imports into the district's 2017 report; the
confirm posts back exactly the hidden fields the preview page carries, as a
browser would. The sheet, the guards (limits, malformed requests, conflicts,
permissions) and the choice among several tables have modules of their own
(test_import_sheets, test_import_guards, test_import_choices), which use the
helpers here.
"""

from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client

from reports.models import AnnualReport
from reports.selectors import report_values
from reports.tables import get_format
from tests.conftest import World
from tests.factories import client_for, make_report
from tests.reports.seed_tables import SEED_002, SEED_003, printed
from tests.reports.seed_tables import seed_text as seed


def url(report: AnnualReport) -> str:
    return f"/admin/reports/annualreport/{report.pk}/import-source/"


class _Form(HTMLParser):
    """The fields of the preview's form, as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self.buttons: list[str] = []
        self.checkboxes: list[str] = []
        self.radios: dict[str, list[str]] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "input" and a.get("type") == "hidden" and "name" in a:
            if a["name"] != "csrfmiddlewaretoken":
                self.fields[a["name"]] = a.get("value", "")
        elif tag == "input" and a.get("type") == "submit" and "name" in a:
            self.buttons.append(a["name"])
        elif tag == "input" and a.get("type") == "checkbox" and "name" in a:
            self.checkboxes.append(a["name"])
        elif tag == "input" and a.get("type") == "radio" and "name" in a:
            self.radios.setdefault(a["name"], []).append(a.get("value", ""))
            if "checked" in a:  # a browser sends the checked one
                self.fields[a["name"]] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.fields[self._textarea or ""] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            # A browser drops one newline right after <textarea>.
            self.fields[self._textarea] = self.fields[self._textarea].removeprefix("\n")
            self._textarea = None


def preview_form(page: str) -> _Form:
    form = _Form()
    form.feed(page)
    return form


def confirm(
    client: Client, report: AnnualReport, page: str, *, tick: bool = False
) -> HttpResponse:
    """Post the preview's hidden fields back with the confirm button, and the
    "导入到本报告" box ticked when ``tick``."""
    form = preview_form(page)
    ticked = {"into_this_report": "1"} if tick else {}
    if tick:
        assert form.checkboxes == ["into_this_report"]
    return client.post(url(report), {**form.fields, **ticked, "_confirm": "确认"})


@pytest.fixture
def report(world: World) -> AnnualReport:
    return make_report(agency=world.district, year=2017)


def fresh(report: AnnualReport) -> AnnualReport:
    return AnnualReport.objects.get(pk=report.pk)


# Text -------------------------------------------------------------------------


def test_pasted_text_previews_every_cell_with_its_line_and_saves_nothing(
    world: World, report: AnnualReport
) -> None:
    client = client_for(world.clerk)
    response = client.post(url(report), {"kind": "text", "text": seed("003")})
    assert response.status_code == 200
    page = response.content.decode()
    # Every cell with the line it came from.
    assert "第 294 行：101" in page
    assert "第 99 行：248071" in page
    found = len(printed(SEED_003))
    assert found == 40
    assert f"找到 {found} / 58 个单元格" in page
    # The validator's findings on what was read.
    assert "行政复议数量 101 ≠" in page
    # The text is 湘西州's; the report is 龙潭分局's.
    assert "文本中的填报单位是“湘西州政务公开政务服务管理办公室”" in page
    assert "本报告是“吉林市统计局龙潭分局”" in page
    assert "统计表标注：2017年度" in page
    form = preview_form(page)
    assert form.buttons == ["_confirm"]
    assert form.fields["kind"] == "text"
    assert form.fields["version"] == str(report.version)
    assert form.fields["text"] == seed("003")
    # Nothing saved yet.
    stored = fresh(report)
    assert stored.version == report.version
    assert report_values(stored) == {}
    assert stored.source == report.source
    assert stored.source_text == ""


def test_confirming_the_preview_saves_the_values_as_printed(
    world: World, report: AnnualReport
) -> None:
    client = client_for(world.clerk)
    preview = client.post(url(report), {"kind": "text", "text": seed("003")})
    response = confirm(client, report, preview.content.decode(), tick=True)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/reports/annualreport/{report.pk}/change/"
    stored = fresh(report)
    values = report_values(stored)
    assert values == printed(SEED_003)
    assert values["a4_reviews"] == 101  # as printed, though 56 + 24 + 1 = 81
    assert "a3_answered" not in values  # blank in the table: missing
    assert stored.source == AnnualReport.Source.TEXT
    assert stored.source_text == seed("003")
    assert stored.version == report.version + 1
    assert stored.table_year == 2017
    assert stored.signed_head == "包太洋"
    assert stored.sections["overview"].startswith("2017年,湘西自治州坚持")
    page = client.get(response["Location"]).content.decode()
    assert "已导入 40 个单元格" in page


def test_an_import_blanks_nothing(world: World) -> None:
    report = make_report(
        agency=world.district,
        year=2017,
        values={"a3_answered": 15, "a3_recv_fax": 0, "a1_total": 1},
    )
    client = client_for(world.clerk)
    preview = client.post(url(report), {"kind": "text", "text": seed("003")})
    assert (
        confirm(client, report, preview.content.decode(), tick=True).status_code == 302
    )
    values = report_values(fresh(report))
    assert values["a3_answered"] == 15  # blank in the text: kept
    assert values["a3_recv_fax"] == 0  # kept too
    assert values["a1_total"] == 248071  # printed: replaced


def test_a_work_plan_is_not_a_report_and_cannot_be_confirmed(
    world: World, report: AnnualReport
) -> None:
    client = client_for(world.clerk)
    response = client.post(url(report), {"kind": "text", "text": seed("001")})
    assert response.status_code == 200
    page = response.content.decode()
    assert "这不是政府信息公开工作年度报告" in page
    assert "工作计划" in page
    assert 'name="_confirm"' not in page
    assert preview_form(page).buttons == []
    # Confirming anyway, by hand.
    refused = confirm(client, report, page)
    assert refused.status_code == 400
    assert "这不是政府信息公开工作年度报告" in refused.content.decode()
    stored = fresh(report)
    assert stored.version == report.version
    assert report_values(stored) == {}
    assert stored.source_text == ""


def test_an_uploaded_gbk_text_file_is_read(world: World, report: AnnualReport) -> None:
    text = seed("003").replace("\xa0", " ")  # GBK has no non-breaking space
    upload = SimpleUploadedFile("年报.txt", text.encode("gbk"), "text/plain")
    client = client_for(world.clerk)
    response = client.post(
        url(report), {"kind": "text", "text": "", "text_file": upload}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "第 294 行：101" in page
    assert preview_form(page).fields["text"] == text
    assert confirm(client, report, page, tick=True).status_code == 302
    stored = fresh(report)
    assert report_values(stored) == printed(SEED_003)
    assert stored.source_text == text


def test_the_text_travels_back_unchanged_whatever_it_holds(
    world: World, report: AnnualReport
) -> None:
    text = seed("003") + "\n</textarea><script>alert(1)</script> &amp; <b>\n"
    client = client_for(world.clerk)
    page = client.post(url(report), {"kind": "text", "text": text}).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert preview_form(page).fields["text"] == text
    assert confirm(client, report, page, tick=True).status_code == 302
    assert fresh(report).source_text == text


def test_a_binary_file_as_text_is_refused(world: World, report: AnnualReport) -> None:
    upload = SimpleUploadedFile("年报.txt", b"\x89PNG\r\n\x1a\n\x00\x00")
    response = client_for(world.clerk).post(
        url(report), {"kind": "text", "text": "", "text_file": upload}
    )
    assert response.status_code == 400
    assert "二进制文件" in response.content.decode()
    assert report_values(fresh(report)) == {}


def test_empty_text_is_refused(world: World, report: AnnualReport) -> None:
    response = client_for(world.clerk).post(url(report), {"kind": "text", "text": " "})
    assert response.status_code == 400
    assert "请粘贴报告全文" in response.content.decode()


# What confirming must refuse ---------------------------------------------------


def assert_nothing_stored(report: AnnualReport) -> None:
    stored = fresh(report)
    assert stored.version == report.version
    assert report_values(stored) == {}
    assert stored.source == report.source
    assert stored.source_text == ""


def test_the_preview_counts_the_lines_it_could_not_place(
    world: World, report: AnnualReport
) -> None:
    text = seed("003").replace(
        "\xa0\xa0\xa0\xa0 2、传真申请数",
        "\xa0\xa0\xa0\xa0 2、传真申请数\n\n其他来源申请数 3\n\n网上来源 4",
    )
    response = client_for(world.clerk).post(url(report), {"kind": "text", "text": text})
    page = response.content.decode()
    assert "找到 40 / 58 个单元格" in page
    assert "另有 2 行无法归入单元格（见下）" in page
    assert "其他来源申请数 3" in page
    clean = client_for(world.clerk).post(
        url(report), {"kind": "text", "text": seed("003")}
    )
    assert "无法归入单元格" not in clean.content.decode()


@pytest.mark.parametrize(
    ("printed_as", "message"),
    [
        ("-5", "「主动公开规范性文件数」（条）不能为负数：-5"),
        ("12.5", "「主动公开规范性文件数」（条）应为整数：12.5"),
        ("十二", "第103行：「主动公开规范性文件数」的值“十二”不是数字"),
        ("若干", "第103行：「主动公开规范性文件数」的值“若干”不是数字"),
        ("约 5", "第103行：「主动公开规范性文件数」的值“约 5”不是数字"),
    ],
    ids=["negative", "fraction", "chinese-numeral", "word", "about"],
)
def test_one_refused_value_blocks_the_whole_import(
    world: World, report: AnnualReport, printed_as: str, message: str
) -> None:
    text = seed("003").replace("\n253\n", f"\n{printed_as}\n", 1)
    client = client_for(world.clerk)
    response = client.post(url(report), {"kind": "text", "text": text})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "请改正来源后重新预览" in page
    assert "找到 39 / 58 个单元格" in page
    assert "无法读取" in page  # the cell is marked in the preview
    form = preview_form(page)
    assert form.buttons == []  # no confirm offered
    # Confirming anyway, by hand: the other 39 cells are not written either.
    form.fields["into_this_report"] = "1"
    refused = client.post(url(report), {**form.fields, "_confirm": "确认"})
    assert refused.status_code == 400
    assert "没有导入任何内容" in refused.content.decode()
    assert_nothing_stored(report)


@pytest.mark.parametrize(
    "layout", ["{label}：{value}", "{label}\t条\t{value}", "{label} | 条 | {value} |"]
)
def test_a_non_number_beside_its_label_blocks_the_import(
    world: World, report: AnnualReport, layout: str
) -> None:
    label = "其中:主动公开规范性文件数"
    text = own_text().replace(
        f"{label} |\n条 |\n|", layout.format(label=label, value="十二"), 1
    )
    assert text != own_text()
    client = client_for(world.clerk)
    page = client.post(url(report), {"kind": "text", "text": text}).content.decode()
    assert "「主动公开规范性文件数」的值“十二”不是数字" in page
    assert preview_form(page).buttons == []
    assert confirm(client, report, page).status_code == 400
    assert_nothing_stored(report)


@pytest.mark.parametrize("stray", ["- 3 -", "第 3 页", "续表"])
def test_a_page_number_or_stray_line_under_a_blank_row_does_not_block(
    world: World, report: AnnualReport, stray: str
) -> None:
    """Not a value: the import goes ahead, blanks stay blank."""
    label = "其中:主动公开规范性文件数 |\n条 |\n|"
    text = own_text().replace(label, label + "\n" + stray, 1)
    assert text != own_text()
    client = client_for(world.clerk)
    page = client.post(url(report), {"kind": "text", "text": text}).content.decode()
    assert "不是数字" not in page and "无法读取" not in page
    assert preview_form(page).buttons == ["_confirm"]
    assert confirm(client, report, page).status_code == 302
    values = report_values(fresh(report))
    assert values["a1_website"] == 5
    assert "a1_normative" not in values


def web_page(text: str) -> str:
    """A report as its web page's source, as a clerk might copy it."""
    body = "".join(f"<p>{line}</p>" for line in text.splitlines() if line.strip())
    return f"<html><head><title>年度报告</title></head><body>{body}</body></html>"


def test_html_pasted_as_text_imports_nothing_and_says_so(
    world: World, report: AnnualReport
) -> None:
    client = client_for(world.clerk)
    response = client.post(url(report), {"kind": "text", "text": web_page(seed("003"))})
    page = response.content.decode()
    assert "找到 0 / 58 个单元格" in page
    assert "没有找到可导入的内容" in page
    assert "网页源代码" in page
    assert preview_form(page).buttons == []
    refused = confirm(client, report, page)
    assert refused.status_code == 400
    assert "没有找到可导入的内容" in refused.content.decode()
    assert_nothing_stored(report)


def own_text() -> str:
    """Seed 002 as 龙潭分局 would print it: its own name, the table's year right."""
    return (
        seed("002")
        .replace("龙潭区分局", "龙潭分局")
        .replace("(2016年度)", "(2017年度)")
    )


def test_a_text_of_another_agency_needs_the_tick(
    world: World, report: AnnualReport
) -> None:
    client = client_for(world.clerk)
    page = client.post(
        url(report), {"kind": "text", "text": seed("003")}
    ).content.decode()
    assert preview_form(page).checkboxes == ["into_this_report"]
    assert "导入到本报告" in page
    refused = confirm(client, report, page)
    assert refused.status_code == 400
    assert "请勾选“导入到本报告”" in refused.content.decode()
    assert_nothing_stored(report)
    assert confirm(client, report, page, tick=True).status_code == 302
    assert report_values(fresh(report)) == printed(SEED_003)
    # The report's own text needs no tick.
    page = client.post(
        url(report), {"kind": "text", "text": own_text()}
    ).content.decode()
    assert preview_form(page).checkboxes == []
    assert confirm(client, report, page).status_code == 302
    assert report_values(fresh(report))["a1_website"] == 5


def test_a_text_of_another_year_needs_the_tick(world: World) -> None:
    report = make_report(agency=world.district, year=2016)
    own = seed("002").replace("龙潭区分局", "龙潭分局")  # a table of 2016
    client = client_for(world.clerk)
    page = client.post(url(report), {"kind": "text", "text": own}).content.decode()
    assert "文本中的年度是 2017 年，本报告是 2016 年度" in page
    assert "填报单位是" not in page
    assert preview_form(page).checkboxes == ["into_this_report"]
    assert confirm(client, report, page).status_code == 400
    assert_nothing_stored(report)
    assert confirm(client, report, page, tick=True).status_code == 302
    assert report_values(fresh(report)) == printed(SEED_002)


def test_the_preview_shows_official_labels_never_codes(
    world: World, report: AnnualReport
) -> None:
    page = (
        client_for(world.clerk)
        .post(url(report), {"kind": "text", "text": seed("003")})
        .content.decode()
    )
    assert "主动公开政府信息数" in page
    assert "代码" not in page
    for code in get_format("A").cells:
        assert code not in page
    # Findings are labelled in Chinese too.
    assert ">error<" not in page and ">warning<" not in page
    assert '<span class="nb-badge">错误</span>' in page


def test_reimporting_the_same_text_says_nothing_changed(
    world: World, report: AnnualReport
) -> None:
    client = client_for(world.clerk)
    page = client.post(
        url(report), {"kind": "text", "text": seed("003")}
    ).content.decode()
    assert confirm(client, report, page, tick=True).status_code == 302
    page = client.post(
        url(report), {"kind": "text", "text": seed("003")}
    ).content.decode()
    response = confirm(client, report, page, tick=True)
    assert response.status_code == 302
    shown = client.get(response["Location"]).content.decode()
    assert "没有改动" in shown
    assert "已导入" not in shown


def test_a_confirm_after_the_report_was_submitted_says_why(
    world: World, report: AnnualReport
) -> None:
    client = client_for(world.clerk)
    page = client.post(
        url(report), {"kind": "text", "text": seed("003")}
    ).content.decode()
    AnnualReport.objects.filter(pk=report.pk).update(
        status=AnnualReport.Status.SUBMITTED
    )
    response = confirm(client, report, page, tick=True)
    assert response.status_code == 409
    shown = response.content.decode()
    assert "本报告状态为“已提交”，不能导入，没有导入任何内容" in shown
    assert "已导入" not in shown
    assert report_values(fresh(report)) == {}
