"""staff tokens for the API

A staff member's named tokens for scripts that read the JSON API, each kept as the SHA-256 of
the token with when it was made and last used.

Revision ID: 5a12232b16e1
Revises: 53f50e354983
Create Date: 2026-12-07 13:10:09.663259

"""
from alembic import op
import sqlalchemy as sa

import survey.models._types


# revision identifiers, used by Alembic.
revision = '5a12232b16e1'
down_revision = '53f50e354983'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', survey.models._types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', survey.models._types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['staff_user.id'], name=op.f('fk_api_token_user_id_staff_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_user_id'))

    op.drop_table('api_token')
