"""Who may see what. Every view asks these functions; the tests call them as a matrix."""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from .models import Membership, Role, Unit, User


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


def can_view_item(user: User, item) -> bool:
    """A content item is private to its unit (and visible to coordinators)."""
    return can_view_unit(user, item.unit)
