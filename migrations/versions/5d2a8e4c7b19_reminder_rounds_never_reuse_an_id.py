"""a removed reminder round's id is never given to a new one

A scheduled round's messages are logged under "schedule-<id>". SQLite gives a new row the
highest id plus one, so a round added after the newest one was removed took its id, and
everyone the removed round had reached was skipped as already sent. The table now counts ids
with AUTOINCREMENT, starting above every id a logged round has used. PostgreSQL's sequence
never reuses an id: nothing changes there.

Revision ID: 5d2a8e4c7b19
Revises: 3c9e1f7a2b64
Create Date: 2026-12-06 16:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d2a8e4c7b19'
down_revision = '3c9e1f7a2b64'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        'scheduled_reminder', recreate='always', table_kwargs={'sqlite_autoincrement': True}
    ):
        pass
    bind = op.get_bind()
    used = [
        int(number)
        for (name,) in bind.execute(
            sa.text("SELECT round FROM mail_message WHERE round LIKE 'schedule-%'")
        )
        if (number := name.removeprefix("schedule-")).isdigit()
    ]
    highest = max([*used, bind.execute(sa.text("SELECT max(id) FROM scheduled_reminder")).scalar() or 0])
    bind.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = 'scheduled_reminder'"))
    bind.execute(
        sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES ('scheduled_reminder', :seq)"),
        {"seq": highest},
    )


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        'scheduled_reminder', recreate='always', table_kwargs={'sqlite_autoincrement': False}
    ):
        pass
