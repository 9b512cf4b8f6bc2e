"""survey backup PATH | survey restore PATH"""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from survey.audit import record
from survey.backup import BackupError, backup, restore
from survey.cli.exports import OutputPath
from survey.extensions import db


def _summary(tables: dict[str, int]) -> str:
    keys = ("participant", "response", "answer")
    return ", ".join(f"{tables.get(k, 0)} {k}s" for k in keys)


@click.command("backup")
@click.argument("path", type=OutputPath())
@with_appcontext
def backup_command(path: Path) -> None:
    """Write a consistent copy of the live SQLite database to PATH (safe while serving)."""
    try:
        result = backup(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    record("database.backup", detail={"path": str(path)})
    db.session.commit()
    click.echo(f"Backed up to {result.path} ({_summary(result.tables)}); integrity ok.")


@click.command("restore")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(path: Path, yes: bool) -> None:
    """Replace the database's content with the backup at PATH (stop the server first)."""
    if not yes:
        click.confirm("This replaces every row in the database. Continue?", abort=True)
    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold the old pages
    try:
        result = restore(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    record("database.restore", detail={"path": str(path)})
    db.session.commit()
    click.echo(f"Restored from {path} ({_summary(result.tables)}); integrity ok.")
