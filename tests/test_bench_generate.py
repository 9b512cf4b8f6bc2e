"""The bulk generator for the benchmarks: valid data, correctly counted, reproducible."""

from collections import Counter

from sqlalchemy import create_engine, func, select

from bench.generate import generate_workshop, main
from survey.extensions import db
from survey.models import Answer, Participant, Response, ResponseStatus, WaveState
from survey.organise.workshops import workshop_by_slug
from survey.tokens import current_invitation, invitation_for_token, invitation_token
from tests.test_synthetic import answer_problems


def _count(*where) -> int:
    return db.session.scalar(
        select(func.count(Answer.id))
        .join(Response, Answer.response_id == Response.id)
        .join(Participant, Response.participant_id == Participant.id)
        .where(*where)
    )


def test_a_small_workshop_is_valid_and_correctly_counted(app):
    result = generate_workshop("bench-small", 200, seed=1, chunk=64)
    workshop = workshop_by_slug("bench-small")
    assert result.workshop_id == workshop.id
    assert result.participants == len(workshop.participants) == 200
    assert Counter(p.group.code for p in workshop.participants) == {"nato": 100, "pakistan": 100}
    responses = [r for p in workshop.participants for r in p.responses]
    assert result.responses == len(responses)
    assert result.answers == _count(Participant.workshop_id == workshop.id)
    assert result.answers > 200 * 40
    assert result.participants_per_second > 0 and result.answers_per_second > 0

    waves = Counter((r.wave.code, r.status) for r in responses)
    assert waves["pre", ResponseStatus.SUBMITTED] > 180
    post = waves["post", ResponseStatus.SUBMITTED] + waves["post", ResponseStatus.IN_PROGRESS]
    assert 140 < post < 190
    assert waves["post", ResponseStatus.IN_PROGRESS] > 0
    assert workshop.wave("pre").state() is WaveState.CLOSED
    assert workshop.wave("post").state() is WaveState.OPEN

    instrument = workshop.wave("pre").instrument_version.instrument
    problems = []
    for participant in workshop.participants:
        ordered = sorted(participant.responses, key=lambda r: r.wave.position)
        for index, response in enumerate(ordered):
            rows = [(a.question, a.item, a.number, a.text) for a in response.answers]
            problems += answer_problems(instrument, response.wave.code, rows)
            asked_profile = any(a.question == "sector" for a in response.answers)
            assert asked_profile == (index == 0)
            assert (response.consent_at is not None) == (index == 0)
            if response.status is ResponseStatus.IN_PROGRESS:
                assert response.current_page and response.submitted_at is None
        assert participant.contact.email.endswith("@example.org")
    assert problems == []

    # The stored hashes are those of the links the app hands out.
    for participant in workshop.participants[:20]:
        token = invitation_token(current_invitation(participant))
        assert invitation_for_token(token).participant == participant


def test_the_same_seed_gives_the_same_data(app):
    def content(slug):
        rows = db.session.execute(
            select(Participant.public_id, Answer.question, Answer.item, Answer.number, Answer.text)
            .join(Response, Answer.response_id == Response.id)
            .join(Participant, Response.participant_id == Participant.id)
            .where(Participant.workshop_id == workshop_by_slug(slug).id)
        )
        return Counter(rows)

    generate_workshop("bench-a", 30, seed=5)
    generate_workshop("bench-b", 30, seed=5, chunk=7)
    generate_workshop("bench-c", 30, seed=6)
    assert content("bench-a") == content("bench-b")
    assert content("bench-a") != content("bench-c")


def test_the_command_line_reports_speed_and_refuses_to_overwrite(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SURVEY_INSTANCE_PATH", str(tmp_path / "instance"))
    url = f"sqlite:///{tmp_path / 'out' / 'bench.db'}"
    assert main(["--participants", "40", "--database-url", url]) == 0
    assert "40 participants" in capsys.readouterr().out
    assert main(["--participants", "40", "--database-url", url]) == 2
    assert "exists already" in capsys.readouterr().err
    assert main(["--participants", "20", "--database-url", url, "--replace"]) == 0
    output = capsys.readouterr().out
    assert "20 participants" in output and "answer rows/s" in output
    engine = create_engine(url)
    with engine.connect() as connection:  # the replaced workshop left nothing behind
        assert connection.scalar(select(func.count()).select_from(Participant)) == 20
    engine.dispose()
