"""A small region for Pantauan: Satpol PP posts, BPBD without a story, a silent kecamatan."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from calendarapp import clock
from calendarapp.accounts.models import Role, UnitKind
from calendarapp.content import services as content
from calendarapp.content.models import ChecklistEntry, ChecklistTick
from calendarapp.content.workflow import Status
from calendarapp.extensions import db

STORY = " ".join(["kata"] * 30)  # exactly the region's minimum


def publish(make, unit, when: datetime, *, caption: str = "", ticks: str = "all", title="Pos"):
    """A published post: planned and posted at `when`; `ticks` is all, required or none."""
    item = make.item(unit, title, at=when)
    item.caption = caption
    content.walk_to(item, Status.TAYANG, None)
    item.posted_at = when
    item.platforms[0].posted_url = "https://instagram.com/p/x"
    entries = db.session.scalars(sa.select(ChecklistEntry)).all()
    chosen = {
        "all": entries,
        "required": [e for e in entries if e.required and not e.is_story],
        "none": [],
    }[ticks]
    item.ticks.extend(ChecklistTick(entry_id=e.id, created_at=clock.now()) for e in chosen)
    db.session.commit()
    return item


def build(make) -> dict:
    kominfo = make.unit("Dinas Komunikasi dan Informatika", "Diskominfo")
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP", weekly_target=2)
    bpbd = make.unit("Badan Penanggulangan Bencana Daerah", "BPBD", weekly_target=1)
    camat = make.unit("Kecamatan Cibening", "Kec. Cibening", kind=UnitKind.KECAMATAN)
    prokopim = make.unit("Bagian Prokopim", "Prokopim", coordinates_coverage=True)
    for unit in (kominfo, satpol, bpbd, camat, prokopim):
        unit.created_at = datetime(2025, 1, 1, tzinfo=UTC)
    db.session.commit()
    people = {
        "coordinator": make.user("koordinator@test", {kominfo: Role.ADMIN}, coordinator=True),
        "satpol_admin": make.user("admin@satpol.test", {satpol: Role.ADMIN}),
        "writer": make.user("penulis@satpol.test", {satpol: Role.CONTRIBUTOR}),
        "prokopim": make.user("admin@prokopim.test", {prokopim: Role.ADMIN}),
    }
    # Satpol PP: 3 posts in the last 4 weeks (26 Oct – 22 Nov), 2 with a story
    publish(make, satpol, datetime(2026, 11, 2, 3, tzinfo=UTC), caption=STORY)
    publish(make, satpol, datetime(2026, 11, 10, 3, tzinfo=UTC), caption=STORY)
    publish(make, satpol, datetime(2026, 11, 18, 3, tzinfo=UTC), caption="Kegiatan hari ini.")
    # BPBD: one post with a long caption but the story check not ticked
    publish(make, bpbd, datetime(2026, 11, 20, 3, tzinfo=UTC), caption=STORY, ticks="required")
    # the kecamatan posted last in September: silent
    publish(make, camat, datetime(2026, 9, 1, 3, tzinfo=UTC), caption=STORY)
    return {"satpol": satpol, "bpbd": bpbd, "camat": camat, "kominfo": kominfo, **people}
