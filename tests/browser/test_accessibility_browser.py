"""axe-core on the main pages of every area, on a 375 px phone and a desktop, in both languages.

No serious or critical violation is allowed. The demo kabupaten is the data: it has every kind of
row (agenda, coverage, trainings, RTL, slots, flags), so the pages show all their parts.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.browser.conftest import serve, sign_in
from tests.conftest import PASSWORD

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def _demo() -> None:
    from calendarapp import demo
    from calendarapp.extensions import db

    demo.load(PASSWORD)
    db.session.commit()


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory) -> Iterator[tuple[str, dict[str, int]]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('axe') / 'calendar.db'}"
    with serve(url, _demo) as base:
        engine = sa.create_engine(url)
        with engine.connect() as db:
            ids = {
                "satpol": db.scalar(sa.text("SELECT id FROM unit WHERE short_name = 'Satpol PP'")),
                "item": db.scalar(
                    sa.text(
                        "SELECT min(content_item.id) FROM content_item JOIN unit"
                        " ON unit.id = content_item.unit_id WHERE unit.short_name = 'Satpol PP'"
                    )
                ),
                "event": db.scalar(sa.text("SELECT min(id) FROM agenda_event")),
                "training": db.scalar(sa.text("SELECT min(id) FROM training")),
            }
        engine.dispose()
        yield base, ids


def _pages(ids: dict[str, int]) -> dict[str, list[str]]:
    unit = ids["satpol"]
    return {
        "koordinator@demo.test": [
            "/calendar/month", "/calendar/week", "/calendar/list", "/calendar/board",
            "/monitoring", f"/monitoring/units/{unit}", "/monitoring/report",
            "/trainings", f"/trainings/{ids['training']}", f"/units/{unit}/mentoring",
            "/mentoring/actions", "/people", "/units", "/settings/checklist", "/themes",
            "/accounts", "/amplification/new", "/account/notifications/reach",
            "/amplification/elections",
        ],
        "admin.satpolpp@demo.test": [
            "/plan/week", "/plan/slots", "/tasks", f"/items/{ids['item']}",
            f"/items/new?date=2026-12-03&unit={unit}", "/coverage", "/feeds",
            "/notifications", "/account/password", f"/units/{unit}/accounts",
            "/account/notifications", "/amplification",
        ],
        "prokopim@demo.test": ["/coverage", f"/agenda/{ids['event']}", "/agenda/new"],
    }  # fmt: skip


def _violations(page) -> list[str]:
    """Serious and critical axe findings on the page as it is now, one line per rule."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{v['id']} ({v['impact']}) ×{len(v['nodes'])}: {v['nodes'][0]['target']} — "
        + v["nodes"][0]["failureSummary"].splitlines()[-1].strip()
        for v in results
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_serious_accessibility_violation_on_the_main_pages(browser, demo_server, viewport):
    base, ids = demo_server
    found: list[str] = []
    # bypass_csp: axe is injected as a script the app's CSP (rightly) refuses
    context = browser.new_context(viewport=viewport, locale="id-ID", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    for public in ("/login", "/akun-resmi", "/offline"):
        page.goto(base + public)
        found += [f"{public}: {v}" for v in _violations(page)]
    for email, paths in _pages(ids).items():
        sign_in(page, base, email)
        for path in paths:
            if (status := page.goto(base + path).status) != 200:
                found.append(f"{email} {path}: answered {status}")
                continue
            found += [f"{email} {path}: {v}" for v in _violations(page)]
        page.context.clear_cookies()
    context.close()
    assert found == [], "\n".join(found)


def test_english_pages_say_so_and_pass_axe_too(browser, demo_server):
    base, ids = demo_server
    context = browser.new_context(viewport=PHONE, locale="id-ID", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/login")
    assert page.get_attribute("html", "lang") == "id"
    sign_in(page, base, "editor.satpolpp@demo.test")
    page.click("button[lang=en]")  # the language switch in the header
    page.wait_for_load_state()
    found: list[str] = []
    for path in ["/calendar/month", "/plan/week", f"/items/{ids['item']}", "/tasks", "/feeds"]:
        page.goto(base + path)
        assert page.get_attribute("html", "lang") == "en", path
        assert page.locator("button[lang=id]", has_text="Bahasa Indonesia").count() == 1
        found += [f"{path}: {v}" for v in _violations(page)]
    context.close()
    assert found == [], "\n".join(found)


def test_the_dialog_keeps_focus_inside_and_gives_it_back(browser, demo_server):
    base, _ = demo_server
    context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base, "admin.satpolpp@demo.test")
    chip = page.locator("#calendar a[data-item-id]").first
    item_id = chip.get_attribute("data-item-id")
    chip.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("dialog#dialog[open] #item-detail")
    inside = "document.getElementById('dialog').contains(document.activeElement)"
    assert page.evaluate(inside)
    for _ in range(40):  # Tab cycles within the modal dialog, never onto the page behind it
        page.keyboard.press("Tab")
        assert page.evaluate(inside) or page.evaluate("document.activeElement === document.body")
    page.keyboard.press("Escape")
    page.locator("dialog#dialog").wait_for(state="hidden")
    assert page.evaluate("document.activeElement.dataset.itemId") == item_id
    context.close()


# Every control a thumb uses: links, buttons, fields, menus, folded sections. A link inside a
# sentence (its parent says more than the link) is exempt, as WCAG 2.5.8 exempts inline targets.
CONTROLS = """() => {
  const small = [];
  // what is folded is measured as it shows once opened
  for (const folded of document.querySelectorAll('details:not([open])')) folded.open = true;
  const selector = 'a[href], button, .button, select, textarea, summary, [role=button],'
    + ' input:not([type=hidden]):not([type=checkbox]):not([type=radio])';
  const inline = (el) => el.matches('a') && !el.matches('.button')
    && el.parentElement.innerText.trim().length > el.innerText.trim().length + 3
    && getComputedStyle(el).display === 'inline';
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(el).visibility === 'hidden') continue;
    if (box.right <= 0 || el.closest('.visually-hidden, [hidden]') || inline(el)) continue;
    const wide = el.matches('textarea, input, summary') ? true : box.width >= 44;
    if (box.height < 44 || !wide) {
      const words = (el.innerText || el.name || '').trim().slice(0, 30);
      const size = `${Math.round(box.width)}×${Math.round(box.height)}`;
      const where = `${el.className} in ${el.parentElement.tagName.toLowerCase()}`;
      small.push(`${el.tagName.toLowerCase()} "${words}" ${size} (${where})`);
    }
  }
  return small;
}"""


def test_every_control_on_a_phone_is_a_thumbs_target(browser, demo_server):
    base, ids = demo_server
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    small: list[str] = []
    checked = 0
    for email, paths in _pages(ids).items():
        sign_in(page, base, email)
        for path in paths:
            page.goto(base + path)
            checked += page.locator("button, .button, select").count()
            small += [f"{path}: {control}" for control in page.evaluate(CONTROLS)]
        page.context.clear_cookies()
    context.close()
    assert checked > 200  # the pages did render their controls
    assert small == [], "\n".join(small)
