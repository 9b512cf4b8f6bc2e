import json
from dataclasses import replace

import numpy as np
import pytest
from scipy import stats

from survey.analysis import AnalysisSpec, Respondent, ScoreSpec, workshop_stats
from survey.analysis.priorities import rank_agreement
from survey.analysis.results import ItemDifference, Matching

TRUST = tuple(f"trust_{i}" for i in range(1, 8))
ITEMS = ("ct", "afghan", "border", "dialogue", "training", "transit", "crisis", "economy")
SPEC = AnalysisSpec(
    groups=("nato", "pakistan"),
    waves=("pre", "post"),
    scores={
        "trust": ScoreSpec("trust", TRUST, frozenset({"trust_6", "trust_7"}), 5, 1, 5),
        "trust_direct": ScoreSpec("trust_direct", ("trust_direct",), frozenset(), 1, 1, 5),
        "warmth": ScoreSpec("warmth", ("warmth",), frozenset(), 1, 0, 100),
        "meta_trust": ScoreSpec("meta_trust", ("meta_trust",), frozenset(), 1, 1, 5),
    },
    alpha_score="trust",
    perception=("meta_trust", "trust_direct"),
    ranking_items=ITEMS,
    group_labels={"nato": "NATO", "pakistan": "Pakistan"},
    bootstrap_draws=200,
)


def generate(sizes, seed=1, sectors=("government", "academia", "media")):
    """sizes: {(group, wave): n}; participant i of a group answers every wave it is sized for."""
    rng = np.random.default_rng(seed)
    out = []
    for (group, wave), n in sizes.items():
        shift = 0.6 if wave == "post" else 0.0
        for i in range(n):
            values = {c: int(rng.integers(1, 6)) for c in TRUST}
            values["trust_1"] = int(min(5, values["trust_1"] + (wave == "post")))
            values["trust_direct"] = int(np.clip(round(3 + shift + rng.normal()), 1, 5))
            values["meta_trust"] = int(rng.integers(1, 6))
            values["warmth"] = int(rng.integers(0, 101))
            if rng.random() < 0.1:
                values["trust_2"] = -9
            order = rng.permutation(len(ITEMS))
            ranking = {ITEMS[j]: r + 1 for r, j in enumerate(order)}
            sector = sectors[i % len(sectors)]
            language = ("en", "ur", "fr")[i % 3]
            out.append(
                Respondent(f"{group}-{i}", group, wave, language, sector, "lt2", values, ranking)
            )
    return out


FULL = {
    ("nato", "pre"): 20,
    ("nato", "post"): 18,
    ("pakistan", "pre"): 16,
    ("pakistan", "post"): 15,
}


def only_plain_types(value):
    if isinstance(value, dict):
        return all(type(k) is str and only_plain_types(v) for k, v in value.items())
    if isinstance(value, list):
        return all(only_plain_types(v) for v in value)
    return value is None or type(value) in (str, int, float, bool)


def statistic_objects(stats_dict):
    """Every object that carries a statistic, with a path for messages."""
    out = []
    for name, parts in stats_dict["scores"].items():
        out += [(f"{name}.cells", c) for c in parts["cells"]]
        out += [(f"{name}.paired", c) for c in parts["paired"]]
        out.append((f"{name}.group_by_time", parts["group_by_time"]))
    out += [("alpha", a) for a in stats_dict["alpha"]]
    p = stats_dict["priorities"]
    for key in ("cells", "agreement", "shared_top3", "largest_differences"):
        out += [(f"priorities.{key}", o) for o in p[key]]
    out.append(("priorities.convergence", p["convergence"]))
    out += [("perception", o) for o in stats_dict["perception"]]
    out += [("asymmetry", o) for o in stats_dict["asymmetry"]]
    return out


def test_shape_and_key_names_of_the_stats_json():
    stats = workshop_stats(generate(FULL), SPEC, workshop="demo")
    result = stats.as_dict()
    assert json.loads(stats.to_json()) == result
    json.dumps(result, allow_nan=False)
    assert only_plain_types(result)
    assert list(result) == [
        "workshop", "min_cell", "filters", "scores", "alpha", "priorities", "perception",
        "asymmetry", "matching", "findings", "themes",
    ]  # fmt: skip
    assert result["themes"] == {"themes": [], "questions": []}  # no codings given
    assert result["workshop"] == "demo" and result["min_cell"] == 5 and result["filters"] == {}
    assert list(result["scores"]) == ["trust", "trust_direct", "warmth", "meta_trust"]
    trust = result["scores"]["trust"]
    assert set(trust) == {"cells", "paired", "group_by_time"}
    assert {"group", "wave", "n", "mean", "sd", "median", "ci_low", "ci_high"} <= set(
        trust["cells"][0]
    )
    assert {
        "group", "n", "mean_change", "ci_low", "ci_high", "sd_change", "dz", "t", "t_p", "n_zero",
        "wilcoxon_w", "wilcoxon_p", "w_plus", "rank_biserial",
    } <= set(trust["paired"][0])  # fmt: skip
    assert {
        "n", "did", "did_ci_low", "did_ci_high", "welch_t", "welch_p", "mannwhitney_u",
        "mannwhitney_p",
    } <= set(trust["group_by_time"])  # fmt: skip
    assert {"group", "wave", "n", "alpha"} <= set(result["alpha"][0])
    p = result["priorities"]
    assert set(p) == {
        "items", "cells", "agreement", "convergence", "shared_top3", "largest_differences"
    }  # fmt: skip
    assert p["items"] == list(ITEMS)
    assert {"group", "wave", "n", "mean_rank", "top3_share"} <= set(p["cells"][0])
    assert list(p["cells"][0]["mean_rank"]) == list(ITEMS)
    assert {"wave", "n", "tau", "ci_low", "ci_high"} <= set(p["agreement"][0])
    assert {"n", "value"} <= set(p["convergence"])
    assert {"wave", "items"} <= set(p["shared_top3"][0])
    assert {"wave", "items"} <= set(p["largest_differences"][0])
    assert set(p["largest_differences"][0]["items"][0]) == {"item", "difference"}
    assert len(p["largest_differences"][0]["items"]) == 3
    assert {
        "group", "wave", "n", "meta_trust_mean", "other_trust_mean", "gap", "meta_trust_n",
        "other_trust_n",
    } <= set(result["perception"][0])  # fmt: skip
    assert {"wave", "n", "value"} <= set(result["asymmetry"][0])
    assert result["matching"] == {"matched": 0, "pre_only": 0, "post_only": 0, "ambiguous": 0}
    for path, obj in statistic_objects(result):
        assert {"n", "suppressed", "reason"} <= set(obj), path
        assert type(obj["n"]) is int and type(obj["suppressed"]) is bool, path
        assert obj["reason"] in (None, "suppressed", "undefined"), path
    assert all(isinstance(f, str) for f in result["findings"]) and result["findings"]


def test_typed_objects_read_as_their_json():
    stats = workshop_stats(generate(FULL), SPEC, workshop="demo")
    trust = stats.scores["trust"]
    assert trust.cell("pakistan", "post") == trust.cells[3]
    assert (
        trust.cell("pakistan", "post").as_dict() == stats.as_dict()["scores"]["trust"]["cells"][3]
    )
    assert trust.change("nato").group == "nato"
    assert stats.priorities.cell("nato", "post").wave == "post"
    differences = stats.priorities.largest_differences[0].items
    assert all(isinstance(d, ItemDifference) for d in differences)
    assert stats.priorities.convergence.from_wave == "pre"


def test_numbers_agree_with_scipy():
    respondents = generate(FULL)
    result = workshop_stats(respondents, SPEC, workshop="demo").as_dict()
    by_key = {(r.participant, r.wave): r for r in respondents}
    pairs = [
        (by_key[p, "pre"].values["trust_direct"], by_key[p, "post"].values["trust_direct"])
        for p, w in by_key
        if w == "pre" and p.startswith("nato") and (p, "post") in by_key
    ]
    pre, post = np.array(pairs).T
    paired = result["scores"]["trust_direct"]["paired"][0]
    assert paired["group"] == "nato" and paired["n"] == 18
    assert paired["t_p"] == pytest.approx(stats.ttest_rel(post, pre).pvalue)
    assert paired["wilcoxon_p"] == pytest.approx(stats.wilcoxon(post, pre).pvalue)
    cell = result["scores"]["warmth"]["cells"][0]
    warmth = [r.values["warmth"] for r in respondents if (r.group, r.wave) == ("nato", "pre")]
    assert (cell["n"], cell["mean"]) == (20, pytest.approx(np.mean(warmth)))
    asym = result["asymmetry"][0]
    nato, pak = result["scores"]["trust"]["cells"][0], result["scores"]["trust"]["cells"][2]
    assert asym["value"] == pytest.approx(nato["mean"] - pak["mean"])
    assert asym["n"] == min(nato["n"], pak["n"])
    gap = result["perception"][0]  # NATO pre: NATO meta-trust vs Pakistan's direct trust
    meta = result["scores"]["meta_trust"]["cells"][0]
    direct = result["scores"]["trust_direct"]["cells"][2]
    assert gap["gap"] == pytest.approx(meta["mean"] - direct["mean"])
    assert (gap["meta_trust_n"], gap["other_trust_n"]) == (meta["n"], direct["n"])
    conv = result["priorities"]["convergence"]
    tau = {a["wave"]: a["tau"] for a in result["priorities"]["agreement"]}
    assert conv["value"] == pytest.approx(tau["post"] - tau["pre"])


def test_the_agreement_bootstrap_follows_the_public_ids_not_the_input_order():
    from survey.analysis.priorities import rank_agreement

    respondents = generate(FULL)
    shuffled = [respondents[i] for i in np.random.default_rng(5).permutation(len(respondents))]
    agreement = workshop_stats(shuffled, SPEC, workshop="d").as_dict()["priorities"]["agreement"]

    def ranks(group: str, wave: str) -> np.ndarray:
        chosen = sorted(
            (r for r in shuffled if (r.group, r.wave) == (group, wave)),
            key=lambda r: r.participant,
        )
        return np.array([[r.ranking[item] for item in ITEMS] for r in chosen], dtype=float)

    for found, wave in zip(agreement, SPEC.waves, strict=True):
        expected = rank_agreement(
            ranks("nato", wave), ranks("pakistan", wave), draws=200, seed=SPEC.seed
        )
        assert (found["ci_low"], found["ci_high"]) == pytest.approx(
            (expected["ci_low"], expected["ci_high"])
        )
    again = workshop_stats(respondents, SPEC, workshop="d").as_dict()["priorities"]["agreement"]
    assert again == agreement


def test_a_group_under_min_cell_is_suppressed_everywhere():
    sizes = dict(FULL)
    sizes["pakistan", "pre"] = sizes["pakistan", "post"] = 4
    result = workshop_stats(generate(sizes), SPEC, workshop="demo").as_dict()
    json.dumps(result, allow_nan=False)
    for path, obj in statistic_objects(result):
        involves_pakistan = (
            obj.get("group") == "pakistan" or "group" not in obj or (path == "perception")
        )
        if involves_pakistan:
            assert obj["suppressed"] and obj["reason"] == "suppressed", path
            numbers = {
                k: v
                for k, v in obj.items()
                if k not in ("group", "wave", "from_wave", "to_wave", "suppressed", "reason")
                and not k.startswith("n")
                and not k.endswith("_n")
            }
            for key, value in numbers.items():
                assert value is None or all(v is None for v in value.values()), (path, key)
        else:
            assert not obj["suppressed"], path
    assert result["scores"]["trust"]["cells"][2]["n"] > 0  # n itself stays visible
    assert result["findings"]  # NATO's own changes are still reported
    assert not any("participants from Pakistan" in f for f in result["findings"])


def test_a_linked_response_is_drawn_in_the_order_of_its_own_public_id():
    # A post response linked to a pre participant by the linking code counts as that person,
    # but the exports list it under its own public id: the draws follow the exports.
    respondents = generate(FULL)
    linked = [
        replace(r, listed_as=f"z-{r.participant}")
        if (r.group, r.wave, r.participant) == ("nato", "post", "nato-0")
        else r
        for r in respondents
    ]
    agreement = workshop_stats(linked, SPEC, workshop="d").as_dict()["priorities"]["agreement"]

    def ranks(group: str, wave: str) -> np.ndarray:
        chosen = sorted(
            (r for r in linked if (r.group, r.wave) == (group, wave)),
            key=lambda r: r.listed_as or r.participant,
        )
        return np.array([[r.ranking[item] for item in ITEMS] for r in chosen], dtype=float)

    expected = rank_agreement(
        ranks("nato", "post"), ranks("pakistan", "post"), draws=200, seed=SPEC.seed
    )
    assert (agreement[1]["ci_low"], agreement[1]["ci_high"]) == pytest.approx(
        (expected["ci_low"], expected["ci_high"])
    )


def test_an_empty_filtered_cell_is_undefined_whatever_its_complement():
    # Pakistan before: 3 in media (under min_cell) and none in academia. Academia's cell is
    # empty: there is nothing to hide, whatever the rest of the group.
    sizes = {("nato", "pre"): 20, ("pakistan", "pre"): 3}
    respondents = generate(sizes, sectors=("media",))
    academia = workshop_stats(respondents, SPEC, workshop="d", filters={"sector": "academia"})
    empty = academia.scores["warmth"].cells[2]
    assert (empty.group, empty.n, empty.suppressed, empty.reason) == (
        "pakistan",
        0,
        False,
        "undefined",
    )


def test_a_filter_whose_complement_is_under_min_cell_is_suppressed():
    # Every sixth participant is in media, the others in government.
    sizes = {
        ("nato", "pre"): 24,
        ("nato", "post"): 24,
        ("pakistan", "pre"): 7,
        ("pakistan", "post"): 7,
    }
    sectors = ("government",) * 5 + ("media",)
    respondents = generate(sizes, sectors=sectors)
    government = workshop_stats(respondents, SPEC, workshop="d", filters={"sector": "government"})
    assert government.filters == {"sector": "government"}
    cells = government.scores["warmth"].cells
    # NATO: 20 government, complement 4 media -> withheld although n = 20.
    assert cells[0].n == 20 and cells[0].suppressed and cells[0].mean is None
    # Pakistan: 6 government of 7 -> complement 1 -> withheld.
    assert cells[2].n == 6 and cells[2].suppressed
    assert government.findings == ()
    # The complement rule reaches paired change and priorities as well.
    assert government.scores["warmth"].paired[0].suppressed
    assert government.priorities.cells[0].suppressed
    # Media itself: 4 NATO respondents, under min_cell.
    media = workshop_stats(respondents, SPEC, workshop="d", filters={"sector": "media"})
    assert media.scores["warmth"].cells[0].n == 4
    assert media.scores["warmth"].cells[0].reason == "suppressed"
    # A filter that selects the whole cell (complement 0) is not withheld.
    everyone = generate(sizes, sectors=("government",))
    whole = workshop_stats(everyone, SPEC, workshop="d", filters={"sector": "government"})
    assert not whole.scores["warmth"].cells[0].suppressed
    assert whole.scores["warmth"].cells[0].mean == pytest.approx(
        workshop_stats(everyone, SPEC, workshop="d").scores["warmth"].cells[0].mean
    )


def test_combined_filters_never_reveal_one_person_by_difference():
    # NATO before: six in media, five of them answering in Urdu; 24 in government, half in
    # Urdu. Media (n = 6) and media in Urdu (n = 5) are each allowed against the whole group
    # (a rest of 24 and 25), but their difference is one person's answers.
    sizes = {("nato", "pre"): 30, ("pakistan", "pre"): 30}
    people = []
    for k, person in enumerate(generate(sizes)):
        index = k % 30
        sector = "media" if index < 6 else "government"
        language = "ur" if index < 5 or (index >= 6 and index % 2) else "en"
        people.append(replace(person, sector=sector, language=language))

    def warmth(**filters):
        return workshop_stats(people, SPEC, workshop="d", filters=filters).scores["warmth"]

    assert not warmth(sector="media").cells[0].suppressed
    assert not warmth(language="ur").cells[0].suppressed  # 17 of 30
    both = warmth(sector="media", language="ur")
    assert both.cells[0].n == 5 and both.cells[0].suppressed and both.cells[0].mean is None
    # Urdu in government (12) passes the complement and sibling rules, but the 17 in Urdu minus
    # those 12 would give media in Urdu, and media minus that the one in English: withheld too
    # (table rule), and with it government in English, which would give it back.
    assert warmth(sector="government", language="ur").cells[0].suppressed
    assert warmth(sector="government", language="en").cells[0].suppressed
    assert not warmth(sector="government").cells[0].suppressed


def test_filters_language_and_unknown_keys():
    respondents = generate(FULL)
    result = workshop_stats(
        respondents, SPEC, workshop="d", filters={"language": "en", "sector": None}
    )
    assert result.filters == {"language": "en"}
    assert result.scores["trust_direct"].cells[0].n == 7  # 20 NATO pre, i % 3 == 0
    with pytest.raises(ValueError):
        workshop_stats(respondents, SPEC, workshop="d", filters={"country": "x"})


def test_a_wave_with_no_responses_is_undefined_not_suppressed():
    sizes = {("nato", "pre"): 12, ("pakistan", "pre"): 9}
    result = workshop_stats(generate(sizes), SPEC, workshop="d").as_dict()
    json.dumps(result, allow_nan=False)
    post_cell = result["scores"]["trust"]["cells"][1]
    assert post_cell["wave"] == "post" and post_cell["n"] == 0
    assert post_cell["reason"] == "undefined" and not post_cell["suppressed"]
    assert all(
        p["n"] == 0 and p["reason"] == "undefined" for p in result["scores"]["trust"]["paired"]
    )
    assert result["priorities"]["convergence"]["value"] is None
    assert result["priorities"]["agreement"][0]["tau"] is not None
    assert result["priorities"]["shared_top3"][1]["items"] is None


def test_no_response_at_all():
    result = workshop_stats([], SPEC, workshop="empty").as_dict()
    json.dumps(result, allow_nan=False)
    assert result["findings"] == []
    assert all(obj["reason"] == "undefined" for _, obj in statistic_objects(result))


def test_matching_is_passed_through():
    counts = Matching(matched=10, pre_only=2, post_only=1, ambiguous=1)
    result = workshop_stats(generate(FULL), SPEC, workshop="d", matching=counts)
    assert result.matching == counts
    assert result.as_dict()["matching"] == {
        "matched": 10,
        "pre_only": 2,
        "post_only": 1,
        "ambiguous": 1,
    }


def test_one_response_per_participant_and_wave():
    respondents = generate(FULL)
    with pytest.raises(ValueError):
        workshop_stats(respondents + respondents[:1], SPEC, workshop="d")


def test_deterministic():
    respondents = generate(FULL)
    assert workshop_stats(respondents, SPEC, workshop="d") == workshop_stats(
        respondents, SPEC, workshop="d"
    )


def test_convergence_names_its_waves_only_when_there_are_two():
    one_wave = replace(SPEC, waves=("pre",))
    sizes = {("nato", "pre"): 12, ("pakistan", "pre"): 9}
    result = workshop_stats(generate(sizes), one_wave, workshop="d").as_dict()
    assert result["priorities"]["convergence"] == {
        "n": 0,
        "value": None,
        "suppressed": False,
        "reason": "undefined",
    }
    small = {**FULL, ("pakistan", "post"): 3}
    withheld = workshop_stats(generate(small), SPEC, workshop="d").as_dict()
    assert list(withheld["priorities"]["convergence"].items()) == [
        ("from_wave", "pre"),  # codes, not numbers: named even when the value is withheld
        ("to_wave", "post"),
        ("n", 3),
        ("value", None),
        ("suppressed", True),
        ("reason", "suppressed"),
    ]
