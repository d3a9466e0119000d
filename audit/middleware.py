"""Hold the request for services, and record every file download."""

from collections.abc import Callable
from urllib.parse import unquote

from django.http import HttpRequest, HttpResponse

from agencies.models import Agency
from audit.services import Kind, audit_record, serving
from reports.models import AnnualReport


class AuditMiddleware:
    """Must come after AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with serving(request):
            response = self.get_response(request)
            if _is_download(response) and request.user.is_authenticated:
                _record_download(request, response)
        return response


def _is_download(response: HttpResponse) -> bool:
    disposition = response.get("Content-Disposition", "")
    return response.status_code == 200 and disposition.startswith("attachment")


def _filename(response: HttpResponse) -> str:
    disposition = response.get("Content-Disposition", "")
    for part in disposition.split(";"):
        name, _sep, value = part.strip().partition("=")
        if name == "filename*":
            return unquote(value.split("''", 1)[-1])
        if name == "filename":
            return value.strip('"')
    return ""


def _record_download(request: HttpRequest, response: HttpResponse) -> None:
    """Which report or agency a download is about, when its URL says so."""
    match = request.resolver_match
    kwargs = match.kwargs if match else {}
    report = None
    if match and (match.url_name or "").startswith("reports_annualreport_"):
        object_id = kwargs.get("object_id")
        if object_id and str(object_id).isdigit():
            report = (
                AnnualReport.objects.select_related("agency")
                .filter(pk=object_id)
                .first()
            )
    agency = None
    agency_id = request.GET.get("agency", "")
    if report is None and agency_id.isdigit():
        agency = Agency.objects.filter(pk=agency_id).first()
    name = _filename(response)
    audit_record(
        kind=Kind.EXPORT,
        request=request,
        report=report,
        agency=agency,
        action=(match.url_name or "")[:40] if match else "",
        summary=f"下载：{name or request.path}",
        detail={"path": request.path, "query": request.GET.urlencode()[:1000]},
    )
