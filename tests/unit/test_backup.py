"""flask backup / flask restore: a backup restored into an empty database holds every row."""

from __future__ import annotations

import itertools
import shutil

import sqlalchemy as sa

from calendarapp import create_app
from calendarapp.accounts.models import Role
from calendarapp.config import settings_for_tests
from calendarapp.content import services as content
from calendarapp.content.workflow import Status
from calendarapp.extensions import db

_numbers = itertools.count()


def row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def empty_database(request, database_url: str, tmp_path) -> str:
    """A second database, migrated and empty, on the same kind of server."""
    if database_url.startswith("sqlite"):
        path = tmp_path / "restored.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    cluster = request.getfixturevalue("postgres")
    name = f"kk_restore_{next(_numbers)}"
    cluster.admin(f"CREATE DATABASE {name} TEMPLATE kk_template")
    request.addfinalizer(lambda: cluster.admin(f"DROP DATABASE {name} WITH (FORCE)"))
    return cluster.url(name)


def test_a_backup_restores_every_row_into_an_empty_database(
    app, make, request, database_url, tmp_path
):
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    admin = make.user("admin@satpol.test", {satpol: Role.ADMIN})
    for n in range(3):
        item = make.item(satpol, f"Patroli {n}")
        content.walk_to(item, Status.DITINJAU, admin)
    db.session.commit()
    before = row_counts()
    target = tmp_path / "cadangan.backup"
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 0
    again = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert again.exit_code != 0 and "exists already" in again.output

    restored = create_app(settings_for_tests(empty_database(request, database_url, tmp_path)))
    with restored.app_context():
        result = restored.test_cli_runner().invoke(args=["restore", str(target)])
        assert result.exit_code == 0, result.output
        assert row_counts() == before
        assert before["content_item"] == 3 and before["status_change"] > 3
        # restoring over data is refused: a slip of the finger cannot overwrite a region
        refused = restored.test_cli_runner().invoke(args=["restore", str(target)])
        assert refused.exit_code != 0 and "holds data already" in refused.output
        db.session.remove()
        db.engine.dispose()
