"""Items through the web: create, edit, steps, comments, checklist, conflicts; htmx and not."""

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from calendarapp.content.models import AssigneeRole, ChecklistEntry, ContentItem, Theme
from calendarapp.content.services import walk_to
from calendarapp.content.workflow import Status
from calendarapp.extensions import db
from tests.conftest import Auth, IsolatedClient, csrf_token_from

HX = {"HX-Request": "true"}


def form_data(client, path="/items/new?date=2026-11-25", **fields):
    html = client.get(path).get_data(as_text=True)
    data = dict(
        re.findall(
            r'<input[^>]*name="(csrf_token|creation_token|version|unit)"[^>]*value="([^"]*)"', html
        )
    )
    data.update(
        {
            "title": "Patroli pasar malam",
            "format": "foto",
            "planned_date": "2026-11-25",
            "planned_time": "09:00",
            "platforms": ["instagram", "facebook"],
        }
    )
    data.update(fields)
    return data


def count_items() -> int:
    return db.session.scalar(sa.select(sa.func.count(ContentItem.id)))


def test_an_admin_creates_an_item_without_javascript(client, auth, team):
    auth.login("admin@satpol.test")
    data = form_data(client, writers=[str(team["writer"].id)])
    response = client.post("/items/new", data=data)
    assert response.status_code == 303
    item = db.session.scalar(sa.select(ContentItem))
    assert response.headers["Location"] == f"/items/{item.id}"
    assert item.title == "Patroli pasar malam" and item.status == Status.IDE
    assert item.planned_at == datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
    assert [(a.user.email, a.role) for a in item.assignments] == [
        ("penulis@satpol.test", AssigneeRole.PENULIS)
    ]
    assert {p.platform.value for p in item.platforms} == {"instagram", "facebook"}


def test_the_dialog_form_creates_and_tells_the_calendar_to_refresh(client, auth, team):
    auth.login("admin@satpol.test")
    dialog = client.get(f"/items/new?date=2026-11-25&unit={team['satpol'].id}", headers=HX)
    html = dialog.get_data(as_text=True)
    assert "<html" not in html and 'id="item-form"' in html and 'value="2026-11-25"' in html
    response = client.post("/items/new", data=form_data(client), headers=HX)
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "itemsChanged"
    assert "data-saved-item" in response.get_data(as_text=True)
    month = client.get("/calendar/month?month=2026-11").get_data(as_text=True)
    assert "Patroli pasar malam" in month


def test_a_double_submit_creates_one_item(client, auth, team):
    auth.login("admin@satpol.test")
    data = form_data(client)
    first = client.post("/items/new", data=data)
    second = client.post("/items/new", data=data)
    assert first.headers["Location"] == second.headers["Location"]
    assert count_items() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ""}, "Isian ini wajib diisi."),
        ({"title": "x" * 201}, "Isian tidak boleh lebih dari 200 karakter."),
        ({"planned_date": "2026-02-30"}, "Tanggal tidak valid."),
        ({"format": "meme"}, "Pilihan tidak valid."),
        ({"platforms": ["myspace"]}, "bukan pilihan yang valid"),
        ({"planned_date": "", "planned_time": "09:00"}, "Waktu memerlukan tanggal."),
        ({"draft_due": "2026-11-26T10:00"}, "Draf harus selesai sebelum jadwal tayang."),
    ],
)
def test_bad_input_re_renders_the_form_with_a_message_and_saves_nothing(
    client, auth, team, fields, message
):
    auth.login("admin@satpol.test")
    response = client.post("/items/new", data=form_data(client, **fields), headers=HX)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and 'id="item-form"' in html
    assert count_items() == 0


def test_another_units_theme_or_member_is_refused(client, auth, team):
    theme = Theme(unit=team["bpbd"], name="Siaga Bencana")
    db.session.add(theme)
    db.session.commit()
    auth.login("admin@satpol.test")
    with_theme = client.post("/items/new", data=form_data(client, theme=str(theme.id)))
    assert with_theme.status_code == 422 and "Pilihan tidak valid." in with_theme.get_data(True)
    with_member = client.post(
        "/items/new", data=form_data(client, photographers=[str(team["outsider"].id)])
    )
    assert with_member.status_code == 422
    another_unit = client.post("/items/new", data=form_data(client, unit=str(team["bpbd"].id)))
    assert another_unit.status_code == 404
    assert count_items() == 0


def test_a_malformed_date_in_the_address_answers_400(client, auth, team):
    auth.login("admin@satpol.test")
    assert client.get("/items/new?date=25-11-2026").status_code == 400


@pytest.mark.parametrize("who", ["writer", "coordinator", "outsider"])
def test_only_admins_and_editors_of_a_unit_plan_new_items_there(client, auth, team, who):
    auth.login(team[who].email)
    if who == "outsider":
        response = client.post("/items/new", data=form_data(client, unit=str(team["satpol"].id)))
        assert response.status_code == 404
    else:
        assert client.get("/items/new").status_code == 404
    assert count_items() == 0


def make_item(make, team, **kwargs):
    item = make.item(team["satpol"], "Edukasi Perda", at=datetime(2026, 11, 26, 3, tzinfo=UTC))
    for name, value in kwargs.items():
        setattr(item, name, value)
    db.session.commit()
    return item


def step(client, item_id, target, version, **extra):
    token = csrf_token_from(client.get(f"/items/{item_id}").get_data(as_text=True))
    data = {"csrf_token": token, "target": target, "version": str(version), **extra}
    return client.post(f"/items/{item_id}/status", data=data, headers=extra.pop("headers", {}))


def test_a_contributor_moves_their_assignment_to_review(client, auth, team, make):
    item = make_item(make, team)
    from calendarapp.content.models import Assignment

    item.assignments.append(Assignment(user=team["writer"], role=AssigneeRole.PENULIS))
    db.session.commit()
    auth.login("penulis@satpol.test")
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "Mulai draf" in page and "Setujui" not in page
    assert step(client, item.id, "draf", item.version).status_code == 303
    db.session.expire_all()
    response = client.post(
        f"/items/{item.id}/status",
        data={
            "csrf_token": auth.csrf(f"/items/{item.id}"),
            "target": "ditinjau",
            "version": str(item.version),
        },
        headers=HX,
    )
    assert response.status_code == 200 and response.headers["HX-Trigger"] == "itemsChanged"
    assert "Ditinjau" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ContentItem, item.id).status == Status.DITINJAU


def test_a_refused_step_says_why_and_changes_nothing(client, auth, team, make):
    item = make_item(make, team)
    auth.login("admin@satpol.test")
    response = step(client, item.id, "tayang", item.version)
    assert response.status_code == 422
    assert "tidak dapat berpindah" in response.get_data(as_text=True)
    unknown = step(client, item.id, "viral", item.version)
    assert unknown.status_code == 422
    db.session.expire_all()
    assert db.session.get(ContentItem, item.id).status == Status.IDE


def test_the_admin_asks_for_revision_approves_schedules_and_marks_published(
    client, auth, team, make
):
    item = make_item(make, team)
    walk_to(item, Status.DITINJAU, team["admin"])
    db.session.commit()
    auth.login("admin@satpol.test")
    revise = step(client, item.id, "perlu_revisi", item.version, note="Judul foto belum ada")
    assert revise.status_code == 303
    db.session.expire_all()
    item = db.session.get(ContentItem, item.id)
    for target in ("draf", "ditinjau"):
        db.session.expire_all()
        step(client, item.id, target, db.session.get(ContentItem, item.id).version)
    db.session.expire_all()
    item = db.session.get(ContentItem, item.id)
    for entry in db.session.scalars(sa.select(ChecklistEntry).where(ChecklistEntry.required)):
        token = auth.csrf(f"/items/{item.id}")
        ticked = client.post(
            f"/items/{item.id}/checklist",
            data={"csrf_token": token, "entry": entry.id, "checked": "y"},
        )
        assert ticked.status_code == 303
    db.session.expire_all()
    assert (
        step(client, item.id, "disetujui", db.session.get(ContentItem, item.id).version).status_code
        == 303
    )
    db.session.expire_all()
    assert (
        step(client, item.id, "terjadwal", db.session.get(ContentItem, item.id).version).status_code
        == 303
    )
    db.session.expire_all()
    bad = step(
        client,
        item.id,
        "tayang",
        db.session.get(ContentItem, item.id).version,
        link_instagram="bukan tautan",
    )
    assert bad.status_code == 422
    done = step(
        client,
        item.id,
        "tayang",
        db.session.get(ContentItem, item.id).version,
        link_instagram="https://www.instagram.com/p/xyz/",
        link_facebook="https://www.facebook.com/satpolpp/posts/9",
    )
    assert done.status_code == 303
    db.session.expire_all()
    item = db.session.get(ContentItem, item.id)
    assert item.status == Status.TAYANG and len(item.posted_links) == 2
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "Judul foto belum ada" in page  # the revision note stays in comments and history
    assert page.count("Yuni Astuti") >= 5


def test_two_people_editing_never_overwrite_each_other_silently(app, team, make):
    item = make_item(make, team)
    admin, editor = (
        IsolatedClient(app, app.response_class, use_cookies=True),
        IsolatedClient(app, app.response_class, use_cookies=True),
    )
    Auth(admin).login("admin@satpol.test")
    Auth(editor).login("editor@satpol.test")
    admin_form = form_data(admin, f"/items/{item.id}", title="Edukasi Perda Ketertiban Umum")
    editor_form = form_data(editor, f"/items/{item.id}", title="Edukasi Perda Pedagang Kaki Lima")
    assert admin.post(f"/items/{item.id}", data=admin_form).status_code == 303
    conflict = editor.post(f"/items/{item.id}", data=editor_form, headers=HX)
    assert conflict.status_code == 409
    html = conflict.get_data(as_text=True)
    assert "Yuni Astuti" in html
    assert "Edukasi Perda Ketertiban Umum" in html and "Edukasi Perda Pedagang Kaki Lima" in html
    db.session.expire_all()
    assert db.session.get(ContentItem, item.id).title == "Edukasi Perda Ketertiban Umum"
    # the editor re-applies knowingly: the conflict form carries the new version
    again = dict(editor_form, version=re.search(r'name="version"[^>]*value="(\d+)"', html).group(1))
    assert editor.post(f"/items/{item.id}", data=again).status_code == 303
    db.session.expire_all()
    assert db.session.get(ContentItem, item.id).title == "Edukasi Perda Pedagang Kaki Lima"


def test_a_step_from_a_stale_page_answers_409(client, auth, team, make):
    item = make_item(make, team)
    auth.login("admin@satpol.test")
    old = item.version
    assert step(client, item.id, "draf", old).status_code == 303
    stale = step(client, item.id, "dibatalkan", old, note="Batal")
    assert stale.status_code == 409
    db.session.expire_all()
    assert db.session.get(ContentItem, item.id).status == Status.DRAF


def test_comments_from_the_unit_and_the_coordinator(client, auth, team, make):
    item = make_item(make, team)
    auth.login("koordinator@kominfo.test")
    token = auth.csrf(f"/items/{item.id}")
    response = client.post(
        f"/items/{item.id}/comments",
        data={"csrf_token": token, "body": "Caption terlalu pendek"},
        headers=HX,
    )
    assert response.status_code == 200 and "Caption terlalu pendek" in response.get_data(True)
    empty = client.post(
        f"/items/{item.id}/comments", data={"csrf_token": token, "body": "  "}, headers=HX
    )
    assert empty.status_code == 422
    # the coordinator comments but does not edit
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "Simpan perubahan" not in page
    assert (
        client.post(f"/items/{item.id}", data=form_data(client, f"/items/{item.id}")).status_code
        == 403
    )


def test_the_date_field_moves_an_item_keeping_its_time(client, auth, team, make):
    item = make_item(make, team)
    auth.login("editor@satpol.test")
    token = auth.csrf(f"/items/{item.id}")
    response = client.post(
        f"/items/{item.id}/move",
        data={"csrf_token": token, "date": "2026-11-28", "version": item.version},
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(ContentItem, item.id).planned_at == datetime(2026, 11, 28, 3, tzinfo=UTC)
    bad = client.post(
        f"/items/{item.id}/move", data={"csrf_token": token, "date": "kemarin", "version": 1}
    )
    assert bad.status_code == 422


# ---- the permission matrix ------------------------------------------------------------------

ROUTES = ["detail", "update", "status", "comment", "checklist", "move"]
EXPECTED = {
    # who: detail, update, status (Ide -> Draf), comment, checklist, move
    "admin": (200, 303, 303, 303, 303, 303),
    "editor": (200, 303, 303, 303, 303, 303),
    "writer": (200, 303, 303, 303, 303, 422),  # assigned: words and steps, not the schedule
    "idle": (200, 403, 422, 303, 422, 422),  # a member without a part: reads and comments
    "coordinator": (200, 403, 422, 303, 422, 422),
    "outsider": (404, 404, 404, 404, 404, 404),
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_the_permission_matrix_for_items(client, auth, team, make, who):
    from calendarapp.content.models import Assignment

    item = make_item(make, team)
    item.assignments.append(Assignment(user=team["writer"], role=AssigneeRole.PENULIS))
    db.session.commit()
    auth.login(team[who].email)
    token = auth.csrf("/calendar/month")
    entry = db.session.scalar(sa.select(ChecklistEntry))
    version = lambda: str(db.session.get(ContentItem, item.id).version)  # noqa: E731
    calls = {
        "detail": lambda: client.get(f"/items/{item.id}"),
        "update": lambda: client.post(
            f"/items/{item.id}",
            data={
                "csrf_token": token,
                "unit": team["satpol"].id,
                "title": "Judul baru",
                "format": "foto",
                "version": version(),
            },
        ),
        "status": lambda: client.post(
            f"/items/{item.id}/status",
            data={"csrf_token": token, "target": "draf", "version": version()},
        ),
        "comment": lambda: client.post(
            f"/items/{item.id}/comments", data={"csrf_token": token, "body": "Catatan"}
        ),
        "checklist": lambda: client.post(
            f"/items/{item.id}/checklist",
            data={"csrf_token": token, "entry": entry.id, "checked": "y"},
        ),
        "move": lambda: client.post(
            f"/items/{item.id}/move",
            data={"csrf_token": token, "date": "2026-11-30", "version": version()},
        ),
    }
    got = []
    for route in ROUTES:
        db.session.expire_all()
        got.append(calls[route]().status_code)
    assert tuple(got) == EXPECTED[who]


def test_anonymous_visitors_are_sent_to_sign_in_for_every_item_route(client, team, make):
    item = make_item(make, team)
    assert client.get(f"/items/{item.id}").status_code == 302
    assert client.get("/items/new").status_code == 302
    for path in ("status", "comments", "checklist", "move"):
        assert client.post(f"/items/{item.id}/{path}").status_code in (302, 400)


def test_review_shows_open_required_and_recommended_checks(client, auth, team, make):
    item = make_item(make, team)
    walk_to(item, Status.DITINJAU, team["admin"])
    db.session.commit()
    auth.login("admin@satpol.test")
    html = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "Butir wajib yang belum dicentang" in html
    assert "Butir yang disarankan belum dicentang" in html


# ---- sections that render themselves --------------------------------------------------------


def others_read(counter, tables=("coverage_request", "mentoring_note", "checklist_entry")) -> bool:
    """Whether these statements read another part of the item page."""
    return any(f"FROM {t}" in s for s in counter.statements for t in tables)


def test_a_comment_sent_with_htmx_swaps_only_the_comments(client, auth, team, make, count_queries):
    item = make_item(make, team)
    auth.login("admin@satpol.test")
    token = auth.csrf(f"/items/{item.id}")
    with count_queries() as whole:
        whole_html = client.get(f"/items/{item.id}", headers=HX).get_data(as_text=True)
    with count_queries() as sent:
        response = client.post(
            f"/items/{item.id}/comments",
            data={"csrf_token": token, "body": "Fotonya dari sisi timur pasar"},
            headers=HX,
        )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="card comments" id="comments-')
    assert "Fotonya dari sisi timur pasar" in html
    assert 'id="item-detail"' not in html and "Riwayat" not in html  # not the history, not the item
    assert 'name="body"' in html and "Fotonya" not in html.split('name="body"')[1]  # emptied
    # the section reads what it shows: fewer reads than the whole item
    # the section reads and sends what it shows: not the item's coverage, mentoring or checklist
    assert others_read(whole) and not others_read(sent)
    assert len(html) * 3 < len(whole_html)
    empty = client.post(
        f"/items/{item.id}/comments", data={"csrf_token": token, "body": "  "}, headers=HX
    )
    assert empty.status_code == 422
    assert 'id="comments-' in empty.get_data(as_text=True)
    assert "wajib diisi" in empty.get_data(as_text=True)  # the form's own check, by the field
    db.session.expire_all()
    assert [c.body for c in db.session.get(ContentItem, item.id).comments] == [
        "Fotonya dari sisi timur pasar"
    ]


def test_a_tick_with_htmx_swaps_the_checklist_and_the_steps_out_of_band(
    client, auth, team, make, count_queries
):
    item = make_item(make, team)
    walk_to(item, Status.DITINJAU, team["admin"])
    db.session.commit()
    auth.login("admin@satpol.test")
    required = db.session.scalars(sa.select(ChecklistEntry).where(ChecklistEntry.required)).all()
    assert required, "the migrations seed a required check"
    token = auth.csrf(f"/items/{item.id}")
    page = client.get(f"/items/{item.id}", headers=HX).get_data(as_text=True)
    assert "Butir wajib yang belum dicentang" in page
    with count_queries() as whole:
        client.get(f"/items/{item.id}", headers=HX)
    responses = []
    for entry in required:
        with count_queries() as ticked:
            responses.append(
                client.post(
                    f"/items/{item.id}/checklist",
                    data={"csrf_token": token, "entry": entry.id, "checked": "y"},
                    headers=HX,
                )
            )
        assert not others_read(ticked, tables=("coverage_request", "mentoring_note"))
    assert others_read(whole, tables=("coverage_request", "mentoring_note"))
    last = responses[-1].get_data(as_text=True)
    assert all(r.status_code == 200 for r in responses)
    assert f'id="checklist-{item.id}"' in last
    assert f'<div id="steps-{item.id}" hx-swap-oob="true">' in last
    assert (
        "Butir wajib yang belum dicentang" not in last
    )  # the steps no longer list open required checks
    assert 'id="item-detail"' not in last
    db.session.expire_all()
    assert {t.entry_id for t in db.session.get(ContentItem, item.id).ticks} >= {
        e.id for e in required
    }
    unknown = client.post(
        f"/items/{item.id}/checklist",
        data={"csrf_token": token, "entry": 2**30, "checked": "y"},
        headers=HX,
    )
    assert unknown.status_code == 422
    assert f'id="checklist-{item.id}"' in unknown.get_data(as_text=True)
