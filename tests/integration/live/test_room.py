"""The live room through a real server and real WebSocket clients speaking the Yjs protocol:
convergence, nothing lost across reconnects and restarts, the handshake's refusals, and
hostile frames that harm nobody else."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from pycrdt import Encoder

from assess.extensions import db
from assess.live import protocol
from assess.models import Role
from assess.models.live import LiveUpdate
from tests.conftest import Factory

from .conftest import Scene
from .helpers import YClient, candidate_session, staff_session, wait_until


def _both(server: str, scene: Scene) -> tuple[YClient, YClient]:
    """The interviewer's and the candidate's clients, synchronised."""
    staff = YClient(server, scene.interview_id, staff_session(server, scene.interviewer.email))
    candidate = YClient(server, scene.interview_id, candidate_session(server, scene.token))
    for client in (staff, candidate):
        wait_until(lambda c=client: "def top_words" in str(c.main), what="the seeded starter")
    return staff, candidate


def test_two_people_typing_at_once_converge(server: str, scene: Scene) -> None:
    """Both sides type at the same time into the same file and end with identical text."""
    staff, candidate = _both(server, scene)
    for n in range(20):
        staff.type(f"# staff {n}\n", at=0)
        candidate.type(f"# candidate {n}\n")
    wait_until(
        lambda: str(staff.main) == str(candidate.main) and str(staff.main).count("# ") >= 40,
        what="both documents to converge",
    )
    text = str(staff.main)
    assert all(f"# staff {n}\n" in text and f"# candidate {n}\n" in text for n in range(20))
    staff.close()
    candidate.close()


def test_nothing_is_lost_across_reconnects_and_a_restart(
    app: Flask, server: str, scene: Scene
) -> None:
    """Every update is in the log: a new connection, and a process that forgot the room,
    both get the same document back."""
    staff, candidate = _both(server, scene)
    candidate.type("\nprint('kept')\n")
    wait_until(lambda: "print('kept')" in str(staff.main), what="the edit to reach the staff")
    expected = str(candidate.main)
    candidate.close()
    staff.close()
    hub = app.extensions["live"]
    wait_until(lambda: scene.interview_id not in hub.rooms, what="the room to be released")
    hub.rooms.clear()  # what a restarted web process knows: nothing but the database
    again = YClient(server, scene.interview_id, candidate_session(server, scene.token))
    wait_until(lambda: str(again.main) == expected, what="the document from the log")
    again.close()
    with app.app_context():
        rows = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(LiveUpdate)
            .where(LiveUpdate.interview_id == scene.interview_id)
        )
    assert rows >= 2


def test_offline_edits_merge_when_the_connection_returns(server: str, scene: Scene) -> None:
    """Edits made while one side was disconnected merge on reconnect (the client's step 2)."""
    staff, candidate = _both(server, scene)
    candidate.close()
    offline = candidate.doc.get_update()
    candidate_text = candidate.main
    with candidate.doc.transaction():
        candidate_text.insert(0, "# written offline\n")
    staff.type("# staff meanwhile\n")
    back = YClient(server, scene.interview_id, candidate_session(server, scene.token))
    with back.lock:
        back.doc.apply_update(offline)
        back.doc.apply_update(candidate.doc.get_update())
    back.send(protocol.step1(back.doc.get_state()))
    back.send(protocol.update(back.doc.get_update()))
    wait_until(
        lambda: "# written offline" in str(staff.main) and "# staff meanwhile" in str(back.main),
        what="offline edits to merge both ways",
    )
    staff.close()
    back.close()


def test_the_handshake_refuses_foreign_origins_and_strangers(
    server: str, scene: Scene, factory: Factory
) -> None:
    """Another site's page, no credentials, and staff of another organisation are each
    closed at once with a reason."""
    foreign = YClient(
        server,
        scene.interview_id,
        staff_session(server, scene.interviewer.email),
        origin="http://evil.example",
    )
    wait_until(lambda: foreign.closed is not None, what="the foreign origin to be closed")
    assert foreign.closed == (4403, "connections from another site are refused")
    stranger = YClient(server, scene.interview_id, None)
    wait_until(
        lambda: stranger.closed is not None,
        what=f"the stranger to be closed {stranger.closed} {stranger.reader.is_alive()}",
    )
    assert stranger.closed[0] == 4401
    other = factory.user(Role.RECRUITER, organization=factory.organization("Elsewhere"))
    outsider = YClient(server, scene.interview_id, staff_session(server, other.email))
    wait_until(lambda: outsider.closed is not None, what="the other organisation to be closed")
    assert outsider.closed[0] == 4401
    assert not any(f[0] == 0 and len(f) > 3 for f in outsider.frames)


def test_a_malformed_message_closes_only_its_connection(server: str, scene: Scene) -> None:
    """Garbage, a forged room event and a corrupt update each close the sender alone; the
    others' document is untouched and keeps working."""
    staff, candidate = _both(server, scene)
    before = str(staff.main)
    for bad in (
        b"\x07\x01\x02",
        bytes([protocol.ROOM_EVENT, 2, 123, 125]),
        b"\x00\x02\x05\xff\xff\x01\x02\x03",
    ):
        attacker = YClient(server, scene.interview_id, candidate_session(server, scene.token))
        wait_until(lambda a=attacker: len(a.frames) > 0, what="the attacker to be synchronised")
        attacker.send(bad)
        wait_until(lambda a=attacker: a.closed is not None, what="the attacker to be closed")
        assert attacker.closed[0] == 4400
    assert str(staff.main) == before
    candidate.type("# still works\n")
    wait_until(lambda: "# still works" in str(staff.main), what="the room to keep working")
    staff.close()
    candidate.close()


def test_a_flood_is_cut_off(server: str, scene: Scene) -> None:
    """More frames than anyone types closes the sender with a reason."""
    candidate = YClient(server, scene.interview_id, candidate_session(server, scene.token))
    state = protocol.step1(candidate.doc.get_state())
    for _ in range(600):
        candidate.send(state)
        if candidate.closed is not None:
            break
    wait_until(lambda: candidate.closed is not None, what="the flood to be cut off")
    assert candidate.closed[0] == 4429


def test_presence_cannot_be_forged(server: str, scene: Scene) -> None:
    """A candidate claiming another name in presence is shown under their own name."""
    staff, candidate = _both(server, scene)
    encoder = Encoder()
    encoder.write_var_uint(1)
    encoder.write_var_uint(candidate.doc.client_id)
    encoder.write_var_uint(1)
    encoder.write_var_string(
        '{"user": {"name": "The Interviewer", "color": "#000000"}, "secret": 1}'
    )
    candidate.send(protocol.awareness(encoder.to_bytes()))

    def presence_names() -> list[str]:
        names = []
        for frame in list(staff.frames):
            if frame[0] == 1:
                names.append(frame.decode("latin-1"))
        return names

    wait_until(lambda: any("Ada Candidate" in n for n in presence_names()), what="presence")
    assert not any("The Interviewer" in n or "secret" in n for n in presence_names())
    staff.close()
    candidate.close()
