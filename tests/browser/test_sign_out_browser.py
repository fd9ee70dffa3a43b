"""After signing out, the back button shows nothing of the signed-in pages: not from the
browser's back-forward cache, not from its HTTP cache, not from htmx's history (real Chromium)."""

from __future__ import annotations

from tests.browser.conftest import sign_in


def test_the_back_button_after_signing_out_shows_the_login_not_the_calendar(page, live_server):
    sign_in(page, live_server)
    page.goto(f"{live_server}/calendar/month?month=2026-11")
    assert page.locator("#calendar [data-item-id]").count() > 0
    # an htmx step (pushed into history), then a plain page
    page.click("#calendar a[data-nav=next]")
    page.wait_for_url("**month=2026-12**")
    # htmx keeps no copy of a page in the browser's storage, where the next person would find it
    kept = "[localStorage, sessionStorage].map((s) => s.getItem('htmx-history-cache'))"
    assert page.evaluate(kept) in ([None, None], [None, "[]"]), page.evaluate(kept)
    page.goto(f"{live_server}/tasks")
    page.click("form[action$='/logout'] button[type=submit]")
    page.wait_for_url("**/login**")
    for _step in range(3):
        page.go_back()
        page.wait_for_load_state()
        assert page.locator("#calendar, #tasks, .user-name").count() == 0, page.url
        assert page.locator("form#login-form").count() == 1, page.url
