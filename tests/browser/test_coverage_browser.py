"""In Chromium: Prokopim asks, the contributor accepts and delivers, Prokopim makes it a post."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from calendarapp.content.models import ContentItem
from calendarapp.coverage.models import CoverageRequest
from calendarapp.coverage.workflow import CoverageStatus
from tests.browser.conftest import serve, sign_in
from tests.conftest import Factory
from tests.coverage_world import build


@pytest.fixture
def coverage_server(live_url) -> Iterator[str]:
    with serve(live_url, lambda: build(Factory())) as base:
        yield base


def test_request_accept_deliver_and_create_a_content_item(page, browser, coverage_server, live_db):
    base = coverage_server
    sign_in(page, base, "prokopim@pemda.test")
    page.goto(f"{base}/coverage?start=2026-11-23")
    card = page.locator("article.event-card").filter(has_text="Kunjungan Bupati ke Puskesmas")
    assert "uncovered" in card.get_attribute("class")
    card.locator("summary", has_text="Minta liputan").click()
    card.locator("select[name$=-deliverable]").select_option("foto")
    card.locator("select[name$=-target]").select_option(
        label="Nur Aini · PKM Sukamaju · 0 pekan ini"
    )
    card.locator("input[name$=-due]").fill("2026-11-26T15:00")
    card.locator("textarea[name$=-instructions]").fill("Foto Bupati bersama tenaga kesehatan.")
    page.evaluate("window.__stillTheSamePage = true")
    card.locator("button", has_text="Kirim permintaan").click()
    card.locator(".request", has_text="Nur Aini").locator(
        ".status-badge", has_text="Diminta"
    ).wait_for()
    assert page.evaluate("window.__stillTheSamePage") is True  # htmx swapped the card only
    assert "uncovered" in card.get_attribute("class")  # asked, but nobody said yes yet

    # Nur, on her own phone
    phone = browser.new_context(viewport={"width": 375, "height": 812}, locale="id-ID")
    nur = phone.new_page()
    nur.set_default_timeout(10_000)
    errors: list[str] = []
    nur.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(nur, base, "nur@pkm.test")
    nur.goto(f"{base}/tasks")
    nur.locator(".task-coverage a", has_text="Kunjungan Bupati").click()
    nur.wait_for_url("**/agenda/*")
    mine = nur.locator("article.event-card")
    mine.locator("button", has_text="Terima").click()
    mine.locator(".status-badge", has_text="Diterima").wait_for()
    # the event's history follows without a reload
    nur.locator("#event-history li", has_text="Diminta → Diterima").wait_for()
    mine.locator("summary", has_text="Serahkan").click()
    mine.locator("textarea[name=links]").fill("https://drive.example.org/kunjungan-bupati")
    mine.locator("form button", has_text="Serahkan").click()
    mine.locator(".status-badge", has_text="Diserahkan").wait_for()
    assert "drive.example.org/kunjungan-bupati" in mine.inner_text()
    assert nur.evaluate("document.documentElement.scrollWidth") <= 375
    phone.close()
    assert errors == []

    # Prokopim turns the delivery into a post on its own calendar
    page.goto(f"{base}/coverage?start=2026-11-23")
    card = page.locator("article.event-card").filter(has_text="Kunjungan Bupati ke Puskesmas")
    assert "uncovered" not in card.get_attribute("class")
    card.locator("a", has_text="Kunjungan Bupati ke Puskesmas").click()
    page.wait_for_url("**/agenda/*")
    page.locator("button", has_text="Buat konten untuk Prokopim").click()
    page.wait_for_url("**/items/*")
    assert "Dari liputan" in page.inner_text("#item-detail")
    with live_db() as session:
        request = session.scalar(sa.select(CoverageRequest))
        item = session.scalar(sa.select(ContentItem))
        assert request.status == CoverageStatus.DISERAHKAN
        assert request.content_item_id == item.id
        assert "https://drive.example.org/kunjungan-bupati" in item.brief


def _prokopim_in_two_zones() -> None:
    from calendarapp.accounts.models import Role
    from calendarapp.accounts.services import add_membership
    from calendarapp.extensions import db

    make = Factory()
    world = build(make)
    timur = make.unit(
        "Bagian Prokopim Wilayah Timur", "Prokopim Timur", "Asia/Makassar",
        coordinates_coverage=True,
    )  # fmt: skip
    add_membership(world.keeper, timur, Role.ADMIN)
    db.session.commit()


def test_picking_a_unit_in_wita_picks_wita_until_a_zone_is_chosen(page, live_url):
    with serve(live_url, _prokopim_in_two_zones) as base:
        sign_in(page, base, "prokopim@pemda.test")
        page.goto(f"{base}/agenda/new")
        assert page.input_value("#timezone") == "Asia/Jakarta"
        page.select_option("#event-form select[name=unit]", label="Prokopim Timur")
        assert page.input_value("#timezone") == "Asia/Makassar"
        page.select_option("#timezone", "Asia/Jayapura")  # the person's own choice stays
        page.select_option("#event-form select[name=unit]", label="Prokopim")
        assert page.input_value("#timezone") == "Asia/Jayapura"
