"""Registering a unit's official accounts, checking them, and the region's register of them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from .. import clock
from ..accounts.models import Membership, Unit, User
from ..content.models import ContentItem, ContentItemPlatform, Platform
from ..content.platforms import HANDLE_IN_PATH, handle_in, on_platform
from ..content.workflow import Status
from ..errors import Refused, Stale
from ..extensions import db
from ..i18n import lazy_phrase as _l
from .models import (
    STEPS_FOR,
    AccountStatus,
    Handover,
    HandoverReason,
    HandoverStep,
    HandoverTick,
    SocialAccount,
    TwoStep,
)

HANDLE = re.compile(r"[A-Za-z0-9._-]{1,100}")
PASSWORD_AGE = timedelta(days=365)


class AccountRefused(Refused):
    pass


class StaleAccount(AccountRefused, Stale):
    pass


@dataclass
class AccountFields:
    platform: Platform
    handle: str
    url: str
    display_name: str = ""
    status: AccountStatus = AccountStatus.AKTIF
    public: bool = True
    pic: User | None = None
    backup_pic: User | None = None
    two_step: TwoStep = TwoStep.UNKNOWN
    two_step_checked_on: date | None = None
    recovery_kind: str = ""
    recovery_owner: str = ""
    password_changed_on: date | None = None


def members(unit: Unit) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.unit_id == unit.id, User.active.is_(True))
            .order_by(User.name)
        )
    )


def save_account(
    unit: Unit,
    fields: AccountFields,
    account: SocialAccount | None = None,
    version=None,
    *,
    opened_by: User | None = None,
    today: date | None = None,
    now: datetime | None = None,
) -> SocialAccount:
    """Add or change an account of this unit; refuses bad input, changing nothing."""
    handle = fields.handle.strip().removeprefix("@")
    url = fields.url.strip()
    if not HANDLE.fullmatch(handle):
        raise AccountRefused(
            _l("A handle is letters, digits, dots, dashes and underscores, without spaces."),
            "handle",
        )
    if not on_platform(fields.platform, url):
        raise AccountRefused(
            _l("This address is not on %(platform)s.", platform=fields.platform.label), "url"
        )
    if fields.platform in HANDLE_IN_PATH and not handle_in(url, handle):
        raise AccountRefused(
            _l("The address should be the profile of @%(handle)s.", handle=handle), "url"
        )
    people = {user.id for user in members(unit)}
    for person, field in ((fields.pic, "pic"), (fields.backup_pic, "backup_pic")):
        if person is not None and person.id not in people:
            raise AccountRefused(_l("Choose a person of this unit."), field)
    if (
        fields.pic is not None
        and fields.backup_pic is not None
        and fields.pic.id == fields.backup_pic.id
    ):
        raise AccountRefused(_l("The backup should be another person."), "backup_pic")
    same = db.session.scalar(
        sa.select(SocialAccount).where(
            SocialAccount.platform == fields.platform,
            SocialAccount.handle_key == handle.lower(),
        )
    )
    if same is not None and same is not account:
        raise AccountRefused(
            _l(
                "@%(handle)s on this platform is already registered (%(unit)s).",
                handle=handle,
                unit=same.unit.short_name,
            ),
            "handle",
        )
    if account is None:
        account = SocialAccount(unit=unit, handovers=[])
        db.session.add(account)
    elif version is not None and version != account.version:
        raise StaleAccount(
            _l("Someone else changed this account in the meantime. Check it and save again.")
        )
    previous_pic = account.pic
    account.platform = fields.platform
    account.handle, account.handle_key, account.url = handle, handle.lower(), url
    account.display_name = fields.display_name.strip()
    account.status, account.public = fields.status, fields.public
    account.pic, account.backup_pic = fields.pic, fields.backup_pic
    account.two_step, account.two_step_checked_on = fields.two_step, fields.two_step_checked_on
    account.recovery_kind = fields.recovery_kind.strip()
    account.recovery_owner = fields.recovery_owner.strip()
    account.password_changed_on = fields.password_changed_on
    db.session.flush()
    _link_unit_posts(account)
    if previous_pic is not None and fields.pic is not previous_pic and opened_by is not None:
        open_handover(
            account, HandoverReason.PIC_CHANGED, opened_by, previous_pic,
            today or clock.now().date(), now or clock.now(),
        )  # fmt: skip
    db.session.flush()
    return account


def _link_unit_posts(account: SocialAccount) -> None:
    """The unit's posts on this platform that name no account go out on this one, when it is
    the unit's only open account there (an account registered after the posts were planned)."""
    others = db.session.scalar(
        sa.select(sa.func.count(SocialAccount.id)).where(
            SocialAccount.unit_id == account.unit_id,
            SocialAccount.platform == account.platform,
            SocialAccount.status != AccountStatus.DITUTUP,
            SocialAccount.id != account.id,
        )
    )
    if others or account.status == AccountStatus.DITUTUP:
        return
    db.session.execute(
        sa.update(ContentItemPlatform)
        .where(
            ContentItemPlatform.platform == account.platform,
            ContentItemPlatform.account_id.is_(None),
            ContentItemPlatform.item_id.in_(
                sa.select(ContentItem.id).where(ContentItem.unit_id == account.unit_id)
            ),
        )
        .values(account_id=account.id)
        .execution_options(synchronize_session=False)
    )


def of_unit(unit: Unit) -> list[SocialAccount]:
    return list(
        db.session.scalars(
            sa.select(SocialAccount)
            .where(SocialAccount.unit_id == unit.id)
            .options(
                joinedload(SocialAccount.pic),
                joinedload(SocialAccount.backup_pic),
                selectinload(SocialAccount.handovers)
                .selectinload(Handover.steps)
                .joinedload(HandoverTick.done_by),
                selectinload(SocialAccount.handovers).joinedload(Handover.outgoing),
            )
            .order_by(SocialAccount.platform, SocialAccount.handle_key)
        )
    )


@dataclass
class RegisterRow:
    account: SocialAccount
    last_post: datetime | None
    flags: list[str]


FLAGS = {
    "no_two_step": _l("No two-step verification"),
    "no_backup": _l("No backup PIC"),
    "old_password": _l("Password unchanged for over a year"),
    "dormant": _l("Dormant"),
    "handover_overdue": _l("Handover overdue"),
}


# An account's last published post: the newest post that names it, or (for posts planned before
# the unit registered any account) the newest of the unit's posts on its platform that name
# none. Each is found from the newest down by index, never by reading every post of the region.
def _last_named() -> sa.ScalarSelect:
    return (
        sa.select(sa.func.max(ContentItem.posted_at))
        .join(ContentItemPlatform, ContentItemPlatform.item_id == ContentItem.id)
        .where(
            ContentItemPlatform.account_id == SocialAccount.id,
            ContentItem.status == Status.TAYANG,
        )
        .scalar_subquery()
    )


def _last_unnamed() -> sa.ScalarSelect:
    return (
        sa.select(ContentItem.posted_at)
        .join(ContentItemPlatform, ContentItemPlatform.item_id == ContentItem.id)
        .where(
            ContentItem.unit_id == SocialAccount.unit_id,
            ContentItem.status == Status.TAYANG,
            ContentItem.posted_at.is_not(None),
            ContentItemPlatform.platform == SocialAccount.platform,
            ContentItemPlatform.account_id.is_(None),
        )
        .order_by(ContentItem.posted_at.desc())
        .limit(1)
        .scalar_subquery()
    )


def register(today: date, now: datetime, silent_days: int) -> list[RegisterRow]:
    """Every account of the region with its flags: one query for the accounts and their last
    published posts, one for their handovers."""
    found = db.session.execute(
        sa.select(SocialAccount, _last_named(), _last_unnamed())
        .join(SocialAccount.unit)
        .where(Unit.active.is_(True))
        .options(
            joinedload(SocialAccount.unit),
            joinedload(SocialAccount.pic),
            joinedload(SocialAccount.backup_pic),
            selectinload(SocialAccount.handovers),
        )
        .order_by(Unit.name, SocialAccount.platform, SocialAccount.handle_key)
    ).all()
    rows = []
    for account, named, unnamed in found:
        posted = max((when for when in (named, unnamed) if when is not None), default=None)
        flags = []
        if account.two_step != TwoStep.ON:
            flags.append("no_two_step")
        if account.backup_pic_id is None:
            flags.append("no_backup")
        if (
            account.password_changed_on is None
            or account.password_changed_on < today - PASSWORD_AGE
        ):
            flags.append("old_password")
        if account.status == AccountStatus.DORMAN or (
            account.status == AccountStatus.AKTIF
            and (posted is None or posted < now - timedelta(days=silent_days))
        ):
            flags.append("dormant")
        if any(h.due_on < today for h in account.open_handovers):
            flags.append("handover_overdue")
        rows.append(RegisterRow(account, posted, flags))
    return rows


def directory() -> dict[Unit, list[SocialAccount]]:
    """The public directory: active, public accounts of active units, by unit."""
    by_unit: dict[Unit, list[SocialAccount]] = {}
    for account in db.session.scalars(
        sa.select(SocialAccount)
        .join(SocialAccount.unit)
        .where(
            Unit.active.is_(True),
            SocialAccount.public.is_(True),
            SocialAccount.status == AccountStatus.AKTIF,
        )
        .options(joinedload(SocialAccount.unit))
        .order_by(Unit.name, SocialAccount.platform, SocialAccount.handle_key)
    ):
        by_unit.setdefault(account.unit, []).append(account)
    return by_unit


# ---- handover ------------------------------------------------------------------------------

HANDOVER_DAYS = 7  # a handover is due a week after it opens


def open_handover(
    account: SocialAccount, reason: HandoverReason, by: User | None, outgoing: User | None,
    today: date, now: datetime,
) -> Handover | None:  # fmt: skip
    """Open the checklist for this change, unless one for the same reason is still open."""
    if any(h.reason == reason for h in account.open_handovers):
        return None
    handover = Handover(
        account=account,
        reason=reason,
        outgoing=outgoing,
        opened_by_id=by.id if by else None,
        opened_at=now,
        due_on=today + timedelta(days=HANDOVER_DAYS),
        steps=[HandoverTick(step=step) for step in STEPS_FOR[reason]],
    )
    db.session.add(handover)
    return handover


def person_left(person: User, unit_ids: list[int], by: User, today: date, now: datetime) -> int:
    """Someone left these units or was deactivated: the accounts they held lose them as PIC or
    backup, and each gets a handover checklist for the unit admin. Answers how many opened."""
    if not unit_ids:
        return 0
    accounts = db.session.scalars(
        sa.select(SocialAccount).where(
            SocialAccount.unit_id.in_(unit_ids),
            sa.or_(SocialAccount.pic_id == person.id, SocialAccount.backup_pic_id == person.id),
        )
    ).all()
    opened = 0
    for account in accounts:
        if account.pic_id == person.id:
            account.pic = None
        if account.backup_pic_id == person.id:
            account.backup_pic = None
        if open_handover(account, HandoverReason.PIC_LEFT, by, person, today, now):
            opened += 1
    db.session.flush()
    return opened


def leader_changed(unit: Unit, by: User, today: date, now: datetime) -> int:
    """A new head of the unit: every live account's bio, picture and pinned posts are reviewed."""
    opened = 0
    for account in of_unit(unit):
        if account.status in (AccountStatus.AKTIF, AccountStatus.DORMAN) and open_handover(
            account, HandoverReason.LEADER_CHANGED, by, None, today, now
        ):
            opened += 1
    db.session.flush()
    return opened


def tick(handover: Handover, step: HandoverStep, by: User, now: datetime) -> None:
    """Mark one step done; the last one closes the handover."""
    found = next((t for t in handover.steps if t.step == step), None)
    if found is None or handover.closed_at is not None:
        raise AccountRefused(_l("This step is not part of an open handover."))
    if step == HandoverStep.CONFIRM_PIC and handover.account.pic_id is None:
        raise AccountRefused(_l("Choose the new PIC first (Change), then confirm."))
    if found.done_at is None:
        found.done_at, found.done_by_id = now, by.id
    if handover.done:
        handover.closed_at = now
    db.session.flush()


def _open_handovers_query(of_units: bool) -> sa.Select:
    """The statement; with `of_units`, the units (`units`) bound at each run."""
    query = (
        sa.select(Handover)
        .join(Handover.account)
        .where(Handover.closed_at.is_(None))
        .options(joinedload(Handover.account).joinedload(SocialAccount.unit))
        .order_by(Handover.due_on, Handover.id)
    )
    if of_units:
        query = query.where(SocialAccount.unit_id.in_(sa.bindparam("units", expanding=True)))
    return query


def open_handovers(unit_ids: list[int] | None) -> list[Handover]:
    """Open handovers of these units (all units for None), the oldest due first."""
    if unit_ids is not None and not unit_ids:
        return []  # administers no unit: nothing to ask the database
    query = _open_handovers_query(unit_ids is not None)
    return list(db.session.scalars(query, {"units": unit_ids} if unit_ids else {}).unique())
