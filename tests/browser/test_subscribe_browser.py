"""Subscribing on the phone itself: no QR code to scan, a link to copy that is the real feed."""

from __future__ import annotations

from urllib.request import urlopen

import icalendar

from tests.browser.conftest import sign_in


def test_on_a_phone_make_a_link_copy_it_and_the_feed_answers(browser, live_server):
    phone = browser.new_context(viewport={"width": 375, "height": 812}, locale="id-ID")
    phone.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page = phone.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server)
    page.click("details.nav-more > summary")
    page.click("details.nav-more .nav-more-links a:has-text('Langganan')")
    page.wait_for_url("**/feeds")
    page.locator("li[data-feed=personal] button", has_text="Buat tautan").click()
    page.wait_for_selector(".new-link")
    assert not page.locator(".new-link .qr").is_visible()  # the phone that would scan it
    copy = page.locator("button[data-copy]")
    box = copy.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    copy.click()
    page.locator("button[data-copy]", has_text="Tersalin").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.input_value("#feed-link")
    assert copied.startswith(live_server + "/feeds/") and copied.endswith(".ics")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    phone.close()
    # what was copied is the feed itself: a calendar app gets VEVENTs from it
    with urlopen(copied, timeout=10) as answer:  # noqa: S310 (our own test server)
        assert answer.status == 200
        calendar = icalendar.Calendar.from_ical(answer.read())
    assert calendar.get("X-WR-CALNAME")
