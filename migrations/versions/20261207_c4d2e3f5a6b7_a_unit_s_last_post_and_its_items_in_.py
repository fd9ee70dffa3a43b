"""a unit's last post and its items in review found by index: unit, status, posted_at

Revision ID: c4d2e3f5a6b7
Revises: b3c1d2e4f5a6
Create Date: 2026-12-07 14:20:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "c4d2e3f5a6b7"
down_revision = "b3c1d2e4f5a6"
branch_labels = None
depends_on = None

NAME = "ix_content_item_unit_status_posted_at"


def upgrade():
    with op.batch_alter_table("content_item") as batch_op:
        batch_op.create_index(NAME, ["unit_id", "status", "posted_at"], unique=False)


def downgrade():
    with op.batch_alter_table("content_item") as batch_op:
        batch_op.drop_index(NAME)
