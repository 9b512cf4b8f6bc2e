"""Data for the coding tests: a workshop with free-text answers in both groups and waves, a
small codebook, and coders."""

from __future__ import annotations

from dataclasses import dataclass, field

from survey.coding.codings import save_coding
from survey.coding.themes import create_theme
from survey.extensions import db
from survey.models import Answer, Participant, Theme, Workshop
from tests import factories

URDU = "باہمی افہام و تفہیم۔ باقی سب کچھ اسی سے ہوگا۔"


@dataclass
class CodingWorld:
    workshop: Workshop
    themes: dict[str, Theme]
    answers: dict[str, Answer] = field(default_factory=dict)  # by text
    participants: dict[str, Participant] = field(default_factory=dict)  # by text


def coding_world(texts_per_cell: int = 6, min_cell: int = 5) -> CodingWorld:
    """A workshop whose hope_text (pre) and takeaway_text (post) have answers in both groups,
    with themes security > border, and dialogue."""
    ws = factories.workshop(open_waves=("pre", "post"), min_cell=min_cell)
    security = create_theme(ws, "security", "Security")
    themes = {
        "security": security,
        "border": create_theme(ws, "border", "Border coordination", "The border", security),
        "dialogue": create_theme(ws, "dialogue", "Political dialogue"),
    }
    db.session.commit()
    world = CodingWorld(ws, themes)
    for group in ("nato", "pakistan"):
        for i in range(texts_per_cell):
            language = "ur" if group == "pakistan" and i == 0 else "en"
            sector = ("government", "academia", "media")[i % 3]
            p = factories.participant(ws, group, language=language, sector=sector)
            hope = URDU if language == "ur" else f"{group} hope {i}"
            factories.response(p, "pre", {"hope_text": hope, "warmth": 50}, language=language)
            take = f"{group} takeaway {i}"
            factories.response(p, "post", {"takeaway_text": take}, language=language)
            for text in (hope, take):
                world.participants[text] = p
    for answer in db.session.query(Answer).filter(Answer.text.is_not(None)):
        world.answers[answer.text] = answer
    return world


def code(world: CodingWorld, coder, text: str, *themes: str) -> None:
    """The coder codes the answer of this text with these themes (none: "no theme")."""
    save_coding(world.workshop, world.answers[text], coder, [world.themes[t] for t in themes])
    db.session.commit()
