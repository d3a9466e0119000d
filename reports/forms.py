"""Forms of the report pages, built from the table declarations."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export.forms import ImportForm

from reports.importers.sheets import upload_limit_bytes
from reports.models import AnnualReport
from reports.services import allowed_years, finding_key
from reports.tables import SIGNATORIES, Cell, CellValue, CellValueError, Finding
from reports.tables import TableFormat as Format
from reports.tables.base import shown

SECTION_PREFIX = "section__"
EXPLAIN_PREFIX = "explain__"


class CellField(forms.CharField):
    """A table cell: text in, Decimal / NA / None out, refused per the cell."""

    def __init__(self, cell: Cell, **kwargs: Any) -> None:
        self.cell = cell
        attrs = {
            "class": "nb-cell",
            "data-code": cell.code,
            "inputmode": "decimal",
            "autocomplete": "off",
            "aria-label": cell.display_name,
            "title": f"{cell.display_name}（{cell.unit}）",
        }
        super().__init__(
            required=False,
            label=cell.display_name,
            widget=forms.TextInput(attrs=attrs),
            **kwargs,
        )

    def clean(self, value: Any) -> CellValue:
        try:
            return self.cell.clean(value)
        except CellValueError as exc:
            raise ValidationError(exc.message, code="invalid_cell") from None


class ReportForm(forms.Form):
    """Every cell, section and signatory of one report, plus its version."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    table_year = forms.IntegerField(
        label=_("统计表标注年度"), required=False, min_value=2000, max_value=2100
    )

    def __init__(
        self,
        *args: Any,
        table_format: Format,
        warnings: list[Finding] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.table_format = table_format
        for code, cell in table_format.cells.items():
            self.fields[code] = CellField(cell)
        for section in table_format.sections:
            self.fields[SECTION_PREFIX + section.key] = forms.CharField(
                label=section.title,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4, "class": "nb-section"}),
            )
        for key, label in SIGNATORIES:
            if key == "filled_on":
                self.fields[key] = forms.DateField(
                    label=label,
                    required=False,
                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                )
            else:
                self.fields[key] = forms.CharField(
                    label=label, required=False, max_length=50
                )
        for finding in warnings or []:
            self.fields[EXPLAIN_PREFIX + finding_key(finding)] = forms.CharField(
                label=finding.message, required=False, max_length=200
            )

    @classmethod
    def initial_for(
        cls, report: AnnualReport, values: Mapping[str, CellValue]
    ) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "version": report.version,
            "table_year": report.table_year,
        }
        for code in report.table_format.cells:
            initial[code] = shown(values.get(code))
        for key, text in report.sections.items():
            initial[SECTION_PREFIX + key] = text
        for key, _label in SIGNATORIES:
            initial[key] = getattr(report, key)
        for key, text in report.explanations.items():
            initial[EXPLAIN_PREFIX + key] = text
        return initial

    @staticmethod
    def field_name(name: str) -> str:
        """The form field of a report field (a cell code, ``section:<key>``,
        ``signatory:<key>`` or ``table_year``)."""
        kind, _sep, key = name.partition(":")
        if kind == "section":
            return SECTION_PREFIX + key
        if kind == "signatory":
            return key
        return name

    def cell_values(self) -> dict[str, CellValue]:
        return {code: self.cleaned_data[code] for code in self.table_format.cells}

    def section_texts(self) -> dict[str, str]:
        return {
            s.key: self.cleaned_data[SECTION_PREFIX + s.key]
            for s in self.table_format.sections
        }

    def signatory_values(self) -> dict[str, Any]:
        return {key: self.cleaned_data[key] for key, _label in SIGNATORIES}

    def explanations(self) -> dict[str, str]:
        return {
            name.removeprefix(EXPLAIN_PREFIX): value
            for name, value in self.cleaned_data.items()
            if name.startswith(EXPLAIN_PREFIX)
        }


class NewReportForm(forms.Form):
    """Start a report: which agency (of the user's filing scope), which year."""

    agency = forms.ModelChoiceField(queryset=None, label=_("填报单位"))
    year = forms.TypedChoiceField(label=_("报告年度"), coerce=int)

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        # A report covers a year that has begun: no future year is offered
        # (allowed_years, shared with the imports, reaches next year).
        this_year = timezone.localdate().year
        years = [y for y in reversed(allowed_years()) if y <= this_year]
        self.fields["year"].choices = [(y, f"{y}年度") for y in years]

    @staticmethod
    def default_year() -> int:
        """Reports are filed early in the year after the one they report."""
        return timezone.localdate().year - 1


def _check_upload_size(upload: Any) -> Any:
    limit = upload_limit_bytes()
    if upload.size > limit:
        raise forms.ValidationError(
            _("文件 %(size).1f MB，超过了 %(limit)d MB 的上限。")
            % {"size": upload.size / 2**20, "limit": limit // 2**20}
        )
    return upload


class ImportJobForm(forms.Form):
    file = forms.FileField(
        label=_("文件（XLSX 或 CSV，每行一份报告）"),
        validators=[_check_upload_size],
    )


class LimitedImportForm(ImportForm):
    """The flat import's form, in Chinese, refusing a file over the upload
    limit by its size, before anything reads it (Django keeps uploads over
    ``FILE_UPLOAD_MAX_MEMORY_SIZE`` on disk)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        upload = self.fields["import_file"]
        upload.label = _("文件（XLSX 或 CSV，每行一份报告）")
        upload.widget.attrs["accept"] = ".xlsx,.csv"
        upload.error_messages |= {
            "required": _("请选择要导入的文件。"),
            "empty": _("文件是空的（0 字节）：请选择填好的文件。"),
            "invalid": _("没有收到文件，请重新选择。"),
        }
        self.fields["format"].label = _("文件格式")
        self.fields["format"].error_messages |= {
            "required": _("请选择文件格式。"),
            "invalid_choice": _("文件格式不正确：请选择 XLSX 或 CSV。"),
        }
        self.fields["resource"].error_messages |= {
            "invalid_choice": _("导入类型不正确：请刷新页面后重新上传。"),
        }

    def clean_import_file(self) -> Any:
        return _check_upload_size(self.cleaned_data["import_file"])
