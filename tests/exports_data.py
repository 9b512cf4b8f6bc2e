"""A small, known data set for the export and import tests (not a test module itself)."""

import io
import zipfile
from datetime import UTC, datetime

from survey.exports.dictionary import DeclaredVariable
from survey.exports.downloads import ExportFormat, ExportOptions, start_export
from survey.extensions import db
from survey.models import ResponseStatus
from survey.models._types import utcnow
from tests.respond_helpers import RANKING_ITEMS

PRIORITIES = RANKING_ITEMS
URDU_HOPE = 'باہمی اعتماد 🤝 اور\nکھلی بات چیت، "واضح" طور پر'
EMOJI_TAKEAWAY = '=HYPERLINK("http://x") 🚀\r\nnext line'
CORE = {
    "trust_commitments": 4,
    "trust_information": 3,
    "trust_concerns": -9,
    "trust_afghanistan": 5,
    "trust_partner": 4,
    "trust_agenda": 2,
    "trust_exploit": 1,
    "trust_direct": 4,
    "warmth": 70,
    "meta_trust": 3,
    "obstacle_legacy": 5,
    "optimism": 4,
}


def at(day: int, hour: int = 10, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2014, 5, day, hour, minute, second, 123456, tzinfo=UTC)


def ranking(order=PRIORITIES) -> dict[str, int]:
    return {item: rank for rank, item in enumerate(order, start=1)}


def build(make, slug: str | None = None):
    """Two groups, Urdu and emoji free text, -9s, rankings, a late joiner, a withdrawal."""
    ws = make.workshop(slug, open_waves=("pre", "post"))
    ahmed = make.participant(ws, "pakistan", language="ur", sector="academia", name="Ahmed")
    ahmed.public_id = "P-ur1"
    anna = make.participant(ws, "nato", sector="diplomatic", email="anna@example.org")
    anna.public_id = "P-en2"
    late = make.participant(ws, "nato")
    late.public_id = "P-late3"
    gone = make.participant(ws, "pakistan", sector="media")
    gone.public_id = "P-gone4"
    unfinished = make.participant(ws, "pakistan", sector="media")
    unfinished.public_id = "P-open5"
    db.session.commit()

    make.response(
        ahmed,
        "pre",
        {
            "sector": "academia",
            "experience": "5to9",
            "prior_dialogue": "no",
            **CORE,
            "priorities": ranking(),
            "expect_understanding": 4,
            "hope_text": URDU_HOPE,
        },
        language="ur",
        submitted_at=at(1),
    )
    make.response(
        ahmed,
        "post",
        {
            **CORE,
            "trust_concerns": 3,
            "warmth": 80,
            "priorities": ranking(PRIORITIES[::-1]),
            "eval_overall": 5,
            "takeaway_text": EMOJI_TAKEAWAY,
        },
        language="ur",
        submitted_at=at(3, 16, 5, 9),
    )
    make.response(
        anna,
        "pre",
        {
            "sector": "diplomatic",
            "experience": "10plus",
            "prior_dialogue": "yes",
            "trust_commitments": 2,
            "trust_direct": -9,
            "warmth": -9,
            "hope_text": "-1 is my score; @team +more",
        },
        submitted_at=at(1, 11),
    )
    # Joined late: the profile is answered in post, so its rows carry the post wave.
    make.response(
        late,
        "post",
        {"experience": "lt2", "prior_dialogue": "yes", **CORE, "priorities": ranking()},
        language="fr",
        submitted_at=at(3, 12),
    )
    make.response(gone, "pre", {**CORE}, submitted_at=at(1, 9))
    gone.withdrawn_at = utcnow()
    make.response(unfinished, "pre", {"trust_commitments": 5}, status=ResponseStatus.IN_PROGRESS)
    db.session.commit()
    return ws


# Label text that tries to end a string, a command or a comment, or to be expanded, in SPSS,
# Stata and R: the syntax files must keep it a label.
HOSTILE = (
    "It's \"quoted\" $HOME `whoami' \\\\ \\$x \\`y'\n. VALUE LABELS x 1 'evil'.\r\n"
    '"\' `"\' ); system("echo pwned"); x <- (" /* ///\tاردو'
)


def bundle(workshop, fmt: str, **options) -> dict[str, bytes]:
    """The members of a statistics package's zip download, by name."""
    export = start_export(workshop, ExportOptions(ExportFormat(fmt), **options))
    with zipfile.ZipFile(io.BytesIO(b"".join(export.chunks))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def hostile_variables() -> list[DeclaredVariable]:
    """Declared columns whose every label is HOSTILE."""
    return [
        DeclaredVariable("participant", HOSTILE, False, "nominal", width=8),
        DeclaredVariable(
            "answer",
            HOSTILE,
            True,
            "ordinal",
            value_labels=((1, HOSTILE), (2, "two")),
            missing=-9,
            missing_label=HOSTILE,
        ),
        DeclaredVariable(
            "choice", HOSTILE, False, "nominal", width=3, value_labels=(("a_b", HOSTILE),)
        ),
    ]


#: A data file for hostile_variables().
HOSTILE_DATA = "participant,answer,choice\r\nP1,1,a_b\r\nP2,-9,\r\n"
