"""survey demo: create or upgrade the embedded database, seed the demo workshop, serve it."""

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade
from werkzeug.serving import run_simple

from survey.auth.users import user_by_email
from survey.extensions import db


@click.command("demo")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--no-serve", is_flag=True, help="Only prepare the database.")
@with_appcontext
def demo_command(port: int, host: str, no_serve: bool) -> None:
    """Create/upgrade the database, seed the demo workshop, print a login and serve."""
    from survey.demo.coding import seed_demo_coding  # heavy: when used
    from survey.demo.workshop import DEMO_SLUG, ensure_demo_admin, seed_demo
    from survey.organise.workshops import workshop_by_slug

    upgrade()
    created = seed_demo()
    email, password = ensure_demo_admin()
    db.session.flush()
    # Also for a demo seeded before the coding existed: its codebook is added once.
    seed_demo_coding(workshop_by_slug(DEMO_SLUG), user_by_email(email))
    db.session.commit()
    click.echo(("Seeded" if created else "Found") + f" the demo workshop '{DEMO_SLUG}'.")
    url = f"http://{host}:{port}/"
    click.echo(f"\n  Open      {url}\n  Sign in   {email}\n  Password  {password}\n")
    if not no_serve:
        # Not app.run(): Flask ignores it inside any `flask`/`survey` command (FLASK_RUN_FROM_CLI).
        run_simple(host, port, current_app._get_current_object(), threaded=True)
