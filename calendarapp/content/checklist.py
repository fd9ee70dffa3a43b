"""The region's checklist before publishing (kept by coordinators), and an item's ticks."""

from __future__ import annotations

import sqlalchemy as sa

from .. import clock
from ..accounts.models import User
from ..extensions import db
from ..i18n import lazy_phrase as _l
from .models import (
    ChecklistEntry,
    ChecklistTick,
    ContentItem,
)
from .permissions import can_edit_item
from .refusals import ContentError

CHECK_MAX = 200  # characters of a check's text


def active_checklist() -> list[ChecklistEntry]:
    return list(
        db.session.scalars(
            sa.select(ChecklistEntry)
            .where(ChecklistEntry.active.is_(True))
            .order_by(ChecklistEntry.position, ChecklistEntry.id)
        )
    )


def missing_required_checks(item: ContentItem) -> list[ChecklistEntry]:
    ticked = {t.entry_id for t in item.ticks}
    return [e for e in active_checklist() if e.required and e.id not in ticked]


def set_tick(item: ContentItem, entry: ChecklistEntry, by: User, checked: bool) -> None:
    if not can_edit_item(by, item):
        raise ContentError(_l("You cannot edit this item in its current state."))
    if not entry.active:
        raise ContentError(_l("This check is no longer on the list."))
    current = next((t for t in item.ticks if t.entry_id == entry.id), None)
    if checked and current is None:
        item.ticks.append(ChecklistTick(entry_id=entry.id, user=by, created_at=clock.now()))
    elif not checked and current is not None:
        item.ticks.remove(current)
    db.session.flush()


def save_checklist_entry(
    entry: ChecklistEntry | None, text: str, required: bool, position: int, is_story: bool = False
) -> ChecklistEntry:
    text = text.strip()
    if not text or len(text) > CHECK_MAX:
        raise ContentError(_l("A check needs 1 to %(limit)d characters.", limit=CHECK_MAX), "text")
    if entry is None:
        entry = ChecklistEntry()
        db.session.add(entry)
    entry.text, entry.required, entry.position = text, required, position
    if is_story and not entry.is_story:  # the region has one story check
        db.session.execute(sa.update(ChecklistEntry).values(is_story=False))
    entry.is_story = is_story
    db.session.flush()
    return entry
