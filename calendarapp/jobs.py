"""Scheduled jobs (every area's reminders), run by the delivery worker when due, or by their
commands from cron. It sits beside cli.py: it imports the areas, none of them imports it.

Each reminder sends a notice once by looking for the notices it already made; two runs at the
same instant (two hosts' cron, two workers) could both find none. So every run takes its job's
lock first — a compare-and-set on one row (`UPDATE job_lock … WHERE locked_until < now`), the same
on SQLite and PostgreSQL — and a run that does not get it does nothing. A lock held by a run that
died lapses after HOLD.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from . import clock
from .amplification.services import send_reminders as send_amplification_reminders
from .content.reminders import send_review_reminders
from .coverage.notices import send_reminders
from .delivery.models import JobLock
from .extensions import db
from .mentoring.follow_through import send_overdue_reminders
from .monitoring.digest import send_weekly_digest
from .performance.services import send_month_end_reminders

HOLD = timedelta(minutes=10)


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[], int]
    weekday: int | None = None  # only on this day of the week (Monday 0), in the region's zone
    from_hour: int = 0  # not before this hour, in the region's zone


def _followers() -> int:
    return send_month_end_reminders(clock.now())


def _reviews() -> int:
    return send_review_reminders(clock.now())


def _amplifications() -> int:
    return send_amplification_reminders(clock.now())


JOBS = {
    job.name: job
    for job in (
        Job("coverage-reminders", timedelta(minutes=15), send_reminders),
        Job("mentoring-reminders", timedelta(hours=1), send_overdue_reminders, from_hour=7),
        Job("monitoring-digest", timedelta(hours=1), send_weekly_digest, weekday=0, from_hour=7),
        Job("performance-reminders", timedelta(hours=1), _followers, from_hour=8),
        Job("review-reminders", timedelta(minutes=30), _reviews, from_hour=7),
        Job("amplification-reminders", timedelta(minutes=15), _amplifications),
    )
}


def _ensure(name: str) -> None:
    if db.session.get(JobLock, name) is None:
        dialect = db.engine.dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        db.session.execute(insert(JobLock).values(name=name).on_conflict_do_nothing())
        db.session.commit()


def take(name: str, now: datetime, every: timedelta | None = None) -> bool:
    """This job's lock, if nobody holds it (and, with `every`, if its last run is that old)."""
    _ensure(name)
    free = sa.or_(JobLock.locked_until.is_(None), JobLock.locked_until < now)
    query = sa.update(JobLock).where(JobLock.name == name, free)
    if every is not None:
        query = query.where(
            sa.or_(JobLock.last_run_at.is_(None), JobLock.last_run_at <= now - every)
        )
    taken = db.session.execute(query.values(locked_until=now + HOLD)).rowcount == 1
    db.session.commit()
    return taken


def run(name: str, every: timedelta | None = None) -> int | None:
    """Run a job under its lock: what it sent, or None when another run holds it."""
    now = clock.now()
    if not take(name, now, every):
        return None
    try:
        sent = JOBS[name].run()
        db.session.commit()
    finally:
        db.session.rollback()
        db.session.execute(
            sa.update(JobLock)
            .where(JobLock.name == name)
            .values(locked_until=None, last_run_at=now)
        )
        db.session.commit()
    return sent


def run_due() -> list[str]:
    """Every job whose time has come (the worker calls this on each look): the names run."""
    now = clock.now()
    local = now.astimezone(ZoneInfo(current_app.config["REGION_TIMEZONE"]))
    ran = []
    for job in JOBS.values():
        if job.weekday is not None and local.weekday() != job.weekday:
            continue
        if local.hour < job.from_hour:
            continue
        if run(job.name, job.every) is not None:
            ran.append(job.name)
    return ran
