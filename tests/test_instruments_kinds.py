"""Question kinds: the registry, the built-in kinds' one check of a stored value, and a new kind
added in one class (and one template macro) that works through the whole application: the
instrument file, the participant's form, storage, the exports, the data package and the
long-file import."""

import copy
import pickle
import re
import zipfile
from typing import Any

import frictionless
import pytest
from jinja2 import ChoiceLoader, DictLoader

from survey.demo.synthetic import Synthesizer
from survey.exports.downloads import ExportFormat, ExportOptions, start_export
from survey.exports.importer import import_long
from survey.exports.paper import paper_questionnaire
from survey.extensions import db
from survey.instruments import (
    InstrumentError,
    QuestionKind,
    instrument_from_definition,
    kind_named,
    question_kinds,
    shipped_instrument,
)
from survey.instruments.kinds import TextKind, register, registered, unregister
from survey.instruments.kinds.values import Row, Span
from survey.instruments.store import store
from tests.respond_helpers import PRE, Respondent, token_of
from tests.test_synthetic import answer_problems

ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")


class EmailKind(QuestionKind):
    """An e-mail address to write back to: a text, but one that must look like an address."""

    code = "email"
    macro = "email_question"
    template = "kinds/email.html"
    paper_layout = "lines"
    keys = {"max_length": {"type": "integer", "minimum": 1}}  # the same key as a text's

    def check_definition(self, check, path, question) -> Span:
        if "max_length" not in question:
            check.report(path, "an email question needs max_length")
        return Span()

    def build(self, entry, building) -> dict[str, Any]:
        return {"max_length": entry["max_length"]}

    def check_value(self, question, item, value) -> str | None:
        problem = self.check_item(question, item)
        if problem is not None:
            return problem
        if not isinstance(value, str) or not ADDRESS.fullmatch(value):
            return f"{value!r} is not an e-mail address ({question.code})"
        if len(value) > question.max_length:
            return f"{question.code} has {len(value)} characters; at most {question.max_length}"
        return None

    def parse(self, field, raw: str) -> str | None:
        address = raw.strip()
        if not address:
            return None
        if self.check_value(field.question, "", address) is not None:
            raise ValueError("Enter an e-mail address, such as name@example.org.")
        return address

    def describe(self, handler, data) -> list[str]:
        return [] if data is None else [data]

    def codebook_notes(self, question) -> list[str]:
        return ["An e-mail address, as the participant typed it."]

    def package_constraints(self, question, labels) -> dict:
        return {"pattern": ADDRESS.pattern, "maxLength": question.max_length}

    def paper_hint(self, question, non_response: str) -> str:
        return "Write the address in capitals."

    def synthetic_rows(self, question, opinions) -> list[Row]:
        return [("", None, f"person{opinions.rng.randint(1, 999)}@example.org")]


EMAIL_MACRO = """
{% macro email_question(field) %}
<div class="question email{% if field.errors %} has-error{% endif %}" id="{{ field.id }}-group">
  <label class="question-label" for="{{ field.id }}">{{ field.label.text }}</label>
  {%- for error in field.errors %}<p class="error-message">{{ error }}</p>{% endfor %}
  <input type="email" name="{{ field.name }}" id="{{ field.id }}" value="{{ field.raw }}">
</div>
{% endmacro %}
"""


def email_question(max_length: int | None = 60) -> dict:
    texts = {
        "en": "Where may we write to you?",
        "ur": "ہم آپ کو کہاں لکھیں؟",
        "fr": "Où vous écrire ?",
    }
    entry = {"code": "contact_email", "kind": "email", "texts": texts}
    return entry if max_length is None else {**entry, "max_length": max_length}


def with_question(entry: dict) -> dict:
    """The shipped definition with one more question on the last page, in every wave."""
    definition = copy.deepcopy(shipped_instrument("nato-pakistan-2014").definition)
    definition["pages"][-1]["questions"].append(entry)
    return definition


@pytest.fixture
def email_kind():
    with registered(EmailKind()) as kind:
        yield kind


@pytest.fixture
def email_instrument(email_kind):
    return instrument_from_definition(with_question(email_question()))


@pytest.fixture
def email_workshop(app, make, email_instrument):
    """A workshop whose waves use the instrument with the e-mail question; its macro served."""
    app.jinja_env.loader = ChoiceLoader(
        [DictLoader({EmailKind.template: EMAIL_MACRO}), app.jinja_env.loader]
    )
    return workshop_with(make, "seam", email_instrument, open_waves=("pre",))


def workshop_with(make, slug, instrument, open_waves=()):
    ws = make.workshop(slug, open_waves=open_waves)
    version, _new = store(instrument)
    for wave in ws.waves:
        wave.instrument_version = version
    db.session.commit()
    return ws


def exported(ws, fmt: ExportFormat, **options) -> bytes:
    return b"".join(start_export(ws, ExportOptions(fmt, **options)).chunks)


# --------------------------------------------------------------------------- a new kind


def test_a_new_kind_is_defined_checked_and_built_from_the_instrument_file(
    email_kind, email_instrument
):
    assert kind_named("email") is email_kind and email_kind in question_kinds()
    question = email_instrument.question("contact_email")
    assert (question.kind, question.max_length, question.options) == ("email", 60, ())

    with pytest.raises(InstrumentError) as missing:
        instrument_from_definition(with_question(email_question(max_length=None)), "doc")
    assert missing.value.problems == [
        "doc: pages[5].questions[10]: an email question needs max_length"
    ]
    entry = {**email_question(), "options": [], "reversed": True}
    with pytest.raises(InstrumentError) as wrong:
        instrument_from_definition(with_question(entry), "doc")
    assert wrong.value.problems == [
        "doc: pages[5].questions[10].options: 'options' does not apply to a email question",
        "doc: pages[5].questions[10].reversed: 'reversed' does not apply to a email question",
    ]


def test_without_registration_the_kind_is_unknown():
    with pytest.raises(InstrumentError) as caught:
        instrument_from_definition(with_question(email_question()), "doc")
    (problem,) = caught.value.problems
    assert problem.startswith("doc: pages[5].questions[10].kind: unknown question kind 'email'")
    assert "scale, choice, multi, yes_no, integer, ranking, text" in problem


def test_a_new_kind_goes_through_form_storage_exports_package_and_import(
    client, make, tmp_path, email_workshop
):
    ws = email_workshop
    person = make.participant(ws, "nato")
    you = Respondent(client)
    you.open(token_of(person))
    you.answer("pre", "consent", PRE["consent"])

    # The form: the kind's macro renders it, the kind parses and refuses what was posted.
    refused = you.answer("pre", "outlook", {"contact_email": "not an address"})
    assert refused.status_code == 422
    assert 'type="email" name="contact_email"' in you.html
    assert "Enter an e-mail address, such as name@example.org." in you.html
    outlook = {**PRE["outlook"], "contact_email": " ayesha.khan@example.org "}
    assert you.complete("pre", {**PRE, "outlook": outlook}).location == "/q/pre/thanks"

    # Storage: one text row, as the kind's rows() gave it.
    long_file = exported(ws, ExportFormat.LONG).decode()
    assert ",contact_email,,ayesha.khan@example.org,," in long_file

    # The wide file: one column, the address itself, with codes or with labels (a text has no
    # label to put in its place).
    for options in ({}, {"labels": True, "language": "ur"}):
        wide = exported(ws, ExportFormat.WIDE, **options).decode().splitlines()
        column = wide[0].split(",").index("pre_contact_email")
        assert wide[1].split(",")[column] == "ayesha.khan@example.org", options

    # The codebook and the data package describe it as the kind says.
    codebook = exported(ws, ExportFormat.CODEBOOK).decode()
    row = next(line for line in codebook.splitlines() if line.startswith("wide,pre_contact_email,"))
    assert ",email,string," in row and "An e-mail address, as the participant typed it." in row
    package = tmp_path / "package.zip"
    package.write_bytes(exported(ws, ExportFormat.DATAPACKAGE))
    report = frictionless.validate(str(package))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    with zipfile.ZipFile(package) as archive:
        descriptor = archive.read("datapackage.json").decode()
    assert '"maxLength": 60' in descriptor

    # The long file goes back in through the kind's check, and comes out the same.
    copy_ws = workshop_with(make, "seam-copy", email_workshop.instrument)
    result = import_long(copy_ws, long_file.encode())
    assert result.ok and result.written, result.problems
    db.session.commit()
    again = exported(copy_ws, ExportFormat.LONG).decode()
    assert again == long_file.replace("seam,", "seam-copy,")


def test_a_bad_value_of_a_new_kind_is_refused_on_import_with_its_line(make, email_workshop):
    target = workshop_with(make, "seam-target", email_workshop.instrument)
    version = target.wave("pre").instrument_version.label
    header = (
        "workshop,participant,group,sector,wave,question,item,value,label,language,"
        "instrument_version,submitted_at"
    )
    line = "seam,{},nato,,pre,contact_email,,{},,en," + version + ",2014-05-01T10:00:00Z"
    data = [header, line.format("X1", "x@example.org"), line.format("X2", "nobody")]

    result = import_long(target, ("\r\n".join(data) + "\r\n").encode())

    assert [str(p) for p in result.problems] == [
        "line 3: 'nobody' is not an e-mail address (contact_email)"
    ]


def test_a_new_kind_is_printed_and_drawn_as_it_says(app, email_workshop, email_instrument):
    with app.test_request_context():
        paper = paper_questionnaire(email_workshop.wave("pre"), "nato", "en")
    printed = {q.code: q for page in paper.pages for q in page.questions}["contact_email"]
    assert (printed.kind, printed.layout, printed.hint) == (
        "email",
        "lines",
        "Write the address in capitals.",
    )
    synth = Synthesizer(email_instrument, seed=1)
    persona = synth.persona("nato")
    answers = synth.answers(persona, "pre", with_profile=True)
    assert answer_problems(email_instrument, "pre", answers) == []


# --------------------------------------------------------------------------- the registry


def test_a_kind_is_its_code_and_survives_pickling(email_instrument):
    question = email_instrument.question("warmth")
    assert question.kind == "integer" and str(question.kind) == "integer"
    assert question.kind is QuestionKind.INTEGER is kind_named("integer")
    assert pickle.loads(pickle.dumps(question)).kind is question.kind  # noqa: S301 (own bytes)
    assert copy.deepcopy(email_instrument.question("contact_email")).kind is kind_named("email")


def test_codes_are_registered_once_and_shared_keys_agree():
    with pytest.raises(ValueError, match="already registered"):
        register(TextKind())

    class Sloppy(QuestionKind):
        code = "sloppy"
        keys = {"max_length": {"type": "string"}}

    with pytest.raises(ValueError, match="'max_length' differs"):
        register(Sloppy())
    with registered(EmailKind()):
        assert "email" in [kind.code for kind in question_kinds()]
    with pytest.raises(KeyError):
        kind_named("email")
    with pytest.raises(KeyError):
        unregister(EmailKind())


# --------------------------------------------------------------------------- one check


@pytest.mark.parametrize(
    ("code", "item", "value", "problem"),
    [
        ("trust_direct", "", 3, None),
        ("trust_direct", "", -9, None),
        ("trust_direct", "", 6, "6 is out of range for trust_direct (1–5 or -9)"),
        ("trust_direct", "", "x", "trust_direct needs a whole number, got 'x'"),
        ("trust_direct", "a", 3, "trust_direct has no items: leave item empty (got 'a')"),
        ("warmth", "", 100, None),
        ("warmth", "", 101, "101 is out of range for warmth (0–100 or -9)"),
        ("sector", "", "media", None),
        ("sector", "", "pirates", "'pirates' is not a code of sector (codes: government, "
         "military, diplomatic, academia, media, civil_society, international_org, other)"),
        ("prior_dialogue", "", "yes", None),
        ("priorities", "border_management", 8, None),
        ("priorities", "border_management", 9, "9 is out of range for priorities (1–8)"),
        ("priorities", "", 1, "unknown item '' of priorities (items: counter_terrorism, "
         "afghan_transition, border_management, political_dialogue, training_education, "
         "transit_logistics, crisis_communication, regional_economy)"),
        ("hope_text", "", "Peace.", None),
        ("hope_text", "", "", "hope_text is empty: leave out unanswered items"),
        ("hope_text", "", "a\x00b", "hope_text contains a NUL character, which cannot be stored"),
        ("hope_text", "", "x" * 2001, "hope_text has 2001 characters; at most 2000"),
    ],
)  # fmt: skip
def test_one_check_of_a_stored_value(code, item, value, problem):
    question = shipped_instrument("nato-pakistan-2014").question(code)
    assert question.kind.check_value(question, item, value) == problem


def test_a_ranking_is_checked_as_a_whole():
    question = shipped_instrument("nato-pakistan-2014").question("priorities")
    items = [item.code for item in question.items]
    complete = [(item, rank) for rank, item in enumerate(items, start=1)]
    check = question.kind.check_answer
    assert check(question, complete, where="it", place=str) == []
    repeated = [*complete[:-1], (items[-1], 1)]
    assert check(question, repeated, where="it", place=lambda row: f"row {row}") == [
        (7, "broken ranking it: rank 1 also on row 0")
    ]
    assert check(question, complete[:6], where="it", place=str) == [
        (0, "incomplete ranking it: no rank for crisis_communication, regional_economy")
    ]


def test_multiple_choice_cells_are_stored_in_option_order():
    definition = with_question(
        {
            "code": "topics",
            "kind": "multi",
            "texts": {"en": "Topics", "ur": "موضوعات", "fr": "Sujets"},
            "options": [
                {"code": code, "labels": dict.fromkeys(("en", "ur", "fr"), code.upper())}
                for code in ("trade", "security", "culture")
            ],
        }
    )
    question = instrument_from_definition(definition).question("topics")
    kind = question.kind
    assert kind.read_cell(question, "culture trade") == "trade culture"
    assert kind.check_value(question, "", "trade culture") is None
    assert kind.check_value(question, "", "trade trade") == (
        "'trade trade' is not a list of different codes of topics separated by spaces "
        "(codes: trade, security, culture)"
    )
    assert kind.value_label({"trade": "Trade", "culture": "Culture"}, "", "trade culture") == (
        "Trade; Culture"
    )


def test_a_whole_number_range_is_what_an_answer_holds_and_all_of_it_can_be_answered(client, make):
    staff = {
        "code": "staff_count",
        "kind": "integer",
        "minimum": 0,
        "maximum": 10_000_000,
        "texts": {"en": "How many staff?", "ur": "کتنا عملہ؟", "fr": "Combien d'agents ?"},
    }
    with pytest.raises(InstrumentError) as caught:
        instrument_from_definition(with_question({**staff, "maximum": 10**10}), "doc")
    assert caught.value.problems == [
        "doc: pages[5].questions[10]: minimum and maximum must lie between -999999999 and 999999999"
    ]
    ws = workshop_with(make, "big", instrument_from_definition(with_question(staff)), ("pre",))
    you = Respondent(client)
    you.open(token_of(make.participant(ws, "nato")))
    you.answer("pre", "consent", PRE["consent"])

    outlook = {**PRE["outlook"], "staff_count": "2500000"}
    assert you.complete("pre", {**PRE, "outlook": outlook}).location == "/q/pre/thanks"
    assert "pre,staff_count,,2500000," in exported(ws, ExportFormat.LONG).decode()
