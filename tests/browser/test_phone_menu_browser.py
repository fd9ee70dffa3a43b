"""On a 375 px phone the main menu shows every section without sideways scrolling."""

from __future__ import annotations

from tests.browser.conftest import sign_in


def test_every_section_is_reachable_from_the_phone_menu(browser, live_server):
    phone = browser.new_context(viewport={"width": 375, "height": 812}, locale="id-ID")
    page = phone.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    daily = page.locator("nav.site-nav > a")
    assert daily.all_inner_texts() == ["Bulan", "Pekan", "Rencana Pekan", "Tugas Saya"]
    for box in [link.bounding_box() for link in daily.all()] + [
        page.locator("details.nav-more > summary").bounding_box()
    ]:
        assert box["height"] >= 44 and box["width"] >= 44  # a thumb's tap target
    more = page.locator("details.nav-more .nav-more-links a")
    assert not more.first.is_visible()
    page.click("details.nav-more > summary")
    assert more.all_inner_texts() == [
        "Liputan", "Amplifikasi", "Pantauan", "Pelatihan", "Tema", "Langganan", "Akun Resmi",
        "Orang Unit",
    ]  # fmt: skip
    more.filter(has_text="Pelatihan").click()
    page.wait_for_url("**/trainings")
    assert page.locator("details.nav-more > summary[aria-current=page]").count() == 1
    phone.close()


def test_close_and_open_as_a_page_show_only_in_the_dialog(page, live_server):
    sign_in(page, live_server)
    page.goto(f"{live_server}/calendar/month?month=2026-11")
    page.locator("#calendar [data-item-id]").filter(has_text="Patroli November").first.click()
    page.wait_for_selector("dialog#dialog[open] #item-detail")
    close = page.locator("#dialog [data-close-dialog]")
    assert (
        close.is_visible()
        and page.locator("#dialog a", has_text="Buka sebagai halaman").is_visible()
    )
    item_url = page.locator("#dialog a", has_text="Buka sebagai halaman").get_attribute("href")
    close.click()
    page.locator("dialog#dialog").wait_for(state="hidden")
    page.goto(f"{live_server}{item_url}")  # the same item as a page: nothing to close
    assert not page.locator("[data-close-dialog]").is_visible()
    assert not page.locator("a", has_text="Buka sebagai halaman").is_visible()


def test_the_phone_month_lists_every_day_with_a_plus_to_plan_on(browser, live_server):
    phone = browser.new_context(viewport={"width": 375, "height": 812}, locale="id-ID")
    page = phone.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server)
    page.goto(f"{live_server}/calendar/month?month=2026-11")
    days = page.locator("li.day:not(.other-month)")
    assert days.count() == 30
    assert all(day.is_visible() for day in days.all())
    empty = page.locator("li.day.is-empty[data-date='2026-11-10']")
    plus = empty.locator("a.add-item")
    box = plus.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    plus.click()
    page.wait_for_selector("dialog#dialog[open] #item-form")
    assert page.input_value("#dialog input[name=planned_date]") == "2026-11-10"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    phone.close()


def _region_with_mentoring() -> None:
    from datetime import date

    import sqlalchemy as sa

    from calendarapp.accounts.models import Unit, User
    from calendarapp.extensions import db
    from calendarapp.mentoring import services as mentoring
    from calendarapp.mentoring.services import ActionFields, NoteFields
    from tests.conftest import Factory
    from tests.mentoring_world import training
    from tests.monitoring_world import build

    build(Factory())
    satpol = db.session.scalar(sa.select(Unit).where(Unit.short_name == "Satpol PP"))
    mentor = db.session.scalar(sa.select(User).where(User.email == "koordinator@test"))
    admin = db.session.scalar(sa.select(User).where(User.email == "admin@satpol.test"))
    fgd = training(
        mentor, [satpol], "FGD Pengelolaan Konten Media Sosial Perangkat Daerah Tahun 2026"
    )
    mentoring.write_note(
        mentor,
        NoteFields(
            unit=satpol,
            training=fgd,
            noted_on=date(2026, 10, 28),
            to_improve="Perbaiki kata-kata caption, kualitas foto, dan judul pada foto.",
            actions=[ActionFields("Pakai templat judul pada foto", admin, date(2026, 11, 4))],
        ),
    )
    db.session.commit()


def test_no_page_is_wider_than_a_phone(browser, live_url):
    from tests.browser.conftest import serve

    pages = {
        "koordinator@test": [
            "/monitoring", "/monitoring/report?month=2026-11", "/monitoring/report/whatsapp",
            "/mentoring/actions?status=all", "/trainings", "/people", "/units", "/people/locks",
            "/settings/checklist", "/calendar/month", "/calendar/list", "/feeds",
            "/amplification", "/amplification/new", "/account/notifications/reach",
        ],
        "admin@satpol.test": [
            "/calendar/month", "/calendar/week", "/plan/week", "/plan/slots", "/tasks",
            "/monitoring", "/notifications", "/coverage", "/themes", "/feeds", "/account/password",
            "/account/notifications", "/amplification",
        ],
    }  # fmt: skip
    with serve(live_url, _region_with_mentoring) as base:
        wide = []
        for email, paths in pages.items():
            phone = browser.new_context(viewport={"width": 375, "height": 812}, locale="id-ID")
            page = phone.new_page()
            page.set_default_timeout(10_000)
            sign_in(page, base, email)
            page.goto(base + "/monitoring?columns=all")
            link = page.locator("table.scorecard a").filter(has_text="Satuan Polisi").first
            unit_id = link.get_attribute("href").rsplit("/", 1)[-1]
            for path in [*paths, f"/monitoring/units/{unit_id}", f"/units/{unit_id}/mentoring"]:
                page.goto(base + path)
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > 375:
                    wide.append(f"{email} {path}: {width}")
            phone.close()
    assert wide == []


def test_a_comment_sent_without_a_connection_is_not_lost(browser, live_server):
    phone = browser.new_context(viewport={"width": 375, "height": 812}, locale="id-ID")
    page = phone.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server)
    page.goto(f"{live_server}/calendar/month?month=2026-11")
    page.locator("#calendar [data-item-id]").filter(has_text="Patroli November").first.click()
    page.wait_for_selector("dialog#dialog[open] #item-detail")
    page.fill("#dialog textarea[name=body]", "Foto diambil dari sisi timur pasar")
    phone.set_offline(True)
    page.click("#dialog .comment-form button[type=submit]")
    page.locator("#move-message", has_text="Tidak ada koneksi").wait_for()
    assert page.input_value("#dialog textarea[name=body]") == "Foto diambil dari sisi timur pasar"
    phone.set_offline(False)
    page.click("#dialog .comment-form button[type=submit]")
    page.locator("#dialog .comments li", has_text="Foto diambil dari sisi timur pasar").wait_for()
    assert page.inner_text("#move-message") == ""
    phone.close()


def test_the_phone_month_opens_at_today(browser, live_server):
    phone = browser.new_context(viewport={"width": 375, "height": 812}, locale="id-ID")
    page = phone.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server)  # lands on this month: today is the 23rd (the test clock)
    today = page.locator("li.day.is-today")
    assert today.get_attribute("data-date") == "2026-11-23"
    top = today.evaluate("day => day.getBoundingClientRect().top")
    assert page.evaluate("window.scrollY") > 0 and 0 <= top < 100
    page.goto(f"{live_server}/calendar/month?month=2026-12")  # another month: from its 1st
    assert page.evaluate("window.scrollY") == 0
    phone.close()


def test_ticking_a_check_swaps_only_the_checklist_and_updates_the_steps(page, live_server):
    """Ticks and comments render themselves: what is typed elsewhere on the item stays."""
    sign_in(page, live_server)
    page.goto(f"{live_server}/calendar/month?month=2026-11")
    page.locator("#calendar [data-item-id]").filter(has_text="Patroli November").first.click()
    page.wait_for_selector("dialog#dialog[open] #item-detail")
    for target in ("draf", "ditinjau"):
        page.click(f"#dialog .step-form.step-{target} button[type=submit]")
        page.wait_for_selector(f"#dialog .status-badge.badge-{target}")
    warning = page.locator("#dialog .steps .warning", has_text="Butir wajib")
    warning.wait_for()
    page.fill("#dialog textarea[name=body]", "Belum dikirim")
    required = page.locator("#dialog .checklist li", has=page.locator(".tag-required"))
    assert required.count() >= 1
    for index in range(required.count()):
        with page.expect_response(lambda r: r.url.endswith("/checklist")) as answer:
            required.nth(index).locator("input[type=checkbox]").check()
        assert answer.value.status == 200
    warning.wait_for(state="detached")  # the steps came out of band with the ticks
    assert page.input_value("#dialog textarea[name=body]") == "Belum dikirim"
    assert required.nth(0).locator("input[type=checkbox]").is_checked()
    page.click("#dialog .comment-form button[type=submit]")
    page.locator("#dialog .comments li", has_text="Belum dikirim").wait_for()
    assert page.locator("#dialog .status-badge.badge-ditinjau").count() == 1


def test_on_a_phone_the_list_counts_every_filter_and_an_item_leads_back_to_it(browser, live_server):
    phone = browser.new_context(viewport={"width": 375, "height": 812}, locale="id-ID")
    page = phone.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server)
    page.goto(f"{live_server}/calendar/list?month=2026-11")
    unit = page.locator("#filters select[name=unit] option").nth(0).get_attribute("value")
    listed = f"/calendar/list?month=2026-11&unit={unit}&status=ide&q=Patroli&sort=title&dir=desc"
    page.goto(live_server + listed)
    assert page.inner_text("details.filter-bar > summary") == "Filter (3)"
    page.locator("#calendar tr[data-item-id] a", has_text="Patroli November").click()
    page.wait_for_selector("#item-detail")
    back = page.locator("a[data-way-back]")
    assert back.inner_text() == "Kembali ke daftar"
    box = back.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    back.click()
    page.wait_for_url(live_server + listed)
    assert page.locator("#calendar tr[data-item-id]").count() == 1
    phone.close()
