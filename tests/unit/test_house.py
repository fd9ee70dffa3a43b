"""The house plan holds: feeds know calendar sources, not the areas behind them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import calendarapp
from calendarapp import forms_i18n
from calendarapp.sources import registry

PACKAGE = Path(calendarapp.__file__).parent
AREAS_WITH_CALENDAR_THINGS = ("content", "coverage", "mentoring", "planning")


def _routes() -> list[tuple[str, ast.FunctionDef]]:
    found = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and any(
                ".route(" in ast.unparse(d)
                or ".get(" in ast.unparse(d)
                or ".post(" in ast.unparse(d)
                for d in node.decorator_list
            ):
                found.append((f"{path.relative_to(PACKAGE)}:{node.name}", node))
    return found


def test_routes_are_short_and_say_what_they_answer():
    """Load, check, act, answer: a route longer than 25 lines hides a form or a service."""
    routes = _routes()
    assert len(routes) > 90  # every blueprint was read
    assert [name for name, node in routes if node.end_lineno - node.lineno + 1 > 25] == []
    assert [name for name, node in routes if node.returns is None] == []


def test_no_module_is_longer_than_500_lines():
    long = {
        str(path.relative_to(PACKAGE)): n
        for path in PACKAGE.rglob("*.py")
        if (n := len(path.read_text().splitlines())) > 500
    }
    assert long == {}


def test_refusals_are_caught_in_one_place():
    """Views hand changes to web.attempt / web.save; none catches a refusal by itself."""
    catching = [
        f"{path.relative_to(PACKAGE)}:{handler.lineno}"
        for path in PACKAGE.rglob("*.py")
        if path.name.endswith("views.py") or path.name == "offline.py"
        for handler in ast.walk(ast.parse(path.read_text()))
        if isinstance(handler, ast.ExceptHandler)
        and handler.type is not None
        and any(
            word in ast.unparse(handler.type)
            for word in ("Refused", "Error", "Stale")
            if ast.unparse(handler.type) not in ("ValueError", "FilterError", "PermissionError")
        )
    ]
    assert catching == []


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
    assert [source.kind for source in registry.days] == ["training", "amplify", "gap", "agenda"]
    assert len(registry.feeds) == 5 and registry.items is not None


def test_pages_read_the_areas_built_on_them_through_their_parts(app):
    """An area knows no area built on it: what coverage, the platforms' figures and mentoring
    show on an item's page, and what the figures show on the accounts' pages, comes through
    calendarapp/parts.py, each area's own reader; what happens when someone leaves units,
    through accounts/leaving.py, each area's own step; a notice's delivery, through the
    outbox delivery/ registers with notifications."""
    from calendarapp import parts
    from calendarapp.accounts import leaving
    from calendarapp.delivery import outbox
    from calendarapp.notifications import services as notifications

    def offending(area: str, above: tuple[str, ...]) -> set[str]:
        return {
            f"{path.name}: {module}"
            for path in (PACKAGE / area).glob("*.py")
            for module in _imports(path)
            if module.startswith(tuple(f"..{name}" for name in above))
        }

    higher = ("coverage", "mentoring", "performance", "monitoring", "amplification", "planning")
    assert offending("content", higher) == set()
    assert offending("socialaccounts", ("performance", "monitoring")) == set()
    # someone leaving units: each area's step, registered (accounts/leaving.py)
    assert offending("accounts", ("content", "socialaccounts", "coverage", "mentoring")) == set()
    assert [step.__module__ for step in leaving.steps] == [
        "calendarapp.content.services",
        "calendarapp.socialaccounts.services",
    ]
    # a notice goes beyond the bell through the outbox delivery registers
    assert offending("notifications", ("delivery",)) == set()
    assert notifications.handed_to == [outbox.enqueue]

    def areas(page: parts.Parts) -> set[str]:
        return {reader.__module__.split(".")[1] for reader in page.readers}

    assert areas(parts.ITEM_PAGE) == {"coverage", "performance", "mentoring"}
    assert areas(parts.UNIT_ACCOUNTS) == areas(parts.ACCOUNTS_REGISTER) == {"performance"}
    # two parts never give one name: the later would hide the earlier silently
    page = parts.Parts()
    page.register(lambda item: {"figures": 1}, lambda item: {"coverage": 2})
    assert page.read(None) == {"figures": 1, "coverage": 2}
    page.register(lambda item: {"figures": 3})
    with pytest.raises(ValueError, match="figures"):
        page.read(None)


def test_the_calendar_owns_its_filters_and_picks():
    """The calendar is the one read side: the filters of its address, the picks of each view and
    their SQL live in calendar/, and nothing below it imports them (areas give it chips through
    the registry). Items reach a template as plain rows, other areas' things as `DayChip`s."""
    calendar = PACKAGE / "calendar"
    assert {"picks.py", "day_sql.py", "views.py"} <= {p.name for p in calendar.glob("*.py")}
    below = [
        f"{path.relative_to(PACKAGE)}: {module}"
        for path in PACKAGE.rglob("*.py")
        if path.parent != calendar and path.parent != PACKAGE
        for module in _imports(path)
        if module.startswith("..calendar")
    ]
    assert below == []
    picks = (calendar / "picks.py").read_text()
    assert "class Filters" in picks and "def pick(" in picks and "class ItemChip" in picks
    assert not any(name in {p.name for p in (PACKAGE / "content").glob("*.py")}
                   for name in ("calendar_days.py", "day_sql.py"))  # fmt: skip


def test_no_template_writes_a_limit_by_hand():
    """A field's limit is written once, where it is checked: a template renders the form's field
    (its `Length` validator gives `maxlength`) or reads the constant, never `maxlength="2000"`
    nor `field(f, maxlength=2000)`."""
    import re

    templates = PACKAGE.parent / "templates"
    by_hand = [
        f"{path.relative_to(templates)}: {found}"
        for path in templates.rglob("*.html")
        for found in re.findall(r'maxlength="?\d+', path.read_text())  # attribute or argument
    ]
    assert by_hand == []


def test_no_message_writes_a_limit_by_hand():
    """A refusal or a label that names a limit takes it from the constant that is checked
    (`_l("… at most %(limit)d characters.", limit=TITLE_MAX)`), never writes "at most 200"."""
    import re

    # a percentage's 100 is what a share is, not a limit one could change
    limit_words = re.compile(r"(at most|at least|up to|between \d+ and|\d+ to) [\d,.]+\b(?! ?%)")
    by_hand = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "_l", "gettext", "lazy_gettext", "ngettext")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and limit_words.search(node.args[0].value)
            ):
                by_hand.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.args[0].value}")
    assert by_hand == []


def test_every_feed_event_kind_has_one_renderer(app):
    kinds = [kind for source in (*registry.feeds, registry.items) for kind in source.kinds]
    assert sorted(kinds) == sorted(set(kinds))
    for kind in (
        "publish",
        "draft",
        "theme",
        "agenda",
        "coverage",
        "training",
        "follow-up",
        "rtl",
        "amplify",
    ):
        assert kind in registry.renderer(kind).kinds


def test_tools_live_outside_the_package():
    """Benchmarks, scale data and the soak run sit in bench/ at the repository's root: not in the
    wheel (pyproject includes calendarapp only), and nothing in the package imports them."""
    root = PACKAGE.parent
    assert sorted(p.name for p in (root / "bench").glob("*.py")) == [
        "__init__.py", "feeds.py", "mixed.py", "monitoring.py", "pages.py", "scale.py", "soak.py",
    ]  # fmt: skip
    inside = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "bench" in path.name or path.name in ("scale.py", "soak.py")
    ]
    assert inside == []
    importing = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        for module in _imports(path)
        if module.split(".")[0] in ("bench", "tests")
    ]
    assert importing == []
    assert 'include = ["calendarapp*"]' in (root / "pyproject.toml").read_text()


def test_each_area_keeps_its_own_rules():
    """accounts/permissions.py knows people, units and roles only; each area's rules on its own
    things sit in its own permissions.py, with their imports at the top (none inside a rule)."""
    rules = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.glob("*/permissions.py"))
    assert rules == [
        "accounts/permissions.py", "content/permissions.py", "coverage/permissions.py",
        "mentoring/permissions.py", "planning/permissions.py", "socialaccounts/permissions.py",
    ]  # fmt: skip
    ours = {m for m in _imports(PACKAGE / "accounts" / "permissions.py") if m.startswith(".")}
    assert ours == {"..extensions", ".models"}
    for name in rules:
        tree = ast.parse((PACKAGE / name).read_text())
        inner = [
            f"{name}:{node.lineno}"
            for function in ast.walk(tree)
            if isinstance(function, ast.FunctionDef)
            for node in ast.walk(function)
            if isinstance(node, ast.Import | ast.ImportFrom)
        ]
        assert inner == []
        area = name.split("/")[0]
        reaching = [m for m in _imports(PACKAGE / name) if m.startswith("..") and
                    m.split(".")[2] not in ("accounts", "extensions", area)]  # fmt: skip
        assert reaching == [], name


# Each area's front doors, named for what they hold (an area keeps more than one when its
# views would not fit one module: the names then say which door is which).
BLUEPRINTS = {
    "accounts": "accounts.views",  # signing in and out, the home page
    "people": "accounts.people_views",  # the region's people and units (coordinators)
    "unit_people": "accounts.unit_people_views",  # a unit's members (its admin)
    "amplification": "amplification.views",
    "calendar": "calendar.views",
    "content": "content.views",  # one item and its steps
    "checklist": "content.checklist_views",  # the region's checklist
    "head": "content.head_views",  # the unit head's approval link
    "coverage": "coverage.views",  # Papan Liputan and the requests
    "agenda": "coverage.agenda_views",  # the leader's agenda events
    "delivery": "delivery.views",
    "feeds": "feeds.views",
    "mentoring": "mentoring.views",
    "mentoring_corrections": "mentoring.correction_views",  # correcting notes and RTL
    "monitoring": "monitoring.views",
    "notifications": "notifications.views",
    "offline": "offline",
    "performance": "performance.views",
    "themes": "planning.theme_views",  # campaigns and pillars
    "week_plan": "planning.week_views",  # the week plan, slots, spreadsheet planning
    "socialaccounts": "socialaccounts.views",
    "tasks": "tasks.views",
}


def test_every_blueprint_is_where_the_house_plan_says(app):
    found = {
        name: bp.import_name.removeprefix("calendarapp.") for name, bp in app.blueprints.items()
    }
    assert found == BLUEPRINTS
    # no name that is the stem of another ("plan" beside "planning" was one); a door of an
    # area may say whose it is ("mentoring_corrections")
    names = sorted(found)
    stems = [a for a in names for b in names if b != a and b.startswith(a) and b[len(a)] != "_"]
    assert stems == []


def test_modules_import_at_their_top():
    """What a module needs of the package it imports at its top, where the import graph sees it
    (an import inside a function hid a rule's upward reach); only the app factory and the
    commands do it in a function (blueprints and commands load late). A heavy library a rare
    path needs (openpyxl, py_vapid) may still load late."""
    late = []
    for path in PACKAGE.rglob("*.py"):
        if path.relative_to(PACKAGE).as_posix() in ("__init__.py", "cli.py"):
            continue
        for function in ast.walk(ast.parse(path.read_text())):
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                late += [
                    f"{path.relative_to(PACKAGE)}:{node.lineno}"
                    for node in ast.walk(function)
                    if isinstance(node, ast.ImportFrom)
                    and (node.level > 0 or (node.module or "").startswith("calendarapp"))
                ]
    assert late == []


def test_words_and_fields_come_from_the_projects_own_helpers():
    """Modules translate through `i18n.phrase` / `i18n.lazy_phrase` (a per-language memo, 1.5 µs
    a word instead of Flask-Babel's 5–18) and build forms from `forms_i18n`'s fields, whose
    widgets write the same HTML without `Markup.format`: a module importing Flask-Babel's
    `gettext` or WTForms' own fields would bring the slow path back unseen."""
    ours = {name for name in dir(forms_i18n) if name.endswith(("Field", "Input", "List"))}
    found = []
    for path in PACKAGE.rglob("*.py"):
        if path.name in ("i18n.py", "forms_i18n.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ImportFrom):
                continue
            names = {alias.name for alias in node.names}
            if node.module == "flask_babel" and names & {"gettext", "lazy_gettext"}:
                found.append(f"{path.relative_to(PACKAGE)}: flask_babel {sorted(names)}")
            if (node.module or "").startswith("wtforms") and names & ours:
                found.append(f"{path.relative_to(PACKAGE)}: {node.module} {sorted(names & ours)}")
    assert len(ours) > 10  # the fields and widgets were found
    assert found == []
