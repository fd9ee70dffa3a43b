"""Who runs trainings, sees them, reads a unit's mentoring notes and reports on its RTL."""

from __future__ import annotations

import sqlalchemy as sa

from ..accounts.models import Role, Unit, User
from ..accounts.permissions import can_view_unit, role_in
from .models import ActionItem, Training, training_participant, training_unit


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


def trainings_one_may_see(user: User) -> sa.ColumnElement[bool] | None:
    """`can_view_training` as SQL over `Training` (None: every training, for a coordinator), so
    pages ask the database for exactly what the person may see: a participant, a participating
    active unit, the organising active unit. A test holds the two to the same answers."""
    return trainings_clause(user.is_active, user.is_coordinator, **training_binds(user))


def training_binds(user: User) -> dict:
    """The person's facts the rule reads: given as values by `trainings_one_may_see`, bound at
    each run of a statement built once (`mentoring.reads`)."""
    return {"viewer": user.id, "viewer_units": [m.unit_id for m in user.memberships]}


def trainings_clause(
    active: bool,
    coordinator: bool,
    viewer: int | sa.BindParameter,
    viewer_units: list | sa.BindParameter,
) -> sa.ColumnElement[bool] | None:
    """The rule of `trainings_one_may_see` from the person's facts (`training_binds`): as values,
    or as bind parameters for a statement built once."""
    if not active:
        return sa.false()
    if coordinator:
        return None
    mine = sa.select(Unit.id).where(Unit.id.in_(viewer_units), Unit.active.is_(True))
    taking_part = sa.select(training_participant.c.training_id).where(
        training_participant.c.user_id == viewer
    )
    units_taking_part = sa.select(training_unit.c.training_id).where(
        training_unit.c.unit_id.in_(mine)
    )
    return sa.or_(
        Training.id.in_(taking_part),
        Training.id.in_(units_taking_part),
        Training.organiser_id.in_(mine),
    )


def can_read_mentoring(user: User, unit: Unit) -> bool:
    """A unit's notes are for its own members and the coordinators; other units see none."""
    return can_view_unit(user, unit)


def can_update_action(user: User, action: ActionItem) -> bool:
    """The RTL's owner, or the unit's admins and editors, report its progress."""
    unit = action.note.unit
    if not user.is_active or not unit.active:
        return False
    return action.owner_id == user.id or role_in(user, unit.id) in (Role.ADMIN, Role.EDITOR)
