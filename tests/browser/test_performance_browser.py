"""Kinerja akun on a 375 px phone: a unit admin uploads an Instagram export, reads the preview,
confirms, and sees the figures on the post; the scheduled post the export shows is now Tayang."""

from __future__ import annotations

from tests.browser.conftest import serve, sign_in
from tests.platform_exports import ig_row, instagram


def _satpol_with_an_account_and_a_scheduled_post() -> None:
    from datetime import UTC, datetime

    from calendarapp.accounts.models import Role
    from calendarapp.content.models import Platform
    from calendarapp.content.services import walk_to
    from calendarapp.content.workflow import Status
    from calendarapp.extensions import db
    from calendarapp.socialaccounts.models import SocialAccount
    from tests.conftest import Factory

    make = Factory()
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    admin = make.user("admin.satpolpp@demo.test", {satpol: Role.ADMIN}, name="Yuni Astuti")
    db.session.add(
        SocialAccount(
            unit=satpol, platform=Platform.INSTAGRAM, handle="satpolpp.sukamaju",
            handle_key="satpolpp.sukamaju", url="https://www.instagram.com/satpolpp.sukamaju/",
        )
    )  # fmt: skip
    item = make.item(satpol, "Patroli pasar malam", at=datetime(2026, 11, 20, 12, tzinfo=UTC))
    item.caption = "Patroli pasar malam bersama warga"
    walk_to(item, Status.TERJADWAL, admin)
    db.session.commit()


def test_a_unit_admin_imports_an_instagram_export_from_the_phone(browser, live_url, tmp_path):
    export = tmp_path / "ekspor-instagram.csv"
    export.write_bytes(
        instagram(
            ig_row("1001", "Patroli pasar malam bersama warga 🚓", "11/20/2026 19:10",
                   "https://www.instagram.com/p/NIGHT/", views="12,400"),
            ig_row("1002", "Senam bersama", "11/21/2026 07:20", "https://www.instagram.com/p/GYM/"),
        )
    )  # fmt: skip
    with serve(live_url, _satpol_with_an_account_and_a_scheduled_post) as base:
        phone = browser.new_context(viewport={"width": 375, "height": 812}, locale="id-ID")
        page = phone.new_page()
        page.set_default_timeout(10_000)
        sign_in(page, base)
        page.goto(base + "/accounts")
        page.wait_for_url("**/units/*/accounts")
        page.click("a[data-import-link]")
        page.wait_for_url("**/performance/import")
        page.set_input_files("#import-form input[name=file]", str(export))
        page.click("#import-form button[type=submit]")
        page.wait_for_url("**/performance/imports/*")
        matched = page.locator("[data-list=matched]")
        assert "Patroli pasar malam" in matched.inner_text()
        assert "Senam bersama" in page.inner_text("[data-list=unplanned]")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        button = page.locator("#apply-form button[type=submit]")
        box = button.bounding_box()
        assert box["height"] >= 44
        button.click()
        page.locator("[data-import-done]").wait_for()
        assert "1 unggahan cocok dengan kalender, 1 di luar rencana" in page.inner_text(
            "[data-import-done]"
        )
        page.goto(base + "/calendar/list?month=2026-11")
        page.locator("a", has_text="Patroli pasar malam").first.click()
        page.wait_for_selector("#item-detail")
        assert page.inner_text("[data-metric=views]") == "12.400"
        assert "Tayang" in page.inner_text(".item-status")
        phone.close()
