"""The agency form: treebeard's move form, in Chinese and kept inside the scope.

Treebeard's ``MoveNodeForm`` adds "Position" and "Relative to"; here they read
位置 and 参照机关, and a user who is not a superuser can only choose reference
agencies of their scope and positions that leave the agency inside it.
"""

from typing import Any, ClassVar

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from treebeard.forms import MoveNodeForm

from agencies import permissions
from agencies.models import Agency

CHILD_POSITIONS = frozenset({"first-child", "last-child", "sorted-child"})

UNSORTED_POSITIONS = [
    ("first-child", _("作为它的下级，排在最前")),
    ("left", _("与它同级，排在它前面")),
    ("right", _("与它同级，排在它后面")),
]
SORTED_POSITIONS = [
    ("sorted-child", _("作为它的下级")),
    ("sorted-sibling", _("与它同级")),
]

OUTSIDE_SCOPE = _(
    "这样放置后，机关的上级不在您的管辖范围内。"
    "请选择您管辖范围内的参照机关，并把机关放在它的下级。"
)


def resulting_parent(target: Agency, position: str) -> Agency | None:
    """The agency that a node put at ``position`` of ``target`` would sit under."""
    if position in CHILD_POSITIONS:
        return target
    return Agency.objects.get_parent(target)


class AgencyForm(MoveNodeForm):
    """Name, code, kind, level, and where the agency sits in the tree.

    The admin sets ``scope_user`` per request. For a user who is not a
    superuser, a new agency needs a reference agency in their scope, and
    leaving the reference empty when editing keeps the agency where it is
    (its current parent may lie above their scope).
    """

    scope_user: ClassVar[AbstractBaseUser | AnonymousUser | None] = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keep_position = False
        position = self.fields["treebeard_position"]
        position.label = _("位置")
        position.choices = SORTED_POSITIONS if self.is_sorted else UNSORTED_POSITIONS
        ref = self.fields["treebeard_ref_node"]
        ref.label = _("参照机关")
        ref.empty_label = _("（无：作为顶级机关）")
        q = None if self.scope_user is None else permissions.scope_q(self.scope_user)
        if q is None:
            return
        ref.queryset = ref.queryset.filter(q)
        if self.instance._state.adding:
            ref.required = True
            ref.empty_label = _("（请选择）")
            return
        ref.empty_label = _("（保持现在的位置）")
        current = getattr(self.initial.get("treebeard_ref_node"), "pk", None)
        if current is not None and not ref.queryset.filter(pk=current).exists():
            # Above the user's scope: not offered, and not moved unless asked.
            self.initial["treebeard_ref_node"] = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user = self.scope_user
        if user is None or permissions.scope_q(user) is None:
            return cleaned
        ref = cleaned.get("treebeard_ref_node")
        position = cleaned.get("treebeard_position")
        if ref is None:
            self.keep_position = not self.instance._state.adding
            return cleaned
        if position and not permissions.can_place_under(
            user, resulting_parent(ref, position)
        ):
            self.add_error("treebeard_ref_node", OUTSIDE_SCOPE)
        return cleaned

    def save(self, commit: bool = True) -> Agency:
        if self.keep_position:
            return forms.ModelForm.save(self, commit=commit)
        return super().save(commit=commit)
