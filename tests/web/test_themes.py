"""Region campaigns by the coordinator, content pillars by a unit's admin; archived, not deleted."""

import pytest
import sqlalchemy as sa

from calendarapp.accounts.models import Role
from calendarapp.content.models import Theme
from calendarapp.extensions import db


@pytest.fixture
def people(make):
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    bpbd = make.unit("Badan Penanggulangan Bencana Daerah", "BPBD")
    make.user("koordinator@kominfo.test", coordinator=True)
    make.user("admin@satpol.test", {satpol: Role.ADMIN})
    make.user("editor@satpol.test", {satpol: Role.EDITOR})
    make.user("admin@bpbd.test", {bpbd: Role.ADMIN})
    return {"satpol": satpol, "bpbd": bpbd}


def post(client, auth, path, **fields):
    data = {"csrf_token": auth.csrf("/themes"), "color": "#16a34a", **fields}
    return client.post(path, data=data)


def all_themes():
    return {t.name: t for t in db.session.scalars(sa.select(Theme))}


def test_the_coordinator_runs_a_region_campaign(client, auth, people):
    auth.login("koordinator@kominfo.test")
    response = post(
        client,
        auth,
        "/themes/new",
        name="Hari Kesehatan Nasional",
        starts_on="2026-11-01",
        ends_on="2026-11-30",
        hashtags="#HKN2026 #SukamajuSehat",
    )
    assert response.status_code == 303
    theme = all_themes()["Hari Kesehatan Nasional"]
    assert theme.unit_id is None and theme.hashtags == "#HKN2026 #SukamajuSehat"
    page = client.get("/themes").get_data(as_text=True)
    assert "Kampanye daerah" in page and "Hari Kesehatan Nasional" in page


def test_a_unit_admin_keeps_pillars_with_an_intended_mix(client, auth, people):
    auth.login("admin@satpol.test")
    unit = people["satpol"].id
    assert (
        post(
            client, auth, f"/themes/new?unit={unit}", name="Layanan publik", intended_share=60
        ).status_code
        == 303
    )
    assert (
        post(
            client, auth, f"/themes/new?unit={unit}", name="Edukasi", intended_share=30
        ).status_code
        == 303
    )
    too_much = post(
        client, auth, f"/themes/new?unit={unit}", name="Kegiatan", intended_share=20,
        description="Liputan kegiatan kepala dinas",
    )  # fmt: skip
    refused = too_much.get_data(as_text=True)
    assert too_much.status_code == 422 and "110 %" in refused
    # it says which pillars could give way, and keeps what was typed
    assert "Layanan publik (60 %), Edukasi (30 %)" in refused
    assert 'value="Kegiatan"' in refused and "Liputan kegiatan kepala dinas" in refused
    assert "Kegiatan" not in all_themes()
    # a new pillar is offered a colour the unit does not use yet
    blank = client.get(f"/themes/new?unit={unit}").get_data(as_text=True)
    assert 'value="#2563eb"' in blank  # the posts above used #16a34a
    page = client.get("/themes").get_data(as_text=True)
    assert "90 % unggahan" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Isian ini wajib diisi."),
        ({"name": "Siaga", "color": "merah"}, "Pilih warna"),
        (
            {"name": "Siaga", "starts_on": "2026-11-30", "ends_on": "2026-11-01"},
            "sebelum tanggal mulai",
        ),
        ({"name": "Siaga", "starts_on": "2026-11-01"}, "tanggal mulai dan selesai"),
        (
            {
                "name": "Siaga",
                "starts_on": "2026-11-01",
                "ends_on": "2026-11-30",
                "hashtags": "tanpa pagar",
            },
            "Tulis tagar",
        ),
    ],
)
def test_bad_themes_are_refused(client, auth, people, fields, message):
    auth.login("koordinator@kominfo.test")
    response = post(client, auth, "/themes/new", **fields)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert all_themes() == {}


def test_archiving_keeps_the_theme(client, auth, people):
    theme = Theme(unit=people["satpol"], name="Edukasi Perda", color="#16a34a", intended_share=40)
    db.session.add(theme)
    db.session.commit()
    auth.login("admin@satpol.test")
    client.post(f"/themes/{theme.id}/archive", data={"csrf_token": auth.csrf("/themes")})
    db.session.expire_all()
    assert db.session.get(Theme, theme.id).archived


@pytest.mark.parametrize("who", ["editor@satpol.test", "admin@bpbd.test"])
def test_only_the_units_admin_manages_its_pillars(client, auth, people, who):
    theme = Theme(unit=people["satpol"], name="Edukasi Perda", color="#16a34a")
    db.session.add(theme)
    db.session.commit()
    auth.login(who)
    assert client.get(f"/themes/new?unit={people['satpol'].id}").status_code == 404
    assert post(client, auth, f"/themes/{theme.id}", name="Diubah").status_code == 404
    assert (
        client.post(
            f"/themes/{theme.id}/archive", data={"csrf_token": auth.csrf("/themes")}
        ).status_code
        == 404
    )
    assert client.get("/themes/new").status_code == 404  # region campaigns are the coordinator's
    db.session.expire_all()
    assert db.session.get(Theme, theme.id).name == "Edukasi Perda"


def test_the_coordinator_sees_which_units_took_up_a_campaign(client, auth, people, make):
    from calendarapp.content.services import walk_to
    from calendarapp.content.workflow import Status

    campaign = Theme(name="Bulan Siaga Bencana", color="#f97316")
    db.session.add(campaign)
    db.session.commit()
    posted = make.item(people["bpbd"], "Simulasi evakuasi", theme=campaign)
    walk_to(posted, Status.TAYANG, None)
    make.item(people["bpbd"], "Tas siaga bencana", theme=campaign)
    db.session.commit()
    auth.login("koordinator@kominfo.test")
    html = client.get(f"/themes/{campaign.id}/uptake").get_data(as_text=True)
    assert "1 dari 2 unit" in html
    bpbd = html[html.index(f'data-unit-id="{people["bpbd"].id}"') :]
    assert "<td>2</td><td>1</td>" in bpbd[:300]
    satpol = html[html.index(f'data-unit-id="{people["satpol"].id}"') :]
    assert 'class="silent"' in satpol[:80]
    client.post("/logout", data={"csrf_token": auth.csrf("/logout")})
    auth.login("admin@satpol.test")
    assert client.get(f"/themes/{campaign.id}/uptake").status_code == 404
