"""Who hears of a coverage request's steps, and the due-soon and overdue reminders (cron)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from .. import clock
from ..accounts.models import User
from ..accounts.permissions import admins_of
from ..extensions import db
from ..notifications.models import Notification, NotificationKind
from ..notifications.services import notify
from .models import CoverageRequest
from .workflow import CoverageStatus

S = CoverageStatus
DUE_SOON = timedelta(hours=24)  # an accepted request due within this is reminded of


def people_asked(request: CoverageRequest) -> list[User]:
    """The person picked, or else the admins of the unit asked (they pick someone)."""
    if request.assignee is not None:
        return [request.assignee]
    return admins_of(request.unit)


def _requesters(request: CoverageRequest) -> list[User]:
    people = [request.requested_by] if request.requested_by else []
    return people + admins_of(request.event.unit)


def tell(users: Iterable[User | None], kind: NotificationKind, request, actor) -> None:
    notify(users, kind, actor, coverage_request=request)


NOTIFY_ON = {
    S.DITERIMA: (NotificationKind.COVERAGE_ACCEPTED, "requesters"),
    S.DITOLAK: (NotificationKind.COVERAGE_DECLINED, "requesters"),
    S.DISERAHKAN: (NotificationKind.COVERAGE_DELIVERED, "requesters"),
    S.SELESAI: (NotificationKind.COVERAGE_DONE, "asked"),
    S.DIBATALKAN: (NotificationKind.COVERAGE_CANCELLED, "asked"),
}


def tell_transition(request: CoverageRequest, target: CoverageStatus, by: User) -> None:
    kind, who = NOTIFY_ON.get(target, (None, None))
    if (
        target == S.DITERIMA
        and len(request.history) > 1
        and (request.history[-2].to_status == S.DISERAHKAN)
    ):
        kind, who = NotificationKind.COVERAGE_RETURNED, "asked"
    if kind is None:
        return
    people = _requesters(request) if who == "requesters" else people_asked(request)
    tell(people, kind, request, by)


def send_reminders(now: datetime | None = None) -> int:
    """Due-soon and overdue notices for accepted requests, each sent once; answers how many.

    Run from cron (`flask coverage-reminders`): nothing in the app waits for the clock.
    """
    now = now or clock.now()
    sent = 0
    open_requests = db.session.scalars(
        sa.select(CoverageRequest)
        .where(CoverageRequest.status == S.DITERIMA, CoverageRequest.assignee_id.is_not(None))
        .where(CoverageRequest.due_at <= now + DUE_SOON)
        .options(joinedload(CoverageRequest.assignee))
    ).all()
    if not open_requests:
        return 0
    already = {
        (request_id, kind)
        for request_id, kind in db.session.execute(
            sa.select(Notification.coverage_request_id, Notification.kind)
            .where(Notification.coverage_request_id.in_([r.id for r in open_requests]))
            .where(
                Notification.kind.in_(
                    [NotificationKind.COVERAGE_DUE_SOON, NotificationKind.COVERAGE_OVERDUE]
                )
            )
        )
    }
    for request in open_requests:
        kind = (
            NotificationKind.COVERAGE_OVERDUE
            if request.due_at < now
            else NotificationKind.COVERAGE_DUE_SOON
        )
        if (request.id, kind) in already:
            continue
        tell([request.assignee], kind, request, None)
        sent += 1
    db.session.flush()
    return sent
