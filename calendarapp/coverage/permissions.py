"""Who sees the leader's events, and what each person is for a coverage request."""

from __future__ import annotations

from ..accounts.models import Role, User
from ..accounts.permissions import in_prokopim, keeps_agenda, role_in
from .models import AgendaEvent, CoverageRequest, Visibility
from .workflow import ASSIGNEE, REQUESTER, UNIT_ADMIN

FULL, BUSY = "full", "busy"


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
