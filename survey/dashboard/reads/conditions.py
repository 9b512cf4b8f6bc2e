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


def _experience_band(band: str, links: Mapping[int, int]):
    """The condition of a participant whose experience is `band` as the statistics read it
    (survey.dashboard.dataset): the answer of any of their submitted responses or, for the two
    participants the linking code pairs (`links`, later -> earlier participant), of either's.
    Reads the pairs' answers when there are pairs (one statement)."""
    own = _experience_of_participant() == band
    paired = set(links) | set(links.values())
    if not paired:
        return own
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
    in_band = []
    for pair in links.items():
        bands = [answered[participant] for participant in pair if participant in answered]
        if bands and max(bands) == band:
            in_band.extend(pair)
    return or_(and_(Participant.id.not_in(paired), own), Participant.id.in_(in_band))


def filter_conditions(filters: Filters, links: Mapping[int, int] | None = None) -> list:
    """SQL conditions for the filters, as Dataset.mask applies them (`links`: the linking
    code's pairs, later -> earlier participant, whose experience holds for both)."""
    applied = filters.applied()
    conditions = []
    if "sector" in applied:
        conditions.append(Participant.sector == applied["sector"])
    if "language" in applied:
        conditions.append(Response.language == applied["language"])
    if "experience" in applied:
        conditions.append(_experience_band(applied["experience"], links or {}))
    return conditions
