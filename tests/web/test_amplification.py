"""Amplifikasi: Prokopim asks the units to spread the leader's post; each unit answers per
platform with the link of its own post, or why not; the tracking page and its WhatsApp text show
who still owes; a reminder before the deadline. Clock: Monday 23 November 2026, 09.00 WIB."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
import sqlalchemy as sa

from calendarapp import clock
from calendarapp.accounts.models import Role, UnitKind
from calendarapp.amplification.models import (
    AmplificationAnswer,
    AmplificationRequest,
    AmplificationTarget,
)
from calendarapp.amplification.services import send_reminders
from calendarapp.content.models import Platform
from calendarapp.content.services import set_posted_links, walk_to
from calendarapp.content.workflow import Status
from calendarapp.extensions import db
from calendarapp.notifications.models import Notification
from calendarapp.notifications.models import NotificationKind as K
from calendarapp.performance.models import PostMetric
from calendarapp.socialaccounts.models import SocialAccount
from tests.conftest import NOW, csrf_token_from, signed_in


@pytest.fixture
def world(make):
    prokopim = make.unit("Bagian Prokopim", "Prokopim", coordinates_coverage=True)
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    bpbd = make.unit("Badan Penanggulangan Bencana Daerah", "BPBD")
    camat = make.unit("Kecamatan Cibening", "Kec. Cibening", kind=UnitKind.KECAMATAN)
    aide = make.user("ajudan@prokopim.test", {prokopim: Role.ADMIN}, name="Sari Wulandari")
    make.user("admin@satpol.test", {satpol: Role.ADMIN})
    make.user("editor@satpol.test", {satpol: Role.EDITOR})
    make.user("kontributor@satpol.test", {satpol: Role.CONTRIBUTOR})
    make.user("admin@bpbd.test", {bpbd: Role.ADMIN})
    make.user("camat@cibening.test", {camat: Role.ADMIN})
    make.user("koordinator@test", coordinator=True)
    db.session.add(
        SocialAccount(unit=satpol, platform=Platform.TIKTOK, handle="satpolpp.tt",
                      handle_key="satpolpp.tt", url="https://www.tiktok.com/@satpolpp.tt")
    )  # fmt: skip
    post = make.item(prokopim, "Bupati meresmikan pasar rakyat", at=NOW - timedelta(days=1))
    walk_to(post, Status.TAYANG, aide)
    set_posted_links(post, {Platform.INSTAGRAM: "https://www.instagram.com/p/PASAR/"})
    db.session.commit()
    return {"prokopim": prokopim, "satpol": satpol, "bpbd": bpbd, "camat": camat, "post": post}


def measured(unit, platform, key, permalink, **figures) -> PostMetric:
    """A post of the unit's account on the platform, as an imported export keeps it."""
    account = db.session.scalar(
        sa.select(SocialAccount).where(
            SocialAccount.unit_id == unit.id, SocialAccount.platform == platform
        )
    )
    if account is None:
        account = SocialAccount(unit=unit, platform=platform, handle=f"{unit.id}.{platform}",
                                handle_key=f"{unit.id}.{platform}",
                                url=f"https://{platform}.example/{unit.id}")  # fmt: skip
    metric = PostMetric(
        account=account,
        post_key=key,
        permalink=permalink,
        published_at=NOW - timedelta(hours=2),
        measured_on=NOW.date(),
        **figures,
    )
    db.session.add(metric)
    return metric


def form_data(page: str, **fields) -> dict:
    data = {
        "csrf_token": csrf_token_from(page),
        "creation_token": re.search(r'name="creation_token" type="hidden" value="([^"]+)"',
                                    page)[1],
        "title": "Peresmian pasar rakyat", "action": "share_feed",
        "platforms": ["instagram", "tiktok"], "deadline_day": "2026-11-24",
        "deadline_time": "09:00", "target": "all", "kind": "dinas",
        "caption": "Pasar rakyat baru untuk warga.", "hashtags": "#SukamajuMaju",
    }  # fmt: skip
    data.update(fields)
    return data


def ask(client, world, **fields):
    page = client.get("/amplification/new").get_data(as_text=True)
    data = form_data(page, **{"source_item": str(world["post"].id), **fields})
    return client.post("/amplification/new", data=data)


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_prokopim_asks_every_unit_and_they_hear_of_it(app, world):
    aide, _auth = signed_in(app, "ajudan@prokopim.test")
    answer = ask(aide, world)
    assert answer.status_code == 303
    request = db.session.scalar(sa.select(AmplificationRequest))
    # every active unit but the post's own
    assert sorted(t.unit.short_name for t in request.targets) == [
        "BPBD",
        "Kec. Cibening",
        "Satpol PP",
    ]
    assert request.deadline_at == NOW + timedelta(days=1)  # 09.00 WIB tomorrow
    told = db.session.scalars(
        sa.select(Notification).where(Notification.kind == K.AMPLIFY_REQUESTED)
    )
    assert sorted(n.user.email for n in told) == [
        "admin@bpbd.test", "admin@satpol.test", "camat@cibening.test"]  # fmt: skip
    satpol, _auth = signed_in(app, "admin@satpol.test")
    assert "meminta unit Anda mengamplifikasi" in satpol.get("/notifications").get_data(
        as_text=True
    )
    listing = satpol.get("/amplification").get_data(as_text=True)
    assert "Peresmian pasar rakyat" in listing and "belum dijawab" in listing
    # the same form sent twice (a double tap) asks once
    page = aide.get("/amplification/new").get_data(as_text=True)
    data = form_data(page, source_item=str(world["post"].id))
    aide.post("/amplification/new", data=data)
    aide.post("/amplification/new", data=data)
    assert count(AmplificationRequest) == 2


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"deadline_day": "2026-11-22"}, 422, "sudah lewat"),
        ({"deadline_day": "2027-01-05"}, 422, "30 hari"),
        ({"platforms": []}, 422, "satu platform"),
        ({"source_url": "https://www.instagram.com/p/LAIN/"}, 422, "satu sumber"),
        ({"source_item": "", "source_url": "http://berita.example/x"}, 422, "https://"),
        ({"target": "chosen", "units": []}, 422, "unit yang diminta"),
        ({"target": "chosen", "units": ["999999"]}, 404, ""),
        ({"source_item": "999999"}, 404, ""),
        ({"title": ""}, 422, "field-errors"),
    ],
)
def test_a_bad_request_is_refused_and_nothing_is_saved(app, world, fields, status, message):
    aide, _auth = signed_in(app, "ajudan@prokopim.test")
    answer = ask(aide, world, **fields)
    assert answer.status_code == status
    assert message in answer.get_data(as_text=True)
    assert count(AmplificationRequest) == 0


def test_units_answer_per_platform_with_proof_and_the_asker_tracks_them(app, world):
    aide, _auth = signed_in(app, "ajudan@prokopim.test")
    path = ask(aide, world).headers["Location"]
    request = db.session.scalar(sa.select(AmplificationRequest))
    satpol_target = next(t for t in request.targets if t.unit_id == world["satpol"].id)
    bpbd_target = next(t for t in request.targets if t.unit_id == world["bpbd"].id)
    editor, _auth = signed_in(app, "editor@satpol.test")
    page = editor.get(path).get_data(as_text=True)
    assert "Pasar rakyat baru untuk warga." in page and 'data-copy="#caption-copy"' in page
    answer_path = f"{path}/targets/{satpol_target.id}/answer"
    token = csrf_token_from(page)

    def send(**fields):
        return editor.post(answer_path, data={"csrf_token": token, **fields})

    refused = [
        ({"platform": "instagram", "done": "yes", "link": "https://example.com/p/1"},
         "bukan di Instagram"),
        ({"platform": "tiktok", "done": "yes", "link": "https://www.tiktok.com/@orang.lain/video/1"},
         "@orang.lain"),
        ({"platform": "tiktok", "done": "no", "reason": ""}, "Sebutkan mengapa"),
        ({"platform": "facebook", "done": "yes", "link": "https://www.facebook.com/x/posts/1"},
         "tidak meminta platform itu"),
    ]  # fmt: skip
    for fields, message in refused:
        answer = send(**fields)
        assert answer.status_code == 422 and message in answer.get_data(as_text=True), fields
    assert count(AmplificationAnswer) == 0
    assert (
        send(
            platform="instagram", done="yes", link="https://www.instagram.com/p/SATPOL/"
        ).status_code
        == 303
    )
    again = send(platform="instagram", done="yes", link="https://www.instagram.com/p/LAGI/")
    assert again.status_code == 422 and "sudah dijawab" in again.get_data(as_text=True)
    assert (
        send(platform="tiktok", done="no", reason="Akun TikTok sedang dipulihkan").status_code
        == 303
    )
    # a contributor, another unit's admin: no answer for Satpol PP
    contributor, _auth = signed_in(app, "kontributor@satpol.test")
    token_c = csrf_token_from(contributor.get(path).get_data(as_text=True))
    assert (
        contributor.post(
            answer_path, data={"csrf_token": token_c, "platform": "instagram"}
        ).status_code
        == 404
    )
    bpbd, _auth = signed_in(app, "admin@bpbd.test")
    token_b = csrf_token_from(bpbd.get(path).get_data(as_text=True))
    other = bpbd.post(answer_path, data={"csrf_token": token_b, "platform": "instagram",
                      "done": "yes", "link": "https://www.instagram.com/p/B/"})  # fmt: skip
    assert other.status_code == 404
    # BPBD answers late, the next day
    with clock.frozen(NOW + timedelta(days=1, hours=2)):
        late = bpbd.post(f"{path}/targets/{bpbd_target.id}/answer", data={"csrf_token": token_b,
                         "platform": "instagram", "done": "yes",
                         "link": "https://www.instagram.com/p/BPBD/"})  # fmt: skip
        assert late.status_code == 303
        bpbd.post(f"{path}/targets/{bpbd_target.id}/answer", data={"csrf_token": token_b,
                  "platform": "tiktok", "done": "yes",
                  "link": "https://www.tiktok.com/@bpbd/video/9"})  # fmt: skip
    html = aide.get(path).get_data(as_text=True)
    states = dict(re.findall(r'data-unit-id="(\d+)" data-state="(\w+)"', html))
    assert states == {
        str(world["satpol"].id): "declined", str(world["bpbd"].id): "late",
        str(world["camat"].id): "owing",
    }  # fmt: skip
    whatsapp = unquote(re.search(r'href="https://wa\.me/\?text=([^"]+)"', html)[1])
    assert "masih berutang (1): Kec. Cibening" in whatsapp and path in whatsapp


def test_another_units_request_answers_404_and_the_deadline_reminds_once(app, world):
    aide, _auth = signed_in(app, "ajudan@prokopim.test")
    path = ask(aide, world, target="chosen", units=[str(world["satpol"].id)]).headers["Location"]
    bpbd, _auth = signed_in(app, "admin@bpbd.test")
    assert bpbd.get(path).status_code == 404
    editor, _auth = signed_in(app, "editor@satpol.test")
    assert editor.get(path).status_code == 200
    assert editor.get("/amplification/new").status_code == 404  # only askers ask
    assert send_reminders(NOW + timedelta(hours=12)) == 0  # not yet near the deadline
    assert send_reminders(NOW + timedelta(hours=19)) == 1  # five hours left: Satpol's admin
    assert send_reminders(NOW + timedelta(hours=20)) == 0  # once
    db.session.commit()
    told = db.session.scalars(
        sa.select(Notification).where(Notification.kind == K.AMPLIFY_DUE_SOON)
    )
    assert [n.user.email for n in told] == ["admin@satpol.test"]


def test_tugas_saya_lists_what_the_unit_still_owes_until_it_is_answered(app, world):
    aide, _auth = signed_in(app, "ajudan@prokopim.test")
    path = ask(aide, world, platforms=["instagram"]).headers["Location"]
    admin, _auth = signed_in(app, "admin@satpol.test")
    tasks = admin.get("/tasks").get_data(as_text=True)
    assert "data-amplification-id" in tasks and "Peresmian pasar rakyat" in tasks
    # a repeat look, kept: the same page but for its csrf tokens, signed with the second
    tokens = re.compile(r'((?:name="csrf_token"[^>]*value=|"X-CSRFToken": )")[^"]+')
    again = admin.get("/tasks").get_data(as_text=True)
    assert tokens.search(tasks) and tokens.sub(r"\1", again) == tokens.sub(r"\1", tasks)
    request = db.session.scalar(sa.select(AmplificationRequest))
    target = next(t for t in request.targets if t.unit_id == world["satpol"].id)
    token = csrf_token_from(admin.get(path).get_data(as_text=True))
    admin.post(f"{path}/targets/{target.id}/answer", data={"csrf_token": token,
               "platform": "instagram", "done": "yes",
               "link": "https://www.instagram.com/p/SATPOL/"})  # fmt: skip
    # answered: gone from the kept list at once (an answer moves the calendar serial)
    assert "data-amplification-id" not in admin.get("/tasks").get_data(as_text=True)


def test_pantauan_shows_compliance_and_flags_a_unit_behind(app, world, count_queries):
    for key in ("prokopim", "satpol", "bpbd", "camat"):
        world[key].created_at = NOW - timedelta(days=60)  # scored for the whole month
    db.session.commit()
    aide, _auth = signed_in(app, "ajudan@prokopim.test")
    with clock.frozen(NOW - timedelta(days=3)):
        path = ask(aide, world, platforms=["instagram"], deadline_day="2026-11-21").headers[
            "Location"
        ]
    request = db.session.scalar(sa.select(AmplificationRequest))
    satpol = next(t for t in request.targets if t.unit_id == world["satpol"].id)
    db.session.add(AmplificationAnswer(target=satpol, platform=Platform.INSTAGRAM, done=True,
                                       link="https://www.instagram.com/p/S/",
                                       answered_at=NOW - timedelta(days=3)))  # fmt: skip
    db.session.commit()
    coordinator, _auth = signed_in(app, "koordinator@test")
    html = coordinator.get("/monitoring?month=2026-11&columns=all").get_data(as_text=True)

    def row(unit):
        start = html.index(f'<tr data-unit-id="{world[unit].id}"')
        return html[start : html.index("</tr>", start)]

    assert 'data-figure="amplify">1 / 1<' in row("satpol")
    assert 'data-figure="amplify">0 / 1<' in row("bpbd")
    assert 'data-flag="amplify_behind"' in row("bpbd")
    assert 'data-flag="amplify_behind"' not in row("satpol")
    behind = coordinator.get("/monitoring?month=2026-11&flag=amplify_behind&columns=all").get_data(
        as_text=True
    )
    assert f'<tr data-unit-id="{world["bpbd"].id}"' in behind
    assert f'<tr data-unit-id="{world["satpol"].id}"' not in behind
    assert path
    # the same queries whatever the number of requests and answers
    coordinator.get("/monitoring?month=2026-11")
    with count_queries() as few:
        coordinator.get("/monitoring?month=2026-11")
    for n in range(3):
        with clock.frozen(NOW - timedelta(days=2)):
            ask(aide, world, title=f"Pesan {n}", deadline_day="2026-11-22")
    with count_queries() as many:
        coordinator.get("/monitoring?month=2026-11")
    assert many.count == few.count


def test_an_election_period_refuses_a_candidates_post_and_pauses_an_earlier_request(
    app, world, make
):
    from calendarapp.amplification.models import Candidate, ElectionPeriod

    bupati = make.user("bupati@prokopim.test", {world["prokopim"]: Role.EDITOR}, name="H. Suryana")
    campaign_post = make.item(world["prokopim"], "Kunjungan kerja", at=NOW - timedelta(days=1))
    campaign_post.created_by = bupati
    walk_to(campaign_post, Status.TAYANG, bupati)
    set_posted_links(campaign_post, {Platform.INSTAGRAM: "https://www.instagram.com/p/KUNKER/"})
    db.session.commit()
    aide, _auth = signed_in(app, "ajudan@prokopim.test")
    # made before any period, due on the 27th: fine for now
    early = ask(aide, world, source_item=str(campaign_post.id), deadline_day="2026-11-27")
    assert early.status_code == 303
    coordinator, _auth = signed_in(app, "koordinator@test")
    page = coordinator.get("/amplification/elections").get_data(as_text=True)
    token = csrf_token_from(page)
    bad = coordinator.post("/amplification/elections/periods", data={"csrf_token": token,
                           "name": "Pilkada 2026", "kind": "kampanye", "starts_on": "2026-11-30",
                           "ends_on": "2026-11-25"})  # fmt: skip
    assert bad.status_code == 422 and "berakhir sebelum dimulai" in bad.get_data(as_text=True)
    candidate = {"csrf_token": token, "name": "H. Suryana", "user": str(bupati.id),
                 "handles": "@suryana.pribadi, bupati_lama"}  # fmt: skip
    assert (
        coordinator.post("/amplification/elections/candidates", data=candidate).status_code == 303
    )
    period = {"csrf_token": token, "name": "Pilkada 2026: kampanye", "kind": "kampanye",
              "starts_on": "2026-11-25", "ends_on": "2026-12-05"}  # fmt: skip
    assert coordinator.post("/amplification/elections/periods", data=period).status_code == 303
    assert [c.handles for c in db.session.scalars(sa.select(Candidate))] == [
        "bupati_lama,suryana.pribadi"]  # fmt: skip
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ElectionPeriod)) == 1
    # the earlier request falls inside the period: paused, its units told, no answers taken
    request = db.session.scalar(sa.select(AmplificationRequest))
    db.session.refresh(request)
    assert request.paused_at == NOW and "H. Suryana" in request.paused_reason
    paused = db.session.scalars(
        sa.select(Notification).where(Notification.kind == K.AMPLIFY_PAUSED)
    )
    assert sorted(n.user.email for n in paused) == [
        "admin@bpbd.test", "admin@satpol.test", "camat@cibening.test"]  # fmt: skip
    satpol, _auth = signed_in(app, "admin@satpol.test")
    assert "data-amplification-id" not in satpol.get("/tasks").get_data(as_text=True)
    # a new request with the candidate's post, or a link on the candidate's own account, due
    # in the period: refused with the rule and the dates
    own = "https://www.tiktok.com/@suryana.pribadi/video/7"
    for fields in ({"source_item": str(campaign_post.id)}, {"source_item": "", "source_url": own}):
        refused = ask(aide, world, deadline_day="2026-11-26", **fields)
        text = refused.get_data(as_text=True)
        assert refused.status_code == 422 and "SKB 2/2022" in text and "H. Suryana" in text
    # the rule and the dates show where a request is made; another source is fine
    assert "Pilkada 2026: kampanye" in aide.get("/amplification/new").get_data(as_text=True)
    assert ask(aide, world, deadline_day="2026-11-26").status_code == 303
    # only coordinators record periods and candidates
    assert aide.get("/amplification/elections").status_code == 404


def test_the_tracking_page_runs_the_same_queries_for_few_or_many_units(
    app, world, make, count_queries
):
    aide, _auth = signed_in(app, "ajudan@prokopim.test")
    path = ask(aide, world).headers["Location"]
    aide.get(path)
    with count_queries() as few:
        assert aide.get(path).status_code == 200
    request = db.session.scalar(sa.select(AmplificationRequest))
    for n in range(4):
        unit = make.unit(f"Puskesmas {n}", f"PKM {n}", kind=UnitKind.PUSKESMAS)
        target = AmplificationTarget(request=request, unit=unit)
        target.answers.append(AmplificationAnswer(platform=Platform.INSTAGRAM, done=False,
                                                  reason="Tidak ada", answered_at=NOW))  # fmt: skip
        db.session.add(target)
    db.session.commit()
    with count_queries() as many:
        assert aide.get(path).status_code == 200
    assert many.count == few.count


def test_the_request_form_runs_the_same_queries_for_posts_of_few_or_many_units(
    app, world, make, count_queries
):
    """The form offers the region's latest posts, each named with its unit: one statement."""
    aide, _auth = signed_in(app, "ajudan@prokopim.test")
    aide.get("/amplification/new")
    with count_queries() as few:
        assert aide.get("/amplification/new").status_code == 200
    for n in range(4):
        unit = make.unit(f"Puskesmas {n}", f"PKM {n}", kind=UnitKind.PUSKESMAS)
        post = make.item(unit, f"Posyandu {n}", at=NOW - timedelta(hours=n + 1))
        walk_to(post, Status.TAYANG, make.user(f"admin{n}@pkm.test", {unit: Role.ADMIN}))
    db.session.commit()
    with count_queries() as many:
        page = aide.get("/amplification/new").get_data(as_text=True)
    assert "Posyandu 3 (PKM 3)" in page
    assert many.count == few.count


def test_the_monthly_report_gives_the_regions_amplification(app, world):
    import io

    from pypdf import PdfReader

    for key in ("prokopim", "satpol", "bpbd", "camat"):
        world[key].created_at = NOW - timedelta(days=60)
    db.session.commit()
    aide, _auth = signed_in(app, "ajudan@prokopim.test")
    with clock.frozen(NOW - timedelta(days=5)):
        ask(aide, world, platforms=["instagram"], deadline_day="2026-11-19")
    request = db.session.scalar(sa.select(AmplificationRequest))
    satpol = next(t for t in request.targets if t.unit_id == world["satpol"].id)
    db.session.add(AmplificationAnswer(target=satpol, platform=Platform.INSTAGRAM, done=True,
                                       link="https://www.instagram.com/p/S/",
                                       answered_at=NOW - timedelta(days=5)))  # fmt: skip
    measured(world["satpol"], Platform.INSTAGRAM, "17890", "https://www.instagram.com/p/S",
             views=1200, likes=40, comments=2)  # fmt: skip
    db.session.commit()
    coordinator, _auth = signed_in(app, "koordinator@test")
    line = ("Amplifikasi: 1 dari 3 permintaan dijawab tepat waktu (33 %); "
            "tidak pernah tepat waktu: BPBD, Kec. Cibening")  # fmt: skip
    page = coordinator.get("/monitoring/report?month=2026-11").get_data(as_text=True)
    assert line in page
    row = re.search(rf'data-request-id="{request.id}">(.*?)</tr>', page, re.S)[1]
    cells = re.findall(r"<td>([^<]*)</td>", row)
    assert cells == ["1/3", "1.200", "42", "1/1"]  # on time, views, interactions, measured
    pdf = coordinator.get("/monitoring/report.pdf?month=2026-11").data
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "1 dari 3 permintaan dijawab tepat waktu" in text
    assert "Peresmian pasar rakyat 1/3 1.200 42" in text
    whatsapp = coordinator.get("/monitoring/report/whatsapp?month=2026-11").get_data(as_text=True)
    assert line in whatsapp


def test_the_deadline_is_on_the_calendar_of_those_who_may_see_it(app, world):
    """One chip per request on its deadline day, with how many of the units shown answered;
    a unit's people see only their own units' share, another unit sees nothing."""
    world["camat"].timezone = "Asia/Makassar"  # 09.00 WIB is 10.00 WITA, the same day
    db.session.commit()
    aide, _auth = signed_in(app, "ajudan@prokopim.test")
    units = [str(world["satpol"].id), str(world["camat"].id)]
    path = ask(aide, world, platforms=["instagram"], target="chosen", units=units)
    path = path.headers["Location"]
    request_id = path.rsplit("/", 1)[1]
    chip = re.compile(
        rf'data-date="2026-11-24".*?data-amplification-id="{request_id}".*?'
        r'class="status-badge badge-amplify">([^<]+)<',
        re.S,
    )
    region = aide.get("/calendar/month?month=2026-11").get_data(as_text=True)
    assert chip.search(region)[1] == "0 dari 2 unit menjawab"
    week = aide.get("/calendar/week?week=2026-W48").get_data(as_text=True)
    assert chip.search(week)[1] == "0 dari 2 unit menjawab" and "Amplifikasi: Peresmian" in week
    satpol, _auth = signed_in(app, "admin@satpol.test")
    mine = satpol.get("/calendar/month?month=2026-11").get_data(as_text=True)
    assert chip.search(mine)[1] == "Satpol PP: belum dijawab"
    request = db.session.get(AmplificationRequest, int(request_id))
    target = next(t for t in request.targets if t.unit_id == world["satpol"].id)
    token = csrf_token_from(satpol.get(path).get_data(as_text=True))
    satpol.post(f"{path}/targets/{target.id}/answer", data={"csrf_token": token,
                "platform": "instagram", "done": "yes",
                "link": "https://www.instagram.com/p/SATPOL/"})  # fmt: skip
    mine = satpol.get("/calendar/month?month=2026-11").get_data(as_text=True)
    assert chip.search(mine)[1] == "Satpol PP: sudah dijawab"
    region = aide.get("/calendar/month?month=2026-11").get_data(as_text=True)
    assert chip.search(region)[1] == "1 dari 2 unit menjawab"
    bpbd, _auth = signed_in(app, "admin@bpbd.test")  # not asked: nothing of it anywhere
    assert "data-amplification-id" not in bpbd.get("/calendar/month?month=2026-11").get_data(
        as_text=True
    )


def test_a_deadline_after_midnight_in_wita_falls_on_the_next_day_there(app, world):
    world["camat"].timezone = "Asia/Makassar"
    db.session.commit()
    aide, _auth = signed_in(app, "ajudan@prokopim.test")
    units = [str(world["satpol"].id), str(world["camat"].id)]
    path = ask(aide, world, platforms=["instagram"], deadline_time="23:30", target="chosen",
               units=units).headers["Location"]  # fmt: skip
    request_id = path.rsplit("/", 1)[1]
    html = aide.get("/calendar/month?month=2026-11").get_data(as_text=True)
    days = re.findall(r'data-date="([\d-]+)"(?:(?!data-date=).)*?data-amplification-id="'
                      + request_id + r'"', html, re.S)  # fmt: skip
    assert days == ["2026-11-24", "2026-11-25"]  # 23.30 WIB in Satpol PP, 00.30 WITA in Cibening


def test_the_deadline_is_in_the_unit_feed_and_in_the_answerers_own_feed(app, client, world):
    from calendarapp.accounts.models import User
    from calendarapp.feeds.models import FeedScope
    from tests.feeds.test_feeds import events, fetch, link, lint, parse_everywhere

    aide, _auth = signed_in(app, "ajudan@prokopim.test")
    path = ask(aide, world, platforms=["instagram"], target="chosen",
               units=[str(world["satpol"].id)]).headers["Location"]  # fmt: skip
    request = db.session.scalar(sa.select(AmplificationRequest))
    target = request.targets[0]
    uid = f"amplify-{target.id}@kalender-konten"

    def user(email):
        return db.session.scalar(sa.select(User).where(User.email == email))

    unit_feed = link(user("admin@satpol.test"), FeedScope.UNIT, world["satpol"])
    first = fetch(client, unit_feed)
    lint(first.get_data())
    event = events(parse_everywhere(first.get_data()))[uid]
    assert str(event["SUMMARY"]) == "Amplifikasi: Peresmian pasar rakyat · Satpol PP"
    assert event.decoded("DTSTART") == NOW + timedelta(days=1)
    assert "Status: belum dijawab" in str(event["DESCRIPTION"]) and path in str(event["URL"])
    own = fetch(client, link(user("editor@satpol.test"), FeedScope.PERSONAL)).get_data()
    assert uid in events(parse_everywhere(own))
    for email in ("kontributor@satpol.test", "admin@bpbd.test"):  # not answering for Satpol PP
        theirs = fetch(client, link(user(email), FeedScope.PERSONAL)).get_data()
        assert not any(u.startswith("amplify-") for u in events(parse_everywhere(theirs)))
    assert fetch(client, unit_feed, **{"If-None-Match": first.headers["ETag"]}).status_code == 304
    admin, _auth = signed_in(app, "admin@satpol.test")
    token = csrf_token_from(admin.get(path).get_data(as_text=True))
    admin.post(f"{path}/targets/{target.id}/answer", data={"csrf_token": token,
               "platform": "instagram", "done": "yes",
               "link": "https://www.instagram.com/p/SATPOL/"})  # fmt: skip
    again = fetch(client, unit_feed, **{"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    event = events(parse_everywhere(again.get_data()))[uid]
    assert "Status: sudah, tepat waktu" in str(event["DESCRIPTION"])
    assert int(event["SEQUENCE"]) == 1


def test_each_answer_is_matched_to_its_units_measured_post_and_the_request_gets_its_reach(
    app, world
):
    aide, _auth = signed_in(app, "ajudan@prokopim.test")
    units = [str(world["satpol"].id), str(world["bpbd"].id)]
    path = ask(aide, world, target="chosen", units=units).headers["Location"]
    request = db.session.scalar(sa.select(AmplificationRequest))
    by_unit = {t.unit_id: t for t in request.targets}
    satpol, bpbd = by_unit[world["satpol"].id], by_unit[world["bpbd"].id]
    links = {
        (satpol, Platform.INSTAGRAM): "https://www.instagram.com/p/SatPol1/",
        (satpol, Platform.TIKTOK): "https://www.tiktok.com/@satpolpp.tt/video/7301?lang=id",
        (bpbd, Platform.INSTAGRAM): "https://www.instagram.com/p/Bpbd1/",
    }
    for (target, platform), link in links.items():
        db.session.add(AmplificationAnswer(target=target, platform=platform, done=True,
                                           link=link, answered_at=NOW))  # fmt: skip
    # the permalink in another case and without its slash; TikTok by the video id
    measured(world["satpol"], Platform.INSTAGRAM, "17890", "https://www.instagram.com/p/satpol1",
             views=1000, reach=800, likes=50, comments=5, shares=3, saves=2)  # fmt: skip
    # an Instagram post whose id is the TikTok video's: not the TikTok answer's figure
    measured(world["satpol"], Platform.INSTAGRAM, "7301", "", views=77777)
    measured(world["satpol"], Platform.TIKTOK, "7301", "", views=5000, likes=200)
    # BPBD's post measured on Satpol PP's account: not BPBD's figure
    measured(world["satpol"], Platform.INSTAGRAM, "17891", "https://www.instagram.com/p/Bpbd1/",
             views=99999)  # fmt: skip
    db.session.commit()
    page = aide.get(path).get_data(as_text=True)
    summary = re.search(r'data-figure="reach">([^<]+)<', page)[1]
    assert summary == (
        "Jangkauan unggahan unit: 6.000 tayangan, 800 dijangkau, 260 interaksi "
        "(angka untuk 2 dari 3 unggahan)."
    )
    row = re.search(rf'data-unit-id="{world["satpol"].id}".*?</tr>', page, re.S)[0]
    assert "1.000 tayangan · 60 interaksi" in row and "5.000 tayangan · 200 interaksi" in row
    row = re.search(rf'data-unit-id="{world["bpbd"].id}".*?</tr>', page, re.S)[0]
    assert "data-reach" not in row
    # the unit sees its own posts' figures beside its answers
    editor, _auth = signed_in(app, "editor@satpol.test")
    mine = editor.get(path).get_data(as_text=True)
    assert "1.000 tayangan · 60 interaksi" in mine and 'data-figure="reach"' not in mine
