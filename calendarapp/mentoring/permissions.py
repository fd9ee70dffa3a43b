"""Who runs trainings, sees them, reads a unit's mentoring notes and reports on its RTL."""

from __future__ import annotations

from ..accounts.models import Role, Unit, User
from ..accounts.permissions import can_view_unit, role_in
from .models import ActionItem, Training


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
