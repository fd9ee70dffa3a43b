"""the head's link waits a day: a reminder to its sender

Revision ID: 8d7c6c61ae17
Revises: 673beb6bc920
Create Date: 2026-12-07 06:06:18.415657

"""
from alembic import op
import sqlalchemy as sa

OLD_KINDS = (
    'assigned', 'review_requested', 'revision_requested', 'approved', 'comment',
    'coverage_requested', 'coverage_accepted', 'coverage_declined', 'coverage_delivered',
    'coverage_returned', 'coverage_done', 'coverage_cancelled', 'coverage_due_soon',
    'coverage_overdue', 'mentoring_note', 'rtl_assigned', 'rtl_overdue', 'rtl_finished',
    'monitoring_digest', 'member_left', 'followers_due', 'review_waiting', 'review_stuck',
    'review_overdue', 'head_decided',
)
NEW_KINDS = OLD_KINDS + ('head_waiting',)


def _kinds(kinds):
    return 'kind IN (%s)' % ', '.join("'%s'" % k for k in kinds)

import calendarapp.timeutil


# revision identifiers, used by Alembic.
revision = '8d7c6c61ae17'
down_revision = '673beb6bc920'
branch_labels = None
depends_on = None


def upgrade():
    # a batch copy of `notification` is safe: migrations run with SQLite's foreign keys off
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notification_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notification_kind'), _kinds(NEW_KINDS))


def downgrade():
    op.execute("DELETE FROM notification WHERE kind = 'head_waiting'")
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notification_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notification_kind'), _kinds(OLD_KINDS))
