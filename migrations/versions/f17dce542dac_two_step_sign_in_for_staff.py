"""two-step sign-in for staff

An authenticator app's shared secret per staff account (none: the password alone signs in),
the last time step whose code was taken, and single-use recovery codes, kept as SHA-256.

Revision ID: f17dce542dac
Revises: 9941aee35d14
Create Date: 2026-12-07 12:09:06.662832

"""
from alembic import op
import sqlalchemy as sa

import survey.models._types


# revision identifiers, used by Alembic.
revision = 'f17dce542dac'
down_revision = '9941aee35d14'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('staff_recovery_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('used_at', survey.models._types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['staff_user.id'], name=op.f('fk_staff_recovery_code_user_id_staff_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_recovery_code'))
    )
    with op.batch_alter_table('staff_recovery_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_recovery_code_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('two_step_secret', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('two_step_since', survey.models._types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('two_step_last_step', sa.Integer(), nullable=True))



def downgrade():
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_column('two_step_last_step')
        batch_op.drop_column('two_step_since')
        batch_op.drop_column('two_step_secret')

    with op.batch_alter_table('staff_recovery_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_recovery_code_user_id'))

    op.drop_table('staff_recovery_code')
