"""Every route with an id, tried by the admin of another unit: 404, and nothing changes.

The routes come from app.url_map; each id argument is filled with an object of the first unit.
A new route with an id argument this test cannot fill fails it, so it is never forgotten.
"""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, time

import pytest
import sqlalchemy as sa

from calendarapp.accounts.models import Role
from calendarapp.content.models import ChecklistEntry, ContentFormat, Theme
from calendarapp.coverage import services as coverage
from calendarapp.coverage.models import Deliverable, Leader, Visibility
from calendarapp.coverage.services import EventFields, RequestFields
from calendarapp.extensions import db
from calendarapp.feeds import services as feeds
from calendarapp.feeds.models import FeedScope
from calendarapp.mentoring import services as mentoring
from calendarapp.mentoring.models import TrainingKind
from calendarapp.mentoring.services import ActionFields, NoteFields
from calendarapp.planning import slots
from calendarapp.planning.models import Frequency
from calendarapp.planning.slots import SlotFields
from tests.conftest import signed_in
from tests.mentoring_world import training as make_training

# Open to every signed-in person by design, whatever their unit.
SHARED = {
    "themes/<int:theme_id>/uptake",  # a region campaign's uptake is the region's business
}


@pytest.fixture
def database_url(tmp_path, sqlite_template):
    """Permissions do not depend on the database: SQLite only."""
    path = tmp_path / "calendar.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def first_unit(make):
    """Prokopim (keeps an internal agenda) with everything an id can point at."""
    unit = make.unit("Bagian Prokopim", "Prokopim", coordinates_coverage=True)
    other = make.unit("Badan Penanggulangan Bencana Daerah", "BPBD")
    coordinator = make.user("koordinator@test", coordinator=True)
    admin = make.user("admin@prokopim.test", {unit: Role.ADMIN})
    make.user("admin@bpbd.test", {other: Role.ADMIN})
    item = make.item(unit, "Agenda Bupati")
    pillar = Theme(unit=unit, name="Kegiatan Pimpinan", intended_share=50)
    db.session.add(pillar)
    slot = slots.save_slot(
        unit,
        admin,
        SlotFields(
            title="Info",
            weekdays=["MO"],
            frequency=Frequency.WEEKLY,
            starts_on=date(2026, 11, 23),
            at=time(9),
            format=ContentFormat.FOTO,
        ),
    )
    training = make_training(
        coordinator, [unit], "Pendampingan", date(2026, 11, 20), TrainingKind.PENDAMPINGAN
    )
    material = mentoring.add_link(training, coordinator, "Materi", "https://x.example/m.pdf")
    note = mentoring.write_note(
        coordinator,
        NoteFields(
            unit=unit,
            training=training,
            noted_on=date(2026, 11, 20),
            to_improve="Perbaiki caption.",
            actions=[ActionFields("Latihan caption", admin, date(2026, 11, 30))],
        ),
    )
    event = coverage.create_event(
        unit,
        admin,
        EventFields(
            leader=Leader.BUPATI,
            title="Rapat internal",
            day=date(2026, 11, 26),
            start=time(9),
            end=time(10),
            timezone="Asia/Jakarta",
            visibility=Visibility.INTERNAL,
        ),
    )
    request = coverage.request_coverage(
        event,
        admin,
        RequestFields(
            deliverable=Deliverable.FOTO,
            unit=unit,
            due_at=datetime(2026, 11, 26, 6, tzinfo=UTC),
        ),
    )
    token, _raw = feeds.issue(admin, FeedScope.UNIT, unit)
    from calendarapp.content.models import Platform
    from calendarapp.socialaccounts.models import HandoverReason, SocialAccount
    from calendarapp.socialaccounts.services import open_handover

    account = SocialAccount(
        unit=unit, platform=Platform.INSTAGRAM, handle="prokopim", handle_key="prokopim",
        url="https://instagram.com/prokopim", pic=admin, handovers=[],
    )  # fmt: skip
    db.session.add(account)
    handover = open_handover(
        account, HandoverReason.PIC_CHANGED, admin, admin, date(2026, 11, 23),
        datetime(2026, 11, 23, 2, tzinfo=UTC),
    )  # fmt: skip
    from calendarapp.performance.models import FollowerCount

    figure = FollowerCount(
        account=account, measured_on=date(2026, 11, 20), followers=900, source="manual",
        proof=b"\x89PNG\r\n\x1a\n", proof_type="image/png",
    )  # fmt: skip
    db.session.add(figure)
    from calendarapp.performance.models import PerformanceImport

    staged = PerformanceImport(
        unit_id=unit.id, account=account, filename="ekspor.csv",
        created_at=datetime(2026, 11, 23, tzinfo=UTC),
        data=b"Publish time,Permalink\n11/20/2026 10:00,https://www.instagram.com/p/A/\n",
    )  # fmt: skip
    db.session.add(staged)
    from calendarapp.delivery.models import PushDevice

    device = PushDevice(
        user=admin, endpoint="https://push.example.test/abc", p256dh="x", auth="y",
        created_at=datetime(2026, 11, 23, tzinfo=UTC),
    )  # fmt: skip
    db.session.add(device)
    from calendarapp.amplification.models import AmplificationRequest, AmplificationTarget

    amplify = AmplificationRequest(
        title="Pesan Bupati", action="share_feed", platforms="instagram",
        source_url="https://www.instagram.com/p/BUPATI/",
        created_at=datetime(2026, 11, 23, tzinfo=UTC),
        deadline_at=datetime(2026, 11, 25, tzinfo=UTC), targets=[AmplificationTarget(unit=unit)],
    )  # fmt: skip
    db.session.add(amplify)
    db.session.commit()
    entry = db.session.scalar(sa.select(ChecklistEntry).limit(1))
    return {
        "item_id": item.id,
        "theme_id": pillar.id,
        "slot_id": slot.id,
        "training_id": training.id,
        "material_id": material.id,
        "note_id": note.id,
        "action_id": note.actions[0].id,
        "event_id": event.id,
        "request_id": request.id,
        "token_id": token.id,
        "user_id": admin.id,
        "unit_id": unit.id,
        "entry_id": entry.id,
        "account_id": account.id,
        "handover_id": handover.id,
        "figure_id": figure.id,
        "import_id": staged.id,
        "device_id": device.id,
        "amplification_id": amplify.id,
        "target_id": amplify.targets[0].id,
    }


def routes_with_ids(app):
    for rule in app.url_map.iter_rules():
        ids = {a for a in rule.arguments if a.endswith("_id")}
        if ids and rule.rule.lstrip("/") not in SHARED:
            yield rule, ids


def test_another_units_admin_reaches_none_of_its_objects(app, first_unit):
    client, auth = signed_in(app, "admin@bpbd.test")
    token = auth.csrf()
    answers = {}
    for rule, ids in routes_with_ids(app):
        missing = ids - first_unit.keys()
        assert not missing, f"{rule.rule}: teach this test an object for {missing}"
        path = rule.build({a: first_unit[a] for a in ids}, append_unknown=False)[1]
        for method in sorted(rule.methods & {"GET", "POST"}):
            data = {"csrf_token": token, "version": "1", "title": "x"} if method == "POST" else None
            answers[f"{method} {rule.rule}"] = client.open(
                path, method=method, data=data
            ).status_code
    wrong = {route: code for route, code in answers.items() if code != 404}
    assert wrong == {}
    assert len(answers) >= 40
    # the ids are real: their own unit's admin opens the same pages
    owner, _auth = signed_in(app, "admin@prokopim.test")
    for path in (
        f"/items/{first_unit['item_id']}",
        f"/plan/slots/{first_unit['slot_id']}/edit",
        f"/units/{first_unit['unit_id']}/mentoring",
        f"/agenda/{first_unit['event_id']}",
        f"/trainings/{first_unit['training_id']}",
        f"/monitoring/units/{first_unit['unit_id']}",
    ):
        assert owner.get(path).status_code == 200, path
