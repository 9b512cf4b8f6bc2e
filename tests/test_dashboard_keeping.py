"""Results kept in the database: their payload, their signature and the recomputation lease
(docs/operations.md, "Statistics kept in the database"), on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from survey.dashboard.cache import workshop_results
from survey.dashboard.filters import Filters
from survey.dashboard.keeping import (
    LEASE,
    KeptResults,
    decode,
    encode,
    filter_key,
    release_lease,
    result_signature,
    store,
    take_lease,
)
from survey.dashboard.reads.setting import workshop_setting
from survey.dashboard.reads.signature import data_signature
from survey.dashboard.refresh import draw_every_figure
from survey.extensions import db
from survey.models import StatsResult
from survey.models._types import utcnow
from tests.dashboard_helpers import populate


@pytest.fixture
def ws(make):
    ws = make.workshop(open_waves=("pre", "post"))
    populate(ws, 6, seed=3)
    return ws


def test_the_payload_gives_back_the_same_results(app, ws):
    app.config["STATS_DRAW_AHEAD"] = True
    setting = workshop_setting(ws)
    results = workshop_results(setting, ws, Filters(sector="media"))
    draw_every_figure(setting, results)
    back = decode(encode(results))
    assert back.filters == results.filters
    assert back.stats == results.stats
    assert back.distributions == results.distributions
    assert back.figures == results.figures and "priorities-ranks" in back.figures
    assert back.stats.to_json() == results.stats.to_json()


def test_the_signature_follows_data_setting_and_filters(ws, make):
    setting = workshop_setting(ws)
    signature = data_signature(setting)
    first = result_signature(setting, signature, Filters())
    assert first == result_signature(setting, data_signature(setting), Filters())
    assert first != result_signature(setting, signature, Filters(language="ur"))
    make.response(make.participant(ws, "nato"), "pre", {"warmth": 40})
    assert first != result_signature(setting, data_signature(setting), Filters())
    ws.min_cell = 6
    db.session.commit()
    moved = workshop_setting(ws)
    assert result_signature(moved, data_signature(moved), Filters()) != result_signature(
        setting, data_signature(moved), Filters()
    )
    assert filter_key(Filters(sector="media", language="ur")) == "language=ur&sector=media"


def row(ws, key=""):
    db.session.rollback()  # a fresh look: the lease is written on connections of its own
    return db.session.scalar(
        select(StatsResult).where(StatsResult.workshop_id == ws.id, StatsResult.filter_key == key)
    )


def test_one_holder_at_a_time_and_only_the_holder_stores(ws):
    setting = workshop_setting(ws)
    results = workshop_results(setting, ws, Filters())
    kept = KeptResults(results, "a" * 64, utcnow(), 12)
    assert take_lease(ws.id, "", "host-a")
    assert not take_lease(ws.id, "", "host-b")  # held
    assert not store(ws.id, "", "host-b", kept)  # not the holder: nothing kept
    assert row(ws).payload is None
    assert store(ws.id, "", "host-a", kept)
    kept_row = row(ws)
    assert (kept_row.signature, kept_row.compute_ms, kept_row.lease_holder) == ("a" * 64, 12, None)
    assert decode(kept_row.payload).stats == results.stats
    assert take_lease(ws.id, "", "host-b")  # released by storing
    release_lease(ws.id, "", "host-b")
    assert row(ws).lease_holder is None and row(ws).signature == "a" * 64  # result stays


def test_a_lease_whose_holder_died_expires(ws):
    assert take_lease(ws.id, "sector=media", "dead-host")
    assert not take_lease(ws.id, "sector=media", "host-b")
    later = utcnow() + LEASE + timedelta(seconds=1)
    assert take_lease(ws.id, "sector=media", "host-b", now=later)
    assert row(ws, "sector=media").lease_holder == "host-b"


def test_kept_results_go_with_their_workshop(ws):
    assert take_lease(ws.id, "", "host-a")
    db.session.rollback()  # a snapshot older than the lease could not write on SQLite
    db.session.delete(ws)
    db.session.commit()
    assert db.session.scalars(select(StatsResult)).all() == []
