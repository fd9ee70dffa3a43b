"""The reads that grew with a region's data find their rows by index: the backlog's undated
ideas, each unit's last post and its items in review (Pantauan). At a kabupaten's size the
backlog scanned every timed item (7.9 ms of a month) and the last post every published post of
85 units (11 ms of Pantauan). Both engines must hold the indexes; SQLite's plan (chosen from the
schema, not from row counts) must use them. PostgreSQL picks by statistics that a test's few
rows do not give, so its plan is not asserted."""

from datetime import date

import sqlalchemy as sa

from calendarapp.calendar.picks import NO_FILTERS, backlog
from calendarapp.extensions import db
from calendarapp.monitoring import services as monitoring


def _indexes() -> dict[str, list[str]]:
    found = sa.inspect(db.session.connection()).get_indexes("content_item")
    return {index["name"]: index["column_names"] for index in found}


def _plans(call) -> str:
    """SQLite's plans of the statements `call()` runs, as it would run them; "" on PostgreSQL."""
    ran: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        ran.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        return ""
    explained = [
        str(row[-1])
        for statement, parameters in ran
        for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
    ]
    assert explained  # the call ran its statements
    return "\n".join(explained)


def _sqlite() -> bool:
    return db.session.connection().dialect.name == "sqlite"


def test_the_backlog_finds_undated_ideas_by_index(app, make):
    unit = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    assert _indexes()["ix_content_item_unit_planned_date"] == [
        "unit_id", "planned_date", "planned_at",
    ]  # fmt: skip
    plan = _plans(lambda: backlog([unit.id], NO_FILTERS))
    assert "ix_content_item_unit_planned_date" in plan or not _sqlite()


def test_pantauan_finds_last_posts_and_reviews_by_index(app, make):
    units = [make.unit("Satuan Polisi Pamong Praja", "Satpol PP"), make.unit("BPBD", "BPBD")]
    ids = [u.id for u in units]
    assert _indexes()["ix_content_item_unit_status_posted_at"] == [
        "unit_id", "status", "posted_at",
    ]  # fmt: skip
    for call in (
        lambda: monitoring._last_posted(ids, None),
        lambda: monitoring._last_posted(ids, date(2026, 11, 30)),
        lambda: monitoring._in_review(ids),
    ):
        plan = _plans(call)
        assert "ix_content_item_unit_status_posted_at" in plan or not _sqlite()
