"""On a 375 px phone: a unit admin registers the unit's Instagram account, a wrong address is
refused with a message and the typed form kept, and citizens then find it in the directory."""

from __future__ import annotations

from tests.browser.conftest import sign_in


def test_an_admin_registers_an_account_from_the_phone(browser, live_server, live_db):
    import sqlalchemy as sa

    from calendarapp.socialaccounts.models import SocialAccount

    phone = browser.new_context(viewport={"width": 375, "height": 812}, locale="id-ID")
    page = phone.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server)
    page.click("details.nav-more > summary")
    page.click("details.nav-more .nav-more-links a:has-text('Akun Resmi')")
    page.wait_for_url("**/units/*/accounts")
    assert "Belum ada akun yang terdaftar" in page.inner_text("#unit-accounts")
    page.select_option("#account-form select[name=platform]", "instagram")
    page.fill("#account-form input[name=handle]", "satpolpp.sukamaju")
    page.fill("#account-form input[name=url]", "https://www.instagram.com/akun.lain/")
    page.select_option("#account-form select[name=pic]", label="Yuni Astuti")
    page.select_option("#account-form select[name=two_step]", "aktif")
    page.click("#account-form button[type=submit]")
    page.locator("#account-form .field-errors", has_text="profil @satpolpp.sukamaju").wait_for()
    assert page.input_value("#account-form input[name=handle]") == "satpolpp.sukamaju"  # kept
    page.fill("#account-form input[name=url]", "https://www.instagram.com/satpolpp.sukamaju/")
    page.click("#account-form button[type=submit]")
    page.locator(".account-list [data-account-id]", has_text="@satpolpp.sukamaju").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.click("text=Buka direktori publik")
    page.wait_for_url("**/akun-resmi")
    assert "@satpolpp.sukamaju" in page.inner_text("main")
    assert "Yuni Astuti" not in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    phone.close()
    with live_db() as session:
        saved = session.scalar(sa.select(SocialAccount))
        assert saved.url == "https://www.instagram.com/satpolpp.sukamaju/"


def _satpol_with_a_scheduled_post() -> None:
    from datetime import UTC, datetime

    from calendarapp.accounts.models import Role
    from calendarapp.content.services import walk_to
    from calendarapp.content.workflow import Status
    from calendarapp.extensions import db
    from tests.conftest import Factory

    make = Factory()
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    admin = make.user("admin.satpolpp@demo.test", {satpol: Role.ADMIN}, name="Yuni Astuti")
    make.user("koordinator@demo.test", coordinator=True, name="Rina Kartikasari")
    item = make.item(satpol, "Patroli pasar malam", at=datetime(2026, 11, 22, 12, tzinfo=UTC))
    walk_to(item, Status.TERJADWAL, admin)
    db.session.commit()


def test_the_whole_road_of_an_account_on_a_phone(browser, live_url):
    """Issue 16's walk at 375 px: the admin invites a contributor, who sets her own password
    through the link, and registers the Instagram account with her as PIC; a proof link on the
    wrong domain is refused with the reason (marking Tayang is an editor's step, so the admin
    takes it); she leaves the unit, and the admin works through the handover that opens."""
    from tests.browser.conftest import serve

    def phone_page():
        context = browser.new_context(viewport={"width": 375, "height": 812}, locale="id-ID")
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        page = context.new_page()
        page.set_default_timeout(10_000)
        return context, page

    with serve(live_url, _satpol_with_a_scheduled_post) as base:
        admin_context, admin = phone_page()
        sign_in(admin, base)
        admin.click("details.nav-more > summary")
        admin.click("details.nav-more .nav-more-links a:has-text('Orang Unit')")
        admin.wait_for_url("**/units/*/people")
        admin.fill("#person-form input[name=email]", "nur.aini@demo.test")
        admin.fill("#person-form input[name=name]", "Nur Aini")
        admin.select_option("#person-form select[name=role]", "contributor")
        admin.click("#person-form button[type=submit]")
        link = admin.input_value("#invite-link")
        assert (
            admin.locator("a", has_text="Kirim lewat WhatsApp")
            .get_attribute("href")
            .startswith("https://wa.me/?text=")
        )

        nur_context, nur = phone_page()
        nur.goto(link)
        nur.fill("input[name=new]", "kata sandi milik nur")
        nur.fill("input[name=repeat]", "kata sandi milik nur")
        nur.click("#invite-form button[type=submit]")
        nur.wait_for_url("**/login")
        nur.fill("input[name=email]", "nur.aini@demo.test")
        nur.fill("input[name=password]", "kata sandi milik nur")
        nur.click("form#login-form button[type=submit]")
        nur.wait_for_url("**/calendar/month")

        admin.goto(base + "/accounts")  # the admin's way to the unit's accounts
        admin.wait_for_url("**/units/*/accounts")
        admin.fill("#account-form input[name=handle]", "satpolpp.sukamaju")
        admin.fill("#account-form input[name=url]", "https://www.instagram.com/satpolpp.sukamaju/")
        admin.select_option("#account-form select[name=pic]", label="Nur Aini")
        admin.click("#account-form button[type=submit]")
        admin.locator(".account-list [data-account-id]", has_text="Nur Aini").wait_for()

        # the post is marked Tayang (an editor's step) with a link that is not on Instagram
        admin.goto(base + "/calendar/list?month=2026-11")
        item_url = admin.locator("a", has_text="Patroli pasar malam").first.get_attribute("href")
        admin.goto(base + item_url)
        admin.fill("input[name=link_instagram]", "https://instagram.evil.example/p/abc/")
        admin.click("button:has-text('Tandai tayang')")
        admin.locator(".form-error, .field-errors", has_text="bukan di Instagram").first.wait_for()

        # Nur leaves the unit: a handover opens for the account she held
        admin.goto(base + "/unit-people")
        card = admin.locator(".member-list li", has_text="Nur Aini")
        card.locator("select[name=role]").select_option("")
        card.locator("button", has_text="Simpan").click()
        admin.goto(base + "/tasks")
        admin.locator(".task-handover a", has_text="@satpolpp.sukamaju").click()
        handover = admin.locator(".handover", has_text="PIC keluar dari unit")
        for _ in range(4):
            handover.locator("button", has_text="Selesai").first.click()
            admin.wait_for_load_state()
        assert handover.locator("li[data-step=confirm_pic] button").count() == 1
        assert admin.evaluate("document.documentElement.scrollWidth") <= 375
        admin_context.close()
        nur_context.close()
