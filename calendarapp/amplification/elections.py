"""Election periods and candidates: during a period (days in the region's zone) civil servants
do not like, comment on or share a candidate's content (SKB 2/2022 on ASN neutrality), and the
incumbent leader may be one. A request whose source is a candidate's content is refused while a
period covers today or its deadline; one made before that falls inside a period is paused, and
its units hear of it.

A source is a candidate's when its post was made by a candidate's person, went out on a
candidate's account, or its link names a candidate's account (TikTok and X links name theirs).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_date

from .. import clock
from ..accounts.models import User
from ..accounts.permissions import admins_of
from ..content.models import ContentItem
from ..content.platforms import post_account
from ..errors import Refused
from ..extensions import db
from ..i18n import lazy_phrase as _l
from ..notifications.models import NotificationKind
from ..notifications.services import notify
from ..performance.platform_files import platform_of
from ..socialaccounts.models import SocialAccount
from .models import AmplificationRequest, Candidate, ElectionPeriod, PeriodKind

MAX_DAYS = 366
NAME_MAX = 120
HANDLE = re.compile(r"^[a-z0-9._]{1,60}$")


class ElectionRefused(Refused):
    """A period, a candidate, or a request in a period, refused with the reason."""


def _coordinator(by: User) -> None:
    if not (by.is_active and by.is_coordinator):
        raise ElectionRefused(_l("Only the coordinators record election periods and candidates."))


def region_day(moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(current_app.config["REGION_TIMEZONE"])).date()


def periods_from(day: date) -> list[ElectionPeriod]:
    """The periods that have not ended by `day`, soonest first (shown where requests are made)."""
    return list(
        db.session.scalars(
            sa.select(ElectionPeriod)
            .where(ElectionPeriod.ends_on >= day)
            .order_by(ElectionPeriod.starts_on)
        )
    )


def period_on(days: list[date]) -> ElectionPeriod | None:
    """The first period covering any of these days."""
    for period in periods_from(min(days)):
        if any(period.starts_on <= day <= period.ends_on for day in days):
            return period
    return None


def candidate_of(item: ContentItem | None, url: str) -> Candidate | None:
    """The candidate whose content this source is, if any."""
    candidates = list(db.session.scalars(sa.select(Candidate)))
    if not candidates:
        return None
    handles = {c.id: set(c.handle_set) for c in candidates}
    accounts = {c.account_id: c for c in candidates if c.account_id is not None}
    if accounts:
        for account_id, handle in db.session.execute(
            sa.select(SocialAccount.id, SocialAccount.handle_key).where(
                SocialAccount.id.in_(list(accounts))
            )
        ):
            handles[accounts[account_id].id].add(handle.lower())
    links = [url] if url else []
    if item is not None:
        people = {c.user_id: c for c in candidates if c.user_id is not None}
        if item.created_by_id in people:
            return people[item.created_by_id]
        for row in item.platforms:
            if row.account_id in accounts:
                return accounts[row.account_id]
        links += [row.posted_url for row in item.platforms if row.posted_url]
    for link in links:
        platform = platform_of(link)
        named = post_account(platform, link) if platform is not None else None
        for candidate in candidates:
            if named and named in handles[candidate.id]:
                return candidate
    return None


def candidates() -> list[Candidate]:
    return list(db.session.scalars(sa.select(Candidate).order_by(Candidate.name)))


def check_request(item: ContentItem | None, url: str, deadline: datetime) -> None:
    """Refuse a request whose source is a candidate's while a period covers today or its
    deadline, with the rule and the dates."""
    period = period_on([region_day(clock.now()), region_day(deadline)])
    if period is None:
        return
    candidate = candidate_of(item, url)
    if candidate is not None:
        raise ElectionRefused(_refusal(period, candidate), "source")


def _refusal(period: ElectionPeriod, candidate: Candidate):
    return _l(
        "During %(period)s (%(start)s – %(end)s) civil servants do not share a candidate's "
        "content (SKB 2/2022): this source is %(name)s's.",
        period=period.name,
        start=format_date(period.starts_on, "medium"),
        end=format_date(period.ends_on, "medium"),
        name=candidate.name,
    )


def record_period(by: User, name: str, kind: PeriodKind, starts_on: date, ends_on: date):
    _coordinator(by)
    name = " ".join((name or "").split())
    if not name or len(name) > NAME_MAX:
        raise ElectionRefused(
            _l("A name of at most %(limit)d characters is needed.", limit=NAME_MAX), "name"
        )
    if ends_on < starts_on:
        raise ElectionRefused(_l("The period ends before it starts."), "ends_on")
    if ends_on - starts_on > timedelta(days=MAX_DAYS):
        raise ElectionRefused(_l("A period lasts at most a year."), "ends_on")
    period = ElectionPeriod(
        name=name, kind=kind, starts_on=starts_on, ends_on=ends_on, created_at=clock.now()
    )
    db.session.add(period)
    db.session.flush()
    pause_requests(by)
    return period


def add_candidate(by: User, name: str, user: User | None, account: SocialAccount | None,
                  handles: str) -> Candidate:  # fmt: skip
    _coordinator(by)
    name = " ".join((name or "").split())
    if not name or len(name) > NAME_MAX:
        raise ElectionRefused(
            _l("A name of at most %(limit)d characters is needed.", limit=NAME_MAX), "name"
        )
    found = sorted({h.strip().lstrip("@").lower() for h in (handles or "").split(",") if h.strip()})
    if any(not HANDLE.match(h) for h in found) or len(",".join(found)) > 300:
        raise ElectionRefused(_l("Write accounts as handles, separated by commas."), "handles")
    if user is None and account is None and not found:
        raise ElectionRefused(_l("Name the candidate's person, account or handles."), "handles")
    candidate = Candidate(name=name, user=user, account_id=account.id if account else None,
                          handles=",".join(found), created_at=clock.now())  # fmt: skip
    db.session.add(candidate)
    db.session.flush()
    pause_requests(by)
    return candidate


def pause_requests(by: User | None) -> int:
    """Open requests whose deadline falls in a period and whose source is a candidate's: paused,
    and their units told. Returns how many."""
    now = clock.now()
    paused = 0
    for request in db.session.scalars(
        sa.select(AmplificationRequest).where(
            AmplificationRequest.paused_at.is_(None), AmplificationRequest.deadline_at > now
        )
    ):
        period = period_on([region_day(request.deadline_at)])
        if period is None:
            continue
        candidate = candidate_of(request.source_item, request.source_url)
        if candidate is None:
            continue
        request.paused_at, request.paused_reason = now, str(_refusal(period, candidate))[:300]
        admins = [admin for target in request.targets for admin in admins_of(target.unit)]
        notify(admins, NotificationKind.AMPLIFY_PAUSED, by, amplification=request)
        paused += 1
    db.session.flush()
    return paused
