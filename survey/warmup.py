"""What a new server process would otherwise do on its first requests, done before it serves:
compiling every template (about a tenth of a second of CPU on the first pages a participant
opens), reading each language's catalogue and naming the languages in each other (Babel's locale
data, a fiftieth of a second). wsgi.py calls it; with gunicorn's `preload_app`
(gunicorn.conf.py) that is once, in the master, and every worker, a worker replacing another
after `max_requests` included, is forked with the result. Nothing here opens a connection: a
forked worker must not share one with the master."""

from flask import Flask
from flask_babel import force_locale, get_translations

from survey.i18n import language_name


def warm(app: Flask) -> None:
    environment = app.jinja_env
    for name in environment.list_templates():
        environment.get_template(name)
    with app.test_request_context():
        for language in app.config["LANGUAGES"]:
            with force_locale(language):
                get_translations()
            for other in app.config["LANGUAGES"]:
                language_name(language, other)
