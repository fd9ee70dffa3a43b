"""In a real browser: sign in, open the month, move around without reloading the page."""

from tests.browser.conftest import sign_in


def test_moving_to_the_next_month_swaps_the_calendar_without_a_reload(page, live_server):
    sign_in(page, live_server)
    assert page.locator("h1.calendar-title").inner_text().lower() == "november 2026"
    assert page.locator("[data-item-id]").filter(has_text="Patroli November").count() == 1
    page.evaluate("window.__stillTheSamePage = true")

    page.click("a[data-nav=next]")
    page.wait_for_url(f"{live_server}/calendar/month?month=2026-12")
    page.wait_for_selector("section[data-month='2026-12']")
    assert page.locator("h1.calendar-title").inner_text().lower() == "desember 2026"
    assert page.locator("[data-item-id]").filter(has_text="Edukasi Perda Desember").count() == 1
    assert page.evaluate("window.__stillTheSamePage") is True  # no full page load happened

    page.go_back()
    page.wait_for_url(f"{live_server}/calendar/month")
    page.wait_for_selector("section[data-month='2026-11']")

    page.click("a[data-nav=today]")
    page.wait_for_selector("section[data-month='2026-11']")
    assert page.evaluate("window.__stillTheSamePage") is True


def test_the_week_view_moves_and_its_address_can_be_shared(page, live_server):
    sign_in(page, live_server)
    page.click("a[data-view=week]")
    page.wait_for_url(f"{live_server}/calendar/week?week=2026-W48")
    page.evaluate("window.__stillTheSamePage = true")
    page.click("a[data-nav=next]")
    page.wait_for_url(f"{live_server}/calendar/week?week=2026-W49")
    assert page.evaluate("window.__stillTheSamePage") is True
    # Pasting the address in a new tab shows the same week as a whole page.
    other = page.context.new_page()
    other.goto(f"{live_server}/calendar/week?week=2026-W50")
    assert other.locator("[data-item-id]").filter(has_text="Edukasi Perda Desember").count() == 1
    other.close()


def test_a_phone_screen_gets_a_readable_day_list(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = context.new_page()
    sign_in(page, live_server)
    # nothing wider than the screen: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    chip = page.locator("[data-item-id]").filter(has_text="Patroli November")
    box = chip.bounding_box()
    assert box is not None and box["width"] > 250  # a full-width row, not a 7th of the screen
    assert "Selasa, 24 November" in page.locator("li[data-date='2026-11-24']").inner_text()
    context.close()


def test_switching_to_english_keeps_the_page(page, live_server):
    sign_in(page, live_server)
    page.click("button[lang=en]")
    page.wait_for_url(f"{live_server}/calendar/month")
    assert page.locator("h1.calendar-title").inner_text().lower() == "november 2026"
    assert page.locator("a[data-nav=today]").inner_text() == "Today"


def test_a_month_seen_before_comes_from_the_browsers_copy_after_a_304(page, live_server):
    """The browser keeps the grids htmx swapped in (ETag, `private, no-cache`) and asks again
    with If-None-Match: the server answers 304 and the browser shows its copy."""
    answers: list[tuple[str, str | None, int]] = []  # what was asked, with which tag, bytes
    page.on(
        "requestfinished",
        lambda r: (
            answers.append(
                (r.url, r.all_headers().get("if-none-match"), r.sizes()["responseBodySize"])
            )
            if "month=" in r.url
            else None
        ),
    )
    sign_in(page, live_server)

    def month(nav: str, shown: str) -> None:
        """A click on the arrow, and the month swapped in and settled (htmx processes the new
        arrows then: until then they carry `htmx-added`, and a click would load a whole page)."""
        page.click(f"a[data-nav={nav}]")
        page.wait_for_selector(f"section[data-month='{shown}']")
        page.locator(".htmx-added").first.wait_for(state="detached")

    for _round in range(2):
        month("next", "2026-12")
        month("prev", "2026-11")
    assert page.locator("[data-item-id]").filter(has_text="Patroli November").count() == 1
    december = [(tag, size) for url, tag, size in answers if url.endswith("2026-12")]
    assert december[0][0] is None and december[0][1] > 1000, answers  # the whole grid
    assert december[1][0] and december[1][1] == 0, answers  # asked with its tag: 304, no body
    month("next", "2026-12")
    assert page.locator("[data-item-id]").filter(has_text="Edukasi Perda Desember").count() == 1
