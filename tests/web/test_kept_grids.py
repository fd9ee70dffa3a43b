"""Calendar grids kept while the calendar serial stands (calendarapp/kept.py): a repeat look is
answered without reading the calendar again, and anything that changes what a grid shows —
through a form, a bulk statement, a slot, a person's rights, the language, the day — is seen on
the very next look."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from calendarapp import clock
from calendarapp.accounts.models import Membership, Role
from calendarapp.content.models import ContentFormat, ContentItem, Theme
from calendarapp.extensions import db
from calendarapp.planning import slots
from calendarapp.planning.models import Frequency, Slot
from tests.conftest import NOW, csrf_token_from

MONTH = "/calendar/month?month=2026-11"


@pytest.fixture
def region(make):
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    bpbd = make.unit("Badan Penanggulangan Bencana Daerah", "BPBD")
    make.user("koordinator@demo.test", coordinator=True)
    admin = make.user("admin.satpolpp@demo.test", {satpol: Role.ADMIN})
    make.user("kontributor.bpbd@demo.test", {bpbd: Role.CONTRIBUTOR})
    return {"satpol": satpol, "bpbd": bpbd, "admin": admin}


def _day(html: str, day: str) -> str:
    start = html.index(f'data-date="{day}"')
    return html[start : html.index("</li>\n", html.index('class="chips"', start))]


@pytest.mark.parametrize(
    "address",
    [
        MONTH,
        "/calendar/week?week=2026-W48",
        "/calendar/list?month=2026-11",
        "/calendar/board",
        "/plan/week?week=2026-W48&unit={satpol}",
    ],
)
def test_a_repeat_look_reads_only_the_serial_and_answers_the_same(
    client, auth, region, make, count_queries, address
):
    make.item(region["satpol"], "Patroli pasar", at=datetime(2026, 11, 25, 2, tzinfo=UTC))
    address = address.format(satpol=region["satpol"].id)
    auth.login("koordinator@demo.test")
    with count_queries() as first_look:
        first = client.get(address)
    with count_queries() as repeat:
        again = client.get(address)
    assert first.status_code == again.status_code == 200
    assert "Patroli pasar" in again.get_data(as_text=True)
    # the whole page is rendered again around the kept grid: only the csrf token may differ
    token = re.compile(r"[A-Za-z0-9._-]{40,}")
    assert token.sub("", first.get_data(as_text=True)) == token.sub(
        "", again.get_data(as_text=True)
    )
    # the sign-in's session and person, then the serial: no calendar query
    assert repeat.count <= 3 < first_look.count


def test_a_change_through_a_form_shows_on_the_next_look(client, auth, region, make):
    item = make.item(region["satpol"], "Patroli pasar", at=datetime(2026, 11, 25, 2, tzinfo=UTC))
    auth.login("admin.satpolpp@demo.test")
    page = client.get(MONTH).get_data(as_text=True)
    assert "Patroli pasar" in _day(page, "2026-11-25")
    moved = client.post(
        "/calendar/move",
        data={"item": item.id, "date": "2026-11-27", "version": item.version},
        headers={"HX-Request": "true", "X-CSRFToken": csrf_token_from(page)},
    )
    assert moved.status_code == 200
    # the calendar's own refresh after a move is an htmx request for the grid alone
    grid = client.get(MONTH, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in grid
    assert "Patroli pasar" in _day(grid, "2026-11-27")
    assert "Patroli pasar" not in _day(grid, "2026-11-25")


def test_a_bulk_statement_and_a_slot_move_the_serial_too(client, auth, region, make):
    item = make.item(region["satpol"], "Patroli pasar", at=datetime(2026, 11, 25, 2, tzinfo=UTC))
    auth.login("admin.satpolpp@demo.test")
    assert "Patroli pasar" in client.get(MONTH).get_data(as_text=True)
    db.session.execute(
        sa.update(ContentItem).where(ContentItem.id == item.id).values(title="Razia malam")
    )
    db.session.commit()
    page = client.get(MONTH).get_data(as_text=True)
    assert "Razia malam" in page and "Patroli pasar" not in page

    pillar = Theme(unit=region["satpol"], name="Info Layanan", color="#2563eb")
    db.session.add(pillar)
    slot = slots.save_slot(
        region["satpol"],
        region["admin"],
        slots.SlotFields(
            title="Sapa warga",
            format=ContentFormat.FOTO,
            weekdays=["MO"],
            frequency=Frequency.WEEKLY,
            starts_on=date(2026, 11, 2),
            at=time(9),
            pillar=pillar,
            platforms=[],
        ),
    )
    db.session.commit()
    page = client.get(MONTH).get_data(as_text=True)
    assert "Sapa warga" in _day(page, "2026-11-30")
    db.session.execute(sa.update(Slot).where(Slot.id == slot.id).values(title="Sapa pagi"))
    db.session.commit()
    page = client.get(MONTH).get_data(as_text=True)
    assert "Sapa pagi" in _day(page, "2026-11-30") and "Sapa warga" not in page


def test_each_viewer_has_their_own_grid_and_losing_a_unit_shows_at_once(
    app, client, auth, region, make
):
    ours = make.item(region["satpol"], "Patroli pasar", at=datetime(2026, 11, 25, 2, tzinfo=UTC))
    theirs = make.item(region["bpbd"], "Siaga banjir", at=datetime(2026, 11, 25, 3, tzinfo=UTC))
    auth.login("koordinator@demo.test")
    everything = client.get(MONTH).get_data(as_text=True)
    assert f'data-item-id="{ours.id}"' in everything and f'data-item-id="{theirs.id}"' in everything

    other = app.test_client()
    other_auth = type(auth)(other)
    other_auth.login("kontributor.bpbd@demo.test")
    own = other.get(MONTH).get_data(as_text=True)  # same address, another person
    assert f'data-item-id="{theirs.id}"' in own and f'data-item-id="{ours.id}"' not in own

    db.session.execute(sa.delete(Membership).where(Membership.unit_id == region["bpbd"].id))
    db.session.commit()
    gone = other.get(MONTH).get_data(as_text=True)
    assert f'data-item-id="{theirs.id}"' not in gone


def test_the_language_and_the_day_are_part_of_what_is_kept(client, auth, region, make):
    make.item(region["satpol"], "Patroli pasar", at=datetime(2026, 11, 25, 2, tzinfo=UTC))
    auth.login("admin.satpolpp@demo.test")
    page = client.get(MONTH).get_data(as_text=True)
    assert "Bulan sebelumnya" in page
    assert re.search(r'class="day[^"]*is-today[^"]*"\s+data-date="2026-11-23"', page)
    client.post("/locale", data={"csrf_token": csrf_token_from(page), "locale": "en"})
    english = client.get(MONTH).get_data(as_text=True)
    assert "Previous month" in english and "Bulan sebelumnya" not in english
    with clock.frozen(NOW + timedelta(days=1)):  # midnight passed in Jakarta, same address
        tomorrow = client.get(MONTH).get_data(as_text=True)
    assert re.search(r'class="day[^"]*is-today[^"]*"\s+data-date="2026-11-24"', tomorrow)
    assert not re.search(r'class="day[^"]*is-today[^"]*"\s+data-date="2026-11-23"', tomorrow)


def test_a_refused_address_keeps_nothing(client, auth, region):
    auth.login("admin.satpolpp@demo.test")
    for _ in range(2):
        assert client.get("/calendar/month?month=2026-13").status_code == 400
    assert client.get(f"/calendar/month?unit={region['bpbd'].id}").status_code == 404
    assert client.get(f"/calendar/month?unit={region['bpbd'].id}").status_code == 404


def test_the_main_menu_is_kept_per_rights_page_and_language(app, region):
    from tests.conftest import signed_in

    menus = {}
    for email in (
        "koordinator@demo.test",
        "admin.satpolpp@demo.test",
        "kontributor.bpbd@demo.test",
    ):
        client, _auth = signed_in(app, email)
        html = client.get("/tasks").get_data(as_text=True)
        menus[email] = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    coordinator, admin = menus["koordinator@demo.test"], menus["admin.satpolpp@demo.test"]
    assert 'href="/people"' in coordinator and 'href="/unit-people"' not in coordinator
    assert 'href="/unit-people"' in admin and 'href="/people"' not in admin
    assert 'href="/accounts"' in coordinator and 'href="/accounts"' in admin
    for email in ("koordinator@demo.test", "admin.satpolpp@demo.test"):
        assert '<a href="/tasks" aria-current="page">' in menus[email]
    contributor = menus["kontributor.bpbd@demo.test"]
    for link in ('href="/people"', 'href="/unit-people"', 'href="/accounts"'):
        assert link not in contributor
    client, auth = signed_in(app, "kontributor.bpbd@demo.test")
    week = client.get("/calendar/week").get_data(as_text=True)
    assert '<a href="/calendar/week" aria-current="page">' in week
    assert '<a href="/tasks" aria-current="page">' not in week
    client.post("/locale", data={"csrf_token": csrf_token_from(week), "locale": "en"})
    english = client.get("/calendar/week").get_data(as_text=True)
    assert ">My work</a>" in english and ">Tugas Saya</a>" not in english
