"""The `survey` command: Flask's CLI group with the project's commands, grouped by noun."""

import click
from flask import Flask
from flask.cli import FlaskGroup


def register_commands(app: Flask) -> None:
    from survey.cli.backup import backup_command, restore_command
    from survey.cli.coding import coding_cli
    from survey.cli.demo import demo_command
    from survey.cli.exports import export_command
    from survey.cli.instruments import instruments_cli
    from survey.cli.invitations import invitations_cli
    from survey.cli.reminders import reminders_cli
    from survey.cli.responses import responses_cli
    from survey.cli.roster import roster_cli
    from survey.cli.stats import stats_cli
    from survey.cli.themes import themes_cli
    from survey.cli.users import users_cli
    from survey.cli.workshops import waves_cli, workshops_cli

    for command in (
        demo_command,
        instruments_cli,
        users_cli,
        workshops_cli,
        waves_cli,
        roster_cli,
        invitations_cli,
        reminders_cli,
        backup_command,
        restore_command,
        export_command,
        responses_cli,
        stats_cli,
        themes_cli,
        coding_cli,
    ):
        app.cli.add_command(command)


def _create_app():
    from survey import create_app

    return create_app()


class SurveyGroup(FlaskGroup):
    """Flask's group, saying in one line what is wrong with a database that cannot be used (not
    reachable, or without the tables of this version) instead of a traceback."""

    def invoke(self, ctx: click.Context):
        from sqlalchemy.exc import OperationalError, ProgrammingError

        try:
            return super().invoke(ctx)
        except (OperationalError, ProgrammingError) as error:
            raise click.ClickException(database_problem(error)) from None


def database_problem(error: Exception) -> str:
    """What to tell the operator of a database error that no command handles."""
    reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
    if "no such table" in reason or ("relation" in reason and "does not exist" in reason):
        return f"the database is not set up for this version ({reason}): run survey db upgrade"
    return f"the database cannot be used: {reason}"


@click.group(cls=SurveyGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """Dialogue Survey: pre- and post-workshop questionnaires and dashboards."""
