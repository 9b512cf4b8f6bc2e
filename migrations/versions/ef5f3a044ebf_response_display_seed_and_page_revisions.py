"""response display seed and page revisions

Each response gets the seed of the order in which its rankings list their items (drawn when it
starts; responses that exist already take their id, a value as stable), and the revision of
each page's last stored save, so that a late save from the browser's queue never overwrites a
newer one.

Revision ID: ef5f3a044ebf
Revises: 8a8f963887c1
Create Date: 2026-12-02 17:51:16.658351

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = 'ef5f3a044ebf'
down_revision = '8a8f963887c1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('display_seed', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('page_revisions', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True))

    op.execute("UPDATE response SET display_seed = id")

    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.alter_column('display_seed', existing_type=sa.Integer(), nullable=False)
        batch_op.create_check_constraint('display_seed_positive', 'display_seed > 0')


def downgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_constraint('display_seed_positive', type_='check')
        batch_op.drop_column('page_revisions')
        batch_op.drop_column('display_seed')
