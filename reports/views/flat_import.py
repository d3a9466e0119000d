"""The flat import in the report admin: upload, preview, confirm.

django-import-export's ``ImportMixin`` gives the URLs, the permission and the
report list's button; this page replaces its two views, which trust the client
with the temporary file's name, read the whole upload more than once, answer
unexpected posts with server errors and speak a half-translated Chinese.

Upload: the form refuses a file over the limit by its size (Django keeps big
uploads on disk), the sheet is read once and checked by a dry run. Only a
preview that passed is kept (``reports.uploads``), bound to the user and
session, with the versions of the reports it saw. Confirm: the stored preview
is claimed and deleted, and the import refuses any report changed since.
Anything malformed gets 400 and a Chinese message, never a 500.
"""

from typing import Any

from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from import_export.forms import ConfirmImportForm

from reports.importers.flat_template import (
    cell_columns,
    fixed_spellings,
    section_columns,
    signatory_columns,
    template_csv,
    template_xlsx,
)
from reports.importers.sheets import SpreadsheetError, read_sheet
from reports.resources import (
    INTERACTIVE_ROWS,
    SheetRefused,
    import_sheet,
    outcome_counts,
    preview_rows,
)
from reports.services.imports import ImportOutcome
from reports.tables import FORMATS
from reports.uploads import (
    PreviewError,
    preview_claim,
    preview_load,
    preview_store,
    previews_sweep,
)

TEMPLATE = "admin/import_export/import.html"
INCOMPLETE = "确认请求不完整，没有导入。请重新上传文件并预览。"
TEMPLATE_TYPES = {
    "xlsx": (
        template_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "csv": (template_csv, "text/csv; charset=utf-8"),
}


class FlatImport:
    """One request on the flat import's pages."""

    def __init__(self, model_admin: ModelAdmin, request: HttpRequest) -> None:
        if not model_admin.has_import_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        self.model_admin = model_admin
        self.request = request

    def _form(self, bound: bool) -> Form:
        admin: Any = self.model_admin
        if bound:
            return admin.create_import_form(self.request)
        form_class = admin.get_import_form_class(self.request)
        return form_class(
            admin.get_import_formats(), admin.get_import_resource_classes(self.request)
        )

    def preview(self) -> HttpResponse:
        """The upload form; on POST, the dry run of the uploaded sheet."""
        form = self._form(bound=self.request.method == "POST")
        if self.request.method != "POST":
            return self.render(form)
        if not form.is_valid():
            return self.render(form, status=400)
        previews_sweep()
        upload = form.cleaned_data["import_file"]
        try:
            sheet = read_sheet(upload.read(), filename=upload.name or "")
            outcome = import_sheet(sheet, user=self.request.user, dry_run=True)
        except SpreadsheetError as refused:
            form.add_error("import_file", refused.message)
            return self.render(form, status=400)
        except SheetRefused as refused:
            form.add_error("import_file", refused.messages)
            return self.render(form, status=400)
        if not outcome.ok:
            return self.render(form, outcome=outcome)
        stored = preview_store(
            self.request,
            upload,
            file_format=form.cleaned_data["format"],
            resource=form.cleaned_data.get("resource") or "0",
            versions=outcome.versions(),
        )
        confirm_form = ConfirmImportForm(
            initial={
                "import_file_name": stored.id,
                "original_file_name": stored.file_name,
                "format": stored.format,
                "resource": stored.resource,
            }
        )
        return self.render(form, outcome=outcome, confirm_form=confirm_form)

    def confirm(self) -> HttpResponse:
        """Import the stored preview, if it is this user's and nothing changed."""
        if self.request.method != "POST":
            return HttpResponseRedirect(self._url("import"))
        form = ConfirmImportForm(self.request.POST)
        if not form.is_valid():
            return self.render(
                self._form(bound=False), problems=[INCOMPLETE], status=400
            )
        data = form.cleaned_data
        try:
            stored = preview_load(
                self.request,
                name=data["import_file_name"],
                file_format=data["format"],
                resource=data["resource"],
                file_name=data["original_file_name"],
            )
            content = preview_claim(stored)
        except PreviewError as refused:
            return self.render(
                self._form(bound=False), problems=[refused.message], status=400
            )
        try:
            outcome = import_sheet(
                read_sheet(content, filename=stored.file_name),
                user=self.request.user,
                dry_run=False,
                expected_versions=stored.versions,
            )
        except (SpreadsheetError, SheetRefused) as refused:
            # The file passed its preview: only changed settings lead here.
            found = getattr(refused, "messages", None) or [str(refused)]
            problems = ["没有导入：", *found, "请重新上传文件并预览。"]
            return self.render(self._form(bound=False), problems=problems, status=409)
        if not outcome.written:
            return self.render(
                self._form(bound=False), outcome=outcome, confirmed=True, status=409
            )
        self._report_done(outcome)
        return HttpResponseRedirect(self._url("changelist"))

    def _report_done(self, outcome: ImportOutcome) -> None:
        changed = outcome.total("new") + outcome.total("update")
        if changed:
            messages.success(self.request, f"导入完成：{outcome_counts(outcome)}。")
        else:
            messages.info(
                self.request,
                f"没有改动：文件中的 {len(outcome.rows)} 份报告与系统中已有的完全相同，"
                "没有写入任何内容。",
            )

    def _url(self, name: str) -> str:
        opts = self.model_admin.model._meta
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_{name}",
            current_app=self.model_admin.admin_site.name,
        )

    def render(
        self,
        form: Form,
        *,
        outcome: ImportOutcome | None = None,
        confirm_form: Form | None = None,
        confirmed: bool = False,
        problems: list[str] | None = None,
        status: int = 200,
    ) -> HttpResponse:
        admin: Any = self.model_admin
        context = {
            **admin.admin_site.each_context(self.request),
            "opts": admin.model._meta,
            "title": "导入年度报告（每行一份）",
            "form": form,
            "media": admin.media + form.media,
            "confirm_form": confirm_form,
            "confirmed": confirmed,
            "problems": problems or [],
            "formats": [
                (f, cell_columns(f), section_columns(f)) for f in FORMATS.values()
            ],
            "fixed_columns": fixed_spellings(),
            "signatory_columns": signatory_columns(),
            "interactive_rows": INTERACTIVE_ROWS,
        }
        if outcome is not None:
            context |= {
                "rows": preview_rows(outcome),
                "counts": outcome_counts(outcome),
                "refused": outcome.total("refused"),
            }
        self.request.current_app = admin.admin_site.name
        return TemplateResponse(self.request, TEMPLATE, context, status=status)


def import_template(
    model_admin: ModelAdmin, request: HttpRequest, code: str, ext: str
) -> HttpResponse:
    """An empty flat sheet for one format: two header rows, codes and labels."""
    if not model_admin.has_import_permission(request):  # type: ignore[attr-defined]
        raise PermissionDenied
    table_format = FORMATS.get(code)
    if table_format is None or ext not in TEMPLATE_TYPES:
        raise Http404("没有这种导入模板。")
    build, content_type = TEMPLATE_TYPES[ext]
    response = HttpResponse(build(table_format), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, f"年度报告导入模板-{table_format.code}.{ext}"
    )
    return response
