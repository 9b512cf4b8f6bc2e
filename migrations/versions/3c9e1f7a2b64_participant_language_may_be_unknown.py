"""participant language may be unknown

A roster line without a language no longer gives the participant the questionnaire's default:
their pages follow their browser. Participants stored before keep the language they have.

Revision ID: 3c9e1f7a2b64
Revises: ef5f3a044ebf
Create Date: 2026-12-06 13:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c9e1f7a2b64'
down_revision = 'ef5f3a044ebf'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.alter_column('language', existing_type=sa.String(length=8), nullable=True)


def downgrade():
    op.execute("UPDATE participant SET language = 'en' WHERE language IS NULL")
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.alter_column('language', existing_type=sa.String(length=8), nullable=False)
