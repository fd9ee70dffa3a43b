"""Who may see and do what, as far as people, units and roles go: whose unit, which role, the
coordinators, Prokopim, and the route guard. Each area keeps the rules on its own things in its
own `permissions.py` (content, coverage, mentoring, planning, socialaccounts), built on these;
the tests call them all as a matrix."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import NamedTuple

import sqlalchemy as sa
from flask import abort
from flask_login import current_user, login_required

from ..extensions import db
from .models import Membership, Role, Unit, User


def role_in(user: User, unit_id: int) -> Role | None:
    for membership in user.memberships:
        if membership.unit_id == unit_id:
            return membership.role
    return None


# Every active unit by name: what a coordinator sees.
_ACTIVE_UNITS = sa.select(Unit).where(Unit.active.is_(True)).order_by(Unit.name)


def visible_units_query(user: User) -> sa.Select:
    """The active units whose calendar the user may see: every unit for a coordinator."""
    query = _ACTIVE_UNITS
    if not user.is_coordinator:
        query = query.where(
            Unit.id.in_(sa.select(Membership.unit_id).where(Membership.user_id == user.id))
        )
    return query


class UnitRef(NamedTuple):
    """A unit as a calendar names it, read as a plain row."""

    id: int
    name: str
    short_name: str
    timezone: str


# Built once: a coordinator's calendar names every active unit.
_ACTIVE_UNIT_REFS = _ACTIVE_UNITS.with_only_columns(
    Unit.id, Unit.name, Unit.short_name, Unit.timezone
)


def visible_unit_refs(user: User) -> list[UnitRef]:
    """As visible_units, in the same order, as plain rows: a coordinator's 85 units as ORM
    objects cost 0.8 ms a calendar look, as rows 0.25 (measured)."""
    if user.is_coordinator:
        return [UnitRef(*row) for row in db.session.execute(_ACTIVE_UNIT_REFS)]
    return [UnitRef(u.id, u.name, u.short_name, u.timezone) for u in visible_units(user)]


def visible_units(user: User) -> list[Unit]:
    """As visible_units_query; a member's units come from their memberships (loaded with the
    person at sign-in: no query)."""
    if user.is_coordinator:
        return list(db.session.scalars(visible_units_query(user)))
    units = {m.unit.id: m.unit for m in user.memberships if m.unit.active}
    return sorted(units.values(), key=lambda unit: (unit.name, unit.id))


def can_view_unit(user: User, unit: Unit) -> bool:
    if not user.is_active or not unit.active:
        return False
    return user.is_coordinator or role_in(user, unit.id) is not None


def in_unit_or_coordinator(user: User, unit_id: int) -> bool:
    """A unit's members and the coordinators, by the unit's id alone (nothing to load)."""
    return user.is_active and (user.is_coordinator or role_in(user, unit_id) is not None)


# ---- Prokopim: the units that keep the leader's agenda (the rules on events and coverage
# requests themselves are in coverage/permissions.py) ----------------------------------------


def keeps_agenda(user: User, unit: Unit) -> bool:
    """Admins and editors of a Prokopim unit (one that coordinates coverage) keep its agenda."""
    return (
        user.is_active
        and unit.active
        and unit.coordinates_coverage
        and role_in(user, unit.id) in (Role.ADMIN, Role.EDITOR)
    )


def agenda_units(user: User) -> list[Unit]:
    """The Prokopim units whose agenda and coverage this person keeps."""
    return [m.unit for m in user.memberships if keeps_agenda(user, m.unit)]


def in_prokopim(user: User, unit: Unit) -> bool:
    return user.is_active and unit.coordinates_coverage and role_in(user, unit.id) is not None


# ---- who watches the region: coordinators and Prokopim (Pantauan, a unit's figures) --------


def monitors_region(user: User) -> bool:
    """Coordinators and Prokopim see every unit's scorecard; members see only their own units."""
    return user.is_active and (
        user.is_coordinator
        or any(m.unit.coordinates_coverage and m.unit.active for m in user.memberships)
    )


def can_monitor_unit(user: User, unit: Unit) -> bool:
    if not user.is_active or not unit.active:
        return False
    return monitors_region(user) or role_in(user, unit.id) is not None


def admin_unit_ids(user: User) -> list[int]:
    """The units this person administers (from their loaded memberships: no query)."""
    return [m.unit_id for m in user.memberships if m.role == Role.ADMIN]


def admins_of(unit: Unit) -> list[User]:
    """The unit's active admins: who hears of its changes and picks its people."""
    return [m.user for m in unit.memberships if m.role == Role.ADMIN and m.user.active]


def planners_of(unit: Unit) -> list[User]:
    """The unit's active admins and editors: who plans its posts and hears of its mentoring."""
    return [
        m.user for m in unit.memberships if m.role in (Role.ADMIN, Role.EDITOR) and m.user.active
    ]


def sees_agenda(user: User) -> bool:
    """The agenda feed is for Prokopim and the coordinators; contributors get their coverage
    in their personal feed."""
    return is_coordinator(user) or any(
        m.unit.active and in_prokopim(user, m.unit) for m in user.memberships
    )


def roles_given_by(by: User, unit: Unit) -> list[Role]:
    """Unit admins make editors and contributors; coordinators also make admins."""
    if by.is_active and by.is_coordinator:
        return [Role.ADMIN, Role.EDITOR, Role.CONTRIBUTOR]
    if role_in(by, unit.id) == Role.ADMIN and unit.active:
        return [Role.EDITOR, Role.CONTRIBUTOR]
    return []


def may_send_password_link(by: User, person: User) -> bool:
    """Coordinators, for anyone; a unit admin only for people whose every unit is one they
    administer (a link sets the password: it must never open another unit's doors, nor a
    coordinator's)."""
    if not by.is_active:
        return False
    if by.is_coordinator:
        return True
    administered = set(admin_unit_ids(by))
    return not person.is_coordinator and all(m.unit_id in administered for m in person.memberships)


def is_coordinator(user: User) -> bool:
    """Diskominfo's coordinators keep the region: people, units, the checklist, region themes."""
    return user.is_active and user.is_coordinator


def requires(rule: Callable[[User], bool]) -> Callable:
    """A route for the people `rule` admits: sign in first, then 404 for anyone else, as for any
    page that is not theirs (a 403 would tell that the page exists)."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            if not rule(current_user):
                abort(404)
            return view(*args, **kwargs)

        return login_required(guarded)

    return decorate


coordinator_required = requires(is_coordinator)
