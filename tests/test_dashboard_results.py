import json
import math
from dataclasses import replace

import pytest
from scipy import stats as scipy_stats

from survey.analysis.results import Matching
from survey.dashboard.filters import Filters
from survey.dashboard.loading import load_dataset
from survey.dashboard.reads.cells import CellSize, cell_sizes
from survey.dashboard.reads.setting import workshop_setting
from survey.dashboard.results import compute_results
from survey.dashboard.views.text import free_text
from tests.dashboard_helpers import TRUST_ITEMS, populate


def reject_constant(name):
    raise AssertionError(f"{name} in JSON")


def trust_answers(values):
    return dict(zip(TRUST_ITEMS, values, strict=True))


def test_trust_score_from_the_database_matches_a_hand_computation(make):
    ws = make.workshop(open_waves=("pre", "post"))
    rows = [
        (4, 4, 3, 5, 4, 2, 1),  # reversed 2, 1 -> 4, 5: mean 29/7
        (3, 3, 3, 3, 3, 3, 3),
        (5, 4, -9, 4, 5, 1, 2),  # 6 answered: (5 + 4 + 4 + 5 + 5 + 4) / 6
        (2, 2, 2, 1, 2, 4, 5),
        (1, 2, 3, 4, 5, 5, 5),
        (4, -9, -9, -9, 4, 2, 2),  # 4 of 7 answered: no score
    ]
    for values in rows:
        make.response(make.participant(ws, "nato"), ws.waves[0], trust_answers(values))
    expected = [
        29 / 7,
        3.0,
        27 / 6,
        (2 + 2 + 2 + 1 + 2 + 2 + 1) / 7,
        (1 + 2 + 3 + 4 + 5 + 1 + 1) / 7,
    ]
    setting = workshop_setting(ws)
    results = compute_results(setting, load_dataset(setting), Filters(), Matching())
    cell = results.stats.scores["trust"].cells[0]
    assert (cell.group, cell.wave, cell.n) == ("nato", "pre", 5)
    assert cell.mean == pytest.approx(sum(expected) / 5)
    sd = scipy_stats.tstd(expected)
    half = scipy_stats.t.ppf(0.975, 4) * sd / math.sqrt(5)
    assert cell.ci_low == pytest.approx(sum(expected) / 5 - half)
    assert cell_sizes(setting, Filters())["nato", "pre"] == CellSize(6, 6, False)
    # Pakistan has no responses: undefined, not suppressed.
    empty = results.stats.scores["trust"].cells[2]
    assert (empty.group, empty.n, empty.mean, empty.reason) == (
        "pakistan",
        0,
        None,
        "undefined",
    )


def test_small_cells_and_small_complements_are_withheld_everywhere(make):
    ws = make.workshop(open_waves=("pre", "post"), min_cell=5)
    # Sector cycles government, academia, media: 12 NATO -> 4 of each; Pakistan 3 in all.
    populate(ws, {"nato": 12, "pakistan": 3}, post_share=1.0, seed=5)
    setting = workshop_setting(ws)
    data = load_dataset(setting)
    whole = compute_results(setting, data, Filters(), Matching())
    assert not cell_sizes(setting, Filters())["nato", "pre"].suppressed
    assert cell_sizes(setting, Filters())["pakistan", "pre"] == CellSize(3, 3, True)
    pakistan = [c for c in whole.stats.scores["trust"].cells if c.group == "pakistan"]
    assert all(c.suppressed and c.mean is None for c in pakistan)
    for distribution in whole.distributions.values():
        for cell in distribution.cells:
            if cell.group == "pakistan":
                assert cell.suppressed and cell.counts is None

    # Filtered to government (4 of 12): under min_cell itself.
    government = compute_results(setting, data, Filters(sector="government"), Matching())
    assert cell_sizes(setting, Filters(sector="government"))["nato", "pre"] == CellSize(4, 12, True)
    assert government.stats.scores["warmth"].cells[0].suppressed
    # Experience cycles lt2 / 5to9: 6 inside, a complement of 6: shown.
    experienced = compute_results(setting, data, Filters(experience="5to9"), Matching())
    assert cell_sizes(setting, Filters(experience="5to9"))["nato", "pre"] == CellSize(6, 12, False)
    assert not experienced.distributions["obstacle_legacy"].cells[0].suppressed


def test_complement_rule_on_the_cells(make):
    ws = make.workshop(open_waves=("pre",), min_cell=3)
    # 5 in English and 2 in Urdu.
    populate(ws, {"nato": 7}, languages=("en", "en", "en", "en", "en", "ur", "ur"), seed=2)
    setting = workshop_setting(ws)
    data = load_dataset(setting)
    english = compute_results(setting, data, Filters(language="en"), Matching())
    # 5 English answers with a complement of 2 (< 3): both views are withheld.
    assert cell_sizes(setting, Filters(language="en"))["nato", "pre"] == CellSize(5, 7, True)
    assert cell_sizes(setting, Filters(language="ur"))["nato", "pre"] == CellSize(2, 7, True)
    cell = english.stats.scores["warmth"].cells[0]
    assert cell.suppressed and cell.mean is None
    assert all(c.suppressed for c in english.distributions["optimism"].cells[:1])


def test_stats_json_never_carries_nan_or_infinity(make):
    ws = make.workshop(open_waves=("pre", "post"), min_cell=2)
    # Constant answers: zero variance everywhere.
    for _ in range(3):
        p = make.participant(ws, "nato")
        make.response(p, ws.waves[0], {**trust_answers((3,) * 7), "warmth": 50, "trust_direct": 3})
        make.response(p, ws.waves[1], {**trust_answers((3,) * 7), "warmth": 50, "trust_direct": 3})
    setting = workshop_setting(ws)
    results = compute_results(setting, load_dataset(setting), Filters(), Matching())
    text = results.stats.to_json()
    parsed = json.loads(text, parse_constant=reject_constant)
    paired = parsed["scores"]["trust"]["paired"][0]
    assert paired["n"] == 3 and paired["n_zero"] == 3 and paired["t"] is None
    assert paired["reason"] == "undefined"
    with pytest.raises(ValueError):
        replace(results.stats, min_cell=float("nan")).to_json()


def test_combined_filters_are_withheld_against_each_wider_selection(make, count_statements):
    ws = make.workshop(open_waves=("pre",), min_cell=5)
    # 30 NATO participants: the first six in media (five answering in Urdu, one in English),
    # then 24 in government, half in each language.
    sectors = ("media",) * 6 + ("government",) * 24
    languages = ("ur",) * 5 + ("en",) + ("en", "ur") * 12
    populate(ws, {"nato": 30}, sectors=sectors, languages=languages, seed=3)
    setting = workshop_setting(ws)
    data = load_dataset(setting)
    media, both = Filters(sector="media"), Filters(sector="media", language="ur")
    assert cell_sizes(setting, media)["nato", "pre"] == CellSize(6, 30, False)
    # Allowed against the whole group (a rest of 25), not against media alone (a rest of 1).
    with count_statements() as seen:
        assert cell_sizes(setting, both)["nato", "pre"] == CellSize(5, 30, True)
    # Every selection the rules compare (wider ones, siblings) is a sum of one statement's rows.
    assert len(seen.statements) == 1
    shown = compute_results(setting, data, media, Matching())
    withheld = compute_results(setting, data, both, Matching())
    assert not shown.stats.scores["warmth"].cells[0].suppressed
    assert withheld.stats.scores["warmth"].cells[0].suppressed
    for name, distribution in withheld.distributions.items():
        cell = distribution.cells[0]
        assert cell.n == 0 or (cell.suppressed and cell.counts is None), name


def test_every_view_withholds_the_sibling_that_would_give_away_a_small_value(make):
    """One participant with no experience, ten with less than two years, nine with five to
    nine: the whole cell minus the two shown bands would give the one's answers, so the
    smaller band is withheld too, by the cell sizes (SQL), the statistics, the answer bars and
    the free text alike."""
    ws = make.workshop(open_waves=("pre",), min_cell=5)
    bands = ("none",) + ("lt2",) * 10 + ("5to9",) * 9
    populate(ws, {"nato": 20}, experiences=bands, text={"hope_text": "secret"}, seed=4)
    setting = workshop_setting(ws)
    data = load_dataset(setting)
    expected = {"none": True, "lt2": False, "5to9": True}
    for band, withheld in expected.items():
        filters = Filters(experience=band)
        assert cell_sizes(setting, filters)["nato", "pre"].suppressed is withheld, band
        results = compute_results(setting, data, filters, Matching())
        cell = results.stats.scores["trust"].cells[0]
        assert (cell.group, cell.wave, cell.suppressed) == ("nato", "pre", withheld), band
        assert (cell.mean is None) is withheld
        bars = results.distributions["optimism"].cells[0]
        assert (bars.suppressed, bars.counts is None) == (withheld, withheld), band
        text = free_text(setting, filters, question="hope_text", group="nato")[0]
        assert (text.suppressed, len(text.answers)) == (withheld, 0 if withheld else 10), band


def test_every_view_withholds_the_fourth_corner_of_a_square(make):
    """Media: one in Urdu, ten in English; government: ten in Urdu, twelve in English. With
    sector and language combined, the sibling and complement rules withhold three corners, and
    government in English with its totals would give them back: the table rule withholds it
    too, in the cell sizes (SQL), the statistics, the answer bars and the free text alike. The
    one-filter selections stay shown."""
    ws = make.workshop(open_waves=("pre",), min_cell=5)
    sectors = ("media",) * 11 + ("government",) * 22
    languages = ("ur",) + ("en",) * 10 + ("ur",) * 10 + ("en",) * 12
    populate(
        ws, {"nato": 33}, sectors=sectors, languages=languages, text={"hope_text": "x"}, seed=5
    )
    setting = workshop_setting(ws)
    data = load_dataset(setting)
    corners = [
        Filters(sector=s, language=lang) for s in ("media", "government") for lang in ("ur", "en")
    ]
    alone = [Filters(sector="media"), Filters(sector="government"), Filters(language="ur")]
    for filters in corners + alone:
        withheld = filters in corners
        assert cell_sizes(setting, filters)["nato", "pre"].suppressed is withheld, filters
        results = compute_results(setting, data, filters, Matching())
        cell = results.stats.scores["trust"].cells[0]
        assert (cell.suppressed, cell.mean is None) == (withheld, withheld), filters
        bars = results.distributions["optimism"].cells[0]
        assert (bars.suppressed, bars.counts is None) == (withheld, withheld), filters
        text = free_text(setting, filters, question="hope_text", group="nato")[0]
        assert text.suppressed is withheld, filters
