"""a version's title, author's version and languages beside its definition

Lists of versions (the library, the choice of a questionnaire for a workshop or a wave) read
these instead of parsing every definition. Versions stored before are filled in from their
definitions: the title in the first of their languages, their `version`, their `languages`.

Revision ID: 9941aee35d14
Revises: 7c3b5e9d1a42
Create Date: 2026-12-07 04:10:00.000000

"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9941aee35d14'
down_revision = '7c3b5e9d1a42'
branch_labels = None
depends_on = None

COLUMNS = ('title', 'version_label', 'languages')


def upgrade():
    with op.batch_alter_table('instrument_version', schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=True))
    versions = sa.table(
        'instrument_version',
        sa.column('id', sa.Integer),
        sa.column('definition_json', sa.Text),
        *(sa.column(name, sa.Text) for name in COLUMNS),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(versions.c.id, versions.c.definition_json)).all()
    for id_, definition_json in rows:
        definition = json.loads(definition_json)
        languages = definition['languages']
        connection.execute(
            versions.update()
            .where(versions.c.id == id_)
            .values(
                title=definition['titles'][languages[0]],
                version_label=str(definition['version']),
                languages=' '.join(languages),
            )
        )
    with op.batch_alter_table('instrument_version', schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.alter_column(name, existing_type=sa.Text(), nullable=False)


def downgrade():
    with op.batch_alter_table('instrument_version', schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
