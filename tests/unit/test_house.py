"""The house plan holds: feeds know calendar sources, not the areas behind them."""

from __future__ import annotations

import ast
from pathlib import Path

import calendarapp
from calendarapp.sources import registry

PACKAGE = Path(calendarapp.__file__).parent
AREAS_WITH_CALENDAR_THINGS = ("content", "coverage", "mentoring", "planning")


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add("." * node.level + node.module)
    return found


def test_no_feed_module_imports_another_area():
    offending = {
        f"{path.name}: {module}"
        for path in (PACKAGE / "feeds").glob("*.py")
        for module in _imports(path)
        if any(
            module.startswith((f"..{area}.", f"..{area}")) for area in AREAS_WITH_CALENDAR_THINGS
        )
        and not module.endswith("theme_import")  # the import page hands the file to planning
    }
    assert offending == set()


def test_the_calendar_views_read_the_days_through_the_registry(app):
    views = (PACKAGE / "calendar" / "views.py").read_text()
    for by_hand in ("agenda_by_day", "trainings_by_day", "occurrences", "entries_by_day"):
        assert by_hand not in views
    assert len(registry.days) == 4
    assert len(registry.feeds) == 4 and registry.items is not None


def test_every_feed_event_kind_has_one_renderer(app):
    kinds = [kind for source in (*registry.feeds, registry.items) for kind in source.kinds]
    assert sorted(kinds) == sorted(set(kinds))
    for kind in ("publish", "draft", "theme", "agenda", "coverage", "training", "follow-up", "rtl"):
        assert kind in registry.renderer(kind).kinds
