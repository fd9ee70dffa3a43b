"""The leader's agenda and accepted coverage on calendars (calendarapp/sources.py): on the days
of the month and week views, in the agenda feed, and in the personal feed of whoever covers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import joinedload

from .. import clock
from ..extensions import db
from ..feeds import ical
from ..feeds.models import FeedScope
from ..i18n import format_local_time
from ..i18n import phrase as _  # the same words on every chip: looked up once
from ..sources import GRACE, DayChip, FeedView, Looking, Pending, Print, pending, uid_of
from .models import AgendaEvent, CoverageRequest, Leader
from .permissions import FULL, agenda_access
from .reads import DayEvent, agenda_by_day, events_query
from .services import event_bounds
from .workflow import CoverageStatus

HIDDEN = "none"  # the calendar's `agenda` parameter that hides the agenda


class AgendaDays:
    kind = "agenda"

    def place(self, looking: Looking) -> dict[date, list[DayChip]]:
        """The leader's agenda on each day, as the viewer may see it (none when hidden)."""
        if looking.agenda == HIDDEN:
            return {}
        leader = Leader(looking.agenda) if looking.agenda else None
        found = agenda_by_day(looking.viewer, looking.days, leader)
        return {day: [_chip(event) for event in events] for day, events in found.items()}


def _chip(event: DayEvent) -> DayChip:
    """An event with its details and whether anyone covers it yet, or only a closed block."""
    when = (
        format_local_time(event.starts_at, event.timezone)
        if event.starts_at
        else _("Time to be confirmed")
    )
    if not event.full:
        return DayChip(
            "agenda", ("agenda-id", event.id), when, _("Closed agenda"), flags=("closed",)
        )
    return DayChip(
        "agenda",
        ("agenda-id", event.id),
        when,
        event.title,
        " · ".join(part for part in (event.title, event.leader.label, event.place) if part),
        href=url_for("coverage.event", event_id=event.id),
        badge=_("Leader's agenda"),
        flags=() if event.covered else ("uncovered",),
        note=None if event.covered else _("not covered yet"),
    )


def _in_window(feed: FeedView) -> list:
    low, high = feed.window
    return [AgendaEvent.day.between(low.date(), high.date())]


def _agenda_filter(feed: FeedView) -> list:
    since = clock.now() - GRACE
    return [
        *_in_window(feed),
        sa.or_(AgendaEvent.cancelled.is_(False), AgendaEvent.updated_at >= since),
    ]


def _coverage_filter(feed: FeedView) -> list:
    return [
        CoverageRequest.assignee_id == feed.token.user_id,
        CoverageRequest.status.in_(CoverageStatus.committed()),
        *_in_window(feed),
        AgendaEvent.cancelled.is_(False),
    ]


def _print(events_where: list, requests_where: list) -> Print:
    """Count, newest change and sum of versions of the events and of the coverage requests.

    Every event of the window is counted (who may see which is decided while building): any
    change to the agenda rebuilds these few feeds, and equal data still gives equal bytes.
    """
    events = sa.select(
        sa.func.count(AgendaEvent.id),
        sa.func.max(AgendaEvent.updated_at),
        sa.func.sum(AgendaEvent.version),
    ).where(*events_where)
    requests = (
        sa.select(
            sa.func.count(CoverageRequest.id),
            sa.func.max(CoverageRequest.updated_at),
            sa.func.sum(CoverageRequest.version),
        )
        .join(CoverageRequest.event)
        .where(*requests_where)
    )
    parts = (*db.session.execute(events).one(), *db.session.execute(requests).one())
    return Print(parts, tuple(value for value in parts[1::3] if value is not None))


def _times(event: AgendaEvent) -> tuple[datetime | date, datetime | date]:
    """Timed in the event's zone, or the whole day while the time is to be confirmed."""
    if event.starts_at is None:
        return event.day, event.day + timedelta(days=1)
    zone = ZoneInfo(event.timezone)
    return event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)


class AgendaFeed:
    """The leader's events in the agenda feed: every detail, or a closed block."""

    kinds = ("agenda",)

    def shows(self, feed: FeedView) -> bool:
        return feed.token.scope == FeedScope.AGENDA

    def fingerprint(self, feed: FeedView) -> Print:
        return _print(_agenda_filter(feed), _agenda_filter(feed))

    def events(self, feed: FeedView) -> list[Pending]:
        found = []
        for event in db.session.scalars(events_query().where(*_agenda_filter(feed))).unique():
            access = agenda_access(feed.token.user, event)
            if access is None:
                continue
            asked = ",".join(
                f"{r.id}:{r.version}:{r.assignee_id}:{r.updated_at.isoformat()}"
                for r in event.requests
            )
            base = f"{event.id}|{event.version}|{event.updated_at.isoformat()}|{access}|{asked}"
            start, _end = event_bounds(event)
            zone = event.timezone if event.starts_at else None
            found.append(
                pending(
                    feed,
                    f"agenda-{event.id}",
                    base,
                    start,
                    "agenda",
                    zone=zone,
                    subject=(event, access),
                )  # fmt: skip
            )
        return found

    def render(self, feed: FeedView, events: list[Pending]) -> dict[str, bytes]:
        return {p.key: _render_agenda(feed, p, *p.subject) for p in events}


def _render_agenda(feed: FeedView, p: Pending, event: AgendaEvent, access: str) -> bytes:
    start, end = _times(event)
    stamp = max([event.updated_at, *(r.updated_at for r in event.requests)]).astimezone(UTC)
    sequence = event.version + sum(r.version for r in event.requests)
    if access != FULL:
        return ical.event(
            uid=uid_of(feed, p),
            summary=_("Closed agenda"),
            start=start,
            end=end,
            stamp=stamp,
            created=event.created_at.astimezone(UTC),
            sequence=sequence,
            categories=[event.leader.label],
        )
    url = f"{feed.base_url}/agenda/{event.id}"
    lines = [_("Place: %(place)s", place=event.place)] if event.place else []
    if event.starts_at is None:
        lines.append(_("Time to be confirmed"))
    if event.notes.strip():
        lines.append(event.notes.strip())
    for r in event.requests:
        if r.status in (CoverageStatus.DITOLAK, CoverageStatus.DIBATALKAN):
            continue
        who = (
            r.assignee.name if r.assignee else _("%(unit)s (to be picked)", unit=r.unit.short_name)
        )
        lines.append(f"{r.deliverable.label}: {who} · {r.status.label}")
    if not event.covered and not event.cancelled:
        lines.append(_("Nobody covers this yet"))
    lines.append(url)
    summary = f"{event.leader.label}: {event.title}"
    if event.cancelled:
        summary = _("CANCELLED: %(summary)s", summary=summary)
    return ical.event(
        uid=uid_of(feed, p),
        summary=summary,
        start=start,
        end=end,
        stamp=stamp,
        created=event.created_at.astimezone(UTC),
        sequence=sequence,
        description="\n".join(lines),
        url=url,
        status="CANCELLED" if event.cancelled else "CONFIRMED",
        categories=[event.leader.label],
        location=event.place or None,
    )


class CoverageFeed:
    """The coverage one accepted, at the time of the event, in one's personal feed."""

    kinds = ("coverage",)

    def shows(self, feed: FeedView) -> bool:
        return feed.token.scope == FeedScope.PERSONAL

    def fingerprint(self, feed: FeedView) -> Print:
        return _print(_coverage_filter(feed)[2:], _coverage_filter(feed))

    def events(self, feed: FeedView) -> list[Pending]:
        requests = db.session.scalars(
            sa.select(CoverageRequest)
            .join(CoverageRequest.event)
            .where(*_coverage_filter(feed))
            .options(joinedload(CoverageRequest.event), joinedload(CoverageRequest.unit))
        ).unique()
        found = []
        for request in requests:
            event = request.event
            base = (
                f"{request.id}|{request.version}|{request.updated_at.isoformat()}|"
                f"{event.version}|{event.updated_at.isoformat()}"
            )
            start, _end = event_bounds(event)
            zone = event.timezone if event.starts_at else None
            name = f"coverage-{request.id}"
            found.append(pending(feed, name, base, start, "coverage", zone=zone, subject=request))
        return found

    def render(self, feed: FeedView, events: list[Pending]) -> dict[str, bytes]:
        return {p.key: _render_coverage(feed, p, p.subject) for p in events}


def _render_coverage(feed: FeedView, p: Pending, request: CoverageRequest) -> bytes:
    event = request.event
    start, end = _times(event)
    url = f"{feed.base_url}/agenda/{event.id}"
    due = request.due_at.astimezone(ZoneInfo(event.timezone))
    lines = [
        _("Deliver: %(what)s", what=request.deliverable.label),
        _("Due: %(when)s", when=due.strftime("%Y-%m-%d %H.%M")),
    ]
    if request.instructions.strip():
        lines.append(request.instructions.strip())
    lines += [_("Status: %(status)s", status=request.status.label), url]
    return ical.event(
        uid=uid_of(feed, p),
        summary=_(
            "Coverage: %(title)s (%(what)s)", title=event.title, what=request.deliverable.label
        ),
        start=start,
        end=end,
        stamp=max(request.updated_at, event.updated_at).astimezone(UTC),
        created=request.created_at.astimezone(UTC),
        sequence=request.version + event.version,
        description="\n".join(lines),
        url=url,
        categories=[request.deliverable.label],
        location=event.place or None,
    )


AGENDA_DAYS = AgendaDays()
AGENDA = AgendaFeed()
COVERAGE = CoverageFeed()
