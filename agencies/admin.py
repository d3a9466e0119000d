"""Admin for agencies and memberships, and the one scoping mixin.

``ScopedAdminMixin`` is the single place where the admin applies
``agencies.permissions``: every ModelAdmin whose rows belong to an agency
inherits it, so the list, change page, delete, history, autocomplete and
foreign-key choices all honour the user's scope.
"""

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.forms import ModelForm
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from agencies import permissions
from agencies.models import Agency, Membership


class ScopedAdminMixin:
    """Limit a ModelAdmin to the agencies of the user's scope.

    ``scope_field`` is the lookup prefix from the model to its agency
    (``"agency__"``), or ``""`` for the Agency model itself.
    """

    scope_field: str = "agency__"

    def scope_agency(self, obj: Model) -> Agency | None:
        if isinstance(obj, Agency):
            return obj
        return getattr(obj, self.scope_field.removesuffix("__"), None)

    def agency_choices_q(self, request: HttpRequest) -> Q | None:
        """Agencies offered in foreign-key choices; reports narrow this."""
        return permissions.scope_q(request.user)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)  # type: ignore[misc]
        q = permissions.scope_q(request.user, self.scope_field)
        return qs if q is None else qs.filter(q)

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Model:
        # Out of scope and nonexistent look the same: 404, nothing disclosed.
        obj = super().get_object(request, object_id, from_field)  # type: ignore[misc]
        if obj is None:
            raise Http404(_("没有找到该记录，或您无权访问。"))
        return obj

    def _in_scope(self, request: HttpRequest, obj: Model | None) -> bool:
        return obj is None or permissions.can_see(request.user, self.scope_agency(obj))

    def has_view_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return super().has_view_permission(request, obj) and self._in_scope(  # type: ignore[misc]
            request, obj
        )

    def has_change_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return super().has_change_permission(request, obj) and self._in_scope(  # type: ignore[misc]
            request, obj
        )

    def has_delete_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return super().has_delete_permission(request, obj) and self._in_scope(  # type: ignore[misc]
            request, obj
        )

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.related_model is Agency:
            q = self.agency_choices_q(request)
            qs = Agency.objects.order_by("path")
            kwargs["queryset"] = qs if q is None else qs.filter(q)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


@admin.register(Agency)
class AgencyAdmin(ScopedAdminMixin, TreeAdmin):
    scope_field = ""
    form = movenodeform_factory(
        Agency, fields=["name", "short_name", "code", "kind", "level"]
    )
    list_display = ["name", "short_name", "code", "kind", "level"]
    list_filter = ["kind", "level"]
    search_fields = ["name", "short_name", "code"]
    ordering = ["path"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        # The tree view starts at the top of the user's scope, not at the
        # roots of the whole tree, which a scoped user cannot see.
        showing_roots = (
            getattr(request, "_treebeard_parent_id", "") is None
            and not getattr(request, "_ignore_treebeard_filters", False)
            and not self.is_filtered(request)
        )
        if showing_roots:
            return permissions.scope_roots(request.user)
        return qs

    def get_form(
        self,
        request: HttpRequest,
        obj: Model | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> type[ModelForm]:
        base = super().get_form(request, obj, change, **kwargs)
        q = permissions.scope_q(request.user)

        class ScopedAgencyForm(base):  # type: ignore[valid-type,misc]
            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, **kw)
                field = self.fields["treebeard_ref_node"]
                if q is not None:
                    # Only a superuser may create a new root.
                    field.queryset = field.queryset.filter(q)
                    field.required = True

        return ScopedAgencyForm

    def move_node(self, request: HttpRequest) -> HttpResponse:
        """Treebeard's drag-and-drop move: the node and its target both in scope."""
        ids = {request.POST.get("node"), request.POST.get("target")}
        if not self.has_change_permission(request) or not all(
            i and i.isdigit() for i in ids
        ):
            raise PermissionDenied
        visible = permissions.visible_agencies(request.user).filter(pk__in=ids)
        if visible.count() != len(ids):
            raise PermissionDenied
        return super().move_node(request)


@admin.register(Membership)
class MembershipAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "agency", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "agency__name", "agency__code"]
    autocomplete_fields = ["agency"]
    list_select_related = ["user", "agency"]
