"""The unit head's approval by a one-time link (`/approve/<token>`): heads of agencies (Kepala
Dinas, Camat) have no account; an editor shares a link by WhatsApp, the head sees the post as it
will go out and approves it or asks for a revision.

A link acts only on a POST: WhatsApp, Telegram and mail scanners open links to preview them,
and a GET that acted would be used up before the head saw it. Only the token's SHA-256 is kept;
a link is for one item at one version, used once, and dies at 72 hours or the planned time
(whichever is first), when a newer link is made, or when the item changes.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

import sqlalchemy as sa

from .. import clock
from ..accounts.models import Unit, User
from ..errors import Refused
from ..extensions import db
from ..i18n import lazy_phrase as _l
from ..notifications.models import NotificationKind
from ..notifications.services import notify
from .checklist import missing_required_checks
from .models import ContentItem, HeadApproval
from .permissions import item_actors
from .services import record_status
from .workflow import EDITOR, Status

LIFETIME = timedelta(hours=72)
NOTE_MAX = 1000


class HeadRefused(Refused):
    """A request or a decision we refuse, with the reason; nothing changes."""


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def head_title(unit: Unit) -> str:
    return " ".join(part for part in (unit.head_position, unit.head_name) if part)


def request_link(item: ContentItem, by: User) -> tuple[HeadApproval, str]:
    """A new link for the item as it stands (older open links die): (the link, its token — the
    only time it exists in clear)."""
    unit = item.unit
    if not unit.requires_head_approval or not unit.head_name:
        raise HeadRefused(_l("This unit does not ask its head to approve posts."))
    if item.status != Status.DITINJAU:
        raise HeadRefused(_l("Only a post in review can go to the unit's head."))
    if EDITOR not in item_actors(by, item):
        raise HeadRefused(_l("You may not take this step for this item."))
    missing = missing_required_checks(item)
    if missing:
        raise HeadRefused(
            _l(
                "Tick the required checks first: %(checks)s",
                checks="; ".join(e.text for e in missing),
            )
        )
    now = clock.now()
    db.session.execute(
        sa.update(HeadApproval)
        .where(
            HeadApproval.item_id == item.id,
            HeadApproval.decided_at.is_(None),
            HeadApproval.voided_at.is_(None),
        )
        .values(voided_at=now)
    )
    ends = now + LIFETIME
    if item.planned_at is not None and now < item.planned_at < ends:
        ends = item.planned_at
    token = secrets.token_urlsafe(32)
    link = HeadApproval(
        item=item, item_version=item.version, token_hash=digest(token), requested_by=by,
        created_at=now, expires_at=ends, head_name=head_title(unit)[:250],
    )  # fmt: skip
    db.session.add(link)
    db.session.flush()
    return link, token


@dataclass(frozen=True)
class Look:
    """What a visit to a link finds: `state` is open, decided, expired or void."""

    link: HeadApproval
    state: str


def look(token: str) -> Look | None:
    """The link behind a token (None: no such link). Looking changes nothing."""
    if not token or len(token) > 100:
        return None
    link = db.session.scalar(
        sa.select(HeadApproval).where(HeadApproval.token_hash == digest(token))
    )
    if link is None:
        return None
    return Look(link, _state(link, clock.now()))


def _state(link: HeadApproval, now: datetime) -> str:
    if link.decided_at is not None:
        return "decided"
    if link.voided_at is not None or link.item.version != link.item_version:
        return "void"
    if link.item.status != Status.DITINJAU:
        return "void"
    if link.expires_at <= now:
        return "expired"
    return "open"


def decide(token: str, item_id: int, approve: bool, note: str) -> HeadApproval:
    """The head's decision: the item becomes Disetujui, or Perlu Revisi with the note; its
    history says so, and whoever asked hears of it. Used once: a second submit is refused."""
    seen = look(token)
    if seen is None or seen.link.item_id != item_id:
        raise HeadRefused(_l("This link is not valid."))
    link = seen.link
    if seen.state != "open":
        raise HeadRefused(_l("This link can no longer be used."))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise HeadRefused(
            _l("The note is too long (at most %(limit)d characters).", limit=NOTE_MAX), "note"
        )
    if not approve and not note:
        raise HeadRefused(_l("Say what should change."), "note")
    now = clock.now()
    taken = db.session.execute(
        sa.update(HeadApproval)
        .where(HeadApproval.id == link.id, HeadApproval.decided_at.is_(None))
        .values(decided_at=now, decision="approve" if approve else "revise", note=note)
    )
    if taken.rowcount != 1:  # a double tap: the first one decided
        raise HeadRefused(_l("This link can no longer be used."))
    db.session.refresh(link)
    item = link.item
    who = link.head_name
    if approve:
        record_status(item, Status.DISETUJUI, None,
                      str(_l("Approved by %(head)s through the link", head=who)))  # fmt: skip
    else:
        record_status(item, Status.PERLU_REVISI, None,
                      str(_l("%(head)s asks for a revision through the link: %(note)s",
                             head=who, note=note)))  # fmt: skip
    item.updated_at = now
    told = [link.requested_by, item.created_by, *(a.user for a in item.assignments)]
    detail = str(_l("approved") if approve else _l("asks for a revision"))
    notify(told, NotificationKind.HEAD_DECIDED, None, item=item, detail=detail[:200])
    db.session.flush()
    return link


def wa_text(item: ContentItem, url: str) -> str:
    """The WhatsApp message the editor sends the head (no caption in it: the page shows it)."""
    return str(
        _l(
            "Dear %(head)s, please approve the post “%(title)s” of %(unit)s before it goes out: "
            "%(url)s",
            head=head_title(item.unit) or item.unit.short_name,
            title=item.title,
            unit=item.unit.short_name,
            url=url,
        )
    )


def wa_link(number: str, text: str) -> str:
    return f"https://wa.me/{number}?text={quote(text)}"


def latest_link(item: ContentItem) -> HeadApproval | None:
    return db.session.scalar(
        sa.select(HeadApproval)
        .where(HeadApproval.item_id == item.id)
        .order_by(HeadApproval.id.desc())
        .limit(1)
    )
