"""Writing audit events: one call per auditable action, in the caller's transaction."""

from flask import has_request_context
from flask_login import current_user

from survey.extensions import db
from survey.models import AuditEvent, StaffUser, Workshop


def record(
    action: str,
    *,
    workshop: Workshop | None = None,
    actor: StaffUser | str | None = None,
    detail: dict | None = None,
    address: str | None = None,
) -> AuditEvent:
    """Add an audit event; `actor` defaults to the signed-in user, or "cli" outside requests;
    `address` to the client's (given by work done after a request, on its behalf)."""
    if has_request_context():
        from survey.net import client_address

        address = address or client_address()
        if actor is None and current_user.is_authenticated:
            actor = current_user._get_current_object()
    if isinstance(actor, StaffUser):
        actor_id, actor_name = actor.id, actor.email
    else:
        actor_id, actor_name = None, actor or ("anonymous" if has_request_context() else "cli")
    event = AuditEvent(
        action=action,
        actor_id=actor_id,
        actor=actor_name,
        workshop_id=workshop.id if workshop else None,
        detail=detail or {},
        address=address,
    )
    db.session.add(event)
    return event
