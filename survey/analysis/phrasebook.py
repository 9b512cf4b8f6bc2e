"""The sentence patterns of the findings and the headline, one set per language.

The patterns hold no name of a group, score or item: those come from the instrument
(survey.analysis.wording). English is the source; the French and Urdu patterns, like the shipped
instrument's translations, need a native speaker's review (TRANSLATION_STATUS) before a report
in those languages leaves the team. A language without patterns gets the English ones.

Placeholders: {group}, {first}, {second} and {other_group} are groups' respondents
("Pakistani participants"); {other} a group's name; {what} a score's phrase; {when} a wave's
phrase; numbers are written by the caller in the language's way.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Phrases:
    """Every sentence pattern of one language."""

    decimal_point: str
    participants_of: str  # the fallback for a group that declares no sentence forms
    wave_of: str  # the fallback for a wave without a title
    ci: str
    n_pair: str  # "n = {a} and {b}"
    list_separator: str
    rose: str
    fell: str
    # Paired change: among the group, over those who answered both waves.
    paired_clear: str
    paired_unconfirmed: str
    paired_none: str
    # Group x time: the first group's mean change against the second's.
    larger: str
    smaller: str
    by_time_clear: str
    by_time_unconfirmed: str
    by_time_none: str
    # Perception gap.
    overestimated: str
    underestimated: str
    perception_numbers: str
    perception_clear: str
    perception_unconfirmed: str
    perception_none: str
    # Asymmetry of the trust score between the groups.
    higher: str
    lower: str
    asymmetry_side: str
    asymmetry_clear: str
    asymmetry_unconfirmed: str
    asymmetry_none: str
    # Priorities.
    agreement_wave: str
    agreement: str
    ranked_item: str
    shared: str
    shared_none: str
    differences: str
    # What "not clear once corrected" adds to a sentence whose interval excludes zero.
    unconfirmed: str
    # The headline's short sentences.
    headline_change_clear: str
    headline_change_unconfirmed: str
    headline_change_none: str
    headline_gap_clear: str
    headline_gap_unconfirmed: str
    headline_gap_none: str
    headline_priorities: str
    sentence_end: str = "."


ENGLISH = Phrases(
    decimal_point=".",
    participants_of="participants from {name}",
    wave_of="in the {wave} wave",
    ci="95 % CI {low} to {high}",
    n_pair="n = {a} and {b}",
    list_separator="; ",
    rose="rose",
    fell="fell",
    paired_clear=(
        "Among {group} who answered both times, {what} {verb} from {before} to {after} "
        "(n = {n}, 95 % CI of the change {low} to {high})."
    ),
    paired_unconfirmed=(
        "Among {group} who answered both times, {what} {verb} by {size}, from {before} to "
        "{after} (n = {n}, 95 % CI of the change {low} to {high}), {unconfirmed}."
    ),
    paired_none=(
        "Among {group} who answered both times, {what} showed no clear change, {before} then "
        "{after} (n = {n}, 95 % CI of the change {low} to {high})."
    ),
    larger="larger",
    smaller="smaller",
    by_time_clear=(
        "The change in {what} was {size} among {first} (mean change {a}) than among {second} "
        "({b}) (difference {difference}, {n}, {ci})."
    ),
    by_time_unconfirmed=(
        "The change in {what} was {size} among {first} (mean change {a}) than among {second} "
        "({b}) (difference {difference}, {n}, {ci}), {unconfirmed}."
    ),
    by_time_none=(
        "The change in {what} showed no clear difference between {first} (mean change {a}) and "
        "{second} ({b}) (difference {difference}, {n}, {ci})."
    ),
    overestimated="overestimated",
    underestimated="underestimated",
    perception_numbers=(
        "their estimate averaged {estimate} (n = {n_estimate}), and {other_group} reported "
        "{direct} of {given} (n = {n_given}; gap {gap}, {ci})"
    ),
    perception_clear="{when}, {group} {verb} how much {other} trusts them: {numbers}.",
    perception_unconfirmed=(
        "{when}, {group} {verb} how much {other} trusts them, {unconfirmed}: {numbers}."
    ),
    perception_none=(
        "{when}, what {group} think of how much {other} trusts them showed no clear difference "
        "from what {other_group} reported: {numbers}."
    ),
    higher="higher",
    lower="lower",
    asymmetry_side="{what} among {group} ({mean}, n = {n})",
    asymmetry_clear="{when}, {a} was {size} than {b} (difference {difference}, {ci}).",
    asymmetry_unconfirmed=(
        "{when}, {a} was {size} than {b} (difference {difference}, {ci}), {unconfirmed}."
    ),
    asymmetry_none=(
        "{when}, {a} and {b} showed no clear difference (difference {difference}, {ci})."
    ),
    agreement_wave="{tau} {when} (95 % bootstrap CI {low} to {high}; n = {a} and {b})",
    agreement=(
        "Agreement between {first} and {second} on the order of priorities (Kendall's tau-b "
        "of mean ranks) was {before} and {after}; the difference of {change} comes with no "
        "test of its direction."
    ),
    ranked_item="{item} (mean rank {a} and {b})",
    shared=(
        "{when}, {first} (n = {a}) and {second} (n = {b}) both placed among their top three "
        "priorities: {items}."
    ),
    shared_none=(
        "{when}, the top three priorities of {first} (n = {a}) and {second} (n = {b}) had no "
        "item in common."
    ),
    differences=(
        "{when}, the priorities of {first} and {second} differed most on: {items} "
        "(n = {a} and {b})."
    ),
    unconfirmed=(
        "but not clearly once the {m} comparisons are taken into account (adjusted p = {p})"
    ),
    headline_change_clear="{what} {verb} among {group}, from {before} to {after} (n = {n}).",
    headline_change_unconfirmed=(
        "{what} {verb} among {group}, from {before} to {after}, but not clearly once all "
        "{m} comparisons are taken into account (n = {n})."
    ),
    headline_change_none=(
        "{what} did not clearly change among {group} ({before} then {after}, n = {n})."
    ),
    headline_gap_clear=(
        "{when}, {group} {verb} how much {other} trusts them ({estimate} against {given}, {n})."
    ),
    headline_gap_unconfirmed=(
        "{when}, {group} {verb} how much {other} trusts them ({estimate} against {given}, "
        "{n}), but not clearly once all {m} comparisons are taken into account."
    ),
    headline_gap_none=(
        "{when}, how much {group} think {other} trusts them was not clearly different from "
        "what {other_group} reported ({estimate} against {given}, {n})."
    ),
    headline_priorities=(
        "{when}, the two sides' priorities differed most on {item}: mean rank {a} among "
        "{first} and {b} among {second} ({n})."
    ),
)

FRENCH = Phrases(
    decimal_point=",",
    participants_of="les participants de {name}",
    wave_of="lors de la vague {wave}",
    ci="IC à 95 % {low} à {high}",
    n_pair="n = {a} et {b}",
    list_separator=" ; ",
    rose="a augmenté",
    fell="a diminué",
    paired_clear=(
        "Parmi {group} ayant répondu les deux fois, {what} {verb} de {before} à {after} "
        "(n = {n}, IC à 95 % de la variation {low} à {high})."
    ),
    paired_unconfirmed=(
        "Parmi {group} ayant répondu les deux fois, {what} {verb} de {size}, passant de "
        "{before} à {after} (n = {n}, IC à 95 % de la variation {low} à {high}), "
        "{unconfirmed}."
    ),
    paired_none=(
        "Parmi {group} ayant répondu les deux fois, {what} n'a pas nettement changé : "
        "{before} puis {after} (n = {n}, IC à 95 % de la variation {low} à {high})."
    ),
    larger="plus forte",
    smaller="plus faible",
    by_time_clear=(
        "La variation de {what} a été {size} chez {first} (variation moyenne {a}) que chez "
        "{second} ({b}) (différence {difference}, {n}, {ci})."
    ),
    by_time_unconfirmed=(
        "La variation de {what} a été {size} chez {first} (variation moyenne {a}) que chez "
        "{second} ({b}) (différence {difference}, {n}, {ci}), {unconfirmed}."
    ),
    by_time_none=(
        "La variation de {what} n'a pas nettement différé entre {first} (variation moyenne "
        "{a}) et {second} ({b}) (différence {difference}, {n}, {ci})."
    ),
    overestimated="surestimé",
    underestimated="sous-estimé",
    perception_numbers=(
        "leur estimation était en moyenne de {estimate} (n = {n_estimate}) et, selon "
        "{other_group}, {direct} était de {given} (n = {n_given} ; écart {gap}, {ci})"
    ),
    perception_clear=(
        "{when}, {group} ont {verb} à quel point {other} leur fait confiance : {numbers}."
    ),
    perception_unconfirmed=(
        "{when}, {group} ont {verb} à quel point {other} leur fait confiance, {unconfirmed} : "
        "{numbers}."
    ),
    perception_none=(
        "{when}, ce que {group} pensent de la confiance que leur accorde {other} n'a pas "
        "nettement différé de ce qu'ont déclaré {other_group} : {numbers}."
    ),
    higher="dépassait",
    lower="restait en deçà de",
    asymmetry_side="{what} chez {group} ({mean}, n = {n})",
    asymmetry_clear="{when}, {a} {size} {b} (différence {difference}, {ci}).",
    asymmetry_unconfirmed="{when}, {a} {size} {b} (différence {difference}, {ci}), {unconfirmed}.",
    asymmetry_none=(
        "{when}, {a} et {b} n'ont pas nettement différé (différence {difference}, {ci})."
    ),
    agreement_wave="{tau} {when} (IC bootstrap à 95 % {low} à {high} ; n = {a} et {b})",
    agreement=(
        "L'accord entre {first} et {second} sur l'ordre des priorités (tau-b de Kendall des "
        "rangs moyens) était de {before} et de {after} ; la différence de {change} ne "
        "s'accompagne d'aucun test de sa direction."
    ),
    ranked_item="{item} (rang moyen {a} et {b})",
    shared=(
        "{when}, {first} (n = {a}) et {second} (n = {b}) ont tous placé parmi leurs trois "
        "premières priorités : {items}."
    ),
    shared_none=(
        "{when}, {first} (n = {a}) et {second} (n = {b}) n'avaient aucune priorité en commun "
        "parmi leurs trois premières."
    ),
    differences=(
        "{when}, {first} et {second} se sont le plus écartés sur : {items} (n = {a} et {b})."
    ),
    unconfirmed=(
        "mais pas de façon nette une fois prises en compte les {m} comparaisons (p ajusté = {p})"
    ),
    headline_change_clear="{what} {verb} chez {group}, de {before} à {after} (n = {n}).",
    headline_change_unconfirmed=(
        "{what} {verb} chez {group}, de {before} à {after}, mais pas de façon nette une fois "
        "prises en compte les {m} comparaisons (n = {n})."
    ),
    headline_change_none=(
        "{what} n'a pas nettement changé chez {group} ({before} puis {after}, n = {n})."
    ),
    headline_gap_clear=(
        "{when}, {group} ont {verb} à quel point {other} leur fait confiance ({estimate} "
        "contre {given}, {n})."
    ),
    headline_gap_unconfirmed=(
        "{when}, {group} ont {verb} à quel point {other} leur fait confiance ({estimate} "
        "contre {given}, {n}), mais pas de façon nette une fois prises en compte les {m} "
        "comparaisons."
    ),
    headline_gap_none=(
        "{when}, ce que {group} pensent de la confiance que leur accorde {other} n'a pas "
        "nettement différé de ce qu'ont déclaré {other_group} ({estimate} contre {given}, {n})."
    ),
    headline_priorities=(
        "{when}, les priorités des deux parties différaient le plus sur « {item} » : rang "
        "moyen {a} chez {first} et {b} chez {second} ({n})."
    ),
)

URDU = Phrases(
    decimal_point=".",
    participants_of="{name} کے شرکاء",
    wave_of="{wave} مرحلے میں",
    ci="95 % CI {low} تا {high}",
    n_pair="n = {a} اور {b}",
    list_separator="؛ ",
    rose="بڑھ گیا",
    fell="کم ہو گیا",
    paired_clear=(
        "{group} میں سے جنہوں نے دونوں بار جواب دیا، ان میں {what} {before} سے {after} تک "
        "{verb} (n = {n}، تبدیلی کا 95 % CI {low} تا {high})۔"
    ),
    paired_unconfirmed=(
        "{group} میں سے جنہوں نے دونوں بار جواب دیا، ان میں {what} {size} کے فرق سے {before} "
        "سے {after} تک {verb} (n = {n}، تبدیلی کا 95 % CI {low} تا {high})، {unconfirmed}۔"
    ),
    paired_none=(
        "{group} میں سے جنہوں نے دونوں بار جواب دیا، ان میں {what} میں کوئی واضح تبدیلی نہیں "
        "آئی، پہلے {before} پھر {after} (n = {n}، تبدیلی کا 95 % CI {low} تا {high})۔"
    ),
    larger="زیادہ",
    smaller="کم",
    by_time_clear=(
        "{what} میں تبدیلی {first} میں (اوسط تبدیلی {a}) {second} ({b}) کے مقابلے میں {size} "
        "رہی (فرق {difference}، {n}، {ci})۔"
    ),
    by_time_unconfirmed=(
        "{what} میں تبدیلی {first} میں (اوسط تبدیلی {a}) {second} ({b}) کے مقابلے میں {size} "
        "رہی (فرق {difference}، {n}، {ci})، {unconfirmed}۔"
    ),
    by_time_none=(
        "{what} میں تبدیلی میں {first} (اوسط تبدیلی {a}) اور {second} ({b}) کے درمیان کوئی "
        "واضح فرق نہیں تھا (فرق {difference}، {n}، {ci})۔"
    ),
    overestimated="زیادہ",
    underestimated="کم",
    perception_numbers=(
        "ان کا اوسط اندازہ {estimate} تھا (n = {n_estimate})، جبکہ {other_group} کے مطابق "
        "{direct} {given} تھا (n = {n_given}؛ فرق {gap}، {ci})"
    ),
    perception_clear=(
        "{when}، {group} نے اس کا {verb} اندازہ لگایا کہ {other} ان پر کتنا اعتماد کرتا ہے: "
        "{numbers}۔"
    ),
    perception_unconfirmed=(
        "{when}، {group} نے اس کا {verb} اندازہ لگایا کہ {other} ان پر کتنا اعتماد کرتا ہے، "
        "{unconfirmed}: {numbers}۔"
    ),
    perception_none=(
        "{when}، {group} کے اس خیال میں کہ {other} ان پر کتنا اعتماد کرتا ہے اور {other_group} "
        "کے بیان میں کوئی واضح فرق نہیں تھا: {numbers}۔"
    ),
    higher="زیادہ",
    lower="کم",
    asymmetry_side="{group} میں {what} ({mean}، n = {n})",
    asymmetry_clear="{when}، {a} {b} سے {size} تھا (فرق {difference}، {ci})۔",
    asymmetry_unconfirmed="{when}، {a} {b} سے {size} تھا (فرق {difference}، {ci})، {unconfirmed}۔",
    asymmetry_none="{when}، {a} اور {b} میں کوئی واضح فرق نہیں تھا (فرق {difference}، {ci})۔",
    agreement_wave="{when} {tau} (95 % بوٹسٹریپ CI {low} تا {high}؛ n = {a} اور {b})",
    agreement=(
        "ترجیحات کی ترتیب پر {first} اور {second} کے درمیان اتفاق (اوسط درجوں کا Kendall "
        "tau-b) {before} اور {after} تھا؛ {change} کے اس فرق کی سمت کا کوئی ٹیسٹ نہیں کیا گیا۔"
    ),
    ranked_item="{item} (اوسط درجہ {a} اور {b})",
    shared=(
        "{when}، {first} (n = {a}) اور {second} (n = {b}) دونوں نے اپنی تین اہم ترین ترجیحات "
        "میں یہ رکھیں: {items}۔"
    ),
    shared_none=(
        "{when}، {first} (n = {a}) اور {second} (n = {b}) کی تین اہم ترین ترجیحات میں کوئی "
        "چیز مشترک نہیں تھی۔"
    ),
    differences=(
        "{when}، {first} اور {second} کی ترجیحات میں سب سے زیادہ فرق ان پر تھا: {items} "
        "(n = {a} اور {b})۔"
    ),
    unconfirmed=("لیکن تمام {m} موازنوں کو مدنظر رکھنے کے بعد یہ واضح نہیں (ایڈجسٹ شدہ p = {p})"),
    headline_change_clear="{group} میں {what} {before} سے {after} تک {verb} (n = {n})۔",
    headline_change_unconfirmed=(
        "{group} میں {what} {before} سے {after} تک {verb}، لیکن تمام {m} موازنوں کو مدنظر "
        "رکھنے کے بعد یہ واضح نہیں (n = {n})۔"
    ),
    headline_change_none=(
        "{group} میں {what} میں کوئی واضح تبدیلی نہیں آئی ({before} پھر {after}، n = {n})۔"
    ),
    headline_gap_clear=(
        "{when}، {group} نے اس کا {verb} اندازہ لگایا کہ {other} ان پر کتنا اعتماد کرتا ہے "
        "({estimate} بمقابلہ {given}، {n})۔"
    ),
    headline_gap_unconfirmed=(
        "{when}، {group} نے اس کا {verb} اندازہ لگایا کہ {other} ان پر کتنا اعتماد کرتا ہے "
        "({estimate} بمقابلہ {given}، {n})، لیکن تمام {m} موازنوں کو مدنظر رکھنے کے بعد یہ "
        "واضح نہیں۔"
    ),
    headline_gap_none=(
        "{when}، {group} کے اندازے اور {other_group} کے بیان میں کوئی واضح فرق نہیں تھا "
        "({estimate} بمقابلہ {given}، {n})۔"
    ),
    headline_priorities=(
        "{when}، دونوں فریقوں کی ترجیحات میں سب سے زیادہ فرق «{item}» پر تھا: {first} میں اوسط "
        "درجہ {a} اور {second} میں {b} ({n})۔"
    ),
    sentence_end="۔",
)

PHRASEBOOK = {"en": ENGLISH, "fr": FRENCH, "ur": URDU}
# Like the shipped instrument's translations (metadata.translations): a native speaker reviews
# them before fieldwork.
TRANSLATION_STATUS = {"fr": "needs-native-review", "ur": "needs-native-review"}


def phrases_in(language: str) -> Phrases:
    """The patterns of `language` (its base language for "fr-CA"), else English."""
    return PHRASEBOOK.get(language) or PHRASEBOOK.get(language.split("-")[0], ENGLISH)
