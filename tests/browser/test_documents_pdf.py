"""PDFs printed by Chromium from the generated corpus's web pages
(tests/reports/importers/test_documents_corpus.py), read back through
``parse_document``: every value exactly, a blank staying blank.

The pages are printed as a clerk would print a published report: A4, the
tables' column headings repeated on every page (``<thead>``), rows not broken
across pages. A failing case names its seed, format and layout.
"""

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser

from reports.importers.documents import DocumentError, parse_document
from tests.reports.importers.test_documents_corpus import (
    SEEDS,
    Case,
    assert_exact,
    make_case,
    page_html,
    print_page,
)

PAGES: dict[str, Callable[[Case], str]] = {
    "merged": page_html,
    "split": lambda case: page_html(case, split=True),
    "print-page": print_page,
}


def printed(browser: Browser, html: str) -> bytes:
    page = browser.new_page()
    try:
        page.route("**/*", lambda route: route.abort())  # never fetch anything
        page.set_content(html)
        return page.pdf(format="A4")
    finally:
        page.close()


@pytest.mark.parametrize("code", ["A", "B"])
@pytest.mark.parametrize("layout", sorted(PAGES))
@pytest.mark.parametrize("seed", SEEDS)
def test_a_pdf_printed_by_chromium_gives_back_exactly_the_values(
    browser: Browser, seed: int, layout: str, code: str
) -> None:
    case = make_case(seed, code)
    data = printed(browser, PAGES[layout](case))
    result = parse_document(
        data, "报告.pdf", table_format=case.table_format, year=case.year
    )
    assert_exact(case, f"pdf-{layout} ({len(data)} bytes)", result)
    if layout == "print-page":
        return  # its seal box stands beside the signatories, on their lines
    for key, value in case.signatories.items():
        assert result.signatories[key] == value, f"{case.name} pdf-{layout}"


def test_a_pdf_without_a_text_layer_is_refused(browser: Browser) -> None:
    # Text drawn as a picture: the PDF holds no character.
    html = (
        "<svg width='400' height='100'><rect width='400' height='100' "
        "fill='#ccc'/></svg>"
    )
    data = printed(browser, html)
    with pytest.raises(DocumentError, match="这是扫描件（没有文字层），无法读取"):
        parse_document(data, "扫描件.pdf")
