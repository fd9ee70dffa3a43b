"""Akun resmi through the web: who sees a unit's accounts, what is refused, the register and the
public directory (nothing about people or security there)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
import sqlalchemy as sa

from calendarapp.accounts.models import Role
from calendarapp.content.models import Platform
from calendarapp.extensions import db
from calendarapp.socialaccounts.models import AccountStatus, SocialAccount, TwoStep
from tests.conftest import csrf_token_from, signed_in


@pytest.fixture
def world(make):
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    bpbd = make.unit("Badan Penanggulangan Bencana Daerah", "BPBD")
    people = {
        "admin": make.user("admin@satpol.test", {satpol: Role.ADMIN}, name="Yuni Astuti"),
        "editor": make.user("editor@satpol.test", {satpol: Role.EDITOR}, name="Bayu Saputra"),
        "other": make.user("admin@bpbd.test", {bpbd: Role.ADMIN}, name="Sari Wulandari"),
        "coordinator": make.user("koordinator@test", coordinator=True, name="Rina"),
    }
    return {"satpol": satpol, "bpbd": bpbd, **people}


def form(client, path: str, **answers) -> dict:
    html = client.get(path).get_data(as_text=True)
    data = {
        "csrf_token": csrf_token_from(html),
        "platform": "instagram",
        "handle": "satpolpp.sukamaju",
        "url": "https://www.instagram.com/satpolpp.sukamaju/",
        "display_name": "Satpol PP Kabupaten Sukamaju",
        "status": "aktif",
        "public": "y",
        "pic": "",
        "backup_pic": "",
        "two_step": "aktif",
        "two_step_checked_on": "2026-11-02",
        "recovery_kind": "email dinas",
        "recovery_owner": "Admin unit",
        "password_changed_on": "2026-06-01",
    }
    version = re.search(r'name="version" type="hidden" value="(\d+)"', html)
    if version:
        data["version"] = version.group(1)
    data.update(answers)
    return data


def count() -> int:
    return db.session.scalar(sa.select(sa.func.count(SocialAccount.id)))


@pytest.mark.parametrize(
    "who, expected",
    [("admin", 200), ("coordinator", 200), ("editor", 404), ("other", 404)],
)
def test_a_units_accounts_are_its_admins_and_the_coordinators(app, world, who, expected):
    client, _auth = signed_in(app, world[who].email)
    assert client.get(f"/units/{world['satpol'].id}/accounts").status_code == expected


def test_signed_out_people_go_to_the_login(client, world):
    answer = client.get(f"/units/{world['satpol'].id}/accounts")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_an_admin_registers_an_account_and_citizens_find_it(app, client, world):
    admin, _auth = signed_in(app, "admin@satpol.test")
    path = f"/units/{world['satpol'].id}/accounts"
    data = form(admin, path, pic=str(world["admin"].id), backup_pic=str(world["editor"].id))
    assert admin.post(path, data=data).status_code == 303
    saved = db.session.scalar(sa.select(SocialAccount))
    assert (saved.handle, saved.platform, saved.pic_id) == (
        "satpolpp.sukamaju",
        Platform.INSTAGRAM,
        world["admin"].id,
    )
    page = admin.get(path).get_data(as_text=True)
    assert "@satpolpp.sukamaju" in page and "Bayu Saputra" in page
    public = client.get("/akun-resmi")
    html = public.get_data(as_text=True)
    assert public.status_code == 200 and "@satpolpp.sukamaju" in html
    # nothing about people or security in public
    for secret in ("Yuni Astuti", "Bayu Saputra", "email dinas", "Admin unit", "2026-06-01"):
        assert secret not in html
    assert "csrf" not in html.lower() and "Set-Cookie" not in public.headers
    assert public.headers["Cache-Control"] == "public, max-age=3600"
    assert "Cookie" not in public.headers.get("Vary", "")  # one cached copy serves everybody
    again = client.get("/akun-resmi", headers={"If-None-Match": public.headers["ETag"]})
    assert again.status_code == 304
    english = client.get("/akun-resmi?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english and "Official social-media accounts" in english


def test_hidden_closed_and_other_accounts_stay_out_of_the_directory(client, world):
    for handle, public, status in [
        ("tersembunyi", False, AccountStatus.AKTIF),
        ("lama", True, AccountStatus.DITUTUP),
        ("aktif", True, AccountStatus.AKTIF),
    ]:
        db.session.add(
            SocialAccount(
                unit=world["satpol"], platform=Platform.INSTAGRAM, handle=handle,
                handle_key=handle, url=f"https://instagram.com/{handle}", public=public,
                status=status,
            )
        )  # fmt: skip
    db.session.commit()
    html = client.get("/akun-resmi").get_data(as_text=True)
    assert "@aktif" in html and "@tersembunyi" not in html and "@lama" not in html


@pytest.mark.parametrize(
    "answers, field, message",
    [
        ({"handle": "satpol pp"}, "handle", "tanpa spasi"),
        ({"url": "https://instagram.evil.example/satpolpp.sukamaju"}, "url", "bukan di Instagram"),
        ({"url": "https://www.instagram.com/akun.lain/"}, "url", "profil @satpolpp.sukamaju"),
        ({"url": "javascript:alert(1)"}, "url", "bukan di Instagram"),
        ({"handle": "x" * 101}, "handle", None),
        ({"platform": "myspace"}, "platform", None),
        ({"two_step_checked_on": "0001-01-01"}, "two_step_checked_on", None),
    ],
)
def test_bad_input_is_refused_with_a_message_and_saves_nothing(app, world, answers, field, message):
    admin, _auth = signed_in(app, "admin@satpol.test")
    path = f"/units/{world['satpol'].id}/accounts"
    answer = admin.post(path, data=form(admin, path, **answers))
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert 'class="field-errors"' in html or "form-error" in html
    if message:
        assert message in html
    assert count() == 0


def test_a_pic_from_another_unit_and_a_duplicate_handle_are_refused(app, world):
    admin, _auth = signed_in(app, "admin@satpol.test")
    path = f"/units/{world['satpol'].id}/accounts"
    other = admin.post(path, data=form(admin, path, pic=str(world["other"].id)))
    assert other.status_code == 422 and "Pilih orang dari unit ini" in other.get_data(True)
    assert count() == 0
    assert admin.post(path, data=form(admin, path)).status_code == 303
    bpbd, _auth = signed_in(app, "admin@bpbd.test")
    theirs = f"/units/{world['bpbd'].id}/accounts"
    twice = bpbd.post(theirs, data=form(bpbd, theirs, handle="SatpolPP.Sukamaju"))
    assert twice.status_code == 422 and "sudah terdaftar (Satpol PP)" in twice.get_data(True)
    assert count() == 1


def test_editing_keeps_versions_and_other_units_ids_answer_404(app, world):
    admin, _auth = signed_in(app, "admin@satpol.test")
    path = f"/units/{world['satpol'].id}/accounts"
    admin.post(path, data=form(admin, path))
    account = db.session.scalar(sa.select(SocialAccount))
    edit = f"{path}/{account.id}"
    stale = form(admin, edit, two_step="tidak")
    assert admin.post(edit, data=form(admin, edit, display_name="Satpol PP")).status_code == 303
    answer = admin.post(edit, data=stale)  # the form from before the other save
    assert answer.status_code == 409 and "Orang lain telah mengubah" in answer.get_data(True)
    db.session.expire_all()
    assert db.session.get(SocialAccount, account.id).two_step == TwoStep.ON
    bpbd, _auth = signed_in(app, "admin@bpbd.test")
    assert bpbd.get(edit).status_code == 404
    assert bpbd.get(f"/units/{world['bpbd'].id}/accounts/{account.id}").status_code == 404


def test_the_coordinators_register_flags_and_exports(app, world):
    db.session.add_all(
        [
            SocialAccount(
                unit=world["satpol"], platform=Platform.INSTAGRAM, handle="aman",
                handle_key="aman", url="https://instagram.com/aman", two_step=TwoStep.ON,
                backup_pic=world["editor"], password_changed_on=date(2026, 6, 1),
            ),
            SocialAccount(
                unit=world["bpbd"], platform=Platform.FACEBOOK, handle="=rawan",
                handle_key="=rawan", url="https://facebook.com/rawan", two_step=TwoStep.OFF,
            ),
        ]
    )  # fmt: skip
    db.session.commit()
    coordinator, _auth = signed_in(app, "koordinator@test")
    page = coordinator.get("/accounts").get_data(as_text=True)
    assert "@aman" in page and "@=rawan" in page
    flagged = coordinator.get("/accounts?flag=no_two_step").get_data(as_text=True)
    assert "@=rawan" in flagged and "@aman" not in flagged
    assert coordinator.get("/accounts?flag=nonsense").status_code == 404
    worst = coordinator.get("/accounts?sort=flags&dir=asc").get_data(as_text=True)
    assert worst.index("@=rawan") < worst.index("@aman")  # most flags first
    assert coordinator.get("/accounts?sort=nonsense").status_code == 404
    book = coordinator.get("/accounts.xlsx")
    assert book.data[:2] == b"PK" and "akun-resmi.xlsx" in book.headers["Content-Disposition"]
    answer = coordinator.get("/accounts.csv")
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    assert answer.headers["Content-Disposition"].startswith("attachment")
    handles = {row[2] for row in rows[1:]}
    assert handles == {"aman", "'=rawan"}  # a formula is written as text
    admin, _auth = signed_in(app, "admin@satpol.test")
    mine = admin.get("/accounts")
    assert mine.status_code == 303 and mine.headers["Location"].endswith(
        f"/units/{world['satpol'].id}/accounts"
    )
    assert admin.get("/accounts.csv").status_code == 404
    editor, _auth = signed_in(app, "editor@satpol.test")
    assert editor.get("/accounts").status_code == 404


def test_proof_links_are_checked_against_the_platform_and_the_units_account(app, world, make):
    """Marking Tayang: a link on another domain, or a TikTok video of another account than the
    unit's registered one, is refused with a message and the item stays where it was."""
    from datetime import UTC, datetime

    from calendarapp.content.models import ContentItem, ContentItemPlatform
    from calendarapp.content.services import walk_to
    from calendarapp.content.workflow import Status
    from tests.web.test_items import step

    db.session.add(
        SocialAccount(
            unit=world["satpol"], platform=Platform.TIKTOK, handle="satpolpp.sukamaju",
            handle_key="satpolpp.sukamaju", url="https://www.tiktok.com/@satpolpp.sukamaju",
        )
    )  # fmt: skip
    item = make.item(world["satpol"], "Patroli", at=datetime(2026, 11, 22, 3, tzinfo=UTC))
    item.platforms.append(ContentItemPlatform(platform=Platform.TIKTOK))
    walk_to(item, Status.TERJADWAL, world["admin"])
    db.session.commit()
    admin, _auth = signed_in(app, "admin@satpol.test")

    def mark(**links):
        db.session.expire_all()
        version = db.session.get(ContentItem, item.id).version
        return step(admin, item.id, "tayang", version, **links)

    elsewhere = mark(link_instagram="https://instagram.evil.example/p/abc/")
    assert elsewhere.status_code == 422
    assert "bukan di Instagram" in elsewhere.get_data(as_text=True)
    other = mark(
        link_instagram="https://www.instagram.com/p/abc/",
        link_tiktok="https://www.tiktok.com/@akun.palsu/video/7312",
    )
    assert other.status_code == 422
    message = other.get_data(as_text=True)
    assert "@akun.palsu" in message and "@satpolpp.sukamaju" in message
    db.session.expire_all()
    assert db.session.get(ContentItem, item.id).status == Status.TERJADWAL
    db.session.add(
        SocialAccount(
            unit=world["satpol"], platform=Platform.TIKTOK, handle="satpolpp.edukasi",
            handle_key="satpolpp.edukasi", url="https://www.tiktok.com/@satpolpp.edukasi",
        )
    )  # fmt: skip
    db.session.commit()  # two TikTok accounts now: the link tells which one the post went out on
    published = mark(
        link_instagram="https://www.instagram.com/p/abc/",
        link_tiktok="https://www.tiktok.com/@SatpolPP.Edukasi/video/7312",
    )
    assert published.status_code == 303
    db.session.expire_all()
    done = db.session.get(ContentItem, item.id)
    assert done.status == Status.TAYANG
    tiktok = next(row for row in done.platforms if row.platform == Platform.TIKTOK)
    assert tiktok.account.handle == "satpolpp.edukasi"


# ---- handover ------------------------------------------------------------------------------


def _held_account(world) -> SocialAccount:
    account = SocialAccount(
        unit=world["satpol"], platform=Platform.INSTAGRAM, handle="satpolpp.sukamaju",
        handle_key="satpolpp.sukamaju", url="https://instagram.com/satpolpp.sukamaju",
        pic=world["editor"], backup_pic=world["admin"],
    )  # fmt: skip
    db.session.add(account)
    db.session.commit()
    return account


def _tick(client, world, handover, step):
    page = client.get(f"/units/{world['satpol'].id}/accounts").get_data(as_text=True)
    return client.post(
        f"/units/{world['satpol'].id}/accounts/handovers/{handover.id}",
        data={"csrf_token": csrf_token_from(page), "step": step},
    )


def test_when_the_pic_leaves_a_handover_opens_and_is_worked_through(app, world):
    from calendarapp.socialaccounts.models import Handover, HandoverReason

    account = _held_account(world)
    coordinator, _auth = signed_in(app, "koordinator@test")
    person = coordinator.get(f"/people/{world['editor'].id}").get_data(as_text=True)
    left = coordinator.post(
        f"/people/{world['editor'].id}/units",
        data={"csrf_token": csrf_token_from(person), "unit": world["satpol"].id, "role": ""},
    )
    assert left.status_code == 303
    db.session.expire_all()
    account = db.session.get(SocialAccount, account.id)
    assert account.pic_id is None and account.backup_pic_id == world["admin"].id
    handover = db.session.scalar(sa.select(Handover))
    assert (handover.reason, handover.outgoing_id) == (HandoverReason.PIC_LEFT, world["editor"].id)
    assert len(handover.steps) == 5 and handover.closed_at is None

    admin, _auth = signed_in(app, "admin@satpol.test")
    tasks = admin.get("/tasks").get_data(as_text=True)
    assert "Serah terima akun" in tasks and "@satpolpp.sukamaju" in tasks
    refused = _tick(admin, world, handover, "confirm_pic")  # no new PIC chosen yet
    assert refused.status_code == 303
    assert "Pilih PIC baru dulu" in admin.get(refused.headers["Location"]).get_data(True)
    for step in ("password", "two_step", "recovery", "business_roles"):
        assert _tick(admin, world, handover, step).status_code == 303
    account.pic = world["admin"]
    db.session.commit()
    assert _tick(admin, world, handover, "confirm_pic").status_code == 303
    db.session.expire_all()
    handover = db.session.get(Handover, handover.id)
    assert handover.closed_at is not None
    assert {t.done_by_id for t in handover.steps} == {world["admin"].id}
    assert "Serah terima akun" not in admin.get("/tasks").get_data(as_text=True)


def test_a_new_pic_and_a_new_head_open_their_checklists_once(app, world):
    from calendarapp.socialaccounts.models import Handover, HandoverReason

    account = _held_account(world)
    admin, _auth = signed_in(app, "admin@satpol.test")
    edit = f"/units/{world['satpol'].id}/accounts/{account.id}"
    changed = admin.post(
        edit,
        data=form(admin, edit, pic=str(world["admin"].id), backup_pic=str(world["editor"].id)),
    )
    assert changed.status_code == 303
    page = admin.get(f"/units/{world['satpol'].id}/accounts").get_data(as_text=True)
    for _ in range(2):  # a second tap opens nothing more
        admin.post(
            f"/units/{world['satpol'].id}/accounts/leader-change",
            data={"csrf_token": csrf_token_from(page)},
        )
    reasons = sorted(h.reason for h in db.session.scalars(sa.select(Handover)))
    assert reasons == sorted([HandoverReason.PIC_CHANGED, HandoverReason.LEADER_CHANGED])
    leader = db.session.scalar(
        sa.select(Handover).where(Handover.reason == HandoverReason.LEADER_CHANGED)
    )
    assert [t.step.value for t in leader.steps] == ["bio", "picture", "pinned"]


def test_handovers_are_the_units_own_and_overdue_ones_flag_the_register(app, world):
    from datetime import timedelta

    from calendarapp.socialaccounts.models import Handover, HandoverReason
    from calendarapp.socialaccounts.services import open_handover

    account = _held_account(world)
    from calendarapp import clock

    handover = open_handover(
        account, HandoverReason.PIC_LEFT, world["admin"], world["editor"],
        clock.now().date() - timedelta(days=10), clock.now() - timedelta(days=10),
    )  # fmt: skip
    db.session.commit()
    other, _auth = signed_in(app, "admin@bpbd.test")
    page = other.get(f"/units/{world['bpbd'].id}/accounts").get_data(as_text=True)
    token = csrf_token_from(page)
    for unit in (world["satpol"], world["bpbd"]):
        answer = other.post(
            f"/units/{unit.id}/accounts/handovers/{handover.id}",
            data={"csrf_token": token, "step": "password"},
        )
        assert answer.status_code == 404
    admin, _auth = signed_in(app, "admin@satpol.test")
    no_token = admin.post(
        f"/units/{world['satpol'].id}/accounts/handovers/{handover.id}", data={"step": "password"}
    )
    assert no_token.status_code == 400
    db.session.expire_all()
    assert all(t.done_at is None for t in db.session.get(Handover, handover.id).steps)
    coordinator, _auth = signed_in(app, "koordinator@test")
    flagged = coordinator.get("/accounts?flag=handover_overdue").get_data(as_text=True)
    assert "@satpolpp.sukamaju" in flagged and "Serah terima terlambat" in flagged


def test_posts_go_out_on_the_units_account_and_keep_it_fresh(app, world, make):
    """A post of a unit with one Instagram account goes out on it (also posts planned before the
    account was registered); the register reads the account's last post from them."""
    from datetime import UTC, datetime

    from calendarapp.content.models import ContentItem, ContentItemPlatform
    from calendarapp.content.services import walk_to
    from calendarapp.content.workflow import Status

    earlier = make.item(world["satpol"], "Sebelum akun", at=datetime(2026, 11, 20, 3, tzinfo=UTC))
    walk_to(earlier, Status.TAYANG, world["admin"])
    earlier.posted_at = datetime(2026, 11, 20, 3, tzinfo=UTC)
    db.session.commit()
    admin, _auth = signed_in(app, "admin@satpol.test")
    path = f"/units/{world['satpol'].id}/accounts"
    assert admin.post(path, data=form(admin, path)).status_code == 303
    account = db.session.scalar(sa.select(SocialAccount))
    db.session.expire_all()
    row = db.session.get(ContentItemPlatform, (earlier.id, Platform.INSTAGRAM))
    assert row.account_id == account.id  # the earlier post now goes out on it
    later = make.item(world["satpol"], "Sesudah akun")
    assert later.platforms[0].account_id == account.id
    page = admin.get(f"/items/{later.id}").get_data(as_text=True)
    assert "@satpolpp.sukamaju" in page
    coordinator, _auth = signed_in(app, "koordinator@test")
    register = coordinator.get("/accounts").get_data(as_text=True)
    assert "20 Nov 2026" in register  # the last post, read through the account
    other = make.item(world["bpbd"], "Unit lain")
    assert other.platforms[0].account_id is None  # BPBD registered no account
    assert db.session.get(ContentItem, other.id).platforms[0].platform == Platform.INSTAGRAM


def _no_session_in(response) -> None:
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")


def test_the_public_directory_never_sends_a_session_cookie_whoever_asks(client, auth, world):
    # signed in, then the same cookie from another browser: Flask-Login marks the session
    # "not fresh", a change that must not travel on a page a shared cache may keep
    auth.login("admin@satpol.test")
    _no_session_in(client.get("/akun-resmi", headers={"User-Agent": "Other browser/1.0"}))
    _no_session_in(client.get("/akun-resmi"))
    # an anonymous visitor with a message waiting for their next page
    anonymous = client.application.test_client()
    with anonymous.session_transaction() as session:
        session["_flashes"] = [("info", "Pesan untuk halaman berikutnya")]
    page = anonymous.get("/akun-resmi")
    _no_session_in(page)
    assert "Pesan untuk" not in page.get_data(as_text=True)
    # the message still waits for the visitor's next page
    assert "Pesan untuk halaman berikutnya" in anonymous.get("/login").get_data(as_text=True)
