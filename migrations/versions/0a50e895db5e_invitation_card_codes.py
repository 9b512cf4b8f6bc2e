"""invitation card codes

The SHA-256 of each invitation's card code, for lookup. Existing invitations keep it empty: the
code is an HMAC under the application's key, which a migration does not have, so it is stored
when the invitation's card is next printed, the only place the code is shown (survey.tokens).

Revision ID: 0a50e895db5e
Revises: a6457ec8c218
Create Date: 2026-12-02 18:07:05.643733

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0a50e895db5e'
down_revision = 'a6457ec8c218'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code_hash', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_invitation_code_hash'), ['code_hash'])


def downgrade():
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_invitation_code_hash'), type_='unique')
        batch_op.drop_column('code_hash')
