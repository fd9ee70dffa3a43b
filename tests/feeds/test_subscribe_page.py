"""Langganan Kalender: links shown once, QR code, new links and revoking."""

import re

import pytest

from calendarapp.accounts.models import Role
from calendarapp.extensions import db
from calendarapp.feeds.models import FeedToken


@pytest.fixture
def people(make):
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    make.user("admin@satpol.test", {satpol: Role.ADMIN})
    make.user("admin2@satpol.test", {satpol: Role.ADMIN})
    make.user("koordinator@kominfo.test", coordinator=True)
    return {"satpol": satpol}


def issue(client, token, scope, unit=""):
    return client.post("/feeds", data={"csrf_token": token, "scope": scope, "unit": unit})


def test_a_member_makes_a_link_and_sees_it_once_with_a_qr_code(client, auth, people):
    auth.login("admin@satpol.test")
    page = client.get("/feeds")
    html = page.get_data(as_text=True)
    assert "Langganan Kalender" in html and "Rencana unit · Satpol PP" in html
    assert 'data-feed="region"' not in html  # only coordinators have the region feed
    assert page.headers["X-Robots-Tag"].startswith("noindex")
    made = issue(client, auth.csrf("/feeds"), "unit", str(people["satpol"].id))
    html = made.get_data(as_text=True)
    url = re.search(r">(http://localhost/feeds/[^<]+\.ics)</textarea>", html).group(1)
    assert 'href="webcal://localhost/feeds/' in html and "<svg" in html
    assert client.get(url.removeprefix("http://localhost")).status_code == 200
    again = client.get("/feeds").get_data(as_text=True)
    assert url not in again  # only the hash is kept: the link cannot be shown again
    token = db.session.scalar(db.select(FeedToken))
    assert token.token_sha256 not in again and len(token.token_sha256) == 64


def test_revoking_stops_the_link(client, auth, people):
    auth.login("admin@satpol.test")
    html = issue(client, auth.csrf("/feeds"), "personal").get_data(as_text=True)
    path = re.search(r">http://localhost(/feeds/[^<]+\.ics)</textarea>", html).group(1)
    token = db.session.scalar(db.select(FeedToken))
    client.post(f"/feeds/{token.id}/revoke", data={"csrf_token": auth.csrf("/feeds")})
    assert client.get(path).status_code == 404


def test_nobody_revokes_or_makes_someone_elses_links(client, auth, people, make):
    auth.login("admin@satpol.test")
    issue(client, auth.csrf("/feeds"), "personal")
    token = db.session.scalar(db.select(FeedToken))
    client.post("/logout", data={"csrf_token": auth.csrf("/logout")})
    auth.login("admin2@satpol.test")
    csrf = auth.csrf("/feeds")
    assert client.post(f"/feeds/{token.id}/revoke", data={"csrf_token": csrf}).status_code == 404
    other = make.unit("Badan Penanggulangan Bencana Daerah", "BPBD")
    assert issue(client, csrf, "unit", str(other.id)).status_code == 404
    assert issue(client, csrf, "region").status_code == 404
    assert issue(client, csrf, "galaxy").status_code == 400
    db.session.expire_all()
    assert db.session.get(FeedToken, token.id).active


def test_the_coordinator_has_the_region_feed(client, auth, people):
    auth.login("koordinator@kominfo.test")
    assert 'data-feed="region"' in client.get("/feeds").get_data(as_text=True)
    assert issue(client, auth.csrf("/feeds"), "region").status_code == 200


def test_a_new_link_is_built_ahead_so_the_phones_first_fetch_is_a_kept_answer(
    client, auth, make, count_queries
):
    import re

    from calendarapp.accounts.models import Role
    from calendarapp.feeds.models import FeedScope

    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    make.user("admin@satpol.test", {satpol: Role.ADMIN})
    make.item(satpol, "Patroli pasar")
    auth.login("admin@satpol.test")
    page = client.post(
        "/feeds",
        data={"csrf_token": auth.csrf("/feeds"), "scope": FeedScope.PERSONAL.value, "unit": ""},
    )
    assert page.status_code == 200
    path = re.search(r"(/feeds/[A-Za-z0-9_-]{20,}\.ics)", page.get_data(as_text=True)).group(1)
    with count_queries() as first:
        answer = client.get(path)
    assert answer.status_code == 200 and answer.get_data().startswith(b"BEGIN:VCALENDAR")
    # the kept row, its bytes, and when the phone first came: nothing read or rendered now
    assert len(first.statements) == 3
    assert not any("content_item" in statement for statement in first.statements)
