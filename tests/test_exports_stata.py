"""The Stata do-file of the Stata download: names Stata accepts, every variable labelled, value
labels per coded variable, the missing code, and labels that Stata can neither expand nor end."""

import re

from survey.exports.queries import export_spec
from survey.exports.stata import quoted, stata_names, stata_syntax
from survey.exports.wide import wide_header
from survey.text import one_line
from tests import exports_data

#: A Stata double-quoted string: no double quote inside.
STRING = re.compile(r'"[^"\n]*"')
COMMANDS = (
    "version",
    "import",
    "label",
    "rename",
    "encode",
    "order",
    "drop",
    "mvdecode",
)


def stata_text(literal: str) -> str:
    """What Stata makes of a double-quoted string: its escapes undone, checking that nothing
    in it would be expanded as a macro."""
    body, text, i = literal[1:-1], "", 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body) and body[i + 1] in "\\$`":
            text, i = text + body[i + 1], i + 2
            continue
        assert char not in "$`", f"unescaped {char!r} in {literal}"
        text, i = text + char, i + 1
    return text


def statements(do_file: str) -> list[str]:
    """The do-file's commands, continuation lines joined, comments and blank lines left out."""
    joined = re.sub(r" ///\n\s*", " ", do_file)
    return [line for line in joined.splitlines() if line and not line.startswith("*")]


def test_every_column_is_read_named_labelled_and_declared(app, make):
    ws = exports_data.build(make, "stata")
    members = exports_data.bundle(ws, "stata", language="fr")
    do_file = members["wide.do"].decode("utf-8")
    header = wide_header(export_spec(ws))
    names = stata_names(header)
    found = statements(do_file)

    assert list(members) == ["wide.csv", "codebook.csv", "pairs.csv", "responses.csv", "wide.do"]
    assert all(line.split()[0] in COMMANDS for line in found)
    assert all(len(name) <= 32 for name in names.values())
    assert len(set(names.values())) == len(header)
    assert names["post_priorities_crisis_communication"] == "post_priorities_crisis_communica"
    renames = [line.split()[1:] for line in found if line.startswith("rename v")]
    assert renames == [[f"v{i}", names[name]] for i, name in enumerate(header, start=1)]
    labelled = [line.split()[2] for line in found if line.startswith("label variable ")]
    assert labelled == [names[name] for name in header]  # every variable labelled, in order
    defined = {line.split()[2] for line in found if line.startswith("label define ")}
    valued = {line.split()[2] for line in found if line.startswith("label values ")}
    assert defined == valued
    assert {"group", "sector", "pre_sector", "pre_trust_concerns", "pre_warmth"} <= valued
    assert "pre_hope_text" not in valued and "pre_trust_score" not in valued
    assert "mvdecode pre_trust_concerns, mv(-9 = .a)" in found
    assert 'label define pre_trust_concerns .a "Je préfère ne pas répondre", add' in found
    assert 'label define pre_warmth .a "Je préfère ne pas répondre", replace' in found
    assert "encode pre_sector, generate(_coded) label(pre_sector) noextend" in found
    importing = next(line for line in found if line.startswith("import delimited"))
    assert 'encoding("utf-8")' in importing and "bindquotes(strict)" in importing
    assert "numericcols(7/32 " in importing and "stringcols(1/6 " in importing
    for literal in STRING.findall(do_file):
        stata_text(literal)


def test_hostile_labels_are_neither_expanded_nor_ended():
    do_file = stata_syntax(
        exports_data.hostile_variables(), data_file="data.csv", title=exports_data.HOSTILE
    )
    found = statements(do_file)

    assert all(line.split()[0] in COMMANDS for line in found)
    expected = one_line(exports_data.HOSTILE).replace('"', "''")
    labels = [
        stata_text(STRING.search(line).group())
        for line in found
        if line.startswith(("label variable", "label data"))
    ]
    # label data: cut to Stata's 80 characters, then escaped
    assert labels[0] == one_line(exports_data.HOSTILE)[:80].replace('"', "''")
    assert all(expected.startswith(label.removesuffix("…").rstrip()) for label in labels)
    outside = STRING.sub('""', "\n".join(found))
    assert "pwned" not in outside and "$" not in outside and "`" not in outside


def test_names_that_would_meet_when_cut_are_numbered():
    long = "w_" + "x" * 40
    names = stata_names([long + "a", long + "b", "short"])
    assert names == {long + "a": long[:32], long + "b": long[:30] + "_2", "short": "short"}


def test_strings_escape_what_stata_would_expand():
    assert quoted('a "b" $c `d\' \\e') == "\"a ''b'' \\$c \\`d' \\\\e\""
    assert stata_text(quoted("$x `y' \\z")) == "$x `y' \\z"
