"""The demo's agenda and coverage, trainings and notes, slots and official accounts."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from .. import clock
from ..accounts.models import Unit, User
from ..content.models import (
    ContentFormat,
    ContentItem,
    Platform,
    Theme,
)
from ..content.workflow import Status
from ..coverage import services as coverage_services
from ..coverage.models import (
    AgendaEvent,
    CoverageChange,
    CoverageRequest,
    Deliverable,
    Leader,
    Visibility,
)
from ..coverage.workflow import CoverageStatus
from ..extensions import db
from ..mentoring import services as mentoring
from ..mentoring.models import Material, TrainingKind
from ..planning import slots
from ..planning.models import Frequency
from ..socialaccounts.models import AccountStatus, HandoverReason, SocialAccount, TwoStep
from ..socialaccounts.services import open_handover
from ..timeutil import today
from .data import AGENDA, account_handle


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


def _official_accounts(units: dict[str, Unit], admins: dict[str, User]) -> None:
    """Every unit's Instagram, some with Facebook or TikTok; one without two-step verification,
    one dormant, most with a PIC and some with a backup (no passwords: the register has none)."""
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
