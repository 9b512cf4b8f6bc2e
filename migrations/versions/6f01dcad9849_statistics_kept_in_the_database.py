"""statistics kept in the database

Each workshop's computed statistics per filter, with the data signature they were computed
from and the lease that lets one host recompute them at a time, so that a new process renders
the dashboards without computing and every worker and host shares one computation.

Revision ID: 6f01dcad9849
Revises: 0a50e895db5e
Create Date: 2026-12-02 18:05:34.610427

"""
from alembic import op
import sqlalchemy as sa

import survey.models._types


# revision identifiers, used by Alembic.
revision = '6f01dcad9849'
down_revision = '0a50e895db5e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stats_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('filter_key', sa.String(length=300), nullable=False),
    sa.Column('signature', sa.String(length=64), nullable=True),
    sa.Column('payload', sa.LargeBinary(), nullable=True),
    sa.Column('computed_at', survey.models._types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('compute_ms', sa.Integer(), nullable=True),
    sa.Column('leased_until', survey.models._types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('lease_holder', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_stats_result_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stats_result')),
    sa.UniqueConstraint('workshop_id', 'filter_key', name=op.f('uq_stats_result_workshop_id_filter_key'))
    )


def downgrade():
    op.drop_table('stats_result')
