"""Admin for agencies and memberships, and the one scoping mixin.

``ScopedAdminMixin`` is the single place where the admin applies
``agencies.permissions``: every ModelAdmin whose rows belong to an agency
inherits it, so the list, change page, delete, history, autocomplete and
foreign-key choices all honour the user's scope.
"""

import re
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.forms import ModelForm
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult
from treebeard.admin import TreeAdmin
from treebeard.exceptions import InvalidMoveToDescendant, PathOverflow
from treebeard.forms import movenodeform_factory

from agencies import permissions, services
from agencies.forms import OUTSIDE_SCOPE, AgencyForm, resulting_parent
from agencies.models import Agency, Membership

# A primary key as it may appear in a URL or a form: digits, and few enough
# of them to fit a 64-bit integer column on every database.
OBJECT_ID = re.compile(r"[0-9]{1,18}")
NOT_FOUND = _("没有找到该机关，或您无权访问。")


class NumericAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget, which cannot show a posted value that is
    not a number: it looks it up and fails. Such a value is shown as empty
    (the field's own error already says it is not a valid choice)."""

    def optgroups(
        self, name: str, value: list[str], attr: dict[str, Any] | None = None
    ) -> list[Any]:
        valid = [v for v in value if OBJECT_ID.fullmatch(str(v))]
        return super().optgroups(name, valid, attr)


class SafeActionsMixin:
    """List actions that refuse a malformed selection instead of answering 500.

    Used by every admin of the project, Django's own user and group admins
    included.
    """

    def response_action(
        self, request: HttpRequest, queryset: QuerySet, **kwargs: Any
    ) -> HttpResponse | None:
        """Run a list action; a selection that names no row is refused.

        Django's admin passes the posted ids to the database unchecked, and a
        non-number answers 500. Every model of the project has integer ids.
        """
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(OBJECT_ID.fullmatch(pk) for pk in selected):
            self.message_user(  # type: ignore[attr-defined]
                request, _("所选的条目无效，没有执行任何操作。"), messages.WARNING
            )
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset, **kwargs)  # type: ignore[misc]

    def get_changelist_instance(self, request: HttpRequest) -> Any:
        """The list, or back to the unfiltered list (?e=1) for a filter the
        database cannot take: a NUL (PostgreSQL refuses it) or a number too
        large for its column."""
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise IncorrectLookupParameters(_("查询参数中含有无效字符。"))
        try:
            return super().get_changelist_instance(request)  # type: ignore[misc]
        except OverflowError:
            raise IncorrectLookupParameters(_("查询参数中的数值过大。")) from None


class ScopedAdminMixin(SafeActionsMixin):
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
        autocomplete = self.get_autocomplete_fields(request)  # type: ignore[attr-defined]
        if "widget" not in kwargs and db_field.name in autocomplete:
            kwargs["widget"] = NumericAutocompleteSelect(
                db_field,
                self.admin_site,  # type: ignore[attr-defined]
                using=kwargs.get("using"),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


@admin.register(Agency)
class AgencyAdmin(ScopedAdminMixin, TreeAdmin):
    scope_field = ""
    form = movenodeform_factory(
        Agency, form=AgencyForm, fields=["name", "short_name", "code", "kind", "level"]
    )
    change_list_template = "admin/agencies/agency/change_list.html"
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
        return type(base.__name__, (base,), {"scope_user": request.user})

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # treebeard marks only a GET as showing the tree's top level; a POST
        # (an action, or nothing selected) renders the page too, and its tree
        # tag needs to know which parent it shows.
        if request.method != "GET":
            request._treebeard_parent = None  # type: ignore[attr-defined]
        return super().changelist_view(request, extra_context)

    def _visible(self, request: HttpRequest, raw_id: object) -> Agency | None:
        """The agency ``raw_id`` names if the user may see it; else None."""
        if not isinstance(raw_id, str) or not OBJECT_ID.fullmatch(raw_id):
            return None
        return permissions.visible_agencies(request.user).filter(pk=raw_id).first()

    def children_view(self, request: HttpRequest, parent_id: str) -> HttpResponse:
        """Treebeard's children of one node, for agencies of the user's scope.

        An agency outside the scope answers exactly like one that does not
        exist (and like a malformed id), so the answer discloses nothing.
        """
        if not self.has_view_permission(request):
            raise PermissionDenied
        if self._visible(request, parent_id) is None:
            return JsonResponse({"error": str(NOT_FOUND)}, status=404)
        try:
            return super().children_view(request, parent_id)
        except IncorrectLookupParameters:  # the list page sends its own query
            return JsonResponse({"error": gettext("筛选条件无效。")}, status=400)

    def move_node(self, request: HttpRequest) -> HttpResponse:
        """Treebeard's drag-and-drop move, kept inside the user's scope.

        The page reloads after the move whatever the answer, and shows the
        message recorded here.
        """
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            messages.error(request, gettext("您没有移动机关的权限。"))
            raise PermissionDenied
        relation = request.POST.get("relation")
        if relation not in ("child", "sibling"):
            messages.error(request, gettext("移动请求无效，请刷新页面后重试。"))
            return HttpResponseBadRequest(gettext("移动请求无效。"))
        node = self._visible(request, request.POST.get("node"))
        target = self._visible(request, request.POST.get("target"))
        if (
            node is None
            or target is None
            or not self.has_change_permission(request, node)
        ):
            messages.error(request, NOT_FOUND)
            raise PermissionDenied
        position = "first-child" if relation == "child" else "left"
        if not permissions.can_place_under(
            request.user, resulting_parent(target, position)
        ):
            messages.error(request, OUTSIDE_SCOPE)
            raise PermissionDenied
        try:
            Agency.objects.move(node, target, pos=position)
        except InvalidMoveToDescendant:
            messages.error(request, gettext("不能把机关移到它自己的下级机关之下。"))
            return HttpResponseBadRequest(gettext("无法移动。"))
        except PathOverflow:
            messages.error(request, gettext("该层级的机关已满，无法再移入。"))
            return HttpResponseBadRequest(gettext("无法移动。"))
        node.refresh_from_db()
        node.save()  # as treebeard does: signal handlers see the moved node
        text = (
            gettext("已将“%(node)s”移为“%(other)s”的下级机关。")
            if relation == "child"
            else gettext("已将“%(node)s”移到“%(other)s”之前，与它同级。")
        )
        messages.info(request, text % {"node": node, "other": target})
        return HttpResponse("OK")

    def delete_model(self, request: HttpRequest, obj: Agency) -> None:
        services.agencies_delete(agencies=[obj])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        services.agencies_delete(agencies=queryset)


@admin.register(Membership)
class MembershipAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Memberships; saving or deleting one gives or takes its role's group."""

    list_display = ["user", "agency", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "agency__name", "agency__code"]
    autocomplete_fields = ["agency"]
    list_select_related = ["user", "agency"]

    def save_model(
        self, request: HttpRequest, obj: Membership, form: forms.Form, change: bool
    ) -> None:
        services.membership_save(membership=obj)

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        services.memberships_delete(memberships=[obj])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        services.memberships_delete(memberships=queryset.select_related("user"))


class TaskResultAdmin(DBTaskResultAdmin):
    """django_tasks_db's task results: technical and in English, so superusers
    only (users follow their imports on the import job pages)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(
        self, request: HttpRequest, obj: DBTaskResult | None = None
    ) -> bool:
        return self.has_module_permission(request)


if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)


def harden_admin_site(site: admin.AdminSite) -> None:
    """Give every registered admin, third-party ones included (Django's users
    and groups, django-axes, the task results), the refusals of
    ``SafeActionsMixin``. Called once all admin modules are loaded."""
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, SafeActionsMixin):
            continue
        cls = type(model_admin)
        safe = type(f"Safe{cls.__name__}", (SafeActionsMixin, cls), {})
        site.unregister(model)
        site.register(model, safe)
