"""Dialogue Survey: the application factory."""

import logging
import os
import secrets
from pathlib import Path

from flask import Flask

from config import CONFIGS, Config, ProductionConfig
from survey.extensions import babel, compress, csrf, db, limiter, login, mailman, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: type[Config] | str | None = None, **overrides) -> Flask:
    """Build the app: load config, bind extensions, register blueprints, errors and CLI."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("SURVEY_INSTANCE_PATH", str(ROOT / "instance")),
        template_folder=str(ROOT / "templates"),
        static_folder=None,  # assets are served under content-hashed names by survey.assets
    )
    _load_config(app, config, overrides)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    login.init_app(app)
    limiter.init_app(app)
    mailman.init_app(app)
    compress.init_app(app)

    from flask_babel import get_locale

    from survey.i18n import language_name, select_locale, select_timezone, text_direction

    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    from survey.mail.addresses import mailto
    from survey.text import duration, quantity

    app.jinja_env.globals.update(
        get_locale=get_locale,
        text_direction=text_direction,
        language_name=language_name,
        mailto=mailto,
        quantity=quantity,
    )
    app.jinja_env.filters["duration"] = duration

    from survey.database import configure_engine

    with app.app_context():
        configure_engine(app)

    from survey import errors, security
    from survey.auth.sessions import load_api_user, load_user
    from survey.cli import register_commands
    from survey.respond.identity import ParticipantSessions

    app.session_interface = ParticipantSessions()
    security.register(app)  # first: the blueprints' rules use its URL converter
    _register_blueprints(app)
    login.user_loader(load_user)
    login.request_loader(load_api_user)
    errors.register(app)
    register_commands(app)
    _configure_logging(app)
    return app


def _load_config(app: Flask, config: type[Config] | str | None, overrides: dict) -> None:
    if config is None or isinstance(config, str):
        config = CONFIGS[config or os.environ.get("SURVEY_ENV", "development")]
    app.config.from_object(config)
    app.config.update(overrides)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'survey.db'}"
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgres://"):  # the scheme some hosts still hand out
        app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + uri[len("postgres://") :]
    elif uri.startswith("postgresql://"):
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            "postgresql+psycopg://" + uri[len("postgresql://") :]
        )
    if not app.config.get("SECRET_KEY"):
        if issubclass(config, ProductionConfig):
            raise RuntimeError("SECRET_KEY must be set in production")
        app.config["SECRET_KEY"] = _instance_secret(app)


def _instance_secret(app: Flask) -> str:
    """A key generated once and kept in the instance folder, so demo links survive restarts."""
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _register_blueprints(app: Flask) -> None:
    from survey.admin.routes import bp as admin_bp
    from survey.api.routes import bp as api_bp
    from survey.assets.routes import bp as assets_bp
    from survey.auth.routes import bp as auth_bp
    from survey.coding.routes import bp as coding_bp
    from survey.dashboard.routes import bp as dashboard_bp
    from survey.exports.routes import bp as exports_bp
    from survey.library.routes import bp as library_bp
    from survey.mail.routes import bp as mail_bp
    from survey.main.routes import bp as main_bp
    from survey.organise.routes import bp as organise_bp
    from survey.respond.routes import bp as respond_bp

    for blueprint in (
        main_bp,
        assets_bp,
        auth_bp,
        organise_bp,
        library_bp,
        admin_bp,
        exports_bp,
        mail_bp,
        respond_bp,
        dashboard_bp,
        coding_bp,
        api_bp,
    ):
        app.register_blueprint(blueprint)


def _configure_logging(app: Flask) -> None:
    from survey.redaction import install

    app.logger.setLevel(app.config["LOG_LEVEL"])
    install(app.logger)
    install(logging.getLogger("gunicorn.error"))
    # The development server escapes the control characters of its request lines itself and
    # then colours them with terminal escapes, which escaping again would print as garbage.
    install(logging.getLogger("werkzeug"), escape=False)
