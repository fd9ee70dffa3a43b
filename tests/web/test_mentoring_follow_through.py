"""Mentoring that is not merely ceremonial: notes and RTL reach people, overdue RTL are chased,
the training shows each unit's progress, a mentor corrects a note with its history kept, and the
weekly Pantauan digest tells each person once."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from calendarapp import clock
from calendarapp.extensions import db
from calendarapp.mentoring import follow_through, services
from calendarapp.mentoring.models import ActionItem, ActionStatus, MentoringNote
from calendarapp.mentoring.services import ActionFields, NoteFields
from calendarapp.monitoring.digest import send_weekly_digest
from calendarapp.notifications.models import Notification, NotificationKind
from tests.conftest import csrf_token_from, signed_in
from tests.mentoring_world import build, satpol_note


@pytest.fixture
def world(make):
    world = build(make)
    satpol_note(
        world,
        "Perbaiki kata-kata caption.",
        [
            ("Pakai templat judul pada foto", world.satpol_editor, date(2026, 11, 4)),
            ("Latihan menulis caption", world.satpol_writer, date(2026, 11, 30)),
        ],
    )
    return world


def notices(kind: NotificationKind) -> list[tuple[str, int | None]]:
    return sorted(
        (n.user.email, n.action_id or n.note_id or n.unit_id)
        for n in db.session.scalars(sa.select(Notification).where(Notification.kind == kind))
    )


def action(text: str) -> ActionItem:
    return db.session.scalar(sa.select(ActionItem).where(ActionItem.text == text))


def test_a_new_note_tells_the_units_admins_and_editors_and_each_rtl_owner(world):
    note = db.session.scalar(sa.select(MentoringNote))
    # not the contributor, not the deactivated editor, not the mentor who wrote it
    assert notices(NotificationKind.MENTORING_NOTE) == [
        ("admin@satpol.test", note.id),
        ("editor@satpol.test", note.id),
    ]
    assert [email for email, _ in notices(NotificationKind.RTL_ASSIGNED)] == [
        "editor@satpol.test",
        "penulis@satpol.test",
    ]


def test_an_rtl_shows_in_its_owners_tugas_saya_and_bell(app, world):
    client, _auth = signed_in(app, "penulis@satpol.test")
    html = client.get("/tasks").get_data(as_text=True)
    assert "Latihan menulis caption" in html and "Pakai templat" not in html
    assert "30 Nov 2026" in html
    bell = client.get("/notifications").get_data(as_text=True)
    assert "memberi Anda rencana tindak lanjut" in bell and "Latihan menulis caption" in bell


def test_an_overdue_rtl_in_tugas_saya_says_so(app, world):
    client, _auth = signed_in(app, "editor@satpol.test")
    html = client.get("/tasks").get_data(as_text=True)
    start = html.index("Pakai templat judul pada foto")
    assert "terlambat" in html[start : html.index("</li>", start)]


def test_finishing_an_rtl_tells_the_mentor(world):
    done = action("Latihan menulis caption")
    services.set_action_status(done, world.satpol_writer, ActionStatus.SELESAI, done.version)
    db.session.commit()
    assert notices(NotificationKind.RTL_FINISHED) == [("koordinator@kominfo.test", done.id)]


def test_overdue_reminders_go_to_the_owner_and_the_unit_admin_once(world):
    late = action("Pakai templat judul pada foto")
    assert follow_through.send_overdue_reminders() == 2
    db.session.commit()
    assert notices(NotificationKind.RTL_OVERDUE) == [
        ("admin@satpol.test", late.id),
        ("editor@satpol.test", late.id),
    ]
    assert follow_through.send_overdue_reminders() == 0  # the next day's run: nothing twice


def test_an_rtl_due_today_in_the_units_zone_is_not_overdue_yet(world, make):
    # 23 Nov 16:30 UTC is already the 24th in WIT: an RTL due on the 23rd is overdue there
    world.satpol.timezone = "Asia/Jayapura"
    late = action("Latihan menulis caption")
    late.due_on = date(2026, 11, 23)
    db.session.commit()
    with clock.frozen(datetime(2026, 11, 23, 14, 30, tzinfo=UTC)):
        assert not follow_through.is_overdue(late)  # 23.30 WIT
    with clock.frozen(datetime(2026, 11, 23, 16, 30, tzinfo=UTC)):
        assert follow_through.is_overdue(late)


def test_the_training_page_shows_each_units_progress(app, world):
    client, _auth = signed_in(app, "koordinator@kominfo.test")
    html = client.get(f"/trainings/{world.fgd.id}").get_data(as_text=True)
    assert f'data-progress="{world.satpol.id}">RTL: 0 selesai, 2 belum selesai, 1 terlambat' in html


def test_the_mentor_lists_finished_rtl_too(app, world):
    done = action("Latihan menulis caption")
    services.set_action_status(done, world.satpol_writer, ActionStatus.SELESAI, done.version)
    db.session.commit()
    client, _auth = signed_in(app, "koordinator@kominfo.test")
    assert "Latihan menulis caption" not in client.get("/mentoring/actions").get_data(as_text=True)
    finished = client.get("/mentoring/actions?status=finished").get_data(as_text=True)
    assert "Latihan menulis caption" in finished and "Pakai templat" not in finished
    assert client.get("/mentoring/actions?status=maybe").status_code == 400


def note_form(client, note_id: int) -> dict:
    html = client.get(f"/mentoring/notes/{note_id}/edit").get_data(as_text=True)
    version = html.split('name="version"')[1].split('value="')[1].split('"')[0]
    return {"csrf_token": csrf_token_from(html), "version": version}


def test_a_mentor_corrects_a_note_and_the_unit_sees_what_it_said_before(app, world):
    note = db.session.scalar(sa.select(MentoringNote))
    client, _auth = signed_in(app, "koordinator@kominfo.test")
    data = note_form(client, note.id) | {
        "to_improve": "Perbaiki kata-kata caption dan judul foto.",
        "next_follow_up": "2026-12-03",
    }
    response = client.post(f"/mentoring/notes/{note.id}/edit", data=data)
    assert response.status_code == 303
    # the same form again carries a stale version: refused, nothing changes
    again = client.post(f"/mentoring/notes/{note.id}/edit", data=data | {"to_improve": "X"})
    assert again.status_code == 409
    db.session.expire_all()
    assert note.to_improve == "Perbaiki kata-kata caption dan judul foto."
    assert len(note.changes) == 1
    reader, _auth = signed_in(app, "admin@satpol.test")
    page = reader.get(f"/units/{world.satpol.id}/mentoring").get_data(as_text=True)
    assert "<del>Perbaiki kata-kata caption.</del>" in page
    assert "<ins>2026-12-03</ins>" in page
    assert reader.get(f"/mentoring/notes/{note.id}/edit").status_code == 404


def test_an_empty_correction_is_refused(app, world):
    note = db.session.scalar(sa.select(MentoringNote))
    client, _auth = signed_in(app, "koordinator@kominfo.test")
    data = note_form(client, note.id) | {"to_improve": "", "went_well": "", "recommendations": ""}
    response = client.post(f"/mentoring/notes/{note.id}/edit", data=data)
    assert response.status_code == 422
    db.session.expire_all()
    assert note.to_improve == "Perbaiki kata-kata caption." and note.changes == []


def test_a_mentor_gives_an_rtl_to_someone_else_who_is_told(app, world):
    moved = action("Latihan menulis caption")
    client, _auth = signed_in(app, "koordinator@kominfo.test")
    html = client.get(f"/mentoring/actions/{moved.id}/edit").get_data(as_text=True)
    data = {
        "csrf_token": csrf_token_from(html),
        "version": str(moved.version),
        "text": "Latihan menulis caption bercerita",
        "owner": str(world.satpol_admin.id),
        "due_on": "2026-12-07",
    }
    outsider = data | {"owner": str(world.bpbd_admin.id)}
    assert client.post(f"/mentoring/actions/{moved.id}/edit", data=outsider).status_code == 422
    assert client.post(f"/mentoring/actions/{moved.id}/edit", data=data).status_code == 303
    db.session.expire_all()
    assert (moved.owner, moved.due_on) == (world.satpol_admin, date(2026, 12, 7))
    assert ("admin@satpol.test", moved.id) in notices(NotificationKind.RTL_ASSIGNED)


def test_the_weekly_digest_tells_each_person_once(app, world, make):
    from calendarapp.accounts.models import Role

    world.satpol.created_at = world.bpbd.created_at = datetime(2025, 1, 1, tzinfo=UTC)
    db.session.commit()
    sent = send_weekly_digest()
    db.session.commit()
    assert sent > 0
    region = db.session.scalars(
        sa.select(Notification).where(
            Notification.kind == NotificationKind.MONITORING_DIGEST, Notification.unit_id.is_(None)
        )
    ).all()
    assert [n.user.email for n in region] == ["koordinator@kominfo.test"]
    assert "silent=" in region[0].detail
    satpol = db.session.scalars(
        sa.select(Notification).where(Notification.unit_id == world.satpol.id)
    ).all()
    assert [n.user.email for n in satpol] == ["admin@satpol.test"]
    assert send_weekly_digest() == 0  # run twice in a week: nothing twice
    make.user("admin2@satpol.test", {world.satpol: Role.ADMIN})
    assert send_weekly_digest() == 1  # a new admin still hears this week's flags
    db.session.commit()
    client, _auth = signed_in(app, "admin@satpol.test")
    bell = client.get("/notifications").get_data(as_text=True)
    assert "Pantauan pekan ini untuk Satpol PP" in bell and "Senyap" in bell
    client, _auth = signed_in(app, "koordinator@kominfo.test")
    region_bell = client.get("/notifications").get_data(as_text=True)
    assert re.search(r'<span class="flag flag-silent">Senyap</span> [1-9]', region_bell)


def test_the_training_page_runs_the_same_queries_for_one_note_or_many(app, world, count_queries):
    client, _auth = signed_in(app, "koordinator@kominfo.test")
    path = f"/trainings/{world.fgd.id}"
    client.get(path)
    with count_queries() as one:
        assert client.get(path).status_code == 200
    for n in range(3):  # notes with RTL for the other participating unit too
        services.write_note(
            world.mentor,
            NoteFields(
                unit=world.bpbd,
                training=world.fgd,
                noted_on=date(2026, 10, 29 + n),
                to_improve=f"Catatan {n}",
                actions=[ActionFields(f"RTL {n}", world.bpbd_admin, date(2026, 11, 5))],
            ),
        )
    db.session.commit()
    with count_queries() as many:
        assert client.get(path).status_code == 200
    assert many.count == one.count
