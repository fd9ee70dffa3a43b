"""Every model, imported in one place for the app, Alembic and the tests."""

from .accounts.models import Membership, Role, Unit, UnitKind, User
from .content.models import (
    ContentFormat,
    ContentItem,
    ContentItemPlatform,
    Platform,
    StatusChange,
    Theme,
)
from .content.workflow import Status

__all__ = [
    "ContentFormat",
    "ContentItem",
    "ContentItemPlatform",
    "Membership",
    "Platform",
    "Role",
    "Status",
    "StatusChange",
    "Theme",
    "Unit",
    "UnitKind",
    "User",
]
