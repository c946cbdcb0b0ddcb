"""Writing the audit trail."""

from __future__ import annotations

from typing import Any

from assess.extensions import DbSession
from assess.models import AuditEvent


def record(
    session: DbSession,
    action: str,
    *,
    actor_id: int | None = None,
    object_type: str | None = None,
    object_id: object = None,
    ip: str | None = None,
    **details: Any,
) -> AuditEvent:
    """Add an audit event to ``session`` (the caller commits). Never pass secrets here."""
    event = AuditEvent(
        action=action,
        actor_id=actor_id,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        ip=ip,
        details=details,
    )
    session.add(event)
    return event
