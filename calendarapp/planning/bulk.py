"""Bulk planning from a spreadsheet: a month's template as CSV or XLSX, filled in Excel or
LibreOffice and uploaded back as ideas. Every row is checked first; one error, nothing is saved."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from ..accounts.models import Unit, User
from ..content import services as content
from ..content.models import ContentFormat, Platform, Theme
from ..content.permissions import plans_in_unit
from ..errors import Refused
from ..extensions import db
from ..i18n import lazy_phrase as _l
from ..timeutil import FIRST_YEAR, LAST_YEAR, add_months, parse_day

# The columns, in the users' words; the template and the upload use the same.
COLUMNS = ("tanggal", "jam", "judul", "format", "pilar", "platform", "brief")
MAX_ROWS = 1000
MAX_BYTES = 2 * 1024 * 1024
# An XLSX is a ZIP: what it unpacks to is checked before any XML is read (a 100 KB file can
# hold millions of cells or a 200 MB string).
MAX_UNPACKED = 8 * 1024 * 1024
MAX_ENTRIES = 64
XLSX_MAGIC = b"PK\x03\x04"


class SheetRefused(Refused):
    """The file as a whole is refused; `problems` lists (row, column, message) when known."""

    def __init__(self, message, problems: list[tuple[int, str, str]] | None = None) -> None:
        super().__init__(message, "file")
        self.problems = problems or []


@dataclass
class Row:
    number: int
    values: dict[str, object]


def template_rows(month: date) -> list[list[object]]:
    """One row per day of the month, with the date filled in and the rest to plan."""
    days = (add_months(month, 1) - month).days
    return [[(month + timedelta(days=n)).isoformat(), "", "", "", "", "", ""] for n in range(days)]


def template_csv(month: date) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(template_rows(month))
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM lets Excel read UTF-8


def template_xlsx(month: date) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = month.strftime("%Y-%m")
    sheet.append(list(COLUMNS))
    for row in template_rows(month):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _check_unpacked(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise SheetRefused(_l("This is not a spreadsheet we can read (CSV or XLSX).")) from error
    if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > MAX_UNPACKED:
        raise SheetRefused(
            _l(
                "The spreadsheet holds too much "
                "(at most %(limit)d rows of the template's columns).",
                limit=MAX_ROWS,
            )
        )


def _rows(data: bytes, filename: str) -> list[Row]:
    if len(data) > MAX_BYTES:
        raise SheetRefused(_l("The file is too large (at most %(mb)d MB).", mb=MAX_BYTES // 2**20))
    name = filename.lower()
    if name.endswith(".xlsx"):
        if not data.startswith(XLSX_MAGIC):
            raise SheetRefused(_l("This is not a spreadsheet we can read (CSV or XLSX)."))
        _check_unpacked(data)
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=False).active
            table = [
                list(r)
                for r in sheet.iter_rows(
                    values_only=True, max_row=MAX_ROWS + 2, max_col=len(COLUMNS) + 10
                )
            ]
            more = sheet.max_row is not None and sheet.max_row > MAX_ROWS + 1
        except Exception as error:  # openpyxl raises several kinds on a broken file
            raise SheetRefused(
                _l("This is not a spreadsheet we can read (CSV or XLSX).")
            ) from error
    elif name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise SheetRefused(_l("The CSV file must be saved as UTF-8.")) from error
        table = list(csv.reader(io.StringIO(text)))
        more = len(table) > MAX_ROWS + 1
    else:
        raise SheetRefused(_l("This is not a spreadsheet we can read (CSV or XLSX)."))
    if more or len(table) > MAX_ROWS + 1:
        raise SheetRefused(_l("The file has too many rows (at most %(limit)d).", limit=MAX_ROWS))
    if not table:
        raise SheetRefused(_l("The file is empty."))
    header = [str(c or "").strip().lower() for c in table[0]]
    while header and not header[-1]:
        header.pop()
    if tuple(header) != COLUMNS:
        raise SheetRefused(_l("The columns must be: %(columns)s.", columns=", ".join(COLUMNS)))
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        cells = list(cells) + [None] * (len(COLUMNS) - len(cells))
        rows.append(Row(number, dict(zip(COLUMNS, cells[: len(COLUMNS)], strict=True))))
    return rows


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _day(value) -> date:
    """A cell's day: a spreadsheet date, or text as 2026-11-23; only within 2000–2100."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValueError(value)
        return value
    return parse_day(_text(value))


def _time(value) -> time | None:
    if isinstance(value, time):
        return value
    if isinstance(value, datetime):
        return value.time()
    text = _text(value).replace(".", ":")
    return time.fromisoformat(text) if text else None


def read_plan(unit: Unit, data: bytes, filename: str) -> list[content.ItemFields]:
    """The rows with a title as item fields; SheetRefused listing every problem otherwise."""
    pillars = {
        t.name.lower(): t
        for t in db.session.scalars(
            sa.select(Theme).where(
                sa.or_(Theme.unit_id == unit.id, Theme.unit_id.is_(None)),
                Theme.archived.is_(False),
            )
        )
    }
    problems: list[tuple[int, str, str]] = []
    fields = []
    for row in _rows(data, filename):
        values = row.values
        if any(isinstance(v, str) and v.startswith("=") for v in values.values()):
            problems.append((row.number, "", str(_l("Formulas are not accepted; paste values."))))
            continue
        title = _text(values["judul"])
        if not title:
            continue  # a day left unplanned

        def problem(column: str, message, number: int = row.number) -> None:
            problems.append((number, column, str(message)))

        try:
            day = _day(values["tanggal"])
        except (TypeError, ValueError):
            problem("tanggal", _l("Not a date (write it as 2026-11-23)."))
            day = None
        try:
            at = _time(values["jam"])
        except (TypeError, ValueError):
            problem("jam", _l("Not a time (write it as 09:00)."))
            at = None
        if len(title) > content.TITLE_MAX:
            problem(
                "judul",
                _l(
                    "The title is too long (at most %(limit)d characters).", limit=content.TITLE_MAX
                ),
            )
        raw_format = _text(values["format"]).lower() or ContentFormat.FOTO.value
        try:
            kind = ContentFormat(raw_format)
        except ValueError:
            problem(
                "format",
                _l("One of: %(choices)s.", choices=", ".join(f.value for f in ContentFormat)),
            )
            kind = ContentFormat.FOTO
        pillar = None
        if _text(values["pilar"]):
            pillar = pillars.get(_text(values["pilar"]).lower())
            if pillar is None:
                problem("pilar", _l("Not a theme or pillar of this unit."))
        platforms = []
        for name in filter(None, (p.strip().lower() for p in _text(values["platform"]).split(","))):
            try:
                platforms.append(Platform(name))
            except ValueError:
                problem(
                    "platform",
                    _l("One of: %(choices)s.", choices=", ".join(p.value for p in Platform)),
                )
        brief = _text(values["brief"])
        if len(brief) > content.TEXT_MAX:
            problem(
                "brief",
                _l("This text is too long (at most %(limit)d characters).", limit=content.TEXT_MAX),
            )
        fields.append(
            content.ItemFields(
                title=title[: content.TITLE_MAX],
                format=kind,
                theme=pillar,
                platforms=platforms,
                planned_day=day,
                planned_time=at,
                brief=brief,
            )
        )
    if problems:
        raise SheetRefused(
            _l("Nothing was imported: correct these cells and upload again."), problems
        )
    if not fields:
        raise SheetRefused(_l("No row has a title: nothing to import."))
    return fields


def import_plan(unit: Unit, by: User, data: bytes, filename: str) -> int:
    """Every row with a title becomes an idea on the unit's calendar, or none does."""
    if not unit.active or not plans_in_unit(by, unit.id):
        raise SheetRefused(_l("Only the unit's admins and editors plan its calendar."))
    fields = read_plan(unit, data, filename)
    for item in fields:
        content.create_item(unit, data=item, created_by=by)
    return len(fields)
