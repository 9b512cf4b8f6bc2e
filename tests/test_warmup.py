"""The served app is warmed before it serves (wsgi.py): every template compiled, every
language's catalogue read and every language named in each other, with no connection opened,
since gunicorn forks its workers from it."""

from sqlalchemy import event

from survey import create_app
from survey.extensions import babel, db
from survey.i18n import language_name
from survey.warmup import warm


def test_a_warmed_app_compiles_nothing_on_its_first_pages(database_url, monkeypatch):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    connections = []
    with app.app_context():
        domain = babel.domain_instance
        monkeypatch.setattr(domain, "cache", {})
        event.listen(db.engine, "connect", lambda *args: connections.append(args))
    language_name.cache_clear()

    warm(app)

    # A forked worker shares no connection with the master: none was opened, by the warm-up
    # or by building the app before it.
    assert connections == []
    with app.app_context():
        assert db.engine.pool.checkedin() == db.engine.pool.checkedout() == 0
    environment = app.jinja_env
    assert {name for _loader, name in environment.cache} == set(environment.list_templates())
    catalogues = {language for language, _domain in domain.cache}
    assert catalogues == set(app.config["LANGUAGES"])
    # The language switch's names (Babel's locale data) are looked up before the fork too.
    assert language_name.cache_info().currsize == len(app.config["LANGUAGES"]) ** 2

    def compile_again(*args, **kwargs):
        raise AssertionError("a template was compiled after the warm-up")

    monkeypatch.setattr(environment, "compile", compile_again)
    client = app.test_client()
    try:
        pages = {"/": 200, "/auth/login": 200, "/privacy": 200, "/s/not-a-token": 404}
        for path, status in pages.items():
            assert client.get(path, headers={"Accept-Language": "ur"}).status_code == status
    finally:
        with app.app_context():
            db.engine.dispose()
