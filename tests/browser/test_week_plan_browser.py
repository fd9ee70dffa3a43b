"""In Chromium: the unit admin opens Rencana Pekan Ini and fills an empty slot with one click."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time

import pytest
import sqlalchemy as sa

from calendarapp.accounts.models import Role
from calendarapp.content.models import ContentFormat, ContentItem, Platform, Theme
from calendarapp.extensions import db
from calendarapp.planning import slots
from calendarapp.planning.models import Frequency, SlotFill
from tests.browser.conftest import serve, sign_in
from tests.conftest import Factory


def _satpol_with_slots() -> None:
    make = Factory()
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP", weekly_target=3)
    admin = make.user("admin.satpolpp@demo.test", {satpol: Role.ADMIN}, name="Yuni Astuti")
    pillar = Theme(unit=satpol, name="Edukasi Perda", color="#16a34a", intended_share=30)
    db.session.add(pillar)
    db.session.flush()
    slots.save_slot(
        satpol,
        admin,
        slots.SlotFields(
            title="",
            format=ContentFormat.INFOGRAFIS,
            weekdays=["WE"],
            frequency=Frequency.WEEKLY,
            starts_on=date(2026, 11, 2),
            at=time(13),
            pillar=pillar,
            platforms=[Platform.INSTAGRAM],
        ),
    )
    db.session.commit()


@pytest.fixture
def plan_server(live_url) -> Iterator[str]:
    with serve(live_url, _satpol_with_slots) as base:
        yield base


def test_filling_a_slot_from_the_week_plan(page, plan_server, live_db):
    sign_in(page, plan_server)
    page.click("nav.site-nav >> text=Rencana Pekan")
    page.wait_for_url("**/plan/week*")
    wednesday = page.locator("li.plan-day[data-date='2026-11-25']")
    assert "kosong" in wednesday.inner_text()
    assert "0 dari 1 slot terisi" in page.inner_text("#plan-figures")
    wednesday.locator("button", has_text="Isi").click()
    page.wait_for_url("**/items/*")
    assert "Edukasi Perda" in page.inner_text("#item-detail")
    assert "13.00 WIB" in page.inner_text("#item-detail")
    page.go_back()
    page.reload()
    assert "1 dari 1 slot terisi" in page.inner_text("#plan-figures")
    with live_db() as session:
        fill = session.scalar(sa.select(SlotFill))
        item = session.get(ContentItem, fill.item_id)
        assert (fill.day, item.format) == (date(2026, 11, 25), ContentFormat.INFOGRAFIS)


def test_on_a_phone_fill_a_slot_go_back_then_move_the_post(browser, plan_server, live_db):
    """The OPD admin's morning on a phone: fill Wednesday's slot, come back to the plan, and
    move the post to Thursday from its page: the plan follows without a manual reload."""
    phone = browser.new_context(viewport={"width": 375, "height": 812}, locale="id-ID")
    page = phone.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, plan_server)
    page.click("nav.site-nav >> text=Rencana Pekan")
    page.wait_for_url("**/plan/week*")
    wednesday = page.locator("li.plan-day[data-date='2026-11-25']")
    fill = wednesday.locator("button", has_text="Isi")
    box = fill.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    fill.click()
    page.wait_for_url("**/items/*")
    item_url = page.url
    page.go_back()  # the phone's back button
    page.wait_for_url("**/plan/week*")
    assert "1 dari 1 slot terisi" in page.inner_text("#plan-figures")
    page.goto(item_url)
    page.fill(".item-form input[name=planned_date]", "2026-11-26")
    page.click(".item-form button[type=submit]")
    page.locator("#item-detail dd", has_text="Kamis, 26 November 2026").wait_for()
    page.go_back()
    page.wait_for_url("**/plan/week*")
    thursday = page.locator("li.plan-day[data-date='2026-11-26']")
    assert "Edukasi Perda" in thursday.inner_text() or "Infografis" in thursday.inner_text()
    assert "Kamis" in wednesday.inner_text()  # the slot says where its post went
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    phone.close()
    with live_db() as session:
        item = session.scalar(sa.select(ContentItem))
        assert item.planned_at.date() == date(2026, 11, 26)
