"""`survey stats SLUG`: the workshop's statistics, as the API's JSON or as a readable summary;
`survey stats refresh [SLUG]`: recompute the statistics kept in the database (for cron)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from survey.dashboard.cache import current_results, with_theme_shares
from survey.dashboard.filters import FilterError, parse_filters
from survey.dashboard.reads.setting import workshop_setting
from survey.dashboard.reads.transaction import start_reading
from survey.dashboard.refresh import COMPUTED, CURRENT, refresh_workshop
from survey.dashboard.views.summary import summary_lines
from survey.extensions import db
from survey.models import Workshop
from survey.organise.workshops import workshop_by_slug


class StatsGroup(click.Group):
    """`survey stats SLUG ...` shows (the `show` command, named or not); `survey stats refresh`
    recomputes."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


@click.group("stats", cls=StatsGroup)
def stats_cli() -> None:
    """A workshop's statistics: `survey stats SLUG` shows them, `survey stats refresh`
    recomputes those kept in the database."""


@stats_cli.command("show")
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON of the stats API.")
@click.option("--sector", help="Only respondents of this sector (a profile code).")
@click.option("--experience", help="Only respondents with this experience (a profile code).")
@click.option("--language", help="Only responses given in this language.")
@with_appcontext
def show_command(
    slug: str, as_json: bool, sector: str | None, experience: str | None, language: str | None
) -> None:
    """Statistics of workshop SLUG (docs/statistics.md), suppressed under its minimum cell size."""
    start_reading()
    workshop = workshop_by_slug(slug)
    if workshop is None:
        raise click.ClickException(f"no workshop {slug!r}")
    setting = workshop_setting(workshop)
    try:
        filters = parse_filters(
            {"sector": sector, "experience": experience, "language": language},
            setting.instrument,
        )
    except FilterError as error:
        raise click.BadParameter(str(error)) from None
    results, signature = current_results(setting, workshop, filters)
    results = with_theme_shares(setting, workshop, results, signature)
    if as_json:
        click.echo(results.stats.to_json())
    else:
        for line in summary_lines(setting, results):
            click.echo(line)


@stats_cli.command("refresh")
@click.argument("slug", required=False)
@click.option("--force", is_flag=True, help="Recompute even where the data has not moved.")
@with_appcontext
def refresh_command(slug: str | None, force: bool) -> None:
    """Recompute the statistics kept for workshop SLUG (every workshop without it) where the
    data has moved, unfiltered and under each filter kept so far (docs/operations.md)."""
    if slug is not None:
        workshop = workshop_by_slug(slug)
        if workshop is None:
            raise click.ClickException(f"no workshop {slug!r}")
        workshops = [workshop]
    else:
        workshops = list(db.session.scalars(select(Workshop).order_by(Workshop.slug)))
    for workshop in workshops:
        for key, outcome, ms in refresh_workshop(workshop, force=force):
            where = f"{workshop.slug}{'?' + key if key else ''}"
            if outcome == COMPUTED:
                click.echo(f"{where}: computed in {ms} ms")
            elif outcome == CURRENT:
                click.echo(f"{where}: current")
            else:
                click.echo(f"{where}: another process is computing it")
