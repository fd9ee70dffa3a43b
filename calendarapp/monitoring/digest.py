"""The weekly digest (`flask monitoring-digest`, from cron): flags reach the people who act on them.

Coordinators hear of the region's silent and below-target units over the last whole week (a
notification without a unit: the region), each unit admin of their own unit's flags. A digest is
one notification per person (and unit) per ISO week: running it twice sends nothing twice.
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from ..accounts.models import Membership, Role, Unit, User
from ..extensions import db
from ..notifications.models import Notification, NotificationKind
from ..notifications.services import notify
from ..parsing import digits
from ..timeutil import monday_of, today
from . import figures as f
from . import services

# The coordinators' digest counts these flags across the region.
REGION_FLAGS = (f.SILENT, f.BELOW_TARGET)


def encode(flags: dict[str, int]) -> str:
    """'silent=2;below_target=5': what a digest says, kept short and read back by the bell."""
    return ";".join(f"{flag}={count}" for flag, count in flags.items() if count)


def decode(detail: str) -> list[tuple[str, int]]:
    found = []
    for part in (detail or "").split(";"):
        flag, _, count = part.partition("=")
        if flag in f.FLAGS and digits(count):
            found.append((flag, int(count)))
    return found


def send_weekly_digest() -> int:
    """Notifications sent this run: none for a person already told this week."""
    zone = current_app.config["REGION_TIMEZONE"]
    week_start = datetime.combine(monday_of(today(zone)), time(), ZoneInfo(zone))
    already = {
        (user_id, unit_id)  # unit None: the region's digest to a coordinator
        for user_id, unit_id in db.session.execute(
            sa.select(Notification.user_id, Notification.unit_id).where(
                Notification.kind == NotificationKind.MONITORING_DIGEST,
                Notification.created_at >= week_start,
            )
        )
    }
    period = f.last_weeks(today(zone), 1)
    units = services.active_units()
    rows = f.compute(services.read_inputs(units, period), period, today, services.silent_days())
    by_id = {u.id: u for u in db.session.scalars(sa.select(Unit).where(Unit.active.is_(True)))}
    sent = 0
    region = {flag: sum(1 for r in rows if flag in r.flags) for flag in REGION_FLAGS}
    if any(region.values()):
        coordinators = db.session.scalars(
            sa.select(User).where(User.is_coordinator.is_(True), User.active.is_(True))
        ).all()
        told = [u for u in coordinators if (u.id, None) not in already]
        sent += notify(told, NotificationKind.MONITORING_DIGEST, None, detail=encode(region))
    admins = db.session.execute(
        sa.select(Membership.unit_id, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.role == Role.ADMIN, User.active.is_(True))
    ).all()
    for row in rows:
        if not row.flags:
            continue
        told = [
            user
            for unit_id, user in admins
            if unit_id == row.unit.id and (user.id, unit_id) not in already
        ]
        sent += notify(
            told,
            NotificationKind.MONITORING_DIGEST,
            None,
            unit=by_id[row.unit.id],
            detail=encode({flag: 1 for flag in row.flags}),
        )
    return sent
