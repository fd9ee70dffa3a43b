"""Reading what the platforms let an account holder download: Meta Business Suite's content
exports (Instagram, Facebook), TikTok Studio's per-video export, follower history and daily
overview, YouTube Studio's table export — as CSV (UTF-8 or UTF-16, with or without a BOM, a
`sep=,` line or a title line before the header) or XLSX.

Columns are found by their header, in English or Indonesian (ALIASES), or as the region taught
them once for a file whose headers were unknown (`learned`), never by position.
Nothing here touches the database: a file becomes typed rows and a list of row problems.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from ..content.platforms import DOMAINS, Platform
from ..errors import Refused
from ..i18n import lazy_phrase as _l
from ..timeutil import FIRST_YEAR, LAST_YEAR

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
METRICS = ("views", "reach", "likes", "comments", "shares", "saves", "follows")
CAPTION_MAX = 5000

# Each field's header in the exports, lower case, in English and Indonesian.
ALIASES = {
    "post_id": ("post id", "id postingan", "id unggahan", "video id", "id video", "content",
                "konten"),
    "account_id": ("account id", "page id", "id akun", "id halaman"),
    "username": ("account username", "nama pengguna akun", "username", "nama pengguna"),
    "account_name": ("account name", "page name", "nama akun", "nama halaman"),
    "caption": ("description", "title", "video title", "deskripsi", "judul", "judul video",
                "caption", "keterangan"),
    "published": ("publish time", "post time", "video publish time", "waktu publikasi",
                  "waktu posting", "waktu unggah", "waktu publikasi video", "dipublikasikan"),
    "permalink": ("permalink", "video link", "tautan permanen", "tautan video", "tautan"),
    "post_type": ("post type", "jenis postingan", "jenis unggahan", "jenis konten"),
    "views": ("views", "total views", "video views", "tayangan", "total tayangan",
              "tayangan video", "dilihat"),
    "profile_views": ("profile views", "tayangan profil", "kunjungan profil"),
    "reach": ("reach", "jangkauan"),
    "likes": ("likes", "total likes", "reactions", "suka", "total suka", "tanda suka", "reaksi"),
    "comments": ("comments", "total comments", "komentar", "total komentar"),
    "shares": ("shares", "total shares", "bagikan", "dibagikan", "total dibagikan"),
    "saves": ("saves", "simpan", "disimpan"),
    "follows": ("follows", "ikuti", "mengikuti"),
    "day": ("date", "tanggal"),
    "followers": ("followers", "pengikut"),
}  # fmt: skip
HEADER_OF = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
_MONTH_NAMES = (
    "january february march april may june july august september october november december",
    "januari februari maret april mei juni juli agustus september oktober november desember",
)
MONTHS = {name: n for names in _MONTH_NAMES for n, name in enumerate(names.split(), start=1)}
DAILY_METRICS = ("views", "profile_views", "likes", "comments", "shares")
# What a person may say a column of an unknown file is (the mapping step), with its name.
FIELD_LABELS = {
    "published": _l("Publish time"), "permalink": _l("Link to the post"),
    "post_id": _l("Post id"), "caption": _l("Caption"), "post_type": _l("Post type"),
    "username": _l("Account username"), "day": _l("Date"), "followers": _l("Followers"),
    "views": _l("Views"), "reach": _l("Reach"), "likes": _l("Likes"), "comments": _l("Comments"),
    "shares": _l("Shares"), "saves": _l("Saves"), "follows": _l("Follows"),
    "profile_views": _l("Profile views"),
}  # fmt: skip
HEADER_MAX = 100
MAX_COLUMNS = 60


class FileRefused(Refused):
    """The file as a whole cannot be read; nothing is saved."""

    def __init__(self, message) -> None:
        super().__init__(message, field="file")


class ColumnsUnknown(FileRefused):
    """A table whose header we cannot read: the person may say what its columns are."""

    def __init__(self, message, headers: list[str], sample: list[str]) -> None:
        super().__init__(message)
        self.headers = headers  # header_key of each column; "" for an empty one
        self.sample = sample  # the first row under them, as text


@dataclass(frozen=True)
class Problem:
    row: int  # the row's line in the spreadsheet, as the person sees it
    column: str
    problem: str


@dataclass(frozen=True)
class PostRow:
    row: int
    key: str  # the platform's post id, else the permalink without its query
    permalink: str
    published: datetime  # aware
    caption: str
    post_type: str
    metrics: dict[str, int | None]


@dataclass(frozen=True)
class FollowerRow:
    row: int
    day: date
    followers: int


@dataclass(frozen=True)
class DayRow:
    """An account's figures for one day (TikTok Studio's overview)."""

    row: int
    day: date
    metrics: dict[str, int | None]


@dataclass
class PlatformFile:
    kind: str  # "posts", "followers" or "daily"
    columns: list[str]  # the fields found, for the preview
    platform: Platform | None  # what its links say, when they say it
    account_refs: set[str] = field(default_factory=set)  # usernames and ids the file names
    posts: list[PostRow] = field(default_factory=list)
    followers: list[FollowerRow] = field(default_factory=list)
    daily: list[DayRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.posts) + len(self.followers) + len(self.daily)

    @property
    def daily_totals(self) -> dict[str, int]:
        """The daily figures summed over the file's days, for each figure it gives."""
        totals: dict[str, int] = {}
        for row in self.daily:
            for name, value in row.metrics.items():
                if value is not None:
                    totals[name] = totals.get(name, 0) + value
        return totals

    @property
    def days(self) -> tuple[date, date] | None:
        found = [p.published.date() for p in self.posts] + [f.day for f in self.followers]
        found += [d.day for d in self.daily]
        return (min(found), max(found)) if found else None


# ---- the table ---------------------------------------------------------------------------------


def _text(data: bytes) -> str:
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"),
                          (b"\xfe\xff", "utf-16")):  # fmt: skip
        if data.startswith(bom):
            return data.decode(encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="strict")


def _csv_rows(data: bytes) -> list[list]:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused(_l("This is not a CSV or XLSX file."))
    try:
        text = _text(data)
    except (UnicodeDecodeError, UnicodeError) as error:
        raise FileRefused(_l("This is not a CSV or XLSX file.")) from error
    first = text.split("\n", 1)[0].strip()
    delimiter = ","
    if first.lower().startswith("sep="):  # kept as a row: row numbers stay the file's lines
        delimiter = first[4:5] or ","
    elif first.count(";") > first.count(",") and first.count(";") >= 2:
        delimiter = ";"
    try:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))[: MAX_ROWS + 12]
    except csv.Error as error:
        raise FileRefused(_l("This is not a CSV or XLSX file.")) from error


def _xlsx_rows(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > 20 * MAX_BYTES:
                raise FileRefused(_l("The spreadsheet is too large once unpacked."))
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 12)]
        book.close()
        return rows
    except FileRefused:
        raise
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise FileRefused(_l("This is not a CSV or XLSX file.")) from error


def table(data: bytes) -> list[list]:
    """The rows of the first sheet (XLSX) or of the CSV, cells as text or as read."""
    if not data.strip():
        raise FileRefused(_l("The file is empty."))
    if len(data) > MAX_BYTES:
        raise FileRefused(_l("The file is too large (at most %(mb)d MB).", mb=MAX_BYTES // 2**20))
    return _xlsx_rows(data) if data.startswith(b"PK\x03\x04") else _csv_rows(data)


def header_key(cell) -> str:
    """A header as it is looked up: trimmed, lower case, at most HEADER_MAX characters."""
    return " ".join(str(cell or "").split()).lower()[:HEADER_MAX]


def kind_of(columns) -> str | None:
    """What a file with these fields holds: posts, followers or daily account figures."""
    if "published" in columns and ("permalink" in columns or "post_id" in columns):
        return "posts"
    if "day" in columns and "followers" in columns:
        return "followers"
    if "day" in columns and any(m in columns for m in DAILY_METRICS):
        return "daily"
    return None


def _header(rows: list[list], learned: dict[str, str]) -> tuple[int, dict[str, int], str]:
    """The first row (of the first ten) naming the columns of a kind of file; else the person
    is asked what the columns of its first row of several cells are (ColumnsUnknown)."""
    aliases = HEADER_OF | learned
    for number, row in enumerate(rows[:10]):
        found: dict[str, int] = {}
        for column, cell in enumerate(row):
            name = aliases.get(header_key(cell))
            if name and name not in found:
                found[name] = column
        if (kind := kind_of(found)) is not None:
            return number, found, kind
    for number, row in enumerate(rows[:10]):
        cells = [header_key(cell) for cell in row][:MAX_COLUMNS]
        if sum(1 for cell in cells if cell) >= 2:
            under = rows[number + 1] if number + 1 < len(rows) else []
            raise ColumnsUnknown(
                _l("The columns of this file are not known yet: say once what they are."),
                cells,
                [str(under[i] if i < len(under) and under[i] is not None else "")[:80]
                 for i in range(len(cells))],
            )  # fmt: skip
    raise FileRefused(
        _l(
            "The columns of this file are not known. Expected a platform's export with columns "
            "such as Publish time, Permalink, Views, Reach, Likes (or Date and Followers)."
        )
    )


# ---- cells ---------------------------------------------------------------------------------------

_GROUPED = re.compile(r"^\d{1,3}([.,]\d{3})+$")


def count(value) -> int | None:
    """A metric: a whole number, maybe with thousands separators ("12,400", "12.400"); None when
    the cell is empty; ValueError otherwise (negative, a fraction, text)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        if value < 0:
            raise ValueError(value)
        return value
    if isinstance(value, float):
        if value < 0 or value != int(value):
            raise ValueError(value)
        return int(value)
    text = str(value).strip().strip('"').replace("\u00a0", "").replace(" ", "")
    if text in ("", "-", "–"):
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    if _GROUPED.match(text):
        return int(re.sub(r"[.,]", "", text))
    raise ValueError(value)


_MOMENTS = ("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%b %d, %Y", "%Y-%m-%d", "%m/%d/%Y")  # fmt: skip


def moment(value, zone: ZoneInfo) -> datetime:
    """A publication time as the exports write it; a time without a zone is the unit's."""
    if isinstance(value, datetime):
        found = value
    else:
        text = str(value or "").strip()
        for pattern in _MOMENTS:
            try:
                found = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
        else:
            raise ValueError(value)
    if not FIRST_YEAR <= found.year <= LAST_YEAR:
        raise ValueError(value)
    return found.replace(tzinfo=zone) if found.tzinfo is None else found.astimezone(zone)


def day_of(value, today: date) -> date:
    """A day: a full date, or TikTok's "August 31" without a year (the latest such day up to
    today: TikTok Studio keeps about sixty days)."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        found = value
    else:
        text = str(value or "").strip()
        parts = text.replace(",", " ").split()
        if len(parts) == 2 and parts[0].lower() in MONTHS and parts[1].isdigit():
            month, number = MONTHS[parts[0].lower()], int(parts[1])
            found = None
            for year in (today.year, today.year - 1):
                try:
                    candidate = date(year, month, number)
                except ValueError:
                    continue
                if candidate <= today:
                    found = candidate
                    break
            if found is None:
                raise ValueError(value)
        else:
            found = moment(value, ZoneInfo("UTC")).date()
    if not FIRST_YEAR <= found.year <= LAST_YEAR:
        raise ValueError(value)
    return found


def post_key(post_id: str, permalink: str) -> str:
    return post_id or permalink.split("?")[0].rstrip("/").lower()


def platform_of(url: str) -> Platform | None:

    host = (urlsplit(url).hostname or "").lower()
    for platform, domains in DOMAINS.items():
        if any(host == d or host.endswith("." + d) for d in domains):
            return platform
    return None


# ---- the file ------------------------------------------------------------------------------------

_YOUTUBE_WATCH = "https://www.youtube.com/watch?v="


def read(
    data: bytes, zone_name: str, today: date, learned: dict[str, str] | None = None
) -> PlatformFile:
    """The file's posts (with their figures), its daily follower counts or its daily account
    figures; a row that cannot be read is a Problem (row, column, what is wrong), never a guess.
    `learned`: headers the region taught (header_key → field)."""
    rows = table(data)
    start, columns, kind = _header(rows, learned or {})
    if len(rows) - start - 1 > MAX_ROWS:
        raise FileRefused(_l("The file has too many rows (at most %(limit)d).", limit=MAX_ROWS))
    found = PlatformFile(kind=kind, columns=sorted(columns), platform=None)
    zone = ZoneInfo(zone_name)
    header = rows[start]
    for offset, row in enumerate(rows[start + 1 :], start=start + 2):
        cells = {name: row[i] if i < len(row) else None for name, i in columns.items()}
        if not any(str(v or "").strip() for v in row):
            continue  # blank line
        if str(row[0] or "").strip().lower() == "total":
            continue  # YouTube Studio's first row sums the rest

        def name(field_name: str) -> str:
            return str(header[columns[field_name]])

        if kind == "posts":
            _post(found, cells, offset, zone, name)
        elif kind == "followers":
            _followers(found, cells, offset, today, name)
        else:
            _daily(found, cells, offset, today, name)
    if not found.rows:
        if found.problems:
            return found
        raise FileRefused(_l("The file has no rows to import."))
    return found


def _post(found: PlatformFile, cells: dict, row: int, zone: ZoneInfo, name) -> None:
    post_id = str(cells.get("post_id") or "").strip()
    permalink = str(cells.get("permalink") or "").strip()
    if not permalink and post_id and not cells.get("account_id") and "post_id" in cells:
        permalink = _YOUTUBE_WATCH + post_id if re.fullmatch(r"[\w-]{11}", post_id) else ""
    if permalink and (
        not permalink.lower().startswith(("https://", "http://")) or platform_of(permalink) is None
    ):  # a proof link is on the platform's own domain, as when marking Tayang
        found.problems.append(
            Problem(row, name("permalink"), str(_l("not a link on a social platform")))
        )
        return
    if not (post_id or permalink):
        column = name("permalink") if "permalink" in cells else name("post_id")
        found.problems.append(Problem(row, column, str(_l("empty"))))
        return
    try:
        published = moment(cells.get("published"), zone)
    except ValueError:
        found.problems.append(Problem(row, name("published"), str(_l("not a date and time"))))
        return
    metrics = _counts(found, cells, row, METRICS, name)
    if metrics is None:
        return
    for ref in ("username", "account_id"):
        value = str(cells.get(ref) or "").strip().lstrip("@").lower()
        if value:
            found.account_refs.add(value)
    platform = platform_of(permalink) if permalink else None
    if platform is not None:
        if found.platform not in (None, platform):
            raise FileRefused(_l("The file mixes posts of several platforms."))
        found.platform = platform
    found.posts.append(
        PostRow(
            row=row,
            key=post_key(post_id, permalink),
            permalink=permalink[:500],
            published=published,
            caption=str(cells.get("caption") or "").strip()[:CAPTION_MAX],
            post_type=str(cells.get("post_type") or "").strip()[:40],
            metrics=metrics,
        )
    )


def _followers(found: PlatformFile, cells: dict, row: int, today: date, name) -> None:
    try:
        day = day_of(cells.get("day"), today)
    except ValueError:
        found.problems.append(Problem(row, name("day"), str(_l("not a date"))))
        return
    try:
        followers = count(cells.get("followers"))
    except ValueError:
        followers = -1
    if followers is None or followers < 0:
        found.problems.append(
            Problem(row, name("followers"), str(_l("not a whole number of zero or more")))
        )
        return
    found.followers.append(FollowerRow(row, day, followers))


def _daily(found: PlatformFile, cells: dict, row: int, today: date, name) -> None:
    try:
        day = day_of(cells.get("day"), today)
    except ValueError:
        found.problems.append(Problem(row, name("day"), str(_l("not a date"))))
        return
    metrics = _counts(found, cells, row, DAILY_METRICS, name)
    if metrics is not None:
        found.daily.append(DayRow(row, day, metrics))


def _counts(found: PlatformFile, cells: dict, row: int, names, name) -> dict | None:
    """The row's figures among `names` (those the file has); None, with the problem kept, when
    one is not a whole number of zero or more."""
    metrics: dict[str, int | None] = {}
    for metric in names:
        if metric not in cells:
            continue
        try:
            metrics[metric] = count(cells[metric])
        except ValueError:
            found.problems.append(
                Problem(row, name(metric), str(_l("not a whole number of zero or more")))
            )
            return None
    return metrics
