"""Papan Liputan and the agenda through the web: who sees what, the steps, htmx, bad input."""

from __future__ import annotations

import re
from datetime import date, time

import pytest
import sqlalchemy as sa

from calendarapp.content.models import ContentItem
from calendarapp.coverage import services
from calendarapp.coverage.models import AgendaEvent, CoverageRequest, Leader
from calendarapp.coverage.workflow import CoverageStatus
from calendarapp.extensions import db
from calendarapp.notifications.models import Notification
from tests.conftest import csrf_token_from, signed_in
from tests.coverage_world import build

HX = {"HX-Request": "true"}
S = CoverageStatus


@pytest.fixture
def world(make):
    return build(make)


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count(model.id)))


def request_form(client, event_id: int, **fields) -> dict:
    """The "request coverage" form of an event as its page renders it, with these answers."""
    html = client.get(f"/agenda/{event_id}").get_data(as_text=True)
    prefix = f"e{event_id}"
    data = {
        "csrf_token": csrf_token_from(html),
        f"{prefix}-creation_token": re.search(
            rf'name="{prefix}-creation_token"[^>]*value="([^"]+)"', html
        ).group(1),
        f"{prefix}-deliverable": "foto",
        f"{prefix}-due": "2026-11-26T15:00",
        f"{prefix}-instructions": "Foto Bupati bersama tenaga kesehatan.",
    }
    data.update({f"{prefix}-{k}": v for k, v in fields.items()})
    return data


# ---- who sees what ---------------------------------------------------------------------------


def test_the_calendar_reads_the_agenda_rule_from_sql_as_the_pages_do_from_objects(app, world):
    """The calendar asks one statement whether each person is involved in or invited to each
    event, and whether anyone covers it; every person must find there exactly what
    `agenda_access` (on the loaded requests and invitees) allows, in each visibility."""
    from calendarapp.accounts.models import User
    from calendarapp.coverage.models import Visibility
    from calendarapp.coverage.permissions import agenda_access
    from calendarapp.coverage.reads import agenda_by_day
    from calendarapp.timeutil import DateRange

    world.ask(world.audience, unit=world.pkm)  # restricted: PKM asked, Satpol invited
    taken = world.ask(world.briefing, person=world.nur)  # internal, a contributor picked
    taken.status = CoverageStatus.DITERIMA  # and she said yes: covered
    db.session.commit()
    events = db.session.scalars(
        sa.select(AgendaEvent).where(AgendaEvent.cancelled.is_(False))
    ).all()
    assert {e.visibility for e in events} == set(Visibility)
    days = DateRange(min(e.day for e in events), max(e.day for e in events))
    seen_kinds = set()
    for person in db.session.scalars(sa.select(User)).all():
        expected = {
            e.id: (access, e.covered)
            for e in events
            if (access := agenda_access(person, e)) is not None
        }
        found = {
            d.id: (d.access, d.covered)
            for entries in agenda_by_day(person, days).values()
            for d in entries
        }
        assert found == expected, person.email
        seen_kinds |= {access for access, _covered in found.values()}
    assert seen_kinds == {"full", "busy"}


def visible(client, path: str) -> int:
    return client.get(path).status_code


@pytest.mark.parametrize(
    "email, public, internal, restricted_title_shown",
    [
        ("prokopim@pemda.test", 200, 200, True),  # Prokopim keeps the agenda
        ("staf@pemda.test", 200, 200, True),  # a Prokopim editor too
        ("koordinator@pemda.test", 200, 200, False),  # sees a closed block only
        ("admin@satpol.test", 200, 404, True),  # invited to the restricted event
        ("admin@pkm.test", 200, 200, None),  # asked to cover the internal event only
        ("nur@pkm.test", 200, 404, None),  # not asked, not invited: restricted is hidden
        ("writer@satpol.test", 200, 404, None),
    ],
)
def test_who_sees_which_event(client, auth, world, email, public, internal, restricted_title_shown):
    world.ask(world.briefing, unit=world.pkm)  # the puskesmas is asked: its admin picks someone
    auth.login(email)
    assert visible(client, f"/agenda/{world.visit.id}") == public
    assert visible(client, f"/agenda/{world.briefing.id}") == internal
    response = client.get(f"/agenda/{world.audience.id}")
    html = response.get_data(as_text=True)
    if restricted_title_shown is None:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert ("Audiensi tokoh masyarakat" in html) is restricted_title_shown
        if not restricted_title_shown:
            assert "Agenda tertutup" in html


def test_the_calendar_shows_the_agenda_in_its_own_style_and_closed_blocks(client, auth, world):
    auth.login("koordinator@pemda.test")
    html = client.get("/calendar/week?week=2026-W48").get_data(as_text=True)
    assert f'data-agenda-id="{world.visit.id}"' in html
    assert "Kunjungan Bupati ke Puskesmas Sukamaju" in html
    assert f'data-agenda-id="{world.audience.id}"' in html
    assert "Audiensi tokoh masyarakat" not in html and "Agenda tertutup" in html
    # filtered to the Sekda, or hidden
    html = client.get("/calendar/week?week=2026-W48&agenda=sekda").get_data(as_text=True)
    assert f'data-agenda-id="{world.briefing.id}"' in html
    assert f'data-agenda-id="{world.visit.id}"' not in html
    html = client.get("/calendar/month?month=2026-11&agenda=none").get_data(as_text=True)
    assert "data-agenda-id" not in html
    assert client.get("/calendar/month?agenda=presiden").status_code == 400


def test_a_contributor_sees_public_events_but_not_internal_ones_on_the_calendar(
    client, auth, world
):
    auth.login("writer@satpol.test")
    html = client.get("/calendar/week?week=2026-W48").get_data(as_text=True)
    assert f'data-agenda-id="{world.visit.id}"' in html
    assert f'data-agenda-id="{world.briefing.id}"' not in html
    assert f'data-agenda-id="{world.audience.id}"' not in html


@pytest.mark.parametrize(
    "email, allowed",
    [
        ("prokopim@pemda.test", True),
        ("staf@pemda.test", True),
        ("koordinator@pemda.test", False),
        ("admin@pkm.test", False),
        ("nur@pkm.test", False),
    ],
)
def test_only_prokopim_enters_and_edits_the_agenda(client, auth, world, email, allowed):
    auth.login(email)
    expected = 200 if allowed else 404
    assert client.get("/agenda/new").status_code == expected
    assert client.get(f"/agenda/{world.visit.id}/edit").status_code == expected
    before = count(CoverageRequest)
    token = auth.csrf("/coverage")
    response = client.post(
        f"/agenda/{world.visit.id}/requests",
        data={
            "csrf_token": token,
            f"e{world.visit.id}-deliverable": "foto",
            f"e{world.visit.id}-target": f"p-{world.pkm.id}-{world.nur.id}",
            f"e{world.visit.id}-due": "2026-11-26T15:00",
        },
    )
    assert response.status_code == (303 if allowed else 404)
    assert count(CoverageRequest) == before + (1 if allowed else 0)


# ---- the road through the web ----------------------------------------------------------------


def test_prokopim_enters_an_event_without_javascript(client, auth, world):
    auth.login("prokopim@pemda.test")
    html = client.get("/agenda/new?date=2026-11-27").get_data(as_text=True)
    assert 'value="2026-11-27"' in html
    data = {
        "csrf_token": csrf_token_from(html),
        "creation_token": re.search(r'name="creation_token"[^>]*value="([^"]+)"', html).group(1),
        "unit": str(world.prokopim.id),
        "leader": "wakil_bupati",
        "title": "Dialog dengan pelaku UMKM",
        "place": "Gedung Serbaguna",
        "day": "2026-11-27",
        "start": "",
        "end": "",
        "timezone": "Asia/Jakarta",
        "visibility": "public",
        "notes": "Waktu menunggu konfirmasi ajudan.",
    }
    response = client.post("/agenda/new", data=data)
    assert response.status_code == 303
    again = client.post("/agenda/new", data=data)  # a double submit
    assert again.status_code == 303 and again.location == response.location
    event = db.session.scalar(sa.select(AgendaEvent).where(AgendaEvent.title.startswith("Dialog")))
    assert event.leader == Leader.WAKIL_BUPATI and event.time_tbc
    html = client.get(response.location).get_data(as_text=True)
    assert "Waktu menyusul" in html and "Gedung Serbaguna" in html


@pytest.mark.parametrize(
    "change, message",
    [
        ({"day": "2026-02-30"}, "Not a valid date value."),
        ({"start": "10:00", "end": ""}, "Isi jam mulai dan selesai"),
        ({"start": "10:00", "end": "09:00"}, "Jam selesai harus setelah jam mulai"),
        ({"title": "x" * 201}, ""),
        ({"timezone": "Europe/Paris"}, ""),
        ({"unit": "999999"}, None),  # another unit's id: not there
    ],
)
def test_bad_events_are_refused_with_a_message(client, auth, world, change, message):
    auth.login("prokopim@pemda.test")
    html = client.get("/agenda/new").get_data(as_text=True)
    data = {
        "csrf_token": csrf_token_from(html),
        "unit": str(world.prokopim.id),
        "leader": "bupati",
        "title": "Peresmian jembatan",
        "day": "2026-11-27",
        "start": "08:00",
        "end": "09:00",
        "timezone": "Asia/Jakarta",
        "visibility": "public",
        **change,
    }
    before = count(AgendaEvent)
    response = client.post("/agenda/new", data=data)
    assert count(AgendaEvent) == before
    if message is None:
        assert response.status_code == 404
        return
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and 'class="field-errors"' in body or "form-error" in body
    if message and message != "Not a valid date value.":
        assert message in body


def test_request_accept_deliver_and_turn_into_an_item(app, client, auth, world):
    auth.login("prokopim@pemda.test")
    data = request_form(client, world.visit.id, target=f"p-{world.pkm.id}-{world.nur.id}")
    assert client.post(f"/agenda/{world.visit.id}/requests", data=data).status_code == 303
    assert client.post(f"/agenda/{world.visit.id}/requests", data=data).status_code == 303
    assert count(CoverageRequest) == 1  # the double submit found the first
    request = db.session.scalar(sa.select(CoverageRequest))

    keeper = client
    client, auth = signed_in(app, "nur@pkm.test")
    html = client.get("/tasks").get_data(as_text=True)
    assert f'data-request-id="{request.id}"' in html
    assert "meminta Anda meliput" in client.get("/notifications").get_data(as_text=True)
    token = auth.csrf("/coverage")
    step = {"csrf_token": token, "target": "diterima", "version": "1"}
    assert client.post(f"/coverage/requests/{request.id}/step", data=step).status_code == 303
    empty = {"csrf_token": token, "target": "diserahkan", "version": "2", "links": " "}
    response = client.post(f"/coverage/requests/{request.id}/step", data=empty)
    assert response.status_code == 422
    assert "minimal satu tautan" in response.get_data(as_text=True)
    deliver = dict(empty, links="https://drive.example.org/kunjungan", note="12 foto.")
    assert client.post(f"/coverage/requests/{request.id}/step", data=deliver).status_code == 303

    client = keeper
    html = client.get(f"/agenda/{world.visit.id}").get_data(as_text=True)
    assert "https://drive.example.org/kunjungan" in html
    assert "Buat konten untuk Prokopim" in html
    token = csrf_token_from(html)
    make_item = {"csrf_token": token, "unit": str(world.prokopim.id), "creation_token": "x-1"}
    response = client.post(f"/coverage/requests/{request.id}/item", data=make_item)
    assert response.status_code == 303
    item = db.session.scalar(sa.select(ContentItem))
    assert response.location.endswith(f"/items/{item.id}")
    assert client.post(f"/coverage/requests/{request.id}/item", data=make_item).status_code == 303
    assert count(ContentItem) == 1
    item_page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "Dari liputan" in item_page and f"/agenda/{world.visit.id}" in item_page
    agenda_page = client.get(f"/agenda/{world.visit.id}").get_data(as_text=True)
    assert f"/items/{item.id}" in agenda_page


def test_the_board_swaps_one_card_with_htmx(client, auth, world):
    request = world.ask(world.visit, unit=world.pkm)
    auth.login("admin@pkm.test")
    token = auth.csrf("/coverage")
    response = client.post(
        f"/coverage/requests/{request.id}/assign",
        data={
            "csrf_token": token,
            f"r{request.id}-person": str(world.sari.id),
            f"r{request.id}-version": str(request.version),
        },
        headers={**HX, "HX-Target": f"event-{world.visit.id}"},
    )
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "coverageChanged"
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith("<article") and f'id="event-{world.visit.id}"' in html
    assert "Sari (PKM Sukamaju)" in html
    db.session.expire_all()
    assert db.session.get(CoverageRequest, request.id).assignee_id == world.sari.id


def test_another_units_admin_cannot_assign_through_the_web(client, auth, world):
    request = world.ask(world.visit, unit=world.pkm)
    auth.login("admin@satpol.test")
    response = client.post(
        f"/coverage/requests/{request.id}/assign",
        data={
            "csrf_token": auth.csrf("/coverage"),
            f"r{request.id}-person": str(world.satpol_writer.id),
            f"r{request.id}-version": str(request.version),
        },
        headers={**HX, "HX-Target": f"event-{world.visit.id}"},
    )
    assert response.status_code == 409
    assert "Hanya Prokopim atau admin unit" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(CoverageRequest, request.id).assignee_id is None


def test_accepting_a_request_given_to_someone_else_is_refused(client, auth, world):
    request = world.ask(world.visit, person=world.nur)
    services.assign(request, world.keeper, world.sari, request.version)
    db.session.commit()
    auth.login("nur@pkm.test")
    response = client.post(
        f"/coverage/requests/{request.id}/step",
        data={"csrf_token": auth.csrf("/coverage"), "target": "diterima", "version": "2"},
    )
    # she no longer sees a request of an event... the visit is public, so she does: refused
    assert response.status_code == 422
    assert "dialihkan ke orang lain" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(CoverageRequest, request.id).status == S.DIMINTA


def test_a_request_for_a_past_event_is_refused(client, auth, world):
    auth.login("prokopim@pemda.test")
    data = request_form(
        client, world.yesterday.id, target=f"u-{world.pkm.id}", due="2026-11-22T12:00"
    )
    response = client.post(f"/agenda/{world.yesterday.id}/requests", data=data)
    assert response.status_code == 422
    assert "sudah lewat" in response.get_data(as_text=True)
    assert count(CoverageRequest) == 0


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"target": "p-1-999999"}, "Pilih unit atau orang."),
        ({"target": "u-abc"}, "Pilih unit atau orang."),
        ({"due": "2026-11-29T12:00"}, "dua hari setelah acara"),
        ({"due": "2026-11-26T07:00"}, "sebelum acara dimulai"),
        ({"due": "kemarin"}, "Not a valid datetime value."),
        ({"instructions": "x" * 5001}, ""),
    ],
)
def test_bad_requests_change_nothing(client, auth, world, fields, message):
    auth.login("prokopim@pemda.test")
    data = request_form(client, world.visit.id, **{"target": f"u-{world.pkm.id}", **fields})
    response = client.post(
        f"/agenda/{world.visit.id}/requests",
        data=data,
        headers={**HX, "HX-Target": f"event-{world.visit.id}"},
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Traceback" not in body
    if message and not message.startswith("Not a valid"):
        assert message in body
    assert count(CoverageRequest) == 0


def test_a_state_change_needs_the_csrf_token(client, auth, world):
    request = world.ask(world.visit, person=world.nur)
    auth.login("nur@pkm.test")
    response = client.post(
        f"/coverage/requests/{request.id}/step", data={"target": "diterima", "version": "1"}
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(CoverageRequest, request.id).status == S.DIMINTA


def test_an_expired_session_on_the_board_sends_htmx_to_the_login(client, world):
    response = client.get("/coverage", headers=HX)
    assert response.status_code == 204 and "/login" in response.headers["HX-Redirect"]


@pytest.mark.parametrize(
    "query",
    [
        "/coverage?start=2026-13-01",
        "/coverage?days=0",
        "/coverage?days=x",
        "/coverage?leader=raja",
        "/coverage/roster?day=besok",
        "/agenda/99999999999",
    ],
)
def test_malformed_board_addresses_get_a_friendly_page(client, auth, world, query):
    auth.login("prokopim@pemda.test")
    response = client.get(query)
    assert response.status_code in (400, 404)
    assert "Traceback" not in response.get_data(as_text=True)


# ---- the board, the pool and the roster -------------------------------------------------------


def test_the_board_highlights_what_nobody_covers(client, auth, world):
    accepted = world.ask(world.visit, person=world.nur)
    services.transition(accepted, S.DITERIMA, world.nur, version=accepted.version)
    world.ask(world.briefing, unit=world.pkm)  # asked, nobody said yes yet
    db.session.commit()
    auth.login("prokopim@pemda.test")
    html = client.get("/coverage?start=2026-11-23").get_data(as_text=True)
    found = re.findall(r'<article class="([^"]*)"\s+id="event-(\d+)"', html)
    by_id = {int(event_id): classes for classes, event_id in found}
    assert "uncovered" not in by_id[world.visit.id]
    assert "uncovered" in by_id[world.briefing.id]
    assert "uncovered" in by_id[world.audience.id]
    assert 'data-uncovered="2"' in html
    # the pool: Nur carries one request this week
    pool = re.search(r'<aside class="card pool".*?</aside>', html, re.S).group(0)
    assert re.search(
        rf'data-user-id="{world.nur.id}"><td>Nur Aini</td><td>PKM Sukamaju</td><td>1<', pool
    )
    # filtered by leader
    html = client.get("/coverage?start=2026-11-23&leader=sekda").get_data(as_text=True)
    assert f'id="event-{world.briefing.id}"' in html and f'id="event-{world.visit.id}"' not in html


def test_the_board_runs_the_same_queries_for_3_and_30_events(client, auth, world, count_queries):
    auth.login("prokopim@pemda.test")
    counts = []
    for total in (3, 30):
        while count(AgendaEvent) < total + 4:
            n = count(AgendaEvent)
            hour = 7 + n % 9
            event = world.event(
                f"Agenda {n}", day=date(2026, 11, 24 + n % 6), start=time(hour), end=time(hour + 1)
            )
            world.ask(event, person=world.nur)
            world.ask(event, unit=world.satpol)
        with count_queries() as counter:
            response = client.get("/coverage?start=2026-11-23")
        assert response.status_code == 200
        assert response.get_data(as_text=True).count('class="card event-card') >= total
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_the_month_view_runs_the_same_queries_for_3_and_30_events(
    client, auth, world, count_queries
):
    auth.login("koordinator@pemda.test")
    counts = []
    for total in (3, 30):
        while count(AgendaEvent) < total + 4:
            n = count(AgendaEvent)
            event = world.event(f"Agenda {n}", day=date(2026, 11, 1 + n % 28))
            if event.day > date(2026, 11, 23):  # past events cannot be asked for
                world.ask(event, unit=world.satpol)
        with count_queries() as counter:
            response = client.get("/calendar/month?month=2026-11")
        assert response.get_data(as_text=True).count("data-agenda-id=") >= total
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_the_whatsapp_roster_is_plain_text_without_restricted_events(client, auth, world):
    accepted = world.ask(world.visit, person=world.nur)
    services.transition(accepted, S.DITERIMA, world.nur, version=accepted.version)
    world.ask(world.visit, unit=world.satpol)
    db.session.commit()
    auth.login("prokopim@pemda.test")
    html = client.get("/coverage/roster?day=2026-11-26").get_data(as_text=True)
    text = re.search(r'<textarea id="roster-text"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert text.startswith("*Jadwal liputan, Kamis, 26 November 2026*")
    assert "*Kunjungan Bupati ke Puskesmas Sukamaju* (Bupati)" in text
    assert "09.30–11.30 WIB · Puskesmas Sukamaju" in text
    assert "Foto: Nur Aini (PKM Sukamaju) · Diterima" in text
    assert "Foto: Satpol PP (petugas belum dipilih) · Diminta" in text
    assert "https://wa.me/?text=%2AJadwal%20liputan" in html
    html = client.get("/coverage/roster?day=2026-11-24").get_data(as_text=True)
    assert "Audiensi" not in html and "1 agenda tertutup tidak disertakan." in html


def test_notifications_link_to_the_event(client, auth, world):
    request = world.ask(world.visit, person=world.nur)
    services.transition(request, S.DITERIMA, world.nur, version=request.version)
    db.session.commit()
    auth.login("prokopim@pemda.test")
    html = client.get("/notifications").get_data(as_text=True)
    assert "Nur Aini bersedia meliput" in html
    assert f'href="/agenda/{world.visit.id}"' in html
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 2


def test_cancelling_an_event_through_the_web(client, auth, world):
    request = world.ask(world.visit, person=world.nur)
    auth.login("prokopim@pemda.test")
    html = client.get(f"/agenda/{world.visit.id}").get_data(as_text=True)
    token = csrf_token_from(html)
    version = re.search(r'name="version"[^>]*value="(\d+)"', html).group(1)
    response = client.post(
        f"/agenda/{world.visit.id}/cancel", data={"csrf_token": token, "version": version}
    )
    assert response.status_code == 422
    response = client.post(
        f"/agenda/{world.visit.id}/cancel",
        data={"csrf_token": token, "version": version, "note": "Jadwal berubah."},
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(CoverageRequest, request.id).status == S.DIBATALKAN
    assert db.session.get(AgendaEvent, world.visit.id).cancelled


def test_the_boards_request_form_loads_when_a_card_opens_it(app, client, auth, world):
    auth.login("prokopim@pemda.test")
    board = client.get("/coverage?start=2026-11-23").get_data(as_text=True)
    assert f"p-{world.pkm.id}-{world.nur.id}" not in board  # no people lists in every card
    path = f"/agenda/{world.visit.id}/request-form"
    assert f'hx-get="{path}"' in board
    form = client.get(path, headers=HX).get_data(as_text=True)
    assert f'value="p-{world.pkm.id}-{world.nur.id}"' in form
    assert "Nur Aini · PKM Sukamaju · 0 pekan ini" in form
    inactive = f'value="p-{world.pkm.id}-{world.gone.id}"'
    assert inactive not in form  # inactive people are not offered
    without_js = client.get(path)
    assert without_js.status_code == 303 and without_js.location.endswith("#request")
    other, _auth = signed_in(app, "admin@pkm.test")
    assert other.get(path, headers=HX).status_code == 404


def test_editing_an_event_from_a_stale_page_is_refused(client, auth, world):
    auth.login("prokopim@pemda.test")
    html = client.get(f"/agenda/{world.visit.id}/edit").get_data(as_text=True)
    data = {
        "csrf_token": csrf_token_from(html),
        "version": re.search(r'name="version"[^>]*value="(\d+)"', html).group(1),
        "unit": str(world.prokopim.id),
        "leader": "bupati",
        "title": "Kunjungan Bupati ke Puskesmas Sukamaju (diundur)",
        "place": "Puskesmas Sukamaju",
        "day": "2026-11-27",
        "start": "09:30",
        "end": "11:30",
        "timezone": "Asia/Jakarta",
        "visibility": "public",
    }
    assert client.post(f"/agenda/{world.visit.id}/edit", data=data).status_code == 303
    db.session.expire_all()
    assert db.session.get(AgendaEvent, world.visit.id).day == date(2026, 11, 27)
    stale = client.post(f"/agenda/{world.visit.id}/edit", data=dict(data, title="Versi lama"))
    assert stale.status_code == 409
    assert "Orang lain telah mengubahnya" in stale.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(AgendaEvent, world.visit.id).title.endswith("(diundur)")


def test_a_new_event_takes_the_zone_of_the_chosen_unit(client, auth, world, make):
    """Issue 13: a new agenda event defaulted to WIB while the chosen unit was in WITA."""
    from calendarapp.accounts.models import Role
    from calendarapp.accounts.services import add_membership

    timur = make.unit(
        "Bagian Prokopim Wilayah Timur", "Prokopim Timur", "Asia/Makassar",
        coordinates_coverage=True,
    )  # fmt: skip
    add_membership(world.keeper, timur, Role.ADMIN)
    db.session.commit()
    auth.login("prokopim@pemda.test")
    html = client.get(f"/agenda/new?unit={timur.id}").get_data(as_text=True)
    assert re.search(
        r'<option selected value="Asia/Makassar">|value="Asia/Makassar" selected', html
    )
    zones = re.search(r"data-zones=\"([^\"]+)\"", html).group(1).replace("&#34;", '"')
    assert (
        f'"{timur.id}": "Asia/Makassar"' in zones
        and f'"{world.prokopim.id}": "Asia/Jakarta"' in zones
    )
    assert (
        client.get(f"/agenda/new?unit={world.satpol.id}").status_code == 404
    )  # not an agenda unit
    assert client.get("/agenda/new?unit=abc").status_code == 404
    assert client.get("/agenda/new?unit=99999999999").status_code == 404
