"""Settings from the environment. Nothing secret has a default value."""

from __future__ import annotations

import functools
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from .parsing import digits


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in instance/ (mode 600)."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()


GRAPH_URL = "https://graph.facebook.com/v25.0"


def from_environment(instance_path: Path) -> dict:
    """The configuration a real deployment gets: environment variables with safe defaults."""
    scheme = os.environ.get("PREFERRED_URL_SCHEME", "http")
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'calendar.db'}"
    if database_url.startswith("postgres://"):  # the form some hosts hand out
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "PREFERRED_URL_SCHEME": scheme,
        "SESSION_COOKIE_SECURE": scheme == "https",
        "REMEMBER_COOKIE_SECURE": scheme == "https",
        "REGION_NAME": os.environ.get("REGION_NAME", "Kabupaten Sukamaju"),
        "REGION_TIMEZONE": os.environ.get("REGION_TIMEZONE", "Asia/Jakarta"),
        # the address people reach the site at: every absolute link (feeds, QR, WhatsApp) uses it
        "PUBLIC_URL": _public_url(os.environ.get("PUBLIC_URL", "")),
        "HSTS_SECONDS": _whole(os.environ.get("HSTS_SECONDS", ""), "HSTS_SECONDS", 0, 63072000),
        # how many proxies (nginx, a load balancer) stand in front: their X-Forwarded-For and
        # -Proto are then believed, so login throttling sees the client's own address
        "PROXY_COUNT": _whole(os.environ.get("PROXY_COUNT", ""), "PROXY_COUNT", 0, 5),
        # the optional Instagram connector (flask accounts-sync): Diskominfo's professional
        # account's id and token; without them every figure comes from imports
        "META_IG_USER_ID": os.environ.get("META_IG_USER_ID", "").strip(),
        "META_ACCESS_TOKEN": os.environ.get("META_ACCESS_TOKEN", "").strip(),
        "META_GRAPH_URL": os.environ.get("META_GRAPH_URL", GRAPH_URL).strip().rstrip("/"),
        # delivering notices outside the bell (flask deliver): e-mail, the region's gateway,
        # Web Push (a VAPID key made once into instance/ unless given)
        "SMTP_URL": os.environ.get("SMTP_URL", "").strip(),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "").strip(),
        "WEBHOOK_URL": os.environ.get("WEBHOOK_URL", "").strip(),
        "WEBHOOK_SECRET": os.environ.get("WEBHOOK_SECRET", "").strip(),
        "VAPID_PRIVATE_KEY": os.environ.get("VAPID_PRIVATE_KEY", "").strip(),
        "VAPID_SUBJECT": os.environ.get("VAPID_SUBJECT", "").strip(),
        "DELIVERY_LEASE_SECONDS": _whole(
            os.environ.get("DELIVERY_LEASE_SECONDS", ""), "DELIVERY_LEASE_SECONDS", 5, 86400
        )
        or 300,
        **_region_numbers(),
    }


def _public_url(raw: str) -> str | None:
    raw = raw.strip().rstrip("/")
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError("PUBLIC_URL must look like https://kalender.example.go.id")
    return raw


def _whole(raw: str, name: str, low: int, high: int) -> int:
    raw = raw.strip()
    if not raw:
        return 0
    if not (digits(raw) and low <= int(raw) <= high):
        raise ValueError(f"{name} must be a whole number from {low} to {high}")
    return int(raw)


def _region_numbers() -> dict:
    """The region's monitoring settings and the kept grids: whole numbers in a sensible range,
    else the default."""
    found = {}
    for name, low, high in (
        ("SILENT_DAYS", 1, 365),
        ("STORY_MIN_WORDS", 0, 1000),
        ("KEPT_GRIDS", 0, 10000),
    ):
        raw = os.environ.get(name, "").strip()
        if raw:
            if not (digits(raw) and low <= int(raw) <= high):
                raise ValueError(f"{name} must be a whole number from {low} to {high}")
            found[name] = int(raw)
    return found


class BaseConfig:
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGES = ("id", "en")
    WTF_CSRF_TIME_LIMIT = 8 * 3600  # a working day: forms opened in the morning still save
    MAX_CONTENT_LENGTH = 6 * 1024 * 1024  # training materials are up to 5 MB
    # Compressed for phones: pages, styles, scripts; not the feeds (their ETags must stay theirs)
    # nor downloads (XLSX and PDF are compressed already).
    COMPRESS_MIMETYPES = [
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/manifest+json",
        "image/svg+xml",
        "text/csv",
    ]
    COMPRESS_ALGORITHM = ["br", "gzip"]
    # Static files are sent as streams; Flask-Compress leaves gzip out of streams by default, but
    # Chrome asks for brotli over HTTPS only: on plain HTTP (a LAN install) it accepts only gzip.
    COMPRESS_ALGORITHM_STREAMING = ["br", "gzip"]
    COMPRESS_LEVEL = 6
    COMPRESS_BR_LEVEL = 5
    # How many chips a month cell shows before "+N lainnya".
    MONTH_CHIPS_PER_DAY = 3
    # calendar grids each worker keeps while nothing on calendars moves (calendarapp/kept.py)
    KEPT_GRIDS = 128
    # Pantauan: a unit is silent after this many days without a published post, and a
    # published caption tells a story from this many words on (with the story check ticked).
    SILENT_DAYS = 14
    STORY_MIN_WORDS = 30
    PUBLIC_URL = None  # e.g. https://kalender.example.go.id; unset: the request's own address
    HSTS_SECONDS = 0  # Strict-Transport-Security max-age; 0: not sent
    PROXY_COUNT = 0  # proxies in front whose X-Forwarded-* headers are believed
    META_IG_USER_ID = ""  # the Instagram connector: unset, it is off
    META_ACCESS_TOKEN = ""
    META_GRAPH_URL = GRAPH_URL
    SMTP_URL = ""  # e-mail: unset, nobody is e-mailed
    MAIL_FROM = ""
    WEBHOOK_URL = ""  # the region's gateway: unset, none
    WEBHOOK_SECRET = ""
    VAPID_PRIVATE_KEY = ""  # Web Push: unset, a key is made once into instance/
    VAPID_SUBJECT = ""  # mailto: or https: contact the push services may use
    DELIVERY_LEASE_SECONDS = 300  # a claim of a worker that died lapses after this
    PUSH_HTTP_HOSTS = ""  # hosts whose push endpoints may be plain http (a local test service)


@functools.cache
def _throwaway_vapid_key() -> str:
    from py_vapid import Vapid02

    key = Vapid02()
    key.generate_keys()
    return key.private_pem().decode()


def settings_for_tests(database_url: str, **overrides) -> dict:
    """Configuration for the test-suite: a given database, throwaway keys."""
    config = {
        "TESTING": True,
        "SECRET_KEY": secrets.token_hex(16),
        "VAPID_PRIVATE_KEY": _throwaway_vapid_key(),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "REGION_NAME": "Kabupaten Uji",
        "REGION_TIMEZONE": "Asia/Jakarta",
        "PREFERRED_URL_SCHEME": "http",
    }
    config.update(overrides)
    return config
