"""Notices outside the bell: the outbox notify() fills, a person's choices and quiet hours, and the
worker sending to a real SMTP server, a push service that checks VAPID and decrypts, and a webhook
receiver that checks the signature. Clock: Monday 23 November 2026, 09.00 WIB."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from calendarapp import clock
from calendarapp.accounts.models import Role
from calendarapp.delivery import services, worker
from calendarapp.delivery.models import (
    Delivery,
    DeliveryStatus,
    NoticeSettings,
    PushDevice,
)
from calendarapp.extensions import db
from calendarapp.notifications.models import NotificationKind as K
from calendarapp.notifications.services import notify
from tests.conftest import NOW, csrf_token_from, signed_in
from tests.delivery_receivers import Gateway, Mailbox, PushService

SITE = "https://kalender.example.go.id"
ANDROID = ("Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/131.0.0.0 Mobile Safari/537.36")  # fmt: skip


@pytest.fixture
def mailbox(app) -> Iterator[Mailbox]:
    box = Mailbox()
    box.start()
    app.config.update(SMTP_URL=box.url, MAIL_FROM="Kalender Konten <kalender@example.go.id>",
                      PUBLIC_URL=SITE)  # fmt: skip
    yield box
    box.stop()


@pytest.fixture
def pushes(app) -> Iterator[PushService]:
    service = PushService()
    app.config.update(PUSH_HTTP_HOSTS="127.0.0.1", PUBLIC_URL=SITE)
    yield service
    service.close()


@pytest.fixture
def people(make):
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    admin = make.user("admin@satpol.test", {satpol: Role.ADMIN}, name="Yuni Astuti")
    writer = make.user("penulis@satpol.test", {satpol: Role.EDITOR}, name="Dedi Kurnia")
    coordinator = make.user("koordinator@test", coordinator=True, name="Rina Kartikasari")
    item = make.item(satpol, "Razia knalpot brong")
    item.caption = "RAHASIA: draf caption yang belum boleh dibaca"
    db.session.commit()
    return {"unit": satpol, "admin": admin, "writer": writer, "coordinator": coordinator,
            "item": item}  # fmt: skip


def deliveries(**where) -> list[Delivery]:
    query = sa.select(Delivery).order_by(Delivery.id)
    for name, value in where.items():
        query = query.where(getattr(Delivery, name) == value)
    return list(db.session.scalars(query))


# ---- choices and the outbox ----------------------------------------------------------------------


def test_notify_writes_a_delivery_for_each_chosen_channel_and_phone(app, people, mailbox, pushes):
    writer = people["writer"]
    services.add_device(writer, pushes.subscription("hp"), "Chrome di Android")
    services.add_device(writer, pushes.subscription("laptop"), "Firefox")
    db.session.commit()
    notify([writer, people["admin"]], K.ASSIGNED, people["admin"], item=people["item"])
    db.session.commit()
    rows = deliveries()
    # the actor hears nothing; the writer's default: phones and e-mail for an assignment
    assert sorted((r.user.email, r.channel.value, r.device_id is not None) for r in rows) == [
        ("penulis@satpol.test", "email", False),
        ("penulis@satpol.test", "push", True),
        ("penulis@satpol.test", "push", True),
    ]
    assert all(r.due_at == NOW and r.status == DeliveryStatus.PENDING for r in rows)


def test_quiet_hours_hold_what_can_wait_and_urgent_notices_pass(app, people, mailbox):
    writer = people["writer"]
    services.save_settings(writer, {K.ASSIGNED, K.COVERAGE_DUE_SOON}, {K.ASSIGNED},
                           (time(21), time(6)), "Asia/Makassar", False, False)  # fmt: skip
    services.add_device(writer, _fake_subscription(), "hp")
    db.session.commit()
    with clock.frozen(datetime(2026, 11, 23, 14, 30, tzinfo=UTC)):  # 22.30 WITA
        notify([writer], K.ASSIGNED, None, item=people["item"])
        db.session.commit()
    held = deliveries()
    # held until 06.00 WITA the next morning, on both channels
    assert {r.due_at for r in held} == {datetime(2026, 11, 23, 22, 0, tzinfo=UTC)}
    assert all(r.expires_at > r.due_at for r in held)


def _fake_subscription() -> dict:
    """A subscription at an https push service (nothing is sent in this test)."""
    service = PushService()
    subscription = service.subscription("quiet")
    service.close()
    return {**subscription, "endpoint": "https://push.example.test/quiet"}


def test_only_urgent_and_the_daily_digest(app, people, mailbox):
    writer = people["writer"]
    services.save_settings(writer, set(K), set(K), None, "Asia/Jakarta", True, False)
    admin = people["admin"]
    services.save_settings(admin, set(), set(K), None, "Asia/Jakarta", False, True)
    db.session.commit()
    notify([writer, admin], K.COMMENT, None, item=people["item"])
    db.session.commit()
    # only urgent: a comment reaches the writer only under the bell
    assert [r.user.email for r in deliveries()] == ["admin@satpol.test"]
    (digest,) = deliveries()
    assert digest.digest and digest.due_at == datetime(2026, 11, 24, 0, 0, tzinfo=UTC)  # 07.00


# ---- the settings page -----------------------------------------------------------------------


def test_the_settings_page_keeps_a_persons_choices(app, people):
    client, _auth = signed_in(app, "koordinator@test")
    page = client.get("/account/notifications").get_data(as_text=True)
    # a coordinator's defaults: the weekly digest by e-mail, not on the phone
    assert 'name="email-monitoring_digest" checked' in page
    assert 'name="push-monitoring_digest" checked' not in page
    answer = client.post(
        "/account/notifications",
        data={"csrf_token": csrf_token_from(page), "push-coverage_requested": "on",
              "email-rtl_overdue": "on", "push-no_such_kind": "on", "quiet": "y",
              "quiet_start": "22:00", "quiet_end": "05:30", "timezone": "Asia/Jayapura",
              "email_digest": "y"},
    )  # fmt: skip
    assert answer.status_code == 303
    kept = db.session.get(NoticeSettings, people["coordinator"].id)
    assert kept.push_kinds == "coverage_requested" and kept.email_kinds == "rtl_overdue"
    assert (kept.quiet_start, kept.quiet_end, kept.timezone) == (
        time(22),
        time(5, 30),
        "Asia/Jayapura",
    )
    assert kept.email_digest and not kept.only_urgent


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"quiet": "y", "quiet_start": "21:00", "quiet_end": "21:00"}, "waktu yang berbeda"),
        ({"quiet": "y", "quiet_start": "21:00", "quiet_end": ""}, "kedua waktu"),
        ({"quiet": "y", "quiet_start": "25:00", "quiet_end": "06:00"}, "field-errors"),
        ({"timezone": "Europe/Berlin"}, "field-errors"),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_saved(app, people, fields, message):
    client, _auth = signed_in(app, "admin@satpol.test")
    page = client.get("/account/notifications").get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(page), "timezone": "Asia/Jakarta", **fields}
    answer = client.post("/account/notifications", data=data)
    assert answer.status_code == 422 and message in answer.get_data(as_text=True)
    assert db.session.get(NoticeSettings, people["admin"].id) is None


def test_a_phone_is_added_checked_and_removed_only_by_its_person(app, people, pushes):
    client, _auth = signed_in(app, "penulis@satpol.test")
    page = client.get("/account/notifications").get_data(as_text=True)
    token = csrf_token_from(page)
    assert re.search(r'data-vapid-key="[A-Za-z0-9_-]{87}"', page)
    good = pushes.subscription("hp")
    bad = [
        {**good, "endpoint": "ftp://127.0.0.1/push/hp"},
        {**good, "endpoint": "http://evil.example/push"},  # plain http off the allowed hosts
        {**good, "endpoint": "https://p.example/" + "x" * 1000},
        {**good, "keys": {"p256dh": "A" * 5000, "auth": good["keys"]["auth"]}},
        {**good, "keys": {"p256dh": good["keys"]["p256dh"], "auth": "AAAA"}},
        {**good, "keys": "none"},
        ["not", "an", "object"],
    ]
    for subscription in bad:
        answer = client.post("/account/notifications/devices", json=subscription,
                             headers={"X-CSRFToken": token})  # fmt: skip
        assert answer.status_code == 422 and answer.json["error"], subscription
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PushDevice)) == 0
    assert client.post("/account/notifications/devices", json=good).status_code == 400  # no CSRF
    added = client.post("/account/notifications/devices", json=good,
                        headers={"X-CSRFToken": token, "User-Agent": ANDROID})  # fmt: skip
    assert added.status_code == 201
    device = db.session.scalar(sa.select(PushDevice))
    assert device.user_id == people["writer"].id and device.label == "Chrome · Android"
    other, _auth = signed_in(app, "admin@satpol.test")
    other_token = csrf_token_from(other.get("/account/notifications").get_data(as_text=True))
    path = f"/account/notifications/devices/{device.id}/remove"
    assert other.post(path, data={"csrf_token": other_token}).status_code == 404
    assert client.post(path, data={"csrf_token": token}).status_code == 303
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PushDevice)) == 0


# ---- the worker and the channels -------------------------------------------------------------


def test_an_email_goes_out_in_the_persons_language_with_its_link(app, people, mailbox):
    people["admin"].locale = "en"
    db.session.commit()
    # by their roles' defaults both take these by e-mail
    notify([people["writer"]], K.ASSIGNED, people["coordinator"], item=people["item"])
    notify([people["admin"]], K.REVIEW_REQUESTED, people["coordinator"], item=people["item"])
    db.session.commit()
    tally = worker.run_once()
    assert tally.sent == 2 and tally.failed == 0
    by_person = {m["To"]: m for m in mailbox.messages}
    indonesian = by_person["penulis@satpol.test"]
    assert (
        indonesian["Subject"] == "[Kalender Konten] Rina Kartikasari menugaskan Anda pada unggahan"
    )
    assert indonesian["List-Unsubscribe"] == f"<{SITE}/account/notifications>"
    assert indonesian["Message-ID"].startswith("<delivery-")
    text = indonesian.get_body(("plain",)).get_content()
    assert f"{SITE}/items/{people['item'].id}" in text and "Razia knalpot brong" in text
    assert "RAHASIA" not in indonesian.as_string()  # never a draft's caption
    english = by_person["admin@satpol.test"]
    assert english["Subject"] == "[Kalender Konten] Rina Kartikasari asks for your review"
    assert all(r.status == DeliveryStatus.SENT for r in deliveries())


def test_a_mail_server_away_delays_and_a_refused_address_fails_for_good(app, people, mailbox):
    mailbox.stop()
    notify([people["writer"]], K.ASSIGNED, None, item=people["item"])
    db.session.commit()
    worker.run_once()
    (waiting,) = deliveries()
    assert waiting.status == DeliveryStatus.PENDING and waiting.attempts == 1
    assert waiting.due_at == NOW + timedelta(minutes=1) and waiting.error
    worker.run_once()  # not yet due again: nothing tried
    assert deliveries()[0].attempts == 1
    mailbox.start()
    with clock.frozen(NOW + timedelta(minutes=2)):
        assert worker.run_once().sent == 1
    assert len(mailbox.messages) == 1
    # an address the server refuses (5xx) fails at once, and the person sees it
    mailbox.refuse.add("penulis@satpol.test")
    notify([people["writer"]], K.ASSIGNED, None, item=people["item"])
    db.session.commit()
    assert worker.run_once().failed == 1
    failed = deliveries(status=DeliveryStatus.FAILED)
    assert len(failed) == 1 and "550" in failed[0].error
    client, _auth = signed_in(app, "penulis@satpol.test")
    page = client.get("/account/notifications").get_data(as_text=True)
    assert "data-failures" in page and "550" in page


def test_a_notice_past_its_shelf_life_is_dropped_and_a_digest_is_one_email(app, people, mailbox):
    notify([people["writer"]], K.ASSIGNED, None, item=people["item"])
    db.session.commit()
    with clock.frozen(NOW + timedelta(days=4)):
        assert worker.run_once().expired == 1
    assert mailbox.messages == []
    services.save_settings(people["admin"], set(), set(K), None, "Asia/Jakarta", False, True)
    db.session.commit()
    for kind in (K.COMMENT, K.REVIEW_REQUESTED, K.APPROVED):
        notify([people["admin"]], kind, people["writer"], item=people["item"])
    db.session.commit()
    assert worker.run_once().sent == 0  # the digest waits for 07.00
    with clock.frozen(datetime(2026, 11, 24, 0, 5, tzinfo=UTC)):
        assert worker.run_once().sent == 3
    (digest,) = mailbox.messages
    assert digest["Subject"] == "[Kalender Konten] 3 pemberitahuan dari Kalender Konten"
    text = digest.get_body(("plain",)).get_content()
    assert text.count(f"{SITE}/items/{people['item'].id}") == 3


def test_a_push_is_signed_encrypted_and_says_only_what_and_where(app, people, pushes):
    writer = people["writer"]
    services.add_device(writer, pushes.subscription("hp"), "hp")
    gone = services.add_device(writer, pushes.subscription("lama"), "lama")
    db.session.commit()
    pushes.gone.add("lama")
    notify([writer], K.ASSIGNED, people["admin"], item=people["item"])
    db.session.commit()
    tally = worker.run_once()
    assert pushes.problems == []
    assert tally.sent == 1 and tally.failed == 1
    (received,) = pushes.received
    assert received["payload"] == {
        "title": "Yuni Astuti menugaskan Anda pada unggahan",
        "body": "Razia knalpot brong · Satpol PP",
        "path": f"/items/{people['item'].id}",
        "tag": f"notice-{deliveries()[0].notification_id}",
    }
    assert received["headers"]["Urgency"] == "normal" and received["headers"]["TTL"] == "86400"
    # the subscription the push service dropped (410) is dead: nothing more goes to it
    db.session.expire_all()
    assert db.session.get(PushDevice, gone.id).dead_at == NOW
    notify([writer], K.COMMENT, people["admin"], item=people["item"])
    db.session.commit()
    assert [d.device.label for d in deliveries(status=DeliveryStatus.PENDING)] == ["hp"]
    client, _auth = signed_in(app, "penulis@satpol.test")
    assert "Berhenti menerima notifikasi" in client.get("/account/notifications").get_data(
        as_text=True
    )


def test_pywebpush_gets_fresh_claims_for_every_push(app, people, pushes):
    """Two pushes to two push services in one run: each JWT names its own audience."""
    second = PushService()
    try:
        writer = people["writer"]
        services.add_device(writer, pushes.subscription("a"), "a")
        services.add_device(writer, second.subscription("b"), "b")
        db.session.commit()
        notify([writer], K.ASSIGNED, None, item=people["item"])
        db.session.commit()
        assert worker.run_once().sent == 2
        assert pushes.problems == [] and second.problems == []
    finally:
        second.close()


def test_the_regions_gateway_gets_a_signed_post_and_a_retry(app, people):
    gateway = Gateway()
    try:
        app.config.update(WEBHOOK_URL=f"{gateway.origin}/hook", WEBHOOK_SECRET="rahasia-daerah",
                          PUBLIC_URL=SITE)  # fmt: skip
        gateway.answers = [503]
        notify([people["writer"]], K.ASSIGNED, people["admin"], item=people["item"])
        db.session.commit()
        assert worker.run_once().retried == 1
        with clock.frozen(NOW + timedelta(minutes=2)):
            assert worker.run_once().sent == 1
        first, second = gateway.received
        assert first["body"] == second["body"]  # the same notice, the same bytes
        headers, body = second["headers"], second["body"]
        expected = "sha256=" + hmac.new(b"rahasia-daerah", body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["X-Kalender-Signature"], expected)
        sent = json.loads(body)
        assert sent["person"]["email"] == "penulis@satpol.test" and sent["kind"] == "assigned"
        assert sent["url"] == f"{SITE}/items/{people['item'].id}"
        assert headers["X-Kalender-Delivery"] == str(sent["delivery"])
    finally:
        gateway.close()


def test_coordinators_see_who_cannot_be_reached(app, people, pushes):
    services.add_device(people["writer"], pushes.subscription("hp"), "hp")
    db.session.commit()
    client, _auth = signed_in(app, "koordinator@test")
    page = client.get("/account/notifications/reach").get_data(as_text=True)
    reached = dict(re.findall(r'data-person-id="(\d+)"[^>]*data-reached="(\w+)"', page))
    assert reached[str(people["writer"].id)] == "yes"
    assert reached[str(people["admin"].id)] == "no"  # no phone, no e-mail set up
    unit_admin, _auth = signed_in(app, "admin@satpol.test")
    assert unit_admin.get("/account/notifications/reach").status_code == 404


def test_the_vapid_key_is_made_once_into_the_instance_folder(app, tmp_path):
    from calendarapp.delivery import push

    instance, config = app.instance_path, dict(app.config)
    app.instance_path, app.config["VAPID_PRIVATE_KEY"] = str(tmp_path), ""
    app.extensions.pop("vapid", None)
    try:
        first = push.public_key()
        key_file = tmp_path / "vapid_private.pem"
        assert key_file.exists() and (key_file.stat().st_mode & 0o777) == 0o600
        app.extensions.pop("vapid", None)  # another worker, another host with the same folder
        assert push.public_key() == first
    finally:
        app.instance_path = instance
        app.config.update(config)
        app.extensions.pop("vapid", None)
