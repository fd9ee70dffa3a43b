"""Asking units to amplify a key message, their answers with proof, and where each request
stands. Figures defined once: a unit *answered on time* when every platform asked has an answer
made by the deadline; *done* when all those answers are done (with a link); *declined* when one
says not done; *owing* while a platform is unanswered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from .. import clock
from ..accounts.models import Membership, Role, Unit, UnitKind, User
from ..accounts.permissions import admins_of, agenda_units, role_in
from ..content.models import ContentItem
from ..content.platforms import URL_MAX, Platform, on_platform, post_account
from ..content.workflow import Status
from ..errors import Refused
from ..extensions import db
from ..i18n import lazy_phrase as _l
from ..notifications.models import NotificationKind
from ..notifications.services import notify
from ..socialaccounts.models import SocialAccount
from .elections import check_request
from .models import AmplificationAnswer, AmplificationRequest, AmplificationTarget, AmplifyAction

DEFAULT_HOURS = 24
MAX_DAYS = 30
TITLE_MAX, CAPTION_MAX, HASHTAGS_MAX, REASON_MAX = 160, 2000, 300, 500
REMIND_BEFORE = timedelta(hours=6)


class AmplifyRefused(Refused):
    """A request or an answer we refuse, with the reason; nothing is saved."""


def may_ask(user: User) -> bool:
    """Coordinators and the people who keep Prokopim's agenda ask units to amplify."""
    return user.is_active and (user.is_coordinator or bool(agenda_units(user)))


def answers_for(user: User, unit: Unit) -> bool:
    """The unit's admins and editors answer for it."""
    return user.is_active and role_in(user, unit.id) in (Role.ADMIN, Role.EDITOR)


@dataclass
class RequestFields:
    title: str
    action: AmplifyAction
    platforms: list[Platform]
    deadline_at: datetime | None = None  # None: DEFAULT_HOURS from now
    source_item: ContentItem | None = None
    source_url: str = ""
    caption: str = ""
    hashtags: str = ""
    target_all: bool = False
    target_kind: UnitKind | None = None
    target_units: list[Unit] = field(default_factory=list)
    creation_token: str | None = None


def create_request(by: User, fields: RequestFields) -> AmplificationRequest:
    """A request and its target units, who hear of it; refused whole when anything is off."""
    if not may_ask(by):
        raise AmplifyRefused(_l("Only Prokopim and the coordinators ask units to amplify."))
    made = AmplificationRequest.made_with(
        fields.creation_token, AmplifyRefused, created_by_id=by.id
    )
    if made is not None:  # a double submit: the first one made it
        return made
    title = " ".join((fields.title or "").split())
    if not title or len(title) > TITLE_MAX:
        raise AmplifyRefused(
            _l("A title of at most %(limit)d characters is needed.", limit=TITLE_MAX), "title"
        )
    _check_source(fields)
    if not fields.platforms:
        raise AmplifyRefused(_l("Choose at least one platform."), "platforms")
    now = clock.now()
    deadline = fields.deadline_at or now + timedelta(hours=DEFAULT_HOURS)
    if deadline <= now:
        raise AmplifyRefused(_l("The deadline has passed: choose a later one."), "deadline")
    if deadline > now + timedelta(days=MAX_DAYS):
        raise AmplifyRefused(
            _l("The deadline is at most %(days)d days ahead.", days=MAX_DAYS), "deadline"
        )
    if len(fields.caption or "") > CAPTION_MAX:
        raise AmplifyRefused(
            _l("The caption is too long (at most %(limit)d characters).", limit=CAPTION_MAX),
            "caption",
        )
    if len(fields.hashtags or "") > HASHTAGS_MAX:
        raise AmplifyRefused(
            _l("The hashtags are too long (at most %(limit)d characters).", limit=HASHTAGS_MAX),
            "hashtags",
        )
    check_request(fields.source_item, (fields.source_url or "").strip(), deadline)
    units = _targets(fields)
    if not units:
        raise AmplifyRefused(_l("Choose the units to ask."), "targets")
    request = AmplificationRequest(
        title=title, action=fields.action, platforms=",".join(p.value for p in fields.platforms),
        source_item=fields.source_item, source_url=(fields.source_url or "").strip(),
        caption=(fields.caption or "").strip(), hashtags=" ".join((fields.hashtags or "").split()),
        deadline_at=deadline, created_by=by, created_at=now,
        creation_token=fields.creation_token or None,
    )  # fmt: skip
    request.targets = [AmplificationTarget(unit=unit) for unit in units]
    db.session.add(request)
    db.session.flush()
    for target in request.targets:
        notify(
            admins_of(target.unit), NotificationKind.AMPLIFY_REQUESTED, by, amplification=request
        )
    return request


def _check_source(fields: RequestFields) -> None:
    item, url = fields.source_item, (fields.source_url or "").strip()
    if (item is None) == (not url):
        raise AmplifyRefused(_l("Give one source: a published post here, or a link."), "source")
    if item is not None and (item.status != Status.TAYANG or not item.posted_links):
        raise AmplifyRefused(_l("The source post must be published, with its link."), "source")
    if url:
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.hostname or len(url) > URL_MAX:
            raise AmplifyRefused(_l("The source link must be an https:// address."), "source")


def _targets(fields: RequestFields) -> list[Unit]:
    active = sa.select(Unit).where(Unit.active.is_(True)).order_by(Unit.name)
    if fields.target_all:
        units = list(db.session.scalars(active))
    elif fields.target_kind is not None:
        units = list(db.session.scalars(active.where(Unit.kind == fields.target_kind)))
    else:
        units = [u for u in fields.target_units if u.active]
    source_unit = fields.source_item.unit_id if fields.source_item is not None else None
    return [u for u in units if u.id != source_unit]  # a unit does not amplify its own post


# ---- answers -----------------------------------------------------------------------------------


def answer(
    by: User, target: AmplificationTarget, platform: Platform, done: bool, link: str, reason: str
) -> AmplificationAnswer:
    """A unit's answer on one platform, once: done with the link of its own post (on that
    platform, on one of its registered accounts when the link names one), or not done with a
    reason."""
    request = target.request
    if not answers_for(by, target.unit):
        raise AmplifyRefused(_l("Only the unit's admins and editors answer for it."))
    if request.paused_at is not None:
        raise AmplifyRefused(_l("This request is paused for an election period."))
    if platform not in request.platform_list:
        raise AmplifyRefused(_l("This request does not ask for that platform."), "platform")
    if any(a.platform == platform for a in target.answers):
        raise AmplifyRefused(_l("This platform is answered already."), "platform")
    link, reason = (link or "").strip(), " ".join((reason or "").split())
    if done:
        _check_link(target.unit, platform, link)
        reason = ""
    else:
        if not reason:
            raise AmplifyRefused(_l("Say why it was not done."), "reason")
        if len(reason) > REASON_MAX:
            raise AmplifyRefused(
                _l("The reason is too long (at most %(limit)d characters).", limit=REASON_MAX),
                "reason",
            )
        link = ""
    row = AmplificationAnswer(
        target=target, platform=platform, done=done, link=link, reason=reason,
        answered_at=clock.now(), answered_by=by,
    )  # fmt: skip
    db.session.add(row)
    db.session.flush()
    return row


def _check_link(unit: Unit, platform: Platform, link: str) -> None:
    parts = urlsplit(link)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(link) > URL_MAX:
        raise AmplifyRefused(_l("Paste the link of your post (https://…)."), "link")
    if not on_platform(platform, link):
        raise AmplifyRefused(
            _l("This link is not on %(platform)s.", platform=platform.label), "link"
        )
    named = post_account(platform, link)
    if named is None:
        return
    registered = set(
        db.session.scalars(
            sa.select(SocialAccount.handle_key).where(
                SocialAccount.unit_id == unit.id, SocialAccount.platform == platform
            )
        )
    )
    if registered and named not in registered:
        raise AmplifyRefused(
            _l("This link is on @%(named)s, not on the unit's account.", named=named), "link"
        )


# ---- where a request stands --------------------------------------------------------------------

ON_TIME, LATE, DECLINED, OWING = "on_time", "late", "declined", "owing"
STATE_LABELS = {
    ON_TIME: _l("done on time"),
    LATE: _l("done late"),
    DECLINED: _l("not done"),
    OWING: _l("still owing"),
}


@dataclass(frozen=True)
class TargetState:
    target: AmplificationTarget
    state: str  # on_time, late, declined, owing
    answers: dict[Platform, AmplificationAnswer]

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state])


def state_of(target: AmplificationTarget, platforms: list[Platform]) -> TargetState:
    answers = {a.platform: a for a in target.answers}
    deadline = target.request.deadline_at
    if any(not a.done for a in answers.values()):
        state = DECLINED
    elif any(p not in answers for p in platforms):
        state = OWING
    elif all(a.answered_at <= deadline for a in answers.values()):
        state = ON_TIME
    else:
        state = LATE
    return TargetState(target, state, answers)


def load_request(request_id: int) -> AmplificationRequest | None:
    return db.session.get(
        AmplificationRequest,
        request_id,
        options=[
            joinedload(AmplificationRequest.source_item).selectinload(ContentItem.platforms),
            joinedload(AmplificationRequest.created_by),
            selectinload(AmplificationRequest.targets).joinedload(AmplificationTarget.unit),
            selectinload(AmplificationRequest.targets).selectinload(AmplificationTarget.answers),
        ],
    )


def tracking(request: AmplificationRequest) -> list[TargetState]:
    """Every target's state, those owing first, then by unit."""
    order = {OWING: 0, DECLINED: 1, LATE: 2, ON_TIME: 3}
    states = [state_of(t, request.platform_list) for t in request.targets]
    return sorted(states, key=lambda s: (order[s.state], s.target.unit.name))


def visible_requests(user: User) -> list[AmplificationRequest]:
    """Askers see every request; a unit's people the requests to their units. Newest first."""
    query = (
        sa.select(AmplificationRequest)
        .options(
            selectinload(AmplificationRequest.targets).joinedload(AmplificationTarget.unit),
            selectinload(AmplificationRequest.targets).selectinload(AmplificationTarget.answers),
        )
        .order_by(AmplificationRequest.deadline_at.desc(), AmplificationRequest.id.desc())
        .limit(100)
    )
    if not may_ask(user):
        mine = sa.select(Membership.unit_id).where(Membership.user_id == user.id)
        query = query.where(
            AmplificationRequest.id.in_(
                sa.select(AmplificationTarget.request_id).where(
                    AmplificationTarget.unit_id.in_(mine)
                )
            )
        )
    return list(db.session.scalars(query))


def owed_by(user: User, now: datetime) -> list[TargetState]:
    """What the units this person answers for still owe, deadline first (a week past it at most):
    one query whatever their number."""
    units = sa.select(Membership.unit_id).where(
        Membership.user_id == user.id, Membership.role.in_([Role.ADMIN, Role.EDITOR])
    )
    targets = db.session.scalars(
        sa.select(AmplificationTarget)
        .join(AmplificationTarget.request)
        .where(
            AmplificationTarget.unit_id.in_(units),
            AmplificationRequest.deadline_at >= now - timedelta(days=7),
            AmplificationRequest.paused_at.is_(None),
        )
        .options(
            selectinload(AmplificationTarget.answers),
            joinedload(AmplificationTarget.unit),
            joinedload(AmplificationTarget.request),
        )
        .order_by(AmplificationRequest.deadline_at, AmplificationTarget.id)
    ).all()
    states = [state_of(t, t.request.platform_list) for t in targets]
    return [s for s in states if s.state == OWING]


def owing_text(request: AmplificationRequest, deadline: str, url: str) -> str:
    """The WhatsApp text listing the units still owing (`deadline` as the reader reads it)."""
    owing = [s.target.unit.short_name for s in tracking(request) if s.state == OWING]
    return str(
        _l(
            "Amplification “%(title)s”, by %(deadline)s: still owing (%(count)d): %(units)s. "
            "Answer here: %(url)s",
            title=request.title, deadline=deadline, count=len(owing),
            units=", ".join(owing) or "–", url=url,
        )
    )  # fmt: skip


def send_reminders(now: datetime) -> int:
    """Units still owing within REMIND_BEFORE of a deadline hear of it, once each."""
    targets = db.session.scalars(
        sa.select(AmplificationTarget)
        .join(AmplificationTarget.request)
        .where(
            AmplificationTarget.reminded_at.is_(None),
            AmplificationRequest.paused_at.is_(None),
            AmplificationRequest.deadline_at > now,
            AmplificationRequest.deadline_at <= now + REMIND_BEFORE,
        )
        .options(selectinload(AmplificationTarget.answers), joinedload(AmplificationTarget.unit))
    ).all()
    sent = 0
    for target in targets:
        if state_of(target, target.request.platform_list).state == OWING:
            sent += notify(
                admins_of(target.unit), NotificationKind.AMPLIFY_DUE_SOON, None,
                amplification=target.request,
            )  # fmt: skip
        target.reminded_at = now
    db.session.flush()
    return sent
