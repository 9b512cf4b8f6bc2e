"""staff password reset by e-mail

The SHA-256 of a reset link's token, unique, and when the link was sent (it works for an hour,
once; another is sent at most every few minutes).

Revision ID: 53f50e354983
Revises: f17dce542dac
Create Date: 2026-12-07 12:19:51.050538

"""
from alembic import op
import sqlalchemy as sa

import survey.models._types


# revision identifiers, used by Alembic.
revision = '53f50e354983'
down_revision = 'f17dce542dac'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reset_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('reset_sent_at', survey.models._types.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_staff_user_reset_hash'), ['reset_hash'])



def downgrade():
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_staff_user_reset_hash'), type_='unique')
        batch_op.drop_column('reset_sent_at')
        batch_op.drop_column('reset_hash')

