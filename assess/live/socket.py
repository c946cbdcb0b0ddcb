"""The room's WebSocket: who may connect, and the frame loop of one connection.

The handshake is accepted first so that a refusal can carry a close reason the browser
shows: a foreign Origin, no signed-in staff member of the interview's organisation and no
valid candidate link, or an interview that has ended each close the socket at once.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, request, session
from flask_login import current_user
from flask_sock import Sock

from assess.errors import NotFound
from assess.extensions import db
from assess.live import bp, protocol
from assess.live.rooms import Bucket, Connection, Hub, RateLimited, hang_up
from assess.live.service import (
    Participant,
    candidate_participant,
    link_is_valid,
    mark_live,
    staff_interview,
    staff_participant,
)
from assess.models.live import LiveInterview, LiveState
from assess.policy import STAFF, public

log = logging.getLogger(__name__)
sock = Sock()  # routes live on the blueprint; the extension needs no app of its own

CANDIDATE_KEY = "live"
RECHECK_SECONDS = 15.0  # how often an open socket re-checks that its holder may stay
FRAMES_PER_SECOND = 60.0
FRAME_BURST = 240.0

# Close codes 4400-4499 tell the Yjs client not to reconnect (the HTTP 4xx convention).
INVALID = 4400  # a frame that is not the Yjs protocol
UNAUTHORISED = 4401  # no staff session of the organisation and no valid candidate link
POLICY = 4403  # another site's page, or a link that no longer opens the room
ENDED = 4410  # the interview has ended
TOO_MANY = 4429  # more frames than a person types


def same_origin(origin: str | None) -> bool:
    """Whether the handshake's Origin is this site (browsers always send one)."""
    if not origin:
        return False
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc == request.host


def participant_for(interview: LiveInterview) -> Participant | None:
    """Who this request is in the interview's room: staff of its organisation, or the
    candidate holding its valid link in the signed session; None for anyone else."""
    if current_user.is_authenticated and current_user.role in STAFF:
        try:
            staff_interview(db.session, current_user, interview.id)
        except NotFound:
            return None
        return staff_participant(current_user)
    held = session.get(CANDIDATE_KEY)
    if (
        isinstance(held, dict)
        and held.get("id") == interview.id
        and held.get("key") == interview.token_hash
        and link_is_valid(interview)
    ):
        return candidate_participant(interview)
    return None


def _still_allowed(interview_id: int, participant: Participant) -> tuple[int, str] | None:
    """The close code and reason when the holder must leave now (the interview ended, the
    link was revoked), or None."""
    db.session.expire_all()
    try:
        interview = db.session.get(LiveInterview, interview_id)
        if interview is None or interview.state is LiveState.ENDED:
            return ENDED, "the interview has ended"
        if participant.role == "candidate" and not link_is_valid(interview):
            return POLICY, "your interview link is no longer valid"
        return None
    finally:
        db.session.rollback()  # hand the connection back: the socket holds none while it waits


@sock.route("/<int:interview_id>/socket", bp=bp)  # type: ignore[untyped-decorator]
@public  # the socket authenticates itself (staff session or candidate link) and says why not
def room_socket(ws: Any, interview_id: int) -> None:
    """One participant's connection to a room."""
    hub: Hub = current_app.extensions["live"]
    if not same_origin(request.headers.get("Origin")):
        hang_up(ws, POLICY, "connections from another site are refused")
        return
    interview = db.session.get(LiveInterview, interview_id)
    participant = participant_for(interview) if interview is not None else None
    if interview is None or participant is None:
        hang_up(ws, UNAUTHORISED, "sign in, or open the room from your interview link")
        return
    if interview.state is LiveState.ENDED:
        hang_up(ws, ENDED, "the interview has ended")
        return
    mark_live(db.session, interview)
    db.session.commit()
    room = hub.room(interview_id)
    conn = Connection(
        ws, participant.identity(), participant.role, Bucket(FRAMES_PER_SECOND, FRAME_BURST)
    )
    room.join(conn)
    db.session.rollback()  # hand the connection back (loading the room read the log) while we wait
    checked = time.monotonic()
    try:
        while not conn.closed:
            frame = ws.receive(timeout=RECHECK_SECONDS)
            if time.monotonic() - checked >= RECHECK_SECONDS:
                checked = time.monotonic()
                refusal = _still_allowed(interview_id, participant)
                if refusal is not None:
                    conn.close(*refusal)
                    break
            if frame is None:
                continue
            if isinstance(frame, str):
                conn.close(INVALID, "binary Yjs frames only")
                break
            try:
                room.handle(conn, frame, hub.relay)
            except protocol.ProtocolError as exc:
                db.session.rollback()
                conn.close(INVALID, str(exc)[:120])
                break
            except RateLimited:
                conn.close(TOO_MANY, "too many messages: slow down")
                break
    finally:
        if not conn.closed:
            conn.close(1000, "bye")
        room.leave(conn, hub.relay)
        hub.close_if_empty(interview_id)
        db.session.remove()
