"""Operations on content items: plain functions with explicit arguments that flush, never commit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from .. import clock
from ..accounts.models import Unit, User
from ..extensions import db
from .models import ContentFormat, ContentItem, ContentItemPlatform, Platform, StatusChange, Theme
from .workflow import HAPPY_PATH, Status

TITLE_MAX = 200


class ContentError(ValueError):
    """An item we refuse to save, with the reason."""


def create_item(
    unit: Unit,
    title: str,
    *,
    format: ContentFormat,
    planned_at: datetime | None = None,
    planned_date: date | None = None,
    theme: Theme | None = None,
    platforms: Iterable[Platform] = (),
    created_by: User | None = None,
) -> ContentItem:
    """A new idea on the unit's calendar, with its first history entry."""
    title = title.strip()
    if not title or len(title) > TITLE_MAX:
        raise ContentError("title must have 1 to 200 characters")
    if (planned_at is None) == (planned_date is None):
        raise ContentError("give either a planned time or a planned date")
    if planned_at is not None and planned_at.tzinfo is None:
        raise ContentError("planned time must carry its time zone")
    if theme is not None and theme.unit_id not in (None, unit.id):
        raise ContentError("theme belongs to another unit")
    item = ContentItem(
        unit=unit,
        title=title,
        format=format,
        planned_at=planned_at,
        planned_date=planned_date,
        theme=theme,
        status=Status.IDE,
        created_by=created_by,
        platforms=[ContentItemPlatform(platform=p) for p in dict.fromkeys(platforms)],
    )
    item.history.append(
        StatusChange(
            user=created_by, from_status=None, to_status=Status.IDE, created_at=clock.now()
        )
    )
    db.session.add(item)
    db.session.flush()
    return item


def record_status(item: ContentItem, to: Status, by: User | None, note: str = "") -> StatusChange:
    """Move an item and write the history entry (who may move it is the workflow's business)."""
    change = StatusChange(
        user=by, from_status=item.status, to_status=to, note=note, created_at=clock.now()
    )
    item.history.append(change)
    item.status = to
    item.version += 1
    return change


def walk_to(item: ContentItem, target: Status, by: User | None) -> None:
    """Take an item along the usual road to a status, recording each step (demo data, tests)."""
    if target == Status.PERLU_REVISI:
        walk_to(item, Status.DITINJAU, by)
        record_status(item, Status.PERLU_REVISI, by)
        return
    if target == Status.DIBATALKAN:
        record_status(item, Status.DIBATALKAN, by)
        return
    for status in HAPPY_PATH[HAPPY_PATH.index(item.status) + 1 : HAPPY_PATH.index(target) + 1]:
        record_status(item, status, by)
