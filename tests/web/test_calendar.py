"""Month and week views: what each person sees, where items fall, fragments and bad addresses."""

import re
from datetime import UTC, date, datetime

import pytest

from calendarapp.accounts.models import Role
from calendarapp.content.models import ContentFormat, ContentItem
from calendarapp.content.services import walk_to
from calendarapp.content.workflow import Status
from calendarapp.extensions import db
from tests.conftest import NOW


@pytest.fixture
def region(make):
    """Two units in WIB, one in WITA, a coordinator and a member of each unit."""
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    bpbd = make.unit("Badan Penanggulangan Bencana Daerah", "BPBD")
    wita = make.unit("Dinas Kominfo Kota Timur", "Kominfo Timur", timezone="Asia/Makassar")
    make.user("koordinator@demo.test", coordinator=True)
    make.user("admin.satpolpp@demo.test", {satpol: Role.ADMIN})
    make.user("kontributor.bpbd@demo.test", {bpbd: Role.CONTRIBUTOR})
    make.user("admin.timur@demo.test", {wita: Role.ADMIN})
    return {"satpol": satpol, "bpbd": bpbd, "wita": wita}


def chip_ids(html: str) -> set[int]:
    return {int(i) for i in re.findall(r'data-item-id="(\d+)"', html)}


def test_no_parameters_show_this_month_and_this_week(client, auth, region, make):
    item = make.item(region["satpol"], "Patroli malam", at=NOW)
    auth.login("admin.satpolpp@demo.test")
    month = client.get("/calendar/month").get_data(as_text=True)
    assert 'data-month="2026-11"' in month and "November 2026" in month
    assert item.id in chip_ids(month)
    week = client.get("/calendar/week").get_data(as_text=True)
    assert 'data-week="2026-W48"' in week and item.id in chip_ids(week)


def test_a_chip_shows_local_time_with_zone_label_and_status(client, auth, region, make):
    item = make.item(region["satpol"], "Info layanan", at=datetime(2026, 11, 24, 2, 0, tzinfo=UTC))
    auth.login("admin.satpolpp@demo.test")
    html = client.get("/calendar/month?month=2026-11").get_data(as_text=True)
    chip = html[html.index(f'data-item-id="{item.id}"') :][:900]
    assert "09.00 WIB" in chip and "Info layanan" in chip and "Ide" in chip


def test_the_coordinator_sees_every_unit_and_a_member_only_their_own(client, auth, region, make):
    ours = make.item(region["satpol"], "Satpol")
    theirs = make.item(region["bpbd"], "BPBD")
    auth.login("koordinator@demo.test")
    assert {ours.id, theirs.id} <= chip_ids(client.get("/calendar/month").get_data(as_text=True))
    client.get("/logout")
    client.post("/logout", data={"csrf_token": auth.csrf("/logout")})
    auth.login("admin.satpolpp@demo.test")
    seen = chip_ids(client.get("/calendar/month").get_data(as_text=True))
    assert ours.id in seen and theirs.id not in seen
    assert chip_ids(client.get("/calendar/week").get_data(as_text=True)) == {ours.id}


def test_the_unit_picker_narrows_the_coordinators_view(client, auth, region, make):
    ours = make.item(region["satpol"], "Satpol")
    theirs = make.item(region["bpbd"], "BPBD")
    auth.login("koordinator@demo.test")
    html = client.get(f"/calendar/month?unit={region['bpbd'].id}").get_data(as_text=True)
    assert theirs.id in chip_ids(html) and ours.id not in chip_ids(html)
    assert f'<option value="{region["bpbd"].id}" selected>' in html


def test_another_units_calendar_answers_404(client, auth, region):
    auth.login("admin.satpolpp@demo.test")
    for path in ("/calendar/month", "/calendar/week"):
        response = client.get(f"{path}?unit={region['bpbd'].id}")
        assert response.status_code == 404
        assert "tidak memiliki akses" in response.get_data(as_text=True)


def test_another_units_item_answers_404(client, auth, region, make):
    theirs = make.item(region["bpbd"], "BPBD")
    ours = make.item(region["satpol"], "Satpol")
    auth.login("admin.satpolpp@demo.test")
    assert client.get(f"/items/{theirs.id}").status_code == 404
    assert client.get(f"/items/{ours.id}").status_code == 200
    assert client.get("/items/999999").status_code == 404
    assert client.get("/items/" + "9" * 30).status_code == 404


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("/calendar/month?month=2026-13", 400),
        ("/calendar/month?month=bulan-depan", 400),
        ("/calendar/month?month=2026-11&unit=abc", 400),
        ("/calendar/month?unit=-1", 400),
        ("/calendar/month?unit=99999", 404),
        ("/calendar/week?week=2025-W53", 400),
        ("/calendar/week?week=2026-48", 400),
        ("/calendar/week?week=2026-W48&unit=1e3", 400),
        ("/calendar/week?week=" + "9" * 500, 400),
    ],
)
def test_malformed_addresses_get_a_friendly_page(client, auth, region, query, status):
    auth.login("koordinator@demo.test")
    response = client.get(query)
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert "Kembali ke kalender" in html and "Traceback" not in html


def test_an_item_falls_on_the_day_of_its_units_zone(client, auth, region, make):
    # 00.15 WITA on Wednesday 25 November is 16.15 UTC on Tuesday — and 23.15 WIB on Tuesday.
    after_midnight = make.item(
        region["wita"], "Ucapan pagi", at=datetime(2026, 11, 24, 16, 15, tzinfo=UTC)
    )
    # 23.30 WITA on Tuesday 24 November is 15.30 UTC.
    before_midnight = make.item(
        region["wita"], "Rekap malam", at=datetime(2026, 11, 24, 15, 30, tzinfo=UTC)
    )
    auth.login("admin.timur@demo.test")
    html = client.get("/calendar/week?week=2026-W48").get_data(as_text=True)
    tuesday = _day_cell(html, "2026-11-24")
    wednesday = _day_cell(html, "2026-11-25")
    assert f'data-item-id="{before_midnight.id}"' in tuesday and "23.30 WITA" in tuesday
    assert f'data-item-id="{after_midnight.id}"' in wednesday and "00.15 WITA" in wednesday
    assert f'data-item-id="{after_midnight.id}"' not in tuesday


def test_a_whole_day_item_stays_on_its_date(client, auth, region, make):
    item = make.item(region["wita"], "Hari Guru", on=date(2026, 11, 25))
    auth.login("koordinator@demo.test")
    html = client.get("/calendar/month?month=2026-11").get_data(as_text=True)
    assert f'data-item-id="{item.id}"' in _day_cell(html, "2026-11-25")


def test_items_across_a_month_boundary_in_wita(client, auth, region, make):
    # 00.30 WITA on 1 December is 16.30 UTC on 30 November: it belongs to December.
    item = make.item(region["wita"], "Awal Desember", at=datetime(2026, 11, 30, 16, 30, tzinfo=UTC))
    auth.login("admin.timur@demo.test")
    december = client.get("/calendar/month?month=2026-12").get_data(as_text=True)
    assert f'data-item-id="{item.id}"' in _day_cell(december, "2026-12-01")
    november = client.get("/calendar/month?month=2026-11").get_data(as_text=True)
    assert f'data-item-id="{item.id}"' not in _day_cell(november, "2026-11-30")


def test_the_week_lists_a_days_items_in_time_order(client, auth, region, make):
    late = make.item(region["satpol"], "Sore", at=datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    early = make.item(region["satpol"], "Pagi", at=datetime(2026, 11, 25, 0, 30, tzinfo=UTC))
    whole = make.item(region["satpol"], "Sepanjang", on=date(2026, 11, 25))
    auth.login("admin.satpolpp@demo.test")
    cell = _day_cell(
        client.get("/calendar/week?week=2026-W48").get_data(as_text=True), "2026-11-25"
    )
    order = [int(i) for i in re.findall(r'data-item-id="(\d+)"', cell)]
    assert order == [whole.id, early.id, late.id]


def test_a_busy_day_shows_the_first_few_and_how_many_more(client, auth, region, make):
    for hour in range(6):
        make.item(region["satpol"], f"Post {hour}", at=datetime(2026, 11, 26, hour, tzinfo=UTC))
    auth.login("admin.satpolpp@demo.test")
    cell = _day_cell(
        client.get("/calendar/month?month=2026-11").get_data(as_text=True), "2026-11-26"
    )
    assert len(re.findall(r"data-item-id=", cell)) == 3
    assert "+3 lainnya" in cell and "week=2026-W48" in cell


def test_the_month_grid_starts_on_monday(client, auth, region):
    auth.login("admin.satpolpp@demo.test")
    html = client.get("/calendar/month?month=2026-11").get_data(as_text=True)
    dates = re.findall(r'data-date="([\d-]+)"', html)
    assert dates[0] == "2026-10-26" and dates[-1] == "2026-12-06" and len(dates) == 42
    assert html.index(">Sen<") < html.index(">Min<")


def test_navigation_links_point_at_the_neighbouring_periods(client, auth, region):
    auth.login("koordinator@demo.test")
    unit = region["satpol"].id
    html = client.get(f"/calendar/month?month=2026-12&unit={unit}").get_data(as_text=True)
    assert f'hx-get="/calendar/month?month=2027-01&amp;unit={unit}"' in html
    assert f'hx-get="/calendar/month?month=2026-11&amp;unit={unit}"' in html
    week = client.get("/calendar/week?week=2027-W01").get_data(as_text=True)
    assert 'href="/calendar/week?week=2026-W53"' in week
    assert 'href="/calendar/week?week=2027-W02"' in week


def test_an_htmx_swap_gets_the_fragment_and_a_plain_visit_the_page(client, auth, region):
    auth.login("admin.satpolpp@demo.test")
    page = client.get("/calendar/month?month=2026-12")
    fragment = client.get("/calendar/month?month=2026-12", headers={"HX-Request": "true"})
    for response in (page, fragment):
        assert response.status_code == 200
        assert "HX-Request" in response.headers["Vary"]
    assert "<html" in page.get_data(as_text=True)
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and body.lstrip().startswith('<section id="calendar"')


@pytest.mark.parametrize("header", ["HX-Boosted", "HX-History-Restore-Request"])
def test_a_boosted_request_or_history_restore_gets_the_whole_page(client, auth, region, header):
    auth.login("admin.satpolpp@demo.test")
    response = client.get("/calendar/week", headers={"HX-Request": "true", header: "true"})
    assert "<html" in response.get_data(as_text=True)
    assert "HX-Request" in response.headers["Vary"]


def test_the_interface_switches_to_english_and_remembers_it(client, auth, region):
    auth.login("admin.satpolpp@demo.test")
    html = client.get("/calendar/week?week=2026-W48").get_data(as_text=True)
    assert "Senin, 23 November" in html and "Pekan berikutnya" in html
    token = auth.csrf()
    client.post("/locale", data={"locale": "en", "csrf_token": token, "next": "/calendar/week"})
    html = client.get("/calendar/week?week=2026-W48").get_data(as_text=True)
    assert "Monday, 23 November" in html or "Monday, November 23" in html
    assert "Next week" in html
    # remembered for the user, not only the browser
    client.post("/logout", data={"csrf_token": auth.csrf("/logout")})
    auth.login("admin.satpolpp@demo.test")
    assert "Next week" in client.get("/calendar/week").get_data(as_text=True)


def test_an_unknown_language_is_refused(client, auth, region):
    auth.login("admin.satpolpp@demo.test")
    response = client.post("/locale", data={"locale": "xx", "csrf_token": auth.csrf()})
    assert response.status_code == 400


def test_a_member_of_no_unit_is_told_what_to_do(client, auth, make):
    make.user("baru@demo.test")
    auth.login("baru@demo.test")
    html = client.get("/calendar/month").get_data(as_text=True)
    assert "belum menjadi anggota unit" in html


def test_the_month_view_runs_the_same_queries_for_10_and_1000_items(
    client, auth, region, count_queries
):
    auth.login("koordinator@demo.test")
    counts = []
    for total in (10, 1000):
        _bulk_items(region, total)
        with count_queries() as counter:
            response = client.get("/calendar/month?month=2026-11")
        assert response.status_code == 200
        assert len(chip_ids(response.get_data(as_text=True))) > 0
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
    # the person with their memberships, the calendar serial (calendarapp/kept.py), units,
    # themes, people (filter bar), items (their days, then the ones shown), undated ideas,
    # leader's agenda, trainings, recurring slots, amplification deadlines
    assert counts[0] <= 12


def test_the_week_view_query_count_does_not_grow(client, auth, region, count_queries):
    auth.login("koordinator@demo.test")
    counts = []
    for total in (5, 300):
        _bulk_items(region, total)
        with count_queries() as counter:
            client.get("/calendar/week?week=2026-W48")
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_every_status_has_its_word_on_the_chip(client, auth, region, make):
    statuses = list(Status)
    for index, status in enumerate(statuses):
        item = make.item(
            region["satpol"], f"Item {status}", at=datetime(2026, 11, 2 + index, 3, tzinfo=UTC)
        )
        walk_to(item, status, None)
    db.session.commit()
    auth.login("admin.satpolpp@demo.test")
    html = client.get("/calendar/month?month=2026-11").get_data(as_text=True)
    for word in (
        "Ide",
        "Draf",
        "Ditinjau",
        "Perlu Revisi",
        "Disetujui",
        "Terjadwal",
        "Tayang",
        "Dibatalkan",
    ):
        assert f">{word}</span>" in html


def _bulk_items(region, total: int) -> None:
    units = list(region.values())
    db.session.add_all(
        ContentItem(
            unit=units[i % 3],
            title=f"Konten {i}",
            format=ContentFormat.FOTO,
            planned_at=datetime(2026, 11, 1 + i % 30, i % 24, tzinfo=UTC),
        )
        for i in range(total)
    )
    db.session.commit()


def _day_cell(html: str, day: str) -> str:
    start = html.index(f'data-date="{day}"')
    end = html.find("data-date=", start + 10)
    return html[start : end if end != -1 else len(html)]
