"""Operations on content items: plain functions with explicit arguments that flush, never commit.

Every refusal raises ContentError with a message for the user and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from .. import clock
from ..accounts.models import Membership, Role, Unit, User
from ..accounts.permissions import admins_of, role_in
from ..extensions import db
from ..i18n import lazy_phrase as _l
from ..notifications.models import NotificationKind
from ..notifications.services import notify
from .checklist import missing_required_checks
from .models import (
    AssigneeRole,
    Assignment,
    Comment,
    ContentFormat,
    ContentItem,
    ContentItemPlatform,
    Platform,
    StatusChange,
    Theme,
)
from .permissions import approves_in, can_edit_item, item_actors
from .posted import link_accounts, set_posted_links
from .refusals import ContentError, StaleVersion
from .workflow import EDITABLE, EDITOR, HAPPY_PATH, Status, edge

TITLE_MAX = 200
TEXT_MAX = 5000
HASHTAGS_MAX = 500
NOTE_MAX = 2000


@dataclass
class ItemFields:
    """What a person fills in for an item. Planning fields need an editor; text fields do not."""

    title: str
    format: ContentFormat
    brief: str = ""
    caption: str = ""
    hashtags: str = ""
    narasi_tunggal: bool = False
    theme: Theme | None = None
    platforms: list[Platform] = field(default_factory=list)
    planned_day: date | None = None
    planned_time: time | None = None
    draft_due_at: datetime | None = None
    reviewer: User | None = None
    assignments: list[tuple[User, AssigneeRole]] = field(default_factory=list)

    TEXT_FIELDS = ("title", "brief", "caption", "hashtags")


def _check_fields(unit: Unit, data: ItemFields) -> tuple[datetime | None, date | None]:
    """Validate against the unit; answer the planned instant or date to store."""
    data.title = data.title.strip()
    if not data.title:
        raise ContentError(_l("A title is needed."), "title")
    if len(data.title) > TITLE_MAX:
        raise ContentError(
            _l("The title is too long (at most %(limit)d characters).", limit=TITLE_MAX), "title"
        )
    for name in ("brief", "caption"):
        if len(getattr(data, name)) > TEXT_MAX:
            raise ContentError(
                _l("This text is too long (at most %(limit)d characters).", limit=TEXT_MAX), name
            )
    if len(data.hashtags) > HASHTAGS_MAX:
        raise ContentError(
            _l("Too many hashtags (at most %(limit)d characters).", limit=HASHTAGS_MAX), "hashtags"
        )
    if data.theme is not None and (
        data.theme.unit_id not in (None, unit.id) or data.theme.archived
    ):
        raise ContentError(_l("Choose a theme of this unit or of the region."), "theme")
    members = {m.user_id for m in unit.memberships}
    if data.reviewer is not None and role_in(data.reviewer, unit.id) not in (
        Role.ADMIN,
        Role.EDITOR,
    ):
        raise ContentError(_l("The reviewer must be an admin or editor of this unit."), "reviewer")
    for user, _role in data.assignments:
        if user.id not in members or not user.active:
            raise ContentError(_l("Only members of this unit can be assigned."), "assignees")
    planned_at = planned_date = None
    if data.planned_day is not None:
        if data.planned_time is not None:
            planned_at = datetime.combine(
                data.planned_day, data.planned_time, ZoneInfo(unit.timezone)
            )
        else:
            planned_date = data.planned_day
    elif data.planned_time is not None:
        raise ContentError(_l("A time needs a date."), "planned_day")
    if data.draft_due_at is not None:
        publish = planned_at or (
            datetime.combine(planned_date, time(23, 59), ZoneInfo(unit.timezone))
            if planned_date
            else None
        )
        if publish is not None and data.draft_due_at > publish:
            raise ContentError(
                _l("The draft must be due before the planned publication."), "draft_due_at"
            )
    return planned_at, planned_date


def _apply(item: ContentItem, data: ItemFields, planned_at, planned_date, planning: bool) -> None:
    for name in ItemFields.TEXT_FIELDS:
        setattr(item, name, getattr(data, name))
    if not planning:
        return
    item.format = data.format
    item.narasi_tunggal = data.narasi_tunggal
    item.theme = data.theme
    item.planned_at, item.planned_date = planned_at, planned_date
    item.draft_due_at = data.draft_due_at
    item.reviewer = data.reviewer
    posted = {p.platform: p.posted_url for p in item.platforms}
    item.platforms = [  # in the relationship's order (by value), as a fresh load reads them
        ContentItemPlatform(platform=p, posted_url=posted.get(p))
        for p in sorted(set(data.platforms))
    ]
    link_accounts(item)
    wanted = list(dict.fromkeys((user.id, role) for user, role in data.assignments))
    kept = [a for a in item.assignments if (a.user_id, a.role) in wanted]
    have = {(a.user_id, a.role) for a in kept}
    users = {user.id: user for user, _ in data.assignments}
    added = [
        Assignment(user=users[uid], role=role) for uid, role in wanted if (uid, role) not in have
    ]
    item.assignments = kept + added


def create_item(
    unit: Unit,
    title: str | None = None,
    *,
    data: ItemFields | None = None,
    format: ContentFormat | None = None,
    planned_at: datetime | None = None,
    planned_date: date | None = None,
    theme: Theme | None = None,
    platforms: Iterable[Platform] = (),
    created_by: User | None = None,
    creation_token: str | None = None,
) -> ContentItem:
    """A new idea on the unit's calendar, with its first history entry.

    With a creation token, a second submit of the same form answers the first item.
    """
    # a double submit of the same form answers its item; a token from elsewhere, nothing
    made_by = getattr(created_by, "id", None)
    if made := ContentItem.made_with(
        creation_token, ContentError, unit_id=unit.id, created_by_id=made_by
    ):
        return made
    if data is None:
        if planned_at is not None and planned_at.tzinfo is None:
            raise ContentError("planned time must carry its time zone")
        local_at = planned_at.astimezone(ZoneInfo(unit.timezone)) if planned_at else None
        data = ItemFields(
            title=title or "",
            format=format or ContentFormat.FOTO,
            theme=theme,
            platforms=list(platforms),
            planned_day=local_at.date() if local_at else planned_date,
            planned_time=local_at.timetz().replace(tzinfo=None) if local_at else None,
        )
    planned_at, planned_date = _check_fields(unit, data)
    item = ContentItem(
        unit=unit,
        status=Status.IDE,
        created_by=created_by,
        updated_by=created_by,
        creation_token=creation_token or None,
    )
    _apply(item, data, planned_at, planned_date, planning=True)
    item.history.append(
        StatusChange(
            user=created_by, from_status=None, to_status=Status.IDE, created_at=clock.now()
        )
    )
    db.session.add(item)
    db.session.flush()
    _notify([a.user for a in item.assignments], NotificationKind.ASSIGNED, item, created_by)
    return item


def update_item(item: ContentItem, by: User, version: int, data: ItemFields) -> ContentItem:
    """Save an edit made from `version`; an older version than the saved one raises StaleVersion."""
    if not can_edit_item(by, item):
        raise ContentError(_l("You cannot edit this item in its current state."))
    if version != item.version:
        raise StaleVersion(item)
    planning = EDITOR in item_actors(by, item)
    if not planning:  # contributors change the words, not the plan
        data.format, data.theme = item.format, item.theme
    planned_at, planned_date = (
        _check_fields(unit=item.unit, data=data) if planning else (_check_text_only(item, data))
    )
    before = {a.user_id for a in item.assignments}
    _apply(item, data, planned_at, planned_date, planning)
    item.updated_by = by
    item.updated_at = clock.now()  # touches the row, so the version grows even for list changes
    try:
        db.session.flush()
    except StaleDataError:
        # another save of the same version won the race; the caller rolls back
        raise StaleVersion(item) from None
    newly = [a.user for a in item.assignments if a.user_id not in before]
    _notify(newly, NotificationKind.ASSIGNED, item, by)
    return item


def _check_text_only(item: ContentItem, data: ItemFields) -> tuple[datetime | None, date | None]:
    probe = ItemFields(
        title=data.title,
        format=item.format,
        brief=data.brief,
        caption=data.caption,
        hashtags=data.hashtags,
    )
    _check_fields(item.unit, probe)
    data.title = probe.title
    return item.planned_at, item.planned_date


def move_item(item: ContentItem, by: User, version: int, day: date) -> ContentItem:
    """Reschedule to another day, keeping the local time of day (drag and drop, date field)."""
    if EDITOR not in item_actors(by, item) or item.status not in (
        set(Status) - {Status.TAYANG, Status.DIBATALKAN}
    ):
        raise ContentError(_l("You cannot reschedule this item."))
    if version != item.version:
        raise StaleVersion(item)
    zone = ZoneInfo(item.unit.timezone)
    if item.planned_at is not None:
        local_time = item.planned_at.astimezone(zone).time()
        item.planned_at = datetime.combine(day, local_time, zone)
    else:
        item.planned_date = day
    if item.draft_due_at is not None:
        publish = item.planned_at or datetime.combine(day, time(23, 59), zone)
        if item.draft_due_at > publish:
            raise ContentError(_l("The draft must be due before the planned publication."))
    item.updated_by = by
    item.updated_at = clock.now()
    db.session.flush()
    return item


def transition(
    item: ContentItem,
    target: Status,
    by: User,
    *,
    note: str = "",
    version: int | None = None,
    posted_links: dict[Platform, str] | None = None,
) -> StatusChange:
    """Move an item along one edge of the workflow, or refuse and change nothing."""
    if version is not None and version != item.version:
        raise StaleVersion(item)
    step = edge(item.status, target)
    if step is None:
        raise ContentError(
            _l(
                "An item in “%(current)s” cannot move to “%(target)s”.",
                current=item.status.label,
                target=target.label,
            )
        )
    if not step.actors & item_actors(by, item):
        raise ContentError(_l("You may not take this step for this item."))
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ContentError(
            _l("The note is too long (at most %(limit)d characters).", limit=NOTE_MAX), "note"
        )
    if step.needs_note and not note:
        raise ContentError(_l("Say why: a note is needed for this step."), "note")
    if target == Status.DISETUJUI and item.unit.requires_head_approval:
        raise ContentError(_l("In this unit the head approves posts: ask for the head's approval."))
    if target == Status.DISETUJUI:
        missing = missing_required_checks(item)
        if missing:
            raise ContentError(
                _l(
                    "Tick the required checks first: %(checks)s",
                    checks="; ".join(e.text for e in missing),
                )
            )
    if target == Status.TERJADWAL and item.planned_at is None and item.planned_date is None:
        raise ContentError(_l("Give the item a publication date before scheduling it."))
    if target == Status.TAYANG:
        set_posted_links(item, posted_links or {})
        if not item.posted_links:
            raise ContentError(_l("Paste at least one link to the published post."), "posted_links")
        item.posted_at = clock.now()
    change = record_status(item, target, by, note)
    if note:  # added beside the thread, which the item need not have loaded
        db.session.add(
            Comment(item=item, author=by, body=note, status_change=change, created_at=clock.now())
        )
    item.updated_by = by
    db.session.flush()
    _notify_transition(item, target, by)
    return change


def record_status(item: ContentItem, to: Status, by: User | None, note: str = "") -> StatusChange:
    """Write the history entry and move the item (the rules are checked by transition())."""
    change = StatusChange(
        user=by, from_status=item.status, to_status=to, note=note, created_at=clock.now()
    )
    item.history.append(change)
    item.status = to
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


# ---- comments and notifications ---------------------------------------------------------------


def add_comment(item: ContentItem, by: User, body: str) -> Comment:
    body = body.strip()
    if not body:
        raise ContentError(_l("Write something first."), "body")
    if len(body) > NOTE_MAX:
        raise ContentError(
            _l("The comment is too long (at most %(limit)d characters).", limit=NOTE_MAX), "body"
        )
    comment = Comment(item=item, author=by, body=body, created_at=clock.now())
    db.session.add(comment)  # beside the thread, which the item need not have loaded
    db.session.flush()
    people = [a.user for a in item.assignments]
    if item.created_by is not None:
        people.append(item.created_by)
    _notify(people, NotificationKind.COMMENT, item, by)
    return comment


def _notify(users: Iterable[User], kind: NotificationKind, item: ContentItem, actor) -> None:
    notify(users, kind, actor, item=item)


def approvers(item: ContentItem) -> list[User]:
    """Who may approve the item: its unit's approvers and its reviewer."""
    people = [m.user for m in item.unit.memberships if approves_in(m)]
    if item.reviewer is not None:
        people.append(item.reviewer)
    return people


def _notify_transition(item: ContentItem, target: Status, by: User) -> None:
    workers = [a.user for a in item.assignments]
    if item.created_by is not None:
        workers.append(item.created_by)
    if target == Status.DITINJAU:
        _notify(approvers(item), NotificationKind.REVIEW_REQUESTED, item, by)
    elif target == Status.PERLU_REVISI:
        _notify(workers, NotificationKind.REVISION_REQUESTED, item, by)
    elif target == Status.DISETUJUI:
        _notify(workers, NotificationKind.APPROVED, item, by)


def members_of(unit: Unit) -> list[Membership]:
    return sorted((m for m in unit.memberships if m.user.active), key=lambda m: m.user.name.lower())


# ---- people who leave ---------------------------------------------------------------------------


def release_duties(person: User, unit_ids: list[int], by: User) -> list[ContentItem]:
    """Someone left these units or was deactivated: their assignments and reviews on the units'
    open items end; each item says so and its unit admins are asked to give the part to someone
    else. Answers the items touched."""
    if not unit_ids:
        return []
    items = db.session.scalars(
        sa.select(ContentItem)
        .where(
            ContentItem.unit_id.in_(unit_ids),
            ContentItem.status.in_(EDITABLE),
            sa.or_(
                ContentItem.reviewer_id == person.id,
                ContentItem.id.in_(
                    sa.select(Assignment.item_id).where(Assignment.user_id == person.id)
                ),
            ),
        )
        .order_by(ContentItem.id)
    ).all()
    for item in items:
        item.assignments = [a for a in item.assignments if a.user_id != person.id]
        if item.reviewer_id == person.id:
            item.reviewer = None
        db.session.add(
            Comment(
                item=item,
                author=by,
                body=str(
                    _l(
                        "%(name)s is no longer in %(unit)s: their part in this post waits for "
                        "the unit admin to give it to someone else.",
                        name=person.name,
                        unit=item.unit.short_name,
                    )
                ),
                created_at=clock.now(),
            )
        )
        notify(admins_of(item.unit), NotificationKind.MEMBER_LEFT, by, item=item)
    db.session.flush()
    return list(items)


def released_on_leaving(person: User, unit_ids: list[int], by: User, _today, _now) -> None:
    """Content's step when someone leaves units (accounts/leaving.py)."""
    release_duties(person, unit_ids, by)
