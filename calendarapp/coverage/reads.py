"""Reading the agenda and coverage: the board, one day's agenda, the contributor pool, my
requests, the requests behind an item. Nothing here writes."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from ..accounts.models import Membership, Role, Unit, User
from ..accounts.permissions import admin_unit_ids
from ..content.models import ContentItem
from ..extensions import db
from ..timeutil import DateRange
from .models import AgendaEvent, CoverageRequest, Leader
from .permissions import FULL, access_of, agenda_access, invited_sql, involved_sql, viewer_binds
from .workflow import CoverageStatus

S = CoverageStatus


def events_query(with_people: bool = False) -> sa.Select:
    """Events of active Prokopim units with what showing them needs: three queries in all.

    with_people also loads the members of every unit asked, for the "who covers" choices.
    """
    request_unit = joinedload(CoverageRequest.unit)
    if with_people:
        request_unit = request_unit.selectinload(Unit.memberships).joinedload(Membership.user)
    return (
        sa.select(AgendaEvent)
        .join(AgendaEvent.unit)
        .where(Unit.active.is_(True))
        .options(
            contains_eager(AgendaEvent.unit),
            selectinload(AgendaEvent.invitees),
            selectinload(AgendaEvent.requests).options(
                request_unit,
                joinedload(CoverageRequest.assignee),
                joinedload(CoverageRequest.content_item),
            ),
        )
        .order_by(AgendaEvent.day, AgendaEvent.starts_at, AgendaEvent.id)
    )


@dataclass(frozen=True)
class AgendaEntry:
    """An event as one person may see it (every detail, or only a closed block), and whether
    anyone covers it."""

    event: AgendaEvent
    access: str
    covered: bool

    @property
    def full(self) -> bool:
        return self.access == FULL


def agenda_in(
    user: User,
    days: DateRange,
    leader: Leader | None = None,
    include_cancelled: bool = False,
    with_people: bool = False,
) -> list[AgendaEntry]:
    """The events in these days the user may see, in time order; fixed number of queries."""
    query = events_query(with_people).where(AgendaEvent.day.between(days.start, days.end))
    if leader is not None:
        query = query.where(AgendaEvent.leader == leader)
    if not include_cancelled:
        query = query.where(AgendaEvent.cancelled.is_(False))
    entries = []
    for event in db.session.scalars(query).unique():
        access = agenda_access(user, event)
        if access is not None:
            entries.append(AgendaEntry(event, access, event.covered))
    return entries


class DayEvent(NamedTuple):
    """An event as a calendar's day shows it (`agenda_by_day`): the columns its chip names, what
    the viewer may see of it, and whether anyone covers it."""

    id: int
    title: str
    place: str
    timezone: str
    starts_at: datetime | None
    leader: Leader
    access: str
    covered: bool

    @property
    def full(self) -> bool:
        return self.access == FULL


def agenda_by_day(
    user: User, days: DateRange, leader: Leader | None = None
) -> dict[date, list[DayEvent]]:
    """The events of these days the user may see, by day: one statement, the facts the rule
    needs read as columns (`coverage.permissions.access_of`), the events' own columns only
    (0.3 ms less than loading them whole, measured)."""
    binds = {"first": days.start, "last": days.end, **viewer_binds(user)}
    if leader is not None:
        binds["leader"] = leader
    by_day: dict[date, list[DayEvent]] = defaultdict(list)
    for row in db.session.execute(_day_events_query(leader is not None), binds):
        unit, day, visibility, involved, invited, is_covered, *columns = row
        access = access_of(user, unit, visibility, lambda i=involved: i, lambda i=invited: i)
        if access is not None:
            by_day[day].append(DayEvent(*columns, access, bool(is_covered)))
    return dict(by_day)


@functools.cache
def _day_events_query(by_leader: bool) -> sa.Select:
    """`agenda_by_day`'s statement, built once (0.6 ms saved on each month and week look,
    measured): the days (`first`, `last`), the viewer (`viewer_binds`) and the leader bound at
    each run."""
    covered = sa.exists().where(
        CoverageRequest.event_id == AgendaEvent.id,
        CoverageRequest.status.in_(CoverageStatus.committed()),
    )
    event = AgendaEvent
    query = (
        sa.select(
            Unit,
            event.day,
            event.visibility,
            involved_sql(),
            invited_sql(),
            covered,
            *(event.id, event.title, event.place, event.timezone, event.starts_at, event.leader),
        )
        .join(AgendaEvent.unit)
        .where(Unit.active.is_(True), AgendaEvent.cancelled.is_(False))
        .where(AgendaEvent.day.between(sa.bindparam("first"), sa.bindparam("last")))
        .order_by(AgendaEvent.day, AgendaEvent.starts_at, AgendaEvent.id)
    )
    if by_leader:
        query = query.where(AgendaEvent.leader == sa.bindparam("leader"))
    return query


@dataclass
class PoolMember:
    user: User
    units: list[Unit]
    load: int  # open or done requests this week


def contributor_pool(
    days: DateRange, roles: tuple[Role, ...] | None = (Role.CONTRIBUTOR,)
) -> list[PoolMember]:
    """Who can cover: contributors of every active unit (or members in any role with roles=None),
    with the requests they carry for events in these days, least busy first."""
    query = (
        sa.select(User, Unit)
        .join(Membership, Membership.user_id == User.id)
        .join(Unit, Unit.id == Membership.unit_id)
        .where(User.active.is_(True), Unit.active.is_(True))
        .order_by(User.name, Unit.short_name)
    )
    if roles is not None:
        query = query.where(Membership.role.in_(roles))
    rows = db.session.execute(query).all()
    load = dict(
        db.session.execute(
            sa.select(CoverageRequest.assignee_id, sa.func.count(CoverageRequest.id))
            .join(CoverageRequest.event)
            .where(AgendaEvent.day.between(days.start, days.end))
            .where(CoverageRequest.status.not_in([S.DITOLAK, S.DIBATALKAN]))
            .where(CoverageRequest.assignee_id.is_not(None))
            .group_by(CoverageRequest.assignee_id)
        ).all()
    )
    members: dict[int, PoolMember] = {}
    for user, unit in rows:
        member = members.setdefault(user.id, PoolMember(user, [], load.get(user.id, 0)))
        member.units.append(unit)
    return sorted(members.values(), key=lambda m: (m.load, m.user.name.lower()))


def people_of(units: Iterable[Unit]) -> list[tuple[Unit, User]]:
    """Active members of these units, for the "who covers" choices."""
    ids = [u.id for u in units]
    if not ids:
        return []
    rows = db.session.execute(
        sa.select(Unit, User)
        .join(Membership, Membership.unit_id == Unit.id)
        .join(User, User.id == Membership.user_id)
        .where(Unit.id.in_(ids), User.active.is_(True))
        .order_by(Unit.short_name, User.name)
    )
    return [(unit, user) for unit, user in rows]


def _waiting_on_query() -> sa.Select:
    """The statement; the person (`user`) and the units they administer (`admin_units`) bound at
    each run."""
    mine = CoverageRequest.assignee_id == sa.bindparam("user")
    to_pick = sa.and_(
        CoverageRequest.assignee_id.is_(None),
        CoverageRequest.unit_id.in_(sa.bindparam("admin_units", expanding=True)),
    )
    return (
        sa.select(CoverageRequest)
        .join(CoverageRequest.event)
        .where(sa.or_(mine, to_pick))
        .where(CoverageRequest.status.in_([S.DIMINTA, S.DITERIMA]))
        .where(AgendaEvent.cancelled.is_(False))
        .options(
            joinedload(CoverageRequest.event).joinedload(AgendaEvent.unit),
            joinedload(CoverageRequest.unit),
        )
        .order_by(CoverageRequest.due_at, CoverageRequest.id)
    )


def my_requests(user: User) -> list[CoverageRequest]:
    """Requests waiting on me: picked and not closed, or to my unit with nobody picked yet."""
    bound = {"user": user.id, "admin_units": admin_unit_ids(user)}
    return list(db.session.scalars(_waiting_on_query(), bound))


def requests_for_item(item: ContentItem) -> list[CoverageRequest]:
    """The coverage a content item came from, shown on its page."""
    return list(
        db.session.scalars(
            sa.select(CoverageRequest)
            .where(CoverageRequest.content_item_id == item.id)
            .options(joinedload(CoverageRequest.event))
        )
    )


def item_part(_viewer: User, item: ContentItem) -> dict:
    """On an item's page (calendarapp/parts.py): the coverage it came from, for whoever
    sees the item."""
    return {"coverage_sources": requests_for_item(item)}
