"""Amplifikasi in real Chromium: Prokopim on a desktop asks every kecamatan to share the Bupati's
post; a kecamatan admin on a 375 px phone copies the caption, answers with the link of its own
post and sees it accepted; Prokopim sees who answered and copies the WhatsApp list of those still
owing; a coordinator records an election period and a candidate, and a request to share the
candidate's post is refused with the rule and the dates."""

from __future__ import annotations

from datetime import timedelta

from tests.browser.conftest import serve, sign_in

PHONE = {"width": 375, "height": 800}


def _region() -> None:
    from calendarapp.accounts.models import Role, UnitKind
    from calendarapp.content.models import Platform
    from calendarapp.content.services import set_posted_links, walk_to
    from calendarapp.content.workflow import Status
    from calendarapp.extensions import db
    from tests.conftest import NOW, Factory

    make = Factory()
    prokopim = make.unit("Bagian Prokopim", "Prokopim", coordinates_coverage=True)
    aide = make.user("admin.satpolpp@demo.test", {prokopim: Role.ADMIN}, name="Sari Wulandari")
    for n, name in enumerate(("Cibening", "Sukamaju Kota")):
        unit = make.unit(f"Kecamatan {name}", f"Kec. {name}", kind=UnitKind.KECAMATAN)
        make.user(f"camat{n}@demo.test", {unit: Role.ADMIN}, name=f"Admin {name}")
    make.unit("Dinas Kesehatan", "Dinkes")
    make.user("koordinator@demo.test", coordinator=True, name="Rina Koordinator")
    post = make.item(prokopim, "Bupati meresmikan pasar rakyat", at=NOW - timedelta(days=1))
    walk_to(post, Status.TAYANG, aide)
    set_posted_links(post, {Platform.INSTAGRAM: "https://www.instagram.com/p/PASAR/"})
    db.session.commit()


def test_prokopim_asks_the_kecamatan_and_one_answers_from_a_phone(browser, live_url):
    with serve(live_url, _region) as base:
        desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
        desk.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
        aide = desk.new_page()
        aide.set_default_timeout(15_000)
        errors: list[str] = []
        aide.on("pageerror", lambda error: errors.append(str(error)))
        sign_in(aide, base)
        aide.goto(f"{base}/amplification/new")
        aide.fill("input[name=title]", "Peresmian pasar rakyat")
        aide.select_option(
            "select[name=source_item]", label="Bupati meresmikan pasar rakyat (Prokopim)"
        )
        aide.check("input[name=target][value=kind]")
        aide.select_option("select[name=kind]", "kecamatan")
        aide.fill("textarea[name=caption]", "Pasar rakyat baru untuk warga Sukamaju.")
        aide.click("#amplify-form button[type=submit]")
        aide.wait_for_url("**/amplification/*")
        assert aide.locator("[data-table=tracking] tbody tr").count() == 2  # the two kecamatan
        url = aide.url
        # a kecamatan admin, on a phone
        phone = browser.new_context(viewport=PHONE, locale="id-ID")
        phone.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
        camat = phone.new_page()
        camat.set_default_timeout(15_000)
        camat.on("pageerror", lambda error: errors.append(str(error)))
        camat.goto(f"{base}/login")
        camat.fill("input[name=email]", "camat0@demo.test")
        from tests.conftest import PASSWORD

        camat.fill("input[name=password]", PASSWORD)
        camat.click("form#login-form button[type=submit]")
        camat.wait_for_url(f"{base}/calendar/month")
        camat.goto(f"{base}/tasks")
        camat.click("[data-amplification-id] a")
        camat.wait_for_url(url)
        camat.click("button[data-copy='#caption-copy']")
        copied = camat.evaluate("navigator.clipboard.readText()")
        assert copied.startswith("Pasar rakyat baru untuk warga Sukamaju.")
        camat.fill("input[name=link]", "https://www.instagram.com/p/CIBENING/")
        camat.click(".answer-form button[type=submit]")
        camat.wait_for_selector("[data-target-id][data-state=on_time]")
        wide = camat.evaluate(
            """() => [...document.querySelectorAll('body *')]
                 .filter((e) => e.getBoundingClientRect().right > 376)
                 .map((e) => e.tagName + ' ' + (e.textContent || '').slice(0, 40))"""
        )
        assert camat.evaluate("document.documentElement.scrollWidth") <= 375, wide[:5]
        # the deadline is on the unit's calendar, answered
        camat.goto(f"{base}/calendar/month")
        chip = camat.locator("[data-date='2026-11-24'] .chip-amplify").inner_text()
        assert "Peresmian pasar rakyat" in chip and "sudah dijawab" in chip, chip
        # Prokopim sees it, and copies the list of those still owing
        aide.reload()
        states = aide.locator("[data-table=tracking] tbody tr").evaluate_all(
            "rows => rows.map(r => r.dataset.state)"
        )
        assert sorted(states) == ["on_time", "owing"]
        aide.click("button[data-copy='#owing-copy']")
        owing = aide.evaluate("navigator.clipboard.readText()")
        assert "masih berutang (1): Kec. Sukamaju Kota" in owing and url in owing
        phone.close()
        # an election: a coordinator records the campaign and the incumbent as a candidate
        boss = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
        coordinator = boss.new_page()
        coordinator.set_default_timeout(15_000)
        coordinator.on("pageerror", lambda error: errors.append(str(error)))
        sign_in(coordinator, base, "koordinator@demo.test")
        coordinator.goto(f"{base}/amplification/elections")
        coordinator.fill("#period-form input[name=name]", "Pilkada 2026: kampanye")
        coordinator.fill("#period-form input[name=starts_on]", "2026-11-20")
        coordinator.fill("#period-form input[name=ends_on]", "2026-12-05")
        coordinator.click("#period-form button[type=submit]")
        coordinator.wait_for_selector("[data-list=periods] [data-period-id]")
        coordinator.fill("#candidate-form input[name=name]", "Bupati petahana")
        coordinator.fill("#candidate-form input[name=handles]", "bupati.sukamaju")
        coordinator.click("#candidate-form button[type=submit]")
        coordinator.wait_for_selector("[data-list=candidates] [data-candidate-id]")
        boss.close()
        # Prokopim sees the rule and the dates, and a request to share the candidate's post fails
        aide.goto(f"{base}/amplification/new")
        rule = aide.locator("[data-election-rule]").inner_text()
        assert "Pilkada 2026: kampanye" in rule and "20 Nov 2026" in rule
        aide.fill("input[name=title]", "Video kampanye Bupati")
        aide.fill("input[name=source_url]", "https://www.tiktok.com/@bupati.sukamaju/video/77")
        aide.check("input[name=target][value=all]")
        aide.click("#amplify-form button[type=submit]")
        refusal = aide.locator(".form-error, .field-error").first.inner_text()
        assert "Pilkada 2026: kampanye" in refusal and "Bupati petahana" in refusal, refusal
        assert aide.url.endswith("/amplification/new")
        desk.close()
        assert errors == []
