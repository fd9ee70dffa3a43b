"""Property-based fuzzing (Hypothesis): random address parameters on every page and random form
fields on every state change, by a signed-in unit admin with a valid CSRF token: never a 5xx."""

from __future__ import annotations

import shutil

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calendarapp.accounts.models import Role
from calendarapp.extensions import db
from calendarapp.forms_i18n import CONTROL_CHARACTERS
from tests.conftest import signed_in
from tests.web.test_malformed_input import PARAMETERS
from tests.web.test_route_coverage import paths

FIELDS = [
    "title", "version", "date", "planned_date", "planned_time", "unit", "theme", "format",
    "status", "target", "note", "body", "entry", "checked", "item", "day", "start", "end",
    "weekdays", "frequency", "starts_on", "ends_on", "role", "email", "name", "month", "links",
    "timezone", "weekly_target", "leader", "deliverable", "due_at", "text", "owner", "due_on",
]  # fmt: skip
# Values people and scripts send: numbers in every script, dates at the edges of time, long text.
VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["²", "0", "-1", str(2**31), str(2**66), "9999-12-31", "0001-01-01",
                     "2026-W53", "2026-02-30", "25:61", "1e9", "NaN", " ", "x" * 5000,
                     "\u0661", "\uff11", "\x00", "rina\x00@satpol.test", "Rina\x1b[0m"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)  # fmt: skip
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def database_url(tmp_path, sqlite_template):
    """Reading input does not depend on the database: SQLite only."""
    path = tmp_path / "calendar.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def signed(app, make):
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    make.user("admin@satpol.test", {satpol: Role.ADMIN}, coordinator=True)
    make.item(satpol, "Patroli")
    return signed_in(app, "admin@satpol.test")


def test_random_address_parameters_never_make_a_5xx(app, signed):
    client, _auth = signed
    pages = [p for endpoint, p in paths(app, "GET") if endpoint not in {"static", "feeds.feed"}]

    @SETTINGS
    @given(st.sampled_from(pages), st.dictionaries(st.sampled_from(PARAMETERS), VALUES))
    def check(path, query):
        assert client.get(path, query_string=query).status_code < 500, (path, query)

    check()


def test_random_forms_never_make_a_5xx(app, signed):
    client, auth = signed
    token = auth.csrf()
    # not signing out or resetting its own password: the fuzzer would lock itself out
    skip = {"accounts.logout", "people.reset_password"}
    changes = [p for endpoint, p in paths(app, "POST") if endpoint not in skip]

    @SETTINGS
    @given(st.sampled_from(changes), st.dictionaries(st.sampled_from(FIELDS), VALUES))
    def check(path, form):
        answer = client.post(path, data={**form, "csrf_token": token})
        assert answer.status_code < 500, (path, form)

    check()
    # nothing saved holds a control character, whatever the fuzzer sent
    for table, column in [("user_account", "email"), ("user_account", "name"),
                          ("unit", "name"), ("content_item", "title")]:  # fmt: skip
        values = db.session.scalars(sa.text(f"SELECT {column} FROM {table}")).all()  # noqa: S608
        assert not [v for v in values if CONTROL_CHARACTERS.search(v)], (table, column)
