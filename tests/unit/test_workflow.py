"""The content workflow's services: every edge, who may take it, and every refusal."""

from datetime import UTC, date, datetime, time

import pytest
import sqlalchemy as sa

from calendarapp.content import checklist, services
from calendarapp.content.models import (
    AssigneeRole,
    ChecklistEntry,
    ContentFormat,
    ContentItem,
    Platform,
    StatusChange,
)
from calendarapp.content.services import ContentError, ItemFields, StaleVersion
from calendarapp.content.workflow import EDGES, Status, edge
from calendarapp.extensions import db
from calendarapp.notifications.models import Notification, NotificationKind


def new_item(team, **overrides) -> ContentItem:
    data = ItemFields(
        title="Patroli malam",
        format=ContentFormat.FOTO,
        platforms=[Platform.INSTAGRAM, Platform.FACEBOOK],
        planned_day=date(2026, 11, 25),
        planned_time=time(9, 0),
        assignments=[(team["writer"], AssigneeRole.PENULIS)],
    )
    for name, value in overrides.items():
        setattr(data, name, value)
    item = services.create_item(team["satpol"], data=data, created_by=team["admin"])
    db.session.commit()
    return item


def tick_required(item, by) -> None:
    for entry in db.session.scalars(sa.select(ChecklistEntry).where(ChecklistEntry.required)):
        checklist.set_tick(item, entry, by, True)


def test_the_whole_road_from_idea_to_published(team):
    item = new_item(team)
    assert item.planned_at == datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # 09.00 WIB
    services.transition(item, Status.DRAF, team["writer"])
    services.transition(item, Status.DITINJAU, team["writer"])
    services.transition(item, Status.PERLU_REVISI, team["admin"], note="Judul foto belum ada")
    services.transition(item, Status.DRAF, team["writer"])
    services.transition(item, Status.DITINJAU, team["writer"])
    tick_required(item, team["writer"])
    services.transition(item, Status.DISETUJUI, team["admin"])
    services.transition(item, Status.TERJADWAL, team["editor"])
    services.transition(
        item,
        Status.TAYANG,
        team["admin"],
        posted_links={
            Platform.INSTAGRAM: "https://www.instagram.com/p/abc/",
            Platform.FACEBOOK: "https://facebook.com/satpolpp/posts/1",
        },
    )
    db.session.commit()
    assert item.status == Status.TAYANG and item.posted_at is not None
    assert len(item.posted_links) == 2
    steps = [(c.from_status, c.to_status, c.user.email) for c in item.history]
    assert steps[0] == (None, Status.IDE, "admin@satpol.test")
    assert steps[3] == (Status.DITINJAU, Status.PERLU_REVISI, "admin@satpol.test")
    assert len(steps) == 9
    # the revision note is also a comment on the item
    assert [c.body for c in item.comments] == ["Judul foto belum ada"]


def test_a_step_not_in_the_table_is_refused_and_changes_nothing(team):
    item = new_item(team)
    version = item.version
    with pytest.raises(ContentError, match="tidak dapat berpindah"):
        services.transition(item, Status.TAYANG, team["admin"])
    db.session.rollback()
    assert item.status == Status.IDE and item.version == version
    assert db.session.scalar(sa.select(sa.func.count(StatusChange.id))) == 1


@pytest.mark.parametrize("who", ["idle", "outsider", "coordinator"])
def test_people_without_a_part_in_the_item_cannot_move_it(team, who):
    item = new_item(team)
    with pytest.raises(ContentError, match="tidak berwenang"):
        services.transition(item, Status.DRAF, team[who])


def test_a_contributor_cannot_approve_their_own_work(team):
    item = new_item(team)
    services.walk_to(item, Status.DITINJAU, team["writer"])
    tick_required(item, team["admin"])
    with pytest.raises(ContentError, match="tidak berwenang"):
        services.transition(item, Status.DISETUJUI, team["writer"])


def test_editors_approve_only_where_the_unit_does_not_require_approval(team):
    item = new_item(team)
    services.walk_to(item, Status.DITINJAU, team["editor"])
    tick_required(item, team["editor"])
    with pytest.raises(ContentError, match="tidak berwenang"):
        services.transition(item, Status.DISETUJUI, team["editor"])
    team["satpol"].requires_approval = False
    services.transition(item, Status.DISETUJUI, team["editor"])
    assert item.status == Status.DISETUJUI


def test_a_named_reviewer_who_edits_may_approve(team):
    item = new_item(team, reviewer=team["editor"])
    services.walk_to(item, Status.DITINJAU, team["writer"])
    tick_required(item, team["writer"])
    services.transition(item, Status.DISETUJUI, team["editor"])
    assert item.status == Status.DISETUJUI


def test_required_checks_block_approval_and_recommended_ones_do_not(team):
    item = new_item(team)
    services.walk_to(item, Status.DITINJAU, team["writer"])
    with pytest.raises(ContentError, match="butir wajib"):
        services.transition(item, Status.DISETUJUI, team["admin"])
    tick_required(item, team["writer"])
    recommended = db.session.scalars(
        sa.select(ChecklistEntry).where(ChecklistEntry.required.is_(False))
    ).all()
    assert recommended, "the default list has recommended checks"
    services.transition(item, Status.DISETUJUI, team["admin"])


def test_a_revision_request_and_a_cancellation_need_a_reason(team):
    item = new_item(team)
    services.walk_to(item, Status.DITINJAU, team["writer"])
    with pytest.raises(ContentError, match="memerlukan catatan"):
        services.transition(item, Status.PERLU_REVISI, team["admin"], note="  ")
    with pytest.raises(ContentError, match="memerlukan catatan"):
        services.transition(item, Status.DIBATALKAN, team["admin"])
    services.transition(item, Status.DIBATALKAN, team["admin"], note="Acara ditunda")
    assert item.status == Status.DIBATALKAN


def test_published_needs_a_real_link(team):
    item = new_item(team)
    services.walk_to(item, Status.TERJADWAL, team["admin"])
    db.session.commit()
    with pytest.raises(ContentError, match="minimal satu tautan"):
        services.transition(item, Status.TAYANG, team["admin"], posted_links={})
    with pytest.raises(ContentError, match="bukan alamat web"):
        services.transition(
            item, Status.TAYANG, team["admin"], posted_links={Platform.INSTAGRAM: "instagram"}
        )
    with pytest.raises(ContentError, match="bukan alamat web"):
        services.transition(
            item,
            Status.TAYANG,
            team["admin"],
            posted_links={Platform.INSTAGRAM: "javascript:alert(1)"},
        )
    db.session.rollback()
    assert db.session.get(ContentItem, item.id).status == Status.TERJADWAL


def test_only_a_unit_admin_reopens_a_published_item_with_a_reason(team):
    item = new_item(team)
    services.walk_to(item, Status.TAYANG, team["admin"])
    with pytest.raises(ContentError, match="tidak berwenang"):
        services.transition(item, Status.DRAF, team["editor"], note="Salah ketik")
    with pytest.raises(ContentError, match="memerlukan catatan"):
        services.transition(item, Status.DRAF, team["admin"])
    services.transition(item, Status.DRAF, team["admin"], note="Salah ketik nama jabatan")
    assert item.status == Status.DRAF


def test_nothing_leaves_cancelled_and_published_cannot_be_cancelled(team):
    assert edge(Status.TAYANG, Status.DIBATALKAN) is None
    assert [e for e in EDGES if e.source == Status.DIBATALKAN] == []


def test_an_undated_idea_cannot_be_scheduled(team):
    item = new_item(team, planned_day=None, planned_time=None)
    assert item.planned_at is None and item.planned_date is None
    services.walk_to(item, Status.DISETUJUI, team["admin"])
    with pytest.raises(ContentError, match="tanggal tayang"):
        services.transition(item, Status.TERJADWAL, team["admin"])


def test_a_stale_version_is_refused(team):
    item = new_item(team)
    old = item.version
    data = ItemFields(title="Judul baru", format=ContentFormat.FOTO)
    services.update_item(item, team["admin"], old, data)
    db.session.commit()
    assert item.version == old + 1
    with pytest.raises(StaleVersion):
        services.update_item(item, team["editor"], old, ItemFields("Lain", ContentFormat.FOTO))
    with pytest.raises(StaleVersion):
        services.transition(item, Status.DRAF, team["admin"], version=old)


def test_the_version_grows_with_every_saved_change(team):
    item = new_item(team)
    versions = [item.version]
    services.transition(item, Status.DRAF, team["writer"])
    db.session.commit()
    versions.append(item.version)
    services.move_item(item, team["admin"], item.version, date(2026, 11, 27))
    db.session.commit()
    versions.append(item.version)
    assert versions == sorted(set(versions))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "   ", "Judul wajib diisi"),
        ("title", "x" * 201, "Judul terlalu panjang"),
        ("caption", "x" * 5001, "terlalu panjang"),
        ("hashtags", "#" * 501, "Tagar terlalu banyak"),
        ("planned_time", time(9), None),
    ],
)
def test_bad_fields_are_refused(team, field, value, message):
    kwargs = {field: value}
    if field == "planned_time":
        kwargs["planned_day"] = None
        message = "Waktu memerlukan tanggal"
    with pytest.raises(ContentError, match=message):
        new_item(team, **kwargs)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(ContentItem.id))) == 0


def test_assignees_and_themes_must_belong_to_the_unit(team, make):
    with pytest.raises(ContentError, match="Hanya anggota"):
        new_item(team, assignments=[(team["outsider"], AssigneeRole.FOTOGRAFER)])
    db.session.rollback()
    from calendarapp.content.models import Theme

    other_theme = Theme(unit=team["bpbd"], name="Siaga Bencana")
    db.session.add(other_theme)
    db.session.commit()
    with pytest.raises(ContentError, match="Pilih tema"):
        new_item(team, theme=other_theme)
    with pytest.raises(ContentError, match="Peninjau harus"):
        new_item(team, reviewer=team["writer"])


def test_the_draft_is_due_before_publication(team):
    with pytest.raises(ContentError, match="sebelum jadwal tayang"):
        new_item(team, draft_due_at=datetime(2026, 11, 25, 3, 0, tzinfo=UTC))  # 10.00 WIB
    item = new_item(team, draft_due_at=datetime(2026, 11, 24, 3, 0, tzinfo=UTC))
    assert item.draft_due_at.tzinfo is not None


def test_a_second_submit_of_the_same_form_creates_one_item(team):
    data = dict(format=ContentFormat.FOTO, planned_date=date(2026, 11, 26))
    first = services.create_item(team["satpol"], "Sekali", creation_token="tok-1", **data)
    second = services.create_item(team["satpol"], "Sekali", creation_token="tok-1", **data)
    db.session.commit()
    assert first.id == second.id
    assert db.session.scalar(sa.select(sa.func.count(ContentItem.id))) == 1


def test_a_contributor_changes_the_words_but_not_the_plan(team):
    item = new_item(team)
    data = ItemFields(
        title="Patroli malam minggu",
        format=ContentFormat.VIDEO_PENDEK,
        caption="Petugas berkeliling pasar malam.",
        planned_day=date(2026, 12, 1),
    )
    services.update_item(item, team["writer"], item.version, data)
    assert item.caption == "Petugas berkeliling pasar malam."
    assert item.title == "Patroli malam minggu"
    assert item.format == ContentFormat.FOTO and item.local_day() == date(2026, 11, 25)
    with pytest.raises(ContentError, match="tidak dapat menyunting"):
        services.update_item(item, team["idle"], item.version, data)


def test_moving_keeps_the_local_time(team):
    item = new_item(team)
    services.move_item(item, team["editor"], item.version, date(2026, 11, 30))
    assert item.planned_at == datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    with pytest.raises(ContentError):
        services.move_item(item, team["writer"], item.version, date(2026, 12, 1))


def test_people_are_told_about_their_work_but_not_about_their_own_actions(team):
    item = new_item(team)  # the writer is assigned by the admin
    services.transition(item, Status.DRAF, team["writer"])
    services.transition(item, Status.DITINJAU, team["writer"])  # admins are asked to review
    services.transition(item, Status.PERLU_REVISI, team["admin"], note="Tambah kredit foto")
    services.add_comment(item, team["coordinator"], "Bagus, lanjutkan")
    db.session.commit()
    received = {(n.user.email, n.kind) for n in db.session.scalars(sa.select(Notification))}
    assert ("penulis@satpol.test", NotificationKind.ASSIGNED) in received
    assert ("admin@satpol.test", NotificationKind.REVIEW_REQUESTED) in received
    assert ("penulis@satpol.test", NotificationKind.REVISION_REQUESTED) in received
    assert ("penulis@satpol.test", NotificationKind.COMMENT) in received
    assert ("admin@satpol.test", NotificationKind.COMMENT) in received
    assert not any(email == "koordinator@kominfo.test" for email, _ in received)
    from calendarapp.notifications.services import unread_count

    assert unread_count(team["writer"]) == 3


def test_an_empty_or_overlong_comment_is_refused(team):
    item = new_item(team)
    with pytest.raises(ContentError):
        services.add_comment(item, team["admin"], "   ")
    with pytest.raises(ContentError):
        services.add_comment(item, team["admin"], "x" * 2001)
