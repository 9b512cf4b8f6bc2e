"""`survey stats SLUG`: the workshop's statistics, as the API's JSON or as a readable summary."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from survey.dashboard.cache import workshop_results
from survey.dashboard.filters import FilterError, parse_filters
from survey.dashboard.reads.setting import workshop_setting
from survey.dashboard.reads.transaction import start_reading
from survey.dashboard.views.summary import summary_lines
from survey.organise.workshops import workshop_by_slug


@click.command("stats")
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON of the stats API.")
@click.option("--sector", help="Only respondents of this sector (a profile code).")
@click.option("--experience", help="Only respondents with this experience (a profile code).")
@click.option("--language", help="Only responses given in this language.")
@with_appcontext
def stats_command(
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
    results = workshop_results(setting, workshop, filters, themes=True)
    if as_json:
        click.echo(results.stats.to_json())
    else:
        for line in summary_lines(setting, results):
            click.echo(line)
