"""Every route of app.url_map is protected: a page needs a sign-in unless it is on the short list
below, and every state change refuses a request without the form's CSRF token. A new route is
walked as soon as it exists."""

from __future__ import annotations

import shutil

import pytest

from calendarapp.accounts.models import Role
from tests.conftest import signed_in

# Open without signing in, on purpose: the sign-in itself, the language switch, static files
# and the calendar feeds (a phone cannot sign in: the secret link is the credential).
PUBLIC = {
    "accounts.login",
    "accounts.logout",
    "accounts.set_locale",
    "static",
    "feeds.feed",
    "offline.service_worker",  # the worker and its offline page hold no data
    "offline.page",
    "socialaccounts.directory",  # the public directory of official accounts, for citizens
    "unit_people.invite",  # a one-time link to set one's own password
    "head.approve",  # the unit head's one-time approval link (no account; GET changes nothing)
}


@pytest.fixture
def database_url(tmp_path, sqlite_template):
    """Routing and CSRF do not depend on the database: SQLite only."""
    path = tmp_path / "calendar.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def paths(app, method: str) -> list[tuple[str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        if method not in rule.methods:
            continue
        values = {arg: 1 for arg in rule.arguments}
        if "extension" in rule.arguments:
            values["extension"] = "csv"
        if "kind" in rule.arguments:
            values["kind"] = "csv"
        found.append((rule.endpoint, rule.build(values, append_unknown=False)[1]))
    return sorted(set(found))


def test_every_page_needs_a_sign_in(app, client):
    open_pages = [
        f"{endpoint} {path}"
        for endpoint, path in paths(app, "GET")
        if endpoint not in PUBLIC and client.get(path).status_code not in (302, 401)
    ]
    assert open_pages == []


def test_every_state_change_needs_the_csrf_token(app, make):
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    make.user("admin@satpol.test", {satpol: Role.ADMIN}, coordinator=True)
    client, _auth = signed_in(app, "admin@satpol.test")
    unprotected = []
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        for endpoint, path in paths(app, method):
            answer = client.open(path, method=method, data={"title": "x"})
            if (
                answer.status_code != 400
                or "Formulir Anda sudah kedaluwarsa" not in answer.get_data(as_text=True)
            ):
                unprotected.append(f"{method} {endpoint} {path}: {answer.status_code}")
    assert unprotected == []
    # and the token of another session does not do either
    other, other_auth = signed_in(app, "admin@satpol.test")
    foreign = other_auth.csrf()
    answer = client.post("/notifications/read", data={"csrf_token": foreign})
    assert answer.status_code == 400


def test_no_page_a_shared_cache_may_keep_sends_a_cookie(app, make):
    """A signed-in person whose browser changed (Flask-Login then marks the session not fresh),
    with a message waiting: any page marked `public` answers without Set-Cookie."""
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    make.user("admin@satpol.test", {satpol: Role.ADMIN}, coordinator=True)
    client, _auth = signed_in(app, "admin@satpol.test")
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Tersimpan.")]
    public_pages = 0
    for endpoint, path in paths(app, "GET"):
        if endpoint in {"accounts.logout", "static"}:
            continue
        answer = client.get(path, headers={"User-Agent": "Another browser/2.0"})
        if "public" in answer.headers.get("Cache-Control", ""):
            public_pages += 1
            assert "Set-Cookie" not in answer.headers, endpoint
    assert public_pages >= 1  # the directory of official accounts at least
