"""The audit trail in the admin: read only, and scoped.

Superusers see every event; anyone else with the view permission (the 审核人
group) sees the events about agencies and reports of their scope (by the
agency's path when the event happened) and their own events (their logins,
failed logins under their name, their downloads).
"""

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from agencies import permissions
from audit.models import AuditEvent


def visible_events(user: object) -> QuerySet[AuditEvent]:
    """The events ``user`` may see."""
    events = AuditEvent.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:  # type: ignore[attr-defined]
        return events.none()
    # "agency_" + "path__startswith": the path kept with the event.
    scope = permissions.scope_q(user, "agency_")  # type: ignore[arg-type]
    if scope is None:
        return events
    own = Q(user_id=user.pk) | Q(  # type: ignore[attr-defined]
        kind=AuditEvent.Kind.LOGIN_FAILED,
        username=user.get_username(),  # type: ignore[attr-defined]
    )
    return events.filter((scope & ~Q(agency_path="")) | own)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "who", "address", "agency_name", "summary"]
    list_filter = ["kind", "at"]
    search_fields = ["username", "agency_name", "summary", "address"]
    list_select_related = ["user"]
    readonly_fields = [
        "at",
        "kind",
        "action",
        "user",
        "username",
        "address",
        "agency",
        "agency_name",
        "agency_path",
        "report",
        "summary",
        "detail",
    ]
    fields = readonly_fields
    show_full_result_count = False

    @admin.display(description=_("用户"), ordering="username")
    def who(self, obj: AuditEvent) -> str:
        return obj.username or "系统"

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEvent]:
        return visible_events(request.user).select_related("user")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: AuditEvent | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: AuditEvent | None = None
    ) -> bool:
        return False
