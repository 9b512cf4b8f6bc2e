"""Reading the audit trail: the filtered, paged list behind the admin page."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from survey.extensions import db
from survey.models import AuditEvent, Workshop

PAGE_SIZE = 100
MAX_PAGE = 100_000  # keeps the offset a small number whatever the address says


@dataclass(frozen=True)
class AuditPage:
    events: list[tuple[AuditEvent, str | None]]  # each event with its workshop's slug
    page: int
    has_more: bool


def audit_actions() -> list[str]:
    """Every action recorded so far, for the filter's choices."""
    return list(
        db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    )


def audit_events(
    *,
    workshop: Workshop | None = None,
    action: str | None = None,
    actor: str | None = None,
    since: date | None = None,
    until: date | None = None,
    page: int = 1,
) -> AuditPage:
    """Events matching every given filter, newest first; dates are whole UTC days."""
    query = (
        select(AuditEvent, Workshop.slug)
        .outerjoin(Workshop, AuditEvent.workshop_id == Workshop.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    if workshop is not None:
        query = query.where(AuditEvent.workshop_id == workshop.id)
    if action:
        query = query.where(AuditEvent.action == action)
    if actor:
        query = query.where(
            func.lower(AuditEvent.actor).contains(actor.strip().lower(), autoescape=True)
        )
    if since:
        query = query.where(AuditEvent.at >= datetime.combine(since, time.min, UTC))
    if until and until < date.max:  # up to the last day there is: no upper bound
        query = query.where(
            AuditEvent.at < datetime.combine(until + timedelta(days=1), time.min, UTC)
        )
    page = min(max(1, page), MAX_PAGE)
    rows = db.session.execute(query.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).all()
    return AuditPage(
        events=[(event, slug) for event, slug in rows[:PAGE_SIZE]],
        page=page,
        has_more=len(rows) > PAGE_SIZE,
    )


def readable_detail(detail: Mapping | None) -> list[tuple[str, str]]:
    """An event's options as (name, text) a person reads: "responses deleted", yes or no,
    lists joined by commas, "—" for nothing."""
    return [(_name(key), _text(value)) for key, value in (detail or {}).items()]


def _name(key: object) -> str:
    return str(key).replace("_", " ")


def _text(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_text(item) for item in value) or "—"
    if isinstance(value, Mapping):
        return ", ".join(f"{_name(key)} {_text(item)}" for key, item in value.items())
    return str(value)
