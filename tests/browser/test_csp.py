"""Every kind of page runs under the Content-Security-Policy without a
violation: no inline script, <style> or style="" that the policy refuses
(settings.SECURE_CSP has no 'unsafe-inline'; the admin's own inline bits carry
the request's nonce)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import ConsoleMessage, Page

from reports.models import AnnualReport, ImportJob
from tests.factories import PASSWORD, make_agency, make_report, make_user

pytestmark = pytest.mark.browser

# Collects the document's securitypolicyviolation events, from the first byte.
RECORD_VIOLATIONS = """
window.__nbViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__nbViolations.push(
    `${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ` +
    `${e.sourceFile}:${e.lineNumber} (${e.sample})`
  );
});
"""


@pytest.fixture
def reports(transactional_db: None) -> dict[str, AnnualReport]:
    agency = make_agency(name="湘西土家族苗族自治州人民政府")
    old = make_report(agency=agency, year=2017)  # table format A
    new = make_report(agency=agency, year=2022)  # table format B
    AnnualReport.objects.filter(pk=new.pk).update(
        status=AnnualReport.Status.SUBMITTED,
        submitted_at=timezone.make_aware(dt.datetime(2023, 1, 12, 9, 40)),
    )
    return {"a": old, "b": new}


def visit(page: Page, url: str, console: list[str]) -> list[str]:
    """Open ``url``; the policy violations it reported, as text."""
    response = page.goto(url)
    assert response is not None
    missing = url.endswith("/999999/change/")
    assert missing or response.status == 200, (url, response.status)
    policy = response.headers.get("content-security-policy", "")
    assert "default-src 'self'" in policy, url
    assert "unsafe-inline" not in policy, url
    page.wait_for_load_state("networkidle")
    found = page.evaluate("window.__nbViolations || []")
    found += [message for message in console if "Content Security Policy" in message]
    console.clear()
    return found


def test_every_page_type_keeps_to_the_policy(
    page: Page, live_server, reports: dict[str, AnnualReport], login
) -> None:
    page.context.add_init_script(RECORD_VIOLATIONS)
    console: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        console.append(f"{message.type}: {message.text}")

    page.on("console", on_console)
    base = f"{live_server.url}/admin"
    problems: dict[str, list[str]] = {}

    found = visit(page, f"{base}/login/?next=/admin/", console)
    if found:
        problems["login"] = found
    admin = make_user(username="csp-admin", superuser=True)
    login(page, live_server, admin.username, PASSWORD)

    job = ImportJob.objects.create(user=admin, filename="reports.xlsx", total=3, done=1)
    a, b = reports["a"].pk, reports["b"].pk
    pages = {
        "start page": "/",
        "report list": "/reports/annualreport/",
        "change form A": f"/reports/annualreport/{a}/change/",
        "change form B": f"/reports/annualreport/{b}/change/",
        "review page": f"/reports/annualreport/{b}/review/",
        "queue": "/reports/annualreport/queue/",
        "board": "/reports/annualreport/board/",
        "flat import": "/reports/annualreport/import/",
        "import job list": "/reports/annualreport/import-job/",
        "import job": f"/reports/annualreport/import-job/{job.pk}/",
        "source import": f"/reports/annualreport/{a}/import-source/",
        "export": "/reports/annualreport/export/",
        "history": f"/reports/annualreport/{b}/history/",
        "agency tree": "/agencies/agency/",
        "roll-up": "/reports/annualreport/rollup/",
        "roll-up years": "/reports/annualreport/rollup/years/",
        "print view": f"/reports/annualreport/{a}/print/",
        "missing page": "/reports/annualreport/999999/change/",
    }
    for name, path in pages.items():
        found = visit(page, f"{base}{path}", console)
        if found:
            problems[name] = found

    assert problems == {}
