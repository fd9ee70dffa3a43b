"""Two app hosts behind one load balancer, on one PostgreSQL database (issue 17): a person
signed in on one is signed in on the other, a change made through one shows at once on the
other's pages and feeds, and signing out on one ends the session on both."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from calendarapp import create_app
from calendarapp.accounts.models import Role
from calendarapp.config import settings_for_tests
from calendarapp.extensions import db
from calendarapp.feeds import services as feeds
from calendarapp.feeds.models import FeedScope
from tests.conftest import IsolatedClient, csrf_token_from, missing, signed_in


@pytest.fixture
def database_url(request):
    """Production's shape: PostgreSQL only."""
    if request.getfixturevalue("postgres_schema") is None:
        missing("PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql")
    current = request.getfixturevalue("postgres_current")
    current.reset()
    return current.url


def test_two_hosts_share_sessions_changes_and_feeds(app, database_url, make):
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    admin = make.user("admin@satpol.test", {satpol: Role.ADMIN})
    item = make.item(satpol, "Patroli pasar", at=datetime(2026, 11, 25, 2, tzinfo=UTC))
    _token, raw = feeds.issue(admin, FeedScope.UNIT, satpol, True)  # ideas and drafts too
    db.session.commit()
    # the second host: its own process state, the same database and the same secret key
    second = create_app(settings_for_tests(database_url, SECRET_KEY=app.config["SECRET_KEY"]))
    second.test_client_class = IsolatedClient
    host_a, _auth = signed_in(app, "admin@satpol.test")
    host_b = second.test_client()

    def browser_moves(source, target) -> None:
        """One browser, one cookie jar: what one host set, the next request to the other sends."""
        target.set_cookie("session", source.get_cookie("session").value)

    browser_moves(host_a, host_b)
    month = host_b.get("/calendar/month?month=2026-11")
    assert month.status_code == 200 and "Patroli pasar" in month.get_data(as_text=True)
    feed_before = host_b.get(f"/feeds/{raw}.ics")
    assert b"DTSTART;TZID=Asia/Jakarta:20261125T090000" in feed_before.data

    browser_moves(host_b, host_a)
    moved = host_a.post(
        "/calendar/move",
        data={"item": item.id, "date": "2026-11-27", "version": item.version},
        headers={"HX-Request": "true", "X-CSRFToken": csrf_token_from(month.get_data(True))},
    )
    assert moved.status_code == 200

    # host B kept its month grid at the serial before the move: it must look again
    month_after = host_b.get("/calendar/month?month=2026-11").get_data(as_text=True)
    friday = month_after[
        month_after.index('data-date="2026-11-27"') : month_after.index('data-date="2026-11-28"')
    ]
    assert "Patroli pasar" in friday
    week = host_b.get("/calendar/week?week=2026-W48").get_data(as_text=True)
    thursday = week[week.index('data-date="2026-11-27"') : week.index('data-date="2026-11-28"')]
    assert "Patroli pasar" in thursday
    feed_after = host_b.get(
        f"/feeds/{raw}.ics", headers={"If-None-Match": feed_before.headers["ETag"]}
    )
    assert feed_after.status_code == 200  # not a stale 304 from the other host
    assert b"DTSTART;TZID=Asia/Jakarta:20261127T090000" in feed_after.data

    stolen = host_a.get_cookie("session").value  # e.g. a copy left on a shared computer
    page = host_a.get("/calendar/month").get_data(as_text=True)
    assert host_a.post("/logout", data={"csrf_token": csrf_token_from(page)}).status_code in (
        302,
        303,
    )
    host_b.set_cookie("session", stolen)
    assert host_b.get("/calendar/month").status_code == 302  # the sign-in ended on both hosts
    with second.app_context():
        db.engine.dispose()
