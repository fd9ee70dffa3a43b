"""The worker behind `flask deliver`: claims due deliveries, sends each on its channel, and keeps
what happened. Oldest first; a delivery past its notice's shelf life is dropped, not sent.

Claiming is a compare-and-set (`UPDATE … WHERE status = 'pending'`, one row at a time) after a
`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL, so workers on several hosts never take the same
row (the compare-and-set alone keeps two workers on one SQLite file apart too). A claim is
committed before anything is sent and the result right after, so a worker killed mid-batch
leaves at most the one delivery it was sending in doubt: its claim lapses after
DELIVERY_LEASE_SECONDS and it is sent again, with the same Message-ID, push Topic and tag, and
webhook delivery id, by which a receiver can tell the repeat.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import force_locale, ngettext
from sqlalchemy.orm import joinedload

from .. import clock
from ..extensions import db
from ..i18n import phrase as _
from ..notifications.models import Notification
from . import choices, mail, push, webhook
from .models import Channel, Delivery, DeliveryStatus, PushDevice
from .results import Outcome, failed
from .texts import Notice, notice

BACKOFF = (60, 300, 1800, 7200, 21600)  # seconds before the 2nd, 3rd … try
MAX_ATTEMPTS = len(BACKOFF) + 1
BATCH = 50


@dataclass
class Tally:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    expired: int = 0

    def add(self, other: Tally) -> None:
        for name in ("sent", "retried", "failed", "expired"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _lease() -> timedelta:
    return timedelta(seconds=current_app.config.get("DELIVERY_LEASE_SECONDS", 300))


def claim(limit: int = BATCH) -> list[int]:
    """Take up to `limit` due deliveries, oldest first; claims of a worker that died lapse."""
    now = clock.now()
    db.session.execute(
        sa.update(Delivery)
        .where(Delivery.status == DeliveryStatus.SENDING, Delivery.claimed_at < now - _lease())
        .values(status=DeliveryStatus.PENDING)
    )
    query = (
        sa.select(Delivery.id)
        .where(Delivery.status == DeliveryStatus.PENDING, Delivery.due_at <= now)
        .order_by(Delivery.id)
        .limit(limit)
    )
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    taken = []
    for delivery_id in db.session.scalars(query).all():
        if _take(delivery_id, now):
            taken.append(delivery_id)
    db.session.commit()
    return taken


def _take(delivery_id: int, now: datetime) -> bool:
    result = db.session.execute(
        sa.update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == DeliveryStatus.PENDING)
        .values(status=DeliveryStatus.SENDING, claimed_at=now)
    )
    return result.rowcount == 1


def run_once(limit: int = BATCH) -> Tally:
    """Send what is due, batch after batch, until nothing is due."""
    tally = Tally()
    while ids := claim(limit):
        for delivery_id in ids:
            tally.add(deliver(delivery_id, set(ids)))
    return tally


def deliver(delivery_id: int, mine: set[int] = frozenset()) -> Tally:
    """Send one claimed delivery (a digest: with the person's other due digest lines, those this
    worker claimed with it, `mine`, and those still waiting)."""
    delivery = db.session.get(
        Delivery, delivery_id, options=[joinedload(Delivery.user), joinedload(Delivery.device)]
    )
    tally = Tally()
    if delivery is None or delivery.status != DeliveryStatus.SENDING:
        return tally
    now = clock.now()
    if delivery.expires_at < now:
        delivery.status = DeliveryStatus.EXPIRED
        tally.expired += 1
        db.session.commit()
        return tally
    group = _digest_group(delivery, now, mine) if delivery.digest else [delivery]
    outcome = _send(group)
    for row in group:
        _keep(row, outcome, now, tally)
    db.session.commit()
    return tally


def _digest_group(delivery: Delivery, now: datetime, mine: set[int]) -> list[Delivery]:
    """The person's other due digest e-mails, claimed with this one."""
    others = db.session.execute(
        sa.select(Delivery.id, Delivery.status).where(
            Delivery.id != delivery.id,
            Delivery.user_id == delivery.user_id,
            Delivery.digest.is_(True),
            Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.SENDING]),
            Delivery.due_at <= now,
            Delivery.expires_at >= now,
        )
    ).all()
    taken = [
        i
        for i, status in others
        if (status == DeliveryStatus.SENDING and i in mine)
        or (status == DeliveryStatus.PENDING and _take(i, now))
    ]
    db.session.flush()
    rows = [delivery, *(db.session.get(Delivery, i) for i in taken)]
    return sorted(rows, key=lambda row: row.id)


def _keep(delivery: Delivery, outcome: Outcome, now: datetime, tally: Tally) -> None:
    delivery.attempts += 1
    delivery.claimed_at = None
    if outcome.state == "sent":
        delivery.status, delivery.sent_at, delivery.error = DeliveryStatus.SENT, now, ""
        if delivery.device is not None:
            delivery.device.last_used_at = now
        tally.sent += 1
        return
    delivery.error = outcome.error[:300]
    if outcome.state == "retry" and delivery.attempts < MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.PENDING
        delivery.due_at = now + timedelta(seconds=BACKOFF[delivery.attempts - 1])
        tally.retried += 1
        return
    delivery.status = DeliveryStatus.FAILED
    tally.failed += 1
    if outcome.device_gone and delivery.device is not None:
        _bury(delivery.device, now)


def _bury(device: PushDevice, now: datetime) -> None:
    """A subscription the push service no longer knows: nothing more goes to it."""
    device.dead_at = now
    db.session.execute(
        sa.update(Delivery)
        .where(Delivery.device_id == device.id, Delivery.status == DeliveryStatus.PENDING)
        .values(status=DeliveryStatus.FAILED, error="subscription gone")
    )


# ---- the channels ------------------------------------------------------------------------------


def _texts(deliveries: list[Delivery]) -> list[tuple[Notification, Notice]]:
    """Each notice's words in its person's language, with absolute links to this site."""
    user = deliveries[0].user
    site = current_app.config.get("PUBLIC_URL") or "http://localhost"
    with current_app.test_request_context("/", base_url=site), force_locale(user.locale or "id"):
        return [(d.notification, notice(d.notification)) for d in deliveries]


def _send(group: list[Delivery]) -> Outcome:
    first = group[0]
    try:
        texts = _texts(group)
    except Exception as error:  # noqa: BLE001 (a notice whose subject vanished says so, once)
        return failed(f"cannot describe: {type(error).__name__}")
    site = (current_app.config.get("PUBLIC_URL") or "http://localhost").rstrip("/")
    if first.channel == Channel.PUSH:
        notification, words = texts[0]
        payload = words.as_dict() | {"tag": f"notice-{notification.id}"}
        urgent = notification.kind in choices.URGENT
        device = first.device
        if device is None or device.dead_at is not None:
            return failed("device removed")
        return push.send(
            device.endpoint, device.p256dh, device.auth, payload, f"n{notification.id}", urgent
        )
    if first.channel == Channel.WEBHOOK:
        notification, words = texts[0]
        user = first.user
        return webhook.send(
            first.id,
            {"delivery": first.id, "kind": notification.kind.value,
             "person": {"name": user.name, "email": user.email},
             "title": words.title, "body": words.body, "url": site + words.path,
             "created_at": notification.created_at.isoformat()},
        )  # fmt: skip
    return _email(group, texts, site)


def _email(group: list[Delivery], texts, site: str) -> Outcome:
    user = group[0].user
    with current_app.test_request_context("/", base_url=site), force_locale(user.locale or "id"):
        context = {
            "notices": [words for _n, words in texts],
            "site": site,
            "settings_url": url_for("delivery.settings", _external=True),
            "digest": group[0].digest,
            "region": current_app.config.get("REGION_NAME", ""),
        }
        if group[0].digest:
            subject = ngettext("%(num)d notice from Kalender Konten",
                               "%(num)d notices from Kalender Konten", len(texts))  # fmt: skip
        else:
            subject = texts[0][1].title
        host = site.split("//", 1)[-1].split("/", 1)[0] or "localhost"
        message_id = f"<delivery-{group[0].id}@{host}>"
        built = mail.message(user.email, _("[Kalender Konten] %(subject)s", subject=subject),
                             context, message_id)  # fmt: skip
    return mail.send(built)
