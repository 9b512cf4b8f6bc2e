"""Which responses the statistics count, and the dashboards' filters as SQL conditions."""

from __future__ import annotations

from sqlalchemy import and_, func, select

from survey.dashboard.filters import EXPERIENCE, Filters
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


def filter_conditions(filters: Filters) -> list:
    """SQL conditions for the filters, as Dataset.mask applies them."""
    applied = filters.applied()
    conditions = []
    if "sector" in applied:
        conditions.append(Participant.sector == applied["sector"])
    if "language" in applied:
        conditions.append(Response.language == applied["language"])
    if "experience" in applied:
        conditions.append(_experience_of_participant() == applied["experience"])
    return conditions
