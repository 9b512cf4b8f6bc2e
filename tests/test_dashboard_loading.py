"""The workshop's dataset kept in the process: extended with new responses, read in full when
something left, and always the same as a full read of the database."""

from datetime import UTC, datetime

import numpy as np
import pytest

from survey.dashboard.cache import workshop_data
from survey.dashboard.dataset import Dataset
from survey.dashboard.loading import load_dataset
from survey.dashboard.reads.matching import matching
from survey.dashboard.reads.setting import workshop_setting
from survey.dashboard.reads.signature import data_signature
from survey.exports.downloads import ExportFormat, ExportOptions, start_export
from survey.exports.importer import import_long
from survey.extensions import db
from survey.linking import linking_hashes
from survey.models import ResponseStatus
from survey.organise.participants import withdraw_participant
from tests import exports_data
from tests.dashboard_helpers import populate


@pytest.fixture
def ws(make):
    ws = make.workshop(open_waves=("pre", "post"))
    populate(ws, 6, seed=3)
    return ws


def current(ws):
    """The kept data after a fresh look at the database (as a dashboard request does)."""
    setting = workshop_setting(ws)
    return workshop_data(setting, ws, data_signature(setting))


def assert_same_as_a_full_read(ws, data) -> None:
    setting = workshop_setting(ws)
    full: Dataset = load_dataset(setting, matching(ws)[1])
    dataset = data.dataset
    assert dataset.response_ids == full.response_ids
    assert dataset.respondents == full.respondents
    assert np.array_equal(dataset.values, full.values, equal_nan=True)
    for name in ("group", "wave", "sector", "experience", "language"):
        assert list(getattr(dataset, name)) == list(getattr(full, name)), name


def answers(trust=4):
    return {
        "trust_commitments": trust,
        "trust_direct": 3,
        "warmth": 55,
        "priorities": {"counter_terrorism": 1, "afghan_transition": 2},
        "experience": "lt2",
    }


def test_new_submissions_are_read_alone(ws, make, count_statements):
    early = make.participant(ws, "nato", sector="media")
    # Begun before the dataset was read (a lower id than newer responses), submitted after.
    begun = make.response(early, ws.waves[0], answers(2), status=ResponseStatus.IN_PROGRESS)
    first = current(ws)
    assert first.reloaded
    populate(ws, {"pakistan": 2}, seed=4, prefix="N")
    begun.status, begun.submitted_at = ResponseStatus.SUBMITTED, datetime.now(UTC)
    db.session.commit()

    with count_statements() as seen:
        second = current(ws)
    assert not second.reloaded
    assert second.generation != first.generation
    assert begun.id not in first.dataset.response_ids
    assert begun.id in second.dataset.response_ids
    assert len(second.dataset.respondents) >= len(first.dataset.respondents) + 3
    assert not any("ORDER BY response.id" in s for s in seen.sent)  # the full read
    assert_same_as_a_full_read(ws, second)
    # Unchanged respondents are the same objects, not built again.
    kept = dict(zip(second.dataset.response_ids, second.dataset.respondents, strict=True))
    assert all(
        kept[rid] is r
        for rid, r in zip(first.dataset.response_ids, first.dataset.respondents, strict=True)
    )


def test_nothing_new_keeps_the_dataset(ws, make):
    first = current(ws)
    assert current(ws) is first  # the signature has not moved: no statement but its own
    late = make.participant(ws, "nato", sector="media")  # enrolled: the signature moves
    make.response(late, ws.waves[0], answers(), status=ResponseStatus.IN_PROGRESS)
    again = current(ws)
    assert again.dataset is first.dataset and again.generation == first.generation


def test_a_withdrawal_reads_everything_again(ws):
    first = current(ws)
    gone = ws.participants[0]
    withdraw_participant(gone)
    db.session.commit()
    data = current(ws)
    assert data.reloaded
    assert gone.public_id not in {r.participant for r in data.dataset.respondents}
    assert len(data.dataset.respondents) < len(first.dataset.respondents)
    assert_same_as_a_full_read(ws, data)


def test_a_sector_changed_by_the_roster_is_seen_without_a_full_read(ws):
    current(ws)
    moved = ws.participants[0]
    moved.sector = "diplomatic"
    db.session.commit()
    data = current(ws)
    assert not data.reloaded
    assert {r.sector for r in data.dataset.respondents if r.participant == moved.public_id} == {
        "diplomatic"
    }
    assert_same_as_a_full_read(ws, data)


def test_imported_responses_are_new_though_submitted_long_ago(app, make):
    source = exports_data.build(make, "source")
    exported = b"".join(start_export(source, ExportOptions(ExportFormat.LONG)).chunks)
    target = make.workshop("target", open_waves=())
    assert current(target).dataset.respondents == ()
    assert import_long(target, exported).ok
    db.session.commit()
    data = current(target)
    assert not data.reloaded  # found by id: their submitted_at is in 2014
    assert len(data.dataset.respondents) == 4
    assert_same_as_a_full_read(target, data)


def test_a_response_the_watermark_misses_makes_a_full_read(ws, make):
    early = make.participant(ws, "nato", sector="media")
    begun = make.response(early, ws.waves[0], answers(), status=ResponseStatus.IN_PROGRESS)
    current(ws)
    # Submitted, by its time, long before the last read: only the count can tell.
    begun.status, begun.submitted_at = ResponseStatus.SUBMITTED, datetime(2014, 5, 1, tzinfo=UTC)
    db.session.commit()
    data = current(ws)
    assert data.reloaded
    assert early.public_id in {r.participant for r in data.dataset.respondents}
    assert_same_as_a_full_read(ws, data)


def test_a_pair_the_linking_code_makes_later_applies_to_kept_responses(ws, make):
    code = linking_hashes(ws, {"mother": "Amina", "day": "7", "town": "Lahore", "siblings": "2"})
    first = make.participant(ws, "pakistan")
    again = make.participant(ws, "pakistan")  # enrolled anew for the second wave
    for participant in (first, again):
        for column, value in code.items():
            setattr(participant, column, value)
    db.session.commit()
    make.response(first, ws.waves[0], answers())
    current(ws)
    make.response(again, ws.waves[1], answers(5))
    data = current(ws)
    assert not data.reloaded and data.links == {again.id: first.id}
    assert [r.wave for r in data.dataset.respondents if r.participant == first.public_id] == [
        "pre",
        "post",
    ]
    assert_same_as_a_full_read(ws, data)
