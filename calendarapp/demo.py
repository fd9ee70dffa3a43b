"""A fictional kabupaten modelled on the news reports: units, people, themes, three months of items.

All people are invented. Dates are placed around the clock's today, so the calendar is never empty.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from . import clock
from .accounts import services as accounts
from .accounts.models import Role, Unit, UnitKind, User
from .content import services as content
from .content.models import (
    AssigneeRole,
    Assignment,
    ChecklistTick,
    Comment,
    ContentFormat,
    ContentItem,
    Platform,
    Theme,
)
from .content.workflow import Status
from .coverage import services as coverage_services
from .coverage.models import (
    AgendaEvent,
    CoverageChange,
    CoverageRequest,
    Deliverable,
    Leader,
    Visibility,
)
from .coverage.workflow import CoverageStatus
from .extensions import db
from .mentoring import services as mentoring
from .mentoring.models import Material, TrainingKind
from .monitoring.digest import send_weekly_digest
from .planning import slots
from .planning.models import Frequency
from .timeutil import add_months, today

MARKER_UNIT = "Dinas Komunikasi dan Informatika"

# (key, name, short name, kind, parent key, colour, weekly target, requires approval, coverage)
UNITS = [
    ("kominfo", MARKER_UNIT, "Diskominfo", UnitKind.DINAS, None, "#1d4ed8", 5, True, False),
    (
        "prokopim",
        "Bagian Protokol dan Komunikasi Pimpinan",
        "Prokopim",
        UnitKind.BAGIAN,
        None,
        "#b91c1c",
        7,
        True,
        True,
    ),
    (
        "bpbd",
        "Badan Penanggulangan Bencana Daerah",
        "BPBD",
        UnitKind.BADAN,
        None,
        "#ea580c",
        3,
        True,
        False,
    ),
    (
        "dputaru",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        "DPU Taru",
        UnitKind.DINAS,
        None,
        "#a16207",
        2,
        True,
        False,
    ),
    (
        "dukcapil",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Dindukcapil",
        UnitKind.DINAS,
        None,
        "#0f766e",
        3,
        True,
        False,
    ),
    (
        "satpolpp",
        "Satuan Polisi Pamong Praja",
        "Satpol PP",
        UnitKind.LAINNYA,
        None,
        "#4d7c0f",
        4,
        True,
        False,
    ),
    (
        "dpmptsp",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "DPMPTSP",
        UnitKind.DINAS,
        None,
        "#7c3aed",
        2,
        False,
        False,
    ),
    ("dinkes", "Dinas Kesehatan", "Dinkes", UnitKind.DINAS, None, "#059669", 4, True, False),
    (
        "kec-kota",
        "Kecamatan Sukamaju Kota",
        "Kec. Sukamaju Kota",
        UnitKind.KECAMATAN,
        None,
        "#0369a1",
        2,
        False,
        False,
    ),
    (
        "kel-sukasari",
        "Kelurahan Sukasari",
        "Kel. Sukasari",
        UnitKind.KELURAHAN,
        "kec-kota",
        "#0284c7",
        1,
        False,
        False,
    ),
    (
        "kec-cibening",
        "Kecamatan Cibening",
        "Kec. Cibening",
        UnitKind.KECAMATAN,
        None,
        "#4338ca",
        2,
        False,
        False,
    ),
    (
        "kel-mekarjaya",
        "Kelurahan Mekarjaya",
        "Kel. Mekarjaya",
        UnitKind.KELURAHAN,
        "kec-cibening",
        "#6366f1",
        1,
        False,
        False,
    ),
    (
        "pkm-sukamaju",
        "Puskesmas Sukamaju",
        "PKM Sukamaju",
        UnitKind.PUSKESMAS,
        "dinkes",
        "#db2777",
        2,
        False,
        False,
    ),
    (
        "pkm-cibening",
        "Puskesmas Cibening",
        "PKM Cibening",
        UnitKind.PUSKESMAS,
        "dinkes",
        "#be185d",
        2,
        False,
        False,
    ),
    (
        "upt-selat",
        "UPT Pelabuhan Penyeberangan Selat Timur",
        "UPT Selat Timur",
        UnitKind.LAINNYA,
        "dputaru",
        "#0e7490",
        2,
        False,
        False,
    ),
]
# Units across a zone border: their posts show in WITA (the rest of the region follows its zone).
UNIT_ZONES = {"upt-selat": "Asia/Makassar"}

# (email, name, coordinator, [(unit key, role)])
PEOPLE = [
    ("koordinator@demo.test", "Rina Kartikasari", True, [("kominfo", Role.ADMIN)]),
    ("prokopim@demo.test", "Dimas Prasetyo", False, [("prokopim", Role.ADMIN)]),
    ("admin.satpolpp@demo.test", "Yuni Astuti", False, [("satpolpp", Role.ADMIN)]),
    ("editor.satpolpp@demo.test", "Bayu Saputra", False, [("satpolpp", Role.EDITOR)]),
    ("kontributor.bpbd@demo.test", "Fajar Nugroho", False, [("bpbd", Role.CONTRIBUTOR)]),
    ("admin.bpbd@demo.test", "Sari Wulandari", False, [("bpbd", Role.ADMIN)]),
    ("admin.dinkes@demo.test", "Hendra Gunawan", False, [("dinkes", Role.ADMIN)]),
    (
        "admin.puskesmas@demo.test",
        "Lestari Handayani",
        False,
        [("pkm-sukamaju", Role.ADMIN), ("pkm-cibening", Role.EDITOR)],
    ),
    (
        "admin.kecamatan@demo.test",
        "Agus Setiawan",
        False,
        [("kec-kota", Role.ADMIN), ("kel-sukasari", Role.ADMIN)],
    ),
    ("staf.prokopim@demo.test", "Wulan Permatasari", False, [("prokopim", Role.EDITOR)]),
    ("kontributor.puskesmas@demo.test", "Nur Aini", False, [("pkm-sukamaju", Role.CONTRIBUTOR)]),
    ("kontributor.dinkes@demo.test", "Rizki Ramadhan", False, [("dinkes", Role.CONTRIBUTOR)]),
    ("kontributor.kecamatan@demo.test", "Teguh Wibowo", False, [("kec-kota", Role.CONTRIBUTOR)]),
    # across the zone border: this unit plans in WITA
    ("admin.selat@demo.test", "Andi Mappasessu", False, [("upt-selat", Role.ADMIN)]),
    ("kontributor.selat@demo.test", "Irma Paramitha", False, [("upt-selat", Role.CONTRIBUTOR)]),
]

# The logins printed for people trying the demo.
LOGINS = [
    ("koordinator@demo.test", "Koordinator Diskominfo"),
    ("prokopim@demo.test", "Admin Prokopim"),
    ("admin.satpolpp@demo.test", "Admin unit Satpol PP"),
    ("editor.satpolpp@demo.test", "Editor Satpol PP"),
    ("kontributor.bpbd@demo.test", "Kontributor BPBD"),
    ("kontributor.puskesmas@demo.test", "Kontributor Puskesmas Sukamaju"),
    ("admin.selat@demo.test", "Admin unit UPT Selat Timur (WITA)"),
]

PILLARS = {
    "default": [
        (
            "Layanan Publik",
            "#2563eb",
            ["Info layanan {x}", "Jam layanan {x} pekan ini", "Cara mengurus {x}"],
        ),
        ("Edukasi", "#16a34a", ["Tahukah Anda: {x}", "Tips {x}", "Infografis {x}"]),
        ("Kegiatan", "#9333ea", ["Kegiatan {x}", "Liputan {x}", "Rapat koordinasi {x}"]),
    ],
    "satpolpp": [
        ("Info Layanan", "#2563eb", ["Info layanan pengaduan {x}", "Patroli {x}"]),
        ("Edukasi Perda", "#16a34a", ["Edukasi Perda {x}", "Mengenal aturan {x}"]),
        ("Kegiatan Pekan Ini", "#9333ea", ["Kegiatan pekan ini: {x}", "Penertiban {x}"]),
    ],
}

# The intended mix of each unit's pillars, in percent: mostly public service, some education,
# a little of the unit's own activities.
PILLAR_SHARES = (60, 30, 10)

SUBJECTS = [
    "KTP elektronik",
    "pasar pagi",
    "posyandu",
    "jalan desa",
    "banjir musim hujan",
    "perizinan usaha",
    "imunisasi anak",
    "taman kota",
    "kebersihan sungai",
    "lomba kampung",
    "siaga bencana",
    "pelayanan malam",
    "UMKM lokal",
    "hari jadi kabupaten",
    "sekolah sehat",
]

# Captions that tell a story (who, what, why it matters, what the reader can do) ...
STORY_CAPTIONS = [
    "Pagi ini petugas kami turun langsung membahas {x} bersama warga. Ibu Sri, pedagang di "
    "pasar, bercerita bahwa informasi yang jelas membuatnya tidak perlu bolak-balik ke kantor. "
    "Punya pertanyaan tentang {x}? Tulis di kolom komentar, kami jawab satu per satu.",
    "Tahukah Anda, {x} kini bisa diurus lebih cepat? Kami mendengar keluhan warga soal antrean "
    "panjang, lalu mengubah jadwal layanan. Hasilnya, waktu tunggu turun hampir separuh. "
    "Bagikan pengalaman Anda agar layanan kami terus membaik bersama.",
    "Di balik kegiatan {x} hari ini ada kerja keras relawan dan petugas sejak subuh. Mereka "
    "memastikan setiap warga terlayani dengan ramah. Terima kasih atas dukungan Anda, sampai "
    "jumpa di kegiatan berikutnya minggu depan di kecamatan terdekat.",
]
# ... and the ones Diskominfo's monitoring calls "a picture with no story".
SHORT_CAPTIONS = [
    "Kegiatan {x} hari ini.",
    "Dokumentasi {x}.",
    "Rapat koordinasi {x} bersama jajaran.",
]
# How a unit keeps to its plan in the demo: Pantauan then has something to show.
ACTIVITY = {"dputaru": 0.4, "kel-mekarjaya": 0.5}  # posts below their target
SILENT = {"kec-cibening": 24}  # no post for this many days, nothing planned ahead
STORY_SHARE = {"dukcapil": 0.25, "dpmptsp": 0.4}  # mostly pictures with no story

IDEAS = [
    "Kuis aturan lalu lintas berhadiah",
    "Profil petugas teladan bulan ini",
    "Tanya jawab layanan lewat siaran langsung",
    "Cerita warga yang terbantu layanan",
    "Di balik layar: sehari bersama petugas",
]
REVISION_NOTES = [
    "Judul foto belum ada.",
    "Caption masih daftar nama, tolong ceritakan kegiatannya.",
    "Tambahkan kredit foto dan tagar resmi.",
]
CANCEL_NOTES = ["Acara ditunda oleh penyelenggara.", "Digabung dengan unggahan lain."]
POSTED_URL = {
    Platform.INSTAGRAM: "https://www.instagram.com/p/demo{n}/",
    Platform.FACEBOOK: "https://www.facebook.com/{handle}/posts/{n}",
    Platform.TIKTOK: "https://www.tiktok.com/@{handle}/video/{n}",
}

REGION_THEMES = [
    ("Bulan Siaga Bencana", "#f97316", 0),
    ("Hari Kesehatan Nasional", "#10b981", 0),
    ("Gerakan Pelayanan Prima", "#0ea5e9", 1),
    ("Refleksi Akhir Tahun", "#64748b", -1),
]


def state() -> str:
    """'present' when the demo kabupaten is loaded, 'empty', or 'other-data'."""
    if db.session.scalar(sa.select(Unit.id).where(Unit.name == MARKER_UNIT)) is not None:
        return "present"
    has_rows = db.session.scalar(sa.select(sa.func.count(Unit.id))) or db.session.scalar(
        sa.select(sa.func.count(User.id))
    )
    return "other-data" if has_rows else "empty"


def load(password: str) -> dict[str, int]:
    """Create the demo kabupaten. The caller commits."""
    zone_name = current_app.config["REGION_TIMEZONE"]
    units: dict[str, Unit] = {}
    for key, name, short, kind, parent, color, target, approval, coverage in UNITS:
        units[key] = Unit(
            name=name,
            short_name=short,
            kind=kind,
            parent=units.get(parent) if parent else None,
            timezone=UNIT_ZONES.get(key, zone_name),
            color=color,
            weekly_target=target,
            requires_approval=approval,
            coordinates_coverage=coverage,
            # the units have existed for a while: Pantauan scores the weeks before today
            created_at=clock.now() - timedelta(days=365),
        )
        db.session.add(units[key])
    db.session.flush()

    admins: dict[str, User] = {}
    for email, name, coordinator, memberships in PEOPLE:
        user = accounts.create_user(email, name, password, is_coordinator=coordinator)
        for key, role in memberships:
            accounts.add_membership(user, units[key], role)
            if role == Role.ADMIN:
                admins.setdefault(key, user)

    first = today(zone_name).replace(day=1)
    for name, color, month_offset in REGION_THEMES:
        start = add_months(first, month_offset)
        db.session.add(
            Theme(
                name=name, color=color, starts_on=start, ends_on=add_months(start, 1) - timedelta(1)
            )
        )
    db.session.flush()

    checks = content.active_checklist()
    count = 0
    for key, unit in units.items():
        pillars = [
            Theme(unit=unit, name=name, color=color, intended_share=share)
            for (name, color, _), share in zip(
                PILLARS.get(key, PILLARS["default"]), PILLAR_SHARES, strict=True
            )
        ]
        db.session.add_all(pillars)
        db.session.flush()
        count += _items_for_unit(
            unit, pillars, PILLARS.get(key, PILLARS["default"]), admins.get(key), checks
        )
    _near_midnight_items(units["kominfo"], admins["kominfo"])
    events = _agenda(units, admins)
    _trainings(units, admins)
    _slots(units["satpolpp"], admins["satpolpp"])
    _official_accounts(units, admins)
    db.session.flush()
    send_weekly_digest()  # as Monday's cron would have: the bell shows this week's flags
    return {"units": len(units), "items": count + 2, "events": events}


def _items_for_unit(
    unit: Unit, pillars: list[Theme], spec, author: User | None, checks: list
) -> int:
    """About the unit's weekly target of items a week, from 12 weeks back to 45 days ahead:
    Pantauan's twelve-week trend and last month's report have something to show."""
    rng = random.Random(unit.name)  # the same demo every time for a given today
    zone = ZoneInfo(unit.timezone)
    start = today(unit.timezone) - timedelta(days=84)
    key = next(k for k, name, *_ in UNITS if name == unit.name)
    silent_since = today(unit.timezone) - timedelta(days=SILENT[key]) if key in SILENT else None
    count = 0
    for offset in range(84 + 46):
        day = start + timedelta(days=offset)
        if rng.random() > ACTIVITY.get(key, 1.0) * unit.weekly_target / 7:
            continue
        if silent_since is not None and day >= silent_since:
            continue
        pillar_index = rng.randrange(len(pillars))
        title = rng.choice(spec[pillar_index][2]).format(x=rng.choice(SUBJECTS))
        timed = rng.random() < 0.8
        planned_at = (
            datetime.combine(day, time(rng.randrange(7, 21), rng.choice((0, 15, 30))), zone)
            if timed
            else None
        )
        item = content.create_item(
            unit,
            title,
            format=rng.choice(list(ContentFormat)),
            planned_at=planned_at,
            planned_date=None if timed else day,
            theme=pillars[pillar_index],
            platforms=rng.sample(list(Platform)[:3], rng.randrange(1, 4)),
            created_by=author,
        )
        story = rng.random() < STORY_SHARE.get(key, 0.8)
        item.caption = rng.choice(STORY_CAPTIONS if story else SHORT_CAPTIONS).format(
            x=rng.choice(SUBJECTS)
        )
        _work_on(item, _status_for(day - today(unit.timezone), rng), author, rng, checks)
        count += 1
    for title in rng.sample(IDEAS, 2):  # undated ideas wait in the backlog
        content.create_item(unit, title, format=ContentFormat.FOTO, created_by=author)
        count += 1
    return count


def _work_on(item, status: Status, author, rng: random.Random, checks) -> None:
    """Assign the unit's people, tick the checks, write the notes and links the status implies."""
    people = [m.user for m in item.unit.memberships if m.role != Role.ADMIN]
    if people and rng.random() < 0.6:
        item.assignments.append(
            Assignment(user=rng.choice(people), role=rng.choice(list(AssigneeRole)))
        )
    if status in (Status.DISETUJUI, Status.TERJADWAL, Status.TAYANG):
        item.ticks.extend(
            ChecklistTick(entry_id=entry.id, user=author, created_at=clock.now())
            for entry in checks
            if entry.required or rng.random() < 0.5
        )
    content.walk_to(item, status, author)
    if status in (Status.PERLU_REVISI, Status.DIBATALKAN):
        note = rng.choice(REVISION_NOTES if status == Status.PERLU_REVISI else CANCEL_NOTES)
        item.history[-1].note = note
        item.comments.append(
            Comment(
                author=author, body=note, status_change=item.history[-1], created_at=clock.now()
            )
        )
    if status == Status.TAYANG:
        for entry in item.platforms:
            entry.posted_url = POSTED_URL[entry.platform].format(
                handle=account_handle(item.unit), n=rng.randrange(10_000, 99_999)
            )
        planned = item.planned_at or datetime.combine(
            item.planned_date, time(12), ZoneInfo(item.unit.timezone)
        )
        # one post in eight goes out a day or two late
        late = timedelta(days=rng.choice((1, 2))) if rng.random() < 0.125 else timedelta(0)
        item.posted_at = min(planned + late, clock.now())


def _status_for(delta: timedelta, rng: random.Random) -> Status:
    """Past items are mostly published; the coming week is in review or scheduled; later, ideas."""
    days = delta.days
    roll = rng.random()
    if days < 0:
        return Status.DIBATALKAN if roll < 0.08 else Status.TAYANG
    if days <= 2:
        return Status.TERJADWAL if roll < 0.6 else Status.DISETUJUI
    if days <= 9:
        return [Status.DITINJAU, Status.PERLU_REVISI, Status.DISETUJUI, Status.DRAF][int(roll * 4)]
    return Status.IDE if roll < 0.55 else Status.DRAF


def _near_midnight_items(unit: Unit, author: User) -> None:
    """Two posts either side of midnight, so the calendar shows they belong to different days."""
    zone = ZoneInfo(unit.timezone)
    day = today(unit.timezone) + timedelta(days=1)
    for moment, title in (
        (datetime.combine(day, time(23, 30), zone), "Rekap berita hari ini"),
        (datetime.combine(day + timedelta(days=1), time(0, 15), zone), "Ucapan selamat pagi"),
    ):
        item = content.create_item(
            unit,
            title,
            format=ContentFormat.FOTO,
            planned_at=moment,
            platforms=[Platform.INSTAGRAM],
            created_by=author,
        )
        content.walk_to(item, Status.DISETUJUI, author)


# (day offset, leader, title, place, start, end or None for "waktu menyusul", visibility)
AGENDA = [
    (
        -3,
        Leader.BUPATI,
        "Peresmian Pasar Rakyat Sukamaju",
        "Pasar Sukamaju",
        "08:00",
        "10:00",
        "public",
    ),
    (-1, Leader.SEKDA, "Rapat evaluasi kinerja OPD", "Aula Setda", "13:00", "15:30", "internal"),
    (
        0,
        Leader.WAKIL_BUPATI,
        "Pembukaan lomba kampung bersih",
        "Kelurahan Sukasari",
        "09:00",
        "11:00",
        "public",
    ),
    (
        1,
        Leader.BUPATI,
        "Kunjungan kerja ke Puskesmas Sukamaju",
        "Puskesmas Sukamaju",
        "09:30",
        "11:30",
        "public",
    ),
    (
        1,
        Leader.BUPATI,
        "Audiensi tokoh masyarakat",
        "Pendopo Kabupaten",
        "14:00",
        "15:00",
        "restricted",
    ),
    (
        2,
        Leader.SEKDA,
        "Apel siaga bencana musim hujan",
        "Halaman BPBD",
        "07:30",
        "09:00",
        "internal",
    ),
    (3, Leader.WAKIL_BUPATI, "Dialog dengan pelaku UMKM", "Gedung Serbaguna", None, None, "public"),
    (
        5,
        Leader.BUPATI,
        "Safari Jumat di Kecamatan Kota",
        "Masjid Agung",
        "11:30",
        "13:00",
        "public",
    ),
]


def _agenda(units: dict[str, Unit], admins: dict[str, User]) -> int:
    """The leader's agenda around today, with coverage in every state."""
    prokopim = units["prokopim"]
    keeper = admins["prokopim"]
    people = {u.email: u for u in db.session.scalars(sa.select(User))}
    zone = ZoneInfo(prokopim.timezone)
    base = today(prokopim.timezone)
    events = []
    for offset, leader, title, place, start, end, visibility in AGENDA:
        day = base + timedelta(days=offset)
        event = AgendaEvent(
            unit=prokopim,
            leader=leader,
            title=title,
            place=place,
            timezone=prokopim.timezone,
            day=day,
            starts_at=datetime.combine(day, time.fromisoformat(start), zone) if start else None,
            ends_at=datetime.combine(day, time.fromisoformat(end), zone) if end else None,
            visibility=Visibility(visibility),
            created_by=keeper,
        )
        if visibility == "restricted":
            event.invitees = [people["staf.prokopim@demo.test"]]
        db.session.add(event)
        events.append(event)
    db.session.flush()

    def ask(event, unit_key, deliverable, email=None, hours_after=3, instructions=""):
        _start, end = coverage_services.event_bounds(event)
        return CoverageRequest(
            event=event,
            deliverable=deliverable,
            unit=units[unit_key],
            assignee=people.get(email),
            due_at=end + timedelta(hours=hours_after),
            instructions=instructions,
            requested_by=keeper,
        )

    def walk(request, steps, who):
        request.status = CoverageStatus.DIMINTA
        request.history.append(
            CoverageChange(to_status=CoverageStatus.DIMINTA, user=keeper, created_at=clock.now())
        )
        for target, by, note in steps:
            request.history.append(
                CoverageChange(
                    from_status=request.status,
                    to_status=target,
                    user=by or who,
                    note=note,
                    created_at=clock.now(),
                )
            )
            request.status = target
        db.session.add(request)

    fajar = people["kontributor.bpbd@demo.test"]
    nur = people["kontributor.puskesmas@demo.test"]
    past_market, past_meeting, today_event, puskesmas, _closed, apel, umkm, _friday = events
    done = ask(past_market, "kec-kota", Deliverable.FOTO, "kontributor.kecamatan@demo.test")
    done.delivered_links = "https://drive.example.org/demo/pasar-rakyat"
    walk(
        done,
        [
            (CoverageStatus.DITERIMA, None, ""),
            (CoverageStatus.DISERAHKAN, None, "20 foto terpilih"),
            (CoverageStatus.SELESAI, keeper, ""),
        ],
        people["kontributor.kecamatan@demo.test"],
    )
    delivered = ask(past_meeting, "dinkes", Deliverable.BERITA, "kontributor.dinkes@demo.test")
    delivered.delivered_links = "https://docs.example.org/demo/rapat-evaluasi"
    delivered.delivery_note = "Draf berita 300 kata dan 5 foto."
    walk(
        delivered,
        [(CoverageStatus.DITERIMA, None, ""), (CoverageStatus.DISERAHKAN, None, "")],
        people["kontributor.dinkes@demo.test"],
    )
    walk(ask(today_event, "kel-sukasari", Deliverable.VIDEO), [], None)
    walk(
        ask(
            puskesmas,
            "pkm-sukamaju",
            Deliverable.FOTO,
            nur.email,
            4,
            "Foto Bupati dengan tenaga kesehatan.",
        ),
        [(CoverageStatus.DITERIMA, None, "")],
        nur,
    )
    walk(ask(puskesmas, "dinkes", Deliverable.BERITA, "kontributor.dinkes@demo.test", 6), [], None)
    declined = ask(apel, "bpbd", Deliverable.SIARAN_LANGSUNG, fajar.email, 1)
    walk(declined, [(CoverageStatus.DITOLAK, None, "Sedang bertugas di lokasi banjir.")], fajar)
    walk(
        ask(umkm, "bpbd", Deliverable.FOTO, fajar.email, 24),
        [(CoverageStatus.DITERIMA, None, "")],
        fajar,
    )
    # The leader visits the harbour across the zone border: the event is kept in WITA, and the
    # UPT's own contributor is asked to cover it.
    harbour_day = base + timedelta(days=2)
    harbour_zone = ZoneInfo(units["upt-selat"].timezone)
    harbour = AgendaEvent(
        unit=prokopim,
        leader=Leader.BUPATI,
        title="Kunjungan kerja ke Pelabuhan Penyeberangan Selat Timur",
        place="Dermaga Selat Timur",
        timezone=units["upt-selat"].timezone,
        day=harbour_day,
        starts_at=datetime.combine(harbour_day, time(10), harbour_zone),
        ends_at=datetime.combine(harbour_day, time(12), harbour_zone),
        visibility=Visibility.PUBLIC,
        created_by=keeper,
    )
    db.session.add(harbour)
    db.session.flush()
    walk(
        ask(harbour, "upt-selat", Deliverable.FOTO, "kontributor.selat@demo.test", 2),
        [(CoverageStatus.DITERIMA, None, "")],
        people["kontributor.selat@demo.test"],
    )
    db.session.flush()
    return len(events) + 1


def _trainings(units: dict[str, Unit], admins: dict[str, User]) -> None:
    """An FGD five weeks ago with notes and RTL, and a bimtek next week."""
    coordinator = admins["kominfo"]
    zone = ZoneInfo(units["kominfo"].timezone)
    base = today(units["kominfo"].timezone)
    fgd_day = base - timedelta(days=35)
    fgd = mentoring.create_training(
        coordinator,
        mentoring.TrainingFields(
            kind=TrainingKind.FGD,
            title="FGD Pengelolaan Konten Media Sosial",
            day=fgd_day,
            start=time(9),
            end=time(15),
            timezone=zone.key,
            place="Aula Diskominfo",
            organiser=units["kominfo"],
            summary="Menulis caption yang bercerita, foto yang layak tayang, dan judul pada foto.",
            units=[units[k] for k in ("satpolpp", "bpbd", "dinkes", "pkm-sukamaju", "kec-kota")],
            speakers=[
                ("Rina Kartikasari", "Diskominfo", "Strategi konten dan narasi tunggal"),
                ("Andi Pratama", "Jurnalis foto", "Foto kegiatan yang layak tayang"),
            ],
        ),
    )
    fgd.materials.append(
        Material(
            title="Slide FGD (tautan)",
            url="https://drive.example.org/demo/fgd-konten",
            created_at=clock.now(),
        )
    )
    satpol = units["satpolpp"]
    posted = db.session.scalars(
        sa.select(ContentItem)
        .where(ContentItem.unit_id == satpol.id, ContentItem.status == Status.TAYANG)
        .order_by(ContentItem.id)
        .limit(2)
    ).all()
    editor = db.session.scalar(sa.select(User).where(User.email == "editor.satpolpp@demo.test"))
    mentoring.write_note(
        coordinator,
        mentoring.NoteFields(
            unit=satpol,
            training=fgd,
            noted_on=fgd_day + timedelta(days=7),
            went_well="Jadwal unggahan rutin tiga kali sepekan.",
            to_improve="Perbaiki kata-kata caption, kualitas foto, dan judul pada foto.",
            recommendations="Caption jangan hanya daftar nama; ceritakan manfaatnya bagi warga.",
            next_follow_up=base + timedelta(days=7),
            items=posted,
            actions=[
                mentoring.ActionFields(
                    "Pakai templat judul pada foto", editor, base - timedelta(days=3)
                ),
                mentoring.ActionFields(
                    "Latihan menulis caption bercerita",
                    admins["satpolpp"],
                    base + timedelta(days=10),
                ),
            ],
        ),
    )
    mentoring.create_training(
        coordinator,
        mentoring.TrainingFields(
            kind=TrainingKind.BIMTEK,
            title="Bimtek Video Pendek untuk Layanan Publik",
            day=base + timedelta(days=8),
            start=time(8, 30),
            end=time(12),
            timezone=zone.key,
            place="Ruang Rapat Setda",
            organiser=units["kominfo"],
            units=[units[k] for k in ("satpolpp", "bpbd", "dputaru")],
        ),
    )


def _slots(unit: Unit, admin: User) -> None:
    """Satpol PP's week: Senin Info Layanan, Rabu Edukasi Perda, Jumat Kegiatan Pekan Ini."""
    pillars = {
        t.name: t for t in db.session.scalars(sa.select(Theme).where(Theme.unit_id == unit.id))
    }
    monday = today(unit.timezone) - timedelta(days=today(unit.timezone).weekday())
    editor = db.session.scalar(sa.select(User).where(User.email == "editor.satpolpp@demo.test"))
    for name, day, at, maker in (
        ("Info Layanan", "MO", time(9), None),
        ("Edukasi Perda", "WE", time(13), editor),
        ("Kegiatan Pekan Ini", "FR", time(16), editor),
    ):
        slots.save_slot(
            unit,
            admin,
            slots.SlotFields(
                title="",
                format=ContentFormat.FOTO,
                weekdays=[day],
                frequency=Frequency.WEEKLY,
                starts_on=monday - timedelta(days=28),
                at=at,
                pillar=pillars.get(name),
                platforms=[Platform.INSTAGRAM, Platform.FACEBOOK],
                assignee=maker,
            ),
        )


def account_handle(unit: Unit) -> str:
    """A demo unit's handle on every platform: its short name, then the kabupaten."""
    return "".join(c for c in unit.short_name.lower() if c.isalnum()) + ".sukamaju"


def _official_accounts(units: dict[str, Unit], admins: dict[str, User]) -> None:
    """Every unit's Instagram, some with Facebook or TikTok; one without two-step verification,
    one dormant, most with a PIC and some with a backup (no passwords: the register has none)."""
    from .content.models import Platform
    from .socialaccounts.models import AccountStatus, SocialAccount, TwoStep

    people = {u.email: u for u in db.session.scalars(sa.select(User))}
    backups = {
        "satpolpp": people["editor.satpolpp@demo.test"],
        "prokopim": people["staf.prokopim@demo.test"],
        "upt-selat": people["kontributor.selat@demo.test"],
    }
    this_year = today("Asia/Jakarta").replace(month=1, day=1)
    for n, (key, unit) in enumerate(units.items()):
        handle = account_handle(unit)
        accounts = [(Platform.INSTAGRAM, f"https://www.instagram.com/{handle}/")]
        if n % 3 == 0:
            accounts.append((Platform.FACEBOOK, f"https://www.facebook.com/{handle}"))
        if n % 4 == 1:
            accounts.append((Platform.TIKTOK, f"https://www.tiktok.com/@{handle}"))
        for platform, url in accounts:
            db.session.add(
                SocialAccount(
                    unit=unit,
                    platform=platform,
                    handle=handle,
                    handle_key=handle,
                    url=url,
                    display_name=unit.name,
                    status=AccountStatus.DORMAN if key == "kel-mekarjaya" else AccountStatus.AKTIF,
                    pic=admins.get(key),
                    backup_pic=backups.get(key),
                    two_step=TwoStep.OFF if key == "bpbd" else TwoStep.ON,
                    two_step_checked_on=this_year if key != "bpbd" else None,
                    recovery_kind="email dinas",
                    recovery_owner="Admin unit",
                    password_changed_on=this_year if n % 2 == 0 else None,
                )
            )
    # the puskesmas changed hands last week: its handover is half done
    from .socialaccounts.models import HandoverReason
    from .socialaccounts.services import open_handover

    db.session.flush()
    account = db.session.scalar(
        sa.select(SocialAccount).where(SocialAccount.unit_id == units["pkm-sukamaju"].id)
    )
    started = clock.now() - timedelta(days=5)
    handover = open_handover(
        account, HandoverReason.PIC_CHANGED, admins["pkm-sukamaju"],
        people["kontributor.puskesmas@demo.test"], today("Asia/Jakarta") - timedelta(days=5),
        started,
    )  # fmt: skip
    for step in handover.steps[:2]:
        step.done_at, step.done_by_id = started + timedelta(days=1), admins["pkm-sukamaju"].id
