"""The iCalendar text of one event of each kind."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..accounts.permissions import (
    FULL,
)
from ..content.models import ContentItem, Theme
from ..content.workflow import Status
from ..coverage.models import AgendaEvent, CoverageRequest
from ..coverage.workflow import CoverageStatus
from . import ical
from .contents import DEADLINE, PUBLISHED_SIDE, SLOT, Feed
from .events import Pending


def render_item(feed: Feed, p: Pending, item: ContentItem | None, theme: Theme | None) -> bytes:
    uid = p.key.removeprefix(feed.cache_prefix)
    if theme is not None:
        last = theme.ends_on or theme.starts_on
        end = last + timedelta(days=1) if last < date.max else last  # exclusive end, if any
        return ical.event(
            uid=uid,
            summary=_("Theme: %(name)s", name=theme.name),
            start=theme.starts_on,
            end=end,
            stamp=theme.updated_at.astimezone(UTC),
            created=theme.created_at.astimezone(UTC),
            sequence=0,
            description=theme.description,
            categories=[str(_l("Theme"))],
        )
    assert item is not None
    zone = ZoneInfo(item.unit.timezone)
    url = f"{feed.base_url}/items/{item.id}"
    people = ", ".join(f"{a.user.name} ({a.role.label})" for a in item.assignments)
    lines = [item.brief.strip()] if item.brief.strip() else []
    if people:
        lines.append(_("Assignments: %(people)s", people=people))
    lines.append(_("Status: %(status)s", status=item.status.label))
    lines.append(url)
    cancelled = item.status == Status.DIBATALKAN
    if p.kind == "draft":
        due = item.draft_due_at.astimezone(zone)
        summary = _("Draft due: %(title)s · %(unit)s", title=item.title, unit=item.unit.short_name)
        start, end = due, due + DEADLINE
    else:
        if item.planned_at is not None:
            start = item.planned_at.astimezone(zone)
            end = start + SLOT
        else:
            start, end = item.planned_date, item.planned_date + timedelta(days=1)
        summary = f"[{item.status.label}] {item.title} · {item.unit.short_name}"
    if cancelled:
        summary = _("CANCELLED: %(summary)s", summary=summary)
    return ical.event(
        uid=uid,
        summary=summary,
        start=start,
        end=end,
        stamp=item.updated_at.astimezone(UTC),
        created=item.created_at.astimezone(UTC),
        sequence=item.version,
        description="\n".join(lines),
        url=url,
        status="CANCELLED"
        if cancelled
        else ("CONFIRMED" if item.status in PUBLISHED_SIDE else "TENTATIVE"),
        categories=[item.format.label],
    )


def _event_times(event: AgendaEvent) -> tuple[datetime | date, datetime | date]:
    """Timed in the event's zone, or the whole day while the time is to be confirmed."""
    if event.starts_at is None:
        return event.day, event.day + timedelta(days=1)
    zone = ZoneInfo(event.timezone)
    return event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)


def render_agenda(feed: Feed, p: Pending, event: AgendaEvent, access: str) -> bytes:
    uid = p.key.removeprefix(feed.cache_prefix)
    start, end = _event_times(event)
    stamp = max([event.updated_at, *(r.updated_at for r in event.requests)]).astimezone(UTC)
    sequence = event.version + sum(r.version for r in event.requests)
    if access != FULL:
        return ical.event(
            uid=uid,
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
        uid=uid,
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


def render_coverage(feed: Feed, p: Pending, request: CoverageRequest) -> bytes:
    uid = p.key.removeprefix(feed.cache_prefix)
    event = request.event
    start, end = _event_times(event)
    zone = event.timezone
    url = f"{feed.base_url}/agenda/{event.id}"
    due = request.due_at.astimezone(ZoneInfo(zone))
    lines = [
        _("Deliver: %(what)s", what=request.deliverable.label),
        _("Due: %(when)s", when=due.strftime("%Y-%m-%d %H.%M")),
    ]
    if request.instructions.strip():
        lines.append(request.instructions.strip())
    lines += [_("Status: %(status)s", status=request.status.label), url]
    stamp = max(request.updated_at, event.updated_at).astimezone(UTC)
    return ical.event(
        uid=uid,
        summary=_(
            "Coverage: %(title)s (%(what)s)", title=event.title, what=request.deliverable.label
        ),
        start=start,
        end=end,
        stamp=stamp,
        created=request.created_at.astimezone(UTC),
        sequence=request.version + event.version,
        description="\n".join(lines),
        url=url,
        categories=[request.deliverable.label],
        location=event.place or None,
    )


def render_mentoring(feed: Feed, p: Pending, thing) -> bytes:
    uid = p.key.removeprefix(feed.cache_prefix)
    if p.kind == "training":
        training = thing
        zone = ZoneInfo(training.timezone)
        url = f"{feed.base_url}/trainings/{training.id}"
        lines = [training.kind.label]
        if training.summary.strip():
            lines.append(training.summary.strip())
        lines.append(url)
        return ical.event(
            uid=uid,
            summary=f"{training.kind.label}: {training.title}",
            start=training.starts_at.astimezone(zone),
            end=training.ends_at.astimezone(zone),
            stamp=training.updated_at.astimezone(UTC),
            created=training.created_at.astimezone(UTC),
            sequence=training.version,
            description="\n".join(lines),
            url=url,
            categories=[training.kind.label],
            location=training.place or None,
        )
    if p.kind == "follow-up":
        note = thing
        url = f"{feed.base_url}/units/{note.unit_id}/mentoring#note-{note.id}"
        return ical.event(
            uid=uid,
            summary=_("Follow-up visit: %(unit)s", unit=note.unit.short_name),
            start=note.next_follow_up,
            end=note.next_follow_up + timedelta(days=1),
            stamp=note.updated_at.astimezone(UTC),
            created=note.created_at.astimezone(UTC),
            sequence=note.version,
            description="\n".join(x for x in (note.recommendations.strip(), url) if x),
            url=url,
        )
    action = thing
    note = action.note
    url = f"{feed.base_url}/units/{note.unit_id}/mentoring#action-{action.id}"
    owner = action.owner.name if action.owner else "–"
    return ical.event(
        uid=uid,
        summary=_("RTL due: %(text)s · %(unit)s", text=action.text, unit=note.unit.short_name),
        start=action.due_on,
        end=action.due_on + timedelta(days=1),
        stamp=action.updated_at.astimezone(UTC),
        created=action.created_at.astimezone(UTC),
        sequence=action.version,
        description="\n".join(
            [
                _("Owner: %(name)s", name=owner),
                _("Status: %(status)s", status=action.status.label),
                url,
            ]
        ),
        url=url,
    )
