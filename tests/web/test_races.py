"""Twenty people save the same version of one item at once, on PostgreSQL: one wins, nineteen
are told someone else changed it, nobody sees an error page, and the winner's text is kept."""

from __future__ import annotations

import threading

import pytest

from calendarapp.accounts.models import Role
from calendarapp.content.models import ContentItem
from calendarapp.extensions import db
from tests.conftest import signed_in
from tests.web.test_items import form_data

EDITORS = 20


@pytest.fixture
def database_url(request):
    """Row locks and concurrent transactions: a real PostgreSQL server only."""
    if request.getfixturevalue("postgres_schema") is None:
        from tests.conftest import missing

        missing("PostgreSQL server binaries (initdb, pg_ctl) not found")
    cluster = request.getfixturevalue("postgres")
    name = "kk_race"
    cluster.admin(f"CREATE DATABASE {name} TEMPLATE kk_template")
    yield cluster.url(name)
    cluster.admin(f"DROP DATABASE {name} WITH (FORCE)")


def test_twenty_parallel_saves_of_one_version(app, make):
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    for n in range(EDITORS):
        make.user(f"editor{n}@satpol.test", {satpol: Role.EDITOR})
    item = make.item(satpol, "Patroli")
    item_id, version = item.id, item.version
    sessions = [signed_in(app, f"editor{n}@satpol.test")[0] for n in range(EDITORS)]
    forms = [
        form_data(client, f"/items/{item_id}", title=f"Judul dari editor {n}")
        | {"version": str(version)}
        for n, client in enumerate(sessions)
    ]
    start, answers = threading.Barrier(EDITORS), [None] * EDITORS

    def save(n: int) -> None:
        start.wait()
        answers[n] = sessions[n].post(f"/items/{item_id}", data=forms[n]).status_code

    threads = [threading.Thread(target=save, args=(n,)) for n in range(EDITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [303] + [409] * (EDITORS - 1)
    winner = answers.index(303)
    db.session.expire_all()
    saved = db.session.get(ContentItem, item_id)
    assert saved.title == f"Judul dari editor {winner}"
    assert saved.version == version + 1
