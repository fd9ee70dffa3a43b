"""`make soak`: 60 s of mixed reads and writes from several people against gunicorn with 4 workers,
on SQLite (WAL) and on a throwaway PostgreSQL cluster. Not part of `make test`: a measurement.

Each simulated person signs in, reads the month, week, list, Tugas Saya and Pantauan, and every
few requests plans a new idea (a POST with its CSRF token and a creation token). Afterwards every
idea answered 303 must be in the database exactly once, and no request may have answered 5xx.

    python -m bench.soak [--seconds 60] [--people 8] [--database sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from http.cookiejar import CookieJar
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = secrets.token_urlsafe(12)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(database_url: str, people: int) -> list[str]:
    """Schema through the migrations, one unit and its editors."""
    from flask_migrate import upgrade

    from calendarapp import create_app
    from calendarapp.accounts import services as accounts
    from calendarapp.accounts.models import Role, Unit, UnitKind
    from calendarapp.config import settings_for_tests
    from calendarapp.extensions import db

    app = create_app(settings_for_tests(database_url))
    emails = [f"editor{n}@soak.test" for n in range(people)]
    with app.app_context():
        upgrade()
        unit = Unit(name="Satuan Polisi Pamong Praja", short_name="Satpol PP", kind=UnitKind.DINAS)
        db.session.add(unit)
        db.session.flush()
        for email in emails:
            user = accounts.create_user(email, email.split("@")[0], PASSWORD)
            accounts.add_membership(user, unit, Role.EDITOR)
        db.session.commit()
        db.engine.dispose()
    return emails


class Person:
    def __init__(self, base: str, email: str) -> None:
        self.base, self.email = base, email
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect()
        )
        self.answers: Counter = Counter()
        self.created: list[str] = []

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
        self.answers[status // 100 * 100] += 1
        return status, text

    def sign_in(self) -> None:
        _status, page = self.request("/login")
        token = CSRF.search(page).group(1)
        self.request("/login", {"email": self.email, "password": PASSWORD, "csrf_token": token})

    def plan_an_idea(self, n: int) -> None:
        _status, page = self.request("/items/new?date=2026-12-10")
        token = CSRF.search(page).group(1)
        unit = re.search(r'name="unit"[^>]*value="(\d+)"', page) or re.search(
            r'<option value="(\d+)"', page
        )
        title = f"Soak {self.email} {n}"
        status, _text = self.request(
            "/items/new",
            {
                "csrf_token": token,
                "creation_token": secrets.token_urlsafe(16),
                "unit": unit.group(1),
                "title": title,
                "format": "foto",
                "planned_date": "2026-12-10",
                "platforms": ["instagram"],
            },
        )
        if status == 303:
            self.created.append(title)

    def run(self, until: float) -> None:
        self.sign_in()
        pages = ["/calendar/month", "/calendar/week", "/calendar/list", "/tasks", "/monitoring"]
        n = 0
        while time.monotonic() < until:
            self.request(pages[n % len(pages)])
            if n % 4 == 3:
                self.plan_an_idea(n)
            n += 1


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def run_crowd(runners: list, seconds: float) -> float:
    """Each runner's `run(until)` in its own thread, all at once; the seconds it took."""
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=r.run, args=(until,)) for r in runners]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - started


def soak(database_url: str, seconds: int, people: int) -> bool:
    emails = prepare(database_url, people)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_hex(16),
        "REGION_TIMEZONE": "Asia/Jakarta",
    }
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "--workers", "4", "--bind", f"127.0.0.1:{port}",
         "--logger-class", "calendarapp.logs.GunicornLogger", "--log-level", "warning",
         "calendarapp:create_app()"],
        cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/login", timeout=1)  # noqa: S310
            break
        except OSError:
            time.sleep(0.2)
    crowd = [Person(base, email) for email in emails]
    elapsed = run_crowd(crowd, seconds)
    server.send_signal(signal.SIGTERM)
    _out, errors = server.communicate(timeout=30)

    answers = sum((p.answers for p in crowd), Counter())
    created = [title for p in crowd for title in p.created]
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        titles = [
            row[0]
            for row in connection.execute(
                sa.text("SELECT title FROM content_item WHERE title LIKE 'Soak %'")
            )
        ]
    engine.dispose()
    total = sum(answers.values())
    locked = errors.count("database is locked")
    ok = answers[500] == 0 and locked == 0 and sorted(titles) == sorted(created)
    kind = database_url.split(":")[0]
    print(
        f"{kind}: {total} requests in {elapsed:.0f} s ({total / elapsed:.0f}/s) by {people} "
        f"people, 4 workers; answers {dict(sorted(answers.items()))}; {len(created)} ideas "
        f"planned, {len(titles)} in the database; 'database is locked': {locked} -> "
        + ("OK" if ok else "FAILED")
    )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--people", type=int, default=8)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="kk-soak-") as folder:
        if args.database in ("sqlite", "both"):
            url = f"sqlite:///{Path(folder) / 'soak.db'}"
            results.append(soak(url, args.seconds, args.people))
        if args.database in ("postgresql", "both"):
            from tests.conftest import PostgresCluster

            cluster = PostgresCluster()
            cluster.start()
            try:
                cluster.admin("CREATE DATABASE kk_soak")
                results.append(soak(cluster.url("kk_soak"), args.seconds, args.people))
            finally:
                cluster.stop()
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
