"""Amplification deadlines on calendars (calendarapp/sources.py): on the day of the deadline in
the month and week views (one chip per request, with how many of the units shown have answered),
and as an event at the deadline in a unit's plan feed and in the personal feed of those who
answer for a target unit (its admins and editors)."""

from __future__ import annotations

import functools
from collections import defaultdict
from datetime import UTC, date, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import contains_eager, selectinload

from ..accounts.models import Membership, Role, Unit
from ..extensions import db
from ..feeds import ical
from ..feeds.models import FeedScope
from ..i18n import format_local_time
from ..i18n import phrase as _  # the same words on every chip: looked up once
from ..sources import DayChip, FeedView, Looking, Pending, Print, pending, uid_of
from .models import AmplificationAnswer, AmplificationRequest, AmplificationTarget
from .services import OWING, may_ask, state_of

SLOT = timedelta(minutes=15)  # a deadline shows as a quarter of an hour, as a draft's does


def _targets(where: list) -> list[AmplificationTarget]:
    """Targets with their request, unit and answers: two queries whatever their number."""
    return list(db.session.scalars(_targets_query(where)))


def _targets_query(where: list) -> sa.Select:
    return (
        sa.select(AmplificationTarget)
        .join(AmplificationTarget.request)
        .join(AmplificationTarget.unit)
        .where(*where, Unit.active.is_(True))
        .options(
            contains_eager(AmplificationTarget.request),
            contains_eager(AmplificationTarget.unit),
            selectinload(AmplificationTarget.answers),
        )
        .order_by(AmplificationRequest.deadline_at, AmplificationRequest.id, Unit.name)
    )


@functools.cache
def _day_targets_query(asking: bool) -> sa.Select:
    """The targets due in a calendar's days, built once for askers and once for the others
    (0.7 ms saved on each month and week look, measured): the units shown (`shown`), the range
    (`low`, `high`) and, for an asker, the asker and their units bound at each run. An asker
    also sees the requests asked by them or by the people of their units."""
    which = [AmplificationTarget.unit_id.in_(sa.bindparam("shown", expanding=True))]
    if asking:
        own_units = sa.bindparam("own_units", expanding=True)
        colleagues = sa.select(Membership.user_id).where(Membership.unit_id.in_(own_units))
        which += [
            AmplificationRequest.created_by_id == sa.bindparam("viewer"),
            AmplificationRequest.created_by_id.in_(colleagues),
        ]
    in_days = AmplificationRequest.deadline_at.between(sa.bindparam("low"), sa.bindparam("high"))
    return _targets_query([sa.or_(*which), in_days])


class AmplifyDays:
    kind = "amplify"

    def place(self, looking: Looking) -> dict[date, list[DayChip]]:
        """The requests due on each day, as the viewer may see them: those asking the units shown
        (a unit's people: their own units only), over those units; and for an asker, those asked
        by the people of the asker's units (Prokopim's own requests), over every unit asked."""
        viewer = looking.viewer
        own_units = {m.unit_id for m in viewer.memberships}
        shown = set(looking.unit_ids)
        asking = may_ask(viewer)
        if not asking:
            shown &= own_units
        low, high = looking.days.utc_bounds()
        binds = {"shown": list(shown), "low": low, "high": high}
        binds.update(viewer=viewer.id, own_units=list(own_units))
        found = db.session.scalars(_day_targets_query(asking), binds)
        grouped: dict[tuple[int, date], list[AmplificationTarget]] = defaultdict(list)
        for target in found:
            day = target.request.deadline_at.astimezone(ZoneInfo(target.unit.timezone)).date()
            if looking.days.start <= day <= looking.days.end:
                grouped[(target.request_id, day)].append(target)
        placed: dict[date, list[DayChip]] = defaultdict(list)
        for (_id, day), targets in grouped.items():
            placed[day].append(_chip(targets))
        return dict(placed)


def _chip(targets: list[AmplificationTarget]) -> DayChip:
    """One request's deadline over the units shown it asks (in the first one's zone): how many
    have answered on every platform, or for one unit whether it has."""
    request = targets[0].request
    answered = sum(state_of(t, request.platform_list).state != OWING for t in targets)
    if request.paused_at is not None:
        badge = _("paused")
    elif len(targets) == 1:
        state = _("answered") if answered else _("still owing")
        badge = f"{targets[0].unit.short_name}: {state}"
    else:
        badge = _("%(answered)d of %(asked)d units answered", answered=answered, asked=len(targets))
    return DayChip(
        "amplify",
        ("amplification-id", request.id),
        format_local_time(request.deadline_at, targets[0].unit.timezone),
        _("Amplify: %(title)s", title=request.title),
        _("Amplification due: %(title)s", title=request.title),
        href=url_for("amplification.detail", amplification_id=request.id),
        badge=badge,
    )


def _feed_units(feed: FeedView) -> sa.ColumnElement[bool]:
    """A unit's plan: that unit; one's own work: the units one answers for."""
    token = feed.token
    if token.scope == FeedScope.UNIT:
        return AmplificationTarget.unit_id == token.unit_id
    answering = sa.select(Membership.unit_id).where(
        Membership.user_id == token.user_id, Membership.role.in_([Role.ADMIN, Role.EDITOR])
    )
    return AmplificationTarget.unit_id.in_(answering)


def _feed_where(feed: FeedView) -> list:
    low, high = feed.window
    return [_feed_units(feed), AmplificationRequest.deadline_at.between(low, high)]


class AmplifyFeed:
    kinds = ("amplify",)

    def shows(self, feed: FeedView) -> bool:
        return feed.token.scope in (FeedScope.UNIT, FeedScope.PERSONAL)

    def fingerprint(self, feed: FeedView) -> Print:
        """The targets, their answers and pauses, and the units (their names)."""
        parts = db.session.execute(
            sa.select(
                sa.func.count(AmplificationTarget.id.distinct()),
                sa.func.sum(AmplificationTarget.id),
                sa.func.count(AmplificationAnswer.id),
                sa.func.sum(AmplificationAnswer.id),
                sa.func.count(AmplificationRequest.paused_at),
                sa.func.max(AmplificationRequest.created_at),
                sa.func.max(AmplificationAnswer.answered_at),
                sa.func.max(AmplificationRequest.paused_at),
                sa.func.max(Unit.updated_at),
            )
            .select_from(AmplificationTarget)
            .join(AmplificationTarget.request)
            .join(AmplificationTarget.unit)
            .outerjoin(AmplificationTarget.answers)
            .where(*_feed_where(feed), Unit.active.is_(True))
        ).one()
        return Print(tuple(parts), tuple(value for value in parts[5:] if value is not None))

    def events(self, feed: FeedView) -> list[Pending]:
        found = []
        for target in _targets(_feed_where(feed)):
            request = target.request
            answers = ",".join(f"{a.id}:{a.done}" for a in target.answers)
            base = (
                f"{target.id}|{request.deadline_at.isoformat()}|{request.paused_at}|"
                f"{target.unit.short_name}|{answers}"
            )
            name = f"amplify-{target.id}"
            found.append(
                pending(
                    feed,
                    name,
                    base,
                    request.deadline_at,
                    "amplify",
                    zone=target.unit.timezone,
                    subject=target,
                )  # fmt: skip
            )
        return found

    def render(self, feed: FeedView, events: list[Pending]) -> dict[str, bytes]:
        return {p.key: _render(feed, p, p.subject) for p in events}


def _render(feed: FeedView, p: Pending, target: AmplificationTarget) -> bytes:
    request = target.request
    state = state_of(target, request.platform_list)
    due = request.deadline_at.astimezone(ZoneInfo(target.unit.timezone))
    url = f"{feed.base_url}/amplification/{request.id}"
    summary = _("Amplify: %(title)s · %(unit)s", title=request.title, unit=target.unit.short_name)
    lines = [
        request.action.label,
        ", ".join(p.label for p in request.platform_list),
        _("Status: %(status)s", status=state.label),
    ]
    if request.paused_at is not None:
        summary = _("PAUSED: %(summary)s", summary=summary)
        lines.append(request.paused_reason)
    lines.append(url)
    stamps = [request.created_at, request.paused_at, *(a.answered_at for a in target.answers)]
    return ical.event(
        uid=uid_of(feed, p),
        summary=summary,
        start=due,
        end=due + SLOT,
        stamp=max(s for s in stamps if s is not None).astimezone(UTC),
        created=request.created_at.astimezone(UTC),
        sequence=len(target.answers) + (request.paused_at is not None),
        description="\n".join(lines),
        url=url,
        categories=[_("Amplification")],
    )


AMPLIFY_DAYS = AmplifyDays()
FEED = AmplifyFeed()
