"""Which responses the statistics count, and the dashboards' filters as SQL conditions."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import and_, case, func, select

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


def filter_value(key: str, paired: Mapping[int, str | None] | None = None):
    """A filter's value for a response, as the dataset's arrays hold it (survey.dashboard.dataset):
    the participant's sector, the response's language, the participant's experience (`paired`:
    the experience of the linking code's pairs, as paired_experience reads it)."""
    if key == "sector":
        return Participant.sector
    if key == "language":
        return Response.language
    if not paired:
        return _experience_of_participant()
    bands: dict[str | None, list[int]] = {}
    for participant, band in paired.items():
        bands.setdefault(band, []).append(participant)
    return case(
        *((Participant.id.in_(ids), band) for band, ids in bands.items()),
        else_=_experience_of_participant(),
    )


def filter_conditions(filters: Filters, paired: Mapping[int, str | None] | None = None) -> list:
    """SQL conditions for the filters, as Dataset.selections applies them (`paired`: the experience
    of the linking code's pairs, as paired_experience reads it)."""
    return [filter_value(key, paired) == value for key, value in filters.applied().items()]
