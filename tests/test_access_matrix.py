"""Every route × every kind of user: nobody reaches what their role does not allow.

The table below classifies every endpoint. A new route fails `test_every_endpoint_is_classified`
until it is added here, with the roles that may reach it.
"""

import pytest

from survey import create_app
from survey.auth.sessions import LAST_SEEN_AT, SIGNED_IN_AT, _now
from survey.extensions import db

PUBLIC = "public"  # participants and anyone: no sign-in
STAFF = "staff"  # any signed-in staff member, whatever their grants
ADMIN = "admin"  # admins only
ORGANISER = frozenset({"organiser"})  # per workshop (admins always pass)
RESEARCHER = frozenset({"researcher"})
EITHER = ORGANISER | RESEARCHER
ANY_ORGANISER = "any organiser"  # organisers of any workshop (and admins)
# The second step of a sign-in: only the browser that has just typed an account's password may
# type its code; everyone else is sent to sign in (test_auth_two_step covers that browser).
SECOND_STEP = "second step"

ACCESS = {
    # public pages, assets and sign-in
    "main.index": PUBLIC,
    "main.healthz": PUBLIC,
    "assets.asset": PUBLIC,
    "static": PUBLIC,
    "auth.login": PUBLIC,
    "auth.reset_request": PUBLIC,
    "auth.reset_link": PUBLIC,
    "auth.reset_password": PUBLIC,
    "auth.code": SECOND_STEP,
    "auth.logout": PUBLIC,
    "auth.alive": STAFF,
    "auth.password": STAFF,
    "auth.two_step_page": STAFF,
    "auth.recovery_codes": STAFF,
    "auth.two_step_off": STAFF,
    "auth.end_other_sessions": STAFF,
    "auth.tokens": STAFF,
    "auth.delete_token": STAFF,
    # the participant's side: personal and join links, the questionnaire, the privacy notice
    "respond.redeem": PUBLIC,
    "respond.redeem_card": PUBLIC,
    "respond.card_code": PUBLIC,
    "respond.join": PUBLIC,
    "respond.start": PUBLIC,
    "respond.resume": PUBLIC,
    "respond.page": PUBLIC,
    "respond.save": PUBLIC,
    "respond.steps": PUBLIC,
    "respond.thanks": PUBLIC,
    "respond.findings": PUBLIC,
    "respond.switch_language": PUBLIC,
    "respond.personal_link": PUBLIC,
    "respond.privacy": PUBLIC,
    "mail.opt_out": PUBLIC,
    "respond.preview": ORGANISER,
    # the organiser console
    "organise.home": STAFF,
    "organise.new_workshop": STAFF,
    "organise.workshop": EITHER,
    "organise.delete": ADMIN,
    "organise.personal_data": ORGANISER,
    "organise.wave": ORGANISER,
    "organise.open_wave": ORGANISER,
    "organise.close_wave": ORGANISER,
    "organise.wave_version": ORGANISER,
    "organise.groups": ORGANISER,
    "organise.new_join_code": ORGANISER,
    "organise.roster_upload": ORGANISER,
    "organise.roster_confirm": ORGANISER,
    "organise.participants_list": ORGANISER,
    "organise.withdraw": ORGANISER,
    "organise.edit_participant": ORGANISER,
    "organise.reissue": ORGANISER,
    "organise.invitations_csv": ORGANISER,
    "organise.cards": ORGANISER,
    "organise.cards_printed": ORGANISER,
    "organise.posters": ORGANISER,
    "organise.monitor_page": ORGANISER,
    "organise.monitor_json": ORGANISER,
    "organise.contact": ORGANISER,
    "organise.details": ORGANISER,
    # e-mail to participants
    "mail.overview": ORGANISER,
    "mail.wave_page": ORGANISER,
    "mail.send": ORGANISER,
    "mail.add_reminder": ORGANISER,
    "mail.remove_reminder": ORGANISER,
    "mail.edit_template": ORGANISER,
    "mail.reset_template": ORGANISER,
    # results: charts for both roles, raw data for researchers, paper data entry for organisers
    "dashboard.overview": EITHER,
    "dashboard.trust": EITHER,
    "dashboard.perception": EITHER,
    "dashboard.priorities": EITHER,
    "dashboard.obstacles": EITHER,
    "dashboard.text": EITHER,
    "dashboard.report": EITHER,
    "dashboard.sharing": ORGANISER,
    "dashboard.themes": EITHER,
    "api.workshop_stats": EITHER,
    # coding the free text: coders are organisers and researchers, and settle their
    # disagreements; researchers assign samples and download the codings (they name participants)
    "coding.home": EITHER,
    "coding.answers": EITHER,
    "coding.first": EITHER,
    "coding.answer": EITHER,
    "coding.agreement": EITHER,
    "coding.disagreements_list": EITHER,
    "coding.settle_answer": EITHER,
    "coding.theme_list": EITHER,
    "coding.theme": EITHER,
    "coding.delete_theme": EITHER,
    "coding.themes_csv": EITHER,
    "coding.themes_import": EITHER,
    "coding.sample_list": RESEARCHER,
    "coding.codings_csv": RESEARCHER,
    "exports.index": RESEARCHER,
    "exports.download": RESEARCHER,
    "exports.paper": EITHER,
    "exports.import_responses": ORGANISER,
    "exports.confirm_import": ORGANISER,
    # the instrument library: admins and organisers of any workshop, who see the instruments of
    # their workshops
    # (tests/test_library_routes.py checks which ones)
    "library.index": ANY_ORGANISER,
    "library.upload": ANY_ORGANISER,
    "library.confirm_upload": ANY_ORGANISER,
    "library.version": ANY_ORGANISER,
    "library.download": ANY_ORGANISER,
    "library.preview": ANY_ORGANISER,
    "library.review": ANY_ORGANISER,
    "library.mark_language_reviewed": ANY_ORGANISER,
    "library.diff": ANY_ORGANISER,
    # administration
    "admin.users": ADMIN,
    "admin.add_grant": ADMIN,
    "admin.revoke_grant": ADMIN,
    "admin.admin_flag": ADMIN,
    "admin.active_flag": ADMIN,
    "admin.password": ADMIN,
    "admin.password_link": ADMIN,
    "admin.two_step_off": ADMIN,
    "admin.audit": ADMIN,
    "admin.audit_csv": ADMIN,
}

# Who knocks, from least to most privileged (the order keeps destructive actions of the
# allowed users from changing what the refused users would see).
ACTORS = ("anonymous", "no_grant", "other_organiser", "researcher", "organiser", "admin")


def _rules():
    app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://")
    rules = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            rules.append(pytest.param(rule.endpoint, rule.rule, method, id=f"{method} {rule.rule}"))
    return rules


RULES = _rules()


def test_every_endpoint_is_classified():
    endpoints = {param.values[0] for param in RULES}
    missing = sorted(endpoints - set(ACCESS))
    assert not missing, f"add these endpoints to ACCESS in {__name__}: {missing}"


@pytest.fixture
def world(app, make):
    """A workshop with a participant, one user per kind, and a second workshop."""
    app.config["WTF_CSRF_ENABLED"] = False  # so that POSTs reach the role checks
    ws = make.workshop("matrix", open_waves=("pre",))
    elsewhere = make.workshop("elsewhere")
    participant = make.participant(ws, name="Ana")
    target = make.user("target@example.org", grants={elsewhere: "researcher"})
    users = {
        "anonymous": None,
        "no_grant": make.user("nobody@example.org"),
        "other_organiser": make.user("other@example.org", grants={elsewhere: "organiser"}),
        "researcher": make.user("researcher@example.org", grants={ws: "researcher"}),
        "organiser": make.user("organiser@example.org", grants={ws: "organiser"}),
        "admin": make.user("admin@example.org", admin=True),
    }
    instrument = ws.wave("pre").instrument_version.instrument
    values = {
        "slug": ws.slug,
        "wave": "pre",
        "group": "nato",
        "language": "en",
        "page": instrument.pages_for_wave("pre")[0].code,
        "public_id": participant.public_id,
        "token": "not-a-real-token-at-all-000000000",
        "code": "not-a-real-join-code-000",
        "hashed": "css/app.000000000000.css",
        "fmt": "long",
        "key": instrument.key,
        "version": ws.wave("pre").instrument_version.version,
        "user_id": target.id,
        "grant_id": target.grants[0].id,
        "kind": "invitation",
        "entry": 1,
        "question": "hope_text",
        "answer_id": 2_000_000_000,  # no such answer: found or not, the role check comes first
        "theme_id": 2_000_000_000,
        "token_id": 2_000_000_000,
    }
    return users, values


def _client(app, user):
    client = app.test_client()
    if user is not None:
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
            session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = _now()
    return client


def _allowed(access, actor: str) -> bool:
    if access == PUBLIC:
        return True
    if actor == "anonymous":
        return False
    if access == STAFF or actor == "admin":
        return True
    if access == ADMIN:
        return False
    if access == ANY_ORGANISER:
        return actor in ("organiser", "other_organiser")
    return actor in access  # "researcher" / "organiser" of this workshop


@pytest.mark.parametrize(("endpoint", "rule", "method"), RULES)
def test_route_answers_only_those_with_the_role(app, world, endpoint, rule, method):
    access = ACCESS.get(endpoint)
    if access is None:
        pytest.fail(f"{endpoint} is not classified in ACCESS")
    users, values = world
    path = rule
    for name in _parameters(rule):
        if name not in values:
            pytest.fail(f"no value for the URL parameter <{name}> of {rule}: add one to world()")
        path = _fill(path, name, values[name])
    for actor in ACTORS:
        db.session.expire_all()
        client = _client(app, users[actor])
        response = client.open(path, method=method)
        status = response.status_code
        where = f"{method} {path} as {actor}: {status}"
        assert status < 500, where
        if access == SECOND_STEP:
            assert status == 302 and response.location.startswith("/auth/login"), where
        elif access == PUBLIC:
            # No staff sign-in asked; the participant pages may still refuse someone without
            # a participant session, which is their own business.
            assert not (status == 302 and "/auth/login" in response.location), where
        elif _allowed(access, actor):
            assert status not in (401, 403), where
            assert not (status == 302 and "/auth/login" in response.location), where
        elif actor == "anonymous":
            if path.startswith("/api/"):
                assert status == 401, where
            else:
                assert status == 302 and response.location.startswith("/auth/login"), where
        else:
            assert status == 403, where


def _parameters(rule: str) -> list[str]:
    import re

    return re.findall(r"<(?:[^:<>]+:)?([^<>]+)>", rule)


def _fill(path: str, name: str, value) -> str:
    import re

    return re.sub(rf"<(?:[^:<>]+:)?{name}>", str(value), path)


# Staff pages that open before two-step sign-in is set up, where the server requires it: its
# set-up pages, and the page's report that someone is working on it.
BEFORE_TWO_STEP = {"auth.two_step_page", "auth.recovery_codes", "auth.two_step_off", "auth.alive"}


def test_where_two_step_sign_in_is_required_no_staff_route_opens_without_it(app, world):
    app.config["STAFF_TWO_STEP_REQUIRED"] = True
    users, values = world
    checked = 0
    for param in RULES:
        endpoint, rule, method = param.values
        if ACCESS[endpoint] in (PUBLIC, SECOND_STEP):
            continue
        path = rule
        for name in _parameters(rule):
            path = _fill(path, name, values[name])
        db.session.expire_all()
        client = _client(app, users["admin"])
        response = client.open(path, method=method)
        with client.session_transaction() as session:
            said = " ".join(message for _, message in session.get("_flashes", []))
        where = f"{method} {path}: {response.status_code}"
        to_set_up = response.status_code == 302 and response.location == "/auth/two-step"
        to_set_up = to_set_up and "asks every staff member for two-step sign-in" in said
        if endpoint in BEFORE_TWO_STEP:
            assert response.status_code < 500 and not to_set_up, where
        elif path.startswith("/api/"):
            assert response.status_code == 403, where
        else:
            assert to_set_up, where
        checked += 1
    assert checked > 80
