"""One room across two gunicorn servers sharing a database and Redis: the interviewer on
one, the candidate on the other, their edits and presence meet, and the end reaches both."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from pycrdt import Encoder

from assess.extensions import db
from assess.live import protocol
from assess.models.live import LiveInterview, LiveState
from tests.conftest import csrf_token, require
from tests.integration.conftest import gunicorn_problem
from tests.integration.ops.servers import Gunicorn, PrivateRedis, redis_problem

from .conftest import Scene
from .helpers import YClient, candidate_session, staff_session, wait_until


@pytest.fixture
def two_servers(app: Flask, scene: Scene, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two single-process gunicorn servers on the test's database and one private Redis."""
    require(gunicorn_problem(), "gunicorn")
    require(redis_problem(), "Redis")
    redis = PrivateRedis(tmp_path / "redis", persistent=False).start()
    db.session.commit()
    db.session.close()
    env = {
        "ASSESS_ENV": "development",
        "SECRET_KEY": secrets.token_urlsafe(48),  # shared: a session signed on one is valid on both
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "ASSESS_SANDBOX": "0",
        "REDIS_URL": redis.url,
    }
    servers = [Gunicorn(env, tmp_path / f"gunicorn-{n}.log", workers=1) for n in range(2)]
    try:
        for server in servers:
            server.start()
        yield servers[0].url, servers[1].url
    finally:
        for server in servers:
            server.stop()
        redis.stop()


def _presence(client: YClient) -> bytes:
    """An awareness update for ``client``'s own Yjs id (a cursor at the start)."""
    encoder = Encoder()
    encoder.write_var_uint(1)
    encoder.write_var_uint(client.doc.client_id)
    encoder.write_var_uint(1)
    encoder.write_var_string('{"cursor": {"anchor": 0, "head": 0}}')
    return protocol.awareness(encoder.to_bytes())


def _saw_presence_of(client: YClient, name: str) -> bool:
    """Whether ``client`` received an awareness frame naming ``name``."""
    return any(f[0] == 1 and name.encode() in f for f in list(client.frames))


def test_one_room_is_shared_by_two_processes(
    app: Flask, scene: Scene, two_servers: tuple[str, str]
) -> None:
    """Both type at once on different processes and converge; each one's presence reaches
    the other; ending the interview on one process closes the socket on the other."""
    first, second = two_servers
    with app.app_context():
        staff_name = db.session.merge(scene.interviewer).name
        staff_email = db.session.merge(scene.interviewer).email
    staff_http = staff_session(first, staff_email)
    staff = YClient(first, scene.interview_id, staff_http)
    candidate = YClient(second, scene.interview_id, candidate_session(second, scene.token))
    for client in (staff, candidate):
        wait_until(lambda c=client: "def top_words" in str(c.main), what="the seeded starter")

    for n in range(15):
        staff.type(f"# staff {n}\n", at=0)
        candidate.type(f"# candidate {n}\n")
    wait_until(
        lambda: str(staff.main) == str(candidate.main) and str(staff.main).count("# ") >= 30,
        20,
        "both documents to converge across the processes",
    )
    text = str(staff.main)
    assert all(f"# staff {n}\n" in text and f"# candidate {n}\n" in text for n in range(15))

    staff.send(_presence(staff))
    candidate.send(_presence(candidate))
    wait_until(lambda: _saw_presence_of(candidate, staff_name), what="staff presence")
    wait_until(lambda: _saw_presence_of(staff, "Ada Candidate"), what="candidate presence")

    room = f"{first}/live/{scene.interview_id}"
    page = staff_http.get(room)
    ended = staff_http.post(
        f"{room}/end", data={"csrf_token": csrf_token(page.text)}, allow_redirects=False
    )
    assert ended.status_code == 302, ended.text[:300]
    wait_until(lambda: candidate.closed is not None, what="the other process's socket to close")
    assert candidate.closed == (4410, "the interview has ended")
    wait_until(lambda: staff.closed is not None, what="the staff socket to close")
    assert staff.closed == (4410, "the interview has ended")
    with app.app_context():
        db.session.expire_all()
        interview = db.session.get(LiveInterview, scene.interview_id)
        assert interview is not None and interview.state is LiveState.ENDED
        assert interview.final_files["main"] == text
    staff.close()
    candidate.close()
