"""notify(): every area tells people through this one function (the bell and Tugas Saya)."""

from __future__ import annotations

from collections.abc import Iterable

from .. import clock
from ..accounts.models import User
from ..extensions import db
from .models import Notification, NotificationKind


def notify(
    users: Iterable[User | None], kind: NotificationKind, actor: User | None, **about
) -> int:
    """Tell each active person once, never the one who did it; `about` names the one subject
    (item=, coverage_request=, note=, action= or unit=, with detail= for a digest)."""
    seen: set[int] = set()
    for user in users:
        if user is None or not user.active or user.id in seen:
            continue
        if actor is not None and user.id == actor.id:
            continue
        seen.add(user.id)
        db.session.add(
            Notification(user=user, actor=actor, kind=kind, created_at=clock.now(), **about)
        )
    return len(seen)
