"""In Chromium: a mentor writes a note with an RTL; the unit sees it and reports progress."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from calendarapp.mentoring.models import ActionItem, ActionStatus
from tests.browser.conftest import serve, sign_in
from tests.conftest import Factory
from tests.mentoring_world import build


@pytest.fixture
def mentoring_server(live_url) -> Iterator[str]:
    with serve(live_url, lambda: build(Factory())) as base:
        yield base


def test_a_note_with_an_rtl_reaches_the_unit(page, browser, mentoring_server, live_db):
    base = mentoring_server
    sign_in(page, base, "koordinator@kominfo.test")
    page.goto(f"{base}/trainings")
    page.click("text=FGD Pengelolaan Konten Media Sosial")
    satpol_row = page.locator("li[data-unit-id]").filter(has_text="Satuan Polisi Pamong Praja")
    assert "Belum ada catatan" in satpol_row.inner_text()
    satpol_row.locator("a", has_text="Tulis catatan").click()
    page.wait_for_url("**/mentoring/notes/new*")
    page.fill(
        "textarea[name=to_improve]",
        "Perbaiki kata-kata caption, kualitas foto, dan judul pada foto.",
    )
    page.fill("input[name=next_follow_up]", "2026-12-03")
    page.fill("input[name=actions-0-text]", "Pakai templat judul pada foto")
    page.select_option("select[name=actions-0-owner]", label="Bayu")
    page.fill("input[name=actions-0-due_on]", "2026-11-30")
    page.click("button:has-text('Simpan catatan')")
    page.wait_for_url("**/units/*/mentoring")
    assert "Pakai templat judul pada foto" in page.inner_text("#unit-mentoring")

    # Satpol PP's editor, on a phone
    phone = browser.new_context(viewport={"width": 375, "height": 812}, locale="id-ID")
    bayu = phone.new_page()
    bayu.set_default_timeout(10_000)
    errors: list[str] = []
    bayu.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(bayu, base, "editor@satpol.test")
    bayu.goto(page.url)
    action = bayu.locator("li.action").filter(has_text="Pakai templat judul pada foto")
    assert "Perbaiki kata-kata caption" in bayu.inner_text("#unit-mentoring")
    bayu.evaluate("window.__stillTheSamePage = true")
    action.locator("select[name=status]").select_option("dikerjakan")
    action.locator("button", has_text="Perbarui").click()
    # "Belum dikerjakan" (not started) contains "dikerjakan": wait on the state, not the words
    badge = bayu.locator("li.action .status-badge.rtl-dikerjakan")
    badge.wait_for()
    assert badge.inner_text() == "Dikerjakan"
    assert bayu.evaluate("window.__stillTheSamePage") is True  # htmx swapped the row only
    # ... and a week later, done
    action.locator("select[name=status]").select_option("selesai")
    action.locator("button", has_text="Perbarui").click()
    bayu.locator("li.action .status-badge.rtl-selesai").wait_for()
    assert bayu.evaluate("document.documentElement.scrollWidth") <= 375
    phone.close()
    assert errors == []
    with live_db() as session:
        saved = session.scalar(sa.select(ActionItem))
        assert saved.status == ActionStatus.SELESAI
