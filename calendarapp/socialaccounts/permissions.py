"""Who keeps a unit's official accounts."""

from __future__ import annotations

from ..accounts.models import Role, Unit, User
from ..accounts.permissions import role_in


def keeps_accounts(user: User, unit: Unit) -> bool:
    """A unit's official accounts, their PICs and security: its admins and the coordinators."""
    if not user.is_active or not unit.active:
        return False
    return user.is_coordinator or role_in(user, unit.id) == Role.ADMIN
