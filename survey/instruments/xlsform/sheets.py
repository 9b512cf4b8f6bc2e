"""The sheets and columns of an instrument workbook (docs/instrument-format.md, "XLSForm"):
XLSForm's own (survey, choices, settings) and the sheets that carry what XLSForm has no place
for. The reading and the writing share these names."""

from __future__ import annotations

SURVEY = "survey"
CHOICES = "choices"
SETTINGS = "settings"
GROUPS = "groups"
WAVES = "waves"
SCALES = "scales"
TEXTS = "texts"
SCORES = "scores"
ANALYSIS = "analysis"
METADATA = "metadata"

#: The sheets a workbook must have, and what each holds (for the message when one is missing).
#: The scores and analysis sheets are optional as the document's keys are: a workbook without
#: one has no scores, or declares no analysis role.
REQUIRED_SHEETS = {
    SURVEY: "the pages (begin group … end group) and their questions",
    SETTINGS: "form_id, version, form_title and default_language",
    GROUPS: "the two groups of the dialogue and the words that fill {own}, {other} …",
    WAVES: "the waves (pre, post …) and their titles",
    TEXTS: "the consent, privacy and review texts",
}

#: Translated columns are written `base::Language (code)`: these are the bases of each sheet.
LANGUAGE_BASES = {
    SURVEY: ("label", "hint"),
    SETTINGS: ("form_title",),  # read; written in the texts sheet (pyxform takes no translation)
    CHOICES: ("label",),
    GROUPS: ("label",),
    WAVES: ("label",),
    TEXTS: ("label",),
    SCORES: ("label", "phrase"),  # the score's titles, and its phrases in sentences
}
#: XLSForm's columns of ODK's own messages: the platform words its messages itself.
IGNORED_BASES = ("required_message", "constraint_message")

#: The plain columns of each sheet, in the order the writing puts them.
COLUMNS = {
    SURVEY: (
        "type",
        "name",
        "required",
        "appearance",
        "parameters",
        "constraint",
        # What XLSForm has no column for:
        "kind",
        "waves",
        "profile",
        "scale",
        "minimum",
        "maximum",
        "widget",
        "non_response",
        "construct",
        "reversed",
        "max_length",
    ),
    CHOICES: ("list_name", "name"),
    SETTINGS: (
        "form_id",
        "version",
        "form_title",
        "default_language",
        "rtl_languages",
        "non_response_code",
        "consent_version",
    ),
    GROUPS: ("group", "form"),
    WAVES: ("name",),
    SCALES: ("name", "minimum", "maximum", "widget", "non_response"),
    TEXTS: ("name",),
    SCORES: ("name", "construct", "items", "min_answered"),
    ANALYSIS: ("key", "value", "json"),
    METADATA: ("path", "value", "json"),
}

#: The columns of the survey sheet that every question may fill; a kind's own come from its
#: keys (survey.instruments.kinds), named as in the YAML format.
QUESTION_COLUMNS = ("type", "name", "required", "appearance", "constraint", "kind", "waves")
QUESTION_FLAGS = ("required", "profile")
#: XLSForm's settings the platform has no use for; they may stand in a workbook.
IGNORED_SETTINGS = (
    "instance_name",
    "style",
    "public_key",
    "submission_url",
    "auto_send",
    "auto_delete",
    "allow_choice_duplicates",
    "namespaces",
    "clean_text_values",
)

#: The texts sheet's rows: the translated texts of the document outside pages and lists.
TEXT_PATHS = (
    "titles",
    "non_response.labels",
    "consent.titles",
    "consent.texts",
    "consent.agree",
    "consent.privacy_titles",
    "consent.privacy",
    "review.titles",
    "review.intros",
)

#: The groups sheet's `form` of a group's words for sentences (`sentence_forms.participants`,
#: `sentence_forms.name`): a dot never stands in the name of a form that fills a placeholder.
SENTENCE_FORM_PREFIX = "sentence_forms."
#: The texts sheet's `name` of a neutral form, one row per form (`neutral_forms.other`).
NEUTRAL_FORM_PREFIX = "neutral_forms."

BEGIN_GROUP = "begin group"
END_GROUP = "end group"

#: Which sheet holds each top-level key of the document: where a problem of a key that has
#: no cell of its own is reported.
KEY_SHEETS = {
    "key": SETTINGS,
    "version": SETTINGS,
    "titles": SETTINGS,
    "languages": SURVEY,
    "rtl_languages": SETTINGS,
    "metadata": METADATA,
    "neutral_forms": TEXTS,
    "groups": GROUPS,
    "waves": WAVES,
    "non_response": SETTINGS,
    "yes_no": CHOICES,
    "scales": SCALES,
    "consent": TEXTS,
    "review": TEXTS,
    "pages": SURVEY,
    "scores": SCORES,
    "analysis": ANALYSIS,
}
