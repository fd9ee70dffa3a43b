"""An item's page shows its latest comments, the rest on request: a long review thread costs a
page (and a phone) no more than a short one (content/reads.thread)."""

from __future__ import annotations

import re
from datetime import timedelta

from calendarapp import clock
from calendarapp.content.models import Comment
from calendarapp.content.reads import COMMENTS_SHOWN
from calendarapp.extensions import db
from tests.conftest import NOW
from tests.web.test_items import HX, make_item


def _said(html: str) -> list[str]:
    return re.findall(r"<p>(Catatan \d+)</p>", html)


def _thread(item, count: int, team) -> None:
    for n in range(count):
        comment = Comment(item=item, author=team["editor"], body=f"Catatan {n + 1}")
        comment.created_at = NOW + timedelta(minutes=n)
        db.session.add(comment)
    db.session.commit()


def test_a_long_thread_shows_its_latest_and_the_rest_on_request(
    client, auth, team, make, count_queries
):
    item = make_item(make, team)
    _thread(item, 3, team)
    auth.login("admin@satpol.test")
    with count_queries() as short:
        page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert _said(page) == ["Catatan 1", "Catatan 2", "Catatan 3"]
    assert "earlier-comments" not in page
    _thread(item, 40, team)  # 43 in all: Catatan 1-3, then 1-40 again
    with count_queries() as long:
        page = client.get(f"/items/{item.id}").get_data(as_text=True)
    shown = _said(page)
    assert len(shown) == COMMENTS_SHOWN and shown[-1] == "Catatan 40"  # the latest, oldest first
    assert shown == [f"Catatan {n}" for n in range(21, 41)]
    assert "Tampilkan 23 komentar sebelumnya" in page
    # one more statement (how many came before), however long the thread
    assert long.count == short.count + 1
    # the rest: htmx swaps the whole thread in; without scripts, the page shows it all
    swap = {**HX, "HX-Target": f"comments-{item.id}"}
    whole = client.get(f"/items/{item.id}?comments=all", headers=swap)
    section = whole.get_data(as_text=True)
    assert section.lstrip().startswith('<section class="card comments"') and "<html" not in section
    assert len(_said(section)) == 43 and "earlier-comments" not in section
    assert len(_said(client.get(f"/items/{item.id}?comments=all").get_data(as_text=True))) == 43
    assert client.get(f"/items/{item.id}?comments=some").status_code == 400


def test_a_comment_sent_on_a_long_thread_shows_with_the_latest(client, auth, team, make):
    item = make_item(make, team)
    _thread(item, COMMENTS_SHOWN + 5, team)
    auth.login("admin@satpol.test")
    token = auth.csrf(f"/items/{item.id}")
    with clock.frozen(NOW + timedelta(hours=2)):
        sent = client.post(f"/items/{item.id}/comments", headers=HX,
                           data={"csrf_token": token, "body": "Catatan 99"})  # fmt: skip
    section = sent.get_data(as_text=True)
    assert sent.status_code == 200 and _said(section)[-1] == "Catatan 99"
    assert len(_said(section)) == COMMENTS_SHOWN and "Tampilkan 6 komentar sebelumnya" in section
    db.session.expire_all()
    assert db.session.query(Comment).filter_by(item_id=item.id).count() == COMMENTS_SHOWN + 6
