"""The pairs the linking code makes (docs/linking.md): someone who lost their link and joined
again is two participants, each with a row of their own in the exports; `pairs.csv` says which
two the statistics count as one person, so that an analysis of the files can do the same."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import select

from survey.extensions import db
from survey.linking.report import match_report
from survey.models import Participant, Workshop

PAIRS_NAME = "pairs"
PAIR_COLUMNS = ("participant", "wave", "paired_with", "paired_wave")


def pair_rows(workshop: Workshop, waves: Sequence[str]) -> Iterator[tuple[str, str, str, str]]:
    """(first-wave participant, its wave, second-wave participant, its wave) of each pair of
    two participants of the workshop's `waves` (codes, in order), by the first one's public id;
    a participant who answered both waves with their own link is one row of the wide file
    already and is not listed."""
    if len(waves) < 2:
        return
    pairs = match_report(workshop, waves[0], waves[1]).linked
    if not pairs:
        return
    ids = {a for pair in pairs for a in pair}
    query = select(Participant.id, Participant.public_id).where(Participant.id.in_(ids))
    public = dict(db.session.execute(query).all())
    for first, second in sorted(pairs, key=lambda pair: public[pair[0]]):
        yield public[first], waves[0], public[second], waves[1]
