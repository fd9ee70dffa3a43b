"""Who may see and do what. Every view asks these functions; the tests call them as a matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from ..extensions import db
from .models import Membership, Role, Unit, User

if TYPE_CHECKING:
    from ..content.models import ContentItem


def role_in(user: User, unit_id: int) -> Role | None:
    for membership in user.memberships:
        if membership.unit_id == unit_id:
            return membership.role
    return None


def visible_units_query(user: User) -> sa.Select:
    """The active units whose calendar the user may see: every unit for a coordinator."""
    query = sa.select(Unit).where(Unit.active.is_(True)).order_by(Unit.name)
    if not user.is_coordinator:
        query = query.where(
            Unit.id.in_(sa.select(Membership.unit_id).where(Membership.user_id == user.id))
        )
    return query


def visible_units(user: User) -> list[Unit]:
    return list(db.session.scalars(visible_units_query(user)))


def can_view_unit(user: User, unit: Unit) -> bool:
    if not user.is_active or not unit.active:
        return False
    return user.is_coordinator or role_in(user, unit.id) is not None


def is_assigned(user: User, item: ContentItem) -> bool:
    return any(a.user_id == user.id for a in item.assignments)


def can_view_item(user: User, item: ContentItem) -> bool:
    """An item is private to its unit, its assignees and the coordinators."""
    return can_view_unit(user, item.unit) or (
        user.is_active and item.unit.active and is_assigned(user, item)
    )


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
    from ..content.workflow import ADMIN, APPROVER, ASSIGNEE, EDITOR

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
    if is_assigned(user, item):
        actors.add(ASSIGNEE)
    return actors


def can_edit_item(user: User, item: ContentItem) -> bool:
    """Admins and editors edit their unit's items; contributors the items assigned to them."""
    from ..content.workflow import EDITABLE

    return item.status in EDITABLE and bool(item_actors(user, item))


def can_comment(user: User, item: ContentItem) -> bool:
    """Everyone who may see an item may comment on it, coordinators included."""
    return can_view_item(user, item)
