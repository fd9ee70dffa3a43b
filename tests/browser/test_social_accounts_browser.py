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
