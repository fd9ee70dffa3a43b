"""Pantauan reads the accounts' followers: a column, two flags that filter, the unit's year and
the monthly report (page, PDF, WhatsApp) with the same figures. Clock: 23 November 2026."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime
from urllib.parse import unquote

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from calendarapp.accounts.models import UnitKind
from calendarapp.content.models import Platform
from calendarapp.extensions import db
from calendarapp.performance.models import FollowerCount
from calendarapp.socialaccounts.models import AccountStatus, SocialAccount
from tests.monitoring_world import STORY, build, publish


def account(unit, platform=Platform.INSTAGRAM, status=AccountStatus.AKTIF) -> SocialAccount:
    handle = f"{unit.short_name.lower().replace(' ', '')}.{platform.value}"
    made = SocialAccount(
        unit=unit, platform=platform, handle=handle, handle_key=handle,
        url=f"https://example.org/{handle}", status=status,
    )  # fmt: skip
    db.session.add(made)
    return made


def count(of: SocialAccount, day: date, followers: int) -> None:
    db.session.add(FollowerCount(account=of, measured_on=day, followers=followers, source="manual"))


@pytest.fixture
def region(make):
    world = build(make)
    satpol_ig, satpol_fb = account(world["satpol"]), account(world["satpol"], Platform.FACEBOOK)
    bpbd_ig = account(world["bpbd"])
    account(world["camat"])  # never counted: no performance data
    account(world["kominfo"], status=AccountStatus.DORMAN)  # dormant: nobody expects a count
    for day, satpol, facebook, bpbd in [
        (date(2026, 9, 28), 1800, 500, 1000),
        (date(2026, 10, 28), 2000, 600, 1000),
        (date(2026, 11, 20), 2100, 630, 950),
    ]:
        count(satpol_ig, day, satpol)
        count(satpol_fb, day, facebook)
        count(bpbd_ig, day, bpbd)
    db.session.commit()
    return world


def row(html: str, unit_id: int) -> str:
    start = html.index(f'data-unit-id="{unit_id}"')
    return html[start : html.index("</tr>", start)]


def test_the_scorecard_shows_followers_and_flags_the_fall_and_the_missing(client, auth, region):
    auth.login("koordinator@test")
    html = client.get("/monitoring?month=2026-11&columns=all").get_data(as_text=True)
    satpol = row(html, region["satpol"].id)
    assert 'data-figure="followers">2.730 (+5 %)' in satpol  # 2,600 → 2,730
    bpbd = row(html, region["bpbd"].id)
    assert 'data-figure="followers">950 (−5 %)' in bpbd and 'data-flag="followers_fell"' in bpbd
    camat = row(html, region["camat"].id)
    assert 'data-figure="followers">–' in camat and 'data-flag="no_figures"' in camat
    kominfo = row(html, region["kominfo"].id)
    assert "no_figures" not in kominfo  # its only account is dormant
    assert (
        'data-flag-count="followers_fell">1<' in html and 'data-flag-count="no_figures">1<' in html
    )
    # a flag's count is a filter: only those units, and the filter is in every link
    shown = client.get("/monitoring?month=2026-11&flag=followers_fell&columns=all").get_data(
        as_text=True
    )
    assert re.findall(r'<tr data-unit-id="(\d+)"', shown) == [str(region["bpbd"].id)]
    assert "flag=followers_fell" in re.search(r'href="([^"]*scorecard\.csv[^"]*)"', shown).group(1)
    csv_text = client.get("/monitoring/scorecard.csv?month=2026-11&flag=followers_fell")
    lines = csv_text.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert len(lines) == 2 and "Pengikut" in lines[0] and ",950,-50,-5.0," in lines[1]
    assert client.get("/monitoring?flag=hilang").status_code == 400


def test_last_month_is_scored_with_its_own_counts(client, auth, region):
    auth.login("koordinator@test")
    html = client.get("/monitoring?month=2026-10&columns=all").get_data(as_text=True)
    assert 'data-figure="followers">2.600 (+13 %)' in row(html, region["satpol"].id)
    assert 'data-figure="followers">1.000 (±0 %)' in row(html, region["bpbd"].id)


def test_the_units_page_shows_each_accounts_year(client, auth, region):
    auth.login("admin@satpol.test")
    html = client.get(f"/monitoring/units/{region['satpol'].id}").get_data(as_text=True)
    table = html[html.index('data-table="followers"') :].split("</table>")[0]
    assert table.count("<tr data-account-id=") == 2
    assert "2.100" in table and "1.800" in table and "630" in table
    assert "/followers" in table
    other = client.get(f"/monitoring/units/{region['bpbd'].id}")
    assert other.status_code == 404


def test_the_report_page_pdf_and_whatsapp_hold_the_same_follower_figures(client, auth, region):
    auth.login("koordinator@test")
    page = client.get("/monitoring/report?month=2026-11").get_data(as_text=True)
    table = page[page.index('data-table="followers"') :].split("</table>")[0]
    instagram = table[table.index('data-platform="instagram"') :].split("</tr>")[0]
    assert "3.050" in instagram and "+50" in instagram and "+1,7 %" in instagram
    assert "Pengikut turun: BPBD" in page
    pdf = client.get("/monitoring/report.pdf?month=2026-11").data
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Instagram 3.050 +50 +1,7 %" in text and "Pengikut turun: BPBD" in text
    whatsapp = unquote(
        client.get("/monitoring/report/whatsapp?month=2026-11").get_data(as_text=True)
    )
    assert "Instagram: 3.050 (+1,7 %)" in whatsapp and "Facebook: 630 (+5 %)" in whatsapp


def test_pantauan_reads_followers_in_a_fixed_number_of_queries(
    client, auth, region, make, count_queries
):
    auth.login("koordinator@test")
    client.get("/monitoring?month=2026-11")
    with count_queries() as few:
        client.get("/monitoring?month=2026-11")
    for n in range(3):
        unit = make.unit(f"Puskesmas {n}", f"PKM {n}", kind=UnitKind.PUSKESMAS)
        publish(make, unit, datetime(2026, 11, 3, 3, tzinfo=UTC), caption=STORY)
        ig = account(unit)
        for day in range(1, 20):
            count(ig, date(2026, 11, day), 100 + day)
    db.session.commit()
    with count_queries() as many:
        client.get("/monitoring?month=2026-11")
    assert many.count == few.count


@pytest.fixture
def measured(region, make):
    """Satpol PP's November posts measured by an Instagram export, and one unplanned post."""
    from calendarapp.content.models import ContentItem
    from calendarapp.performance.models import PostMetric

    satpol_ig = db.session.scalar(
        sa.select(SocialAccount).where(SocialAccount.handle == "satpolpp.instagram")
    )
    items = db.session.scalars(
        sa.select(ContentItem).where(ContentItem.unit_id == region["satpol"].id)
    ).all()
    figures = [(800, 40, 1000), (200, 10, 300), (400, 30, 900)]
    for item, (reach, likes, views) in zip(items, figures, strict=True):
        db.session.add(
            PostMetric(
                account=satpol_ig, post_key=f"p{item.id}", published_at=item.posted_at,
                item=item, measured_on=date(2026, 11, 23), reach=reach, likes=likes, views=views,
            )
        )  # fmt: skip
    items[2].unplanned = True
    db.session.commit()
    return region


def test_pantauan_shows_engagement_unplanned_posts_and_the_best_ones(client, auth, measured):
    auth.login("koordinator@test")
    html = client.get("/monitoring?month=2026-11&columns=all").get_data(as_text=True)
    satpol = row(html, measured["satpol"].id)
    assert 'data-figure="engagement">5,71 % (J)' in satpol  # (40 + 10 + 30) / (800 + 200 + 400)
    assert 'data-figure="unplanned">1 (33 %)' in satpol
    unit_page = client.get(f"/monitoring/units/{measured['satpol'].id}").get_data(as_text=True)
    best = unit_page[unit_page.index('data-list="best"') :].split("</ol>")[0]
    assert best.count("<li>") == 3 and "40 interaksi" in best.split("</li>")[0]
    assert 'data-figure="views-per-post">733' in unit_page
    report = client.get("/monitoring/report?month=2026-11").get_data(as_text=True)
    assert "Jangkauan unggahan terukur: 1.400" in report and "Tingkat interaksi: 5,71 %" in report
    top = report[report.index('data-list="top-posts"') :].split("</ol>")[0]
    assert top.count("<li>") == 3 and top.index("40 interaksi") < top.index("10 interaksi")
    pdf = client.get("/monitoring/report.pdf?month=2026-11").data
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Jangkauan unggahan terukur: 1.400" in text and "Unggahan terbaik" in text
    whatsapp = unquote(
        client.get("/monitoring/report/whatsapp?month=2026-11").get_data(as_text=True)
    )
    assert "Tingkat interaksi: 5,71 %" in whatsapp and "*Unggahan terbaik*" in whatsapp


def test_a_best_post_shows_the_opening_of_a_long_caption(client, auth, measured):
    """Figures read only a caption's opening (2,200 characters each, hundreds of posts); the
    unit's page shows the same first 140 characters as it would of the whole caption."""
    from calendarapp.content.models import ContentItem

    words = " ".join(f"kata{n}" for n in range(400))  # about 3,000 characters
    item = db.session.scalars(
        sa.select(ContentItem)
        .where(ContentItem.unit_id == measured["satpol"].id)
        .order_by(ContentItem.id)
    ).first()
    item.caption = words
    db.session.commit()
    auth.login("koordinator@test")
    page = client.get(f"/monitoring/units/{measured['satpol'].id}").get_data(as_text=True)
    best = page[page.index('data-list="best"') :].split("</ol>")[0]
    shown = app_truncate(words)
    assert shown in best and shown.endswith("...") and "kata399" not in best


def app_truncate(text: str) -> str:
    from flask import current_app

    return current_app.jinja_env.filters["truncate"](current_app.jinja_env, text, 140)


def test_the_reports_month_before_reads_no_followers_and_totals_the_same(app, measured):
    """The monthly report scores the month before for its totals only, without the followers:
    the totals are those of the whole scorecard, every unit's follower figures left empty."""
    from flask_login import login_user

    from calendarapp.monitoring import figures, report, services

    coordinator = measured["coordinator"]
    with app.test_request_context():
        login_user(coordinator)
        for month in (date(2026, 10, 1), date(2026, 11, 1)):
            period = figures.month_period(month)
            whole = services.scorecard(coordinator, period)
            light = services.scorecard(coordinator, period, followers=False)
            assert report.totals(light.rows) == report.totals(whole.rows)
            assert any(r.followers.now for r in whole.rows)
            assert not any(r.followers.now for r in light.rows)
        assert report.totals(light.rows).reach == 1400  # November's measured posts count too
