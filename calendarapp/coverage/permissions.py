"""Who sees the leader's events, and what each person is for a coverage request."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from ..accounts.models import Role, Unit, User
from ..accounts.permissions import admin_unit_ids, in_prokopim, keeps_agenda, role_in
from .models import AgendaEvent, CoverageRequest, Visibility, agenda_invitee
from .workflow import ASSIGNEE, REQUESTER, UNIT_ADMIN

FULL, BUSY = "full", "busy"


def involved_in_event(user: User, event: AgendaEvent) -> bool:
    """Asked to cover it: picked for a request, or admin of a unit asked."""
    return any(
        request.assignee_id == user.id or role_in(user, request.unit_id) == Role.ADMIN
        for request in event.requests
    )


def agenda_access(user: User, event: AgendaEvent) -> str | None:
    """FULL (every detail), BUSY (a closed block: "Agenda tertutup"), or None (not shown), from
    the event's requests and invitees as loaded (`access_of` is the rule)."""
    return access_of(
        user,
        event.unit,
        event.visibility,
        involved=lambda: involved_in_event(user, event),
        invited=lambda: any(invitee.id == user.id for invitee in event.invitees),
    )


def access_of(
    user: User,
    unit: Unit,
    visibility: Visibility,
    involved: Callable[[], bool],
    invited: Callable[[], bool],
) -> str | None:
    """The rule. Public events are for everyone signed in; internal ones for Prokopim, the
    coordinators and those asked to cover; restricted ones show details only to Prokopim,
    invitees and those asked (coordinators see a closed block). `involved` and `invited` are
    asked only when the answer depends on them: from loaded objects (`agenda_access`) or from
    one statement's columns (`involved_sql`, `invited_sql`, for the calendar)."""

    if not user.is_active or not unit.active:
        return None
    if in_prokopim(user, unit) or involved():
        return FULL
    if visibility == Visibility.RESTRICTED:
        if invited():
            return FULL
        return BUSY if user.is_coordinator else None
    if visibility == Visibility.INTERNAL:
        return FULL if user.is_coordinator else None
    return FULL


def involved_sql() -> sa.Exists:
    """`involved_in_event` as SQL over `AgendaEvent`: picked for a request, or admin of a unit
    asked. Run with `viewer_binds(user)`."""
    return sa.exists().where(
        CoverageRequest.event_id == AgendaEvent.id,
        sa.or_(
            CoverageRequest.assignee_id == sa.bindparam("viewer"),
            CoverageRequest.unit_id.in_(sa.bindparam("viewer_admins", expanding=True)),
        ),
    )


def invited_sql() -> sa.Exists:
    """The person is among the event's invitees, as SQL over `AgendaEvent`. Run with
    `viewer_binds(user)`."""
    return sa.exists().where(
        agenda_invitee.c.event_id == AgendaEvent.id,
        agenda_invitee.c.user_id == sa.bindparam("viewer"),
    )


def viewer_binds(user: User) -> dict:
    """The values `involved_sql` and `invited_sql` are run with."""
    return {"viewer": user.id, "viewer_admins": admin_unit_ids(user)}


def coverage_actors(user: User, request: CoverageRequest) -> set[str]:
    """What this person is for one coverage request, in coverage/workflow.py's words."""

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
