"""Bulk planning: download a month's template, fill it, upload it back; refusals save nothing."""

from __future__ import annotations

import functools
import io
import zipfile
from datetime import UTC, date, datetime, time

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from calendarapp.accounts.models import Role
from calendarapp.content.models import ContentFormat, ContentItem, Platform, Theme
from calendarapp.extensions import db
from calendarapp.planning import bulk
from tests.conftest import signed_in


@pytest.fixture
def team(make):
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    bpbd = make.unit("Badan Penanggulangan Bencana Daerah", "BPBD")
    make.user("admin@satpol.test", {satpol: Role.ADMIN})
    make.user("penulis@satpol.test", {satpol: Role.CONTRIBUTOR})
    db.session.add_all(
        [
            Theme(unit=satpol, name="Edukasi Perda", color="#16a34a"),
            Theme(unit=bpbd, name="Siaga Bencana", color="#f97316"),
        ]
    )
    db.session.commit()
    return {"satpol": satpol}


def count() -> int:
    return db.session.scalar(sa.select(sa.func.count(ContentItem.id)))


def upload(client, auth, team, data: bytes, name: str):
    return client.post(
        f"/plan/import?unit={team['satpol'].id}&month=2026-12",
        data={"csrf_token": auth.csrf("/plan/week"), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_the_xlsx_template_round_trip(app, team):
    client, auth = signed_in(app, "admin@satpol.test")
    download = client.get(f"/plan/template.xlsx?unit={team['satpol'].id}&month=2026-12")
    assert download.status_code == 200
    book = load_workbook(io.BytesIO(download.data))
    sheet = book.active
    assert [c.value for c in sheet[1]] == list(bulk.COLUMNS)
    assert sheet.max_row == 32 and sheet["A2"].value == "2026-12-01"
    sheet["C2"] = "Edukasi Perda: larangan berjualan di trotoar"
    sheet["B2"] = "09:00"
    sheet["D2"] = "infografis"
    sheet["E2"] = "edukasi perda"
    sheet["F2"] = "instagram, facebook"
    sheet["C26"] = "Ucapan Hari Natal"  # 25 December, whole day
    out = io.BytesIO()
    book.save(out)
    response = upload(client, auth, team, out.getvalue(), "rencana.xlsx")
    assert response.status_code == 303
    items = db.session.scalars(sa.select(ContentItem).order_by(ContentItem.id)).all()
    assert [(i.title, i.local_day(), i.format) for i in items] == [
        (
            "Edukasi Perda: larangan berjualan di trotoar",
            date(2026, 12, 1),
            ContentFormat.INFOGRAFIS,
        ),
        ("Ucapan Hari Natal", date(2026, 12, 25), ContentFormat.FOTO),
    ]
    first = items[0]
    assert first.theme.name == "Edukasi Perda" and first.platform_list == [
        Platform.FACEBOOK,
        Platform.INSTAGRAM,
    ]
    assert first.planned_at == datetime(2026, 12, 1, 2, tzinfo=UTC)  # 09.00 WIB
    assert items[1].planned_at is None and items[1].planned_date == date(2026, 12, 25)
    assert bulk.read_plan(team["satpol"], out.getvalue(), "x.xlsx")[0].planned_time == time(9)


def test_the_csv_template_round_trip(app, team):
    client, auth = signed_in(app, "admin@satpol.test")
    text = client.get(f"/plan/template.csv?unit={team['satpol'].id}&month=2026-12").data.decode(
        "utf-8-sig"
    )
    lines = text.splitlines()
    assert lines[0] == ",".join(bulk.COLUMNS) and lines[1].startswith("2026-12-01")
    lines[3] = "2026-12-03,13.30,Patroli malam,foto,,instagram,Liputan patroli"
    response = upload(client, auth, team, "\n".join(lines).encode(), "rencana.csv")
    assert response.status_code == 303
    item = db.session.scalar(sa.select(ContentItem))
    assert (item.title, item.brief, item.local_day()) == (
        "Patroli malam",
        "Liputan patroli",
        date(2026, 12, 3),
    )


def sheet_bytes(rows: list[list[object]], header=bulk.COLUMNS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sheet(rows: list[list[object]], **kwargs):
    """A case's sheet, made when its test runs: every worker collects every case, and the
    10,000-row sheet took each of them a second to build at import."""
    return functools.partial(sheet_bytes, rows, **kwargs)


def raw(data: bytes):
    return functools.partial(bytes, data)


@pytest.mark.parametrize(
    "build, name, message",
    [
        (sheet([["2026-12-01", "", "x"]], header=("date", "title")), "a.xlsx", "Kolom harus"),
        (sheet([["2026-13-01", "", "Judul"]]), "a.xlsx", "Bukan tanggal"),
        (sheet([[datetime(1900, 1, 2), "", "Judul"]]), "a.xlsx", "Bukan tanggal"),
        (sheet([["2026-12-01", "25:00", "Judul"]]), "a.xlsx", "Bukan jam"),
        (sheet([["2026-12-01", "", "=1+1"]]), "a.xlsx", "Rumus tidak diterima"),
        (sheet([["2026-12-01", "", "Judul", "podcast"]]), "a.xlsx", "Salah satu dari"),
        (sheet([["2026-12-01", "", "Judul", "", "Siaga Bencana"]]), "a.xlsx", "Bukan tema"),
        (sheet([["2026-12-01", "", "Judul"]] * 10_000), "a.xlsx", "terlalu banyak baris"),
        (raw(b"%PDF-1.7 not a sheet"), "a.xlsx", "bukan lembar kerja"),
        (raw(b"\xff\xfe\x00binary"), "a.csv", "UTF-8"),
    ],
)  # fmt: skip
def test_a_bad_sheet_imports_nothing(app, team, build, name, message):
    client, auth = signed_in(app, "admin@satpol.test")
    data = build()
    good_row = ["2026-12-02", "", "Baris yang benar"]
    if name.endswith(".xlsx") and data.startswith(b"PK"):
        book = load_workbook(io.BytesIO(data))
        book.active.append(good_row)
        out = io.BytesIO()
        book.save(out)
        data = out.getvalue()
    response = upload(client, auth, team, data, name)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count() == 0


def test_only_planners_import(app, team):
    client, auth = signed_in(app, "penulis@satpol.test")
    assert client.get(f"/plan/import?unit={team['satpol'].id}").status_code == 404
    assert client.get(f"/plan/template.xlsx?unit={team['satpol'].id}").status_code == 404


def zip_bomb() -> bytes:
    """A real template whose sheet unpacks to 9 MB: a 'small' file with one giant cell."""
    source = zipfile.ZipFile(io.BytesIO(sheet_bytes([])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                giant = b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + b"x" * 9_000_000
                data = data.replace(b"</sheetData>", giant + b"</t></is></c></row></sheetData>")
            bomb.writestr(entry, data)
    return out.getvalue()


def test_a_spreadsheet_that_unpacks_too_large_is_refused_before_it_is_read(app, team):
    client, auth = signed_in(app, "admin@satpol.test")
    data = zip_bomb()
    assert len(data) < 100_000
    response = upload(client, auth, team, data, "bom.xlsx")
    assert response.status_code == 422
    assert "Lembar kerja berisi terlalu banyak" in response.get_data(as_text=True)
    assert count() == 0
