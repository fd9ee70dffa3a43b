"""A published post "with a story": a caption long enough and the region's story check ticked.

Trenggalek's monitoring found posts that are a picture with no story. The rule lives here, once,
as Python (for one item) and as SQL (for the list filter and the monitoring's counts).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from .models import ChecklistEntry, ChecklistTick, ContentItem

DEFAULT_MIN_WORDS = 30


def min_words() -> int:
    """The region's minimum caption length for a story (STORY_MIN_WORDS, default 30)."""
    return int(current_app.config.get("STORY_MIN_WORDS", DEFAULT_MIN_WORDS))


def story_ticked(story_entries: set[int] | None = None) -> sa.ColumnElement[bool]:
    """SQL: the item has the region's active story check ticked (true when there is none)."""
    if story_entries is None:
        story_entries = story_entry_ids()
    if not story_entries:
        return sa.true()
    return (
        sa.select(ChecklistTick.item_id)
        .where(
            ChecklistTick.item_id == ContentItem.id,
            ChecklistTick.entry_id.in_(sorted(story_entries)),
        )
        .exists()
    )


def has_story(story_entries: set[int] | None = None) -> sa.ColumnElement[bool]:
    """SQL: the item's caption is long enough and the story check is ticked."""
    return sa.and_(ContentItem.caption_words >= min_words(), story_ticked(story_entries))


def story_entry_ids() -> set[int]:
    return set(
        db.session.scalars(
            sa.select(ChecklistEntry.id).where(
                ChecklistEntry.is_story.is_(True), ChecklistEntry.active.is_(True)
            )
        )
    )


def item_has_story(item: ContentItem, story_entries: set[int]) -> bool:
    """The same rule for one item already loaded with its ticks."""
    if item.caption_words < min_words():
        return False
    return not story_entries or bool(story_entries & {t.entry_id for t in item.ticks})
