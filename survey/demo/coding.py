"""The demo's coding of the free text: a small theme codebook, and a fictitious colleague who
has coded every answer to the pre-workshop question already, half of which are assigned to the
demo admin as a blind double-coding sample.

So the whole coding flow can be tried at once with the one login the demo prints: code the
sample, see the agreement, settle the differences, read the theme shares. The other questions
are left uncoded, to try the coding screen from the start. The colleague's codes follow the
demo corpus's own codes (corpus.yaml), each answer's with a small chance of a theme left out or
added, as a second person would code.
"""

from __future__ import annotations

import random
import secrets

from survey.audit import record
from survey.auth.users import create_user, grant_role, user_by_email
from survey.coding.codings import save_coding
from survey.coding.queue import codeable_answers
from survey.coding.samples import assign_sample
from survey.demo.corpus import CODES, TEXTS
from survey.extensions import db
from survey.models import Answer, Role, StaffUser, Theme, Workshop

DEMO_CODER_EMAIL = "coder@demo.local"
CODED_QUESTION = "hope_text"
SAMPLE_SHARE = 50
SEED = 20140602
SLIP = 0.15  # the chance that the colleague codes an answer a little differently

# (code, label, description, parent)
DEMO_THEMES = (
    ("understanding", "Mutual understanding", "Knowing the other side's intentions and views", ""),
    ("trust", "Trust and confidence", "Building trust; commitments kept", ""),
    ("security", "Security concerns", "Security, terrorism and the border as concerns", ""),
    ("border", "Border coordination", "The Afghanistan–Pakistan border in particular", "security"),
    ("crisis_communication", "Crisis communication", "Hotlines and channels for incidents", ""),
    ("dialogue", "Regular political dialogue", "Senior, standing political dialogue", ""),
    ("economy", "Regional economy", "Trade, corridors and connectivity", ""),
    ("legacy_2011", "The events of 2011–2012", "Salala and the crises of 2011–2012", ""),
    ("follow_up", "Follow-up", "Meeting again, continuity of the dialogue", ""),
    ("format", "The workshop's format", "Small groups, frank and informal exchanges", ""),
    ("new_insight", "A new insight", "The workshop changed the person's view", ""),
    ("no_change", "No change of view", "The person's view did not change", ""),
)


def reference_codes() -> dict[str, dict[str, tuple[str, ...]]]:
    """question -> text -> its themes, in every language of the demo corpus."""
    found: dict[str, dict[str, tuple[str, ...]]] = {}
    for question, sides in TEXTS.items():
        for side, languages in sides.items():
            codes = CODES.get(question, {}).get(side, [])
            for texts in languages.values():
                for text, themes in zip(texts, codes, strict=False):
                    found.setdefault(question, {})[text] = tuple(themes)
    return found


def seed_demo_coding(workshop: Workshop, admin: StaffUser) -> bool:
    """The codebook, the colleague's codings and the admin's sample; False (and nothing done)
    when the workshop has themes already."""
    if db.session.query(Theme).filter_by(workshop_id=workshop.id).first() is not None:
        return False
    themes: dict[str, Theme] = {}
    for position, (code, label, description, parent) in enumerate(DEMO_THEMES):
        themes[code] = Theme(
            workshop_id=workshop.id,
            code=code,
            label=label,
            description=description,
            parent=themes.get(parent),
            position=position,
        )
        db.session.add(themes[code])
    coder = _demo_coder(workshop)
    rng = random.Random(SEED)
    codes = reference_codes().get(CODED_QUESTION, {})
    answers = db.session.scalars(
        codeable_answers(workshop).where(Answer.question == CODED_QUESTION).order_by(Answer.id)
    ).all()
    for answer in answers:
        chosen = set(codes.get(answer.text, ()))
        if rng.random() < SLIP:
            chosen ^= {rng.choice(list(themes))}  # one theme left out or added
        save_coding(workshop, answer, coder, [themes[c] for c in themes if c in chosen])
    db.session.flush()
    sample = assign_sample(
        workshop, CODED_QUESTION, admin, SAMPLE_SHARE, by=coder, rng=random.Random(SEED)
    )
    record(
        "demo.coding",
        workshop=workshop,
        detail={"themes": len(themes), "codings": len(answers), "sample": len(sample.answers)},
    )
    return True


def _demo_coder(workshop: Workshop) -> StaffUser:
    """The fictitious colleague: a researcher of the workshop whose password nobody knows."""
    coder = user_by_email(DEMO_CODER_EMAIL)
    if coder is None:
        coder = create_user(DEMO_CODER_EMAIL, secrets.token_urlsafe(32))
    grant_role(coder, workshop, Role.RESEARCHER)
    return coder
