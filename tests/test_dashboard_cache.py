"""The per-process cache: results kept until the data changes, a bounded map of entries."""

from survey.dashboard.cache import Lru, workshop_results
from survey.dashboard.filters import Filters
from survey.dashboard.reads.setting import workshop_setting
from survey.extensions import db
from survey.models import ResponseStatus
from tests.dashboard_helpers import populate


def test_results_are_cached_until_the_data_changes(app, make):
    ws = make.workshop(open_waves=("pre", "post"))
    populate(ws, 6, seed=1, post_share=0)
    setting = workshop_setting(ws)
    first = workshop_results(setting, ws, Filters())
    assert workshop_results(setting, ws, Filters()) is first
    filtered = workshop_results(setting, ws, Filters(sector="media"))
    assert filtered is not first and filtered.filters == Filters(sector="media")
    p = make.participant(ws, "nato")
    make.response(p, ws.waves[0], {"warmth": 50}, status=ResponseStatus.SUBMITTED)
    fresh = workshop_results(setting, ws, Filters())
    assert fresh is not first
    n = fresh.stats.scores["warmth"].cells[0].n
    assert n == first.stats.scores["warmth"].cells[0].n + 1
    # min_cell is part of the key.
    ws.min_cell = 7
    db.session.commit()
    assert workshop_results(workshop_setting(ws), ws, Filters()) is not fresh


def test_cache_keeps_only_the_latest_entries():
    cache = Lru(size=2)
    cache.put(("a",), "A")
    cache.put(("b",), "B")
    assert cache.get(("a",)) == "A"  # now the most recent
    cache.put(("c",), "C")
    assert cache.get(("b",)) is None and cache.get(("a",)) == "A" and cache.get(("c",)) == "C"
