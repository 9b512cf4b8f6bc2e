"""a response's first save, apart from its first opening

Opening a wave's first page starts the response, also when a mail scanner or a chat app's
preview opens the participant's link; the participant's own first act (consent, a page saved,
the submit) is kept apart, and only responses with one count as begun. Existing web responses
take their consent time, or else, where they were written to, their start (the best known).

Revision ID: 7b33c996b4d7
Revises: 5a12232b16e1
Create Date: 2026-12-07 15:11:28.113306

"""
from alembic import op
import sqlalchemy as sa

import survey.models._types


# revision identifiers, used by Alembic.
revision = '7b33c996b4d7'
down_revision = '5a12232b16e1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_saved_at', survey.models._types.UTCDateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE response SET first_saved_at = COALESCE(consent_at, started_at) "
        "WHERE source = 'WEB' AND (consent_at IS NOT NULL OR updated_at > started_at "
        "OR status = 'SUBMITTED' "
        "OR EXISTS (SELECT 1 FROM answer WHERE answer.response_id = response.id))"
    )


def downgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_column('first_saved_at')
