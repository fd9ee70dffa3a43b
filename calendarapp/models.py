"""Every model, imported in one place for the app, Alembic and the tests."""

from .accounts.models import (
    Invitation,
    InvitationPurpose,
    LoginAttempt,
    LoginSession,
    Membership,
    MembershipChange,
    Role,
    Unit,
    UnitKind,
    UnitTarget,
    User,
)
from .changes import CalendarChange
from .content.models import (
    AssigneeRole,
    Assignment,
    ChecklistEntry,
    ChecklistTick,
    Comment,
    ContentFormat,
    ContentItem,
    ContentItemPlatform,
    Platform,
    StatusChange,
    Theme,
)
from .content.workflow import Status
from .coverage.models import AgendaEvent, CoverageChange, CoverageRequest, Deliverable, Leader
from .coverage.workflow import CoverageStatus
from .feeds.models import FeedEventCache, FeedScope, FeedToken
from .mentoring.models import (
    ActionItem,
    ActionStatus,
    Material,
    MentoringChange,
    MentoringNote,
    Speaker,
    Training,
    TrainingKind,
)
from .notifications.models import Notification, NotificationKind
from .performance.models import FigureSource, FollowerCount
from .planning.models import Frequency, Slot, SlotFill
from .socialaccounts.models import (
    AccountStatus,
    Handover,
    HandoverTick,
    SocialAccount,
    TwoStep,
)

__all__ = [
    "FigureSource",
    "FollowerCount",
    "CalendarChange",
    "Invitation",
    "InvitationPurpose",
    "AccountStatus",
    "Handover",
    "HandoverTick",
    "SocialAccount",
    "TwoStep",
    "Frequency",
    "Slot",
    "SlotFill",
    "ActionItem",
    "ActionStatus",
    "Material",
    "MentoringChange",
    "MentoringNote",
    "Speaker",
    "Training",
    "TrainingKind",
    "AgendaEvent",
    "CoverageChange",
    "CoverageRequest",
    "CoverageStatus",
    "Deliverable",
    "Leader",
    "AssigneeRole",
    "Assignment",
    "ChecklistEntry",
    "ChecklistTick",
    "Comment",
    "Notification",
    "NotificationKind",
    "ContentFormat",
    "FeedEventCache",
    "FeedScope",
    "FeedToken",
    "ContentItem",
    "ContentItemPlatform",
    "LoginAttempt",
    "LoginSession",
    "Membership",
    "MembershipChange",
    "Platform",
    "Role",
    "Status",
    "StatusChange",
    "Theme",
    "Unit",
    "UnitKind",
    "UnitTarget",
    "User",
]
