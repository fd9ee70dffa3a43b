"""Feed tokens: the only credential a phone calendar has, kept as a hash, re-checked on
every fetch against the person's current rights, revocable and rotatable."""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from .. import clock
from ..accounts.models import Unit, User
from ..accounts.permissions import (
    can_view_unit,
    is_coordinator,
    sees_agenda,
)
from ..extensions import db
from .models import FeedScope, FeedToken, token_hash

# ---- tokens ---------------------------------------------------------------------------------


def find_token(raw: str) -> FeedToken | None:
    """The active token for this secret, or None; unknown and revoked look the same."""
    if not raw or len(raw) > 100:
        return None
    token = db.session.scalar(
        sa.select(FeedToken)
        .options(joinedload(FeedToken.user), joinedload(FeedToken.unit))
        .where(FeedToken.token_sha256 == token_hash(raw))
    )
    return token if token is not None and token.active else None


def still_allowed(token: FeedToken) -> bool:
    """The owner's rights now, not when the link was made."""
    user = token.user
    if not user.is_active:
        return False
    if token.scope == FeedScope.UNIT:
        return token.unit is not None and can_view_unit(user, token.unit)
    if token.scope == FeedScope.REGION:
        return is_coordinator(user)
    if token.scope == FeedScope.AGENDA:
        return sees_agenda(user)
    return True  # personal and trainings feeds: each shows what its owner may see today


def available(user: User) -> list[tuple[FeedScope, Unit | None]]:
    """Every feed this person may subscribe to."""
    feeds: list[tuple[FeedScope, Unit | None]] = [(FeedScope.PERSONAL, None)]
    units = sorted((m.unit for m in user.memberships if m.unit.active), key=lambda u: u.name)
    feeds += [(FeedScope.UNIT, unit) for unit in units]
    if is_coordinator(user):
        feeds.append((FeedScope.REGION, None))
    if sees_agenda(user):
        feeds.append((FeedScope.AGENDA, None))
    feeds.append((FeedScope.TRAININGS, None))
    return feeds


def tokens_of(user: User) -> list[FeedToken]:
    return list(
        db.session.scalars(
            sa.select(FeedToken).where(FeedToken.user_id == user.id, FeedToken.revoked_at.is_(None))
        )
    )


def issue(
    user: User, scope: FeedScope, unit: Unit | None = None, include_drafts: bool = False
) -> tuple[FeedToken, str]:
    """A new secret link for this feed; an earlier one for the same feed stops working."""
    if (scope, unit) not in available(user):
        raise PermissionError(scope)
    for old in tokens_of(user):
        if old.scope == scope and old.unit_id == (unit.id if unit else None):
            old.revoked_at = clock.now()
    raw = secrets.token_urlsafe(32)  # 256 bits
    token = FeedToken(
        user=user,
        scope=scope,
        unit=unit,
        include_drafts=include_drafts if scope == FeedScope.UNIT else False,
        token_sha256=token_hash(raw),
        created_at=clock.now(),
    )
    db.session.add(token)
    db.session.flush()
    return token, raw


def revoke(token: FeedToken) -> None:
    token.revoked_at = clock.now()
    token.cached_body = None
    token.cached_fingerprint = token.cached_seen = None
    db.session.flush()


def touch(token: FeedToken) -> bool:
    """Remember when a phone last fetched, without a write on every poll; True when it wrote."""
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=10):
        token.last_used_at = now
        return True
    return False
