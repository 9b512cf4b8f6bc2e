"""The headline: at most five plain sentences chosen from the findings by the documented rule
(docs/statistics.md, "Headline"), and findings in every language the instrument declares."""

import json
import re
from dataclasses import replace

from survey.analysis import workshop_stats
from survey.analysis.findings import CLEAR, PAIRED, all_findings
from survey.analysis.headline import HEADLINE_MAX, headline
from survey.analysis.results import WorkshopStats
from survey.analysis.wording import GroupWording, Wording
from tests.test_analysis_workshop import FULL, SPEC, generate

ENGLISH = Wording(
    "en",
    groups={
        "nato": GroupWording("NATO", "participants from NATO", {"other": "Pakistan"}),
        "pakistan": GroupWording("Pakistan", "Pakistani participants", {"other": "NATO"}),
    },
    scores={"trust": "trust in {other}", "trust_direct": "overall trust in {other}"},
    neutral={"other": "the other side"},
    waves={"pre": "Before the workshop", "post": "After the workshop"},
    items={"ct": "Counter-terrorism"},
)
FRENCH = Wording(
    "fr",
    groups={
        "nato": GroupWording("l'OTAN", "les participants de l'OTAN", {"other": "le Pakistan"}),
        "pakistan": GroupWording(
            "le Pakistan", "les participants pakistanais", {"other": "l'OTAN"}
        ),
    },
    scores={"trust": "la confiance envers {other}"},
    neutral={"other": "l'autre partie"},
    waves={"pre": "Avant l'atelier", "post": "Après l'atelier"},
)
URDU = Wording(
    "ur",
    groups={
        "nato": GroupWording("نیٹو", "نیٹو کے شرکاء", {"other": "پاکستان"}),
        "pakistan": GroupWording("پاکستان", "پاکستانی شرکاء", {"other": "نیٹو"}),
    },
    scores={"trust": "{other} پر اعتماد"},
    waves={"pre": "ورکشاپ سے پہلے", "post": "ورکشاپ کے بعد"},
)
WORDED = replace(SPEC, wordings={"en": ENGLISH, "fr": FRENCH, "ur": URDU})


def stats_of(spec=WORDED, sizes=FULL, seed=1):
    return workshop_stats(generate(sizes, seed), spec, workshop="d")


def test_the_headline_leads_with_the_main_score_for_each_group_then_gap_and_priorities():
    stats = stats_of()
    found = all_findings(stats, WORDED)
    lines = headline(found, WORDED)
    assert 1 <= len(lines) <= HEADLINE_MAX
    assert lines[0].startswith("Trust in Pakistan ") and "participants from NATO" in lines[0]
    assert lines[1].startswith("Trust in NATO ") and "Pakistani participants" in lines[1]
    assert any(line.startswith("After the workshop, ") and "trusts them" in line for line in lines)
    assert lines[-1].startswith("After the workshop, the two sides' priorities differed most on ")
    for line in lines:
        assert re.search(r"n = \d+", line), line
        assert line in {f.summary for f in found}  # chosen from the findings


def test_another_scores_clear_change_is_added_and_never_more_than_five(monkeypatch):
    stats = stats_of()
    found = all_findings(stats, WORDED)
    # A clear change in a second score joins, the smallest adjusted p first.
    clear = [
        replace(f, reading=CLEAR, p_adjusted=p, summary=f"clear {f.score} {f.group}.")
        for f, p in zip(
            [f for f in found if f.kind == PAIRED and f.score == "warmth"],
            (0.01, 0.001),
            strict=True,
        )
    ]
    lines = headline([*found, *clear], WORDED)
    assert lines[2] == "clear warmth pakistan." and len(lines) == HEADLINE_MAX
    assert "clear warmth nato." not in lines


def test_a_statistic_withheld_leaves_its_place_empty():
    sizes = dict(FULL)
    sizes["pakistan", "pre"] = sizes["pakistan", "post"] = 3
    lines = headline(all_findings(stats_of(sizes=sizes), WORDED), WORDED)
    assert len(lines) == 1 and "participants from NATO" in lines[0]
    assert not any("Pakistani participants" in line for line in lines)


def test_a_headline_needs_findings():
    empty = {key: 0 for key in FULL}
    assert headline(all_findings(stats_of(sizes=empty), WORDED), WORDED) == []


def test_findings_and_headline_in_every_declared_language():
    stats = stats_of()
    english = all_findings(stats, WORDED)
    for language, start in (("fr", "Parmi les participants de l'OTAN"), ("ur", "نیٹو کے شرکاء")):
        found = all_findings(stats, WORDED, language)
        assert [f.kind for f in found] == [f.kind for f in english]
        assert found[0].sentence.startswith(start), found[0].sentence
        assert headline(found, WORDED)
        for finding in found:
            assert "{" not in finding.sentence and "None" not in finding.sentence
    french = all_findings(stats, WORDED, "fr")
    assert "la confiance envers le Pakistan" in french[0].sentence
    assert re.search(r"\d,\d", french[0].sentence)  # decimal comma
    assert "پاکستان پر اعتماد" in all_findings(stats, WORDED, "ur")[0].sentence
    # The statistics carry the findings of the default (first) language.
    assert list(stats.findings) == [f.sentence for f in english]


def test_undeclared_roles_leave_their_statistics_and_findings_out():
    bare = replace(WORDED, perception=None, ranking_items=(), alpha_score=None)
    stats = stats_of(bare)
    document = json.loads(stats.to_json())
    assert document["priorities"] is None
    assert document["perception"] == [] and document["asymmetry"] == []
    assert document["alpha"] == []
    assert list(document["scores"]) == list(SPEC.scores)
    kinds = {f.kind for f in all_findings(stats, bare)}
    assert kinds == {"paired", "group_by_time"}
    lines = headline(all_findings(stats, bare), bare)
    assert lines and lines[0].startswith("Trust in Pakistan ")  # the first score leads
    no_scores = replace(bare, scores={})
    assert json.loads(stats_of(no_scores).to_json())["scores"] == {}


def test_the_statistics_come_back_whole_from_their_json():
    for spec in (WORDED, replace(WORDED, perception=None, ranking_items=(), alpha_score=None)):
        stats = stats_of(spec)
        assert WorkshopStats.from_dict(json.loads(stats.to_json())) == stats
