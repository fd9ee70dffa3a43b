"""The outbox survives: a worker killed mid-batch loses no notice and repeats at most the one it
was sending (with the same Message-ID, so the receiver can tell); two workers on one database
send every notice once; two reminder runs at one instant send nothing twice. Workers run as real
`flask deliver` processes against a real SMTP server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from calendarapp import jobs
from calendarapp.accounts.models import Role
from calendarapp.delivery.models import Delivery, DeliveryStatus, JobLock
from calendarapp.extensions import db
from calendarapp.notifications.models import Notification
from calendarapp.notifications.models import NotificationKind as K
from calendarapp.notifications.services import notify
from tests.delivery_receivers import Mailbox

NOTICES = 16


@pytest.fixture
def mailbox(app):
    box = Mailbox()
    box.start()
    app.config.update(SMTP_URL=box.url, MAIL_FROM="kalender@example.go.id",
                      PUBLIC_URL="https://kalender.example.go.id")  # fmt: skip
    yield box
    box.stop()


@pytest.fixture
def waiting(app, make, mailbox) -> list[int]:
    """NOTICES e-mails in the outbox, due now and good for a day in real time."""
    unit = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    writer = make.user("penulis@satpol.test", {unit: Role.EDITOR})
    for n in range(NOTICES):
        notify([writer], K.ASSIGNED, None, item=make.item(unit, f"Pos {n}"))
    db.session.commit()
    real_now = datetime.now(UTC)
    db.session.execute(sa.update(Delivery).values(expires_at=real_now + timedelta(days=1)))
    db.session.commit()
    ids = list(db.session.scalars(sa.select(Delivery.id).order_by(Delivery.id)))
    assert len(ids) == NOTICES
    return ids


def worker(database_url: str, mailbox: Mailbox, *extra: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "FLASK_APP": "calendarapp",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "uji-pekerja",
        "SMTP_URL": mailbox.url,
        "MAIL_FROM": "kalender@example.go.id",
        "PUBLIC_URL": "https://kalender.example.go.id",
        "DELIVERY_LEASE_SECONDS": "5",
    }
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "flask", "deliver", "--no-jobs", "--interval", "0.2", *extra],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def ours(mailbox: Mailbox, ids: list[int]) -> Counter:
    wanted = {f"<delivery-{i}@kalender.example.go.id>" for i in ids}
    return Counter(m for m in mailbox.message_ids() if m in wanted)


def test_a_worker_killed_mid_batch_loses_nothing(app, database_url, mailbox, waiting):
    mailbox.delay = 0.15  # each e-mail takes a while: the kill lands mid-batch
    first = worker(database_url, mailbox)
    deadline = time.monotonic() + 60
    while len(mailbox.messages) < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    first.kill()
    first.wait(10)
    assert 5 <= len(mailbox.messages) < NOTICES, "the worker was not stopped mid-batch"
    mailbox.delay = 0
    time.sleep(5.5)  # the dead worker's claim lapses
    second = worker(database_url, mailbox, "--once")
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    received = ours(mailbox, waiting)
    assert set(received) == {f"<delivery-{i}@kalender.example.go.id>" for i in waiting}
    # at most the one being sent when the worker died goes out twice, under the same Message-ID
    assert sum(received.values()) - NOTICES <= 1
    db.session.expire_all()
    statuses = set(db.session.scalars(sa.select(Delivery.status)))
    assert statuses == {DeliveryStatus.SENT}


def test_two_workers_on_one_database_send_each_notice_once(app, database_url, mailbox, waiting):
    mailbox.delay = 0.2  # long enough for the second worker to start while the first sends
    workers = [worker(database_url, mailbox, "--once", "--batch", "2") for _ in range(2)]
    outputs = [w.communicate(timeout=120) for w in workers]
    assert [w.returncode for w in workers] == [0, 0], outputs
    received = ours(mailbox, waiting)
    assert len(received) == NOTICES and set(received.values()) == {1}
    # both took part
    assert all("sent" in out for out, _err in outputs), outputs


def test_two_reminder_runs_at_one_instant_send_nothing_twice(app, make):
    now = datetime(2026, 11, 23, 2, tzinfo=UTC)
    assert jobs.take("coverage-reminders", now) is True
    assert jobs.take("coverage-reminders", now) is False  # held: the second run does nothing
    result = app.test_cli_runner().invoke(args=["coverage-reminders"])
    assert "running elsewhere" in result.output
    # a lock whose run died lapses
    assert jobs.take("coverage-reminders", now + jobs.HOLD + timedelta(seconds=1)) is True
    db.session.execute(sa.update(JobLock).values(locked_until=None))
    db.session.commit()
    assert "0 reminder(s) sent." in app.test_cli_runner().invoke(args=["coverage-reminders"]).output
    # the worker's schedule: run when due, not again within its interval
    first = jobs.run_due()
    assert "monitoring-digest" in first  # Monday, 09.00 WIB
    assert "coverage-reminders" not in first  # the command above ran it a moment ago
    assert jobs.run_due() == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 0
