"""Files shaped like the platforms' own downloads (headers and quirks as public parsers' fixtures
show them), built here so every test states what it feeds the importer."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

IG_HEADER = [
    "Post ID", "Account ID", "Account username", "Account name", "Description", "Duration (sec)",
    "Publish time", "Permalink", "Post type", "Data comment", "Date", "Views", "Reach", "Likes",
    "Shares", "Follows", "Comments", "Saves",
]  # fmt: skip
# The same export from an account whose Meta Business Suite speaks Indonesian.
IG_HEADER_ID = [
    "ID postingan", "ID akun", "Nama pengguna akun", "Nama akun", "Deskripsi", "Durasi (dtk)",
    "Waktu publikasi", "Tautan permanen", "Jenis postingan", "Komentar data", "Tanggal",
    "Tayangan", "Jangkauan", "Suka", "Dibagikan", "Mengikuti", "Komentar", "Disimpan",
]  # fmt: skip


def ig_row(post_id: str, caption: str, when: str, link: str, *, kind="IG image", views="1,200",
           reach="900", likes="45", shares="2", follows="1", comments="3", saves="4",
           username="satpolpp.sukamaju") -> list[str]:  # fmt: skip
    return [
        post_id, "17841400000000001", username, "Satpol PP Sukamaju", caption, "0", when, link,
        kind, "", "Lifetime", views, reach, likes, shares, follows, comments, saves,
    ]  # fmt: skip


def csv_bytes(rows: list[list], *, bom: bool = False, encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    text = out.getvalue()
    if encoding == "utf-16":
        return ("sep=,\r\n" + text).encode("utf-16")  # BOM included
    return (("\ufeff" if bom else "") + text).encode(encoding)


def instagram(*rows: list[str], header=IG_HEADER, **options) -> bytes:
    return csv_bytes([header, *rows], **options)


FB_HEADER = [
    "Post ID", "Page ID", "Page name", "Title", "Duration (sec)", "Publish time", "Permalink",
    "Post type", "Views", "Reach", "Reactions", "Comments", "Shares",
]  # fmt: skip


def facebook(*rows: list[str]) -> bytes:
    return csv_bytes([FB_HEADER, *rows], bom=True)


def tiktok_followers(rows: list[tuple[str, int]]) -> bytes:
    """TikTok Studio's FollowerHistory: dates without a year, UTF-16 with `sep=,` here."""
    table = [
        ["Follower history"],
        ["Date", "Followers", "Difference in followers from previous day"],
    ]
    previous = None
    for day, followers in rows:
        table.append([day, str(followers), "" if previous is None else str(followers - previous)])
        previous = followers
    return csv_bytes(table, encoding="utf-16")


def tiktok_overview(rows: list[tuple[str, int, int, int, int, int]]) -> bytes:
    """TikTok Studio's Overview: one row a day, dates without a year."""
    header = ["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"]
    return csv_bytes([header, *[[str(cell) for cell in row] for row in rows]])


def renamed_instagram(*rows: list[str]) -> bytes:
    """An Instagram export whose publish time and link columns carry names we do not know (a
    platform renamed them, or another language), the rest as usual."""
    header = ["Post ID", "Kapan diterbitkan", "Alamat tautan", "Description", "Views", "Likes"]
    return csv_bytes([header, *rows])


def tiktok_videos(*rows: list[str]) -> bytes:
    header = ["Video title", "Video link", "Post time", "Total likes", "Total comments",
              "Total shares", "Total views"]  # fmt: skip
    return csv_bytes([header, *rows])


def youtube(*rows: list[str]) -> bytes:
    header = ["Content", "Video title", "Video publish time", "Duration", "Views",
              "Watch time (hours)", "Subscribers"]  # fmt: skip
    return csv_bytes([header, ["Total", "", "", "", "5000", "10", "3"], *rows])


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
