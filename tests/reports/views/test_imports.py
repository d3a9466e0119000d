"""The per-report import page: paste or upload, preview, confirm.

The clerk of 吉林市统计局龙潭分局 imports into the district's 2017 report; the
confirm posts back exactly the hidden fields the preview page carries, as a
browser would.
"""

import base64
import contextlib
import io
from decimal import Decimal
from html.parser import HTMLParser

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client

from reports.importers.sheets import read_sheets
from reports.models import AnnualReport
from reports.selectors import report_values
from reports.services import report_save_values
from reports.tables import Header, get_format
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


@pytest.mark.parametrize(
    ("printed_as", "message"),
    [
        ("-5", "「主动公开规范性文件数」（条）不能为负数：-5"),
        ("12.5", "「主动公开规范性文件数」（条）应为整数：12.5"),
        ("十二", "第 103 行“十二”：「主动公开规范性文件数」的值无法读取"),
    ],
    ids=["negative", "fraction", "chinese-numeral"],
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
    form = preview_form(page)
    assert form.buttons == []  # no confirm offered
    # Confirming anyway, by hand: the other 39 cells are not written either.
    form.fields["into_this_report"] = "1"
    refused = client.post(url(report), {**form.fields, "_confirm": "确认"})
    assert refused.status_code == 400
    assert "没有导入任何内容" in refused.content.decode()
    assert_nothing_stored(report)


def test_two_reports_pasted_together_cannot_be_confirmed(
    world: World, report: AnnualReport
) -> None:
    text = seed("003") + "\n\n" + seed("002")
    client = client_for(world.clerk)
    page = client.post(url(report), {"kind": "text", "text": text}).content.decode()
    assert "文中有两张统计表" in page
    assert "请只粘贴本报告的全文" in page
    assert preview_form(page).buttons == []
    refused = confirm(client, report, page)
    assert refused.status_code == 400
    assert_nothing_stored(report)


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


# Limits and requests that cannot be read ---------------------------------------


def test_an_oversize_text_file_is_refused_in_chinese(
    world: World, report: AnnualReport
) -> None:
    data = ("2017年政府信息公开工作年度报告\n" + "政务公开。\n" * 350_000).encode()
    assert 5 * 1024 * 1024 < len(data) < 6 * 1024 * 1024  # under 5 M characters
    upload = SimpleUploadedFile("年报.txt", data, "text/plain")
    response = client_for(world.clerk).post(
        url(report), {"kind": "text", "text": "", "text_file": upload}
    )
    assert response.status_code == 400
    assert "文本文件过大（5.3 MB）" in response.content.decode()
    assert_nothing_stored(report)


def test_a_confirm_that_names_no_source_is_refused_with_a_message(
    world: World, report: AnnualReport
) -> None:
    response = client_for(world.clerk).post(
        url(report), {"text": "x", "version": "1", "_confirm": "1"}
    )
    assert response.status_code == 400
    assert "请粘贴报告全文，或选择一个电子表格文件" in response.content.decode()
    assert_nothing_stored(report)


@pytest.mark.parametrize("version", ["abc", "", None], ids=["abc", "empty", "none"])
def test_a_confirm_with_a_bad_version_is_refused_not_crashed(
    world: World, report: AnnualReport, version: str | None
) -> None:
    client = client_for(world.clerk)
    form = preview_form(
        client.post(url(report), {"kind": "text", "text": own_text()}).content.decode()
    ).fields
    form.pop("version")
    if version is not None:
        form["version"] = version
    response = client.post(url(report), {**form, "_confirm": "确认"})
    assert response.status_code == 400
    assert "预览已失效，请重新预览" in response.content.decode()
    assert_nothing_stored(report)


# Sheet ------------------------------------------------------------------------

SHEET_VALUES = {"a1_total": 5, "a1_website": 5, "a8_staff": 5, "a7_fees": "0.35"}


def official_sheet(values: dict[str, object] = SHEET_VALUES) -> bytes:
    """Format A's official layout, 龙潭分局's own numbers (``values``)."""
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = workbook.add_worksheet("统计表")
    rows: list[list[object]] = [
        ["政府信息公开情况统计表"],
        ["(2017年度)"],
        ["填报单位：吉林市统计局龙潭分局"],
        ["统计指标", "单位", "统计数"],
    ]
    for row in get_format("A").tables[0].rows:
        if isinstance(row, Header):
            rows.append([row.label, "—", None])
        else:
            value = values.get(row.code)
            with contextlib.suppress(TypeError, ValueError):
                value = float(value)  # type: ignore[arg-type]
            rows.append([row.label, row.unit, value])
    rows.append(["单位负责人：宋玉玲  审核人：李永吉  填报人：刘沛雨"])
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    workbook.close()
    return out.getvalue()


def test_a_sheet_previews_with_sheet_and_row_and_confirms(
    world: World,
    report: AnnualReport,
    settings,  # noqa: ANN001
    tmp_path,  # noqa: ANN001
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = client_for(world.clerk)
    data = official_sheet()
    upload = SimpleUploadedFile("统计表.xlsx", data)
    response = client.post(url(report), {"kind": "sheet", "sheet_file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "工作表“统计表”第 6 行：(一)主动公开政府信息数" in page
    assert "找到 4 / 58 个单元格" in page
    assert "文本中的填报单位" not in page  # it is this report's agency
    form = preview_form(page)
    assert form.buttons == ["_confirm"]
    assert form.fields["kind"] == "sheet"
    assert form.fields["sheet"]  # the file, base64, travels with the preview
    assert report_values(fresh(report)) == {}
    response = confirm(client, report, page)
    assert response.status_code == 302
    stored = fresh(report)
    assert report_values(stored) == printed(SHEET_VALUES)
    assert stored.source == AnnualReport.Source.SPREADSHEET
    assert stored.source_text == ""
    # The original is kept with the report, under the clerk's file name.
    assert stored.source_file.name.endswith(".xlsx")
    assert "统计表" in stored.source_file.name
    with stored.source_file.open("rb") as kept:
        assert kept.read() == data
    assert stored.signed_head == "宋玉玲"
    assert stored.version == report.version + 1


def test_a_sheet_row_that_fits_no_cell_is_listed_in_the_preview(
    world: World, report: AnnualReport
) -> None:
    data = official_sheet()
    extra = io.BytesIO()
    workbook = xlsxwriter.Workbook(extra, {"in_memory": True})
    sheet = workbook.add_worksheet("统计表")
    for r, row in enumerate(read_sheets(data)[0].rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, str(value) if isinstance(value, Decimal) else value)
    sheet.write_row(70, 0, ["八、其他补充指标", "个", 3])
    workbook.close()
    upload = SimpleUploadedFile("统计表.xlsx", extra.getvalue())
    client = client_for(world.clerk)
    response = client.post(url(report), {"kind": "sheet", "sheet_file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "无法归入单元格的行" in page
    assert "工作表“统计表”第 71 行：八、其他补充指标 | 个 | 3 |" in page
    assert confirm(client, report, page).status_code == 302
    assert report_values(fresh(report)) == printed(SHEET_VALUES)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "看起来是PNG 图片"),
        (b"\x00\x01\x02binary", "二进制文件"),
        (b"PK\x03\x04" + bytes(40), "已损坏或已加密"),
    ],
    ids=["png", "binary", "broken-zip"],
)
def test_a_file_that_is_no_sheet_is_refused_in_chinese(
    world: World, report: AnnualReport, content: bytes, message: str
) -> None:
    upload = SimpleUploadedFile("统计表.xlsx", content)
    response = client_for(world.clerk).post(
        url(report), {"kind": "sheet", "sheet_file": upload}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "不是 XLSX 或 CSV 文件" in page or "无法作为 XLSX 读取" in page
    assert report_values(fresh(report)) == {}


def test_a_tampered_sheet_field_is_refused(world: World, report: AnnualReport) -> None:
    response = client_for(world.clerk).post(
        url(report), {"kind": "sheet", "sheet": "not base64!", "_confirm": "1"}
    )
    assert response.status_code == 400
    assert "请选择一个电子表格文件" in response.content.decode()
    assert fresh(report).version == report.version


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-5, "工作表“统计表”第 7 行：「主动公开规范性文件数」（条）不能为负数：-5"),
        ("十二", "工作表“统计表”第 7 行：「主动公开规范性文件数」的值无法读取"),
    ],
    ids=["negative", "chinese-numeral"],
)
def test_a_refused_sheet_value_blocks_the_import(
    world: World, report: AnnualReport, value: object, message: str
) -> None:
    data = official_sheet({**SHEET_VALUES, "a1_normative": value})
    client = client_for(world.clerk)
    upload = SimpleUploadedFile("统计表.xlsx", data)
    page = client.post(
        url(report), {"kind": "sheet", "sheet_file": upload}
    ).content.decode()
    assert message in page
    assert preview_form(page).buttons == []
    refused = confirm(client, report, page)
    assert refused.status_code == 400
    assert report_values(fresh(report)) == {}
    assert fresh(report).version == report.version


def padded_csv(size: int) -> bytes:
    """The official layout as CSV, padded with empty rows to ``size`` bytes."""
    lines = ["政府信息公开情况统计表", "(2017年度)", "统计指标,单位,统计数"]
    for row in get_format("A").tables[0].rows:
        if not isinstance(row, Header):
            value = SHEET_VALUES.get(row.code)
            lines.append(f"{row.label},{row.unit},{'' if value is None else value}")
    data = "\n".join(lines).encode() + b"\n"
    return data + b",,\n" * ((size - len(data)) // 3)


def test_an_oversize_sheet_sent_back_as_base64_is_refused(
    world: World, report: AnnualReport
) -> None:
    data = padded_csv(3 * 1024 * 1024)
    response = client_for(world.clerk).post(
        url(report),
        {
            "kind": "sheet",
            "sheet": base64.b64encode(data).decode(),
            "sheet_name": "统计表.csv",
            "version": str(report.version),
            "_confirm": "1",
        },
    )
    assert response.status_code == 400
    assert "单份报告的表格不应超过 2 MB" in response.content.decode()
    assert report_values(fresh(report)) == {}
    assert fresh(report).version == report.version


# Conflicts and permissions ----------------------------------------------------


def test_a_stale_confirm_is_refused_and_overwrites_nothing(
    world: World, report: AnnualReport
) -> None:
    client = client_for(world.clerk)
    preview = client.post(url(report), {"kind": "text", "text": seed("003")})
    page = preview.content.decode()
    # Someone saves in between.
    saved = report_save_values(
        report=fresh(report),
        user=world.clerk,
        expected_version=report.version,
        values={"a1_total": 7, "a4_reviews": 3},
    ).report
    response = confirm(client, report, page, tick=True)
    assert response.status_code == 409
    page = response.content.decode()
    assert "没有保存" in page and "请重新预览" in page
    assert "已把本报告保存到第 2 版（预览时是第 1 版）" in page
    # The page is a fresh preview: against what is stored now.
    assert preview_form(page).fields["version"] == str(saved.version)
    stored = fresh(report)
    assert stored.version == saved.version
    assert report_values(stored) == {"a1_total": 7, "a4_reviews": 3}
    assert stored.source_text == ""


def test_outsider_gets_404(world: World, report: AnnualReport) -> None:
    client = client_for(world.outsider)
    assert client.get(url(report)).status_code == 404
    response = client.post(url(report), {"kind": "text", "text": seed("003")})
    assert response.status_code == 404
    assert report_values(fresh(report)) == {}


def test_reviewer_may_see_the_report_but_not_import(
    world: World, report: AnnualReport
) -> None:
    client = client_for(world.reviewer)
    change = f"/admin/reports/annualreport/{report.pk}/change/"
    assert client.get(change).status_code == 200
    assert client.get(url(report)).status_code == 403
    response = client.post(
        url(report), {"kind": "text", "text": seed("003"), "_confirm": "1"}
    )
    assert response.status_code == 403
    assert report_values(fresh(report)) == {}


def test_an_approved_report_cannot_be_imported_into(
    world: World, report: AnnualReport
) -> None:
    AnnualReport.objects.filter(pk=report.pk).update(
        status=AnnualReport.Status.APPROVED
    )
    client = client_for(world.clerk)
    response = client.get(url(report))
    assert response.status_code == 409
    assert "状态为“已通过”，不能导入" in response.content.decode()
    response = client.post(
        url(report), {"kind": "text", "text": seed("003"), "_confirm": "1"}
    )
    assert response.status_code == 409
    assert "没有导入任何内容" in response.content.decode()
    assert report_values(fresh(report)) == {}


def test_the_clerk_sees_the_empty_form(world: World, report: AnnualReport) -> None:
    response = client_for(world.clerk).get(url(report))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="text"' in page and 'name="sheet_file"' in page
    assert "不会清空已有的单元格" in page
