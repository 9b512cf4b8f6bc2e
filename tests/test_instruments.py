"""The instrument format: the shipped questionnaire, and the refusal of malformed files."""

import copy
import dataclasses
import hashlib
import json
import time

import pytest
import yaml

from survey.instruments import (
    InstrumentError,
    QuestionKind,
    check_shared_items,
    instrument_from_definition,
    load_instrument,
    shipped_instrument,
    shipped_instruments,
)

KEY = "nato-pakistan-2014"
TRUST_ITEMS = [
    "trust_commitments",
    "trust_information",
    "trust_concerns",
    "trust_afghanistan",
    "trust_partner",
    "trust_agenda",
    "trust_exploit",
]
OBSTACLES = [
    "obstacle_legacy",
    "obstacle_threats",
    "obstacle_public_opinion",
    "obstacle_channels",
    "obstacle_regional",
]
PROFILE = ["sector", "experience", "prior_dialogue"]
CORE = [
    *TRUST_ITEMS,
    "trust_direct",
    "warmth",
    "meta_trust",
    "priorities",
    *OBSTACLES,
    "optimism",
    "network_effect",
]
PRE_ONLY = ["expect_understanding", "hope_text"]
POST_ONLY = [
    "eval_interests",
    "eval_differences",
    "eval_followup",
    "eval_overall",
    "takeaway_text",
    "view_change_text",
]


@pytest.fixture(scope="module")
def instrument():
    return shipped_instrument(KEY)


@pytest.fixture
def document():
    """The shipped document as plain data, to break in one place per test."""
    return yaml.safe_load(shipped_instruments()[KEY].read_text(encoding="utf-8"))


def write(tmp_path, document, name="bad.yaml"):
    path = tmp_path / name
    if name.endswith(".json"):
        path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    else:
        path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def problems_of(tmp_path, document, name="bad.yaml"):
    with pytest.raises(InstrumentError) as caught:
        load_instrument(write(tmp_path, document, name))
    return caught.value.problems


def question_entry(document, code):
    for page in document["pages"]:
        for entry in page["questions"]:
            if entry["code"] == code:
                return entry
    raise KeyError(code)


# ---------------------------------------------------------------- the shipped instrument


def test_shipped_instrument_is_listed_and_loads(instrument):
    assert shipped_instruments()[KEY].is_file()
    assert instrument.key == KEY
    assert instrument.version_label == "2014.1"
    assert instrument.languages == ("en", "ur", "fr")
    assert instrument.rtl_languages == frozenset({"ur"})
    assert instrument.waves == ("pre", "post")
    assert [group.code for group in instrument.groups] == ["nato", "pakistan"]
    assert instrument.non_response_code == -9
    assert instrument.title("en") == "NATO–Pakistan partnership after 2014"


def test_unknown_shipped_instrument_is_a_key_error():
    with pytest.raises(KeyError):
        shipped_instrument("no-such-instrument")


def test_questions_per_wave(instrument):
    assert [q.code for q in instrument.questions] == PROFILE + CORE + PRE_ONLY + POST_ONLY
    assert [q.code for q in instrument.questions_for_wave("pre")] == PROFILE + CORE + PRE_ONLY
    assert [q.code for q in instrument.questions_for_wave("post")] == PROFILE + CORE + POST_ONLY
    assert len(instrument.questions_for_wave("pre")) == 23
    assert len(instrument.questions_for_wave("post")) == 27


def test_pre_and_post_share_exactly_the_core_set(instrument):
    pre = {q.code for q in instrument.questions_for_wave("pre")}
    post = {q.code for q in instrument.questions_for_wave("post")}
    assert pre & post == set(PROFILE + CORE)
    assert check_shared_items(instrument, "pre", instrument, "post") == []


def test_pages_in_order_and_filtered_by_wave(instrument):
    codes = ["profile", "trust", "overall", "priorities", "obstacles", "outlook"]
    assert [page.code for page in instrument.pages] == codes
    outlook = instrument.pages_for_wave("pre")[-1]
    assert [q.code for q in outlook.questions] == ["optimism", "network_effect", *PRE_ONLY]
    assert all(q.page == page.code for page in instrument.pages for q in page.questions)
    assert instrument.page("review").title("fr") == "Vérifier et envoyer"
    assert instrument.pages[1].title("en", instrument.forms("en", "pakistan")) == "How you see NATO"
    with pytest.raises(KeyError):
        instrument.pages_for_wave("followup")


def test_scales_labels_and_non_response(instrument):
    agree = instrument.question("trust_commitments")
    assert agree.kind is QuestionKind.SCALE and agree.scale == "agree5"
    assert [o.code for o in agree.options] == [1, 2, 3, 4, 5]
    assert agree.options[0].label("en") == "Strongly disagree"
    assert agree.options[-1].label("en") == "Strongly agree"
    effect = instrument.question("network_effect")
    assert [o.label("en") for o in effect.options] == [
        "Weaken it a lot",
        "Weaken it a little",
        "No effect",
        "Strengthen it a little",
        "Strengthen it a lot",
    ]
    ends = {
        "trust_direct": ("Not at all", "Completely"),
        "obstacle_legacy": ("Not an obstacle", "A major obstacle"),
        "optimism": ("Very pessimistic", "Very optimistic"),
        "eval_overall": ("Not at all useful", "Extremely useful"),
    }
    for code, (first, last) in ends.items():
        options = instrument.question(code).options
        assert (options[0].label("en"), options[-1].label("en")) == (first, last)
    warmth = instrument.question("warmth")
    assert warmth.kind is QuestionKind.INTEGER
    assert (warmth.minimum, warmth.maximum, warmth.widget) == (0, 100, "thermometer")
    scaled = [q for q in instrument.questions if q.kind in ("scale", "integer")]
    assert len(scaled) == 22
    assert all(q.allows_non_response for q in scaled)
    assert not any(q.allows_non_response for q in instrument.questions if q not in scaled)
    assert instrument.non_response_label("en") == "Prefer not to answer"


def test_nothing_is_required_and_numeric_kinds(instrument):
    assert not any(q.required for q in instrument.questions)
    numeric = {q.code for q in instrument.questions if q.numeric()}
    assert "priorities" in numeric and "warmth" in numeric and "trust_agenda" in numeric
    assert not numeric & {"sector", "prior_dialogue", "hope_text"}


def test_constructs_reversal_and_scores(instrument):
    assert [q.code for q in instrument.questions if q.construct == "trust"] == TRUST_ITEMS
    assert {q.code for q in instrument.questions if q.reversed} == {"trust_agenda", "trust_exploit"}
    assert list(instrument.scores) == ["trust", "trust_direct", "warmth", "meta_trust"]
    trust = instrument.scores["trust"]
    assert trust.items == tuple(TRUST_ITEMS)
    assert trust.reversed == frozenset({"trust_agenda", "trust_exploit"})
    assert (trust.min_answered, trust.scale_min, trust.scale_max) == (5, 1, 5)
    warmth = instrument.scores["warmth"]
    assert (warmth.items, warmth.scale_min, warmth.scale_max) == (("warmth",), 0, 100)
    assert instrument.perception == ("meta_trust", "trust_direct")
    assert instrument.ranking_question == "priorities"
    assert instrument.alpha_score == "trust"


def test_texts_are_verbatim_from_the_design(instrument):
    text = {q.code: q.text("en") for q in instrument.questions}
    assert text["trust_concerns"] == "{other} takes {own}'s security concerns seriously."
    assert text["trust_exploit"] == "{other} would take advantage of {own} if it could."
    assert text["hope_text"] == (
        "What is the single most important thing this workshop should achieve?"
    )
    assert text["view_change_text"] == (
        "Did anything during the workshop change your view of {other}? If so, what?"
    )
    assert text["obstacle_public_opinion"] == "Public opinion in {own_public}"


def test_profile_questions(instrument):
    assert [q.code for q in instrument.profile_questions] == PROFILE
    assert [o.code for o in instrument.question("sector").options] == [
        "government",
        "military",
        "diplomatic",
        "academia",
        "media",
        "civil_society",
        "international_org",
        "other",
    ]
    experience = instrument.question("experience")
    assert [o.code for o in experience.options] == ["none", "lt2", "2to4", "5to9", "10plus"]
    assert instrument.question_text(experience, "en", "nato") == (
        "How many years have you worked on issues involving Pakistan?"
    )
    prior = instrument.question("prior_dialogue")
    assert prior.kind is QuestionKind.YES_NO
    assert [(o.code, o.label("ur")) for o in prior.options] == [("yes", "ہاں"), ("no", "نہیں")]
    assert all(q.waves == ("pre", "post") for q in instrument.profile_questions)


def test_ranking_items(instrument):
    priorities = instrument.question("priorities")
    assert priorities.kind is QuestionKind.RANKING
    assert [item.code for item in priorities.items] == [
        "counter_terrorism",
        "afghan_transition",
        "border_management",
        "political_dialogue",
        "training_education",
        "transit_logistics",
        "crisis_communication",
        "regional_economy",
    ]
    assert priorities.item("border_management").label("en") == (
        "Management of the Afghanistan–Pakistan border"
    )


def test_text_questions(instrument):
    for code in ("hope_text", "takeaway_text", "view_change_text"):
        question = instrument.question(code)
        assert (question.kind, question.max_length, question.required) == ("text", 2000, False)


@pytest.mark.parametrize(
    ("group", "language", "code", "expected"),
    [
        ("nato", "en", "trust_commitments", "Pakistan keeps the commitments it makes to NATO."),
        ("pakistan", "en", "trust_commitments", "NATO keeps the commitments it makes to Pakistan."),
        ("nato", "en", "trust_concerns", "Pakistan takes NATO's security concerns seriously."),
        ("nato", "en", "obstacle_public_opinion", "Public opinion in NATO member states"),
        ("pakistan", "en", "obstacle_public_opinion", "Public opinion in Pakistan"),
        (
            "nato",
            "fr",
            "trust_commitments",
            "Le Pakistan tient les engagements qu'il prend envers l'OTAN.",
        ),
        (
            "pakistan",
            "fr",
            "trust_commitments",
            "L'OTAN tient les engagements qu'elle prend envers le Pakistan.",
        ),
        (
            "nato",
            "fr",
            "trust_concerns",
            "Le Pakistan prend au sérieux les préoccupations de sécurité de l'OTAN.",
        ),
        (
            "pakistan",
            "fr",
            "trust_concerns",
            "L'OTAN prend au sérieux les préoccupations de sécurité du Pakistan.",
        ),
        (
            "pakistan",
            "fr",
            "meta_trust",
            "Selon vous, dans quelle mesure l'OTAN fait-elle confiance au Pakistan ?",
        ),
        (
            "nato",
            "fr",
            "obstacle_public_opinion",
            "L'opinion publique dans les États membres de l'OTAN",
        ),
        ("pakistan", "fr", "obstacle_public_opinion", "L'opinion publique au Pakistan"),
        ("nato", "ur", "trust_commitments", "پاکستان نیٹو سے کیے گئے اپنے وعدے پورے کرتا ہے۔"),
        ("pakistan", "ur", "trust_commitments", "نیٹو پاکستان سے کیے گئے اپنے وعدے پورے کرتا ہے۔"),
    ],
)
def test_question_text_is_filled_for_each_group_and_language(
    instrument, group, language, code, expected
):
    assert instrument.question_text(code, language, group) == expected


def test_every_text_fills_completely(instrument):
    for group in instrument.groups:
        for language in instrument.languages:
            forms = instrument.forms(language, group.code)
            for page in instrument.pages:
                assert "{" not in page.title(language, forms) + page.intro(language, forms)
                for question in page.questions:
                    assert "{" not in instrument.question_text(question, language, group.code)
                    labels = [o.label(language) for o in question.options + question.items]
                    assert not any("{" in label for label in labels)


def test_group_forms_and_names(instrument):
    nato, pakistan = instrument.groups
    assert (nato.name("en"), pakistan.name("en")) == ("NATO", "Pakistan")
    assert (nato.name("ur"), pakistan.name("ur")) == ("نیٹو", "پاکستان")
    assert nato.forms["en"]["own_public"] == "NATO member states"
    assert instrument.group("pakistan").forms["fr"]["of_own"] == "du Pakistan"
    assert instrument.fill("{own} / {other}", "en", "pakistan") == "Pakistan / NATO"
    with pytest.raises(KeyError):
        instrument.group("isaf")


def test_consent_and_privacy(instrument):
    consent = instrument.consent
    assert consent.version == "2014-1"
    assert consent.agree("en") == "I agree to take part"
    assert consent.text("en").startswith(
        "This questionnaire is part of the NATO–Pakistan partnership workshop. It asks how you"
        " see the relationship now,"
    )
    assert consent.text("en").endswith(
        "You can ask the organisers to delete all your answers at any time."
    )
    for language in instrument.languages:
        assert consent.text(language) and consent.agree(language) and consent.title(language)
        assert consent.privacy(language).count("\n\n") == 3  # stored, who, how long, contact
        assert consent.privacy_title(language)


def test_translations_are_marked_for_native_review(instrument):
    translations = instrument.metadata["translations"]
    assert translations["ur"]["status"] == "needs-native-review"
    assert translations["fr"]["status"] == "needs-native-review"


def test_definition_round_trips_through_json(instrument):
    stored = json.dumps(instrument.definition, ensure_ascii=False)
    reloaded = instrument_from_definition(json.loads(stored))
    assert reloaded == instrument
    assert reloaded.checksum == instrument.checksum
    canonical = json.dumps(
        instrument.definition, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    assert instrument.checksum == hashlib.sha256(canonical.encode()).hexdigest()


def test_instrument_is_immutable_and_hashable(instrument):
    question = instrument.question("trust_agenda")
    with pytest.raises(dataclasses.FrozenInstanceError):
        question.code = "x"
    with pytest.raises(TypeError):
        question.texts["en"] = "x"
    assert len({question, instrument.question("trust_agenda"), instrument}) == 2
    with pytest.raises(KeyError):
        instrument.question("no_such_question")


def test_json_files_load_too(tmp_path, instrument):
    path = tmp_path / "copy.json"
    path.write_text(json.dumps(instrument.definition), "utf-8")
    assert load_instrument(path).checksum == instrument.checksum


# ---------------------------------------------------------------- malformed documents


def test_missing_translation(tmp_path, document):
    del document["pages"][2]["questions"][0]["texts"]["ur"]
    assert problems_of(tmp_path, document) == [
        "bad.yaml: pages[2].questions[0].texts: missing translation 'ur'"
    ]


def test_missing_translation_of_an_option_label_and_consent(tmp_path, document):
    del document["scales"]["agree5"]["options"][2]["labels"]["fr"]
    del document["consent"]["privacy"]["ur"]
    assert problems_of(tmp_path, document) == [
        "bad.yaml: scales.agree5.options[2].labels: missing translation 'fr'",
        "bad.yaml: consent.privacy: missing translation 'ur'",
    ]


def test_unknown_question_kind(tmp_path, document):
    question_entry(document, "warmth")["kind"] = "slider"
    (problem,) = problems_of(tmp_path, document)
    assert problem.startswith("bad.yaml: pages[2].questions[1].kind: unknown question kind")
    assert "'slider'" in problem


def test_unknown_key(tmp_path, document):
    question_entry(document, "warmth")["colour"] = "red"
    (problem,) = problems_of(tmp_path, document)
    assert problem.startswith("bad.yaml: pages[2].questions[1].colour: unknown key 'colour'")


def test_duplicate_question_code(tmp_path, document):
    question_entry(document, "trust_information")["code"] = "trust_commitments"
    assert problems_of(tmp_path, document) == [
        "bad.yaml: pages[1].questions[1].code: duplicate question code 'trust_commitments'"
        " (also at pages[1].questions[0])"
    ]


def test_duplicate_option_code(tmp_path, document):
    question_entry(document, "sector")["options"][1]["code"] = "government"
    (problem,) = problems_of(tmp_path, document)
    assert problem.startswith(
        "bad.yaml: pages[0].questions[0].options[1].code: duplicate option code 'government'"
    )


def test_pre_post_mismatch_within_one_file(tmp_path, document):
    questions = document["pages"][1]["questions"]
    pre = questions[0]
    post = copy.deepcopy(pre)
    pre["waves"], post["waves"] = ["pre"], ["post"]
    post["texts"]["en"] = "{other} always keeps the commitments it makes to {own}."
    questions.append(post)
    (problem,) = problems_of(tmp_path, document)
    assert problem.startswith("bad.yaml: pages[1].questions[7].code: pre/post mismatch:")
    assert "'trust_commitments'" in problem and "texts.en" in problem
    assert "pages[1].questions[0]" in problem


def test_same_item_defined_twice_is_refused_even_when_identical(tmp_path, document):
    questions = document["pages"][1]["questions"]
    questions.append(copy.deepcopy(questions[0]))
    questions[0]["waves"], questions[-1]["waves"] = ["pre"], ["post"]
    (problem,) = problems_of(tmp_path, document)
    assert "'trust_commitments' is defined twice" in problem


def test_check_shared_items_refuses_a_changed_core_item(tmp_path, document, instrument):
    question_entry(document, "trust_partner")["texts"]["fr"] = "{other_subject} restera fiable."
    question_entry(document, "trust_agenda")["reversed"] = False
    question_entry(document, "optimism")["scale"] = "agree5"
    question_entry(document, "hope_text")["texts"]["en"] = "Changed, but asked only before."
    document["version"] = "2014.2"
    changed = load_instrument(write(tmp_path, document, "new.yaml"))
    problems = check_shared_items(instrument, "pre", changed, "post")
    assert problems == [
        f"trust_partner: texts.fr differs between {KEY} 2014.1 (pre) and {KEY} 2014.2 (post)",
        f"trust_agenda: reversed differs between {KEY} 2014.1 (pre) and {KEY} 2014.2 (post)",
        f"optimism: options differs between {KEY} 2014.1 (pre) and {KEY} 2014.2 (post)",
    ]
    assert check_shared_items(instrument, "pre", changed, "pre")[-1].startswith("hope_text: ")


def test_unknown_scale(tmp_path, document):
    question_entry(document, "meta_trust")["scale"] = "amount7"
    (problem,) = problems_of(tmp_path, document)
    assert problem.startswith("bad.yaml: pages[2].questions[2].scale: unknown scale 'amount7'")


def test_placeholder_missing_in_a_language(tmp_path, document):
    del document["groups"][1]["forms"]["fr"]["to_own"]
    assert problems_of(tmp_path, document) == [
        "bad.yaml: pages[2].questions[2].texts.fr: placeholder {to_own} is not a form of group"
        " pakistan in language 'fr'"
    ]


def test_placeholder_unknown_to_every_group(tmp_path, document):
    question_entry(document, "trust_direct")["texts"]["en"] = "How much do you trust {them}?"
    assert problems_of(tmp_path, document) == [
        "bad.yaml: pages[2].questions[0].texts.en: placeholder {them} is not a form of groups"
        " nato, pakistan in language 'en'"
    ]


def test_every_problem_is_reported_at_once(tmp_path, document):
    del document["titles"]["fr"]
    question_entry(document, "priorities")["items"] = question_entry(document, "priorities")[
        "items"
    ][:1]
    question_entry(document, "warmth").update(scale=None, minimum=100, maximum=0)
    del question_entry(document, "warmth")["scale"]
    question_entry(document, "sector")["reversed"] = True
    question_entry(document, "optimism")["waves"] = ["pre", "followup"]
    document["scores"]["warmth"]["items"] = ["hope_text"]
    assert problems_of(tmp_path, document) == [
        "bad.yaml: titles: missing translation 'fr'",
        "bad.yaml: pages[0].questions[0].reversed: 'reversed' does not apply to a choice question",
        "bad.yaml: pages[2].questions[1].maximum: maximum must be greater than minimum",
        "bad.yaml: pages[3].questions[0].items: needs at least 2 items",
        "bad.yaml: pages[5].questions[0].waves[1]: unknown wave 'followup' (declared: pre, post)",
        "bad.yaml: scores.warmth.items[0]: score item 'hope_text' is a text question; score"
        " items are scale or integer questions",
    ]


def test_wrong_types_name_the_place(tmp_path, document):
    document["version"] = 2014.1
    question_entry(document, "prior_dialogue")["options"] = [
        {"code": True, "labels": {"en": "Yes", "ur": "ہاں", "fr": "Oui"}},
        {"code": False, "labels": {"en": "No", "ur": "نہیں", "fr": "Non"}},
    ]
    problems = problems_of(tmp_path, document)
    assert "bad.yaml: version: expected a string, got a number (quote it)" in problems
    assert (
        "bad.yaml: pages[0].questions[2].options[0].code: expected an integer or a string, got a"
        " boolean (quote yes, no, on and off in YAML)"
    ) in problems


def test_a_whole_number_written_as_a_decimal_is_refused_with_what_to_write(tmp_path, document):
    # Stored as written, 1.0 would come back as 1 from a workbook: another definition.
    document["scales"]["agree5"]["options"][0]["code"] = 1.0
    document["non_response"]["code"] = -9.0
    assert problems_of(tmp_path, document, "bad.json") == [
        "bad.json: non_response.code: expected a whole number, got -9.0 (write -9)",
        "bad.json: scales.agree5.options[0].code: expected a whole number, got 1.0 (write 1)",
    ]


def test_yaml_errors_name_the_line(tmp_path):
    path = tmp_path / "twice.yaml"
    path.write_text("key: a\nversion: '1'\nkey: b\n", "utf-8")
    with pytest.raises(InstrumentError) as caught:
        load_instrument(path)
    assert caught.value.problems == ["twice.yaml: line 3, column 1: found the key 'key' twice"]
    assert str(caught.value) == caught.value.problems[0]


def test_yaml_aliases_are_refused_before_they_expand(tmp_path):
    # Nine levels of ten aliases each would expand to 10^9 strings: refused at the first alias.
    levels = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    levels += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]" for n in range(1, 10)]
    path = tmp_path / "bomb.yaml"
    path.write_text("key: a\nversion: '1'\n" + "\n".join(levels) + "\n", "utf-8")
    started = time.perf_counter()
    with pytest.raises(InstrumentError) as caught:
        load_instrument(path)
    assert time.perf_counter() - started < 1
    assert caught.value.problems == [
        "bomb.yaml: line 4, column 10: an alias (*l0) is not allowed: write the value out"
    ]


def nested(levels: int) -> list:
    value: list = ["deep"]
    for _ in range(levels - 1):
        value = [value]
    return value


def test_metadata_may_nest_but_not_without_end(tmp_path, document):
    document["metadata"]["notes"] = nested(30)  # 32 levels with the document and metadata
    assert load_instrument(write(tmp_path, document, "fine.yaml")).definition["metadata"]
    document["metadata"]["notes"] = nested(31)
    for name in ("bad.yaml", "bad.json"):
        assert problems_of(tmp_path, document, name) == [
            f"{name}: lists and mappings are nested more than 32 levels deep"
        ]


def test_a_document_that_is_not_a_mapping(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n", "utf-8")
    with pytest.raises(InstrumentError, match=r"^list\.yaml: the document must be a mapping"):
        load_instrument(path)


@pytest.mark.parametrize("text", ["", "\n\n", "# a questionnaire, one day\n"])
def test_an_empty_file_is_called_empty(tmp_path, text):
    path = tmp_path / "empty.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(InstrumentError, match=r"^empty\.yaml: the file is empty"):
        load_instrument(path)


def test_instrument_from_definition_names_its_source(document):
    del document["consent"]["agree"]
    with pytest.raises(InstrumentError) as caught:
        instrument_from_definition(document, source="<version 3>")
    assert caught.value.problems == ["<version 3>: consent: missing key 'agree'"]
