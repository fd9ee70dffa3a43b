"""Followers over time: a unit admin records the count with a screenshot, sees the year, and is
reminded at the month's end. The tests' clock is Monday 23 November 2026, 09.00 WIB."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from calendarapp import clock
from calendarapp.accounts.models import Role
from calendarapp.content.models import Platform
from calendarapp.extensions import db
from calendarapp.notifications.models import Notification, NotificationKind
from calendarapp.performance import services
from calendarapp.performance.models import FigureSource, FollowerCount
from calendarapp.socialaccounts.models import SocialAccount
from tests.conftest import csrf_token_from, signed_in

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture
def world(make):
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    bpbd = make.unit("Badan Penanggulangan Bencana Daerah", "BPBD")
    people = {
        "admin": make.user("admin@satpol.test", {satpol: Role.ADMIN}, name="Yuni Astuti"),
        "writer": make.user("penulis@satpol.test", {satpol: Role.CONTRIBUTOR}),
        "other": make.user("admin@bpbd.test", {bpbd: Role.ADMIN}),
        "coordinator": make.user("koordinator@test", coordinator=True),
    }
    accounts = {}
    for unit, handle in ((satpol, "satpolpp.sukamaju"), (bpbd, "bpbd.sukamaju")):
        accounts[unit.short_name] = SocialAccount(
            unit=unit,
            platform=Platform.INSTAGRAM,
            handle=handle,
            handle_key=handle,
            url=f"https://www.instagram.com/{handle}/",
        )
        db.session.add(accounts[unit.short_name])
    db.session.commit()
    return {"satpol": satpol, "bpbd": bpbd, **people, **accounts}


def page_of(world, unit="satpol", account="Satpol PP") -> str:
    return f"/units/{world[unit].id}/accounts/{world[account].id}/followers"


def record(client, path: str, **fields):
    html = client.get(path).get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(html), "followers": "12400", "measured_on": "2026-11-20"}
    data.update(fields)
    return client.post(path, data=data, content_type="multipart/form-data")


def figures() -> list[tuple[date, int]]:
    return db.session.execute(
        sa.select(FollowerCount.measured_on, FollowerCount.followers).order_by(
            FollowerCount.measured_on
        )
    ).all()


def test_an_admin_records_followers_with_a_screenshot_and_sees_them(app, world):
    admin, _auth = signed_in(app, "admin@satpol.test")
    path = page_of(world)
    answer = record(admin, path, proof=(io.BytesIO(PNG), "layar.png"))
    assert answer.status_code == 303 and answer.headers["Location"] == path
    html = admin.get(path).get_data(as_text=True)
    assert 'data-figure="followers">12.400' in html
    proof_link = re.search(r'href="([^"]+/proof)"', html).group(1)
    proof = admin.get(proof_link)
    assert proof.status_code == 200 and proof.data == PNG
    assert proof.headers["Content-Type"] == "image/png"
    assert proof.headers["X-Content-Type-Options"] == "nosniff"
    # the unit's accounts page shows the latest figure and leads to the page
    accounts = admin.get(f"/units/{world['satpol'].id}/accounts").get_data(as_text=True)
    assert 'data-figure="followers">12.400' in accounts and path in accounts
    # the same day again corrects the figure; the screenshot stays
    assert record(admin, path, followers="12450").status_code == 303
    assert figures() == [(date(2026, 11, 20), 12450)]
    assert admin.get(proof_link).data == PNG


def test_the_year_shows_each_months_last_count_and_the_change(app, world):
    account = world["Satpol PP"]
    for day, count in [
        (date(2026, 1, 31), 9000),
        (date(2026, 9, 10), 11000),
        (date(2026, 10, 5), 11500),
        (date(2026, 10, 30), 12000),
        (date(2026, 11, 20), 11800),
        (date(2025, 11, 30), 8000),  # thirteen months back: outside the chart
    ]:
        db.session.add(
            FollowerCount(account=account, measured_on=day, followers=count, source="manual")
        )
    db.session.commit()
    admin, _auth = signed_in(app, "admin@satpol.test")
    html = admin.get(page_of(world)).get_data(as_text=True)
    months = dict(
        re.findall(r'data-month="([\d-]+)">.*?data-figure="month-followers">([^<]+)<', html)
    )
    assert months["2026-10"] == "12.000"  # the month's last count
    assert months["2026-11"] == "11.800" and months["2026-09"] == "11.000"
    assert months["2026-08"] == "–" and "2025-11" not in months and len(months) == 12
    assert 'data-figure="followers-change">−200 (−1.7 %)' in html
    assert html.count('class="bar-after"') == 4  # January, September, October, November


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"followers": "-5"}, ""),
        ({"followers": "banyak"}, ""),
        ({"followers": "٣٠٠"}, ""),
        ({"followers": str(2**40)}, ""),
        ({"measured_on": "2026-11-24"}, "belum tiba"),
        ({"measured_on": "1999-12-31"}, ""),
        ({"measured_on": "2026-02-30"}, ""),
        ({"proof": (b"%PDF-1.7 not a picture", "layar.png")}, "PNG atau JPEG"),
        ({"proof": (JPEG + b"\x00" * 2 * 1024 * 1024, "besar.jpg")}, "2 MB"),
    ],
)
def test_a_bad_figure_is_refused_and_nothing_is_saved(app, world, fields, message):
    admin, _auth = signed_in(app, "admin@satpol.test")
    if "proof" in fields:  # a fresh file for each run
        fields = {"proof": (io.BytesIO(fields["proof"][0]), fields["proof"][1])}
    answer = record(admin, page_of(world), **fields)
    assert answer.status_code == 422
    assert message in answer.get_data(as_text=True)
    assert figures() == []


def test_who_sees_and_who_records_a_units_followers(app, world):
    db.session.add(
        FollowerCount(
            account=world["BPBD"], measured_on=date(2026, 11, 1), followers=500, source="manual",
            proof=PNG, proof_type="image/png",
        )
    )  # fmt: skip
    db.session.commit()
    bpbd_figure = db.session.scalar(sa.select(FollowerCount.id))
    other_page = page_of(world, "bpbd", "BPBD")
    # a unit's admin: not another unit's figures, screenshots or form
    admin, _auth = signed_in(app, "admin@satpol.test")
    assert admin.get(other_page).status_code == 404
    assert admin.get(f"{other_page}/{bpbd_figure}/proof").status_code == 404
    # another unit's account under one's own unit's address is no address either
    wrong = f"/units/{world['satpol'].id}/accounts/{world['BPBD'].id}/followers"
    assert admin.get(wrong).status_code == 404
    assert admin.get(f"{wrong}/{bpbd_figure}/proof").status_code == 404
    token = csrf_token_from(admin.get(page_of(world)).get_data(as_text=True))
    data = {"csrf_token": token, "followers": "1", "measured_on": "2026-11-20"}
    assert admin.post(other_page, data=data).status_code == 404
    # a contributor sees the figures of their unit but does not record them
    writer, _auth = signed_in(app, "penulis@satpol.test")
    html = writer.get(page_of(world)).get_data(as_text=True)
    assert "followers-form" not in html
    token = csrf_token_from(html)
    data = {"csrf_token": token, "followers": "1", "measured_on": "2026-11-20"}
    assert writer.post(page_of(world), data=data).status_code == 404
    # a coordinator records for any unit
    coordinator, _auth = signed_in(app, "koordinator@test")
    assert record(coordinator, other_page, followers="510").status_code == 303
    assert (date(2026, 11, 20), 510) in figures()


def test_the_page_runs_a_fixed_number_of_queries(app, world, count_queries):
    admin, _auth = signed_in(app, "admin@satpol.test")
    path = page_of(world)
    admin.get(path)
    with count_queries() as few:
        admin.get(path)
    for day in range(1, 20):
        db.session.add(
            FollowerCount(
                account=world["Satpol PP"], measured_on=date(2026, 11, day), followers=day,
                source="import", recorded_by=world["admin" if day % 2 else "coordinator"],
            )
        )  # fmt: skip
    db.session.commit()
    with count_queries() as many:
        admin.get(path)
    assert many.count == few.count, "\n".join(many.statements)


def test_unit_admins_are_reminded_at_the_months_end_once(app, world):
    db.session.add(
        FollowerCount(
            account=world["BPBD"], measured_on=date(2026, 11, 2), followers=500,
            source=FigureSource.MANUAL,
        )
    )  # fmt: skip
    db.session.commit()
    with clock.frozen(datetime(2026, 11, 23, 2, tzinfo=UTC)):
        assert services.send_month_end_reminders(clock.now()) == 0  # not the month's end yet
    with clock.frozen(datetime(2026, 11, 28, 2, tzinfo=UTC)):
        # Satpol PP's account has no figure this month; BPBD's has one
        assert services.send_month_end_reminders(clock.now()) == 1
        db.session.commit()
        assert services.send_month_end_reminders(clock.now()) == 0  # once a month
    told = db.session.scalars(sa.select(Notification)).all()
    assert [(n.user.email, n.unit_id, n.kind, n.detail) for n in told] == [
        ("admin@satpol.test", world["satpol"].id, NotificationKind.FOLLOWERS_DUE, "1")
    ]
    admin, _auth = signed_in(app, "admin@satpol.test")
    bell = admin.get("/notifications").get_data(as_text=True)
    assert "Satpol PP" in bell and f"/units/{world['satpol'].id}/accounts" in bell
