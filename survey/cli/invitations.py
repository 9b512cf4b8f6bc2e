"""survey invitations export"""

from pathlib import Path

import click
from flask.cli import AppGroup

from survey.extensions import db
from survey.links import PublicAddressError, base_url
from survey.organise.invitations import export_invitations
from survey.organise.workshops import workshop_by_slug

invitations_cli = AppGroup("invitations", help="Personal invitation links.")


@invitations_cli.command("export")
@click.argument("slug")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="The CSV file to write.",
)
@click.option(
    "--base-url", "base", default=None, help="Public address of the site; default PUBLIC_URL."
)
def export(slug: str, output: Path, base: str | None) -> None:
    """Write the mail-merge CSV: external_id, name, email, group, language, link."""
    workshop = workshop_by_slug(slug)
    if workshop is None:
        raise click.ClickException(f"no workshop {slug!r}")
    try:
        base = base_url(base)
    except PublicAddressError as error:
        raise click.ClickException(str(error)) from None
    body, rows = export_invitations(workshop, base, via="cli")
    output.write_text(body, encoding="utf-8", newline="")
    db.session.commit()
    click.echo(f"Wrote {rows} invitation(s) to {output}.")
