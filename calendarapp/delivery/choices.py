"""Who hears what, where and when: a person's choices (or their role's defaults), quiet hours in
their zone, notices that cannot wait, and how long a notice is worth sending. Plain rules on plain
values: the outbox and the settings page read them, nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..notifications.models import NotificationKind as K

ALL = frozenset(K)
# Notices with a deadline within hours: sent during quiet hours and with "only urgent".
URGENT = frozenset(
    {K.COVERAGE_REQUESTED, K.COVERAGE_DUE_SOON, K.COVERAGE_OVERDUE, K.COVERAGE_CANCELLED,
     K.REVIEW_OVERDUE, K.HEAD_DECIDED, K.AMPLIFY_DUE_SOON, K.AMPLIFY_PAUSED}
)  # fmt: skip
DEFAULT_QUIET = (time(21, 0), time(6, 0))
DIGEST_HOUR = time(7, 0)  # the daily e-mail digest goes out then, in the person's zone
# How long a notice is worth sending; the worker drops older ones (a reminder of a coverage due
# this afternoon means nothing tomorrow).
LIFETIME = {K.COVERAGE_DUE_SOON: timedelta(hours=12), K.COVERAGE_OVERDUE: timedelta(hours=24),
            K.AMPLIFY_DUE_SOON: timedelta(hours=6),
            K.MONITORING_DIGEST: timedelta(days=7), K.FOLLOWERS_DUE: timedelta(days=4)}  # fmt: skip
DEFAULT_LIFETIME = timedelta(days=3)

PHONE_DEFAULT = ALL - {K.MONITORING_DIGEST}
EMAIL_DEFAULT = {
    "coordinator": frozenset(
        {K.MONITORING_DIGEST, K.MENTORING_NOTE, K.RTL_FINISHED, K.RTL_OVERDUE, K.HEAD_DECIDED}
    ),
    "admin": frozenset(
        {K.MONITORING_DIGEST, K.REVIEW_REQUESTED, K.REVIEW_WAITING, K.RTL_ASSIGNED,
         K.RTL_OVERDUE, K.FOLLOWERS_DUE, K.MENTORING_NOTE, K.MEMBER_LEFT, K.HEAD_DECIDED,
         K.HEAD_WAITING, K.AMPLIFY_REQUESTED}
    ),
    "member": frozenset({K.ASSIGNED, K.COVERAGE_REQUESTED, K.RTL_ASSIGNED, K.RTL_OVERDUE}),
}  # fmt: skip


@dataclass(frozen=True)
class Choices:
    """A person's choices, as kept or as their role's defaults."""

    push: frozenset[K]
    email: frozenset[K]
    quiet: tuple[time, time] | None
    zone: str
    only_urgent: bool = False
    email_digest: bool = False

    def wants(self, channel: str, kind: K) -> bool:
        if self.only_urgent and kind not in URGENT:
            return False
        return kind in (self.push if channel == "push" else self.email)


def defaults(role: str, zone: str) -> Choices:
    """`role`: coordinator, admin (of some unit) or member."""
    return Choices(PHONE_DEFAULT, EMAIL_DEFAULT[role], DEFAULT_QUIET, zone)


def kinds_from(text: str) -> frozenset[K]:
    """Kinds kept as comma-separated values; unknown ones (a kind since removed) are dropped."""
    values = {v for v in text.split(",") if v}
    return frozenset(k for k in K if k.value in values)


def kinds_text(kinds) -> str:
    return ",".join(sorted(k.value for k in kinds))


def quiet_until(now: datetime, quiet: tuple[time, time] | None, zone: str) -> datetime | None:
    """When the quiet hours around `now` end (in the person's zone), or None outside them.
    Hours that end before they start wrap midnight (21.00–06.00)."""
    if quiet is None or quiet[0] == quiet[1]:
        return None
    start, end = quiet
    local = now.astimezone(ZoneInfo(zone))
    moment = local.time()
    inside = start <= moment < end if start < end else (moment >= start or moment < end)
    if not inside:
        return None
    day = local.date()
    if start > end and moment >= start:
        day += timedelta(days=1)
    return datetime.combine(day, end, ZoneInfo(zone))


def next_digest(now: datetime, zone: str) -> datetime:
    """The next DIGEST_HOUR in the person's zone, after `now`."""
    local = now.astimezone(ZoneInfo(zone))
    moment = datetime.combine(local.date(), DIGEST_HOUR, ZoneInfo(zone))
    return moment if moment > local else moment + timedelta(days=1)


def lifetime(kind: K) -> timedelta:
    return LIFETIME.get(kind, DEFAULT_LIFETIME)
