"""Notices on a phone, in real Chromium at 375 px. Headless Chromium has no push service
(Playwright #23954), so the test hands the service worker a push event as the push service would
and reads the notification it shows; the "turn on" button says clearly why it cannot subscribe
here. Then the unit head's link: the editor makes it, the head (no account) opens it on a phone
and approves."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import sqlalchemy as sa

from tests.browser.conftest import serve, sign_in

PHONE = {"width": 375, "height": 800}


def _region() -> None:
    from calendarapp.accounts.models import Role
    from calendarapp.content.models import ChecklistEntry, ChecklistTick
    from calendarapp.content.services import walk_to
    from calendarapp.content.workflow import Status
    from calendarapp.extensions import db
    from tests.conftest import NOW, Factory

    make = Factory()
    unit = make.unit(
        "Dinas Kependudukan dan Pencatatan Sipil", "Dindukcapil",
        head_position="Kepala Dinas", head_name="Agus Prasetyo", head_whatsapp="6281234500103",
        requires_head_approval=True,
    )  # fmt: skip
    editor = make.user("admin.satpolpp@demo.test", {unit: Role.ADMIN}, name="Yuni Astuti")
    item = make.item(unit, "Jemput bola KTP-el", at=NOW + timedelta(days=2))
    item.caption = "Layanan jemput bola KTP-el di Kecamatan Cibening, Rabu pagi."
    required = db.session.scalars(sa.select(ChecklistEntry).where(ChecklistEntry.required))
    item.ticks.extend(ChecklistTick(entry_id=e.id, created_at=NOW) for e in required)
    walk_to(item, Status.DITINJAU, editor)
    db.session.commit()


def test_a_push_shows_what_and_where_and_the_button_explains_itself(browser, live_url):
    with serve(live_url, _region) as base:
        context = browser.new_context(viewport=PHONE, locale="id-ID")
        context.grant_permissions(["notifications"], origin=base)
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        sign_in(page, base)
        page.goto(f"{base}/account/notifications")
        # (waits run as selectors and evaluate(): the site's CSP forbids eval, rightly)
        assert page.evaluate("async () => Boolean(await navigator.serviceWorker.ready)")
        # no push service in headless Chromium: the button says it could not turn them on
        page.click("[data-push-subscribe]")
        page.wait_for_selector("[data-push-status]:not(:empty)")
        assert "tidak dapat" in page.inner_text("[data-push-status]").lower()
        # the push event a push service would deliver, with what our worker sends
        worker = (
            context.service_workers[0]
            if context.service_workers
            else context.wait_for_event("serviceworker")
        )
        notice = {"title": "Yuni Astuti menugaskan Anda pada unggahan",
                  "body": "Jemput bola KTP-el · Dindukcapil", "path": "/items/1",
                  "tag": "notice-7"}  # fmt: skip
        shown = worker.evaluate(
            """async (data) => {
                 try { self.dispatchEvent(new PushEvent("push", { data })); } catch (e) {}
                 for (let i = 0; i < 50; i += 1) {
                   const found = await self.registration.getNotifications({ tag: "notice-7" });
                   if (found.length) return found.map((n) => ({ title: n.title, body: n.body,
                                                               tag: n.tag, data: n.data }));
                   await new Promise((r) => setTimeout(r, 100));
                 }
                 return [];
               }""",
            json.dumps(notice),
        )
        assert shown == [{"title": notice["title"], "body": notice["body"], "tag": "notice-7",
                          "data": {"path": "/items/1"}}]  # fmt: skip
        # a repeat of the same notice replaces it on the screen, it does not pile up
        again = worker.evaluate(
            """async (data) => {
                 try { self.dispatchEvent(new PushEvent("push", { data })); } catch (e) {}
                 await new Promise((r) => setTimeout(r, 300));
                 return (await self.registration.getNotifications({ tag: "notice-7" })).length;
               }""",
            json.dumps(notice),
        )
        assert again == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        context.close()
        assert errors == []


def test_the_head_approves_from_the_link_on_a_phone(browser, live_url):
    with serve(live_url, _region) as base:
        editor_context = browser.new_context(viewport=PHONE, locale="id-ID")
        editor_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
        editor = editor_context.new_page()
        editor.set_default_timeout(15_000)
        sign_in(editor, base)
        editor.goto(f"{base}/items/1")
        editor.click("[data-ask-head]")
        editor.wait_for_selector("#head-link")
        url = editor.input_value("[data-head-url]")
        assert re.fullmatch(rf"{re.escape(base)}/approve/[\w-]{{40,}}", url)
        assert (
            editor.locator("[data-whatsapp]")
            .get_attribute("href")
            .startswith("https://wa.me/6281234500103?text=")
        )
        assert editor.evaluate("document.documentElement.scrollWidth") <= 375
        editor.click("button[data-copy='#head-message']")
        message = editor.evaluate("navigator.clipboard.readText()")
        assert message.startswith("Yth. Kepala Dinas Agus Prasetyo") and message.endswith(url)
        # the head, on a phone, without an account
        head_context = browser.new_context(viewport=PHONE, locale="id-ID")
        head = head_context.new_page()
        head.set_default_timeout(15_000)
        head.goto(url)
        assert "Layanan jemput bola KTP-el" in head.inner_text("[data-caption]")
        assert head.evaluate("document.documentElement.scrollWidth") <= 375
        head.click("button[value=approve]")
        head.wait_for_selector("#head-gone[data-state=decided]")
        assert "Agus Prasetyo memutuskan" in head.inner_text("#head-gone")
        editor.goto(f"{base}/items/1")
        assert "Disetujui oleh Kepala Dinas Agus Prasetyo melalui tautan" in editor.content()
        head_context.close()
        editor_context.close()
