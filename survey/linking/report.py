"""The match report (docs/linking.md, "Matching"): how the first-wave and second-wave responses
of a workshop pair up, from its participants' personal links and linking codes.

Participants who keep their personal link answer every wave as one participant. Those who join
through a group's join link and lose their link join again for the later wave, as a new
participant; the linking code is what pairs their two responses.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from survey.analysis.results import Matching
from survey.extensions import db
from survey.linking.codes import Candidate, match_codes
from survey.models import Participant, Response, ResponseStatus, Wave, Workshop


@dataclass(frozen=True)
class MatchReport:
    """How first-wave and second-wave responses pair up within each group.

    `pairs` lists (first-wave participant id, second-wave participant id): a participant who
    answered both waves pairs with themself; the rest are pairs found by the linking code.
    `matched` counts the pairs; `ambiguous` counts the participants (of either wave) left
    unmatched because their code tied with more than one candidate.
    """

    matched: int
    pre_only: int
    post_only: int
    ambiguous: int
    pairs: tuple[tuple[int, int], ...]

    def counts(self) -> Matching:
        """The counts, as the statistics and the live monitor show them."""
        return Matching(self.matched, self.pre_only, self.post_only, self.ambiguous)

    @property
    def linked(self) -> tuple[tuple[int, int], ...]:
        """The pairs of two participants, that only the linking code makes one person
        (someone who lost their link and joined again)."""
        return tuple((first, second) for first, second in self.pairs if first != second)


def match_report(
    workshop: Workshop, first: str | None = None, second: str | None = None
) -> MatchReport:
    """The match report of two waves (by default the workshop's first two) from submitted
    responses of participants who have not withdrawn. A workshop of one wave has nothing to
    pair: each of its respondents is "first wave only"."""
    if first is None:
        waves = [wave.code for wave in workshop.waves]
        first, second = waves[0], (waves[1] if len(waves) > 1 else None)
    if second == first:
        second = None
    rows = db.session.execute(
        select(
            Participant.id,
            Participant.group_id,
            Participant.link_mother,
            Participant.link_day,
            Participant.link_town,
            Participant.link_siblings,
            Wave.code,
        )
        .join(Response, Response.participant_id == Participant.id)
        .join(Wave, Wave.id == Response.wave_id)
        .where(
            Participant.workshop_id == workshop.id,
            Participant.withdrawn_at.is_(None),
            Response.status == ResponseStatus.SUBMITTED,
            Wave.code.in_([code for code in (first, second) if code is not None]),
        )
    ).all()
    waves_of: dict[int, set[str]] = defaultdict(set)
    candidate_of: dict[int, Candidate] = {}
    for pid, group_id, mother, day, town, siblings, wave in rows:
        waves_of[pid].add(wave)
        code = (mother, day, town, siblings)
        candidate_of[pid] = Candidate(pid, group_id, code if all(code) else None)

    both = sorted(pid for pid, seen in waves_of.items() if seen == {first, second})
    first_only = [candidate_of[p] for p, seen in waves_of.items() if seen == {first}]
    second_only = [candidate_of[p] for p, seen in waves_of.items() if seen == {second}]
    linked, ambiguous_first, ambiguous_second = match_codes(first_only, second_only)
    pairs = [(pid, pid) for pid in both] + sorted(linked)
    linked_first = {a for a, _ in linked}
    linked_second = {b for _, b in linked}
    return MatchReport(
        matched=len(pairs),
        pre_only=sum(
            1 for c in first_only if c.participant_id not in linked_first | ambiguous_first
        ),
        post_only=sum(
            1 for c in second_only if c.participant_id not in linked_second | ambiguous_second
        ),
        ambiguous=len(ambiguous_first) + len(ambiguous_second),
        pairs=tuple(pairs),
    )
