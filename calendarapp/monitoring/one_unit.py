"""Pantauan's page of one unit: its figures, its best posts, and what a mentor reads beside them
(recent posts with and without a story, its RTL, its last mentoring note)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..accounts.models import Unit
from ..content.models import ContentItem
from ..content.story import has_story
from ..content.workflow import Status
from ..extensions import db
from ..mentoring.models import ActionItem, ActionStatus, MentoringNote
from ..performance.figures import MetricRow, best_posts
from ..timeutil import today
from . import figures as f
from .services import metric_rows, read_inputs, silent_days, unit_rows


def best_posts_of(unit_ids: list[int], period: f.Period, count: int) -> list[MetricRow]:
    """The period's measured posts with the most interactions (for mentoring: what works)."""
    if not unit_ids:
        return []
    return best_posts(metric_rows(unit_ids, period.days), period.days.start, period.days.end, count)


def unit_figures(unit: Unit, period: f.Period) -> f.UnitFigures:
    rows = unit_rows(None, [unit.id])
    return f.compute(read_inputs(rows, period), period, today, silent_days())[0]


RECENT = 8


@dataclass
class UnitDetail:
    with_story: list[ContentItem]
    without_story: list[ContentItem]
    actions: list[ActionItem]
    last_note: MentoringNote | None


def unit_detail(unit: Unit, period: f.Period) -> UnitDetail:
    """Recent posts with and without a story, the unit's RTL and its last mentoring note."""
    story = has_story()
    base = (
        sa.select(ContentItem)
        .where(ContentItem.unit_id == unit.id, ContentItem.status == Status.TAYANG)
        .order_by(ContentItem.posted_at.desc(), ContentItem.id.desc())
        .limit(RECENT)
    )
    actions = db.session.scalars(
        sa.select(ActionItem)
        .join(ActionItem.note)
        .where(MentoringNote.unit_id == unit.id)
        .where(
            sa.or_(
                ActionItem.status.in_(ActionStatus.open()),
                ActionItem.due_on >= period.days.start,
            )
        )
        .options(selectinload(ActionItem.owner))
        .order_by(ActionItem.due_on, ActionItem.id)
    ).all()
    last_note = db.session.scalar(
        sa.select(MentoringNote)
        .where(MentoringNote.unit_id == unit.id)
        .options(selectinload(MentoringNote.author), selectinload(MentoringNote.training))
        .order_by(MentoringNote.noted_on.desc(), MentoringNote.id.desc())
        .limit(1)
    )
    return UnitDetail(
        with_story=list(db.session.scalars(base.where(story))),
        without_story=list(db.session.scalars(base.where(~story))),
        actions=list(actions),
        last_note=last_note,
    )
