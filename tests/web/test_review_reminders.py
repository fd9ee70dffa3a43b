"""Items waiting in review remind people: after a day their reviewer, after two days the unit's
admins, when their planned time passes the writers and admins; once per round of review."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from calendarapp import clock
from calendarapp.accounts.models import Role
from calendarapp.content.reminders import send_review_reminders
from calendarapp.content.services import record_status, walk_to
from calendarapp.content.workflow import Status
from calendarapp.extensions import db
from calendarapp.notifications.models import Notification
from calendarapp.notifications.models import NotificationKind as K
from tests.conftest import NOW, signed_in


def told() -> list[tuple[str, str]]:
    return sorted(
        (n.kind.value, n.user.email)
        for n in db.session.scalars(
            sa.select(Notification).where(
                Notification.kind.in_([K.REVIEW_WAITING, K.REVIEW_STUCK, K.REVIEW_OVERDUE])
            )
        )
    )


def test_an_item_waiting_in_review_reminds_then_escalates_once_per_round(app, make):
    unit = make.unit("Satuan Polisi Pamong Praja", "Satpol PP", requires_approval=True)
    make.user("admin@satpol.test", {unit: Role.ADMIN})
    reviewer = make.user("peninjau@satpol.test", {unit: Role.EDITOR})
    writer = make.user("penulis@satpol.test", {unit: Role.EDITOR})
    item = make.item(unit, "Razia knalpot", at=NOW + timedelta(days=3))
    item.reviewer, item.created_by = reviewer, writer
    with clock.frozen(NOW - timedelta(hours=2)):
        walk_to(item, Status.DITINJAU, writer)
    db.session.commit()
    assert send_review_reminders(NOW) == 0  # two hours: nobody yet
    later = NOW + timedelta(hours=23)
    assert send_review_reminders(later) == 1
    assert told() == [("review_waiting", "peninjau@satpol.test")]
    assert send_review_reminders(later + timedelta(hours=1)) == 0  # once
    assert send_review_reminders(NOW + timedelta(hours=47)) == 1
    assert ("review_stuck", "admin@satpol.test") in told()
    # its planned time passes while still in review: writers and admins hear of it
    assert send_review_reminders(NOW + timedelta(days=3, minutes=1)) == 2
    assert ("review_overdue", "penulis@satpol.test") in told()
    db.session.commit()
    # the bell says it
    client, _auth = signed_in(app, "peninjau@satpol.test")
    assert "sudah sehari menunggu tinjauan Anda" in client.get("/notifications").get_data(
        as_text=True
    )
    # a new round of review (after a revision) reminds again
    with clock.frozen(NOW + timedelta(days=4)):
        record_status(item, Status.PERLU_REVISI, reviewer)
        record_status(item, Status.DRAF, writer)
        record_status(item, Status.DITINJAU, writer)
    db.session.commit()
    before = len(told())
    assert send_review_reminders(NOW + timedelta(days=5, hours=1)) >= 1
    assert len(told()) > before


def test_the_worker_runs_the_review_reminders_under_its_lock(app, make):
    unit = make.unit("Dinas Kesehatan", "Dinkes", requires_approval=True)
    make.user("admin@dinkes.test", {unit: Role.ADMIN})
    writer = make.user("penulis@dinkes.test", {unit: Role.EDITOR})
    item = make.item(unit, "Imunisasi", at=NOW + timedelta(days=5))
    with clock.frozen(NOW - timedelta(hours=30)):
        walk_to(item, Status.DITINJAU, writer)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["review-reminders"])
    assert result.output.strip() == "1 reminder(s) sent."
    assert app.test_cli_runner().invoke(args=["review-reminders"]).output.strip() == (
        "0 reminder(s) sent."
    )
    assert told() == [("review_waiting", "admin@dinkes.test")]


def test_tugas_saya_flags_a_review_whose_planned_time_passed(app, make):
    unit = make.unit("Satuan Polisi Pamong Praja", "Satpol PP", requires_approval=True)
    make.user("admin@satpol.test", {unit: Role.ADMIN})
    writer = make.user("penulis@satpol.test", {unit: Role.EDITOR})
    late = make.item(unit, "Razia kemarin", at=NOW - timedelta(hours=3))
    timely = make.item(unit, "Apel besok", at=NOW + timedelta(days=1))
    for item in (late, timely):
        walk_to(item, Status.DITINJAU, writer)
    db.session.commit()
    client, _auth = signed_in(app, "admin@satpol.test")
    html = client.get("/tasks").get_data(as_text=True)
    flagged = re.findall(r'data-item-id="(\d+)"(?:(?!</li>).)*data-review-late', html, re.S)
    assert flagged == [str(late.id)]
