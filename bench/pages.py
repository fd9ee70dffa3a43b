"""Benchmark of every daily page at a kabupaten's size (`make bench`): a measurement, not a test.

A throwaway SQLite file gets the `kabupaten` scale data (85 units, ~44,000 posts over three
years). Each page is then measured twice:
- in-process: the median server time of 15 requests, the SQL statements it runs, its bytes;
  for the pages that answer a repeat look from a kept grid (`KEPT`), also the median after a
  change anywhere (the calendar serial moved before each request: every grid rendered again);
- over HTTP: gunicorn (2 workers) under `wrk` (2 threads, 16 connections, 5 s), as requests per
  second and as a ratio to a minimal Flask "hello" app served and loaded the same way in the
  same run — the machine's own limit, so figures from different machines compare.
The table is printed and written to `instance/bench-pages.md`. Without `wrk` (apt-get install
wrk) only the in-process columns are filled.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

PASSWORD = "bench-password-" + os.urandom(6).hex()
ROOT = Path(__file__).resolve().parent.parent

hello = Flask("hello")
hello.add_url_rule("/", "hello", lambda: "Hello, World!")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prepare(url: str) -> None:
    from flask_migrate import upgrade

    from bench import scale
    from calendarapp import create_app
    from calendarapp.config import settings_for_tests
    from calendarapp.extensions import db

    app = create_app(settings_for_tests(url))
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        counts = scale.load("kabupaten", PASSWORD)
        db.session.commit()
        _feed_links(app)
        print(
            f"scale data: {counts['units']} units, {counts['items']:,} items, "
            f"{counts['events']} agenda events in {time.perf_counter() - started:.1f} s"
        )
        db.engine.dispose()


FEEDS: dict[str, str] = {}  # name: the feed's address, made by _prepare


def _feed_links(app) -> None:
    """A unit's plan (with drafts) for its admin and the region's feed for the coordinator."""
    from calendarapp.accounts.models import Membership, Role, Unit, User
    from calendarapp.extensions import db
    from calendarapp.feeds import services as feeds
    from calendarapp.feeds.models import FeedScope

    unit = db.session.scalar(
        sa.select(Unit).where(Unit.kind == "dinas", Unit.id > 1).order_by(Unit.id)
    )
    admin = db.session.scalar(
        sa.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.unit_id == unit.id, Membership.role == Role.ADMIN)
    )
    coordinator = db.session.scalar(sa.select(User).where(User.email == "koordinator@skala.test"))
    for name, (user, scope, of_unit) in {
        "unit feed": (admin, FeedScope.UNIT, unit),
        "region feed": (coordinator, FeedScope.REGION, None),
    }.items():
        _token, raw = feeds.issue(user, scope, of_unit, include_drafts=of_unit is not None)
        FEEDS[name] = f"/feeds/{raw}.ics"
    db.session.commit()


def _pages(url: str) -> dict[str, tuple[str, str]]:
    engine = sa.create_engine(url)
    with engine.connect() as c:
        unit = c.scalar(sa.text("SELECT min(id) FROM unit WHERE kind = 'dinas' AND id > 1"))
        item = c.scalar(
            sa.text("SELECT max(id) FROM content_item WHERE unit_id = :unit"), {"unit": unit}
        )
        admin = c.scalar(
            sa.text(
                "SELECT u.email FROM user_account u JOIN membership m ON m.user_id = u.id "
                "WHERE m.unit_id = :unit AND m.role = 'admin'"
            ),
            {"unit": unit},
        )
    engine.dispose()
    coordinator = "koordinator@skala.test"
    return {
        "unit month (unit admin)": (admin, "/calendar/month"),
        # the browser asks again for the grid htmx swapped in, with its copy's ETag
        "unit month, htmx swap, 304": (admin, "/calendar/month#swap304"),
        "region month (coordinator)": (coordinator, "/calendar/month"),
        "region week": (coordinator, "/calendar/week"),
        "list (first page)": (coordinator, "/calendar/list"),
        "board": (coordinator, "/calendar/board"),
        "week plan (unit admin)": (admin, f"/plan/week?unit={unit}"),
        "Tugas Saya (unit admin)": (admin, "/tasks"),
        "item page": (admin, f"/items/{item}"),
        "coverage board": (coordinator, "/coverage"),
        "Pantauan (4 weeks)": (coordinator, "/monitoring"),
        **{f"{name}, repeat": (None, path) for name, path in FEEDS.items()},
        **{f"{name}, 304": (None, path + "#304") for name, path in FEEDS.items()},
    }


def _sign_in(client, email: str) -> None:
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    answer = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert answer.status_code in (302, 303), f"sign-in failed for {email}"


def _in_process(url: str, pages: dict) -> dict[str, tuple]:
    from calendarapp import create_app
    from calendarapp.config import settings_for_tests
    from calendarapp.extensions import db

    app = create_app(settings_for_tests(url))
    results = {}
    clients = {}
    with app.app_context():
        engine = db.engine
    for name, (email, address) in pages.items():
        if email not in clients:
            clients[email] = app.test_client()
            if email is not None:
                _sign_in(clients[email], email)
        client = clients[email]
        path, headers = _request(client, address)
        statements: list[str] = []

        def listen(*args, statements=statements) -> None:
            statements.append(args[2])

        client.get(path, headers=headers)  # warm: templates compiled, caches filled
        kept = path.split("?")[0] in KEPT
        if kept:
            _move_serial(engine)  # count what a first look reads, not a kept grid
        sa.event.listen(engine, "before_cursor_execute", listen)
        answer = client.get(path, headers=headers)
        sa.event.remove(engine, "before_cursor_execute", listen)
        assert answer.status_code in (200, 304), f"{path}: {answer.status_code}"
        samples = _timed(client, path, headers)
        changed = _timed(client, path, headers, engine) if kept else None
        results[name] = (statistics.median(samples), changed, len(statements), len(answer.data))
    return results


# The calendar views, the week plan and Tugas Saya answer a repeat look from the grid they kept
# (calendarapp/kept.py); their cost after any change anywhere is measured too, by moving the
# calendar serial before each look.
KEPT = {
    "/calendar/month",
    "/calendar/week",
    "/calendar/list",
    "/calendar/board",
    "/plan/week",
    "/tasks",
}


def _move_serial(engine) -> None:
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE calendar_change SET serial = serial + 1"))


def _timed(client, path: str, headers: dict, move_serial=None) -> list[float]:
    samples = []
    for _ in range(15):
        if move_serial is not None:
            _move_serial(move_serial)
        started = time.perf_counter()
        client.get(path, headers=headers)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _request(client, address: str) -> tuple[str, dict[str, str]]:
    """The path and headers of a page; "#304" asks again with the ETag of a first fetch,
    "#swap304" as htmx does (a grid swapped in, calendarapp/kept.py)."""
    path, _, mark = address.partition("#")
    if mark not in ("304", "swap304"):
        return path, {}
    headers = {"HX-Request": "true"} if mark == "swap304" else {}
    return path, {**headers, "If-None-Match": client.get(path, headers=headers).headers["ETag"]}


class Served:
    """gunicorn on a free loopback port, stopped on exit."""

    def __init__(self, target: str, env: dict) -> None:
        self.port = _free_port()
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "--workers", "2", "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning",
            target,
        ]  # fmt: skip
        self.process = subprocess.Popen(command, env={**os.environ, **env}, cwd=ROOT)  # noqa: S603
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not start: {target}")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def _wrk(url: str, cookie: str | None = None, headers: dict | None = None) -> float:
    command = ["wrk", "-t2", "-c16", "-d5s", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    for header, value in (headers or {}).items():
        command[1:1] = ["-H", f"{header}: {value}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        raise RuntimeError(f"{url}: {non_2xx.group(1)} answers that were not 200")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def _cookie(base: str, email: str) -> str:
    """Sign in over HTTP and answer the session cookie for wrk."""
    import http.cookiejar
    import urllib.parse
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode({"email": email, "password": PASSWORD, "csrf_token": token})
    opener.open(f"{base}/login", data=data.encode())
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="kk-pagebench-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    _prepare(url)
    pages = _pages(url)
    local = _in_process(url, pages)
    http: dict[str, float] = {}
    hello_rps = None
    if shutil.which("wrk"):
        hello_server = Served("bench.pages:hello", {})
        try:
            hello_rps = _wrk(f"http://127.0.0.1:{hello_server.port}/")
        finally:
            hello_server.stop()
        env = {"DATABASE_URL": url, "SECRET_KEY": os.urandom(16).hex()}
        app_server = Served("calendarapp:create_app()", env)
        try:
            base = f"http://127.0.0.1:{app_server.port}"
            cookies = {email: _cookie(base, email) for email, _ in pages.values() if email}
            for name, (email, address) in pages.items():
                path, _, mark = address.partition("#")
                headers = {"HX-Request": "true"} if mark == "swap304" else {}
                if mark in ("304", "swap304"):
                    cookie = {"Cookie": cookies[email]} if email else {}
                    first = urllib.request.Request(base + path, headers={**headers, **cookie})  # noqa: S310
                    with urllib.request.urlopen(first) as answer:  # noqa: S310
                        headers["If-None-Match"] = answer.headers["ETag"]
                http[name] = _wrk(base + path, cookies.get(email), headers)
        finally:
            app_server.stop()
    lines = [
        "| page | server time (ms, median of 15) | after any change (ms) | SQL statements "
        "(first look) | KB of HTML | requests/s (gunicorn, 2 workers) | ratio to hello |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, (ms, changed, statements, size) in local.items():
        rps = http.get(name)
        after = f"{statistics.median(changed):.1f}" if changed else "–"
        served = f"{rps:,.0f} | {rps / hello_rps:.3f}" if rps and hello_rps else "– | –"
        lines.append(
            f"| {name} | {ms:.1f} | {after} | {statements} | {size / 1024:.0f} | {served} |"
        )
    if hello_rps:
        lines.append(f"| hello (same gunicorn, same wrk) | | | | | {hello_rps:,.0f} | 1 |")
    else:
        lines.append("")
        lines.append("wrk not found (apt-get install wrk): HTTP columns left empty.")
    publish(lines, "bench-pages.md", folder)


def publish(lines: list[str], name: str, folder: Path) -> None:
    """Print the table, keep it in instance/`name`, and remove the throwaway `folder`."""
    table = "\n".join(lines)
    print(table)
    out = ROOT / "instance" / name
    out.parent.mkdir(exist_ok=True)
    out.write_text(table + "\n")
    print(f"\nwritten to {out}")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
