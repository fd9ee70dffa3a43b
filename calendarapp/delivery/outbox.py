"""The outbox: notify() hands each new notice here, in the same transaction, and this writes one
Delivery per channel the person chose (one per live device for phones). Nothing is sent here:
the worker (worker.py) sends, so a notice is never lost to a failing mail server, and never made
twice by a retried request.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from .. import clock
from ..accounts.models import Membership, Role, User
from ..extensions import db
from ..notifications.models import Notification
from . import choices
from .models import Channel, Delivery, NoticeSettings, PushDevice


def email_ready() -> bool:
    return bool(current_app.config.get("SMTP_URL") and current_app.config.get("MAIL_FROM"))


def webhook_ready() -> bool:
    return bool(current_app.config.get("WEBHOOK_URL") and current_app.config.get("WEBHOOK_SECRET"))


def role_of(user: User) -> str:
    if user.is_coordinator:
        return "coordinator"
    admin = db.session.scalar(
        sa.select(Membership.id)
        .where(Membership.user_id == user.id, Membership.role == Role.ADMIN)
        .limit(1)
    )
    return "admin" if admin else "member"


def choices_of(user: User, kept: NoticeSettings | None, role: str | None = None) -> choices.Choices:
    """The person's choices as kept, else their role's defaults in the region's zone."""
    if kept is None:
        zone = current_app.config["REGION_TIMEZONE"]
        return choices.defaults(role or role_of(user), zone)
    quiet = (kept.quiet_start, kept.quiet_end) if kept.quiet_start and kept.quiet_end else None
    return choices.Choices(
        push=choices.kinds_from(kept.push_kinds),
        email=choices.kinds_from(kept.email_kinds),
        quiet=quiet,
        zone=kept.timezone,
        only_urgent=kept.only_urgent,
        email_digest=kept.email_digest,
    )


def _roles(user_ids: list[int]) -> dict[int, str]:
    admins = set(
        db.session.scalars(
            sa.select(Membership.user_id).where(
                Membership.user_id.in_(user_ids), Membership.role == Role.ADMIN
            )
        )
    )
    return {uid: "admin" if uid in admins else "member" for uid in user_ids}


def enqueue(notices: Sequence[Notification]) -> int:
    """Deliveries for these new notices (already added to the session): three queries whatever
    their number. Returns how many were written."""
    if not notices:
        return 0
    user_ids = sorted({n.user.id for n in notices})
    kept = {
        s.user_id: s
        for s in db.session.scalars(
            sa.select(NoticeSettings).where(NoticeSettings.user_id.in_(user_ids))
        )
    }
    devices: dict[int, list[PushDevice]] = {}
    for device in db.session.scalars(
        sa.select(PushDevice).where(PushDevice.user_id.in_(user_ids), PushDevice.dead_at.is_(None))
    ):
        devices.setdefault(device.user_id, []).append(device)
    roles = _roles([uid for uid in user_ids if uid not in kept])
    now, email, webhook = clock.now(), email_ready(), webhook_ready()
    written = 0
    for notice in notices:
        user = notice.user
        role = "coordinator" if user.is_coordinator else roles.get(user.id)
        chosen = choices_of(user, kept.get(user.id), role)
        rows = _rows(notice, chosen, devices.get(user.id, []), now, email, webhook)
        db.session.add_all(rows)
        written += len(rows)
    return written


def _rows(notice, chosen: choices.Choices, devices, now: datetime, email: bool, webhook: bool):
    kind = notice.kind
    expires = now + choices.lifetime(kind)
    later = None if kind in choices.URGENT else choices.quiet_until(now, chosen.quiet, chosen.zone)
    due = later or now

    def row(channel: Channel, **more) -> Delivery:
        fields = {"due_at": due, "expires_at": max(expires, due + choices.lifetime(kind))} | more
        return Delivery(
            notification=notice, user=notice.user, channel=channel, created_at=now, **fields
        )

    rows = []
    if chosen.wants("push", kind):
        rows += [row(Channel.PUSH, device=device) for device in devices]
    if email and chosen.wants("email", kind):
        if chosen.email_digest and kind not in choices.URGENT:
            at = choices.next_digest(now, chosen.zone)
            rows.append(row(Channel.EMAIL, digest=True, due_at=at, expires_at=at + (expires - now)))
        else:
            rows.append(row(Channel.EMAIL))
    if webhook:
        rows.append(
            Delivery(notification=notice, user=notice.user, channel=Channel.WEBHOOK,
                     due_at=now, expires_at=expires, created_at=now)
        )  # fmt: skip
    return rows
