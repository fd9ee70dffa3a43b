"""Twenty quick taps on "Simpan" of one new item, on both engines: one item is made, and every
answer leads to it (no error page when two saves race on the form's one-time token)."""

from __future__ import annotations

import threading

import sqlalchemy as sa

from calendarapp.accounts.models import Role
from calendarapp.content.models import ContentItem
from calendarapp.extensions import db
from tests.conftest import signed_in
from tests.web.test_items import form_data

TAPS = 20


def test_twenty_quick_submits_of_one_new_item_make_one_item(app, make):
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    make.user("admin@satpol.test", {satpol: Role.ADMIN})
    client, _auth = signed_in(app, "admin@satpol.test")
    data = form_data(client, title="Siaga banjir")
    start, answers = threading.Barrier(TAPS), [None] * TAPS

    def submit(n: int) -> None:
        start.wait()
        response = client.post("/items/new", data=data)
        answers[n] = (response.status_code, response.headers.get("Location"))

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(TAPS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.expire_all()
    items = db.session.scalars(sa.select(ContentItem).where(ContentItem.title == "Siaga banjir"))
    (item,) = items.all()
    assert answers == [(303, f"/items/{item.id}")] * TAPS
