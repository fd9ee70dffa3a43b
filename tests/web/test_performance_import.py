"""A unit admin imports an Instagram export: the preview matches posts to the calendar by link
and by time, asks about the doubtful one, lists what went out unplanned and the rows skipped;
confirming saves it all, importing again adds nothing twice. Clock: 23 November 2026."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from calendarapp.accounts.models import Role
from calendarapp.content.models import ContentItem, Platform
from calendarapp.content.services import set_posted_links, walk_to
from calendarapp.content.workflow import Status
from calendarapp.extensions import db
from calendarapp.performance.models import (
    AccountDay,
    ColumnAlias,
    FollowerCount,
    PerformanceImport,
    PostMetric,
)
from calendarapp.socialaccounts.models import SocialAccount
from tests.conftest import csrf_token_from, signed_in
from tests.platform_exports import (
    facebook,
    ig_row,
    instagram,
    renamed_instagram,
    tiktok_followers,
    tiktok_overview,
)

LINKED = "https://www.instagram.com/p/LINKED/"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A November 2026 time in WIB, as UTC."""
    return datetime(2026, 11, day, hour - 7, minute, tzinfo=UTC)


@pytest.fixture
def world(make):
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    bpbd = make.unit("Badan Penanggulangan Bencana Daerah", "BPBD")
    admin = make.user("admin@satpol.test", {satpol: Role.ADMIN}, name="Yuni Astuti")
    make.user("penulis@satpol.test", {satpol: Role.CONTRIBUTOR})
    make.user("admin@bpbd.test", {bpbd: Role.ADMIN})
    make.user("koordinator@test", coordinator=True)
    accounts = {}
    for unit, handle, platform in [
        (satpol, "satpolpp.sukamaju", Platform.INSTAGRAM),
        (satpol, "satpolpp.sukamaju.fb", Platform.FACEBOOK),
        (bpbd, "bpbd.sukamaju", Platform.INSTAGRAM),
    ]:
        accounts[handle] = SocialAccount(
            unit=unit, platform=platform, handle=handle, handle_key=handle,
            url=f"https://www.{platform.value}.com/{handle}/",
        )  # fmt: skip
        db.session.add(accounts[handle])
    db.session.commit()
    # planned and published here, with its proof link
    linked = make.item(satpol, "Razia knalpot", at=at(18, 16), platforms=[Platform.INSTAGRAM])
    walk_to(linked, Status.TAYANG, admin)
    set_posted_links(linked, {Platform.INSTAGRAM: LINKED})
    linked.posted_at = at(18, 16, 5)
    # scheduled for 20 Nov 19.00, never marked as published here
    scheduled = make.item(
        satpol, "Patroli malam pasar", at=at(20, 19), platforms=[Platform.INSTAGRAM]
    )
    scheduled.caption = "Patroli malam di pasar induk bersama warga"
    walk_to(scheduled, Status.TERJADWAL, admin)
    # planned on the 21st at 07.00 with another caption: a doubtful match
    doubtful = make.item(satpol, "Apel pagi", at=at(21, 7), platforms=[Platform.INSTAGRAM])
    doubtful.caption = "Apel pagi seluruh anggota"
    walk_to(doubtful, Status.TERJADWAL, admin)
    db.session.commit()
    return {"satpol": satpol, "bpbd": bpbd, "linked": linked, "scheduled": scheduled,
            "doubtful": doubtful, **accounts}  # fmt: skip


def export() -> bytes:
    return instagram(
        ig_row("1001", "Razia knalpot brong", "11/18/2026 16:05", LINKED, views="12,400"),
        ig_row("1002", "Patroli malam di pasar induk bersama warga 🚓", "11/20/2026 19:10",
               "https://www.instagram.com/p/NIGHT/", likes="120"),
        ig_row("1003", "Senam bersama di alun-alun", "11/21/2026 07:20",
               "https://www.instagram.com/p/GYM/"),
        ig_row("1004", "Sosialisasi perda\nbaris kedua", "11/22/2026 10:00",
               "https://www.instagram.com/p/PERDA/", kind="IG carousel"),
        ig_row("1005", "rusak", "11/22/2026 11:00", "https://www.instagram.com/p/BAD/",
               views="banyak"),
    )  # fmt: skip


def upload(client, unit, account, data: bytes, name="export.csv"):
    page = client.get(f"/units/{unit.id}/performance/import").get_data(as_text=True)
    return client.post(
        f"/units/{unit.id}/performance/import",
        data={"csrf_token": csrf_token_from(page), "account": str(account.id),
              "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )  # fmt: skip


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_preview_then_the_import_as_a_unit_admin_would(app, world):
    admin, _auth = signed_in(app, "admin@satpol.test")
    answer = upload(admin, world["satpol"], world["satpolpp.sukamaju"], export())
    assert answer.status_code == 303
    preview_path = answer.headers["Location"]
    html = admin.get(preview_path).get_data(as_text=True)

    def listed(name: str) -> list[str]:
        section = html[html.index(f'data-list="{name}"') :].split("</ul>")[0]
        return re.findall(r'data-row="(\d+)"', section)

    assert listed("matched") == ["2", "3"]  # by its link, by its time and caption
    assert listed("unsure") == ["4"]  # near "Apel pagi" but another caption
    assert listed("unplanned") == ["5"]
    problems = html[html.index('data-table="problems"') :].split("</table>")[0]
    assert "<td>6</td><td>Views</td>" in problems
    assert count(PostMetric) == 0 and count(ContentItem) == 3  # nothing saved yet

    token = csrf_token_from(html)
    done = admin.post(preview_path, data={"csrf_token": token})  # the doubtful one not ticked
    assert done.status_code == 303
    db.session.expire_all()
    assert count(PostMetric) == 4
    linked = db.session.scalar(sa.select(PostMetric).where(PostMetric.post_key == "1001"))
    assert linked.item_id == world["linked"].id and linked.views == 12400
    scheduled = db.session.get(ContentItem, world["scheduled"].id)
    assert scheduled.status == Status.TAYANG  # it went out: the export says so
    assert scheduled.posted_links[Platform.INSTAGRAM] == "https://www.instagram.com/p/NIGHT/"
    unplanned = db.session.scalars(sa.select(ContentItem).where(ContentItem.unplanned)).all()
    assert sorted(i.title for i in unplanned) == ["Senam bersama di alun-alun", "Sosialisasi perda"]
    carousel = next(i for i in unplanned if i.title == "Sosialisasi perda")
    assert carousel.status == Status.TAYANG and carousel.format.value == "carousel"
    assert db.session.get(ContentItem, world["doubtful"].id).status == Status.TERJADWAL
    # the item page shows what the post did
    page = admin.get(f"/items/{world['linked'].id}").get_data(as_text=True)
    assert 'data-metric="views">12.400' in page
    assert "data-unplanned" in admin.get(f"/items/{carousel.id}").get_data(as_text=True)
    # the same confirmation again (a double tap) changes nothing
    assert admin.post(preview_path, data={"csrf_token": token}).status_code == 303
    assert count(PostMetric) == 4 and count(ContentItem) == 5


def test_a_confirmed_doubtful_match_and_a_second_import_update_without_duplicates(app, world):
    admin, _auth = signed_in(app, "admin@satpol.test")
    path = upload(admin, world["satpol"], world["satpolpp.sukamaju"], export()).headers["Location"]
    token = csrf_token_from(admin.get(path).get_data(as_text=True))
    admin.post(path, data={"csrf_token": token, "confirm": ["4"]})
    db.session.expire_all()
    assert db.session.get(ContentItem, world["doubtful"].id).status == Status.TAYANG
    assert count(ContentItem) == 4  # one unplanned post only
    # a week later the same posts have more views
    later = export().replace(b'"12,400"', b'"15,000"')
    path = upload(admin, world["satpol"], world["satpolpp.sukamaju"], later).headers["Location"]
    html = admin.get(path).get_data(as_text=True)
    assert 'data-list="unplanned"' not in html  # every post is known now
    admin.post(path, data={"csrf_token": csrf_token_from(html)})
    db.session.expire_all()
    assert count(PostMetric) == 4 and count(ContentItem) == 4
    assert (
        db.session.scalar(sa.select(PostMetric.views).where(PostMetric.post_key == "1001")) == 15000
    )


def test_tiktok_follower_history_feeds_the_followers(app, world, make):
    tiktok = SocialAccount(
        unit=world["satpol"], platform=Platform.TIKTOK, handle="satpolpp.tt",
        handle_key="satpolpp.tt", url="https://www.tiktok.com/@satpolpp.tt",
    )  # fmt: skip
    db.session.add(tiktok)
    db.session.add(FollowerCount(account=tiktok, measured_on=date(2026, 11, 20), followers=5,
                                 source="manual"))  # fmt: skip
    db.session.commit()
    admin, _auth = signed_in(app, "admin@satpol.test")
    data = tiktok_followers([("November 19", 1190), ("November 20", 1200), ("November 21", 1215)])
    path = upload(admin, world["satpol"], tiktok, data).headers["Location"]
    html = admin.get(path).get_data(as_text=True)
    assert 'data-figure="followers">2 baru, 1 diperbarui.' in html
    admin.post(path, data={"csrf_token": csrf_token_from(html)})
    db.session.expire_all()
    counts = db.session.execute(
        sa.select(FollowerCount.measured_on, FollowerCount.followers).order_by(
            FollowerCount.measured_on
        )
    ).all()
    assert counts == [(date(2026, 11, 19), 1190), (date(2026, 11, 20), 1200),
                      (date(2026, 11, 21), 1215)]  # fmt: skip


@pytest.mark.parametrize(
    ("account", "data", "message"),
    [
        (
            "satpolpp.sukamaju.fb",
            "instagram",
            "Ini ekspor Instagram, padahal @satpolpp.sukamaju.fb",
        ),
        ("satpolpp.sukamaju", "other unit", "milik akun unit lain"),
        ("satpolpp.sukamaju", "stranger", "milik @orang.lain, bukan @satpolpp.sukamaju"),
        ("satpolpp.sukamaju", "facebook", "Ini ekspor Facebook"),
        ("satpolpp.sukamaju", "picture", "bukan berkas CSV"),
        ("satpolpp.sukamaju", "empty", "kosong"),
        ("satpolpp.sukamaju", "unknown", "tidak dikenal"),
        ("satpolpp.sukamaju.fb", "instagram unknown", "Ini ekspor Instagram"),
    ],
)
def test_a_file_of_another_platform_account_or_shape_is_refused_and_nothing_kept(
    app, world, account, data, message
):
    files = {
        "instagram": export(),
        "other unit": instagram(ig_row("1", "x", "11/20/2026 10:00", "https://www.instagram.com/p/X/",
                                       username="bpbd.sukamaju")),
        "stranger": instagram(ig_row("1", "x", "11/20/2026 10:00", "https://www.instagram.com/p/X/",
                                     username="orang.lain")),
        "facebook": facebook(["1_2", "99", "Satpol", "x", "0", "11/02/2026 09:15",
                              "https://www.facebook.com/99/posts/2", "Photos", "1", "1", "1", "1",
                              "1"]),
        "picture": b"\x89PNG\r\n\x1a\n" + bytes(100),
        "empty": b"",
        "unknown": b"satu sel saja\nkucing\n",
        # its columns known once taught: still an Instagram file, refused for a Facebook page
        "instagram unknown": renamed_instagram(
            ["1", "11/20/2026 10:00", "https://www.instagram.com/p/X/", "x", "1", "1"]),
    }  # fmt: skip
    teach_renamed_columns()
    admin, _auth = signed_in(app, "admin@satpol.test")
    answer = upload(admin, world["satpol"], world[account], files[data])
    assert answer.status_code == 422
    assert message in answer.get_data(as_text=True)
    assert count(PerformanceImport) == 0 and count(PostMetric) == 0


def test_only_the_units_admins_and_coordinators_import_its_figures(app, world):
    path = upload(
        signed_in(app, "admin@satpol.test")[0], world["satpol"], world["satpolpp.sukamaju"],
        export(),
    ).headers["Location"]  # fmt: skip
    other, _auth = signed_in(app, "admin@bpbd.test")
    assert other.get(f"/units/{world['satpol'].id}/performance/import").status_code == 404
    assert other.get(path).status_code == 404
    token = csrf_token_from(
        other.get(f"/units/{world['bpbd'].id}/performance/import").get_data(as_text=True)
    )
    assert other.post(path, data={"csrf_token": token}).status_code == 404
    # the BPBD admin's own import page does not take Satpol PP's import either
    mixed = path.replace(f"/units/{world['satpol'].id}/", f"/units/{world['bpbd'].id}/")
    assert other.get(mixed).status_code == 404
    writer, _auth = signed_in(app, "penulis@satpol.test")
    assert writer.get(path).status_code == 404
    coordinator, _auth = signed_in(app, "koordinator@test")
    assert coordinator.get(path).status_code == 200
    assert count(PostMetric) == 0


def test_any_uploaded_bytes_are_previewed_or_refused_clearly_and_save_nothing(app, world):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    admin, _auth = signed_in(app, "admin@satpol.test")
    page = admin.get(f"/units/{world['satpol'].id}/performance/import").get_data(as_text=True)
    token = csrf_token_from(page)
    header = b"Publish time,Permalink,Views\n"

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.binary(max_size=600) | st.binary(max_size=300).map(lambda b: header + b))
    def check(data: bytes) -> None:
        answer = admin.post(
            f"/units/{world['satpol'].id}/performance/import",
            data={"csrf_token": token, "account": str(world["satpolpp.sukamaju"].id),
                  "file": (io.BytesIO(data), "ekspor.csv")},
            content_type="multipart/form-data",
        )  # fmt: skip
        assert answer.status_code in (303, 422), answer.status_code
        if answer.status_code == 422:
            assert 'class="field-errors"' in answer.get_data(as_text=True)
        assert count(PostMetric) == 0 and count(FollowerCount) == 0

    check()


def teach_renamed_columns() -> None:
    db.session.add_all(
        ColumnAlias(header=header, field=name, created_at=datetime(2026, 11, 1, tzinfo=UTC))
        for header, name in (("kapan diterbitkan", "published"), ("alamat tautan", "permalink"))
    )
    db.session.commit()


def test_a_file_with_unknown_columns_is_mapped_once_for_the_whole_region(app, world):
    row = ["1002", "11/20/2026 19:10", "https://www.instagram.com/p/NIGHT/",
           "Patroli malam di pasar induk bersama warga", "2,000", "75"]  # fmt: skip
    admin, _auth = signed_in(app, "admin@satpol.test")
    sent = upload(admin, world["satpol"], world["satpolpp.sukamaju"], renamed_instagram(row))
    preview_path = sent.headers["Location"]
    asked = admin.get(preview_path)
    assert asked.status_code == 303 and asked.headers["Location"].endswith("/columns")
    page = admin.get(asked.headers["Location"]).get_data(as_text=True)
    assert "Apa arti kolom berkas ini?" in page and "kapan diterbitkan" in page
    # the columns it knows are chosen already; the person says what the other two are
    assert re.search(r'name="column-4".*?<option value="views" selected', page, re.S)
    token = csrf_token_from(page)
    chosen = {"column-0": "post_id", "column-3": "caption", "column-4": "views",
              "column-5": "likes"}  # fmt: skip
    # choices that say nothing of when the post went out cannot be read: nothing kept
    refused = admin.post(asked.headers["Location"], data={"csrf_token": token, **chosen})
    assert refused.status_code == 422 and "waktu publikasi" in refused.get_data(as_text=True)
    twice = admin.post(
        asked.headers["Location"],
        data={"csrf_token": token, **chosen, "column-1": "views", "column-2": "permalink"},
    )
    assert twice.status_code == 422 and "dipilih untuk dua kolom" in twice.get_data(as_text=True)
    assert count(ColumnAlias) == 0
    taught = admin.post(
        asked.headers["Location"],
        data={"csrf_token": token, **chosen, "column-1": "published", "column-2": "permalink"},
    )
    assert taught.status_code == 303 and taught.headers["Location"] == preview_path
    html = admin.get(preview_path).get_data(as_text=True)
    assert 'data-list="matched"' in html and "Patroli malam pasar" in html
    admin.post(preview_path, data={"csrf_token": csrf_token_from(html)})
    metric = db.session.scalar(sa.select(PostMetric))
    assert (metric.item_id, metric.views, metric.likes) == (world["scheduled"].id, 2000, 75)
    # the region remembers: the next file with these columns, by another unit, is read at once
    other, _auth = signed_in(app, "admin@bpbd.test")
    row[2] = "https://www.instagram.com/p/BPBD/"
    again = upload(other, world["bpbd"], world["bpbd.sukamaju"], renamed_instagram(row))
    assert other.get(again.headers["Location"]).status_code == 200
    # and another unit's admin cannot open this unit's mapping
    path = asked.headers["Location"]
    assert other.get(path).status_code == 404
    assert other.get(path.replace(f"/units/{world['satpol'].id}/",
                                  f"/units/{world['bpbd'].id}/")).status_code == 404  # fmt: skip


def test_tiktok_overview_keeps_the_accounts_days_and_shows_them_by_month(app, world):
    tiktok = SocialAccount(
        unit=world["satpol"], platform=Platform.TIKTOK, handle="satpolpp.tt",
        handle_key="satpolpp.tt", url="https://www.tiktok.com/@satpolpp.tt",
    )  # fmt: skip
    db.session.add(tiktok)
    db.session.commit()
    admin, _auth = signed_in(app, "admin@satpol.test")
    days = [("October 31", 500, 10, 30, 2, 1), ("November 1", 1200, 40, 90, 7, 3),
            ("November 2", 800, 25, 60, 4, 1)]  # fmt: skip
    path = upload(admin, world["satpol"], tiktok, tiktok_overview(days)).headers["Location"]
    html = admin.get(path).get_data(as_text=True)
    assert "3 hari angka akun" in html and 'data-metric="views">Tayangan 2.500<' in html
    admin.post(path, data={"csrf_token": csrf_token_from(html)})
    # the same days again (a longer download) update them, never twice
    days[2] = ("November 2", 900, 25, 60, 4, 1)
    again = upload(admin, world["satpol"], tiktok, tiktok_overview(days)).headers["Location"]
    admin.post(again, data={"csrf_token": csrf_token_from(admin.get(again).get_data(as_text=True))})
    assert "angka akun untuk 3 hari" in admin.get(again).get_data(as_text=True)
    assert count(AccountDay) == 3
    page = admin.get(f"/units/{world['satpol'].id}/accounts/{tiktok.id}/followers")
    months = re.findall(
        r'<tr data-daily-month="([\d-]+)">(.*?)</tr>', page.get_data(as_text=True), re.S
    )
    assert [(m, re.findall(r"<td[^>]*>([^<]*)</td>", cells)[:2]) for m, cells in months] == [
        ("2026-11", ["2.100", "65"]),
        ("2026-10", ["500", "10"]),
    ]
