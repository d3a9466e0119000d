"""Annual reports, their cell values, and the record of who changed what."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from reports.constraints import CoveringUnique
from reports.tables import TableFormat, get_format

FIRST_YEAR = 2008  # the 条例 took effect on 2008-05-01


class AnnualReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        RETURNED = "returned", _("已退回")
        APPROVED = "approved", _("已通过")

    class Source(models.TextChoices):
        TYPED = "typed", _("在线填报")
        SPREADSHEET = "spreadsheet", _("电子表格导入")
        TEXT = "text", _("报告文本导入")

    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("填报单位"),
    )
    year = models.PositiveSmallIntegerField(_("报告年度"))
    # The format code (reports.tables), fixed from the year at creation. No
    # choices here: a new format is a new module, not a migration.
    format = models.CharField(_("统计表格式"), max_length=10, editable=False)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    table_year = models.PositiveSmallIntegerField(
        _("统计表标注年度"),
        null=True,
        blank=True,
        help_text=_("统计表上方印的“(xxxx年度)”，与报告年度不一致时提示。"),
    )
    sections = models.JSONField(_("正文各部分"), default=dict, blank=True)
    signed_head = models.CharField(_("单位负责人"), max_length=50, blank=True)
    signed_reviewer = models.CharField(_("审核人"), max_length=50, blank=True)
    signed_preparer = models.CharField(_("填报人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    filled_on = models.DateField(_("填报日期"), null=True, blank=True)
    explanations = models.JSONField(
        _("提示说明"),
        default=dict,
        blank=True,
        help_text=_("提交时对每条提示的一句话说明，供审核人查看。"),
    )
    source = models.CharField(
        _("来源"), max_length=20, choices=Source.choices, default=Source.TYPED
    )
    source_file = models.FileField(_("原始文件"), upload_to="sources/%Y/", blank=True)
    source_text = models.TextField(_("原始文本"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    missing_count = models.PositiveIntegerField(_("缺项"), default=0)
    error_count = models.PositiveIntegerField(_("错误"), default=0)
    warning_count = models.PositiveIntegerField(_("提示"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("最后修改"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("最后修改人"),
    )

    class Meta:
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        ordering = ["-year", "agency__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year"],
                name="reports_annualreport_one_per_agency_year",
                violation_error_message=_("该机关此年度的报告已存在。"),
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=FIRST_YEAR),
                name="reports_annualreport_year_from_2008",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "status"], name="reports_report_year_status"),
            # The review queue: submitted, oldest first.
            models.Index(
                fields=["status", "submitted_at", "id"], name="reports_report_queue"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}年度报告"

    @property
    def table_format(self) -> TableFormat:
        return get_format(self.format)


class ReportValue(models.Model):
    """One cell of one report. No row (or a NULL value) is a blank: missing."""

    # Indexed by ``one_per_cell`` below, whose first column it is.
    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="values", db_index=False
    )
    code = models.CharField(_("单元格代码"), max_length=40)
    value = models.DecimalField(
        _("数值"), max_digits=19, decimal_places=6, null=True, blank=True
    )
    not_applicable = models.BooleanField(_("不适用"), default=False)

    class Meta:
        verbose_name = _("统计数")
        verbose_name_plural = _("统计数")
        constraints = [
            # Its index also carries the value (PostgreSQL): the roll-up's
            # aggregate reads the index alone, never the table's rows.
            CoveringUnique(
                fields=["report", "code"],
                include=["value", "not_applicable"],
                name="reports_reportvalue_one_per_cell",
            ),
            models.CheckConstraint(
                condition=models.Q(not_applicable=False) | models.Q(value__isnull=True),
                name="reports_reportvalue_na_has_no_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}={'/' if self.not_applicable else self.value}"


class ReportChange(models.Model):
    """Who changed which cell (or section, or signatory) from what to what."""

    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="changes"
    )
    version = models.PositiveIntegerField(_("版本"))
    field = models.CharField(_("项目"), max_length=60)
    old = models.TextField(_("原值"), blank=True)
    new = models.TextField(_("新值"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("修改人"),
    )
    changed_at = models.DateTimeField(_("修改时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("修改记录")
        verbose_name_plural = _("修改记录")
        ordering = ["-version", "field"]
        indexes = [
            models.Index(fields=["report", "version"], name="reports_change_version"),
        ]

    def __str__(self) -> str:
        return f"{self.field}: {self.old} → {self.new}"


class ReviewEvent(models.Model):
    """A status change of a report, with who, when and the comment."""

    # PROTECT: a report that has been through review is never deleted, so its
    # review history cannot be lost (reports.services.report_deletable).
    report = models.ForeignKey(
        AnnualReport, on_delete=models.PROTECT, related_name="events"
    )
    from_status = models.CharField(
        _("原状态"), max_length=20, choices=AnnualReport.Status.choices
    )
    to_status = models.CharField(
        _("新状态"), max_length=20, choices=AnnualReport.Status.choices
    )
    comment = models.TextField(_("意见"), blank=True)
    # Cell codes (or section:/signatory: fields) a return comment is pinned to.
    cells = models.JSONField(_("所指单元格"), default=list, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.report}: {self.from_status} → {self.to_status}"


class BackgroundJob(models.Model):
    """What an import and an export run by the worker share: progress, the
    result, and the heartbeat by which a dead worker is noticed."""

    total = models.PositiveIntegerField(_("报告数"), default=0)
    summary = models.TextField(_("结果"), blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # Set at every step of the worker: a job without one for a while has lost
    # its worker (reports.tasks.fail_stalled_jobs).
    heartbeat_at = models.DateTimeField(_("最后进展"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")  # type: ignore[attr-defined]

    def progress(self) -> dict[str, object]:
        """What a job page polls for."""
        return {
            "status": self.status,  # type: ignore[attr-defined]
            "status_display": self.get_status_display(),  # type: ignore[attr-defined]
            "done": self.done,  # type: ignore[attr-defined]
            "total": self.total,
            "finished": self.finished,
            "summary": self.summary,
        }


class ImportJob(BackgroundJob):
    """A big flat sheet imported in the background, with its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        CHECKING = "checking", _("检查中")
        WRITING = "writing", _("写入中")
        DONE = "done", _("已导入")
        FAILED = "failed", _("未导入")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("导入人"),
    )
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/")
    filename = models.CharField(_("文件名"), max_length=255)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(_("已检查"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("后台导入")
        verbose_name_plural = _("后台导入")

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_status_display()}）"


class Deadline(models.Model):
    """When a year's reports are due; years without a row use the defaults
    (reports.deadlines)."""

    year = models.PositiveSmallIntegerField(_("报告年度"), unique=True)
    government_due = models.DateField(
        _("人民政府截止日期"), help_text=_("人民政府的年度报告须在此日前提交。")
    )
    department_due = models.DateField(
        _("部门及其他机关截止日期"),
        help_text=_("政府部门、派出或垂直管理机构及其他机关的截止日期。"),
    )

    class Meta:
        verbose_name = _("报送截止日期")
        verbose_name_plural = _("报送截止日期")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年度"


class Notification(models.Model):
    """A message to a user about a report: submitted, returned, approved."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="nianbao_notifications",
        verbose_name=_("收件人"),
    )
    report = models.ForeignKey(
        AnnualReport,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("年度报告"),
    )
    event = models.ForeignKey(
        ReviewEvent,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("审核记录"),
    )
    text = models.CharField(_("内容"), max_length=300)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="reports_notice_unread"),
        ]

    def __str__(self) -> str:
        return self.text


class ExportJob(BackgroundJob):
    """A big flat export made in the background, for its owner to download.

    ``reports`` holds the selection as it was asked for (the list's filters
    or the rows ticked); the worker reads it within its owner's scope as it
    is then, and forgets it when done.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导出中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("未完成")

    class Kind(models.TextChoices):
        XLSX = "xlsx", "XLSX"
        CSV = "csv", "CSV"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("导出人"),
    )
    kind = models.CharField(
        _("文件格式"), max_length=10, choices=Kind.choices, default=Kind.XLSX
    )
    reports = models.ManyToManyField(
        AnnualReport, related_name="+", blank=True, verbose_name=_("所选报告")
    )
    file = models.FileField(_("文件"), upload_to="exports/%Y/%m/", blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(_("已导出"), default=0)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("后台导出")
        verbose_name_plural = _("后台导出")

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_status_display()}）"

    @property
    def filename(self) -> str:
        """The name the download is saved under."""
        when = timezone.localtime(self.created_at) if self.created_at else None
        stamp = f"{when:%Y%m%d-%H%M}" if when else "new"
        return f"年度报告-{stamp}-{self.pk}.{self.kind}"
