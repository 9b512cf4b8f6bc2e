"""findings shared with participants

Since when a workshop's organisers share the dashboard's findings with its participants (none
are shared until they choose to).

Revision ID: bf6fdce0890d
Revises: 7b33c996b4d7
Create Date: 2026-12-07 15:32:02.000000

"""
from alembic import op
import sqlalchemy as sa

import survey.models._types


# revision identifiers, used by Alembic.
revision = 'bf6fdce0890d'
down_revision = '7b33c996b4d7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('findings_shared_at', survey.models._types.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_column('findings_shared_at')
