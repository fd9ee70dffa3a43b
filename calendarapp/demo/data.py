"""The demo kabupaten's data: its units, people, pillars, subjects, agenda and themes."""

from __future__ import annotations

from ..accounts.models import Role, Unit, UnitKind
from ..content.models import (
    Platform,
)
from ..coverage.models import (
    Leader,
)

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


def account_handle(unit: Unit) -> str:
    """A demo unit's handle on every platform: its short name, then the kabupaten."""
    return "".join(c for c in unit.short_name.lower() if c.isalnum()) + ".sukamaju"
