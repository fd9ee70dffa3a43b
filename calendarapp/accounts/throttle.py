"""Login throttling: wrong passwords slow down, then stop, guessing — per account and per address.

Attempts are rows in the database, so the limits hold across gunicorn workers and app hosts.
An account is locked after FREE_FAILURES wrong passwords since its last sign-in (within a day),
for a delay that doubles with each further failure, up to MAX_DELAY; an address after
ADDRESS_FAILURES wrong passwords in ADDRESS_WINDOW, for ADDRESS_WINDOW. While locked, the password
is not even checked. A coordinator sees the locks and can lift one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from .. import clock
from ..extensions import db
from .models import LoginAttempt, User

log = logging.getLogger(__name__)

FREE_FAILURES = 5
MAX_DELAY = timedelta(minutes=30)
ACCOUNT_WINDOW = timedelta(days=1)
ADDRESS_FAILURES = 20
ADDRESS_WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class Lock:
    what: str  # "account" or "address"
    key: str  # the email or the address
    failures: int
    until: datetime


def _account_failures(email: str, now: datetime) -> list[datetime]:
    """Wrong passwords for this email since its last sign-in, within a day."""
    last_success = (
        sa.select(sa.func.max(LoginAttempt.created_at))
        .where(LoginAttempt.email == email, LoginAttempt.succeeded.is_(True))
        .scalar_subquery()
    )
    return list(
        db.session.scalars(
            sa.select(LoginAttempt.created_at)
            .where(
                LoginAttempt.email == email,
                LoginAttempt.succeeded.is_(False),
                LoginAttempt.created_at >= now - ACCOUNT_WINDOW,
                sa.or_(last_success.is_(None), LoginAttempt.created_at > last_success),
            )
            .order_by(LoginAttempt.created_at)
        )
    )


def account_delay(failures: int) -> timedelta:
    """1 minute after the fifth wrong password, then 2, 4, 8 … up to 30."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(MAX_DELAY, timedelta(minutes=2 ** (failures - FREE_FAILURES)))


def lock_for(email: str, address: str) -> Lock | None:
    """The lock that stops this attempt now, if any."""
    now = clock.now()
    email = User.normalize_email(email)
    failures = _account_failures(email, now)
    if failures:
        until = failures[-1] + account_delay(len(failures))
        if until > now:
            return Lock("account", email, len(failures), until)
    recent = db.session.scalars(
        sa.select(LoginAttempt.created_at)
        .where(
            LoginAttempt.address == address,
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.created_at >= now - ADDRESS_WINDOW,
        )
        .order_by(LoginAttempt.created_at)
    ).all()
    if len(recent) >= ADDRESS_FAILURES:
        return Lock("address", address, len(recent), recent[-1] + ADDRESS_WINDOW)
    return None


def record(email: str, address: str, succeeded: bool) -> None:
    email = User.normalize_email(email)[:254]
    db.session.add(
        LoginAttempt(email=email, address=address[:64], succeeded=succeeded, created_at=clock.now())
    )
    if not succeeded:
        log.warning("Wrong password for %s from %s", email, address)


def current_locks() -> list[Lock]:
    """Every account and address locked now, for the coordinators' page."""
    now = clock.now()
    emails = db.session.scalars(
        sa.select(LoginAttempt.email)
        .where(LoginAttempt.succeeded.is_(False), LoginAttempt.created_at >= now - ACCOUNT_WINDOW)
        .distinct()
    ).all()
    locks = []
    for email in emails:
        failures = _account_failures(email, now)
        if failures and failures[-1] + account_delay(len(failures)) > now:
            locks.append(
                Lock("account", email, len(failures), failures[-1] + account_delay(len(failures)))
            )
    rows = db.session.execute(
        sa.select(LoginAttempt.address, sa.func.count(), sa.func.max(LoginAttempt.created_at))
        .where(LoginAttempt.succeeded.is_(False), LoginAttempt.created_at >= now - ADDRESS_WINDOW)
        .group_by(LoginAttempt.address)
    ).all()
    locks += [
        Lock("address", address, count, latest + ADDRESS_WINDOW)
        for address, count, latest in rows
        if count >= ADDRESS_FAILURES
    ]
    return locks


def lift(what: str, key: str) -> int:
    """A coordinator lifts a lock: the wrong passwords behind it are forgotten."""
    column = LoginAttempt.email if what == "account" else LoginAttempt.address
    result = db.session.execute(
        sa.delete(LoginAttempt).where(column == key, LoginAttempt.succeeded.is_(False))
    )
    log.warning("Login lock lifted for %s %s", what, key)
    return result.rowcount
