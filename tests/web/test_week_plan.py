"""Rencana Pekan Ini and recurring slots through the web."""

from __future__ import annotations

import re
from datetime import date, time

import pytest
import sqlalchemy as sa

from calendarapp.accounts.models import Role, User
from calendarapp.content.models import ContentFormat, ContentItem, Platform, Theme
from calendarapp.extensions import db
from calendarapp.planning import slots
from calendarapp.planning.models import Frequency, Slot, SlotFill
from tests.conftest import csrf_token_from, signed_in


@pytest.fixture
def team(make):
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP", weekly_target=4)
    bpbd = make.unit("Badan Penanggulangan Bencana Daerah", "BPBD")
    admin = make.user("admin@satpol.test", {satpol: Role.ADMIN})
    make.user("penulis@satpol.test", {satpol: Role.CONTRIBUTOR})
    make.user("admin@bpbd.test", {bpbd: Role.ADMIN})
    make.user("koordinator@kominfo.test", coordinator=True)
    pillar = Theme(unit=satpol, name="Info Layanan", color="#2563eb", intended_share=60)
    other_pillar = Theme(unit=bpbd, name="Siaga", color="#f97316")
    db.session.add_all([pillar, other_pillar])
    db.session.commit()
    slot = slots.save_slot(
        satpol,
        admin,
        slots.SlotFields(
            title="",
            format=ContentFormat.FOTO,
            weekdays=["MO", "WE"],
            frequency=Frequency.WEEKLY,
            starts_on=date(2026, 11, 2),
            at=time(9),
            pillar=pillar,
            platforms=[Platform.INSTAGRAM],
        ),
    )
    db.session.commit()
    return {
        "satpol": satpol,
        "bpbd": bpbd,
        "admin": admin,
        "slot": slot,
        "other_pillar": other_pillar,
    }


def test_the_week_shows_slots_and_gaps_and_one_click_fills_a_slot(client, auth, team):
    auth.login("admin@satpol.test")
    page = client.get("/plan/week?week=2026-W48").get_data(as_text=True)
    assert page.count("slot-empty") == 2
    assert "0 direncanakan dari target 4 per pekan" in page and "0 dari 2 slot terisi" in page
    response = client.post(
        "/plan/fill",
        data={
            "csrf_token": csrf_token_from(page),
            "unit": str(team["satpol"].id),
            "slot": str(team["slot"].id),
            "day": "2026-11-25",
        },
    )
    assert response.status_code == 303
    item = db.session.scalar(sa.select(ContentItem))
    assert response.location.endswith(f"/items/{item.id}")
    assert item.title == "Info Layanan" and item.local_day() == date(2026, 11, 25)
    page = client.get("/plan/week?week=2026-W48").get_data(as_text=True)
    assert page.count("slot-empty") == 1 and "1 dari 2 slot terisi" in page
    assert f'data-item-id="{item.id}"' in page


def test_a_contributor_and_another_unit_cannot_fill(app, team):
    data = {"unit": str(team["satpol"].id), "slot": str(team["slot"].id), "day": "2026-11-23"}
    writer, auth = signed_in(app, "penulis@satpol.test")
    html = writer.get("/plan/week").get_data(as_text=True)
    assert "slot-empty" in html and "/plan/fill" not in html  # sees the gaps, cannot fill them
    assert (
        writer.post("/plan/fill", data={**data, "csrf_token": auth.csrf("/plan/week")}).status_code
        == 404
    )
    other, auth = signed_in(app, "admin@bpbd.test")
    assert other.get(f"/plan/week?unit={team['satpol'].id}").status_code == 404
    response = other.post("/plan/fill", data={**data, "csrf_token": auth.csrf("/plan/week")})
    assert response.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(SlotFill.id))) == 0


def test_a_day_the_slot_does_not_fall_on_is_refused(client, auth, team):
    auth.login("admin@satpol.test")
    page = client.get("/plan/week").get_data(as_text=True)
    response = client.post(
        "/plan/fill",
        data={
            "csrf_token": csrf_token_from(page),
            "unit": str(team["satpol"].id),
            "slot": str(team["slot"].id),
            "day": "2026-11-24",
        },
    )
    assert response.status_code == 422
    assert "tidak jatuh pada hari itu" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(ContentItem.id))) == 0


@pytest.mark.parametrize(
    "change, status, message",
    [
        ({"weekdays": []}, 422, "Pilih minimal satu hari"),
        ({"at": "25:00"}, 422, ""),
        ({"starts_on": "2026-11-10", "ends_on": "2026-11-01"}, 422, "sebelum hari pertama"),
        ({"pillar": "OTHER"}, 404, ""),
        ({"assignee": "OTHER"}, 422, "Hanya anggota unit ini yang dapat ditugaskan"),
        ({"assignee_role": "penyanyi"}, 422, ""),
    ],
)
def test_bad_slots_change_nothing(client, auth, team, change, status, message):
    auth.login("admin@satpol.test")
    page = client.get(f"/plan/slots?unit={team['satpol'].id}").get_data(as_text=True)
    data = {
        "csrf_token": csrf_token_from(page),
        "title": "Edukasi Perda",
        "weekdays": ["WE"],
        "at": "13:00",
        "format": "foto",
        "frequency": "weekly",
        "starts_on": "2026-11-02",
        **change,
    }
    if data.get("pillar") == "OTHER":
        data["pillar"] = str(team["other_pillar"].id)
    if data.get("assignee") == "OTHER":
        other = db.session.scalar(sa.select(User).where(User.email == "admin@bpbd.test"))
        data["assignee"] = str(other.id)
    response = client.post(f"/plan/slots?unit={team['satpol'].id}", data=data)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Slot.id))) == 1


def test_the_week_plan_runs_the_same_queries_for_few_and_many_slots_and_items(
    client, auth, team, count_queries, make
):
    auth.login("admin@satpol.test")
    counts = []
    for total in (1, 10):
        while db.session.scalar(sa.select(sa.func.count(Slot.id))) < total:
            slots.save_slot(
                team["satpol"],
                team["admin"],
                slots.SlotFields(
                    title="Ekstra",
                    format=ContentFormat.FOTO,
                    weekdays=["TU", "TH"],
                    frequency=Frequency.WEEKLY,
                    starts_on=date(2026, 11, 2),
                ),
            )
            make.item(team["satpol"], "Konten pekan ini", on=date(2026, 11, 24))
            db.session.commit()
        with count_queries() as counter:
            assert client.get("/plan/week?week=2026-W48").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_empty_slots_show_on_the_calendar_until_filled(client, auth, team):
    auth.login("admin@satpol.test")
    html = client.get("/calendar/week?week=2026-W48").get_data(as_text=True)
    assert html.count(f'data-slot-id="{team["slot"].id}"') == 2  # Monday and Wednesday
    assert "Slot kosong: Info Layanan" in html
    slots.fill(team["slot"], date(2026, 11, 23), team["admin"])
    slots.skip(team["slot"], date(2026, 11, 25), team["admin"])
    db.session.commit()
    html = client.get("/calendar/week?week=2026-W48").get_data(as_text=True)
    assert f'data-slot-id="{team["slot"].id}"' not in html
    month = client.get("/calendar/month?month=2026-12").get_data(as_text=True)
    assert month.count(f'data-slot-id="{team["slot"].id}"') >= 8  # Mondays and Wednesdays
    filtered = client.get("/calendar/month?month=2026-12&status=ide").get_data(as_text=True)
    assert "data-slot-id" not in filtered


def _edit_data(page: str, version: str = "1", **change) -> dict:
    return {
        "csrf_token": csrf_token_from(page),
        "version": version,
        "title": "Info Layanan",
        "weekdays": ["MO", "WE"],
        "at": "09:00",
        "format": "foto",
        "frequency": "weekly",
        "platforms": ["instagram"],
        "starts_on": "2026-11-02",
        **change,
    }


def test_an_admin_changes_a_slots_days_from_today_on(client, auth, team):
    auth.login("admin@satpol.test")
    slot_id = team["slot"].id
    listing = client.get(f"/plan/slots?unit={team['satpol'].id}").get_data(as_text=True)
    assert f"/plan/slots/{slot_id}/edit" in listing
    page = client.get(f"/plan/slots/{slot_id}/edit").get_data(as_text=True)
    assert '<input checked id="weekdays-0" name="weekdays" type="checkbox" value="MO">' in page
    assert '<input id="version" name="version" type="hidden" value="1">' in page
    writer = db.session.scalar(sa.select(User).where(User.email == "penulis@satpol.test"))
    response = client.post(
        f"/plan/slots/{slot_id}/edit",
        data=_edit_data(
            page, weekdays=["TU", "TH"], title="Info Layanan Baru", assignee=str(writer.id)
        ),
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Slot berubah mulai Senin, 23 November 2026" in html
    assert "Info Layanan Baru" in html and "berakhir" in html
    assert db.session.scalar(sa.select(sa.func.count(Slot.id))) == 2
    week = client.get("/plan/week?week=2026-W48").get_data(as_text=True)
    assert week.count("slot-empty") == 2 and "Info Layanan Baru" in week  # Tuesday and Thursday
    assert f"→ {writer.name}" in week
    last = client.get("/plan/week?week=2026-W47").get_data(as_text=True)
    assert last.count("slot-empty") == 2 and "Info Layanan Baru" not in last  # as it was


def test_a_stale_or_foreign_slot_change_changes_nothing(app, client, auth, team):
    auth.login("admin@satpol.test")
    slot_id = team["slot"].id
    page = client.get(f"/plan/slots/{slot_id}/edit").get_data(as_text=True)
    assert (
        client.post(f"/plan/slots/{slot_id}/edit", data=_edit_data(page, title="A")).status_code
        == 303
    )
    stale = client.post(f"/plan/slots/{slot_id}/edit", data=_edit_data(page, title="B"))
    assert stale.status_code == 409
    assert "Orang lain sudah mengubah slot ini" in stale.get_data(as_text=True)
    assert 'id="saved-slot">Tersimpan sekarang: <strong>A</strong> · Senin, Rabu · 09.00 WIB' in (
        stale.get_data(as_text=True)
    )
    assert (
        client.post(f"/plan/slots/{slot_id}/edit", data=_edit_data(page, version="x")).status_code
        == 400
    )
    other_pillar = _edit_data(page, version="2", pillar=str(team["other_pillar"].id))
    assert client.post(f"/plan/slots/{slot_id}/edit", data=other_pillar).status_code == 404
    for email in ("admin@bpbd.test", "penulis@satpol.test"):
        other, other_auth = signed_in(app, email)
        assert other.get(f"/plan/slots/{slot_id}/edit").status_code == 404
        token = other_auth.csrf("/plan/week")
        response = other.post(
            f"/plan/slots/{slot_id}/edit",
            data={**_edit_data(page, version="2", title="C"), "csrf_token": token},
        )
        assert response.status_code == 404
    db.session.expire_all()
    assert (team["slot"].title, team["slot"].version) == ("A", 2)
    assert client.get("/plan/slots/99999999999/edit").status_code == 404


def test_an_item_moved_off_its_slots_day_shows_on_its_new_day(client, auth, team):
    from calendarapp.content import services as content

    item = slots.fill(team["slot"], date(2026, 11, 25), team["admin"])
    db.session.commit()
    content.move_item(item, team["admin"], item.version, date(2026, 11, 26))
    db.session.commit()
    auth.login("admin@satpol.test")
    page = client.get("/plan/week?week=2026-W48").get_data(as_text=True)
    wednesday = page[page.index('data-date="2026-11-25"') : page.index('data-date="2026-11-26"')]
    thursday = page[page.index('data-date="2026-11-26"') : page.index('data-date="2026-11-27"')]
    assert 'data-moved-to="2026-11-26"' in wednesday and "dipindah ke Kamis" in wednesday
    assert f'data-item-id="{item.id}"' in thursday
    assert "0 dari 2 slot terisi" in page


def test_a_kept_week_carries_the_csrf_token_of_the_sign_in_looking(app, team, count_queries):
    """The week is kept between looks (calendarapp/kept.py), yet each sign-in's forms carry its
    own token: the admin's laptop skips a slot from the week its phone's look left kept."""
    week = f"/plan/week?week=2026-W48&unit={team['satpol'].id}"
    phone, _ = signed_in(app, "admin@satpol.test")
    laptop, _ = signed_in(app, "admin@satpol.test")
    assert phone.get(week).status_code == 200
    with count_queries() as look:
        page = laptop.get(week).get_data(as_text=True)
    assert look.count <= 3  # the sign-in and the serial: the phone's grid answered
    grid = page[page.index('id="week-plan"') :]
    skip_form = grid[grid.index('action="/plan/skip"') :]
    token = re.search(r'name="csrf_token" value="([^"]+)"', skip_form).group(1)
    assert token == csrf_token_from(page)  # the page's own, not the phone's nor a mark
    response = laptop.post(
        "/plan/skip",
        data={
            "csrf_token": token,
            "unit": str(team["satpol"].id),
            "slot": str(team["slot"].id),
            "day": "2026-11-25",
        },
    )
    assert response.status_code == 303
    assert db.session.scalar(sa.select(SlotFill.skipped)) is True
    assert phone.get(week).get_data(as_text=True).count("slot-skipped") == 1
