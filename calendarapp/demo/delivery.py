"""The demo's notices outside the bell: the units' heads (fictional people), Dindukcapil asking
its head to approve its posts with one item waiting for that approval, and a few people's
choices (the others keep their role's defaults)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import time, timedelta

import sqlalchemy as sa

from .. import clock
from ..accounts.models import Unit, User
from ..content.head import head_title
from ..content.models import ContentItem, HeadApproval
from ..content.services import record_status
from ..content.workflow import Status
from ..delivery import choices
from ..delivery.models import NoticeSettings
from ..extensions import db
from ..notifications.models import NotificationKind as K

HEADS = {
    "satpolpp": ("Kepala Satpol PP", "Hendra Wijaya", "6281234500101"),
    "bpbd": ("Kepala Pelaksana BPBD", "Sri Rahayu", "6281234500102"),
    "dukcapil": ("Kepala Dinas Dukcapil", "Agus Prasetyo", "6281234500103"),
    "kec-cibening": ("Camat Cibening", "Wahyu Hidayat", "6281234500104"),
}
HEAD_APPROVES = "dukcapil"


def heads(units: dict[str, Unit], admins: dict[str, User]) -> int:
    """Name the heads; Dindukcapil's head approves, and one of its items in review waits for
    the head's link (its token is not kept anywhere: the demo shows the waiting, not the page)."""
    for key, (position, name, number) in HEADS.items():
        if key in units:
            unit = units[key]
            unit.head_position, unit.head_name, unit.head_whatsapp = position, name, number
    unit = units.get(HEAD_APPROVES)
    if unit is None:
        return 0
    unit.requires_head_approval = True
    now = clock.now()
    item = db.session.scalar(
        sa.select(ContentItem)
        .where(
            ContentItem.unit_id == unit.id,
            ContentItem.status.in_([Status.DITINJAU, Status.DRAF]),
            ContentItem.planned_at > now + timedelta(days=1),
        )
        .order_by(ContentItem.status.desc(), ContentItem.planned_at)
        .limit(1)
    )
    if item is None:
        return 0
    if item.status == Status.DRAF:  # sent for review, as its editor would
        record_status(item, Status.DITINJAU, admins.get(HEAD_APPROVES))
        db.session.flush()
    db.session.add(
        HeadApproval(
            item=item, item_version=item.version, requested_by=admins.get(HEAD_APPROVES),
            token_hash=hashlib.sha256(secrets.token_bytes(32)).hexdigest(), created_at=now,
            expires_at=now + timedelta(hours=72), head_name=head_title(unit),
        )
    )  # fmt: skip
    return 1


def choices_of_people(people: dict[str, User]) -> None:
    """The coordinator reads a daily e-mail digest; Satpol PP's admin keeps quiet 22.00–05.00
    and takes only urgent notices on the phone; everyone else keeps their role's defaults."""
    now = clock.now()
    coordinator = people.get("koordinator@demo.test")
    if coordinator is not None:
        db.session.add(NoticeSettings(
            user_id=coordinator.id, push_kinds=choices.kinds_text(choices.PHONE_DEFAULT),
            email_kinds=choices.kinds_text(choices.EMAIL_DEFAULT["coordinator"]),
            quiet_start=time(21), quiet_end=time(6), timezone="Asia/Jakarta",
            email_digest=True, updated_at=now,
        ))  # fmt: skip
    admin = people.get("admin.satpolpp@demo.test")
    if admin is not None:
        db.session.add(NoticeSettings(
            user_id=admin.id, push_kinds=choices.kinds_text(choices.PHONE_DEFAULT),
            email_kinds=choices.kinds_text({K.MONITORING_DIGEST, K.REVIEW_STUCK}),
            quiet_start=time(22), quiet_end=time(5), timezone="Asia/Jakarta",
            only_urgent=True, updated_at=now,
        ))  # fmt: skip
