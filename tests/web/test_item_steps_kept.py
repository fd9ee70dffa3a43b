"""The item page after a change is rendered from the item as this request loaded and changed it
(`web.keeping_loaded`), not loaded again: what it shows must be what a fresh look shows."""

from __future__ import annotations

import re

import sqlalchemy as sa

from calendarapp.content.models import ChecklistEntry, ContentItem
from calendarapp.extensions import db
from tests.web.test_items import HX, form_data, make_item


def _same_view(html: str) -> str:
    """The page without what differs between two answers by design: CSRF tokens."""
    html = re.sub(r'(name="csrf_token"[^>]*value=")[^"]+', r"\1", html)
    return re.sub(r'("X-CSRFToken": ")[^"]+', r"\1", html)


def _version(item_id: int) -> int:
    db.session.expire_all()
    return db.session.get(ContentItem, item_id).version


def test_every_step_shows_what_a_fresh_look_shows(client, auth, team, make, count_queries):
    item = make_item(make, team)
    auth.login("admin@satpol.test")
    token = auth.csrf(f"/items/{item.id}")

    def post(path: str, **data) -> str:
        with count_queries() as sent:
            response = client.post(path, data={"csrf_token": token, **data}, headers=HX)
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        assert response.headers["HX-Trigger"] == "itemsChanged"
        with count_queries() as fresh:
            look = client.get(f"/items/{item.id}", headers=HX)
        assert _same_view(response.get_data(as_text=True)) == _same_view(
            look.get_data(as_text=True)
        )
        # the item and its relations are read once: before the change, not again after it
        loads = [s for s in fresh.statements if "FROM content_item LEFT OUTER JOIN unit" in s]
        assert len(loads) == 1 and sent.statements.count(loads[0]) == 1
        return look.get_data(as_text=True)

    status = f"/items/{item.id}/status"
    post(status, target="draf", version=_version(item.id))
    post(f"/items/{item.id}/move", date="2026-11-28", version=_version(item.id))
    edited = form_data(client, path=f"/items/{item.id}", title="Edukasi Perda Ketertiban Umum")
    edited.update(caption="Satpol PP mengajak warga menjaga ketertiban pasar.", format="foto")
    page = post(f"/items/{item.id}", **{**edited, "version": _version(item.id)})
    assert "Edukasi Perda Ketertiban Umum" in page
    post(status, target="ditinjau", version=_version(item.id))
    page = post(
        status, target="perlu_revisi", note="Foto pasar belum ada", version=_version(item.id)
    )
    assert "Foto pasar belum ada" in page  # the note, as a comment and in the history
    for target in ("draf", "ditinjau"):
        post(status, target=target, version=_version(item.id))
    for entry in db.session.scalars(sa.select(ChecklistEntry).where(ChecklistEntry.required)):
        tick = client.post(
            f"/items/{item.id}/checklist",
            data={"csrf_token": token, "entry": entry.id, "checked": "y"},
        )
        assert tick.status_code == 303
    for target in ("disetujui", "terjadwal"):
        post(status, target=target, version=_version(item.id))
    page = post(
        status,
        target="tayang",
        version=_version(item.id),
        link_instagram="https://www.instagram.com/p/xyz/",
        link_facebook="https://www.facebook.com/satpolpp/posts/9",
    )
    assert "https://www.instagram.com/p/xyz/" in page
    db.session.expire_all()
    assert len(db.session.get(ContentItem, item.id).posted_links) == 2
