"""The demo workshop: realistic, valid, created once; the demo admin; `survey demo`."""

import statistics
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from survey import create_app
from survey.auth.users import authenticate, user_by_email
from survey.demo.coding import DEMO_THEMES
from survey.demo.workshop import (
    DEMO_ADMIN_EMAIL,
    DEMO_SLUG,
    HOSTILE_PLANTS,
    ensure_demo_admin,
    seed_demo,
)
from survey.extensions import db
from survey.linking import match_report
from survey.models import (
    Answer,
    AuditEvent,
    Invitation,
    Participant,
    ParticipantSource,
    Response,
    ResponseStatus,
    Theme,
    WaveState,
    Workshop,
)
from survey.models._types import utcnow
from survey.organise.workshops import workshop_by_slug
from survey.tokens import current_invitation, invitation_for_token, invitation_token
from tests.test_migrations import empty_database_url  # noqa: F401 (a fixture)
from tests.test_synthetic import answer_problems, trust_score

SUBMITTED, IN_PROGRESS = ResponseStatus.SUBMITTED, ResponseStatus.IN_PROGRESS


@pytest.fixture
def demo(app):
    assert seed_demo() is True
    db.session.commit()
    return workshop_by_slug(DEMO_SLUG)


def _responses(workshop) -> list[Response]:
    return [r for p in workshop.participants for r in p.responses]


def test_seeding_twice_duplicates_nothing(demo):
    counts = {
        model: db.session.scalar(select(func.count()).select_from(model))
        for model in (Workshop, Participant, Invitation, Response, Answer)
    }
    assert seed_demo() is False
    db.session.commit()
    assert counts == {
        model: db.session.scalar(select(func.count()).select_from(model)) for model in counts
    }
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "demo.seed")) == 1


def test_the_demo_looks_like_the_islamabad_workshop(demo):
    assert demo.title == "NATO–Pakistan partnership after 2014 (demo)"
    assert (demo.place, demo.timezone, demo.instrument_key) == (
        "Islamabad",
        "Asia/Karachi",
        "nato-pakistan-2014",
    )
    assert demo.starts_on < demo.ends_on
    pre, post = demo.wave("pre"), demo.wave("post")
    assert pre.state() is WaveState.CLOSED
    assert post.state() is WaveState.OPEN
    assert post.closes_at > utcnow() + timedelta(days=5)


def test_counts_per_side_are_in_the_expected_ranges(demo):
    for group in demo.groups:
        people = [p for p in demo.participants if p.group_id == group.id]
        waves = Counter((r.wave.code, r.status) for p in people for r in p.responses)
        assert 25 <= len(people) <= 35
        assert waves["pre", SUBMITTED] >= 0.9 * len(people)
        assert waves["pre", IN_PROGRESS] == 0
        responded_post = waves["post", SUBMITTED] + waves["post", IN_PROGRESS]
        assert 0.7 * len(people) <= responded_post <= 0.9 * len(people)
        assert 1 <= waves["post", IN_PROGRESS] <= 4
        sources = Counter(p.source for p in people)
        assert 3 <= sources[ParticipantSource.JOIN] <= 10
        assert {p.language for p in people} == (
            {"en", "fr"} if group.code == "nato" else {"en", "ur"}
        )
        assert len({p.sector for p in people if p.responses}) >= 4


def test_every_answer_is_valid_against_the_instrument(demo):
    problems = []
    for response in _responses(demo):
        instrument = response.instrument_version.instrument
        assert response.instrument_version_id == response.wave.instrument_version_id
        rows = [(a.question, a.item, a.number, a.text) for a in response.answers]
        problems += [
            f"{response.participant.public_id} {response.wave.code}: {problem}"
            for problem in answer_problems(instrument, response.wave.code, rows)
        ]
    assert problems == []
    numbers = [a.number for r in _responses(demo) for a in r.answers]
    assert -9 in numbers  # some "Prefer not to answer"


def test_responses_are_stored_as_the_participant_side_leaves_them(demo):
    instrument = demo.wave("pre").instrument_version.instrument
    profile = {q.code for q in instrument.profile_questions}
    for participant in demo.participants:
        responses = sorted(participant.responses, key=lambda r: r.wave.position)
        for index, response in enumerate(responses):
            first = index == 0
            questions = {a.question for a in response.answers}
            assert response.source.value == "web"
            assert response.language == participant.language
            window = response.wave
            assert window.opens_at <= response.started_at <= response.updated_at <= utcnow()
            if response.status is SUBMITTED:
                assert response.submitted_at == response.updated_at
                assert response.submitted_at <= window.closes_at
                assert response.current_page is None
            else:
                assert response.submitted_at is None
                page_codes = {p.code for p in instrument.pages_for_wave(response.wave.code)}
                assert response.current_page in page_codes | {"review"}
            if first:  # consent and the profile belong to the first response only
                assert response.consent_version == instrument.consent.version
                assert response.started_at <= response.consent_at <= response.updated_at
                assert profile <= questions
                sector = next(a.text for a in response.answers if a.question == "sector")
                assert participant.sector == sector
            else:
                assert response.consent_at is None and response.consent_version is None
                assert not profile & questions


def test_roster_and_join_participants_and_their_links(demo):
    linked = 0
    for participant in demo.participants:
        invitation = current_invitation(participant)
        assert invitation_for_token(invitation_token(invitation)).participant == participant
        hashes = [participant.link_mother, participant.link_day, participant.link_town]
        if participant.source is ParticipantSource.JOIN:
            assert participant.contact is None and participant.external_id is None
            assert all(hashes) and participant.link_siblings
            linked += 1
        else:
            assert participant.contact.email.endswith("@example.org")
            assert participant.contact.name
            assert participant.external_id
            assert not any(hashes)
    assert linked > 0
    assert len({p.public_id for p in demo.participants}) == len(demo.participants)


def test_the_linking_code_pairs_those_who_lost_their_link(demo):
    report = match_report(demo)
    relinked = [(a, b) for a, b in report.pairs if a != b]
    assert len(relinked) == 2  # one per side, the second with one part typed differently
    assert report.ambiguous == 0


def test_trust_rises_more_on_the_pakistan_side(demo):
    instrument = demo.wave("pre").instrument_version.instrument
    change = {}
    for group in demo.groups:
        deltas = []
        for participant in demo.participants:
            if participant.group_id != group.id:
                continue
            scores = {
                r.wave.code: trust_score(
                    {a.question: a.number for a in r.answers if a.number is not None}, instrument
                )
                for r in participant.responses
                if r.status is SUBMITTED
            }
            if scores.get("pre") is not None and scores.get("post") is not None:
                deltas.append(scores["post"] - scores["pre"])
        assert len(deltas) >= 15
        change[group.code] = statistics.fmean(deltas)
    assert 0 < change["nato"] < change["pakistan"]


def test_free_text_in_three_languages_with_hostile_strings_kept_as_typed(demo):
    texts = {}
    for response in _responses(demo):
        for answer in response.answers:
            if answer.question.endswith("_text"):
                texts.setdefault(response.language, []).append(answer.text)
    assert set(texts) == {"en", "ur", "fr"}
    stored = {text for values in texts.values() for text in values}
    for _, _, text in HOSTILE_PLANTS:
        assert text in stored


def test_the_demo_admin_gets_a_fresh_password_each_run(app):
    email, first = ensure_demo_admin()
    db.session.commit()
    assert email == DEMO_ADMIN_EMAIL
    assert authenticate(email, first) is not None
    version = user_by_email(email).session_version
    _, second = ensure_demo_admin()
    db.session.commit()
    assert second != first
    assert authenticate(email, second).is_admin
    assert authenticate(email, first) is None
    assert user_by_email(email).session_version == version + 1  # old sessions end
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 2


def test_survey_demo_prepares_the_database_and_prints_a_login(empty_database_url):  # noqa: F811
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    runner = app.test_cli_runner()
    try:
        result = runner.invoke(args=["demo", "--no-serve"])
        assert result.exit_code == 0, result.output
        assert f"Seeded the demo workshop '{DEMO_SLUG}'" in result.output
        password = result.output.split("Password")[1].split()[0]
        again = runner.invoke(args=["demo", "--no-serve"])
        assert again.exit_code == 0, again.output
        assert f"Found the demo workshop '{DEMO_SLUG}'" in again.output
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(Workshop)) == 1
            themes = db.session.scalar(select(func.count()).select_from(Theme))
            assert themes == len(DEMO_THEMES)  # the codebook, once
            new_password = again.output.split("Password")[1].split()[0]
            assert authenticate(DEMO_ADMIN_EMAIL, new_password) is not None
            assert authenticate(DEMO_ADMIN_EMAIL, password) is None
            db.session.remove()
            db.engine.dispose()
    finally:
        with app.app_context():
            db.engine.dispose()


def test_the_demo_can_be_coded_at_once(demo):
    from survey.coding.codings import coded_answers
    from survey.coding.queue import progress
    from survey.coding.themes import workshop_themes
    from survey.demo.coding import DEMO_CODER_EMAIL, DEMO_THEMES, seed_demo_coding
    from survey.models import CodingSample

    ensure_demo_admin()
    admin = user_by_email(DEMO_ADMIN_EMAIL)
    assert seed_demo_coding(demo, admin) is True
    db.session.commit()
    themes = workshop_themes(demo)
    assert [t.code for t in themes] == [code for code, *_ in DEMO_THEMES]
    assert next(t for t in themes if t.code == "border").parent.code == "security"
    coder = user_by_email(DEMO_CODER_EMAIL)
    hope = progress(demo, "hope_text", coder)
    assert hope.answers > 40 and hope.mine == hope.answers  # every pre answer coded
    assert progress(demo, "takeaway_text", coder).coded == 0  # the others left to try
    answers = coded_answers(demo.id)
    assert all(a.by_coder.get(coder.id) is not None for a in answers.values())
    assert any(a.by_coder[coder.id] for a in answers.values())
    mine = progress(demo, "hope_text", admin)
    assert mine.sample >= hope.answers // 2 and mine.sample_done == 0
    assert authenticate(DEMO_CODER_EMAIL, "") is None
    # Seeding again creates nothing twice.
    assert seed_demo_coding(demo, admin) is False
    assert db.session.scalar(select(func.count()).select_from(CodingSample)) == 1
