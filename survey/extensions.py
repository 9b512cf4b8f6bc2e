"""Flask extensions, created unbound and bound to the app in create_app()."""

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from survey.net import client_address

# Stable constraint names, so Alembic can alter them (also on SQLite in batch mode).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
csrf = CSRFProtect()
login = LoginManager()
babel = Babel()
mailman = Mail()  # survey.mail.smtp opens its connections with the settings of the moment
# Pages, stylesheets, scripts and JSON compressed for phones on weak networks (config.py says
# which); assets are compressed once per process by survey.assets instead.
compress = Compress()
# Nothing is limited by default: only failed look-ups and failed sign-ins are counted
# (survey.respond.lookups, survey.auth.throttle), so a whole venue behind one address can
# start at once.
limiter = Limiter(key_func=client_address, default_limits=[])
