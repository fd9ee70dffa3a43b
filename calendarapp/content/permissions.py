"""Who may see, plan, edit and approve a unit's content items."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..accounts.models import Membership, Role, Unit, User
from ..accounts.permissions import can_view_unit, role_in
from .workflow import ADMIN, APPROVER, ASSIGNEE, EDITABLE, EDITOR

if TYPE_CHECKING:
    from .models import ContentItem


def is_assigned(user: User, item: ContentItem) -> bool:
    return any(a.user_id == user.id for a in item.assignments)


def can_view_item(user: User, item: ContentItem) -> bool:
    """An item is private to its unit and the coordinators: access follows current membership,
    so someone who left the unit no longer opens its items, even those once assigned to them."""
    return can_view_unit(user, item.unit)


def plans_in_unit(user: User, unit_id: int) -> bool:
    """Admins and editors plan (create, schedule, move) their unit's items."""
    return role_in(user, unit_id) in (Role.ADMIN, Role.EDITOR)


def can_create_in_unit(user: User, unit: Unit) -> bool:
    """Unit admins and editors plan their unit's items; coordinators watch, they do not plan."""
    return unit.active and role_in(user, unit.id) in (Role.ADMIN, Role.EDITOR)


def creatable_units(user: User) -> list[Unit]:
    return [m.unit for m in user.memberships if can_create_in_unit(user, m.unit)]


def item_actors(user: User, item: ContentItem) -> set[str]:
    """What this person is for this item, in the workflow's words (see content/workflow.py)."""

    if not user.is_active or not item.unit.active:
        return set()
    role = role_in(user, item.unit_id)
    actors: set[str] = set()
    if role in (Role.ADMIN, Role.EDITOR):
        actors.add(EDITOR)
    if role == Role.ADMIN:
        actors |= {ADMIN, APPROVER}
    if role == Role.EDITOR and (not item.unit.requires_approval or item.reviewer_id == user.id):
        actors.add(APPROVER)
    if role is not None and is_assigned(user, item):
        actors.add(ASSIGNEE)
    return actors


def can_edit_item(user: User, item: ContentItem) -> bool:
    """Admins and editors edit their unit's items; contributors the items assigned to them."""

    return item.status in EDITABLE and bool(item_actors(user, item))


def can_comment(user: User, item: ContentItem) -> bool:
    """Everyone who may see an item may comment on it, coordinators included."""
    return can_view_item(user, item)


def approves_in(membership: Membership) -> bool:
    """Who approves a unit's posts: its admins, and its editors when it needs no approval."""
    return membership.role == Role.ADMIN or (
        membership.role == Role.EDITOR and not membership.unit.requires_approval
    )


def approver_unit_ids(user: User) -> list[int]:
    return [m.unit_id for m in user.memberships if approves_in(m)]
