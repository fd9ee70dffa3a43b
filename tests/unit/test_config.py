"""The factory and the settings it reads from the environment."""

import stat

from calendarapp import create_app
from calendarapp.config import from_environment, settings_for_tests


def test_the_factory_takes_a_test_config(tmp_path):
    app = create_app(settings_for_tests(f"sqlite:///{tmp_path / 'x.db'}"))
    assert app.testing
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("x.db")
    assert app.config["BABEL_DEFAULT_LOCALE"] == "id"
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_without_a_secret_key_one_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    first = from_environment(tmp_path)
    second = from_environment(tmp_path)
    assert first["SECRET_KEY"] == second["SECRET_KEY"] and len(first["SECRET_KEY"]) == 64
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert first["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'calendar.db'}"


def test_environment_settings_are_honoured(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("DATABASE_URL", "postgres://kk@db.internal/kalender")
    monkeypatch.setenv("PREFERRED_URL_SCHEME", "https")
    settings = from_environment(tmp_path)
    assert settings["SECRET_KEY"] == "from-the-environment"
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://kk@db.internal/kalender"
    assert settings["SESSION_COOKIE_SECURE"] and settings["REMEMBER_COOKIE_SECURE"]
    assert not (tmp_path / "secret_key").exists()


def test_cookies_are_not_marked_secure_over_plain_http(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "k")
    monkeypatch.delenv("PREFERRED_URL_SCHEME", raising=False)
    assert from_environment(tmp_path)["SESSION_COOKIE_SECURE"] is False


def test_kept_grids_are_a_bounded_whole_number_and_zero_keeps_none(tmp_path, monkeypatch):
    import pytest

    from calendarapp.kept import KeptGrids

    monkeypatch.setenv("SECRET_KEY", "k")
    monkeypatch.setenv("KEPT_GRIDS", "0")
    assert from_environment(tmp_path)["KEPT_GRIDS"] == 0
    nothing = KeptGrids(0)
    nothing.put("a", ("<p>", {}))
    assert nothing.get("a") is None
    two = KeptGrids(2)
    for key in "abc":
        two.put(key, (key, {}))
    assert two.get("a") is None and two.get("b") == ("b", {}) and len(two) == 2
    monkeypatch.setenv("KEPT_GRIDS", "lots")
    with pytest.raises(ValueError, match="KEPT_GRIDS must be a whole number"):
        from_environment(tmp_path)


def test_a_served_app_hides_what_starting_made_from_the_garbage_collector(tmp_path):
    """A worker's app (not a test's) freezes the objects its start made: the collector's full
    collections then walk only what requests made. In its own process: freezing is for life."""
    import os
    import subprocess
    import sys

    script = (
        "import gc; from calendarapp import create_app; "
        "before = gc.get_freeze_count(); create_app(); "
        "print(before, gc.get_freeze_count())"
    )
    env = {**os.environ, "SECRET_KEY": "uji", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    before, after = (int(n) for n in done.stdout.split())
    assert before == 0 and after > 100_000
