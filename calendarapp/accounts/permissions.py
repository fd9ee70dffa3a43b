"""Who may see and do what. Every view asks these functions; the tests call them as a matrix."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import abort
from flask_login import current_user, login_required

from ..extensions import db
from .models import Membership, Role, Unit, User

if TYPE_CHECKING:
    from ..content.models import ContentItem
    from ..coverage.models import AgendaEvent, CoverageRequest
    from ..mentoring.models import ActionItem, Training


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
    if role is not None and is_assigned(user, item):
        actors.add(ASSIGNEE)
    return actors


def can_edit_item(user: User, item: ContentItem) -> bool:
    """Admins and editors edit their unit's items; contributors the items assigned to them."""
    from ..content.workflow import EDITABLE

    return item.status in EDITABLE and bool(item_actors(user, item))


def can_comment(user: User, item: ContentItem) -> bool:
    """Everyone who may see an item may comment on it, coordinators included."""
    return can_view_item(user, item)


# ---- the leader's agenda and coverage (coverage/) ------------------------------------------

FULL, BUSY = "full", "busy"


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


def involved_in_event(user: User, event: AgendaEvent) -> bool:
    """Asked to cover it: picked for a request, or admin of a unit asked."""
    return any(
        request.assignee_id == user.id or role_in(user, request.unit_id) == Role.ADMIN
        for request in event.requests
    )


def agenda_access(user: User, event: AgendaEvent) -> str | None:
    """FULL (every detail), BUSY (a closed block: "Agenda tertutup"), or None (not shown).

    Public events are for everyone signed in; internal ones for Prokopim, the coordinators and
    those asked to cover; restricted ones show details only to Prokopim, invitees and those asked.
    """
    from ..coverage.models import Visibility

    if not user.is_active or not event.unit.active:
        return None
    if in_prokopim(user, event.unit) or involved_in_event(user, event):
        return FULL
    if event.visibility == Visibility.RESTRICTED:
        if any(invitee.id == user.id for invitee in event.invitees):
            return FULL
        return BUSY if user.is_coordinator else None
    if event.visibility == Visibility.INTERNAL:
        return FULL if user.is_coordinator else None
    return FULL


def coverage_actors(user: User, request: CoverageRequest) -> set[str]:
    """What this person is for one coverage request, in coverage/workflow.py's words."""
    from ..coverage.workflow import ASSIGNEE, REQUESTER, UNIT_ADMIN

    if not user.is_active:
        return set()
    actors: set[str] = set()
    if keeps_agenda(user, request.event.unit):
        actors.add(REQUESTER)
    if request.unit.active and role_in(user, request.unit_id) == Role.ADMIN:
        actors.add(UNIT_ADMIN)
    if request.assignee_id == user.id:
        actors.add(ASSIGNEE)
    return actors


def can_view_request(user: User, request: CoverageRequest) -> bool:
    """Whoever sees an event's details sees its coverage: who covers what is no secret."""
    return agenda_access(user, request.event) == FULL


# ---- trainings and mentoring (mentoring/) -------------------------------------------------


def runs_trainings(user: User) -> bool:
    """Diskominfo's coordinators run trainings and write the mentoring notes."""
    return user.is_active and user.is_coordinator


def can_view_training(user: User, training: Training) -> bool:
    """Coordinators, the participating and organising units' members, and the participants."""
    if not user.is_active:
        return False
    if user.is_coordinator or any(p.id == user.id for p in training.participants):
        return True
    units = [u for u in training.units if u.active]
    if training.organiser is not None and training.organiser.active:
        units.append(training.organiser)
    return any(role_in(user, unit.id) is not None for unit in units)


def can_read_mentoring(user: User, unit: Unit) -> bool:
    """A unit's notes are for its own members and the coordinators; other units see none."""
    return can_view_unit(user, unit)


def can_update_action(user: User, action: ActionItem) -> bool:
    """The RTL's owner, or the unit's admins and editors, report its progress."""
    unit = action.note.unit
    if not user.is_active or not unit.active:
        return False
    return action.owner_id == user.id or role_in(user, unit.id) in (Role.ADMIN, Role.EDITOR)


# ---- monitoring (monitoring/) ---------------------------------------------------------------


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


def can_keep_themes(user: User, unit: Unit | None) -> bool:
    """Coordinators keep the region's campaigns (unit None); a unit's admins keep its pillars."""
    if unit is None:
        return user.is_active and user.is_coordinator
    return unit.active and role_in(user, unit.id) == Role.ADMIN


def admin_unit_ids(user: User) -> list[int]:
    """The units this person administers (from their loaded memberships: no query)."""
    return [m.unit_id for m in user.memberships if m.role == Role.ADMIN]


def keeps_accounts(user: User, unit: Unit) -> bool:
    """A unit's official accounts, their PICs and security: its admins and the coordinators."""
    if not user.is_active or not unit.active:
        return False
    return user.is_coordinator or role_in(user, unit.id) == Role.ADMIN


def admins_of(unit: Unit) -> list[User]:
    """The unit's active admins: who hears of its changes and picks its people."""
    return [m.user for m in unit.memberships if m.role == Role.ADMIN and m.user.active]


def planners_of(unit: Unit) -> list[User]:
    """The unit's active admins and editors: who plans its posts and hears of its mentoring."""
    return [
        m.user for m in unit.memberships if m.role in (Role.ADMIN, Role.EDITOR) and m.user.active
    ]


def approves_in(membership: Membership) -> bool:
    """Who approves a unit's posts: its admins, and its editors when it needs no approval."""
    return membership.role == Role.ADMIN or (
        membership.role == Role.EDITOR and not membership.unit.requires_approval
    )


def approver_unit_ids(user: User) -> list[int]:
    return [m.unit_id for m in user.memberships if approves_in(m)]


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
