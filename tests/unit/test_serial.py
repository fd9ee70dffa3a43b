"""The calendar serial moves, by construction, on any write to any table but the exempt few:
ORM flushes, association tables, bulk and Core statements, text() and driver SQL alike, once per
transaction, on SQLite and PostgreSQL (calendarapp/changes.py)."""

from __future__ import annotations

import re
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from calendarapp import changes
from calendarapp.changes import EXEMPT, written_table
from calendarapp.content.models import ContentItem, Theme
from calendarapp.extensions import db
from calendarapp.notifications.models import Notification, NotificationKind
from tests.conftest import NOW


def moved(write) -> int:
    """How far one transaction doing `write()` moves the serial."""
    db.session.commit()
    before = changes.serial()
    write()
    db.session.commit()
    return changes.serial() - before


def test_every_table_is_read_from_its_statements_in_both_dialects(app):
    tables = db.metadata.sorted_tables
    assert len(tables) > 40
    for table in tables:
        for dialect in (sqlite.dialect(), postgresql.dialect()):
            for statement in (sa.insert(table), sa.update(table), sa.delete(table)):
                sql = str(statement.compile(dialect=dialect))
                assert written_table(sql, None) == table.name, sql
    assert written_table("SELECT * FROM unit FOR UPDATE SKIP LOCKED", None) is None
    assert written_table("CREATE TABLE probe (id INTEGER)", None) is None
    # a write whose table it cannot tell counts as calendar data
    assert written_table("WITH x AS (SELECT 1) UPDATE unit SET color = 'x'", None) == ""


def test_the_exempt_tables_exist_and_are_few(app):
    assert EXEMPT - {"alembic_version"} <= set(db.metadata.tables)
    assert len(EXEMPT) < len(db.metadata.tables) // 2


def test_a_write_to_any_table_but_the_exempt_moves_the_serial(app, make):
    """Every table of the schema, through a real statement in a real database."""
    for table in db.metadata.sorted_tables:
        step = moved(lambda t=table: db.session.execute(sa.delete(t).where(sa.false())))
        assert step == (0 if table.name in EXEMPT else 1), table.name


def test_every_way_of_writing_moves_it_once_per_transaction(app, make):
    unit = make.unit("Dinas Kesehatan", "Dinkes")
    user = make.user("admin@dinkes.test", {unit: "admin"})
    item = make.item(unit, "Posyandu keliling", at=NOW)
    db.session.commit()

    def orm_twice():
        db.session.add(Theme(name="Hari Kesehatan", starts_on=NOW.date(), ends_on=NOW.date()))
        db.session.flush()
        item.title = "Posyandu keliling Desa Mekar"

    assert moved(orm_twice) == 1
    assert moved(lambda: db.session.execute(sa.update(ContentItem).values(caption="x"))) == 1
    assert moved(lambda: db.session.execute(sa.text("UPDATE unit SET color = '#111111'"))) == 1
    assert moved(lambda: db.session.connection().exec_driver_sql("DELETE FROM assignment")) == 1
    assert (
        moved(
            lambda: db.session.execute(
                sa.text("WITH x AS (SELECT 1 AS one) UPDATE unit SET color = '#222222'")
            )
        )
        == 1
    )
    # an exempt table: a notice (the bell is outside every kept grid)
    notice = Notification(
        user=user, kind=NotificationKind.MONITORING_DIGEST, detail="", created_at=NOW
    )
    assert moved(lambda: db.session.add(notice)) == 0
    assert moved(lambda: db.session.execute(sa.select(Theme.id).with_for_update())) == 0


@pytest.mark.parametrize("then_write", [False, True])
def test_a_write_in_a_rolled_back_savepoint_still_moves_it(app, make, then_write):
    """Conservative: one more look for the readers, never a stale answer."""
    unit = make.unit("Dinas Kesehatan", "Dinkes")
    db.session.commit()

    def write():
        savepoint = db.session.begin_nested()
        db.session.execute(sa.text("UPDATE unit SET color = '#333333'"))
        savepoint.rollback()
        if then_write:
            unit.color = "#444444"

    assert moved(write) == 1


def test_no_kept_grid_or_feed_shows_a_comment():
    """Comments are exempt: nothing answered from the serial may show them."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    templates, package = root / "templates", root / "calendarapp"
    kept = [p for d in ("calendar", "tasks", "planning") for p in templates.glob(f"{d}/*")]
    sources = [*package.rglob("calendar_*.py"), *(package / "feeds").glob("*.py"),
               package / "tasks" / "services.py"]  # fmt: skip
    assert len(kept) > 5 and len(sources) > 5
    # (iCalendar's own COMMENT property, in capitals, is not one)
    assert [p.name for p in kept + sources if re.search("[Cc]omment", p.read_text())] == []


def test_the_serial_is_the_sum_of_its_slots_and_a_commit_takes_a_free_one(app, make):
    """No single row that every writer must lock (calendarapp/changes.py): while other commits
    hold every slot but one, a writer of calendar data still commits at once (PostgreSQL; SQLite
    lets one writer in at a time whatever the rows); while they hold every slot, it waits for
    one and still moves the serial."""
    unit = make.unit("Dinas A", "A")
    db.session.commit()
    engine, before = db.engine, changes.serial()
    rows = db.session.execute(sa.text("SELECT id, serial FROM calendar_change")).all()
    assert sorted(slot for slot, _value in rows) == list(range(1, changes.SLOTS + 1))
    assert before == sum(value for _slot, value in rows)
    with engine.begin() as other:  # another commit's slot: the serial is the sum
        other.execute(sa.text("UPDATE calendar_change SET serial = serial + 1 WHERE id = 7"))
    assert changes.serial() == before + 1
    if engine.dialect.name == "sqlite":
        with engine.begin() as writer:
            writer.execute(sa.text("UPDATE unit SET color = '#111111' WHERE id = :id"),
                           {"id": unit.id})  # fmt: skip
        assert changes.serial() == before + 2
        return

    def write(color: str) -> None:
        with engine.connect() as writer:
            writer.exec_driver_sql("SET lock_timeout = '5s'")
            writer.execute(sa.text("UPDATE unit SET color = :c WHERE id = :id"),
                           {"c": color, "id": unit.id})  # fmt: skip
            writer.commit()

    hold = "UPDATE calendar_change SET serial = serial + 1 WHERE id {} 5"
    with engine.connect() as holder, engine.connect() as last:
        holder.execute(sa.text(hold.format("<>")))  # fifteen slots held, as commits hold them
        holder.exec_driver_sql("SET lock_timeout = '2s'")
        write("#222222")  # takes the free slot at once (before: waited, here: timed out)
        last.execute(sa.text(hold.format("=")))  # now every slot is held
        waiting = threading.Thread(target=write, args=("#333333",))
        waiting.start()
        waiting.join(0.5)
        assert waiting.is_alive()  # it waits for a slot ...
        holder.commit()
        last.commit()
        waiting.join(10)
        assert not waiting.is_alive()  # ... and takes one when it is free
    # the one above, the first writer, fifteen and one held slots, the writer that waited
    assert changes.serial() == before + 1 + 1 + changes.SLOTS + 1
    assert db.session.scalar(sa.select(sa.text("color")).select_from(sa.text("unit"))
                             .where(sa.text(f"id = {unit.id}"))) == "#333333"  # fmt: skip


def test_writers_of_calendar_data_do_not_wait_for_each_others_transactions(app, make):
    """A slot of the serial is locked only while a transaction commits: on PostgreSQL a second
    writer commits while the first is still open (before, it waited for the first's commit)."""
    first_unit, second_unit = make.unit("Dinas A", "A"), make.unit("Dinas B", "B")
    db.session.commit()
    before = changes.serial()
    with db.engine.connect() as first:
        first.execute(sa.text("UPDATE unit SET color = '#111111' WHERE id = :id"),
                      {"id": first_unit.id})  # fmt: skip
        if db.engine.dialect.name == "sqlite":  # one writer at a time, whatever we do
            first.commit()
        with db.engine.connect() as second:
            if db.engine.dialect.name == "postgresql":
                second.exec_driver_sql("SET lock_timeout = '2s'")
            second.execute(sa.text("UPDATE unit SET color = '#222222' WHERE id = :id"),
                           {"id": second_unit.id})  # fmt: skip
            second.commit()  # on PostgreSQL: while the first is open
        first.commit()
    db.session.expire_all()
    assert changes.serial() == before + 2
