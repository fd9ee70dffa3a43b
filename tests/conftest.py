"""Fixtures: an app on a real SQLite file and on a real PostgreSQL server the run starts itself."""

from __future__ import annotations

import contextvars
import functools
import glob
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_migrate import upgrade
from werkzeug.security import generate_password_hash

from calendarapp import clock, create_app
from calendarapp.accounts import services as accounts
from calendarapp.accounts.models import Role, Unit, UnitKind, User
from calendarapp.config import settings_for_tests
from calendarapp.content import services as content
from calendarapp.content.models import ContentFormat, Platform
from calendarapp.extensions import db

REQUIRE_ALL = os.environ.get("REQUIRE_ALL") == "1"
PASSWORD = "correct horse battery"
# Monday 23 November 2026, 09.00 WIB: the instant most tests live in.
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def missing(what: str) -> None:
    """Skip a test whose real dependency is absent — or fail the run when everything is required."""
    if REQUIRE_ALL:
        pytest.fail(f"{what} (REQUIRE_ALL=1 forbids skipping)", pytrace=False)
    pytest.skip(what)


# ---- PostgreSQL: a throwaway cluster ---------------------------------------------------------


def _pg_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


class PostgresCluster:
    """initdb in a temporary folder, a unix socket inside it, no TCP; stopped at the end."""

    def __init__(self) -> None:
        self.initdb, self.pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
        self.folder = Path(tempfile.mkdtemp(prefix="kk-pg-"))
        self.data = self.folder / "data"
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        command = list(args)
        if self.as_root:  # initdb refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True)

    def start(self) -> None:
        if self.as_root:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run(
            self.initdb,
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale",
            "C",
        )
        options = f"-k {self.folder} -c listen_addresses='' -F -c fsync=off"
        self._run(
            self.pg_ctl,
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        try:
            self._run(self.pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def admin(self, statement: str) -> None:
        engine = sa.create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text(statement))
        engine.dispose()

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.folder}"


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster | None]:
    cluster = PostgresCluster()
    if not cluster.initdb or not cluster.pg_ctl:
        yield None
        return
    cluster.start()
    try:
        cluster.admin("CREATE DATABASE kk_template")
        yield cluster
    finally:
        cluster.stop()


# ---- the app on each database -----------------------------------------------------------------


def build_schema(url: str) -> None:
    """The schema exactly as production gets it: through the migrations."""
    app = create_app(settings_for_tests(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "calendar.db"
    build_schema(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_schema(postgres) -> str | None:
    if postgres is None:
        return None
    build_schema(postgres.url("kk_template"))
    return postgres.url("kk_template")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory) -> Iterator[str]:
    """A fresh copy of the migrated database for each test, always at the same address per
    engine, so that one app per engine serves the whole run (see `app`)."""
    if request.param == "sqlite":
        folder = tmp_path_factory.getbasetemp() / "sqlite-current"
        folder.mkdir(exist_ok=True)
        path = folder / "calendar.db"
        # unlink, never overwrite: a connection still open elsewhere keeps its old file
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
            leftover.unlink(missing_ok=True)
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    if request.getfixturevalue("postgres_schema") is None:
        missing("PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql")
    cluster = request.getfixturevalue("postgres")
    request.getfixturevalue("postgres_current").reset()
    yield cluster.url("kk_test")


class CurrentPostgresDatabase:
    """`kk_test`, emptied before each test back to what the migrations leave (their seeded
    rows included): DELETE with the foreign keys' triggers off (`session_replication_role`)
    and every sequence back to 1 takes 0.02 s, TRUNCATE of the 55 tables 0.1 s and a new copy
    of the template 0.2–0.4 s (measured; about half the tests run on PostgreSQL). A test that
    left the schema elsewhere (a downgrade) or a lock behind gets a new copy."""

    def __init__(self, cluster: PostgresCluster) -> None:
        self.cluster, self.url = cluster, cluster.url("kk_test")
        engine = sa.create_engine(cluster.url("kk_template"))
        with engine.connect() as connection:
            self.head = connection.scalar(sa.text("SELECT version_num FROM alembic_version"))
            metadata = sa.MetaData()
            metadata.reflect(connection)
            self.tables = [t for t in metadata.sorted_tables if t.name != "alembic_version"]
            self.seeded = {
                table: [dict(row) for row in connection.execute(table.select()).mappings()]
                for table in self.tables
            }
            self.seeded = {table: rows for table, rows in self.seeded.items() if rows}
        engine.dispose()
        self.copy()

    def copy(self) -> None:
        self.cluster.admin("DROP DATABASE IF EXISTS kk_test WITH (FORCE)")
        self.cluster.admin("CREATE DATABASE kk_test TEMPLATE kk_template")

    def reset(self) -> None:
        engine = sa.create_engine(self.url, poolclass=sa.pool.NullPool)
        try:
            with engine.begin() as connection:
                connection.execute(sa.text("SET LOCAL lock_timeout = '3s'"))
                head = connection.scalar(sa.text("SELECT version_num FROM alembic_version"))
                if head != self.head:
                    raise LookupError(head)
                connection.execute(sa.text("SET LOCAL session_replication_role = replica"))
                connection.execute(
                    sa.text("; ".join(f'DELETE FROM "{table.name}"' for table in self.tables))
                )
                connection.execute(
                    sa.text("SELECT setval(oid, 1, false) FROM pg_class WHERE relkind = 'S'")
                )
                for table, rows in self.seeded.items():
                    connection.execute(table.insert(), rows)
                    if "id" in table.c:
                        connection.execute(
                            sa.text(
                                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                f'(SELECT max(id) FROM "{table.name}"))'
                            )
                        )
        except (sa.exc.DBAPIError, LookupError):
            self.copy()
        finally:
            engine.dispose()


@pytest.fixture(scope="session")
def postgres_current(postgres, postgres_schema) -> CurrentPostgresDatabase:
    return CurrentPostgresDatabase(postgres)


@pytest.fixture(scope="session")
def _apps() -> dict:
    return {}


@pytest.fixture
def app(database_url, _apps) -> Iterator:
    """The app on this test's database. Building an app (routes, templates compiled on first
    use) costs about a quarter of a second, so one app per database address serves every test;
    its configuration is restored after each test and its connections are closed."""
    app = _apps.get(database_url)
    if app is None:
        app = _apps[database_url] = create_app(settings_for_tests(database_url))
    # The database was just emptied and its serial seeded again: grids kept for another test's
    # rows under the same serial must not answer this one (calendarapp/kept.py).
    app.extensions["kept_grids"].clear()
    config = dict(app.config)
    try:
        with clock.frozen(NOW), app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        app.config.clear()
        app.config.update(config)


class IsolatedClient(FlaskClient):
    """Each request in a fresh context, as in production: its own app context, g and session.

    The test itself holds an app context for its factories; without this, requests would share
    its `g` and its database session and hide caching and query-count mistakes.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = IsolatedClient
    return app.test_client()


# ---- factories ------------------------------------------------------------------------------


@functools.cache
def password_hash() -> str:
    """A real scrypt hash of PASSWORD, computed once, with a small work factor: checking the
    default (N=32768) costs 0.1 s per sign-in, and the suite signs in about two thousand times.
    The app's own hashes keep the default; test_accounts checks that."""
    return generate_password_hash(PASSWORD, method="scrypt:1024:8:1")


class Factory:
    """Tiny builders for the objects the stories need; each commits so views see them."""

    def unit(
        self,
        name: str = "Satuan Polisi Pamong Praja",
        short: str | None = None,
        timezone: str = "Asia/Jakarta",
        **fields,
    ) -> Unit:
        unit = Unit(
            name=name,
            short_name=short or name[:20],
            kind=fields.pop("kind", UnitKind.DINAS),
            timezone=timezone,
            **fields,
        )
        db.session.add(unit)
        db.session.commit()
        return unit

    def user(
        self,
        email: str,
        units: dict[Unit, Role] | None = None,
        *,
        coordinator: bool = False,
        active: bool = True,
        name: str | None = None,
    ) -> User:
        user = User(
            email=User.normalize_email(email),
            name=name or email.split("@")[0],
            is_coordinator=coordinator,
            active=active,
            password_hash=password_hash(),
        )
        db.session.add(user)
        for unit, role in (units or {}).items():
            accounts.add_membership(user, unit, role)
        db.session.commit()
        return user

    def item(
        self,
        unit: Unit,
        title: str = "Info layanan",
        *,
        at: datetime | None = None,
        on: date | None = None,
        **fields,
    ):
        if at is None and on is None:
            at = NOW
        item = content.create_item(
            unit,
            title,
            format=fields.pop("format", ContentFormat.FOTO),
            planned_at=at,
            planned_date=on,
            platforms=fields.pop("platforms", [Platform.INSTAGRAM]),
            **fields,
        )
        db.session.commit()
        return item


@pytest.fixture
def make(app) -> Factory:
    return Factory()


@pytest.fixture
def team(make):
    """One unit's whole team and a neighbour: the content workflow's cast (a module may bring
    its own `team`)."""
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    bpbd = make.unit("Badan Penanggulangan Bencana Daerah", "BPBD")
    people = {
        "admin": make.user("admin@satpol.test", {satpol: Role.ADMIN}, name="Yuni Astuti"),
        "editor": make.user("editor@satpol.test", {satpol: Role.EDITOR}, name="Bayu Saputra"),
        "writer": make.user("penulis@satpol.test", {satpol: Role.CONTRIBUTOR}, name="Rudi"),
        "idle": make.user("lain@satpol.test", {satpol: Role.CONTRIBUTOR}),
        "outsider": make.user("admin@bpbd.test", {bpbd: Role.ADMIN}),
        "coordinator": make.user("koordinator@kominfo.test", coordinator=True),
    }
    return {"satpol": satpol, "bpbd": bpbd, **people}


CSRF_RE = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|'
    r'name="csrf_token" value="([^"]+)"'
)


def csrf_token_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return match.group(1) or match.group(2)


class Auth:
    def __init__(self, client) -> None:
        self.client = client

    def login(self, email: str, password: str = PASSWORD, **extra):
        page = self.client.get("/login")
        token = csrf_token_from(page.get_data(as_text=True))
        return self.client.post(
            "/login", data={"email": email, "password": password, "csrf_token": token, **extra}
        )

    def csrf(self, path: str = "/calendar/month") -> str:
        return csrf_token_from(self.client.get(path).get_data(as_text=True))


@pytest.fixture
def auth(client) -> Auth:
    return Auth(client)


def signed_in(app, email: str) -> tuple[FlaskClient, Auth]:
    """Another person on another phone: a client of their own, signed in."""
    app.test_client_class = IsolatedClient
    client = app.test_client()
    auth = Auth(client)
    auth.login(email)
    return client, auth


class QueryCounter:
    def __init__(self, engine) -> None:
        self.engine, self.statements = engine, []

    def __enter__(self):
        sa.event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, conn, cursor, statement, *args) -> None:
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    return lambda: QueryCounter(db.engine)
