"""Who keeps themes: the region's campaigns and a unit's pillars."""

from __future__ import annotations

from ..accounts.models import Role, Unit, User
from ..accounts.permissions import role_in


def can_keep_themes(user: User, unit: Unit | None) -> bool:
    """Coordinators keep the region's campaigns (unit None); a unit's admins keep its pillars."""
    if unit is None:
        return user.is_active and user.is_coordinator
    return unit.active and role_in(user, unit.id) == Role.ADMIN
