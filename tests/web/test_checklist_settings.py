"""The coordinator keeps the region's quality checklist."""

import pytest
import sqlalchemy as sa

from calendarapp.accounts.models import Role
from calendarapp.content.models import ChecklistEntry
from calendarapp.extensions import db


@pytest.fixture
def people(make):
    unit = make.unit()
    make.user("koordinator@kominfo.test", coordinator=True)
    make.user("admin@satpol.test", {unit: Role.ADMIN})


def test_the_region_starts_with_the_checklist_from_the_trainings(app):
    entries = db.session.scalars(sa.select(ChecklistEntry).order_by(ChecklistEntry.position)).all()
    texts = " ".join(e.text.lower() for e in entries)
    assert "caption bercerita" in texts and "alt text" in texts and "anak" in texts
    assert any(e.required for e in entries) and any(not e.required for e in entries)


def test_a_coordinator_adds_edits_and_retires_checks(client, auth, people):
    auth.login("koordinator@kominfo.test")
    token = auth.csrf("/settings/checklist")
    added = client.post(
        "/settings/checklist",
        data={"csrf_token": token, "text": "Logo Pemda terpasang", "required": "y", "position": 9},
    )
    assert added.status_code == 303
    entry = db.session.scalar(sa.select(ChecklistEntry).where(ChecklistEntry.text.like("Logo%")))
    assert entry.required
    client.post(
        f"/settings/checklist/{entry.id}",
        data={"csrf_token": token, "text": "Logo Pemda di pojok kanan", "position": 9},
    )
    client.post(f"/settings/checklist/{entry.id}/active", data={"csrf_token": token})
    db.session.expire_all()
    entry = db.session.get(ChecklistEntry, entry.id)
    assert entry.text == "Logo Pemda di pojok kanan" and not entry.required and not entry.active


def test_an_empty_check_is_refused(client, auth, people):
    auth.login("koordinator@kominfo.test")
    before = db.session.scalar(sa.select(sa.func.count(ChecklistEntry.id)))
    response = client.post(
        "/settings/checklist", data={"csrf_token": auth.csrf("/settings/checklist"), "text": " "}
    )
    assert response.status_code == 422 and "Isian ini wajib diisi." in response.get_data(True)
    assert db.session.scalar(sa.select(sa.func.count(ChecklistEntry.id))) == before


def test_unit_admins_cannot_open_or_change_the_checklist(client, auth, people):
    auth.login("admin@satpol.test")
    token = auth.csrf()
    entry = db.session.scalar(sa.select(ChecklistEntry))
    assert client.get("/settings/checklist").status_code == 404
    assert (
        client.post("/settings/checklist", data={"csrf_token": token, "text": "x"}).status_code
        == 404
    )
    assert (
        client.post(
            f"/settings/checklist/{entry.id}/active", data={"csrf_token": token}
        ).status_code
        == 404
    )
