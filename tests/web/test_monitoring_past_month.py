"""A past month's report describes that month as it stood at its end, not as things are today.

The tests' clock is 23 November 2026; October is reported as it was on 31 October: days since
the last post counted from then, only the units that existed then, RTL open then.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from urllib.parse import unquote

import pytest
from pypdf import PdfReader

from calendarapp.accounts.models import UnitKind
from calendarapp.extensions import db
from calendarapp.mentoring.models import ActionItem, ActionStatus, MentoringNote
from tests.monitoring_world import STORY, build, publish


@pytest.fixture
def october(make):
    world = build(make)  # the kecamatan posted on 1 September; Satpol PP and BPBD in November
    late = make.unit("Kelurahan Sukamaju Baru", "Kel. Sukamaju", kind=UnitKind.KELURAHAN)
    late.created_at = datetime(2026, 11, 10, tzinfo=UTC)
    db.session.commit()
    publish(make, late, datetime(2026, 11, 12, 3, tzinfo=UTC), caption=STORY)
    note = MentoringNote(unit=world["satpol"], noted_on=date(2026, 10, 5), to_improve="x")
    note.actions = [
        # finished on 5 November: still open, and overdue, at October's end
        ActionItem(
            text="a",
            due_on=date(2026, 10, 20),
            status=ActionStatus.SELESAI,
            closed_at=datetime(2026, 11, 5, 3, tzinfo=UTC),
            created_at=datetime(2026, 10, 5, 3, tzinfo=UTC),
        ),
        # finished on 26 October: done by the month's end
        ActionItem(
            text="b",
            due_on=date(2026, 10, 25),
            status=ActionStatus.SELESAI,
            closed_at=datetime(2026, 10, 26, 3, tzinfo=UTC),
            created_at=datetime(2026, 10, 5, 3, tzinfo=UTC),
        ),
    ]
    db.session.add(note)
    db.session.commit()
    return world


def test_the_report_of_a_past_month_counts_from_its_last_day(client, auth, october):
    auth.login("koordinator@test")
    page = client.get("/monitoring/report?month=2026-10").get_data(as_text=True)
    # 1 September to 31 October (not to 23 November, which would say 83)
    assert "60 hari sejak unggahan terakhir" in page
    assert "83 hari" not in page
    # Satpol PP and BPBD first posted in November: in October they had never posted
    silent = page[page.index('data-list="silent"') :].split("</ul>")[0]
    assert silent.count("belum pernah mengunggah") == 4  # Satpol PP, BPBD, Diskominfo, Prokopim
    assert "Sukamaju" not in page  # created in November
    assert "1 selesai, 1 belum selesai, 1 terlambat" in page

    text = " ".join(
        p.extract_text()
        for p in PdfReader(
            io.BytesIO(client.get("/monitoring/report.pdf?month=2026-10").data)
        ).pages
    )
    assert "Sukamaju" not in text and "Unit 5" in text
    assert "1 selesai, 1 belum selesai, 1 terlambat" in text

    whatsapp = unquote(
        client.get("/monitoring/report/whatsapp?month=2026-10").get_data(as_text=True)
    )
    assert "Unit: 5" in whatsapp and "Sukamaju" not in whatsapp


def test_the_scorecard_and_exports_of_a_past_month_count_from_its_last_day(client, auth, october):
    auth.login("koordinator@test")
    html = client.get("/monitoring?month=2026-10&columns=all").get_data(as_text=True)
    assert "Sukamaju" not in html
    start = html.index(f'data-unit-id="{october["camat"].id}"')
    assert "60 hari lalu" in html[start : html.index("</tr>", start)]
    satpol = html[html.index(f'data-unit-id="{october["satpol"].id}"') :].split("</tr>")[0]
    assert "belum pernah" in satpol
    assert '<td data-label="RTL belum selesai / terlambat">1 / 1</td>' in satpol

    body = client.get("/monitoring/scorecard.csv?month=2026-10").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    header, by_name = rows[0], {r[1]: r for r in rows[1:]}
    assert "Kel. Sukamaju" not in by_name and len(by_name) == 5
    assert by_name["Kec. Cibening"][header.index("Hari sejak unggahan terakhir")] == "60"
    assert by_name["Satpol PP"][header.index("Hari sejak unggahan terakhir")] == ""
    assert by_name["Satpol PP"][header.index("RTL terlambat")] == "1"


def test_the_current_month_still_counts_from_today(client, auth, october):
    auth.login("koordinator@test")
    html = client.get("/monitoring?month=2026-11&columns=all").get_data(as_text=True)
    assert "Sukamaju" in html
    start = html.index(f'data-unit-id="{october["camat"].id}"')
    assert "83 hari lalu" in html[start : html.index("</tr>", start)]


def test_pantauan_says_today_and_names_its_count_of_planned_posts(client, auth, make):
    world = build(make)
    publish(make, world["bpbd"], datetime(2026, 11, 23, 1, tzinfo=UTC), caption=STORY)
    auth.login("koordinator@test")
    html = client.get("/monitoring?columns=all").get_data(as_text=True)
    bpbd = html[html.index(f'data-unit-id="{world["bpbd"].id}"') :].split("</tr>")[0]
    assert 'data-figure="last">hari ini<' in bpbd and "0 hari" not in html
    # "Jadwal tayang" is an item's planned time; Pantauan counts planned posts
    assert "Unggahan direncanakan" in html and "Jadwal tayang" not in html
    unit_page = client.get(f"/monitoring/units/{world['bpbd'].id}").get_data(as_text=True)
    assert "hari ini" in unit_page and "Jadwal tayang" not in unit_page
