"""Reading the audit trail: the filtered, paged list behind the admin page, and the same events
as rows of a CSV file."""

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, func, select

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


def audit_events(*, page: int = 1, **filters) -> AuditPage:
    """Events matching every given filter (see `_matching`), newest first, a page of them."""
    page = min(max(1, page), MAX_PAGE)
    query = _matching(**filters).limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)
    rows = db.session.execute(query).all()
    return AuditPage(
        events=[(event, slug) for event, slug in rows[:PAGE_SIZE]],
        page=page,
        has_more=len(rows) > PAGE_SIZE,
    )


#: The audit log's CSV file: one event a row, its options as a JSON object.
AUDIT_COLUMNS = ("at_utc", "actor", "action", "workshop", "detail", "address")


def audit_rows(**filters) -> Iterator[list[str]]:
    """Every event matching the filters (see `_matching`), newest first, as rows of
    AUDIT_COLUMNS."""
    for event, slug in db.session.execute(_matching(**filters)):
        yield [
            event.at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            event.actor or "",
            event.action,
            slug or "",
            json.dumps(event.detail, ensure_ascii=False) if event.detail else "",
            event.address or "",
        ]


def _matching(
    *,
    workshop: Workshop | None = None,
    action: str | None = None,
    actor: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> Select:
    """Events of the workshop, of the action, by an actor whose name holds `actor` (in any
    case), from `since` to `until` (whole UTC days), each with its workshop's slug."""
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
    return query


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
    if isinstance(value, Mapping) and set(value) == {"from", "to"}:  # a change
        return f"{_text(value['from'])} → {_text(value['to'])}"
    if isinstance(value, Mapping):
        return ", ".join(f"{_name(key)} {_text(item)}" for key, item in value.items())
    return str(value)
