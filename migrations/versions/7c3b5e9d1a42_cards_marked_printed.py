"""a link's card can be marked printed

The cards page lists the cards still to print (new participants, new links) once an organiser
marks the cards printed. Links issued before have no mark: their cards count as not printed
until an organiser marks them.

Revision ID: 7c3b5e9d1a42
Revises: 5d2a8e4c7b19
Create Date: 2026-12-06 22:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import survey.models._types


# revision identifiers, used by Alembic.
revision = '7c3b5e9d1a42'
down_revision = '5d2a8e4c7b19'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('card_printed_at', survey.models._types.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_column('card_printed_at')
