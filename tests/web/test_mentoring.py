"""Trainings and mentoring through the web: who sees what, forms, htmx, files, the chart."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from calendarapp.content.models import Platform
from calendarapp.extensions import db
from calendarapp.mentoring import services
from calendarapp.mentoring.models import ActionItem, ActionStatus, MentoringNote, Training
from calendarapp.mentoring.services import ActionFields, NoteFields
from tests.conftest import csrf_token_from, signed_in
from tests.mentoring_world import build, satpol_note

HX = {"HX-Request": "true"}


@pytest.fixture
def world(make):
    world = build(make)
    satpol_note(
        world,
        "Perbaiki kata-kata caption, kualitas foto, dan judul pada foto.",
        [("Pakai templat judul pada foto", world.satpol_editor, date(2026, 11, 4))],
    )
    return world


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count(model.id)))


@pytest.mark.parametrize(
    "email, training, unit_page, write",
    [
        ("koordinator@kominfo.test", 200, 200, 200),
        ("admin@satpol.test", 200, 200, 404),  # took part; reads its own notes
        ("penulis@satpol.test", 200, 200, 404),
        ("admin@bpbd.test", 200, 404, 404),  # took part, but Satpol's notes are not its own
        ("admin@dinkes.test", 404, 404, 404),  # did not take part
    ],
)
def test_who_sees_what(app, world, email, training, unit_page, write):
    client, _auth = signed_in(app, email)
    assert client.get(f"/trainings/{world.fgd.id}").status_code == training
    assert client.get(f"/units/{world.satpol.id}/mentoring").status_code == unit_page
    assert client.get(f"/trainings/{world.fgd.id}/edit").status_code == write
    assert client.get("/trainings/new").status_code == write
    assert client.get("/mentoring/actions").status_code == write
    note_form = f"/mentoring/notes/new?unit={world.satpol.id}&training={world.fgd.id}"
    assert client.get(note_form).status_code == write
    listing = client.get("/trainings").get_data(as_text=True)
    assert (f'data-training-id="{world.fgd.id}"' in listing) is (training == 200)


def test_the_training_page_shows_which_units_still_have_no_note(client, auth, world):
    auth.login("koordinator@kominfo.test")
    html = client.get(f"/trainings/{world.fgd.id}").get_data(as_text=True)
    found = re.findall(r'<li class="card( uncovered)?" data-unit-id="(\d+)"', html)
    by_unit = {int(unit): flag for flag, unit in found}
    assert by_unit == {world.satpol.id: "", world.bpbd.id: " uncovered"}
    assert "Belum ada catatan" in html


def test_another_unit_sees_the_training_but_not_satpols_note_count(app, world):
    client, _auth = signed_in(app, "admin@bpbd.test")
    html = client.get(f"/trainings/{world.fgd.id}").get_data(as_text=True)
    satpol_row = re.search(rf'data-unit-id="{world.satpol.id}".*?</li>', html, re.S).group(0)
    assert "catatan" not in satpol_row


def training_form(client, path="/trainings/new") -> dict:
    html = client.get(path).get_data(as_text=True)
    return {
        "csrf_token": csrf_token_from(html),
        "creation_token": re.search(r'name="creation_token"[^>]*value="([^"]*)"', html).group(1),
    }


def test_a_coordinator_plans_a_training_without_javascript(client, auth, world):
    auth.login("koordinator@kominfo.test")
    data = {
        **training_form(client),
        "kind": "bimtek",
        "title": "Bimtek Video Pendek",
        "day": "2026-12-01",
        "start": "08:30",
        "end": "12:00",
        "timezone": "Asia/Jakarta",
        "place": "Ruang Rapat Setda",
        "organiser": str(world.kominfo.id),
        "units": [str(world.satpol.id), str(world.dinkes.id)],
        "participants": [str(world.satpol_writer.id)],
        "speakers-0-name": "Andi Pratama",
        "speakers-0-affiliation": "Jurnalis",
        "speakers-0-topic": "Video 60 detik",
    }
    response = client.post("/trainings/new", data=data)
    assert response.status_code == 303
    assert client.post("/trainings/new", data=data).location == response.location  # double submit
    training = db.session.scalar(sa.select(Training).where(Training.title == "Bimtek Video Pendek"))
    assert [u.short_name for u in training.units] == ["Dinkes", "Satpol PP"]
    assert [(s.name, s.topic) for s in training.speakers] == [("Andi Pratama", "Video 60 detik")]
    assert training.participants == [world.satpol_writer]
    page = client.get(response.location).get_data(as_text=True)
    assert "Andi Pratama" in page and "Bimtek (bimbingan teknis)" in page


@pytest.mark.parametrize(
    "change, status, message",
    [
        ({"day": "2026-02-30"}, 422, ""),
        ({"end": "08:00"}, 422, "Pelatihan harus selesai setelah mulai"),
        ({"units": ["999999"]}, 404, ""),
        ({"participants": ["999999"]}, 404, ""),
        ({"speakers-0-name": "", "speakers-0-topic": "Caption"}, 422, "narasumber perlu nama"),
    ],
)
def test_bad_trainings_change_nothing(client, auth, world, change, status, message):
    auth.login("koordinator@kominfo.test")
    data = {
        **training_form(client),
        "kind": "fgd",
        "title": "FGD Foto",
        "day": "2026-12-02",
        "start": "09:00",
        "end": "12:00",
        "timezone": "Asia/Jakarta",
        **change,
    }
    before = count(Training)
    response = client.post("/trainings/new", data=data)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert count(Training) == before


def test_a_mentor_writes_a_note_and_the_unit_sees_it_and_updates_its_rtl(
    app, client, auth, world, make
):
    post = make.item(world.satpol, "Caption daftar nama", on=date(2026, 10, 27))
    post.status = post.status.TAYANG
    db.session.commit()
    auth.login("koordinator@kominfo.test")
    path = f"/mentoring/notes/new?unit={world.bpbd.id}&training={world.fgd.id}"
    html = client.get(path).get_data(as_text=True)
    data = {
        "csrf_token": csrf_token_from(html),
        "creation_token": re.search(r'name="creation_token"[^>]*value="([^"]*)"', html).group(1),
        "noted_on": "2026-10-29",
        "to_improve": "Foto kurang tajam.",
        "next_follow_up": "2026-11-26",
        "actions-0-text": "Pakai tripod saat apel",
        "actions-0-owner": str(world.bpbd_admin.id),
        "actions-0-due_on": "2026-11-10",
    }
    response = client.post(path, data=data)
    assert response.status_code == 303 and response.location.endswith(
        f"/units/{world.bpbd.id}/mentoring"
    )
    note = db.session.scalar(sa.select(MentoringNote).where(MentoringNote.unit_id == world.bpbd.id))
    action = note.actions[0]
    assert (action.text, action.owner_id) == ("Pakai tripod saat apel", world.bpbd_admin.id)

    bpbd, bpbd_auth = signed_in(app, "admin@bpbd.test")
    page = bpbd.get(f"/units/{world.bpbd.id}/mentoring").get_data(as_text=True)
    assert "Foto kurang tajam." in page and "Pakai tripod saat apel" in page
    response = bpbd.post(
        f"/mentoring/actions/{action.id}/status",
        data={
            "csrf_token": csrf_token_from(page),
            "status": "selesai",
            "version": str(action.version),
        },
        headers=HX,
    )
    assert response.status_code == 200
    row = response.get_data(as_text=True)
    assert row.lstrip().startswith("<li") and "Selesai" in row
    db.session.expire_all()
    assert db.session.get(ActionItem, action.id).status == ActionStatus.SELESAI


@pytest.mark.parametrize(
    "change, message",
    [
        ({"actions-0-owner": "OWNER_OTHER_UNIT"}, "anggota aktif Satpol PP"),
        ({"actions-0-due_on": "2026-10-01"}, "sebelum pelatihan atau kunjungan"),
        ({"noted_on": "2026-13-01"}, ""),
        ({"to_improve": ""}, "Tuliskan minimal satu"),
    ],
)
def test_bad_notes_change_nothing(client, auth, world, change, message):
    auth.login("koordinator@kominfo.test")
    path = f"/mentoring/notes/new?unit={world.satpol.id}&training={world.fgd.id}"
    html = client.get(path).get_data(as_text=True)
    data = {
        "csrf_token": csrf_token_from(html),
        "noted_on": "2026-10-29",
        "to_improve": "Judul foto belum ada.",
        "actions-0-text": "Tambahkan judul pada foto",
        "actions-0-owner": str(world.satpol_admin.id),
        "actions-0-due_on": "2026-11-10",
        **change,
    }
    if data["actions-0-owner"] == "OWNER_OTHER_UNIT":
        data["actions-0-owner"] = str(world.bpbd_admin.id)
    before = (count(MentoringNote), count(ActionItem))
    response = client.post(path, data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert (count(MentoringNote), count(ActionItem)) == before


def test_a_note_for_a_unit_that_did_not_take_part_is_refused(client, auth, world):
    auth.login("koordinator@kominfo.test")
    path = f"/mentoring/notes/new?unit={world.dinkes.id}&training={world.fgd.id}"
    html = client.get(path).get_data(as_text=True)
    response = client.post(
        path,
        data={"csrf_token": csrf_token_from(html), "noted_on": "2026-10-29", "to_improve": "x"},
    )
    assert response.status_code == 422
    assert "tidak ikut pelatihan ini" in response.get_data(as_text=True)


def test_another_units_member_cannot_update_the_rtl(app, world):
    action = db.session.scalar(sa.select(ActionItem))
    client, auth = signed_in(app, "admin@bpbd.test")
    response = client.post(
        f"/mentoring/actions/{action.id}/status",
        data={"csrf_token": auth.csrf("/trainings"), "status": "selesai", "version": "1"},
    )
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(ActionItem, action.id).status == ActionStatus.TERBUKA


def test_the_coordinators_list_shows_overdue_rtl(client, auth, world):
    auth.login("koordinator@kominfo.test")
    html = client.get("/mentoring/actions").get_data(as_text=True)
    overdue = html[html.index("Terlambat") : html.index("Terbuka") if "Terbuka" in html else None]
    assert "Pakai templat judul pada foto" in overdue  # due 4 November; today is 23 November


def test_the_unit_page_shows_the_chart_with_its_numbers(client, auth, world):
    auth.login("admin@satpol.test")
    html = client.get(f"/units/{world.satpol.id}/mentoring?weeks=4").get_data(as_text=True)
    assert "<svg" in html and html.count("<rect") == 8
    assert 'data-figure="posts-before">0.0<' in html
    assert client.get(f"/units/{world.satpol.id}/mentoring?weeks=5").status_code == 400
    assert client.get(f"/units/{world.satpol.id}/mentoring?training=999").status_code == 404


def test_the_unit_page_runs_the_same_queries_for_1_and_10_notes(client, auth, world, count_queries):
    auth.login("admin@satpol.test")
    counts = []
    for total in (1, 10):
        while count(MentoringNote) < total:
            services.write_note(
                world.mentor,
                NoteFields(
                    unit=world.satpol,
                    training=world.fgd,
                    noted_on=date(2026, 11, 1),
                    went_well="Rutin",
                    actions=[ActionFields("Latihan", world.satpol_admin, date(2026, 11, 30))],
                ),
            )
            db.session.commit()
        with count_queries() as counter:
            assert client.get(f"/units/{world.satpol.id}/mentoring").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_materials_upload_and_download(client, auth, world, app):
    auth.login("koordinator@kominfo.test")
    html = client.get(f"/trainings/{world.fgd.id}").get_data(as_text=True)
    token = csrf_token_from(html)
    bad = client.post(
        f"/trainings/{world.fgd.id}/materials",
        data={"csrf_token": token, "title": "Virus", "file": (io.BytesIO(b"MZ\x90"), "materi.exe")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and "Hanya berkas PDF" in bad.get_data(as_text=True)
    good = client.post(
        f"/trainings/{world.fgd.id}/materials",
        data={
            "csrf_token": token,
            "title": "Slide FGD",
            "file": (io.BytesIO(b"%PDF-1.7 slide"), "slide fgd.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert good.status_code == 303
    material = world.fgd.materials[0]
    satpol, _auth = signed_in(app, "penulis@satpol.test")
    download = satpol.get(f"/materials/{material.id}")
    assert download.status_code == 200 and download.data == b"%PDF-1.7 slide"
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"].startswith(
        'attachment; filename="slide fgd.pdf"'
    )
    dinkes, _auth = signed_in(app, "admin@dinkes.test")
    assert dinkes.get(f"/materials/{material.id}").status_code == 404


def test_the_trainings_one_may_see_keep_every_training_the_rule_allows(app, world, make):
    """The calendar and the list ask the database only for trainings someone may see
    (`trainings_one_may_see`); each branch of `can_view_training` must stay among them: a
    participant, a participating unit, the organising unit — and no other: an inactive person,
    an inactive unit."""
    from calendarapp.accounts.models import Role
    from calendarapp.mentoring.models import Training
    from calendarapp.mentoring.permissions import can_view_training, trainings_one_may_see
    from calendarapp.mentoring.reads import trainings_by_day
    from calendarapp.timeutil import DateRange
    from tests.mentoring_world import training

    organised = training(world.mentor, [], "Kunjungan BPBD", organiser=world.bpbd)
    invited = training(world.mentor, [], "Bimtek video", participants=[world.dinkes_admin])
    closed = make.unit("Kecamatan Lama", "Kec. Lama")
    closed_admin = make.user("admin@lama.test", {closed: Role.ADMIN})
    training(world.mentor, [closed], "Klinik caption", organiser=closed)
    closed.active = False  # a unit closed since: its trainings are no longer its members'
    db.session.commit()
    people = [
        world.mentor, world.satpol_admin, world.satpol_writer, world.satpol_gone,
        world.bpbd_admin, world.dinkes_admin, closed_admin,
    ]  # fmt: skip
    allowed = {}
    for person in people:
        clause = trainings_one_may_see(person)
        query = sa.select(Training.id) if clause is None else sa.select(Training.id).where(clause)
        kept = set(db.session.scalars(query))
        everyone = db.session.scalars(sa.select(Training)).all()
        allowed[person.email] = {t.id for t in everyone if can_view_training(person, t)}
        assert allowed[person.email] <= kept, person.email
        assert allowed[person.email] == kept, person.email  # exactly: the calendar trusts it
        # the calendar's statement (built once, the person bound at each run) says the same
        days = [t.starts_at.date() for t in everyone]
        span = DateRange(min(days) - timedelta(days=1), max(days) + timedelta(days=1))
        on_days = {t.id for chips in trainings_by_day(person, span).values() for t in chips}
        assert on_days == allowed[person.email], person.email
    assert allowed["admin@bpbd.test"] == {world.fgd.id, organised.id}
    assert allowed["admin@dinkes.test"] == {invited.id}
    assert allowed["admin@satpol.test"] == {world.fgd.id}
    assert allowed["gone@satpol.test"] == set()
    assert allowed["admin@lama.test"] == set()
    listing, _auth = signed_in(app, "admin@dinkes.test")
    html = listing.get("/trainings").get_data(as_text=True)
    assert f'data-training-id="{invited.id}"' in html
    assert f'data-training-id="{world.fgd.id}"' not in html


def test_trainings_show_on_the_calendar_of_those_who_take_part(app, world):
    satpol, _auth = signed_in(app, "admin@satpol.test")
    html = satpol.get("/calendar/week?week=2026-W43").get_data(as_text=True)
    assert f'data-training-id="{world.fgd.id}"' in html and "FGD Pengelolaan" in html
    dinkes, _auth = signed_in(app, "admin@dinkes.test")
    html = dinkes.get("/calendar/month?month=2026-10").get_data(as_text=True)
    assert "data-training-id" not in html


def test_the_unit_sees_mentoring_feedback_on_the_post(app, world, make):
    post = make.item(world.satpol, "Caption daftar nama", on=date(2026, 10, 27))
    services.write_note(
        world.mentor,
        NoteFields(
            unit=world.satpol,
            training=world.fgd,
            noted_on=date(2026, 10, 28),
            to_improve="Caption ini hanya daftar nama.",
            items=[post],
        ),
    )
    db.session.commit()
    satpol, _auth = signed_in(app, "editor@satpol.test")
    html = satpol.get(f"/items/{post.id}").get_data(as_text=True)
    assert "Masukan pendampingan untuk unggahan ini" in html
    assert "Caption ini hanya daftar nama." in html


def test_a_note_cites_posts_with_what_they_did(app, world, make):
    """The note form offers the unit's posts with their figures, and the note shows them."""
    from datetime import UTC, datetime

    from calendarapp.performance.models import PostMetric
    from tests.monitoring_world import publish
    from tests.web.test_monitoring_followers import account

    post = publish(make, world.satpol, datetime(2026, 10, 26, 3, tzinfo=UTC), title="Razia PKL")
    quiet = publish(make, world.satpol, datetime(2026, 10, 27, 3, tzinfo=UTC), title="Apel pagi")
    instagram, facebook = account(world.satpol), account(world.satpol, Platform.FACEBOOK)
    for where, views, reach, likes in ((instagram, 1200, 800, 40), (facebook, 300, None, 6)):
        db.session.add(
            PostMetric(
                account=where, post_key=f"k{where.id}", published_at=post.posted_at, item=post,
                measured_on=date(2026, 11, 2), views=views, reach=reach, likes=likes, comments=2,
            )
        )  # fmt: skip
    db.session.commit()
    mentor, _auth = signed_in(app, world.mentor.email)
    form = mentor.get(f"/mentoring/notes/new?unit={world.satpol.id}&training={world.fgd.id}")
    html = form.get_data(as_text=True)
    assert "Razia PKL (1.500 tayangan · jangkauan 800 · 50 interaksi)" in html
    assert "Apel pagi (" not in html  # no export measured it
    services.write_note(
        world.mentor,
        NoteFields(unit=world.satpol, training=world.fgd, noted_on=date(2026, 11, 3),
                   went_well="Foto razia kuat.", items=[post, quiet]),
    )  # fmt: skip
    db.session.commit()
    satpol, _auth = signed_in(app, "editor@satpol.test")
    page = satpol.get(f"/units/{world.satpol.id}/mentoring").get_data(as_text=True)
    cited = re.findall(r"data-cited-figures>([^<]*)<", page)
    assert cited == ["1.500 tayangan · jangkauan 800 · 50 interaksi"]
