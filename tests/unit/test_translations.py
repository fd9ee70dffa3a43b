"""Every marked string has its Indonesian words, and the compiled catalogues are current."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "calendarapp" / "translations"


def _catalog(locale: str, kind: str = "po"):
    path = TRANSLATIONS / locale / "LC_MESSAGES" / f"messages.{kind}"
    with path.open("rb") as f:
        return read_po(f) if kind == "po" else read_mo(f)


def _ids(catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def test_every_string_in_the_code_is_in_the_catalogues(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            Path(sys.executable).parent / "pybabel",
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    with pot.open("rb") as f:
        extracted = _ids(read_po(f))
    assert len(extracted) > 50
    for locale in ("id", "en"):
        missing = extracted - _ids(_catalog(locale))
        assert not missing, f"run `make translations` and translate: {sorted(missing)}"


GETTEXT_CALLS = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext"}


def _marked_in_python() -> set[str]:
    """Every string marked in the package's code, read from its syntax tree: Babel's extractor
    does not look inside f-strings, the tree does."""
    found = set()
    for path in (ROOT / "calendarapp").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in GETTEXT_CALLS
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


def test_strings_marked_inside_f_strings_are_in_the_catalogues_too():
    marked = _marked_in_python()
    assert "Published posts: %(num)d" in marked  # the walk reads the code at all
    for locale in ("id", "en"):
        missing = marked - _ids(_catalog(locale))
        assert not missing, f"mark these outside f-strings and translate: {sorted(missing)}"


def test_every_indonesian_string_is_translated():
    untranslated = [
        m.id
        for m in _catalog("id")
        if m.id and (not m.string or m.fuzzy or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    assert untranslated == []


@pytest.mark.parametrize("locale", ["id", "en"])
def test_the_compiled_catalogue_matches_its_source(locale):
    def key(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    source = {
        key(m.id): key(m.string)
        for m in _catalog(locale)
        if m.id and m.string and any(key(m.string)) and not m.fuzzy
    }
    # untranslated plural entries are compiled as the English forms themselves
    compiled = {
        key(m.id): key(m.string)
        for m in _catalog(locale, "mo")
        if m.id and key(m.string) != key(m.id)
    }
    source = {k: v for k, v in source.items() if v != k}
    assert compiled == source, "run `make translations` (pybabel compile)"


def test_placeholders_survive_translation():
    for message in _catalog("id"):
        if message.id and message.string:
            for placeholder in ("%(count)d", "%(min)d", "%(max)d", "%(region)s", "%(week)s"):
                assert (placeholder in message.id) == (placeholder in message.string), message.id
