"""The translated texts of a document, corrections to them, and the classified diff of two
versions."""

import copy

import pytest

from survey.instruments import shipped_instrument
from survey.instruments.diff import STRUCTURAL, WORDING, classified_changes, only_wording
from survey.instruments.texts import translated_texts, with_corrections


@pytest.fixture
def shipped() -> dict:
    return copy.deepcopy(shipped_instrument("nato-pakistan-2014").definition)


def test_every_translated_text_is_listed_once_with_a_name(shipped):
    texts = translated_texts(shipped)
    ids = [text.id for text in texts]
    assert len(ids) == len(set(ids))
    by_id = {text.id: text for text in texts}
    assert by_id["titles"].where == "title"
    assert by_id["pages.1.questions.5.texts"].where == "page trust, question trust_agenda, text"
    assert by_id["scales.agree5.options.0.labels"].where == "scale agree5, option 1, label"
    assert by_id["groups.1.forms.*.other"].texts == {"en": "NATO", "ur": "نیٹو", "fr": "l'OTAN"}
    assert by_id["groups.0.forms.*.of_other"].texts == {"fr": "du Pakistan"}  # French only
    assert by_id["consent.privacy"].where == "consent, privacy notice"
    assert "metadata" not in " ".join(ids)


def test_corrections_replace_texts_in_a_copy(shipped):
    corrected = with_corrections(
        shipped,
        {
            ("pages.1.questions.0.texts", "ur"): "نیا متن",
            ("groups.0.forms.*.own", "fr"): "l'Alliance",
            ("groups.0.forms.*.of_other", "en"): "ignored: no English form",
            ("no.such.text", "en"): "ignored",
        },
    )
    assert corrected["pages"][1]["questions"][0]["texts"]["ur"] == "نیا متن"
    assert corrected["groups"][0]["forms"]["fr"]["own"] == "l'Alliance"
    assert "of_other" not in corrected["groups"][0]["forms"]["en"]
    assert shipped["pages"][1]["questions"][0]["texts"]["ur"] != "نیا متن"


def test_words_for_sentences_neutral_forms_and_phrases_are_texts_to_review(shipped):
    by_id = {text.id: text for text in translated_texts(shipped)}
    assert by_id["groups.1.sentence_forms.*.participants"].texts["fr"] == (
        "les participants pakistanais"
    )
    assert by_id["groups.1.sentence_forms.*.participants"].where == (
        "group pakistan, words for sentences {participants}"
    )
    assert by_id["neutral_forms.*.own_public"].texts["en"] == "their own country"
    assert by_id["scores.trust.phrases"].texts["fr"] == "la confiance envers {other}"
    assert by_id["scores.trust.phrases"].where == "score trust, phrase in findings"

    after = with_corrections(
        shipped,
        {
            ("scores.trust.phrases", "fr"): "la confiance en {other}",
            ("groups.1.sentence_forms.*.participants", "fr"): "les participants du Pakistan",
            ("neutral_forms.*.other", "fr"): "la partie adverse",
        },
    )
    assert after["groups"][1]["sentence_forms"]["fr"]["participants"] == (
        "les participants du Pakistan"
    )
    assert after["neutral_forms"]["fr"]["other"] == "la partie adverse"
    changes = classified_changes(shipped, after)
    assert len(changes) == 3 and only_wording(changes)


def test_identical_versions_have_no_change(shipped):
    assert classified_changes(shipped, copy.deepcopy(shipped)) == []


def test_a_translation_corrected_is_wording_only(shipped):
    after = with_corrections(shipped, {("pages.1.questions.0.texts", "ur"): "نیا متن"})
    changes = classified_changes(shipped, after)
    assert [(c.category, c.where, c.what, c.after) for c in changes] == [
        (WORDING, "question trust_commitments", "text (ur)", "نیا متن")
    ]
    assert only_wording(changes)


def test_moving_a_question_changes_the_order_but_no_text(shipped):
    after = copy.deepcopy(shipped)
    question = after["pages"][5]["questions"].pop(0)
    after["pages"][4]["questions"].append(question)
    changes = classified_changes(shipped, after)
    assert {(c.category, c.where, c.what) for c in changes} == {
        (STRUCTURAL, "page obstacles", "order of questions"),
        (STRUCTURAL, "page outlook", "order of questions"),
        (STRUCTURAL, "question optimism", "page"),
    }


@pytest.mark.parametrize(
    ("change", "where", "what"),
    [
        (
            lambda d: d["pages"][1]["questions"][5].update(reversed=False),
            "question trust_agenda",
            "reversed",
        ),
        (
            lambda d: d["pages"][1]["questions"][0].update(waves=["pre"]),
            "question trust_commitments",
            "waves added",
        ),
        (
            lambda d: d["pages"][1]["questions"][0].update(scale="amount5"),
            "question trust_commitments",
            "scale",
        ),
        (
            lambda d: d["pages"][5]["questions"][3].update(kind="text", max_length=20) or None,
            "question hope_text",
            "max_length",
        ),
        (lambda d: d["scales"]["agree5"]["options"].pop(), "scale agree5", "options"),
        (
            lambda d: d["pages"][0]["questions"][1]["options"].pop(),
            "question experience",
            "options",
        ),
        (lambda d: d["pages"][3]["questions"][0]["items"].pop(), "question priorities", "items"),
        (lambda d: d["non_response"].update(code=-99), "the instrument", "non_response"),
        (lambda d: d["scores"]["trust"].update(min_answered=6), "score trust", "min_answered"),
        (lambda d: d["analysis"].update(alpha="warmth"), "the instrument", "analysis"),
    ],
)
def test_structural_changes(shipped, change, where, what):
    after = copy.deepcopy(shipped)
    change(after)
    found = [(c.where, c.what) for c in classified_changes(shipped, after) if c.structural]
    assert (where, what) in found


def test_an_item_added_or_removed_is_one_structural_change(shipped):
    after = copy.deepcopy(shipped)
    removed = after["pages"][4]["questions"].pop(0)
    after["pages"][5]["questions"].append(
        {"code": "new_item", "kind": "text", "max_length": 10, "texts": removed["texts"]}
    )
    changes = classified_changes(shipped, after)
    assert [(c.category, c.where, c.what) for c in changes if c.what in ("added", "removed")] == [
        (STRUCTURAL, "question new_item", "added"),
        (STRUCTURAL, "question obstacle_legacy", "removed"),
    ]
    # Its texts and keys are not listed one by one.
    assert not [
        c
        for c in changes
        if c.where in ("question new_item", "question obstacle_legacy")
        and c.what not in ("added", "removed")
    ]


def test_metadata_version_labels_and_new_languages_are_wording(shipped):
    after = copy.deepcopy(shipped)
    after["version"] = "2014.2"
    after["metadata"]["translations"]["ur"]["status"] = "reviewed"
    after["consent"]["version"] = "2014-2"
    changes = classified_changes(shipped, after)
    assert {(c.category, c.what) for c in changes} == {
        (WORDING, "version"),
        (WORDING, "metadata translations.ur.status"),
        (WORDING, "version"),
    }
    fewer = copy.deepcopy(shipped)
    fewer["languages"] = ["en", "ur"]
    assert [c.category for c in classified_changes(shipped, fewer) if c.what == "languages"] == [
        STRUCTURAL
    ]
    assert [c.category for c in classified_changes(fewer, shipped) if c.what == "languages"] == [
        WORDING
    ]
