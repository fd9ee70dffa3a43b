"""The unit head approves from a one-time link without an account: opening it (a link preview,
a mail scanner) changes nothing; only a POST with its CSRF token decides, once; the link is for
one item at one version and dies when used, expired, replaced or outdated; a token never shows
in a log line. Clock: Monday 23 November 2026, 09.00 WIB."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from html import unescape

import pytest
import sqlalchemy as sa

from calendarapp import clock
from calendarapp.accounts.models import Role
from calendarapp.content.models import (
    ChecklistEntry,
    ChecklistTick,
    ContentItem,
    HeadApproval,
    StatusChange,
)
from calendarapp.content.services import walk_to
from calendarapp.content.workflow import Status
from calendarapp.extensions import db
from calendarapp.logs import mask
from calendarapp.notifications.models import Notification
from calendarapp.notifications.models import NotificationKind as K
from tests.conftest import NOW, csrf_token_from, signed_in

CAPTION = "Operasi penertiban PKL di alun-alun, Senin pagi. #SatpolPP"
BOTS = ("WhatsApp/2.23.20.0", "TelegramBot (like TwitterBot)", "facebookexternalhit/1.1")


@pytest.fixture
def world(make):
    unit = make.unit(
        "Satuan Polisi Pamong Praja", "Satpol PP", head_name="Budi Santoso",
        head_position="Kepala Satpol PP", head_whatsapp="6281234567890",
        requires_head_approval=True,
    )  # fmt: skip
    admin = make.user("admin@satpol.test", {unit: Role.ADMIN})
    editor = make.user("editor@satpol.test", {unit: Role.EDITOR}, name="Dedi Kurnia")
    item = make.item(unit, "Penertiban PKL", at=NOW + timedelta(days=3))
    other = make.item(unit, "Apel pagi", at=NOW + timedelta(days=2))
    required = db.session.scalars(sa.select(ChecklistEntry).where(ChecklistEntry.required)).all()
    for each in (item, other):
        each.caption, each.created_by = CAPTION, editor
        each.ticks.extend(ChecklistTick(entry_id=e.id, created_at=NOW) for e in required)
        walk_to(each, Status.DITINJAU, editor)
    db.session.commit()
    return {"unit": unit, "admin": admin, "editor": editor, "item": item, "other": other}


def ask(client, item) -> tuple[str, str]:
    """The editor asks for the head's approval: (the page, the token in its link)."""
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    answer = client.post(
        f"/items/{item.id}/head-approval", data={"csrf_token": csrf_token_from(page)}
    )
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    html = answer.get_data(as_text=True)
    token = re.search(r"/approve/([\w-]{40,})", html)[1]
    return html, token


def test_the_head_approves_from_the_link_once(app, world, caplog):
    caplog.set_level(logging.DEBUG)
    editor, _auth = signed_in(app, "editor@satpol.test")
    page = editor.get(f"/items/{world['item'].id}").get_data(as_text=True)
    assert "data-ask-head" in page and "step-disetujui" not in page  # approval is the head's
    html, token = ask(editor, world["item"])
    whatsapp = unescape(re.search(r'href="(https://wa\.me/[^"]+)"', html)[1])
    assert whatsapp.startswith("https://wa.me/6281234567890?text=")
    assert "Penertiban%20PKL" in whatsapp and "alun-alun" not in whatsapp  # no caption in chats
    assert "<svg" in html  # the QR code
    link = db.session.scalar(sa.select(HeadApproval))
    assert link.token_hash != token and len(link.token_hash) == 64  # only its fingerprint
    assert link.expires_at == NOW + timedelta(hours=72)
    path = f"/approve/{token}"
    # link previews and scanners open it, again and again: nothing happens
    for agent in BOTS * 2:
        seen = app.test_client().get(path, headers={"User-Agent": agent})
        assert seen.status_code == 200
        assert seen.headers["Cache-Control"] == "no-store"
        assert seen.headers["Referrer-Policy"] == "no-referrer"
        assert "noindex" in seen.headers["X-Robots-Tag"]
        preview = seen.get_data(as_text=True).split("</head>")[0]
        assert "alun-alun" not in preview and "Penertiban" not in preview
    db.session.expire_all()
    assert db.session.get(HeadApproval, link.id).decided_at is None
    assert db.session.get(ContentItem, world["item"].id).status == Status.DITINJAU
    # the head, on a phone, reads the post and approves it
    head = app.test_client()
    shown = head.get(path).get_data(as_text=True)
    assert CAPTION in unescape(shown) and "Kepala Satpol PP Budi Santoso" in shown
    form = {
        "csrf_token": csrf_token_from(shown),
        "item": str(world["item"].id),
        "decision": "approve",
    }
    assert head.post(path, data={**form, "csrf_token": ""}).status_code == 400  # no CSRF: nothing
    done = head.post(path, data=form)
    assert done.status_code == 200 and 'data-state="decided"' in done.get_data(as_text=True)
    db.session.expire_all()
    item = db.session.get(ContentItem, world["item"].id)
    assert item.status == Status.DISETUJUI
    change = db.session.scalar(
        sa.select(StatusChange)
        .where(StatusChange.item_id == item.id)
        .order_by(StatusChange.id.desc())
    )
    assert change.user_id is None
    assert change.note == "Disetujui oleh Kepala Satpol PP Budi Santoso melalui tautan"
    told = db.session.scalars(sa.select(Notification).where(Notification.kind == K.HEAD_DECIDED))
    assert [n.user.email for n in told] == ["editor@satpol.test"]
    # a second visit says who decided and when; a second POST changes nothing
    again = app.test_client().get(path)
    assert again.status_code == 410 and "Budi Santoso memutuskan pada" in again.get_data(
        as_text=True
    )
    assert head.post(path, data=form).status_code == 410
    # the token is in no log line
    assert token not in caplog.text


def test_a_revision_needs_a_note_and_goes_back_to_the_writer(app, world):
    editor, _auth = signed_in(app, "editor@satpol.test")
    _html, token = ask(editor, world["item"])
    head = app.test_client()
    page = head.get(f"/approve/{token}").get_data(as_text=True)
    form = {
        "csrf_token": csrf_token_from(page),
        "item": str(world["item"].id),
        "decision": "revise",
    }
    refused = head.post(f"/approve/{token}", data=form)
    assert refused.status_code == 422 and "Sebutkan apa yang perlu diubah" in refused.get_data(
        as_text=True
    )
    done = head.post(f"/approve/{token}", data={**form, "note": "Foto kurang jelas."})
    assert done.status_code == 200
    db.session.expire_all()
    item = db.session.get(ContentItem, world["item"].id)
    assert item.status == Status.PERLU_REVISI
    assert "Foto kurang jelas." in item.history[-1].note


def test_dead_forged_and_misused_links(app, world):
    editor, _auth = signed_in(app, "editor@satpol.test")
    _html, token = ask(editor, world["item"])
    _html, other_token = ask(editor, world["other"])
    head = app.test_client()
    assert head.get("/approve/" + "x" * 43).status_code == 404  # forged
    assert head.get("/approve/" + "x" * 300).status_code == 404
    # another item's id with a valid token: refused, nothing changes
    page = head.get(f"/approve/{other_token}").get_data(as_text=True)
    wrong = head.post(f"/approve/{other_token}", data={"csrf_token": csrf_token_from(page),
                      "item": str(world["item"].id), "decision": "approve"})  # fmt: skip
    assert wrong.status_code == 422 and "tidak sah" in wrong.get_data(as_text=True)
    db.session.expire_all()
    assert {i.status for i in db.session.scalars(sa.select(ContentItem))} == {Status.DITINJAU}
    # a newer link for the same item ends the older one
    _html, newer = ask(editor, world["item"])
    gone = head.get(f"/approve/{token}")
    assert gone.status_code == 410 and 'data-state="void"' in gone.get_data(as_text=True)
    # a change to the post ends it too (another version)
    item = db.session.get(ContentItem, world["item"].id)
    item.caption = CAPTION + " (diperbaiki)"
    db.session.commit()
    assert 'data-state="void"' in head.get(f"/approve/{newer}").get_data(as_text=True)
    # and time: 72 hours, or the planned time if sooner (the other item: in two days)
    with clock.frozen(NOW + timedelta(days=2, minutes=1)):
        expired = head.get(f"/approve/{other_token}")
    assert expired.status_code == 410 and 'data-state="expired"' in expired.get_data(as_text=True)


def test_only_the_units_editors_ask_and_admins_cannot_bypass_the_head(app, world, make):
    outsider_unit = make.unit("Dinas Kesehatan", "Dinkes")
    make.user("admin@dinkes.test", {outsider_unit: Role.ADMIN})
    db.session.commit()
    outsider, _auth = signed_in(app, "admin@dinkes.test")
    token = csrf_token_from(outsider.get("/tasks").get_data(as_text=True))
    assert outsider.post(f"/items/{world['item'].id}/head-approval",
                         data={"csrf_token": token}).status_code == 404  # fmt: skip
    admin, _auth = signed_in(app, "admin@satpol.test")
    page = admin.get(f"/items/{world['item'].id}").get_data(as_text=True)
    refused = admin.post(
        f"/items/{world['item'].id}/status",
        data={"csrf_token": csrf_token_from(page), "target": "disetujui",
              "version": str(world["item"].version)},
    )  # fmt: skip
    assert refused.status_code == 422 and "kepala" in refused.get_data(as_text=True).lower()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HeadApproval)) == 0


def test_the_unit_form_keeps_the_head_and_checks_the_number(app, world, make):
    make.user("koordinator@test", coordinator=True)
    db.session.commit()
    client, _auth = signed_in(app, "koordinator@test")
    unit = world["unit"]
    page = client.get(f"/units/{unit.id}/edit").get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(page), "name": unit.name, "short_name": "Satpol PP",
            "kind": "dinas", "timezone": "Asia/Jakarta", "color": "#2563eb", "weekly_target": "3",
            "active": "y", "requires_approval": "y", "head_name": "Budi  Santoso",
            "head_position": "Kepala Satpol PP", "requires_head_approval": "y"}  # fmt: skip
    for number in ("12345", "0812-abc", "+1 555 0100"):
        bad = client.post(f"/units/{unit.id}/edit", data={**data, "head_whatsapp": number})
        assert bad.status_code == 422 and "0812 3456 7890" in bad.get_data(as_text=True)
    missing = client.post(f"/units/{unit.id}/edit", data={**data, "head_whatsapp": ""})
    assert missing.status_code == 422
    good = client.post(f"/units/{unit.id}/edit", data={**data, "head_whatsapp": "0812 3456 7891"})
    assert good.status_code == 303
    db.session.expire_all()
    assert (unit.head_name, unit.head_whatsapp) == ("Budi Santoso", "6281234567891")


def test_log_lines_mask_the_token():
    line = '127.0.0.1 "GET /approve/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcd HTTP/1.1" 200'
    assert mask(line) == '127.0.0.1 "GET /approve/… HTTP/1.1" 200'


def test_a_link_waiting_a_day_reminds_its_sender_to_send_a_fresh_one(app, world):
    from calendarapp.content.reminders import send_review_reminders

    editor, _auth = signed_in(app, "editor@satpol.test")
    ask(editor, world["item"])
    later = NOW + timedelta(hours=25)
    send_review_reminders(later)
    db.session.commit()
    waiting = db.session.scalars(sa.select(Notification).where(Notification.kind == K.HEAD_WAITING))
    assert [(n.user.email, n.item_id) for n in waiting] == [
        ("editor@satpol.test", world["item"].id)
    ]
    send_review_reminders(later + timedelta(hours=1))  # once per link
    db.session.commit()
    count = sa.select(sa.func.count()).where(Notification.kind == K.HEAD_WAITING)
    assert db.session.scalar(count) == 1
    bell = editor.get("/notifications").get_data(as_text=True)
    assert "Kepala belum memutuskan" in bell
    # a fresh link (the button again) is a new one to wait for: another day, another reminder
    with clock.frozen(later):
        ask(editor, world["item"])
    send_review_reminders(later + timedelta(hours=25))
    db.session.commit()
    assert db.session.scalar(count) == 2


def test_the_units_admin_names_its_head_and_nobody_else_can(app, world, make):
    unit = world["unit"]
    other_unit = make.unit("Dinas Kesehatan", "Dinkes")
    make.user("admin@dinkes.test", {other_unit: Role.ADMIN})
    db.session.commit()
    admin, _auth = signed_in(app, "admin@satpol.test")
    page = admin.get(f"/units/{unit.id}/people").get_data(as_text=True)
    assert 'id="head-form"' in page and 'value="Budi Santoso"' in page
    data = {"csrf_token": csrf_token_from(page), "head_position": "Kepala Satpol PP",
            "head_name": "Rudi Hartono", "head_whatsapp": "+62 813-2222-3333",
            "requires_head_approval": "y"}  # fmt: skip
    bad = admin.post(f"/units/{unit.id}/head", data={**data, "head_whatsapp": "12"})
    assert bad.status_code == 422 and "0812 3456 7890" in bad.get_data(as_text=True)
    assert admin.post(f"/units/{unit.id}/head", data=data).status_code == 303
    db.session.expire_all()
    assert (unit.head_name, unit.head_whatsapp) == ("Rudi Hartono", "6281322223333")
    other, _auth = signed_in(app, "admin@dinkes.test")
    token = csrf_token_from(other.get(f"/units/{other_unit.id}/people").get_data(as_text=True))
    assert (
        other.post(f"/units/{unit.id}/head", data={**data, "csrf_token": token}).status_code == 404
    )
    editor, _auth = signed_in(app, "editor@satpol.test")
    token = csrf_token_from(editor.get("/tasks").get_data(as_text=True))
    answer = editor.post(f"/units/{unit.id}/head", data={**data, "csrf_token": token})
    assert answer.status_code in (404, 422)
    db.session.expire_all()
    assert unit.head_name == "Rudi Hartono"
