"""The instrument's words for sentences (groups' sentence forms, scores' phrases, neutral
forms) and its optional analysis roles: validated, with fallbacks (docs/instrument-format.md,
"Words for sentences" and "Analysis")."""

import pytest
import yaml

from survey.instruments import (
    InstrumentError,
    instrument_from_definition,
    load_instrument,
    shipped_instrument,
    shipped_instruments,
)

KEY = "nato-pakistan-2014"


@pytest.fixture
def document():
    """The shipped document as plain data, to change in one place per test."""
    return yaml.safe_load(shipped_instruments()[KEY].read_text(encoding="utf-8"))


def problems_of(tmp_path, document):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
    with pytest.raises(InstrumentError) as caught:
        load_instrument(path)
    return caught.value.problems


def test_the_shipped_instrument_declares_its_words_in_every_language():
    instrument = shipped_instrument(KEY)
    nato, pakistan = instrument.group("nato"), instrument.group("pakistan")
    assert pakistan.participants("en") == "Pakistani participants"
    assert nato.participants("en") == "participants from NATO"
    assert (nato.sentence_name("fr"), pakistan.sentence_name("fr")) == ("l'OTAN", "le Pakistan")
    for language in instrument.languages:
        assert nato.participants(language) and pakistan.participants(language)
        assert instrument.neutral(language)["other"]
        for score in instrument.scores.values():
            assert score.phrase(language), (score.name, language)
    assert instrument.scores["trust"].phrase("en") == "trust in {other}"
    assert instrument.neutral("en")["other"] == "the other side"
    assert instrument.metadata["translations"]["ur"]["status"] == "needs-native-review"


def test_words_left_out_fall_back(document):
    for group in document["groups"]:
        del group["sentence_forms"]
    del document["neutral_forms"]
    for score in document["scores"].values():
        score.pop("phrases")
    instrument = instrument_from_definition(document)
    assert instrument.group("pakistan").participants("en") is None
    assert instrument.group("pakistan").sentence_name("fr") == "Pakistan"  # forms.fr.name
    assert instrument.neutral("fr") == {}
    assert instrument.scores["trust"].phrase("en") is None


def test_words_may_be_given_for_some_languages_only(document):
    document["groups"][0]["sentence_forms"] = {"en": {"participants": "NATO officials"}}
    document["scores"]["trust"]["phrases"] = {"fr": "la confiance envers {other}"}
    instrument = instrument_from_definition(document)
    assert instrument.group("nato").participants("en") == "NATO officials"
    assert instrument.group("nato").participants("fr") is None
    assert instrument.group("nato").sentence_name("en") == "NATO"
    assert instrument.scores["trust"].phrase("en") is None


def test_bad_words_are_refused_with_their_place(tmp_path, document):
    forms = document["groups"][1]["sentence_forms"]
    forms["de"] = {"participants": "pakistanische Teilnehmende"}
    forms["en"]["participants"] = " "
    forms["fr"]["name"] = "le {Pakistan}"
    document["neutral_forms"]["en"]["own"] = ""
    document["scores"]["trust"]["phrases"]["en"] = "trust in {them}"
    assert problems_of(tmp_path, document) == [
        "bad.yaml: groups[1].sentence_forms.en.participants: empty form",
        "bad.yaml: groups[1].sentence_forms.fr.name: a form cannot hold braces",
        "bad.yaml: groups[1].sentence_forms.de: forms for undeclared language 'de'",
        "bad.yaml: neutral_forms.en.own: empty form",
        "bad.yaml: scores.trust.phrases.en: placeholder {them} is not a form of groups nato, "
        "pakistan in language 'en'",
    ]


def test_sentence_forms_know_only_participants_and_name(tmp_path, document):
    document["groups"][0]["sentence_forms"]["en"]["adjective"] = "NATO"
    assert problems_of(tmp_path, document) == [
        "bad.yaml: groups[0].sentence_forms.en.adjective: unknown key 'adjective' "
        "(expected: participants, name)"
    ]


def test_scores_and_analysis_roles_are_optional(document):
    del document["analysis"]
    bare = instrument_from_definition(document)
    assert (bare.perception, bare.ranking_question, bare.alpha_score) == (None, None, None)
    assert list(bare.scores) == ["trust", "trust_direct", "warmth", "meta_trust"]
    del document["scores"]
    document["analysis"] = {"ranking": "priorities"}
    ranked = instrument_from_definition(document)
    assert ranked.scores == {} and ranked.ranking_question == "priorities"
    assert ranked.perception is None and ranked.alpha_score is None


def test_a_declared_role_is_still_checked(tmp_path, document):
    del document["analysis"]["perception"]
    document["analysis"]["alpha"] = "nothing"
    assert problems_of(tmp_path, document) == ["bad.yaml: analysis.alpha: unknown score 'nothing'"]
