"""In Chromium: create from a day in a dialog, drag to reschedule, change status, see a conflict."""

from datetime import UTC, datetime

import sqlalchemy as sa

from calendarapp.content.models import ContentItem
from tests.browser.conftest import sign_in


def chip(page, title):
    return page.locator("#calendar [data-item-id]").filter(has_text=title)


def test_an_admin_creates_an_item_from_a_day_in_a_dialog(page, live_server):
    sign_in(page, live_server)
    page.evaluate("window.__stillTheSamePage = true")
    page.click("li[data-date='2026-11-26'] a.add-item")
    page.wait_for_selector("dialog#dialog[open] #item-form")
    assert page.input_value("#dialog input[name=planned_date]") == "2026-11-26"
    page.fill("#dialog input[name=title]", "Sosialisasi Perda Ketertiban")
    page.fill("#dialog input[name=planned_time]", "10:30")
    page.check("#dialog input[name=platforms][value=instagram]")
    page.click("#dialog button[type=submit].primary")
    page.locator("dialog#dialog").wait_for(state="hidden")
    cell = page.locator("li[data-date='2026-11-26']")
    cell.locator("[data-item-id]").filter(has_text="Sosialisasi Perda Ketertiban").wait_for()
    assert "10.30 WIB" in cell.inner_text()
    assert page.evaluate("window.__stillTheSamePage") is True


def test_a_bad_title_keeps_the_dialog_open_with_the_message(page, live_server):
    sign_in(page, live_server)
    page.click("li[data-date='2026-11-26'] a.add-item")
    page.wait_for_selector("dialog#dialog[open] #item-form")
    page.fill("#dialog input[name=title]", "   ")
    page.evaluate("document.querySelector('#dialog input[name=title]').removeAttribute('required')")
    page.click("#dialog button[type=submit].primary")
    page.locator("#dialog .field-errors").wait_for()
    assert "wajib" in page.locator("#dialog .field-errors").inner_text()
    assert page.evaluate("document.getElementById('dialog').open") is True


def test_dragging_a_chip_to_another_day_reschedules_it(page, live_server, live_db):
    sign_in(page, live_server)
    source = chip(page, "Patroli November")
    target = page.locator("li[data-date='2026-11-27'] ul.chips")
    box_from, box_to = source.bounding_box(), target.bounding_box()
    page.mouse.move(box_from["x"] + 10, box_from["y"] + 8)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(
            box_from["x"] + 10 + (box_to["x"] + 20 - box_from["x"] - 10) * step / 10,
            box_from["y"] + 8 + (box_to["y"] + 10 - box_from["y"] - 8) * step / 10,
        )
    page.mouse.up()
    page.locator("li[data-date='2026-11-27'] [data-item-id]").filter(
        has_text="Patroli November"
    ).wait_for()
    page.locator("#move-message").filter(has_text="2026-11-27").wait_for()
    with live_db() as session:
        item = session.scalar(sa.select(ContentItem).where(ContentItem.title == "Patroli November"))
        assert item.planned_at == datetime(2026, 11, 27, 2, tzinfo=UTC)  # 09.00 WIB kept


def test_a_status_changes_from_the_chips_dialog(page, live_server):
    sign_in(page, live_server)
    chip(page, "Patroli November").click()
    page.wait_for_selector("dialog#dialog[open] #item-detail")
    page.click("#dialog .step-draf button")
    page.locator("#dialog .item-status .badge-draf").wait_for()
    page.click("#dialog [data-close-dialog] >> nth=0")
    chip(page, "Patroli November").locator(".badge-draf").wait_for()  # the calendar refreshed


def test_two_tabs_editing_the_same_item_see_the_conflict(page, live_server):
    sign_in(page, live_server)
    item_url = chip(page, "Patroli November").get_attribute("href")
    first = page
    second = page.context.new_page()
    first.goto(live_server + item_url)
    second.goto(live_server + item_url)
    first.fill("#item-detail input[name=title]", "Patroli malam pasar")
    first.click("#item-detail .item-form button[type=submit]")
    first.locator("#item-detail h1").filter(has_text="Patroli malam pasar").wait_for()
    second.fill("#item-detail input[name=title]", "Patroli pagi terminal")
    second.click("#item-detail .item-form button[type=submit]")
    second.locator(".conflict").wait_for()
    text = second.locator(".conflict").inner_text()
    assert "Sudah diubah orang lain" in text
    assert "Patroli malam pasar" in text and "Patroli pagi terminal" in text
    second.close()
