"""Reading the platforms' exports: headers in English and Indonesian, BOMs, UTF-16 with `sep=,`,
thousands separators, multi-line captions with emoji, reordered and missing metric columns,
TikTok days without a year across a year's end, XLSX; bad files refused with a reason, bad rows
listed with their row and column; and any bytes at all give an answer, never a crash."""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calendarapp.content.platforms import Platform
from calendarapp.performance.platform_files import ColumnsUnknown, FileRefused, count, read
from tests.platform_exports import (
    IG_HEADER,
    IG_HEADER_ID,
    facebook,
    ig_row,
    instagram,
    renamed_instagram,
    tiktok_followers,
    tiktok_overview,
    tiktok_videos,
    xlsx,
    youtube,
)

WIB = ZoneInfo("Asia/Jakarta")
TODAY = date(2026, 11, 23)
CAPTION = 'Patroli malam di pasar 🚓\n"Aman terkendali"\n#SatpolPP'


def test_an_instagram_export_in_english_with_a_multiline_caption_and_grouped_numbers():
    data = instagram(
        ig_row("179001", CAPTION, "11/20/2026 19:30", "https://www.instagram.com/p/AAA/",
               views="12,400", kind="IG reel"),
    )  # fmt: skip
    found = read(data, "Asia/Jakarta", TODAY)
    assert found.kind == "posts" and found.platform == Platform.INSTAGRAM and not found.problems
    (post,) = found.posts
    assert post.key == "179001" and post.caption == CAPTION and post.post_type == "IG reel"
    assert post.published == datetime(2026, 11, 20, 19, 30, tzinfo=WIB)
    assert post.metrics == {"views": 12400, "reach": 900, "likes": 45, "comments": 3,
                            "shares": 2, "saves": 4, "follows": 1}  # fmt: skip
    assert found.account_refs == {"satpolpp.sukamaju", "17841400000000001"}


def test_indonesian_headers_reordered_and_missing_columns_read_the_same():
    header = list(reversed(IG_HEADER_ID))
    row = list(reversed(ig_row("179002", "Apel pagi", "11/21/2026 07:00",
                               "https://www.instagram.com/p/BBB/")))  # fmt: skip
    drop = [header.index("Disimpan"), header.index("Jangkauan")]
    header = [h for i, h in enumerate(header) if i not in drop]
    row = [c for i, c in enumerate(row) if i not in drop]
    found = read(instagram(row, header=header), "Asia/Jakarta", TODAY)
    (post,) = found.posts
    assert post.metrics["views"] == 1200 and "saves" not in post.metrics
    assert "reach" not in post.metrics and post.caption == "Apel pagi"


def test_a_facebook_export_with_a_bom_and_dotted_thousands():
    data = facebook(["1234_5678", "99887766", "Satpol PP", "Apel pagi", "0", "11/02/2026 09:15",
                     "https://www.facebook.com/99887766/posts/5678", "Photos", "1.200", "900",
                     "45", "3", "2"])  # fmt: skip
    found = read(data, "Asia/Jakarta", TODAY)
    assert found.platform == Platform.FACEBOOK and found.account_refs == {"99887766"}
    assert found.posts[0].metrics["views"] == 1200 and found.posts[0].metrics["likes"] == 45


def test_tiktok_follower_history_in_utf16_across_the_years_end():
    data = tiktok_followers([("December 30", 1200), ("December 31", 1210), ("January 1", 1215)])
    found = read(data, "Asia/Jakarta", date(2027, 1, 20))
    assert found.kind == "followers"
    assert [(f.day, f.followers) for f in found.followers] == [
        (date(2026, 12, 30), 1200), (date(2026, 12, 31), 1210), (date(2027, 1, 1), 1215),
    ]  # fmt: skip
    assert [f.row for f in found.followers] == [4, 5, 6]  # the file's own lines
    # a day that does not exist in the year it would fall in cannot be placed
    leap = read(tiktok_followers([("February 29", 10)]), "Asia/Jakarta", date(2027, 3, 5))
    assert leap.followers == [] and leap.problems[0].row == 4


def test_tiktok_overview_gives_the_accounts_days_across_the_years_end():
    data = tiktok_overview([("December 31", 1200, 40, 90, 7, 3), ("January 1", 800, 25, 60, 4, 1)])
    found = read(data, "Asia/Jakarta", date(2027, 1, 20))
    assert found.kind == "daily" and found.posts == [] and found.followers == []
    assert [(d.day, d.metrics["views"], d.metrics["profile_views"]) for d in found.daily] == [
        (date(2026, 12, 31), 1200, 40), (date(2027, 1, 1), 800, 25),
    ]  # fmt: skip
    assert found.daily_totals == {
        "views": 2000, "profile_views": 65, "likes": 150, "comments": 11, "shares": 4,
    }  # fmt: skip


def test_unknown_headers_are_asked_for_once_then_read_as_taught():
    row = ["1790", "11/20/2026 10:00", "https://www.instagram.com/p/AAA/", "Patroli", "1,200", "40"]
    with pytest.raises(ColumnsUnknown) as unknown:
        read(renamed_instagram(row), "Asia/Jakarta", TODAY)
    assert unknown.value.headers == [
        "post id", "kapan diterbitkan", "alamat tautan", "description", "views", "likes",
    ]  # fmt: skip
    assert unknown.value.sample[1] == "11/20/2026 10:00"
    taught = {"kapan diterbitkan": "published", "alamat tautan": "permalink"}
    (post,) = read(renamed_instagram(row), "Asia/Jakarta", TODAY, taught).posts
    assert post.published == datetime(2026, 11, 20, 10, 0, tzinfo=WIB)
    assert post.permalink == "https://www.instagram.com/p/AAA/"
    assert post.metrics == {"views": 1200, "likes": 40}


def test_tiktok_videos_youtube_and_xlsx():
    videos = tiktok_videos(["Razia knalpot", "https://www.tiktok.com/@satpolpp.sukamaju/video/7300",
                            "2026-11-18 16:00:00", "80", "5", "1", "2,300"])  # fmt: skip
    found = read(videos, "Asia/Jakarta", TODAY)
    assert found.platform == Platform.TIKTOK and found.posts[0].metrics["views"] == 2300
    video = ["dQw4w9WgXcQ", "Profil Satpol PP", "Nov 3, 2026", "120", "5000", "10", "3"]
    tube = read(youtube(video), "Asia/Jakarta", TODAY)
    (post,) = tube.posts  # the "Total" row is skipped
    assert post.permalink == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert tube.platform == Platform.YOUTUBE and post.metrics == {"views": 5000}
    sheet = xlsx([IG_HEADER, ig_row("179003", "Dari Excel", "11/19/2026 10:00",
                                    "https://www.instagram.com/p/CCC/")])  # fmt: skip
    assert read(sheet, "Asia/Jakarta", TODAY).posts[0].caption == "Dari Excel"


def test_a_bad_row_is_listed_with_its_row_and_column_and_the_rest_is_read():
    data = instagram(
        ig_row("1", "ok", "11/20/2026 19:30", "https://www.instagram.com/p/A/"),
        ig_row("2", "negatif", "11/20/2026 19:30", "https://www.instagram.com/p/B/", likes="-4"),
        ig_row("3", "pecahan", "11/20/2026 19:30", "https://www.instagram.com/p/C/", views="1.5"),
        ig_row("4", "tahun", "11/20/1999 19:30", "https://www.instagram.com/p/D/"),
        ig_row("5", "bulan", "13/45/2026 19:30", "https://www.instagram.com/p/E/"),
    )
    found = read(data, "Asia/Jakarta", TODAY)
    assert [p.key for p in found.posts] == ["1"]
    assert [(p.row, p.column) for p in found.problems] == [
        (3, "Likes"), (4, "Views"), (5, "Publish time"), (6, "Publish time"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"", "kosong"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "bukan berkas CSV"),
        (b"PK\x03\x04 broken zip", "bukan berkas CSV"),
        (b"name,colour\nkucing,hitam\n", "belum dikenal"),
        (b"Views,Likes\n10,2\n", "belum dikenal"),  # figures, but of what?
        (b"just one cell\n", "tidak dikenal"),
        (b"Publish time,Permalink\n" + b"11/20/2026 10:00,https://x.test/p\n" * 20_001, "terlalu"),
        (b"x" * (5 * 1024 * 1024 + 1), "terlalu besar"),
        (
            b"Publish time,Permalink\n11/20/2026 10:00,https://www.instagram.com/p/A/\n"
            b"11/20/2026 11:00,https://www.facebook.com/p/B\n",
            "beberapa platform",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole_with_a_reason(app, data, why):
    with pytest.raises(FileRefused) as refused:
        read(data, "Asia/Jakarta", TODAY)
    assert why in str(refused.value.message).lower() or why in str(refused.value.message)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("12,400", 12400), ("12.400", 12400), ('"1,234,567"', 1234567), ("0", 0), ("", None),
     ("-", None), (7, 7), (7.0, 7)],
)  # fmt: skip
def test_counts_read_thousands_separators(cell, expected):
    assert count(cell) == expected


@pytest.mark.parametrize("cell", ["-3", "1.5", "12,40", "1e3", "banyak", "١٢", -1, 2.5, True])
def test_counts_refuse_what_is_not_a_whole_number(cell):
    with pytest.raises(ValueError):
        count(cell)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000) | st.text(max_size=500).map(lambda t: t.encode("utf-8")))
def test_any_bytes_give_rows_or_a_refusal_never_a_crash(data):
    with contextlib.suppress(FileRefused):
        read(data, "Asia/Jakarta", TODAY)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.text(max_size=30), max_size=20), max_size=8))
def test_any_table_under_a_known_header_gives_rows_or_problems(rows):
    data = instagram(*rows)
    try:
        found = read(data, "Asia/Jakarta", TODAY)
    except FileRefused:
        return
    assert len(found.posts) + len(found.problems) <= len(rows)


def test_a_link_off_the_platforms_domains_is_a_problem_not_a_proof_link():
    data = instagram(
        ig_row("1", "ok", "11/20/2026 19:30", "https://www.instagram.com/p/A/"),
        ig_row("2", "palsu", "11/20/2026 19:30", "https://instagram.evil.example/p/B/"),
        ig_row("3", "skrip", "11/20/2026 19:30", "javascript:alert(1)"),
    )
    found = read(data, "Asia/Jakarta", TODAY)
    assert [p.key for p in found.posts] == ["1"]
    assert [(p.row, p.column) for p in found.problems] == [(3, "Permalink"), (4, "Permalink")]
