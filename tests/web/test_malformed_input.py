"""Every page, asked with malformed numbers and dates in its address, answers without a 500.

The routes come from app.url_map, so a new page is walked as soon as it exists.
"""

from __future__ import annotations

import re
import shutil

import pytest
import sqlalchemy as sa

from calendarapp.accounts.models import Role
from calendarapp.content.models import ContentItem
from calendarapp.extensions import db
from tests.conftest import signed_in

# '²' passes str.isdigit() but not int(); the rest are out of any sane range.
BAD_VALUES = ["²", str(2**66), "9999-12", "0001-W01", "9999-12-31"]
# Every parameter a view reads from the address (grep "args.get" in calendarapp/), plus the
# filter bar's ids.
PARAMETERS = [
    "agenda", "assignee", "date", "day", "days", "dir", "kind", "leader", "month", "page",
    "planned_date", "q", "sort", "start", "status", "story", "theme", "training", "unit", "week",
    "weeks",
]  # fmt: skip
# Downloads and feeds are fetched by other tests; the login page has no parameters to read.
SKIP = {"static", "accounts.logout", "feeds.feed"}


def get_routes(app, item_id: int) -> list[str]:
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SKIP:
            continue
        values = {arg: item_id for arg in rule.arguments}
        if any(c not in ("int",) for c in _converters(rule)):
            values.update({arg: "csv" for arg in rule.arguments if arg == "extension"})
        paths.append(rule.build(values, append_unknown=False)[1])
    return sorted(set(paths))


def _converters(rule) -> list[str]:
    return [type(c).__name__.removesuffix("Converter").lower() for c in rule._converters.values()]


@pytest.fixture
def database_url(tmp_path, sqlite_template):
    """Parsing does not depend on the database: these walks run on SQLite only."""
    path = tmp_path / "calendar.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def region(make):
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    make.user("koordinator@test", coordinator=True)
    make.user("admin@satpol.test", {satpol: Role.ADMIN})
    return make.item(satpol, "Patroli")


@pytest.mark.parametrize("name", PARAMETERS)  # one walk a parameter: the workers share them
def test_no_page_answers_500_to_a_malformed_address(app, region, name):
    client, _auth = signed_in(app, "koordinator@test")
    item_id = db.session.scalar(sa.select(ContentItem.id))
    failures = []
    for path in get_routes(app, item_id):
        for value in BAD_VALUES:
            response = client.get(path, query_string={name: value})
            if response.status_code >= 500:
                failures.append(f"{path}?{name}={value}: {response.status_code}")
    assert failures == []


@pytest.mark.parametrize("value", ["²", str(2**66), "-5"])
def test_forms_refuse_numbers_they_cannot_store(app, region, value):
    client, auth = signed_in(app, "admin@satpol.test")
    token = auth.csrf(f"/items/{region.id}")
    for path, data in [
        (f"/items/{region.id}/checklist", {"entry": value, "checked": "y"}),
        (f"/items/{region.id}/status", {"target": "draf", "version": value}),
        ("/calendar/move", {"item": str(region.id), "date": "2026-11-30", "version": value}),
    ]:
        response = client.post(path, data={"csrf_token": token, **data})
        assert response.status_code in (400, 404, 409, 422), (path, response.status_code)
    db.session.expire_all()
    assert region.version == 1


# 3 in Arabic-Indic, Extended Arabic-Indic and fullwidth digits: `\d` and int() read them as 3.
OTHER_DIGITS = ["\u0663", "\u06f3", "\uff13"]


def test_an_id_in_another_scripts_digits_names_no_page(app, region):
    """Every route with an id in its path: the same id in other digits is no address at all."""
    client, _auth = signed_in(app, "koordinator@test")
    item_id = db.session.scalar(sa.select(ContentItem.id))
    assert item_id < 10
    wrong, checked = [], 0
    for rule in app.url_map.iter_rules():
        kinds = set(_converters(rule))
        if (
            "GET" not in rule.methods
            or not kinds & {"integer", "asciiint"}
            or rule.endpoint in SKIP
        ):
            continue
        if kinds - {"integer", "asciiint"}:
            continue  # an id beside another kind of value (an export's extension)
        checked += 1
        path = rule.build(dict.fromkeys(rule.arguments, item_id))[1]
        for digit in OTHER_DIGITS:
            other = path.replace(str(item_id), chr(ord(digit) - 3 + item_id))
            if (status := client.get(other).status_code) != 404:
                wrong.append(f"{rule.rule} as {other}: {status}")
    assert checked >= 15
    assert wrong == []


def _chosen(html: str) -> list[str]:
    return re.findall(r'<option (?=[^>]*\bselected\b)[^>]*value="(\d+)"', html)


@pytest.mark.parametrize(
    ("path", "email"),
    [("/items/new?unit={}", "admin@dua.test"), ("/people/new?unit={}", "koordinator@test")],
)
def test_an_id_in_another_scripts_digits_is_no_id_in_a_parameter(app, make, region, path, email):
    bpbd = make.unit("Badan Penanggulangan Bencana Daerah", "BPBD")
    assert 1 < bpbd.id < 10
    make.user("admin@dua.test", {region.unit: Role.ADMIN, bpbd: Role.ADMIN})
    client, _auth = signed_in(app, email)
    assert _chosen(client.get(path.format(bpbd.id)).get_data(as_text=True)) == [str(bpbd.id)]
    plain = _chosen(client.get(path.format("")).get_data(as_text=True))
    assert plain != [str(bpbd.id)]
    for digit in OTHER_DIGITS:
        other = chr(ord(digit) - 3 + bpbd.id)  # BPBD's id in that script's digits
        assert _chosen(client.get(path.format(other)).get_data(as_text=True)) == plain


def test_a_control_character_in_a_step_is_refused_clearly(app, region):
    """Found by the fuzz: the refusal's words joined into the page must be plain text."""
    client, auth = signed_in(app, "admin@satpol.test")
    token = auth.csrf(f"/items/{region.id}")
    answer = client.post(
        f"/items/{region.id}/status", data={"csrf_token": token, "target": "\x1f", "version": "1"}
    )
    assert answer.status_code in (400, 422)
    db.session.expire_all()
    assert region.version == 1
