"""What the units' own posts of a request did: the link of each done answer matched to the post
figures imported (or read) for that unit's accounts (calendarapp/performance). A post counts
when its permalink, or the post id at the end of the link (TikTok's video id), is the same as
a measured post of the same unit on the same platform; nothing is guessed from times or
captions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..content.platforms import Platform
from ..extensions import db
from ..performance.models import PostMetric
from ..performance.platform_files import post_key
from ..socialaccounts.models import SocialAccount
from .models import AmplificationAnswer, AmplificationRequest, AmplificationTarget
from .services import ON_TIME, state_of


@dataclass
class Reach:
    """One request's reach over the posts its units answered with."""

    posts: int = 0  # answers done with a link
    measured: int = 0  # of which a measured post was found for
    views: int = 0
    reach: int = 0
    interactions: int = 0  # likes, comments, shares and saves
    by_answer: dict[int, PostMetric] = field(default_factory=dict)

    @property
    def any(self) -> bool:
        return self.measured > 0


def keys_of(link: str) -> set[str]:
    """What a measured post may be kept under for this link: its permalink key (as imports
    keep it) and a numeric post id at the end of its path."""
    found = {post_key("", link)}
    last = urlsplit(link).path.rstrip("/").rsplit("/", 1)[-1]
    if last.isdigit():
        found.add(last)
    return found


def reach_of(requests: Iterable[AmplificationRequest]) -> dict[int, Reach]:
    """Each request's reach: one query whatever the number of requests and answers (their
    targets and answers loaded already)."""
    requests = list(requests)
    done: list[tuple[int, int, AmplificationAnswer]] = [
        (request.id, target.unit_id, answer)
        for request in requests
        for target in request.targets
        for answer in target.answers
        if answer.done and answer.link
    ]
    found = {request.id: Reach() for request in requests}
    if not done:
        return found
    keys = set().union(*(keys_of(a.link) for _r, _u, a in done))
    units = {unit_id for _r, unit_id, _a in done}
    rows = db.session.execute(
        sa.select(PostMetric, SocialAccount.unit_id, SocialAccount.platform)
        .join(PostMetric.account)
        .where(
            SocialAccount.unit_id.in_(units),
            sa.or_(
                PostMetric.post_key.in_(keys),
                sa.func.lower(PostMetric.permalink).in_(keys | {f"{k}/" for k in keys}),
            ),
        )
    ).all()
    measured: dict[tuple[int, Platform, str], PostMetric] = {}
    for metric, unit_id, platform in rows:
        for key in (metric.post_key, post_key("", metric.permalink)):
            measured.setdefault((unit_id, platform, key), metric)
    for request_id, unit_id, answer in done:
        reach = found[request_id]
        reach.posts += 1
        metric = next(
            (
                m
                for k in keys_of(answer.link)
                if (m := measured.get((unit_id, answer.platform, k))) is not None
            ),
            None,
        )
        if metric is None:
            continue
        reach.measured += 1
        reach.views += metric.views or 0
        reach.reach += metric.reach or 0
        reach.interactions += metric.interactions
        reach.by_answer[answer.id] = metric
    return found


@dataclass(frozen=True)
class RequestFigures:
    """A request of the monthly report: units asked, answered on time, and its reach."""

    request: AmplificationRequest
    asked: int
    on_time: int
    reach: Reach


def due_between(low: datetime, high: datetime) -> list[RequestFigures]:
    """The requests (not paused) due in [low, high), oldest first: four queries whatever their
    number."""
    requests = list(
        db.session.scalars(
            sa.select(AmplificationRequest)
            .where(
                AmplificationRequest.deadline_at >= low,
                AmplificationRequest.deadline_at < high,
                AmplificationRequest.paused_at.is_(None),
            )
            .options(
                selectinload(AmplificationRequest.targets).selectinload(AmplificationTarget.answers)
            )
            .order_by(AmplificationRequest.deadline_at, AmplificationRequest.id)
        )
    )
    reach = reach_of(requests)
    figures = []
    for request in requests:
        states = [state_of(t, request.platform_list).state for t in request.targets]
        figures.append(
            RequestFigures(request, len(states), states.count(ON_TIME), reach[request.id])
        )
    return figures
