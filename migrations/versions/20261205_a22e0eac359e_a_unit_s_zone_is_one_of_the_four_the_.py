"""a unit's zone is one of the four the forms offer

Revision ID: a22e0eac359e
Revises: 24280929d94c
Create Date: 2026-12-05 22:29:50.829302

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = 'a22e0eac359e'
down_revision = '24280929d94c'
branch_labels = None
depends_on = None


# The four zones the forms offer (calendarapp.timeutil.ZONE_LABELS), written out: a migration
# keeps the schema of its day.
ZONES = "('Asia/Jakarta', 'Asia/Pontianak', 'Asia/Makassar', 'Asia/Jayapura')"


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        op.create_check_constraint(op.f("ck_unit_known_zone"), "unit", f"timezone IN {ZONES}")
        return
    # SQLite adds a CHECK only by copying the table, and dropping the old `unit` would delete
    # every row that cascades from it: triggers refuse the same rows instead.
    for event in ("INSERT", "UPDATE OF timezone"):
        name = "unit_known_zone_" + event.split()[0].lower()
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {event} ON unit"
            f" WHEN NEW.timezone NOT IN {ZONES}"
            " BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: known_zone'); END"
        )


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("ck_unit_known_zone"), "unit", type_="check")
        return
    op.execute("DROP TRIGGER unit_known_zone_insert")
    op.execute("DROP TRIGGER unit_known_zone_update")
