"""Delivery: the outbox behind notify(). Each notice a person should get outside the bell is one
Delivery row per channel (per device for phones), written in the same transaction as the notice;
`flask deliver` sends them. A person's choices and quiet hours, their phones, and the locks that
keep scheduled jobs (the reminders) to one run at a time across hosts.
"""

from __future__ import annotations

from datetime import datetime, time
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..extensions import db
from ..i18n import lazy_phrase as _l
from ..models_base import enum_column
from ..notifications.models import Notification
from ..timeutil import UTCDateTime


class Channel(StrEnum):
    PUSH = "push"  # Web Push to an installed app or a browser
    EMAIL = "email"
    WEBHOOK = "webhook"  # the region's own gateway (WhatsApp, Telegram), from the environment

    @property
    def label(self) -> str:
        return str(CHANNEL_LABELS[self])


CHANNEL_LABELS = {
    Channel.PUSH: _l("Phone"),
    Channel.EMAIL: _l("E-mail"),
    Channel.WEBHOOK: _l("Region's gateway"),
}


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # waits for its time (quiet hours, a retry, the daily digest)
    SENDING = "sending"  # claimed by a worker
    SENT = "sent"
    FAILED = "failed"  # refused for good, or too many tries
    EXPIRED = "expired"  # too old to be worth sending when the worker got to it


class Delivery(db.Model):
    """One notice to send on one channel (one device for phones)."""

    __tablename__ = "delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(
        sa.ForeignKey("notification.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, "channel"))
    device_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("push_device.id", ondelete="CASCADE"), index=True
    )
    digest: Mapped[bool] = mapped_column(default=False)  # e-mail folded into a daily digest
    status: Mapped[DeliveryStatus] = mapped_column(
        enum_column(DeliveryStatus, "delivery_status"), default=DeliveryStatus.PENDING
    )
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())  # not before (quiet hours, retries)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    notification: Mapped[Notification] = relationship()
    user: Mapped[User] = relationship()
    device: Mapped[PushDevice | None] = relationship()

    __table_args__ = (sa.Index("ix_delivery_status_due", "status", "due_at"),)


class PushDevice(db.Model):
    """A browser or installed app a person turned phone notices on in (a Web Push subscription)."""

    __tablename__ = "push_device"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    endpoint: Mapped[str] = mapped_column(sa.String(1000), unique=True)
    p256dh: Mapped[str] = mapped_column(sa.String(200))
    auth: Mapped[str] = mapped_column(sa.String(100))
    label: Mapped[str] = mapped_column(sa.String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # the push service said the subscription is gone (404/410): nothing is sent to it any more
    dead_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class NoticeSettings(db.Model):
    """A person's choices; without a row, the defaults of their role (choices.py)."""

    __tablename__ = "notice_settings"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    # the kinds of notice sent to phones and by e-mail, as comma-separated NotificationKind values
    push_kinds: Mapped[str] = mapped_column(sa.String(800), default="")
    email_kinds: Mapped[str] = mapped_column(sa.String(800), default="")
    quiet_start: Mapped[time | None]  # None with quiet_end None: no quiet hours
    quiet_end: Mapped[time | None]
    timezone: Mapped[str] = mapped_column(sa.String(40), default="Asia/Jakarta")
    only_urgent: Mapped[bool] = mapped_column(default=False)
    email_digest: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class JobLock(db.Model):
    """A scheduled job (a reminder run) taken by one worker at a time, on any host."""

    __tablename__ = "job_lock"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
