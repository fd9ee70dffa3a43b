"""The optional Instagram connector (`flask accounts-sync`) against a local server that answers as
the Graph API's Business Discovery is documented to: a Bearer token, `fields` with the nested
media edge, errors as {"error": {"code": ..., "message": ...}}. It reads followers and recent
posts into the same reconciliation as an import; an account that cannot be read is kept with
its reason and shown in the register; an expired token or a rate limit stops the run; without
the settings it says it is off. Clock: 23 November 2026, 09.00 WIB."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from calendarapp.accounts.models import Role
from calendarapp.content.models import ContentItem, Platform
from calendarapp.content.services import set_posted_links, walk_to
from calendarapp.content.workflow import Status
from calendarapp.extensions import db
from calendarapp.performance.models import AccountSync, FigureSource, FollowerCount, PostMetric
from calendarapp.socialaccounts.models import SocialAccount
from tests.conftest import signed_in

IG_USER = "17841400000000001"
TOKEN = "uji-token-rahasia"
REGISTERED = datetime(2026, 1, 5, tzinfo=UTC)
NIGHT = "Patroli malam di pasar induk bersama warga"


class Graph:
    """What the local Graph API answers for each username, and what it was asked."""

    def __init__(self) -> None:
        self.answers: dict[str, tuple[int, dict]] = {}
        self.asked: list[tuple[str, str]] = []  # (username, authorization header)
        self.token = TOKEN


def serve(graph: Graph) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            url = urlsplit(self.path)
            fields = parse_qs(url.query).get("fields", [""])[0]
            found = re.fullmatch(
                r"business_discovery\.username\(([\w.]+)\)\{followers_count,media_count,"
                r"media\.limit\(\d+\)\{([\w,]+)\}\}",
                fields,
            )
            authorization = self.headers.get("Authorization", "")
            graph.asked.append((found[1] if found else "", authorization))
            if url.path != f"/v25.0/{IG_USER}" or not found or "timestamp" not in found[2]:
                status, body = 400, {"error": {"message": "(#100) Invalid parameter",
                                               "type": "OAuthException", "code": 100}}  # fmt: skip
            elif authorization != f"Bearer {graph.token}":
                status, body = 400, {"error": {"message": "Error validating access token: "
                                               "Session has expired", "type": "OAuthException",
                                               "code": 190, "error_subcode": 463}}  # fmt: skip
            else:
                status, body = graph.answers.get(found[1], (400, {"error": {
                    "message": "Invalid user id", "type": "OAuthException", "code": 110,
                    "error_subcode": 2207013}}))  # fmt: skip
                if status == 200:
                    body = {"business_discovery": body, "id": IG_USER}
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def graph(app) -> Iterator[Graph]:
    graph = Graph()
    server = serve(graph)
    app.config.update(
        META_IG_USER_ID=IG_USER,
        META_ACCESS_TOKEN=TOKEN,
        META_GRAPH_URL=f"http://127.0.0.1:{server.server_port}/v25.0",
    )
    yield graph
    server.shutdown()
    server.server_close()


def media(media_id: str, when: str, caption: str, likes: int | None = 12, comments: int = 3):
    row = {"id": media_id, "caption": caption, "comments_count": comments, "media_type": "IMAGE",
           "permalink": f"https://www.instagram.com/p/{media_id}/", "timestamp": when}  # fmt: skip
    if likes is not None:
        row["like_count"] = likes
    return row


@pytest.fixture
def world(make):
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    bpbd = make.unit("Badan Penanggulangan Bencana Daerah", "BPBD")
    dinkes = make.unit("Dinas Kesehatan", "Dinkes")
    admin = make.user("admin@satpol.test", {satpol: Role.ADMIN})
    make.user("koordinator@test", coordinator=True)
    accounts = {}
    for unit, handle in ((satpol, "satpolpp.sukamaju"), (bpbd, "bpbd.sukamaju"),
                         (dinkes, "dinkes.sukamaju")):  # fmt: skip
        accounts[handle] = SocialAccount(
            unit=unit, platform=Platform.INSTAGRAM, handle=handle, handle_key=handle,
            url=f"https://www.instagram.com/{handle}/",
            created_at=REGISTERED, updated_at=REGISTERED,
        )  # fmt: skip
        db.session.add(accounts[handle])
    db.session.commit()
    linked = make.item(satpol, "Razia knalpot", at=datetime(2026, 11, 18, 9, tzinfo=UTC),
                       platforms=[Platform.INSTAGRAM])  # fmt: skip
    walk_to(linked, Status.TAYANG, admin)
    set_posted_links(linked, {Platform.INSTAGRAM: "https://www.instagram.com/p/LINKED/"})
    scheduled = make.item(satpol, "Patroli malam pasar", at=datetime(2026, 11, 20, 12, tzinfo=UTC),
                          platforms=[Platform.INSTAGRAM])  # fmt: skip
    scheduled.caption = NIGHT
    walk_to(scheduled, Status.TERJADWAL, admin)
    doubtful = make.item(satpol, "Apel pagi", at=datetime(2026, 11, 21, 0, tzinfo=UTC),
                         platforms=[Platform.INSTAGRAM])  # fmt: skip
    doubtful.caption = "Apel pagi seluruh anggota"
    walk_to(doubtful, Status.TERJADWAL, admin)
    db.session.commit()
    return {"linked": linked, "scheduled": scheduled, "doubtful": doubtful, **accounts}


def satpol_answer() -> tuple[int, dict]:
    return 200, {
        "followers_count": 4820,
        "media_count": 310,
        "id": "17841400000000002",
        "media": {
            "data": [
                media("LINKED", "2026-11-18T09:05:00+0000", "Razia knalpot brong", likes=88),
                media("NIGHT", "2026-11-20T12:10:00+0000", NIGHT),
                media("GYM", "2026-11-21T00:20:00+0000", "Senam bersama di alun-alun"),
                media("NEW", "2026-11-22T03:00:00+0000", "Sosialisasi perda", likes=None),
                media("OLD", "2026-09-01T03:00:00+0000", "Sebelum 31 hari terakhir"),
                {"id": "BAD", "permalink": "https://contoh.test/p/BAD", "timestamp": "kemarin"},
            ],
            "paging": {"cursors": {"after": "QVFIUk"}},
        },
    }  # fmt: skip


def test_the_connector_reads_followers_and_posts_into_the_calendar(app, world, graph):
    graph.answers["satpolpp.sukamaju"] = satpol_answer()
    graph.answers["dinkes.sukamaju"] = (200, {"followers_count": 1500, "media_count": 0,
                                              "id": "3", "media": {"data": []}})  # fmt: skip
    result = app.test_cli_runner().invoke(args=["accounts-sync"])
    assert result.exit_code == 0, result.output
    assert "2 account(s) read, 1 not." in result.output
    assert "@bpbd.sukamaju: apakah akun profesional" in result.output
    # the token travels in a header, never in the address (which logs keep)
    assert {auth for _user, auth in graph.asked} == {f"Bearer {TOKEN}"}
    assert [user for user, _auth in graph.asked] == [
        "satpolpp.sukamaju", "bpbd.sukamaju", "dinkes.sukamaju"]  # fmt: skip
    db.session.expire_all()
    counts = db.session.execute(
        sa.select(SocialAccount.handle, FollowerCount.measured_on, FollowerCount.followers,
                  FollowerCount.source).join(FollowerCount.account).order_by(SocialAccount.handle)
    ).all()  # fmt: skip
    assert counts == [
        ("dinkes.sukamaju", date(2026, 11, 23), 1500, FigureSource.API),
        ("satpolpp.sukamaju", date(2026, 11, 23), 4820, FigureSource.API),
    ]
    metrics = {m.post_key: m for m in db.session.scalars(sa.select(PostMetric))}
    assert sorted(metrics) == ["GYM", "LINKED", "NEW", "NIGHT"]  # not the old one, not the bad
    assert metrics["LINKED"].item_id == world["linked"].id and metrics["LINKED"].likes == 88
    assert metrics["NIGHT"].item_id == world["scheduled"].id
    assert db.session.get(ContentItem, world["scheduled"].id).status == Status.TAYANG
    # near "Apel pagi" but another caption: nobody can confirm, so it waits, on no item
    assert metrics["GYM"].item_id is None
    assert db.session.get(ContentItem, world["doubtful"].id).status == Status.TERJADWAL
    assert metrics["NEW"].likes is None and metrics["NEW"].comments == 3  # hidden like count
    unplanned = db.session.scalars(sa.select(ContentItem).where(ContentItem.unplanned)).all()
    assert [i.title for i in unplanned] == ["Sosialisasi perda"]
    # a second run updates, never doubles
    graph.answers["satpolpp.sukamaju"][1]["media"]["data"][0]["like_count"] = 90
    assert app.test_cli_runner().invoke(args=["accounts-sync"]).exit_code == 0
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PostMetric)) == 4
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ContentItem)) == 4
    likes = db.session.scalar(sa.select(PostMetric.likes).where(PostMetric.post_key == "LINKED"))
    assert likes == 90
    # the register shows who was read and why one was not
    coordinator, _auth = signed_in(app, "koordinator@test")
    html = coordinator.get("/accounts").get_data(as_text=True)
    rows = dict(re.findall(r'data-account-id="(\d+)">(.*?)</tr>', html, re.S))
    assert 'data-sync="error"' in rows[str(world["bpbd.sukamaju"].id)]
    assert "akun profesional" in rows[str(world["bpbd.sukamaju"].id)]
    assert 'data-sync="ok"' in rows[str(world["satpolpp.sukamaju"].id)]


def test_an_expired_token_or_a_rate_limit_stops_the_run_and_shows(app, world, graph):
    graph.token = "another"
    result = app.test_cli_runner().invoke(args=["accounts-sync"])
    assert result.exit_code == 0
    assert "token akses kedaluwarsa" in result.output and "Stopped" in result.output
    assert len(graph.asked) == 1  # nothing more is tried with a dead token
    sync = db.session.scalar(sa.select(AccountSync))
    assert sync.error.startswith("token:") and sync.read_at is None
    graph.token = TOKEN
    graph.answers["satpolpp.sukamaju"] = (403, {"error": {
        "message": "(#4) Application request limit reached", "type": "OAuthException",
        "code": 4}})  # fmt: skip
    assert "batas" in app.test_cli_runner().invoke(args=["accounts-sync"]).output
    assert len(graph.asked) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FollowerCount)) == 0
    admin, _auth = signed_in(app, "admin@satpol.test")
    page = admin.get(f"/units/{world['satpolpp.sukamaju'].unit_id}/accounts")
    assert page.status_code == 200 and 'data-sync="error"' in page.get_data(as_text=True)


def test_without_a_meta_app_the_connector_says_it_is_off(app, world):
    app.config.update(META_IG_USER_ID="", META_ACCESS_TOKEN="")
    result = app.test_cli_runner().invoke(args=["accounts-sync"])
    assert result.exit_code == 1 and "META_ACCESS_TOKEN" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AccountSync)) == 0
