"""How each side of the dialogue answers: the parameters of the synthetic population.

Every number is a population mean or spread, in scale points unless said otherwise; the tests
of survey.demo.synthetic check that the answers drawn with them look like real data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# Probabilities of the ways people leave an item: "Prefer not to answer" on a scaled item
# (higher for the two accusatory statements) and skipping an optional item altogether.
NON_RESPONSE_SHARE = 0.015
SENSITIVE_NON_RESPONSE_SHARE = 0.04
SENSITIVE_ITEMS = frozenset({"trust_agenda", "trust_exploit"})
SKIP_SHARE = 0.012
RANKING_SKIP_SHARE = 0.02
# Share of respondents who write something in each free-text box.
TEXT_SHARE: Mapping[str, float] = {
    "hope_text": 0.65,
    "takeaway_text": 0.55,
    "view_change_text": 0.45,
}
DEFAULT_TEXT_SHARE = 0.4

# Spread of the latent traits, in scale points. With these, the seven trust statements have an
# inter-item correlation of about 0.3, hence an alpha of 0.75–0.8 (checked by the tests).
TRUST_SD = 0.62
CHANGE_SD = 0.25
ITEM_LEANING_SD = 0.45  # lasting, so answers in pre and post are alike item by item
ITEM_NOISE_SD = 0.72  # of the occasion
SINGLE_ITEM_NOISE_SD = 0.6
# How much of the distance between the two sides' priorities closes per later wave.
PRIORITY_CONVERGENCE = 0.2
PRIORITY_TASTE_SD = 0.55

# Where a trust statement sits relative to the person's trust, after reversing: everyone
# believes the other side wants a stable Afghanistan; few think it shares information openly.
TRUST_ITEM_OFFSETS: Mapping[str, float] = {
    "trust_commitments": -0.15,
    "trust_information": -0.4,
    "trust_concerns": -0.2,
    "trust_afghanistan": 0.55,
    "trust_partner": 0.0,
    "trust_agenda": -0.25,
    "trust_exploit": -0.05,
}
# How strongly other scaled items follow the person's trust (in scale points per point).
ITEM_LOADINGS: Mapping[str, float] = {
    "optimism": 0.6,
    "network_effect": 0.4,
    "expect_understanding": 0.3,
    "eval_interests": 0.25,
    "eval_differences": 0.15,
    "eval_followup": 0.3,
    "eval_overall": 0.25,
    "obstacle_legacy": -0.25,
    "obstacle_threats": -0.3,
    "obstacle_public_opinion": -0.2,
    "obstacle_channels": -0.2,
    "obstacle_regional": -0.3,
}
DEFAULT_LOADING = 0.2


@dataclass(frozen=True)
class SideProfile:
    """How one side of the dialogue answers; every number is a population mean."""

    trust: float  # latent trust in the other side (1–5) in the first wave
    trust_change: float  # its mean change per later wave
    meta_gap: float  # meta-trust sits this far below the trust the other side really gives
    meta_gap_change: float  # ... and this much less far per later wave
    languages: Mapping[str, float]  # language -> weight
    choices: Mapping[str, Mapping[str, float]]  # profile choice question -> code -> weight
    yes_share: Mapping[str, float]  # yes/no question -> share answering yes
    priorities: Mapping[str, float]  # ranking item -> importance (a log-weight)
    priority_changes: Mapping[str, float]  # ranking item -> change of importance per later wave
    item_means: Mapping[str, float]  # other scaled items -> mean in the first wave
    item_changes: Mapping[str, float] = field(default_factory=dict)  # per later wave


SIDE_PROFILES: Mapping[str, SideProfile] = {
    "nato": SideProfile(
        trust=2.95,
        trust_change=0.2,
        meta_gap=0.45,
        meta_gap_change=0.1,
        languages={"en": 0.7, "fr": 0.3},
        choices={
            "sector": {
                "government": 0.28,
                "military": 0.24,
                "diplomatic": 0.2,
                "international_org": 0.16,
                "academia": 0.1,
                "media": 0.02,
            },
            "experience": {"none": 0.04, "lt2": 0.16, "2to4": 0.3, "5to9": 0.28, "10plus": 0.22},
        },
        yes_share={"prior_dialogue": 0.4},
        priorities={
            "afghan_transition": 1.7,
            "counter_terrorism": 1.5,
            "transit_logistics": 1.2,
            "training_education": 0.6,
            "border_management": 0.5,
            "political_dialogue": 0.3,
            "crisis_communication": 0.3,
            "regional_economy": -0.4,
        },
        # Hearing how 2011–2012 was lived on the other side makes the case for a hotline.
        priority_changes={"crisis_communication": 1.0},
        item_means={
            "obstacle_legacy": 3.5,
            "obstacle_threats": 3.6,
            "obstacle_public_opinion": 2.7,
            "obstacle_channels": 3.2,
            "obstacle_regional": 3.4,
            "optimism": 3.1,
            "network_effect": 4.1,
            "expect_understanding": 3.9,
            "eval_interests": 4.0,
            "eval_differences": 4.2,
            "eval_followup": 4.3,
            "eval_overall": 4.0,
        },
        item_changes={"obstacle_channels": -0.35, "obstacle_legacy": -0.15},
    ),
    "pakistan": SideProfile(
        trust=2.5,
        trust_change=0.5,
        meta_gap=0.7,
        meta_gap_change=0.15,
        languages={"en": 0.55, "ur": 0.45},
        choices={
            "sector": {
                "government": 0.24,
                "military": 0.2,
                "academia": 0.24,
                "media": 0.16,
                "civil_society": 0.14,
                "diplomatic": 0.02,
            },
            "experience": {"none": 0.08, "lt2": 0.14, "2to4": 0.26, "5to9": 0.26, "10plus": 0.26},
        },
        yes_share={"prior_dialogue": 0.3},
        priorities={
            "border_management": 1.5,
            "regional_economy": 1.4,
            "political_dialogue": 1.3,
            "crisis_communication": 1.2,
            "counter_terrorism": 0.6,
            "afghan_transition": 0.5,
            "training_education": -0.1,
            "transit_logistics": -0.5,
        },
        priority_changes={"crisis_communication": 0.3},
        item_means={
            "obstacle_legacy": 4.1,
            "obstacle_threats": 3.7,
            "obstacle_public_opinion": 4.2,
            "obstacle_channels": 3.5,
            "obstacle_regional": 3.8,
            "optimism": 2.8,
            "network_effect": 3.4,
            "expect_understanding": 3.6,
            "eval_interests": 4.2,
            "eval_differences": 4.1,
            "eval_followup": 4.4,
            "eval_overall": 4.1,
        },
        item_changes={"obstacle_channels": -0.4, "obstacle_legacy": -0.2},
    ),
}
# A side the instrument names but no profile describes: middling, and no view of its own.
NEUTRAL_PROFILE = SideProfile(
    trust=3.0,
    trust_change=0.2,
    meta_gap=0.5,
    meta_gap_change=0.1,
    languages={},
    choices={},
    yes_share={},
    priorities={},
    priority_changes={},
    item_means={},
)
