"""Pantauan through the web: who sees which units, the figures from SQL, exports, the report."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader

from calendarapp.accounts.models import UnitKind
from calendarapp.extensions import db
from calendarapp.mentoring.models import ActionItem, MentoringNote
from calendarapp.monitoring.views import OVERVIEW_COLUMNS
from tests.conftest import signed_in
from tests.monitoring_world import STORY, build, publish


@pytest.fixture
def region(make):
    return build(make)


def row(html: str, unit_id: int) -> str:
    start = html.index(f'data-unit-id="{unit_id}"')
    return html[start : html.index("</tr>", start)]


def test_a_coordinator_sees_every_unit_with_its_figures_and_flags(client, auth, region):
    auth.login("koordinator@test")
    html = client.get("/monitoring?columns=all").get_data(as_text=True)
    for name in ("Satuan Polisi", "Badan Penanggulangan", "Cibening", "Komunikasi", "Prokopim"):
        assert name in html
    satpol = row(html, region["satpol"].id)
    assert '<td data-label="Tayang / seharusnya" data-figure="published">3 / 8</td>' in satpol
    assert "38 %" in satpol  # cadence 3 / 8
    assert "67 %" in satpol  # 2 of 3 with a story
    camat = row(html, region["camat"].id)
    assert 'data-flag="silent"' in camat and "83 hari lalu" in camat
    bpbd = row(html, region["bpbd"].id)
    assert 'data-figure="cadence">25 %' in bpbd  # 1 post, 1 a week expected
    assert "0 %" in bpbd  # long caption, but the story check is not ticked
    assert 'data-flag-count="silent">' in html


def test_prokopim_sees_every_unit_too(client, auth, region):
    auth.login("admin@prokopim.test")
    html = client.get("/monitoring").get_data(as_text=True)
    assert "Satuan Polisi Pamong Praja" in html and "Kecamatan Cibening" in html


@pytest.mark.parametrize("email", ["admin@satpol.test", "penulis@satpol.test"])
def test_a_member_sees_only_their_unit_and_the_regions_median(client, auth, region, email):
    auth.login(email)
    html = client.get("/monitoring").get_data(as_text=True)
    assert f'data-unit-id="{region["satpol"].id}"' in html
    for other in ("Badan Penanggulangan", "Kecamatan Cibening", "Diskominfo", "Prokopim"):
        assert other not in html
    assert "data-region-median" in html
    assert "Median daerah (5 unit)" in html


@pytest.mark.parametrize(
    "path",
    [
        "/monitoring/units/{other}",
        "/monitoring/report",
        "/monitoring/report.pdf",
        "/monitoring/report/whatsapp",
    ],
)
def test_a_member_cannot_open_another_units_figures_or_the_report(client, auth, region, path):
    auth.login("admin@satpol.test")
    assert client.get(path.format(other=region["bpbd"].id)).status_code == 404


def test_every_monitoring_page_needs_a_sign_in(client, region):
    for path in (
        "/monitoring",
        f"/monitoring/units/{region['satpol'].id}",
        "/monitoring/scorecard.csv",
        "/monitoring/report.pdf",
    ):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_member_opens_their_own_units_trend(client, auth, region):
    auth.login("admin@satpol.test")
    html = client.get(f"/monitoring/units/{region['satpol'].id}").get_data(as_text=True)
    assert "<svg" in html and 'class="item-table trend-table"' in html
    assert html.count('data-figure="week-published">1<') == 3  # weeks of 2, 9 and 16 Nov
    assert 'data-list="without-story"' in html and "Pos" in html


@pytest.mark.parametrize(
    "query",
    [
        "month=2026-13",
        "month=2026-1",
        "month=1999-12",
        "month=2027-01",
        "weeks=0",
        "weeks=999",
        "weeks=%C2%B2",
        "weeks=-1",
        "kind=desa-x",
        "sort=bogus",
        "dir=up",
        "columns=some",
    ],
)
def test_bad_addresses_get_a_clear_message_not_an_error(client, auth, region, query):
    auth.login("koordinator@test")
    response = client.get(f"/monitoring?{query}")
    assert response.status_code == 400
    assert "error-page" in response.get_data(as_text=True)


def test_the_kind_filter_and_sorting(client, auth, region):
    auth.login("koordinator@test")
    html = client.get("/monitoring?kind=kecamatan").get_data(as_text=True)
    assert "Kecamatan Cibening" in html and "Satpol PP" not in html
    html = client.get("/monitoring?sort=published&dir=desc").get_data(as_text=True)
    order = [html.index(f'data-unit-id="{region[k].id}"') for k in ("satpol", "bpbd", "camat")]
    assert order == sorted(order)


def test_a_coordinators_table_of_every_figure_comes_when_opened(client, auth, region):
    """The overview comes with the page; the folded table of every figure (19 columns of every
    unit, most of a region's page) only when opened: htmx fetches it alone, once."""
    auth.login("koordinator@test")
    page = client.get("/monitoring?weeks=8").get_data(as_text=True)
    assert f'data-overview-unit="{region["satpol"].id}"' in page
    # the overview's own sorts keep the table folded: the view knows which they are
    assert set(re.findall(r'data-overview-sort="(\w+)"', page)) == set(OVERVIEW_COLUMNS)
    assert "data-unit-id=" not in page and 'table class="item-table scorecard"' not in page
    folded = re.search(r'<details class="all-columns" id="all-columns" ([^>]*)>', page)[1]
    assert "open" not in folded.split() and 'hx-trigger="toggle once"' in folded
    asked = re.search(r'hx-get="([^"]+)"', folded)[1].replace("&amp;", "&")
    assert parse_qs(urlsplit(asked).query) == {
        "weeks": ["8"], "columns": ["all"], "sort": ["cadence"], "dir": ["asc"]
    }  # fmt: skip
    # without scripts, the same address shows the page with the table open
    assert f'href="{asked.replace("&", "&amp;")}#all-columns"' in page
    whole = client.get(asked).get_data(as_text=True)
    assert re.search(r'<details class="all-columns" id="all-columns" open', whole)
    table = client.get(asked, headers={"HX-Request": "true", "HX-Target": "all-columns-body"})
    fragment = table.get_data(as_text=True)
    # the table alone, with its sorting for phones (their cards have no header row)
    assert fragment.lstrip().startswith('<form method="get" action="/monitoring" class="filter-bar')
    assert "<html" not in fragment and '<table class="item-table scorecard">' in fragment
    assert '<input type="hidden" name="columns" value="all">' in fragment
    assert '<option value="cadence" selected>' in fragment
    assert '<td data-label="Tayang / seharusnya" data-figure="published">' in fragment
    for unit in ("satpol", "bpbd", "camat"):
        assert f'data-unit-id="{region[unit].id}"' in fragment
        assert row(fragment, region[unit].id) == row(whole, region[unit].id)
    # sorting within it keeps it open; sorting by a figure the overview lacks opens it too
    sort_link = re.search(r'href="([^"]*sort=gap[^"]*)"', fragment)[1]
    assert "columns=all" in sort_link
    by_gap = client.get("/monitoring?sort=gap&dir=desc").get_data(as_text=True)
    assert f'data-unit-id="{region["satpol"].id}"' in by_gap
    assert re.search(r'<details class="all-columns" id="all-columns" open', by_gap)


@pytest.mark.parametrize(
    "path", ["/monitoring", "/monitoring/report?month=2026-11", "/monitoring/scorecard.xlsx"]
)
def test_scorecard_and_report_run_a_fixed_number_of_queries(
    client, auth, region, make, count_queries, path
):
    auth.login("koordinator@test")
    client.get(path)
    with count_queries() as few:
        assert client.get(path).status_code == 200
    for n in range(4):
        unit = make.unit(f"Puskesmas {n}", f"PKM {n}", kind=UnitKind.PUSKESMAS)
        for day in (3, 4, 5):
            publish(make, unit, datetime(2026, 11, day, 3, tzinfo=UTC), caption=STORY)
    with count_queries() as many:
        assert client.get(path).status_code == 200
    assert many.count == few.count


def test_csv_and_xlsx_exports_hold_numbers_and_neutralise_formulas(client, auth, region):
    region["bpbd"].name = '=HYPERLINK("http://x")'
    db.session.commit()
    auth.login("koordinator@test")
    response = client.get("/monitoring/scorecard.csv?month=2026-11")
    assert response.status_code == 200
    assert 'filename="pantauan-2026-11.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    header, body = rows[0], rows[1:]
    assert header[:2] == ["Unit", "Nama singkat"]
    names = [r[0] for r in body]
    assert '\'=HYPERLINK("http://x")' in names
    satpol = next(r for r in body if r[1] == "Satpol PP")
    assert satpol[header.index("Tayang")] == "3"

    response = client.get("/monitoring/scorecard.xlsx?month=2026-11")
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = list(sheet.values)
    satpol = next(r for r in values[1:] if r[1] == "Satpol PP")
    published = satpol[list(values[0]).index("Tayang")]
    assert published == 3 and isinstance(published, int)
    assert any(r[0] == '\'=HYPERLINK("http://x")' for r in values[1:])


def test_a_members_export_holds_only_their_unit_and_the_median(client, auth, region):
    auth.login("admin@satpol.test")
    text = client.get("/monitoring/scorecard.csv").get_data(as_text=True)
    assert "Satuan Polisi Pamong Praja" in text and "Median daerah" in text
    assert "Badan Penanggulangan" not in text and "Cibening" not in text


def test_the_monthly_report_page_pdf_and_whatsapp_hold_the_same_figures(client, auth, region):
    auth.login("koordinator@test")
    page = client.get("/monitoring/report?month=2026-11").get_data(as_text=True)
    assert 'data-figure="published">4<' in page
    assert 'data-figure="silent">3<' in page  # the kecamatan, and two units that never posted
    response = client.get("/monitoring/report.pdf?month=2026-11")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    assert 'filename="laporan-pantauan-2026-11.pdf"' in response.headers["Content-Disposition"]
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "Pantauan media sosial - November 2026" in text
    assert "Unggahan tayang 4" in text
    assert "Kecamatan Cibening" in text
    whatsapp = client.get("/monitoring/report/whatsapp?month=2026-11").get_data(as_text=True)
    assert "Unggahan tayang: 4" in whatsapp and "https://wa.me/?text=" in whatsapp


def test_the_report_counts_mentoring_follow_through(client, auth, region):
    note = MentoringNote(
        unit=region["satpol"], noted_on=datetime(2026, 11, 2).date(), to_improve="x"
    )
    note.actions = [
        ActionItem(text="a", due_on=datetime(2026, 11, 10).date()),
        ActionItem(text="b", due_on=datetime(2026, 11, 30).date()),
    ]
    db.session.add(note)
    db.session.commit()
    auth.login("koordinator@test")
    page = client.get("/monitoring/report?month=2026-11").get_data(as_text=True)
    assert "0 selesai, 2 belum selesai, 1 terlambat" in page


def test_posts_without_a_story_are_a_filter_of_the_list(client, auth, region):
    auth.login("admin@satpol.test")
    html = client.get(f"/calendar/list?month=2026-11&unit={region['satpol'].id}&story=no").get_data(
        as_text=True
    )
    assert html.count("data-item-id=") == 1
    assert client.get("/calendar/list?story=maybe").status_code == 400


def test_the_caption_shows_on_a_published_post_with_its_verdict(client, auth, region):
    auth.login("admin@satpol.test")
    html = client.get("/calendar/list?month=2026-11&story=no").get_data(as_text=True)
    item_id = int(html.split('data-item-id="')[1].split('"')[0])
    page = client.get(f"/items/{item_id}").get_data(as_text=True)
    assert "Kegiatan hari ini." in page and 'data-story="no"' in page


ROUTES = {
    "scorecard": "/monitoring",
    "csv": "/monitoring/scorecard.csv",
    "xlsx": "/monitoring/scorecard.xlsx",
    "own unit": "/monitoring/units/{satpol}",
    "other unit": "/monitoring/units/{bpbd}",
    "report": "/monitoring/report?month=2026-10",
    "pdf": "/monitoring/report.pdf?month=2026-10",
    "whatsapp": "/monitoring/report/whatsapp?month=2026-10",
}
EVERYTHING = dict.fromkeys(ROUTES, 200)
OWN_UNIT = EVERYTHING | {"other unit": 404, "report": 404, "pdf": 404, "whatsapp": 404}


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("koordinator@test", EVERYTHING),
        ("admin@prokopim.test", EVERYTHING),
        ("admin@satpol.test", OWN_UNIT),
        ("penulis@satpol.test", OWN_UNIT),
    ],
)
def test_the_permission_matrix(app, region, email, expected):
    client, _auth = signed_in(app, email)
    ids = {"satpol": region["satpol"].id, "bpbd": region["bpbd"].id}
    answers = {name: client.get(path.format(**ids)).status_code for name, path in ROUTES.items()}
    assert answers == expected


def test_prokopim_sees_a_units_figures_but_not_its_mentoring(app, region):
    note = MentoringNote(
        unit=region["satpol"], noted_on=datetime(2026, 11, 2).date(), to_improve="Rahasia unit"
    )
    note.actions = [ActionItem(text="RTL unit", due_on=datetime(2026, 11, 10).date())]
    db.session.add(note)
    db.session.commit()
    path = f"/monitoring/units/{region['satpol'].id}"
    prokopim, _auth = signed_in(app, "admin@prokopim.test")
    html = prokopim.get(path).get_data(as_text=True)
    assert 'data-figure="published"' in html
    assert "Rahasia unit" not in html and "RTL unit" not in html
    member, _auth = signed_in(app, "admin@satpol.test")
    html = member.get(path).get_data(as_text=True)
    assert "Rahasia unit" in html and "RTL unit" in html


def test_a_published_post_leads_with_its_proof_and_caption_not_with_reopening(app, region):
    from calendarapp.content.models import ContentItem

    item = db.session.scalar(
        sa.select(ContentItem).where(
            ContentItem.unit_id == region["satpol"].id, ContentItem.caption == STORY
        )
    )
    client, _auth = signed_in(app, "admin@satpol.test")
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    proof, caption = page.index('data-proof="instagram"'), page.index("data-caption")
    reopen = page.index("Buka kembali")
    assert proof < caption < reopen
    assert 'class="cancel-step"><summary>Buka kembali' in page  # tucked away, not a blue button


def test_an_item_late_in_review_flags_its_unit_today_and_not_in_a_past_month(
    client, auth, region, make
):
    from datetime import timedelta

    from calendarapp.content.services import walk_to
    from calendarapp.content.workflow import Status
    from tests.conftest import NOW

    late = make.item(region["satpol"], "Razia kemarin", at=NOW - timedelta(days=2))
    soon = make.item(region["bpbd"], "Simulasi besok", at=NOW + timedelta(days=1))
    for item in (late, soon):
        walk_to(item, Status.DITINJAU, None)
    db.session.commit()
    auth.login("koordinator@test")
    html = client.get("/monitoring?columns=all").get_data(as_text=True)
    assert 'data-flag="review_late"' in row(html, region["satpol"].id)
    assert 'data-flag="review_late"' not in row(html, region["bpbd"].id)
    assert 'data-flag-count="review_late">1<' in html
    listed = client.get("/monitoring?flag=review_late&columns=all").get_data(as_text=True)
    assert f'data-unit-id="{region["satpol"].id}"' in listed
    assert f'data-unit-id="{region["bpbd"].id}"' not in listed
    past = client.get("/monitoring?month=2026-10").get_data(as_text=True)
    assert 'data-flag-count="review_late">0<' in past
