"""A mixed load at a kabupaten's size (`make bench`): a measurement, not a test.

Sixteen people at once — 4 coordinators and 12 unit admins of the `kabupaten` scale data — each
signed in with their own session, go round their daily pages; every tenth request of each is a
write (a comment on an item, or a new idea in their unit: coordinators only comment). The
app runs under gunicorn (2 workers) on a throwaway SQLite file. The same client (16 threads,
one connection per request, as gunicorn's sync workers answer) then loads a minimal Flask
"hello" app served the same way, in the same run: the ratio of the two is the figure that
compares across machines. Per page: how many answers, p50 and p95 in milliseconds, as the
client saw them. The client is Python: at hello's pace it is part of what is measured, which
makes the ratio modest rather than flattering.

Two more runs of the same load say what the caches buy: with no kept grids, and as browsers
send it — each calendar view, the week plan and Tugas Saya swapped in by htmx after its first
look, asked again with the ETag of the copy the person's browser kept (calendarapp/kept.py),
a 304 counting as an answer.

    python -m bench.mixed [--seconds 15] [--people 16]
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import statistics
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from http.cookiejar import CookieJar
from pathlib import Path

import sqlalchemy as sa

from bench.pages import PASSWORD, Served, _prepare, publish
from bench.soak import NoRedirect, run_crowd

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
COORDINATOR_PAGES = {
    "region month": "/calendar/month", "region week": "/calendar/week",
    "board": "/calendar/board", "region list": "/calendar/list", "Pantauan": "/monitoring",
    "coverage board": "/coverage",
}  # fmt: skip
UNIT_PAGES = {
    "unit month": "/calendar/month", "unit week": "/calendar/week", "Tugas Saya": "/tasks",
    "week plan": "/plan/week", "unit list": "/calendar/list", "item page": "/items/{item}",
}  # fmt: skip
# the pages whose grid htmx swaps in once they are open (calendarapp/kept.py)
SWAPPED = {"/calendar/month", "/calendar/week", "/calendar/board", "/calendar/list", "/tasks",
           "/plan/week"}  # fmt: skip


class Person:
    def __init__(
        self, base: str, email: str, pages: dict[str, str], unit: int, item: int, browser: bool
    ):
        self.base, self.email, self.unit, self.item = base, email, unit, item
        self.browser = browser  # swaps views in by htmx and keeps their tagged copies
        self.copies: dict[str, str] = {}  # path: the ETag of the copy the browser kept
        self.pages = [(name, path.format(item=item)) for name, path in pages.items()]
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect()
        )
        self.times: dict[str, list[float]] = defaultdict(list)
        self.failures: Counter = Counter()  # (page, status) of answers 400 and up
        self.token = ""
        self.asked = self.not_modified = 0  # swaps asked with a tag; those answered 304

    def request(self, path: str, data: dict | None = None, name: str | None = None) -> str:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310 (our own http://127.0.0.1 server)
        swapped = self.browser and data is None and path in self.copies
        if swapped:
            request.add_header("HX-Request", "true")
            if self.copies[path]:
                request.add_header("If-None-Match", self.copies[path])
                self.asked += 1
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=60) as response:
                text = response.read().decode()
                status = response.status
                tag = response.headers.get("ETag")
        except urllib.error.HTTPError as error:  # 304 too: the browser shows its copy
            status, text = error.code, error.read().decode(errors="replace")
            tag = error.headers.get("ETag") if status == 304 else None
        if self.browser and data is None and path in SWAPPED:
            self.copies[path] = tag or ""
        self.not_modified += status == 304
        self.times[name or path].append((time.perf_counter() - started) * 1000)
        if status >= 400 or (status == 304 and not swapped):
            self.failures[(name or path, status)] += 1
        return text

    def sign_in(self) -> None:
        page = self.opener.open(self.base + "/login").read().decode()
        data = {"email": self.email, "password": PASSWORD, "csrf_token": CSRF.search(page)[1]}
        try:
            self.opener.open(self.base + "/login", data=urllib.parse.urlencode(data).encode())
        except urllib.error.HTTPError as error:  # the 303 to the calendar, not followed
            if error.code != 303:
                raise
        self.token = CSRF.search(self.opener.open(self.base + "/tasks").read().decode())[1]

    def write(self, n: int) -> None:
        """Every other write a new idea in their unit; coordinators, who watch and do not plan,
        always comment."""
        if n // 10 % 2 or self.pages[0][0].startswith("region"):
            self.request(
                f"/items/{self.item}/comments",
                {"csrf_token": self.token, "body": f"Catatan beban campuran {n}."},
                name="write: comment",
            )
            return
        self.request(
            "/items/new",
            {"csrf_token": self.token, "creation_token": secrets.token_urlsafe(16),
             "unit": str(self.unit), "title": f"Ide beban campuran {self.email} {n}",
             "format": "foto", "planned_date": "2027-01-12", "platforms": ["instagram"]},
            name="write: new idea",
        )  # fmt: skip

    def run(self, until: float) -> None:
        n = 0
        while time.monotonic() < until:
            if n % 10 == 9:
                self.write(n)
            else:
                name, path = self.pages[n % len(self.pages)]
                self.request(path, name=name)
            n += 1


class Hello:
    def __init__(self, base: str) -> None:
        self.base = base
        self.times: dict[str, list[float]] = defaultdict(list)
        self.failures = 0

    def run(self, until: float) -> None:
        while time.monotonic() < until:
            started = time.perf_counter()
            with urllib.request.urlopen(self.base + "/", timeout=60) as response:  # noqa: S310
                response.read()
            self.times["hello"].append((time.perf_counter() - started) * 1000)


def _people(url: str, base: str, count: int, browser: bool = False) -> list[Person]:
    """4 coordinators' sessions (the scale data has one coordinator: four browsers of theirs)
    and unit admins of dinas, each writing on an item of their own unit."""
    engine = sa.create_engine(url)
    with engine.connect() as c:
        admins = c.execute(
            sa.text(
                "SELECT u.email, m.unit_id, (SELECT max(i.id) FROM content_item i "
                "WHERE i.unit_id = m.unit_id) FROM user_account u "
                "JOIN membership m ON m.user_id = u.id JOIN unit ON unit.id = m.unit_id "
                "WHERE m.role = 'admin' AND unit.kind = 'dinas' ORDER BY m.unit_id"
            )
        ).all()
    engine.dispose()
    coordinators = min(4, count // 4)
    people = []
    for n in range(coordinators):
        _email, unit, item = admins[n]
        people.append(
            Person(base, "koordinator@skala.test", COORDINATOR_PAGES, unit, item, browser)
        )
    for email, unit, item in admins[: count - coordinators]:
        people.append(Person(base, email, UNIT_PAGES, unit, item, browser))
    return people


class Run(list):
    seconds: float = 0.0

    @property
    def rps(self) -> float:
        return sum(len(v) for p in self for v in p.times.values()) / self.seconds


def _app_load(url: str, args, kept: int | None, browser: bool = False) -> Run:
    """The app under gunicorn with its kept grids (the default) or with `kept` of them; the
    people's views swapped in by htmx and asked with their tags if `browser`."""
    env = {"DATABASE_URL": url, "SECRET_KEY": os.urandom(16).hex()}
    if kept is not None:
        env["KEPT_GRIDS"] = str(kept)
    app_server = Served("calendarapp:create_app()", env)
    try:
        people = Run(_people(url, f"http://127.0.0.1:{app_server.port}", args.people, browser))
        for person in people:
            person.sign_in()
        people.seconds = run_crowd(people, args.seconds)
    finally:
        app_server.stop()
    return people


def _share_304(people: Run) -> float:
    asked = sum(p.asked for p in people)
    return sum(p.not_modified for p in people) / max(asked, 1)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--people", type=int, default=16)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kk-mixed-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    _prepare(url)
    load = os.getloadavg()[0]
    hello_server = Served("bench.pages:hello", {})
    try:
        crowd = [Hello(f"http://127.0.0.1:{hello_server.port}") for _ in range(args.people)]
        hello_seconds = run_crowd(crowd, args.seconds)
    finally:
        hello_server.stop()
    hello_times = [t for h in crowd for t in h.times["hello"]]
    hello_rps = len(hello_times) / hello_seconds
    without = _app_load(url, args, kept=0)  # what the kept grids buy: the same load without
    people = _app_load(url, args, kept=None)
    browsers = _app_load(url, args, kept=None, browser=True)
    seconds = people.seconds
    times: dict[str, list[float]] = defaultdict(list)
    for person in people:
        for page, samples in person.times.items():
            times[page] += samples
    total = sum(len(v) for v in times.values())
    writes = sum(len(v) for k, v in times.items() if k.startswith("write"))
    rps = total / seconds
    lines = [
        f"Mixed load: {len(people)} people at once for {seconds:.0f} s (load average before: "
        f"{load:.2f}); {total:,} requests, {writes:,} writes "
        f"({100 * writes / max(total, 1):.0f} %), answers of 400 and up: "
        f"{dict(sum((p.failures for p in people), Counter())) or 'none'}",
        "",
        "| page | answers | p50 (ms) | p95 (ms) |",
        "| --- | --- | --- | --- |",
    ]
    for page in sorted(times):
        samples = times[page]
        lines.append(
            f"| {page} | {len(samples)} | {statistics.median(samples):.0f} | "
            f"{_percentile(samples, 0.95):.0f} |"
        )
    lines += [
        f"| hello (same client, same gunicorn) | {len(hello_times)} | "
        f"{statistics.median(hello_times):.0f} | {_percentile(hello_times, 0.95):.0f} |",
        "",
        f"requests/s: the app {rps:,.1f}, hello {hello_rps:,.1f}; ratio to hello "
        f"{rps / hello_rps:.3f}",
        f"the same load with no kept grids (KEPT_GRIDS=0): {without.rps:,.1f} requests/s, "
        f"ratio to hello {without.rps / hello_rps:.3f}",
        f"the same load as browsers send it (views swapped in by htmx, asked with their ETags; "
        f"{_share_304(browsers):.0%} of those answered 304): {browsers.rps:,.1f} requests/s, "
        f"ratio to hello {browsers.rps / hello_rps:.3f}",
    ]
    publish(lines, "bench-mixed.md", folder)


if __name__ == "__main__":
    main()
