"""In Chromium: the coordinator finds the silent unit and downloads the report; an admin's phone."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from tests.browser.conftest import serve, sign_in
from tests.conftest import Factory
from tests.monitoring_world import build


@pytest.fixture
def monitoring_server(live_url) -> Iterator[str]:
    with serve(live_url, lambda: build(Factory())) as base:
        yield base


def test_the_coordinator_finds_the_silent_unit_and_downloads_the_pdf(page, monitoring_server):
    base = monitoring_server
    sign_in(page, base, "koordinator@test")
    page.click("nav.site-nav >> text=Pantauan")
    page.wait_for_url("**/monitoring")
    # the overview fits a laptop's screen: the flags are in view without scrolling sideways
    page.set_viewport_size({"width": 1366, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    overview = page.locator("table.overview-table")
    assert page.evaluate(
        "e => e.scrollWidth <= e.parentElement.clientWidth", overview.element_handle()
    )
    flag_box = overview.locator(".flags-col .flag-silent").first.bounding_box()
    assert flag_box is not None and flag_box["x"] + flag_box["width"] <= 1366
    # the other columns wait under "Every figure", folded
    assert not page.locator("table.scorecard").is_visible()
    # one tap on "last post" puts the longest silence on top: units that never posted, then
    # the kecamatan whose last post was in September
    page.click("a[data-overview-sort=last]")
    page.wait_for_url("**sort=last**")
    rows = overview.locator("tbody tr")
    assert "belum pernah" in rows.first.inner_text() and "Senyap" in rows.first.inner_text()
    camat = rows.filter(has_text="Kec. Cibening")
    assert "Senyap" in camat.inner_text()
    posted = [text for text in rows.all_inner_texts() if "belum pernah" not in text]
    assert posted[0].startswith("Kec. Cibening")
    # each week of the silent kecamatan is a cell that says nothing was published
    assert set(camat.locator("td.heat").evaluate_all("cs => cs.map(c => c.dataset.heat)")) == {
        "none"
    }
    # opening it fetches the table (htmx, once: on the folded part htmx has settled)
    page.locator(".htmx-added").first.wait_for(state="detached")
    page.click("summary:has-text('Semua angka')")
    page.wait_for_selector("table.scorecard")
    assert page.locator("table.scorecard").is_visible()
    camat.locator("th a").click()
    page.wait_for_url("**/monitoring/units/*")
    assert "83 hari lalu" in page.inner_text("[data-figure=last]")

    page.goto(f"{base}/monitoring/report?month=2026-11")
    silent = page.inner_text("[data-list=silent]")
    assert "Kecamatan Cibening" in silent
    with page.expect_download() as download:
        page.click("text=Unduh PDF")
    path = download.value.path()
    assert download.value.suggested_filename == "laporan-pantauan-2026-11.pdf"
    with open(path, "rb") as f:
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(f.read())).pages)
    published = page.inner_text("[data-figure=published]")
    assert f"Unggahan tayang {published}" in text
    assert "Kecamatan Cibening" in text


def _on_a_phone(browser, base: str, email: str):
    """Pantauan on a 375 px phone, signed in as `email`: the context, the page, its errors."""
    phone = browser.new_context(viewport={"width": 375, "height": 812}, locale="id-ID")
    page = phone.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, base, email)
    page.goto(f"{base}/monitoring")
    return phone, page, errors


def test_a_unit_admin_sees_their_own_scorecard_on_a_phone(browser, monitoring_server):
    phone, page, errors = _on_a_phone(browser, monitoring_server, "admin@satpol.test")
    card = page.locator("table.scorecard tbody tr").first
    assert "Satuan Polisi Pamong Praja" in card.inner_text()
    assert "3 / 8" in card.inner_text()
    assert page.locator("[data-region-median]").is_visible()
    assert "Cibening" not in page.content()
    # one unit, one card: nothing wider than the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # choosing a month swaps the scorecard in place and keeps the address
    page.select_option("select[name=month]", "2026-11")
    page.wait_for_url("**month=2026-11**")
    assert "3 / " in page.locator("table.scorecard tbody tr").first.inner_text()
    phone.close()
    assert errors == []


def test_the_coordinator_sorts_every_figure_on_a_phone(browser, monitoring_server):
    """On a phone the table of every figure is a card per unit without its header row: the
    coordinator opens it and picks the figure to sort by; the table stays open."""
    phone, page, errors = _on_a_phone(browser, monitoring_server, "koordinator@test")
    page.click("summary:has-text('Semua angka')")
    page.locator("form.figure-sort select[name=sort]").wait_for()
    page.locator(".htmx-added").first.wait_for(state="detached")  # the fetched table, settled
    header = page.locator("table.scorecard thead").bounding_box()  # the cards' header row:
    assert header is not None and header["x"] + header["width"] <= 0  # out of sight
    # each choice swaps the scorecard in: the next one is made on the new form, once htmx has
    # settled it (swapped-in content carries `htmx-added` until htmx has processed it)
    page.select_option("form.figure-sort select[name=dir]", "desc")
    page.locator("form.figure-sort option[value=desc][selected]").wait_for(state="attached")
    page.locator(".htmx-added").first.wait_for(state="detached")
    page.locator("form.figure-sort select[name=sort]").select_option(label="Jeda terpanjang")
    page.locator("form.figure-sort option[value=gap][selected]").wait_for(state="attached")
    page.wait_for_url("**sort=gap**")
    assert "columns=all" in page.url and "dir=desc" in page.url
    assert page.locator("details#all-columns[open] table.scorecard").count() == 1
    # the longest gap first: the kecamatan silent since September, on top
    assert "Kecamatan Cibening" in page.locator("table.scorecard tbody tr").first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    phone.close()
    assert errors == []
