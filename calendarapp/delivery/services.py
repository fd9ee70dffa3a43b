"""Changing a person's notification settings and devices; who can be reached outside the bell."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import time
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app

from .. import clock
from ..accounts.models import User
from ..errors import Refused
from ..extensions import db
from ..i18n import lazy_phrase as _l
from . import choices
from .models import Delivery, DeliveryStatus, NoticeSettings, PushDevice

ENDPOINT_MAX = 1000
LABEL_MAX = 120


class DeliveryRefused(Refused):
    """A setting or a device we refuse, with the reason; nothing is saved."""


def save_settings(
    user: User,
    push_kinds,
    email_kinds,
    quiet: tuple[time, time] | None,
    zone: str,
    only_urgent: bool,
    email_digest: bool,
) -> NoticeSettings:
    kept = db.session.get(NoticeSettings, user.id)
    if kept is None:
        kept = NoticeSettings(user_id=user.id)
        db.session.add(kept)
    kept.push_kinds = choices.kinds_text(push_kinds)
    kept.email_kinds = choices.kinds_text(email_kinds)
    kept.quiet_start, kept.quiet_end = quiet if quiet else (None, None)
    kept.timezone, kept.only_urgent, kept.email_digest = zone, only_urgent, email_digest
    kept.updated_at = clock.now()
    db.session.flush()
    return kept


def _key(value, size: int) -> str:
    """A subscription key: base64url of exactly `size` bytes, else refused."""
    text = str(value or "")
    if not text or len(text) > 200:
        raise DeliveryRefused(_l("This browser's subscription is not valid."))
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise DeliveryRefused(_l("This browser's subscription is not valid.")) from error
    if len(raw) != size or (size == 65 and raw[0] != 4):
        raise DeliveryRefused(_l("This browser's subscription is not valid."))
    return text


def _endpoint(value) -> str:
    endpoint = str(value or "")
    parts = urlsplit(endpoint)
    loopback = {h.strip() for h in current_app.config.get("PUSH_HTTP_HOSTS", "").split(",") if h}
    secure = parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in loopback)
    if len(endpoint) > ENDPOINT_MAX or not parts.hostname or not secure:
        raise DeliveryRefused(_l("This browser's push address is not one we can send to."))
    return endpoint


SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS", "Mac"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)
BROWSERS = (("SamsungBrowser", "Samsung Internet"), ("Edg/", "Edge"), ("Firefox", "Firefox"),
            ("OPR/", "Opera"), ("Chrome", "Chrome"), ("Safari", "Safari"))  # fmt: skip


def device_label(user_agent: str) -> str:
    """ "Chrome · Android" from a browser's User-Agent, to tell a person's devices apart."""
    browser = next((name for key, name in BROWSERS if key in user_agent), "")
    system = next((name for key, name in SYSTEMS if key in user_agent), "")
    return " · ".join(part for part in (browser, system) if part) or user_agent[:LABEL_MAX]


def add_device(user: User, subscription, label: str) -> PushDevice:
    """A browser's push subscription (its JSON: endpoint, keys.p256dh, keys.auth): the same
    address again is the same device, now this person's."""
    if not isinstance(subscription, dict) or not isinstance(subscription.get("keys"), dict):
        raise DeliveryRefused(_l("This browser's subscription is not valid."))
    endpoint = _endpoint(subscription.get("endpoint"))
    p256dh = _key(subscription["keys"].get("p256dh"), 65)
    auth = _key(subscription["keys"].get("auth"), 16)
    device = db.session.scalar(sa.select(PushDevice).where(PushDevice.endpoint == endpoint))
    now, fields = clock.now(), {"user_id": user.id, "p256dh": p256dh, "auth": auth}
    if device is None:
        device = PushDevice(endpoint=endpoint, created_at=now, **fields)
        db.session.add(device)
    for name, value in fields.items():
        setattr(device, name, value)
    device.label, device.dead_at, device.last_used_at = label[:LABEL_MAX], None, now
    db.session.flush()
    return device


def remove_device(user: User, device_id: int) -> bool:
    device = db.session.get(PushDevice, device_id)
    if device is None or device.user_id != user.id:
        return False
    db.session.delete(device)
    db.session.flush()
    return True


def devices_of(user: User) -> list[PushDevice]:
    return list(
        db.session.scalars(
            sa.select(PushDevice)
            .where(PushDevice.user_id == user.id)
            .order_by(PushDevice.dead_at.is_not(None), PushDevice.created_at.desc())
        )
    )


def failures_of(user: User, limit: int = 5) -> list[Delivery]:
    """The person's latest deliveries that failed for good, newest first."""
    return list(
        db.session.scalars(
            sa.select(Delivery)
            .where(Delivery.user_id == user.id, Delivery.status == DeliveryStatus.FAILED)
            .order_by(Delivery.id.desc())
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class Reach:
    user: User
    phones: int  # live devices
    email: bool  # e-mail is set up and the person takes some kind by e-mail
    email_failing: bool  # their latest e-mail failed for good


def reach(email_ready: bool) -> list[Reach]:
    """Every active person and how notices reach them besides the bell; those with no working
    channel first. Three queries."""
    people = db.session.scalars(sa.select(User).where(User.active.is_(True)).order_by(User.name))
    phones = dict(
        db.session.execute(
            sa.select(PushDevice.user_id, sa.func.count())
            .where(PushDevice.dead_at.is_(None))
            .group_by(PushDevice.user_id)
        ).all()
    )
    kept = {s.user_id: s for s in db.session.scalars(sa.select(NoticeSettings))}
    last_email = dict(
        db.session.execute(
            sa.select(Delivery.user_id, Delivery.status).where(
                Delivery.channel == "email",
                Delivery.id.in_(
                    sa.select(sa.func.max(Delivery.id))
                    .where(Delivery.status.in_([DeliveryStatus.SENT, DeliveryStatus.FAILED]))
                    .group_by(Delivery.user_id, Delivery.channel)
                ),
            )
        ).all()
    )
    rows = []
    for person in people:
        setting = kept.get(person.id)
        takes_email = setting is None or bool(setting.email_kinds)
        rows.append(
            Reach(
                user=person,
                phones=phones.get(person.id, 0),
                email=email_ready and takes_email,
                email_failing=last_email.get(person.id) == DeliveryStatus.FAILED,
            )
        )
    return sorted(
        rows, key=lambda r: (r.phones > 0 or (r.email and not r.email_failing), r.user.name)
    )
