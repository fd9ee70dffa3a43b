"""`flask backup FILE` and `flask restore FILE`: the whole database, consistent, while it runs.

SQLite: the online backup API (readers and writers may go on meanwhile). PostgreSQL: pg_dump's
custom format, restored with pg_restore into an empty database. Restore refuses a database that
already holds data, so a slip of the finger cannot overwrite a live region.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from .accounts.models import Unit, User
from .extensions import db


class BackupError(RuntimeError):
    """Something the operator must fix; the message says what."""


def _sqlite_path(url) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(url.database)


def _libpq(url) -> str:
    """The SQLAlchemy URL as pg_dump and pg_restore read it (without the driver name)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)), None
    )
    if not found:
        raise BackupError(f"{name} is needed (Debian: apt-get install postgresql-client).")
    return str(found)


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(result.stderr.strip() or f"{command[0]} failed")


def backup(target: Path) -> None:
    url = make_url(str(db.engine.url))
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} exists already; choose a new file.")
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
    elif url.get_backend_name() == "postgresql":
        _run(
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), _libpq(url)]
        )
    else:
        raise BackupError(f"No backup for {url.get_backend_name()}.")


def _is_empty() -> bool:
    """No units and no people: a database only just created (or upgraded) for the restore."""
    inspector = sa.inspect(db.engine)
    if not inspector.has_table(Unit.__tablename__):
        return True
    return not (
        db.session.scalar(sa.select(sa.func.count(Unit.id)))
        or db.session.scalar(sa.select(sa.func.count(User.id)))
    )


def restore(source: Path) -> None:
    url = make_url(str(db.engine.url))
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} is not a backup file.")
    if not _is_empty():
        raise BackupError("The database holds data already: restore into an empty database.")
    db.session.remove()
    if url.get_backend_name() == "sqlite":
        backup_db = sqlite3.connect(source)
        live = sqlite3.connect(_sqlite_path(url))
        try:
            backup_db.backup(live)
        finally:
            live.close()
            backup_db.close()
    elif url.get_backend_name() == "postgresql":
        db.engine.dispose()
        _run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                _libpq(url),
                str(source),
            ]
        )
    else:
        raise BackupError(f"No restore for {url.get_backend_name()}.")
    db.engine.dispose()
