"""the calendar serial in sixteen slots: a commit moves one no other commit holds

Revision ID: d5e6f7a8b9c0
Revises: c4d2e3f5a6b7
Create Date: 2026-12-07 18:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d5e6f7a8b9c0"
down_revision = "c4d2e3f5a6b7"
branch_labels = None
depends_on = None

SLOTS = 16  # calendarapp.changes.SLOTS when written
change = sa.table(
    "calendar_change", sa.column("id", sa.Integer), sa.column("serial", sa.BigInteger)
)


def upgrade():
    # the serial is the sum of the slots: the new ones start at nought, so it does not move back
    op.bulk_insert(change, [{"id": slot, "serial": 0} for slot in range(2, SLOTS + 1)])


def downgrade():
    # one row again, holding the sum: the serial still only goes forward
    op.execute(
        "UPDATE calendar_change SET serial = (SELECT sum(serial) FROM calendar_change) WHERE id = 1"
    )
    op.execute("DELETE FROM calendar_change WHERE id > 1")
