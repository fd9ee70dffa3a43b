"""Tugas Saya and the notification bell."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from calendarapp import clock
from calendarapp.accounts.models import Role
from calendarapp.content import services
from calendarapp.content.models import AssigneeRole, Assignment, ContentFormat, ContentItem
from calendarapp.content.services import walk_to
from calendarapp.content.workflow import Status
from calendarapp.extensions import db
from tests.conftest import NOW


@pytest.fixture
def work(make):
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    admin = make.user("admin@satpol.test", {satpol: Role.ADMIN}, name="Yuni Astuti")
    writer = make.user("penulis@satpol.test", {satpol: Role.CONTRIBUTOR}, name="Rudi")
    make.user("lain@satpol.test", {satpol: Role.CONTRIBUTOR})

    def assigned(title, at, status=Status.DRAF, due=None):
        item = make.item(satpol, title, at=at)
        item.draft_due_at = due
        item.assignments.append(Assignment(user=writer, role=AssigneeRole.PENULIS))
        walk_to(item, status, admin)
        db.session.commit()
        return item

    return {
        "satpol": satpol,
        "admin": admin,
        "writer": writer,
        "late": assigned("Terlambat", NOW + timedelta(days=3), due=NOW - timedelta(hours=2)),
        "soon": assigned("Segera", NOW + timedelta(days=2)),
        "later": assigned("Nanti", NOW + timedelta(days=20)),
        "review": assigned("Tinjau", NOW + timedelta(days=1), status=Status.DITINJAU),
        "done": assigned("Selesai", NOW - timedelta(days=1), status=Status.TAYANG),
    }


def ids_in(html: str, group: str) -> set[int]:
    if f"task-{group}" not in html:
        return set()
    part = html[html.index(f"task-{group}") :]
    part = part[: part.find("</section>")]
    return {int(i) for i in re.findall(r'data-item-id="(\d+)"', part)}


def test_a_contributor_sees_their_work_by_due_date(client, auth, work):
    auth.login("penulis@satpol.test")
    html = client.get("/tasks").get_data(as_text=True)
    assert "Tugas Saya" in html
    assert ids_in(html, "overdue") == {work["late"].id}
    assert ids_in(html, "soon") == {work["soon"].id, work["review"].id}
    assert ids_in(html, "later") == {work["later"].id}
    assert f'data-item-id="{work["done"].id}"' not in html


def test_two_roles_on_one_item_show_once_with_both(client, auth, work):
    work["soon"].assignments.append(Assignment(user=work["writer"], role=AssigneeRole.FOTOGRAFER))
    db.session.commit()
    auth.login("penulis@satpol.test")
    html = client.get("/tasks").get_data(as_text=True)
    assert html.count(f'data-item-id="{work["soon"].id}"') == 1
    assert "ditugaskan kepada Anda (Penulis, Fotografer)" in html
    # the item in review is the writer's as writer, not as reviewer
    assert ids_in(html, "soon") == {work["soon"].id, work["review"].id}


def test_a_kept_list_moves_a_task_the_minute_it_turns_overdue(
    client, auth, work, make, count_queries
):
    """Tugas Saya is kept between looks (calendarapp/kept.py) only until its next turn: a task
    due at 02.05 is "soon" at 02.02 and overdue at 02.06, within the same quarter hour."""
    due = NOW + timedelta(minutes=5)
    item = make.item(work["satpol"], "Tepat waktu", at=NOW + timedelta(days=2))
    item.draft_due_at = due
    item.assignments.append(Assignment(user=work["writer"], role=AssigneeRole.PENULIS))
    db.session.commit()
    auth.login("penulis@satpol.test")
    with clock.frozen(NOW + timedelta(minutes=2)):
        assert item.id in ids_in(client.get("/tasks").get_data(as_text=True), "soon")
    with clock.frozen(NOW + timedelta(minutes=4)), count_queries() as kept:
        assert item.id in ids_in(client.get("/tasks").get_data(as_text=True), "soon")
    assert kept.count <= 3  # answered from the kept list
    with clock.frozen(NOW + timedelta(minutes=6)):
        html = client.get("/tasks").get_data(as_text=True)
    assert item.id in ids_in(html, "overdue") and item.id not in ids_in(html, "soon")


def test_the_admin_sees_what_waits_for_review(client, auth, work):
    auth.login("admin@satpol.test")
    html = client.get("/tasks").get_data(as_text=True)
    assert ids_in(html, "soon") == {work["review"].id}
    assert "menunggu tinjauan Anda" in html


def test_someone_without_work_is_told_so(client, auth, work):
    auth.login("lain@satpol.test")
    assert "Tidak ada tugas yang menunggu" in client.get("/tasks").get_data(as_text=True)


def test_my_work_runs_the_same_queries_for_few_and_many_items(
    client, auth, work, make, count_queries
):
    auth.login("penulis@satpol.test")
    counts = []
    for total in (3, 120):
        for n in range(total):
            item = ContentItem(
                unit=work["satpol"],
                title=f"Tugas {n}",
                format=ContentFormat.FOTO,
                planned_at=NOW + timedelta(days=n % 30),
            )
            item.assignments.append(Assignment(user=work["writer"], role=AssigneeRole.DESAINER))
            db.session.add(item)
        db.session.commit()
        with count_queries() as counter:
            assert client.get("/tasks").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_the_bell_counts_unread_notifications_and_clears(client, auth, work):
    item = services.create_item(
        work["satpol"],
        "Baru",
        format=ContentFormat.FOTO,
        planned_at=datetime(2026, 11, 30, 2, tzinfo=UTC),
        created_by=work["admin"],
    )
    item.assignments.append(Assignment(user=work["writer"], role=AssigneeRole.PENULIS))
    services.add_comment(item, work["admin"], "Tolong fotonya diperbaiki")
    db.session.commit()
    auth.login("penulis@satpol.test")
    badge = client.get("/notifications/badge", headers={"HX-Request": "true"}).get_data(True)
    unread = int(re.search(r'data-unread="(\d+)"', badge).group(1))
    assert unread >= 1
    page = client.get("/notifications").get_data(as_text=True)
    assert "mengomentari" in page and "Baru" in page
    assert client.post("/notifications/read").status_code == 400  # no CSRF token
    client.post("/notifications/read", data={"csrf_token": auth.csrf("/notifications")})
    badge = client.get("/notifications/badge", headers={"HX-Request": "true"}).get_data(True)
    assert "data-unread" not in badge


def test_notifications_are_private(client, auth, work):
    services.add_comment(work["soon"], work["admin"], "Untuk penulis")
    db.session.commit()
    auth.login("lain@satpol.test")
    assert "Untuk penulis" not in client.get("/notifications").get_data(as_text=True)
    assert "Segera" not in client.get("/notifications").get_data(as_text=True)
