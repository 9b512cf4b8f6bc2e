"""The wide file's data dictionary: what the SPSS, Stata and R syntax files declare."""

from survey.exports.dictionary import DeclaredVariable, clipped, declared_variables
from survey.exports.queries import export_spec
from survey.exports.wide import wide_header
from survey.text import one_line


def test_every_column_of_the_wide_file_is_declared_in_order(app, make):
    ws = make.workshop("declared")
    spec = export_spec(ws)
    variables = {v.name: v for v in declared_variables(spec)}

    assert list(variables) == wide_header(spec)
    assert all(v.label for v in variables.values())
    concerns = variables["pre_trust_concerns"]
    assert concerns.numeric and concerns.level == "ordinal"
    assert concerns.value_labels[0] == (1, "Strongly disagree")
    assert (concerns.missing, concerns.missing_label) == (-9, "Prefer not to answer")
    assert concerns.label == "{other} takes {own}'s security concerns seriously. (pre)"
    warmth = variables["pre_warmth"]
    assert warmth.level == "scale" and not warmth.coded and warmth.missing == -9
    rank = variables["post_priorities_border_management"]
    assert rank.level == "ordinal" and not rank.coded and rank.missing is None
    assert rank.label.endswith("[Management of the Afghanistan–Pakistan border] (post)")
    sector = variables["pre_sector"]
    assert not sector.numeric and sector.level == "nominal" and sector.width == 17
    assert ("diplomatic", "Diplomatic service") in sector.value_labels
    assert variables["group"].value_labels == (("nato", "NATO"), ("pakistan", "Pakistan"))
    assert variables["pre_hope_text"].width == 2000 and not variables["pre_hope_text"].coded
    assert variables["pre_trust_score"].decimals == 2
    assert variables["pre_trust_score"].label == "Trust (7 statements) (pre)"


def test_labels_come_in_the_export_language(app, make):
    ws = make.workshop("declared-fr")
    variables = {v.name: v for v in declared_variables(export_spec(ws, language="fr"))}

    assert variables["pre_trust_concerns"].missing_label == "Je préfère ne pas répondre"
    assert variables["pre_trust_concerns"].value_labels[-1] == (5, "Tout à fait d'accord")


def test_a_short_label_keeps_what_tells_the_columns_apart():
    ranked = DeclaredVariable(
        "pre_priorities_x", "Rank these areas " * 10, True, "ordinal", detail=" [Border] (pre)"
    )
    short = ranked.label_within(40, unit="characters")
    assert len(short) <= 40 and short.endswith("… [Border] (pre)")
    urdu = DeclaredVariable("v", "اعتماد " * 100, True, "ordinal", detail=" (pre)")
    cut = urdu.label_within(120)
    assert len(cut.encode()) <= 120 and cut.endswith(" (pre)")


def test_label_text_is_one_line_and_cut_on_characters():
    assert one_line(" a\r\n b\tc\x00d\u2028e  ") == "a b c d e"
    assert clipped("اردو", 3) == "ا"  # never half a character
    assert clipped("abcdef", 4, unit="characters") == "abcd"
