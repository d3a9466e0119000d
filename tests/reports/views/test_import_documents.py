"""The import page with a document: a Word file, a web page, the clipboard's
HTML pasted with the text; refused files; every guarantee of the page kept.
"""

import base64
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from reports.models import AnnualReport
from reports.selectors import report_values
from tests.conftest import World
from tests.factories import client_for, make_report
from tests.reports.importers.test_documents_corpus import (
    Case,
    make_case,
    page_html,
    word_document,
)
from tests.reports.views.test_imports import confirm, fresh, preview_form, url


@pytest.fixture
def report(world: World) -> AnnualReport:
    return make_report(agency=world.district, year=2017)


@pytest.fixture
def case() -> Case:
    case = make_case(7, "A")
    case.year = 2017
    case.agency = "吉林市统计局龙潭分局"
    return case


def expected(case: Case) -> dict[str, Decimal]:
    return {c: v for c, v in case.values.items() if isinstance(v, Decimal)}


def assert_nothing_stored(report: AnnualReport) -> None:
    stored = fresh(report)
    assert report_values(stored) == {}
    assert stored.version == report.version


def test_a_word_document_previews_by_table_and_row_and_confirms(
    world: World,
    report: AnnualReport,
    case: Case,
    settings,  # noqa: ANN001
    tmp_path,  # noqa: ANN001
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = client_for(world.clerk)
    data = word_document(case)
    upload = SimpleUploadedFile("年度报告.docx", data)
    response = client.post(
        url(report), {"kind": "text", "text": "", "text_file": upload}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "第 1 个表格第 3 行：(一)主动公开政府信息数" in page
    form = preview_form(page)
    assert form.buttons == ["_confirm"]
    assert form.fields["kind"] == "document"
    assert base64.b64decode(form.fields["document"]) == data
    assert_nothing_stored(report)
    response = confirm(client, report, page)
    assert response.status_code == 302
    stored = fresh(report)
    assert report_values(stored) == expected(case)
    assert stored.source == AnnualReport.Source.TEXT
    assert stored.source_file.name.endswith(".docx")
    with stored.source_file.open("rb") as kept:
        assert kept.read() == data
    assert stored.signed_head == "包太洋"
    assert stored.sections["overview"].startswith(case.sections["overview"])


def test_a_web_page_file_is_read_by_its_table(
    world: World, report: AnnualReport, case: Case
) -> None:
    client = client_for(world.clerk)
    upload = SimpleUploadedFile("报告.html", page_html(case, split=True).encode())
    response = client.post(
        url(report), {"kind": "text", "text": "", "text_file": upload}
    )
    assert response.status_code == 200
    assert confirm(client, report, response.content.decode()).status_code == 302
    assert report_values(fresh(report)) == expected(case)


def test_pasted_text_with_the_clipboards_html_is_read_from_the_html(
    world: World,
    report: AnnualReport,
    case: Case,
    settings,  # noqa: ANN001
    tmp_path,  # noqa: ANN001
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = client_for(world.clerk)
    html = page_html(case)
    # The plain text a browser makes of a table: one cell a line, useless.
    text = "\n".join(part for part in html.split("<") if part) + "\n"
    response = client.post(url(report), {"kind": "text", "text": text, "html": html})
    assert response.status_code == 200
    page = response.content.decode()
    assert "第 1 个表格第 3 行：" in page
    form = preview_form(page)
    assert form.fields["html"] == html
    assert confirm(client, report, page).status_code == 302
    stored = fresh(report)
    assert report_values(stored) == expected(case)
    with stored.source_file.open("rb") as kept:
        assert kept.read().decode() == html


def test_clipboard_html_without_a_table_is_left_for_the_text(
    world: World, report: AnnualReport
) -> None:
    from tests.reports.seed_tables import seed_text

    client = client_for(world.clerk)
    response = client.post(
        url(report),
        {"kind": "text", "text": seed_text("003"), "html": "<p>政府信息公开</p>"},
    )
    assert response.status_code == 200
    form = preview_form(response.content.decode())
    assert "html" not in form.fields
    assert "第 1 个表格" not in response.content.decode()


def scanned_pdf() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (200, 280), "white").save(out, "PDF")
    return out.getvalue()


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * 30_000_000)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("扫描件.pdf", scanned_pdf(), "这是扫描件（没有文字层），无法读取"),
        ("旧版.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "旧版 Word"),
        ("炸弹.docx", zip_bomb(), "压缩炸弹"),
        ("坏的.pdf", b"%PDF-1.7\n" + bytes(300), "已损坏或已加密"),
        ("图片.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "PNG 图片"),
    ],
    ids=["scanned-pdf", "old-doc", "zip-bomb", "broken-pdf", "png"],
)
def test_a_document_that_cannot_be_read_is_refused_in_chinese(
    world: World, report: AnnualReport, name: str, content: bytes, message: str
) -> None:
    upload = SimpleUploadedFile(name, content)
    response = client_for(world.clerk).post(
        url(report), {"kind": "text", "text": "", "text_file": upload}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert_nothing_stored(report)


def test_an_oversize_document_is_refused_before_it_is_read(
    world: World, report: AnnualReport
) -> None:
    upload = SimpleUploadedFile("大.pdf", b"%PDF-1.7\n" + bytes(11 * 1024 * 1024))
    response = client_for(world.clerk).post(
        url(report), {"kind": "text", "text": "", "text_file": upload}
    )
    assert response.status_code == 400
    assert "文件过大（11.0 MB）" in response.content.decode()
    assert_nothing_stored(report)


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("@@@", "请选择报告文件"),
        ("A" * (14 * 1024 * 1024), "一份报告的文件不应超过 10 MB"),
    ],
    ids=["not-base64", "oversize"],
)
def test_a_tampered_document_field_is_refused(
    world: World, report: AnnualReport, field: str, message: str
) -> None:
    response = client_for(world.clerk).post(
        url(report),
        {
            "kind": "document",
            "document": field,
            "document_name": "x.docx",
            "version": str(report.version),
            "_confirm": "1",
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert_nothing_stored(report)


def test_a_stale_document_confirm_is_refused_with_409(
    world: World, report: AnnualReport, case: Case
) -> None:
    client = client_for(world.clerk)
    upload = SimpleUploadedFile("年度报告.docx", word_document(case))
    response = client.post(
        url(report), {"kind": "text", "text": "", "text_file": upload}
    )
    page = response.content.decode()
    AnnualReport.objects.filter(pk=report.pk).update(version=report.version + 1)
    response = confirm(client, report, page)
    assert response.status_code == 409
    assert report_values(fresh(report)) == {}


def test_a_refused_value_in_a_document_blocks_the_confirm(
    world: World, report: AnnualReport, case: Case
) -> None:
    html = page_html(case).replace("<td>条</td><td>", "<td>条</td><td>十二", 1)
    client = client_for(world.clerk)
    upload = SimpleUploadedFile("报告.html", html.encode())
    response = client.post(
        url(report), {"kind": "text", "text": "", "text_file": upload}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "无法读取" in page
    assert preview_form(page).buttons == []
    response = client.post(url(report), {**preview_form(page).fields, "_confirm": "1"})
    assert response.status_code == 400
    assert_nothing_stored(report)
