"""Every model, imported in one place for the app, Alembic and the tests."""

from .accounts.models import Membership, Role, Unit, UnitKind, User
from .content.models import (
    AssigneeRole,
    Assignment,
    ChecklistEntry,
    ChecklistTick,
    Comment,
    ContentFormat,
    ContentItem,
    ContentItemPlatform,
    Notification,
    NotificationKind,
    Platform,
    StatusChange,
    Theme,
)
from .content.workflow import Status

__all__ = [
    "AssigneeRole",
    "Assignment",
    "ChecklistEntry",
    "ChecklistTick",
    "Comment",
    "Notification",
    "NotificationKind",
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
