"""Which responses the statistics count, and the dashboards' filters as SQL conditions."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import and_, func, or_, select

from survey.dashboard.filters import EXPERIENCE, Filters
from survey.extensions import db
from survey.models import Answer, Participant, Response, ResponseStatus


def included_responses():
    """The responses that count: submitted, of participants who have not withdrawn."""
    return and_(
        Participant.withdrawn_at.is_(None),
        Response.status == ResponseStatus.SUBMITTED,
    )


def written_text() -> tuple:
    """The conditions of an answer with text that is more than white space."""
    return Answer.text.is_not(None), func.trim(Answer.text) != ""


def _experience_of_participant():
    """The participant's experience answer, from any of their submitted responses."""
    return (
        select(func.max(Answer.text))
        .join(Response, Response.id == Answer.response_id)
        .where(
            Response.participant_id == Participant.id,
            Response.status == ResponseStatus.SUBMITTED,
            Answer.question == EXPERIENCE,
        )
        .scalar_subquery()
    )


def paired_experience(links: Mapping[int, int]) -> dict[int, str | None]:
    """Each participant of the linking code's pairs (`links`, later -> earlier participant)
    with the pair's experience as the statistics read it (survey.dashboard.dataset): the
    greater of the two's answers, None when neither answered. One statement, none without
    pairs."""
    paired = set(links) | set(links.values())
    if not paired:
        return {}
    answered = dict(
        db.session.execute(
            select(Response.participant_id, func.max(Answer.text))
            .join(Answer, Answer.response_id == Response.id)
            .where(
                Response.participant_id.in_(paired),
                Response.status == ResponseStatus.SUBMITTED,
                Answer.question == EXPERIENCE,
            )
            .group_by(Response.participant_id)
        ).all()
    )
    bands: dict[int, str | None] = {}
    for pair in links.items():
        given = [answered[participant] for participant in pair if participant in answered]
        bands.update(dict.fromkeys(pair, max(given) if given else None))
    return bands


def _experience_band(band: str, paired: Mapping[int, str | None]):
    """The condition of a participant whose experience is `band`: the answer of any of their
    submitted responses, or for a participant of a pair the pair's (`paired`)."""
    own = _experience_of_participant() == band
    if not paired:
        return own
    in_band = [participant for participant, theirs in paired.items() if theirs == band]
    return or_(and_(Participant.id.not_in(list(paired)), own), Participant.id.in_(in_band))


def filter_conditions(filters: Filters, paired: Mapping[int, str | None] | None = None) -> list:
    """SQL conditions for the filters, as Dataset.mask applies them (`paired`: the experience
    of the linking code's pairs, as paired_experience reads it)."""
    applied = filters.applied()
    conditions = []
    if "sector" in applied:
        conditions.append(Participant.sector == applied["sector"])
    if "language" in applied:
        conditions.append(Response.language == applied["language"])
    if "experience" in applied:
        conditions.append(_experience_band(applied["experience"], paired or {}))
    return conditions
