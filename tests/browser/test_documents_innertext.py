"""The generated corpus's web pages as Chromium renders them to text, read
back through ``parse_report_text`` (``read_text``): every value exactly, a blank staying
blank.

A clerk who cannot upload the page copies it: what the importer then gets is
the browser's text of the page. Two such texts, both Chromium's own:

* ``innertext``: ``document.body.innerText``, the page's rendered text (what
  an extension or a "copy text" tool takes);
* ``selection``: select all, then ``window.getSelection().toString()``, what
  a copy puts on the clipboard as text/plain (its tabs and line breaks
  differ from innerText's around block elements).

The pages (tests/reports/importers/test_documents_corpus.py): merged
headings, merged cells split into empty cells, nianbao's own print page, and
a page as Word saves a document "as web page" (every cell's text in a ``<p>``,
an empty cell ``&nbsp;``), which government sites publish. No page fetches
anything. A failing case names its seed, format, page and text, the first
wrong cell's row and the lines of the text around it.
"""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser

from tests.reports.importers.test_documents_corpus import (
    SEEDS,
    Case,
    make_case,
    page_html,
    print_page,
)
from tests.reports.importers.test_text_corpus import assert_text_exact, read_text

_CELL = re.compile(r"<(td|th)([^>]*)>(.*?)</\1>", re.S)

SELECT_ALL = """() => {
    const range = document.createRange();
    range.selectNodeContents(document.body);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return selection.toString();
}"""


def word_web_page(case: Case) -> str:
    """``page_html`` as Word's "save as web page" writes its cells: the text
    in a paragraph (``<p class=MsoNormal>``), an empty cell a no-break space."""

    def cell(match: re.Match[str]) -> str:
        tag, attributes, text = match.groups()
        inner = f"<p class=MsoNormal>{text}</p>" if text else "&nbsp;"
        return f"<{tag}{attributes}>{inner}</{tag}>"

    html = page_html(case).replace(
        "<style>", "<style>p.MsoNormal{margin:0;font-size:10.5pt}"
    )
    return _CELL.sub(cell, html)


PAGES: dict[str, Callable[[Case], str]] = {
    "merged": page_html,
    "split": lambda case: page_html(case, split=True),
    "print-page": print_page,
    "word-web-page": word_web_page,
}


def rendered_text(browser: Browser, html: str, how: str) -> str:
    page = browser.new_page()
    try:
        page.route("**/*", lambda route: route.abort())  # never fetch anything
        page.set_content(html)
        if how == "innertext":
            return page.evaluate("document.body.innerText")
        return page.evaluate(SELECT_ALL)
    finally:
        page.close()


@pytest.mark.parametrize("code", ["A", "B"])
@pytest.mark.parametrize("how", ["innertext", "selection"])
@pytest.mark.parametrize("layout", sorted(PAGES))
@pytest.mark.parametrize("seed", SEEDS)
def test_a_page_rendered_to_text_by_chromium_gives_back_exactly_the_values(
    browser: Browser, seed: int, layout: str, how: str, code: str
) -> None:
    case = make_case(seed, code)
    text = rendered_text(browser, PAGES[layout](case), how)
    route = f"{layout}-{how}"
    assert_text_exact(case, route, text, read_text(case, text, route))
