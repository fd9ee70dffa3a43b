"""Operations on the leader's agenda and coverage requests: they flush, never commit.

Every refusal raises CoverageError with a message for the user and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .. import clock
from ..accounts.models import Unit, User
from ..accounts.permissions import keeps_agenda, role_in
from ..content import services as content
from ..content.models import ContentItem
from ..content.permissions import can_create_in_unit
from ..content.posted import valid_url
from ..errors import Refused, Stale
from ..extensions import db
from ..i18n import lazy_phrase as _l
from ..notifications.models import NotificationKind
from ..timeutil import ZONE_LABELS
from .models import AgendaEvent, CoverageChange, CoverageRequest, Deliverable, Leader, Visibility
from .notices import people_asked, tell, tell_transition
from .permissions import coverage_actors
from .workflow import ASSIGNEE, REQUESTER, UNIT_ADMIN, CoverageStatus, edge

TITLE_MAX = 200
PLACE_MAX = 200
TEXT_MAX = 5000
NOTE_MAX = 2000
LINKS_MAX = 10
# Photos and a news text are still useful two days after the event; later they are not news.
DUE_MARGIN = timedelta(hours=48)
S = CoverageStatus


class CoverageError(Refused):
    """A change to the agenda or to a coverage request we refuse."""


class StaleRequest(CoverageError, Stale):
    """The page was made from an older version than the one saved now."""

    def __init__(self) -> None:
        super().__init__(
            _l("Someone changed this in the meantime. Look at the current state and try again.")
        )


# ---- agenda events -------------------------------------------------------------------------


@dataclass
class EventFields:
    leader: Leader
    title: str
    day: date
    timezone: str
    place: str = ""
    start: time | None = None
    end: time | None = None
    visibility: Visibility = Visibility.INTERNAL
    notes: str = ""
    invitees: list[User] = field(default_factory=list)


def _check_event(data: EventFields) -> tuple[datetime | None, datetime | None]:
    data.title = data.title.strip()
    data.place = data.place.strip()
    if not data.title:
        raise CoverageError(_l("A title is needed."), "title")
    if len(data.title) > TITLE_MAX:
        raise CoverageError(
            _l("The title is too long (at most %(limit)d characters).", limit=TITLE_MAX), "title"
        )
    if len(data.place) > PLACE_MAX:
        raise CoverageError(
            _l("The place is too long (at most %(limit)d characters).", limit=PLACE_MAX), "place"
        )
    if len(data.notes) > TEXT_MAX:
        raise CoverageError(
            _l("This text is too long (at most %(limit)d characters).", limit=TEXT_MAX), "notes"
        )
    if data.timezone not in ZONE_LABELS:
        raise CoverageError(_l("Choose WIB, WITA or WIT."), "timezone")
    if (data.start is None) != (data.end is None):
        raise CoverageError(
            _l("Give both the start and the end, or neither if the time is to be confirmed."),
            "start",
        )
    if data.start is None:
        return None, None
    zone = ZoneInfo(data.timezone)
    starts = datetime.combine(data.day, data.start, zone)
    ends = datetime.combine(data.day, data.end, zone)
    if ends <= starts:
        raise CoverageError(_l("The event must end after it starts."), "end")
    return starts, ends


def _apply_event(event: AgendaEvent, data: EventFields, starts, ends) -> None:
    event.leader = data.leader
    event.title = data.title
    event.place = data.place
    event.timezone = data.timezone
    event.day = data.day
    event.starts_at, event.ends_at = starts, ends
    event.visibility = data.visibility
    event.notes = data.notes
    event.invitees = list({u.id: u for u in data.invitees}.values())


def _require_keeper(by: User, unit: Unit) -> None:
    if not keeps_agenda(by, unit):
        raise CoverageError(_l("Only Prokopim admins and editors keep the leader's agenda."))


def create_event(
    unit: Unit, by: User, data: EventFields, creation_token: str | None = None
) -> AgendaEvent:
    _require_keeper(by, unit)
    if made := AgendaEvent.made_with(
        creation_token, CoverageError, unit_id=unit.id, created_by_id=by.id
    ):
        return made
    starts, ends = _check_event(data)
    event = AgendaEvent(unit=unit, created_by=by, creation_token=creation_token or None)
    _apply_event(event, data, starts, ends)
    db.session.add(event)
    db.session.flush()
    return event


def update_event(event: AgendaEvent, by: User, version: int, data: EventFields) -> AgendaEvent:
    _require_keeper(by, event.unit)
    if version != event.version:
        raise StaleRequest()
    if event.cancelled:
        raise CoverageError(_l("This event was cancelled."))
    starts, ends = _check_event(data)
    _apply_event(event, data, starts, ends)
    # invitees live in their own table: touch the row so its version and the feeds see the change
    event.updated_at = clock.now()
    db.session.flush()
    return event


def cancel_event(event: AgendaEvent, by: User, version: int, note: str) -> None:
    """The event is off: every open request is cancelled and its people told."""
    _require_keeper(by, event.unit)
    if version != event.version:
        raise StaleRequest()
    if event.cancelled:
        raise CoverageError(_l("This event was cancelled."))
    note = _note(note, required=True)
    for request in event.requests:
        if request.status in (S.DIMINTA, S.DITERIMA, S.DISERAHKAN):
            _record(request, S.DIBATALKAN, by, note)
            tell(people_asked(request), NotificationKind.COVERAGE_CANCELLED, request, by)
    event.cancelled = True
    db.session.flush()


def event_bounds(event: AgendaEvent) -> tuple[datetime, datetime]:
    """When the event starts and ends; a day whose time is to be confirmed spans the whole day."""
    if event.starts_at is not None and event.ends_at is not None:
        return event.starts_at, event.ends_at
    zone = ZoneInfo(event.timezone)
    return (
        datetime.combine(event.day, time.min, zone),
        datetime.combine(event.day + timedelta(days=1), time.min, zone),
    )


# ---- coverage requests ---------------------------------------------------------------------


@dataclass
class RequestFields:
    deliverable: Deliverable
    unit: Unit
    due_at: datetime  # aware
    assignee: User | None = None
    instructions: str = ""


def _check_person(person: User, unit: Unit) -> None:
    if not person.active:
        raise CoverageError(_l("%(name)s is no longer active.", name=person.name), "assignee")
    if role_in(person, unit.id) is None:
        raise CoverageError(
            _l("%(name)s is not a member of %(unit)s.", name=person.name, unit=unit.short_name),
            "assignee",
        )


def request_coverage(
    event: AgendaEvent, by: User, data: RequestFields, creation_token: str | None = None
) -> CoverageRequest:
    """Ask a unit, or one person in it, to cover the event."""
    if not keeps_agenda(by, event.unit):
        raise CoverageError(_l("Only Prokopim admins and editors ask for coverage."))
    if made := CoverageRequest.made_with(
        creation_token, CoverageError, event_id=event.id, requested_by_id=by.id
    ):
        return made
    if event.cancelled:
        raise CoverageError(_l("This event was cancelled."))
    starts, ends = event_bounds(event)
    now = clock.now()
    if ends <= now:
        raise CoverageError(_l("This event is over: coverage can no longer be requested."))
    if not data.unit.active:
        raise CoverageError(_l("This unit is no longer active."), "unit")
    if data.assignee is not None:
        _check_person(data.assignee, data.unit)
    if data.due_at.tzinfo is None:
        raise CoverageError("due time must carry its time zone", "due_at")
    if data.due_at < starts or data.due_at < now:
        raise CoverageError(_l("The deliverable cannot be due before the event starts."), "due_at")
    if data.due_at > ends + DUE_MARGIN:
        raise CoverageError(
            _l("The deliverable must be due at most two days after the event ends."), "due_at"
        )
    instructions = data.instructions.strip()
    if len(instructions) > TEXT_MAX:
        raise CoverageError(
            _l("This text is too long (at most %(limit)d characters).", limit=TEXT_MAX),
            "instructions",
        )
    request = CoverageRequest(
        event=event,
        deliverable=data.deliverable,
        unit=data.unit,
        assignee=data.assignee,
        due_at=data.due_at,
        instructions=instructions,
        status=S.DIMINTA,
        requested_by=by,
        creation_token=creation_token or None,
    )
    db.session.add(request)
    _record(request, S.DIMINTA, by, "", source=None)
    db.session.flush()
    tell(people_asked(request), NotificationKind.COVERAGE_REQUESTED, request, by)
    return request


def assign(request: CoverageRequest, by: User, person: User, version: int) -> None:
    """Pick who covers: Prokopim picks anyone in the unit asked, its admin one of their members.

    A declined or accepted request given to someone else starts again at Diminta.
    """
    actors = coverage_actors(by, request)
    if not actors & {REQUESTER, UNIT_ADMIN}:
        raise CoverageError(
            _l("Only Prokopim or the admin of the unit asked can pick who covers this.")
        )
    if version != request.version:
        raise StaleRequest()
    if request.status not in (S.DIMINTA, S.DITOLAK, S.DITERIMA):
        raise CoverageError(
            _l(
                "A request that is “%(current)s” cannot be given to someone else.",
                current=request.status.label,
            )
        )
    _check_person(person, request.unit)
    if person.id == request.assignee_id and request.status == S.DIMINTA:
        return
    previous = request.assignee
    request.assignee = person
    note = str(_l("Given to %(name)s", name=person.name))
    _record(request, S.DIMINTA, by, note)
    db.session.flush()
    tell([person], NotificationKind.COVERAGE_REQUESTED, request, by)
    if previous is not None and previous.id != person.id:
        tell([previous], NotificationKind.COVERAGE_CANCELLED, request, by)


def valid_links(text: str) -> list[str]:
    links = [line.strip() for line in text.splitlines() if line.strip()]
    if not links:
        raise CoverageError(
            _l("Give at least one link to the photos, video or text you deliver."), "links"
        )
    if len(links) > LINKS_MAX:
        raise CoverageError(_l("At most %(limit)d links, one per line.", limit=LINKS_MAX), "links")
    for link in links:
        if not valid_url(link):
            raise CoverageError(
                _l("“%(link)s” is not a web address (http:// or https://).", link=link[:80]),
                "links",
            )
    return links


def _note(text: str, required: bool) -> str:
    text = text.strip()
    if required and not text:
        raise CoverageError(_l("Please give a reason."), "note")
    if len(text) > NOTE_MAX:
        raise CoverageError(
            _l("The note is too long (at most %(limit)d characters).", limit=NOTE_MAX), "note"
        )
    return text


def transition(
    request: CoverageRequest,
    target: CoverageStatus,
    by: User,
    *,
    version: int,
    note: str = "",
    links: str = "",
) -> CoverageChange:
    """Move a request along one edge, or refuse and change nothing."""
    if version != request.version:
        raise StaleRequest()
    step = edge(request.status, target)
    if step is None:
        if request.status == S.DIBATALKAN:
            raise CoverageError(_l("This request was cancelled."))
        raise CoverageError(
            _l(
                "A request that is “%(current)s” cannot become “%(target)s”.",
                current=request.status.label,
                target=target.label,
            )
        )
    actors = coverage_actors(by, request)
    if not step.actors & actors:
        if step.actors == {ASSIGNEE} and request.assignee_id not in (None, by.id):
            raise CoverageError(_l("This request was given to someone else."))
        raise CoverageError(_l("You may not take this step for this request."))
    note = _note(note, step.needs_note)
    if step.needs_links:
        request.delivered_links = "\n".join(valid_links(links))
        request.delivery_note = note
    change = _record(request, target, by, note)
    db.session.flush()
    tell_transition(request, target, by)
    return change


def _record(
    request: CoverageRequest,
    target: CoverageStatus,
    by: User | None,
    note: str,
    source: CoverageStatus | None | bool = False,
) -> CoverageChange:
    change = CoverageChange(
        from_status=request.status if source is False else source,
        to_status=target,
        user=by,
        note=note,
        created_at=clock.now(),
    )
    request.history.append(change)
    request.status = target
    return change


# ---- from a delivery to a content item -----------------------------------------------------


def item_units(request: CoverageRequest, by: User) -> list[Unit]:
    """Where a delivery may become a post: Prokopim's calendar or the covering unit's."""
    if request.status not in (S.DISERAHKAN, S.SELESAI) or request.content_item_id is not None:
        return []
    units = [request.event.unit]
    if request.unit_id != request.event.unit_id:
        units.append(request.unit)
    return [u for u in units if can_create_in_unit(by, u)]


def create_item_from_delivery(
    request: CoverageRequest, by: User, unit: Unit, creation_token: str | None = None
) -> ContentItem:
    """A content item prefilled from the event and the delivery, linked both ways."""
    if request.content_item_id is not None:
        raise CoverageError(_l("This delivery already became a content item."))
    if request.status not in (S.DISERAHKAN, S.SELESAI):
        raise CoverageError(_l("Only a delivered request can become a content item."))
    if unit not in item_units(request, by):
        raise CoverageError(
            _l("You can create the item in Prokopim's calendar or in the covering unit's.")
        )
    event = request.event
    lines = [str(_l("Coverage of: %(title)s", title=event.title))]
    if event.place:
        lines.append(str(_l("Place: %(place)s", place=event.place)))
    if request.assignee is not None:
        lines.append(
            str(
                _l(
                    "Covered by %(name)s (%(unit)s)",
                    name=request.assignee.name,
                    unit=request.unit.short_name,
                )
            )
        )
    if request.delivery_note:
        lines += ["", request.delivery_note]
    lines += ["", *request.links]
    data = content.ItemFields(
        title=event.title[: content.TITLE_MAX],
        format=request.deliverable.content_format,
        brief="\n".join(lines)[: content.TEXT_MAX],
        planned_day=max(event.day, clock.now().astimezone(ZoneInfo(unit.timezone)).date()),
    )
    item = content.create_item(unit, data=data, created_by=by, creation_token=creation_token)
    request.content_item = item
    db.session.flush()
    return item
