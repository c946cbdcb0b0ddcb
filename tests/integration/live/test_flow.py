"""A live interview from opening to hand-over: scheduling and the one-time link, the private
panel that never reaches the candidate, runs in the real sandbox seen by both, the end, and
the timeline that playback replays."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask

from assess.extensions import db
from assess.models import InterviewScorecard, Role
from assess.models.live import LiveInterview, LiveNote, LiveRun, LiveState
from tests.conftest import BankFactory, Factory, csrf_token, make_attempt

from .conftest import Scene
from .helpers import YClient, candidate_session, staff_session, wait_until

SECRET_NOTE = "private-note-7c1e: found the bug alone"


def _post(http: object, url: str, page_url: str, **data: str) -> object:
    """POST a form with the CSRF token of the page it lives on."""
    page = http.get(page_url)  # type: ignore[attr-defined]
    token = csrf_token(page.text)
    return http.post(url, data={"csrf_token": token, **data}, allow_redirects=False)  # type: ignore[attr-defined]


def _meta_token(html: str) -> str:
    """The CSRF token the pad's JSON calls send."""
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match
    return match.group(1)


def test_scheduling_shows_the_link_once_and_stores_only_its_hash(
    app: Flask, bank: BankFactory, factory: Factory
) -> None:
    """An assigned interviewer opens a live interview; the link works; its token is not
    stored; an unassigned interviewer may not open one."""
    from assess.services import review

    recruiter = factory.user(Role.RECRUITER)
    attempt, _ = make_attempt(factory, recruiter)
    interviewer = factory.user(Role.INTERVIEWER)
    review.assign(db.session, attempt, interviewer.id, recruiter)
    db.session.commit()
    client = app.test_client()
    from tests.conftest import Auth

    Auth(client).login(interviewer.email)
    page = client.get(f"/live/new/{attempt.id}")
    assert page.status_code == 200
    created = client.post(
        f"/live/new/{attempt.id}",
        data={"csrf_token": csrf_token(page.text), "title": "Pairing", "task": "word-frequency"},
    )
    assert created.status_code == 200
    link = re.search(r'value="(http[^"]+/live/j/[^"]+)"', created.text)
    assert link
    token = link.group(1).rsplit("/", 1)[1]
    with app.app_context():
        interview = db.session.scalar(sa.select(LiveInterview))
        assert token not in (interview.token_hash, interview.title)
    joined = app.test_client().get(f"/live/j/{token}")
    assert joined.status_code == 302
    bad = client.post(
        f"/live/new/{attempt.id}",
        data={"csrf_token": csrf_token(page.text), "title": "line\nbreak", "task": ""},
    )
    assert bad.status_code == 422
    stranger = factory.user(Role.INTERVIEWER)
    other = app.test_client()
    Auth(other).login(stranger.email)
    assert other.get(f"/live/new/{attempt.id}").status_code == 404


def test_the_private_panel_never_reaches_the_candidate(
    app: Flask, server: str, scene: Scene
) -> None:
    """Notes and rubric scores are saved for staff; the candidate's pages and every frame on
    the candidate's socket contain none of them."""
    staff_http = staff_session(server, scene.interviewer.email)
    candidate_http = candidate_session(server, scene.token)
    candidate = YClient(server, scene.interview_id, candidate_http)
    staff = YClient(server, scene.interview_id, staff_http)
    wait_until(lambda: "def top_words" in str(candidate.main), what="the pad")
    room = f"{server}/live/{scene.interview_id}"
    page = staff_http.get(room)
    note = staff_http.post(
        f"{room}/notes",
        data={"text": SECRET_NOTE, "csrf_token": csrf_token(page.text)},
        headers={"X-CSRFToken": _meta_token(page.text)},
    )
    assert note.status_code == 201, note.text
    scored = _post(
        staff_http,
        f"{room}/scores",
        room,
        **{
            "score-PY": "3",
            "notes-PY": "secret-rubric-note-51d",
            "recommendation": "yes",
            "reason": "secret-reason-9aa",
        },
    )
    assert scored.status_code == 302  # type: ignore[attr-defined]
    staff.type("# both typing\n")
    candidate.type("# still typing\n")
    wait_until(lambda: "# still typing" in str(staff.main), what="edits to flow")
    pad = candidate_http.get(f"{room}/pad")
    assert pad.status_code == 200
    for secret in (SECRET_NOTE, "secret-rubric-note-51d", "secret-reason-9aa", "Private panel"):
        assert secret not in pad.text
        assert all(secret.encode() not in frame for frame in candidate.frames)
    assert SECRET_NOTE in staff_http.get(room).text
    assert candidate_http.get(f"{room}/history.json", allow_redirects=False).status_code == 302
    assert candidate_http.post(f"{room}/notes", allow_redirects=False).status_code in (302, 400)
    with app.app_context():
        card = db.session.scalar(sa.select(InterviewScorecard))
        assert card is not None and card.reason == "secret-reason-9aa"
        assert db.session.scalar(sa.select(LiveNote.text)) == SECRET_NOTE
    candidate.close()
    staff.close()


@pytest.mark.docker
def test_a_run_reaches_everyone_in_the_room(app: Flask, server: str, scene: Scene) -> None:
    """Either side runs the pad in the sandbox; both see the output; every run is kept; the
    room's runs are rate-limited."""
    from tests.integration.sandbox.conftest import require_docker

    require_docker()
    candidate_http = candidate_session(server, scene.token)
    candidate = YClient(server, scene.interview_id, candidate_http)
    staff = YClient(server, scene.interview_id, staff_session(server, scene.interviewer.email))
    wait_until(lambda: "def top_words" in str(candidate.main), what="the pad")
    candidate.type("\nprint('<b>hello from the pad</b>', 6 * 7)\n")
    wait_until(lambda: "hello from the pad" in str(staff.main), what="the edit")
    pad = candidate_http.get(f"{server}/live/{scene.interview_id}/pad")
    response = candidate_http.post(
        f"{server}/live/{scene.interview_id}/pad/runs",
        json={"mode": "main"},
        headers={"X-CSRFToken": _meta_token(pad.text)},
    )
    assert response.status_code == 202, response.text

    def finished(client: YClient) -> bool:
        return any(e["run"]["state"] == "done" for e in client.events if e.get("type") == "run")

    wait_until(lambda: finished(staff) and finished(candidate), 60, "the run to reach both")
    done = next(e["run"] for e in staff.events if e["run"]["state"] == "done")
    assert "<b>hello from the pad</b> 42" in done["output"]
    assert done["verdict"] == "passed"
    reloaded = candidate_http.get(f"{server}/live/{scene.interview_id}/pad").text
    assert "&lt;b&gt;hello from the pad&lt;/b&gt; 42" in reloaded  # kept, and escaped
    assert "<b>hello from the pad</b>" not in reloaded
    tests = candidate_http.post(
        f"{server}/live/{scene.interview_id}/pad/runs",
        json={"mode": "tests"},
        headers={"X-CSRFToken": _meta_token(pad.text)},
    )
    assert tests.status_code == 202
    statuses = [
        candidate_http.post(
            f"{server}/live/{scene.interview_id}/pad/runs",
            json={"mode": "main"},
            headers={"X-CSRFToken": _meta_token(pad.text)},
        ).status_code
        for _ in range(6)
    ]
    assert statuses.count(202) == 4 and statuses.count(429) == 2
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LiveRun)) == 6

    def all_done() -> bool:
        with app.app_context():
            return not db.session.scalar(
                sa.select(sa.func.count()).select_from(LiveRun).where(LiveRun.state == "running")
            )

    wait_until(all_done, 60, "every run to finish")
    candidate.close()
    staff.close()


def test_ending_freezes_the_pad_revokes_the_link_and_hands_over(
    app: Flask, server: str, scene: Scene
) -> None:
    """The end keeps the final code, closes every socket with a reason, refuses the link, and
    leaves a timeline with each update, who made it, and pastes marked."""
    staff_http = staff_session(server, scene.interviewer.email)
    candidate_http = candidate_session(server, scene.token)
    candidate = YClient(server, scene.interview_id, candidate_http)
    wait_until(lambda: "def top_words" in str(candidate.main), what="the pad")
    candidate.type("# typed\n")
    candidate.type("x = 1\n" * 60)  # one large insert: a paste
    staff = YClient(server, scene.interview_id, staff_http)
    wait_until(lambda: str(staff.main).count("x = 1") == 60, what="the paste to arrive")
    room = f"{server}/live/{scene.interview_id}"
    ended = _post(staff_http, f"{room}/end", room)
    assert ended.status_code == 302  # type: ignore[attr-defined]
    wait_until(lambda: candidate.closed is not None, what="the candidate's socket to close")
    assert candidate.closed == (4410, "the interview has ended")
    assert candidate_http.get(f"{server}/live/j/{scene.token}").status_code == 404
    assert candidate_http.get(f"{room}/pad").status_code == 410
    late = YClient(server, scene.interview_id, staff_http)
    wait_until(lambda: late.closed is not None, what="a late socket to be refused")
    assert late.closed[0] == 4410
    with app.app_context():
        interview = db.session.get(LiveInterview, scene.interview_id)
        assert interview.state is LiveState.ENDED
        assert interview.final_files["main"].count("x = 1") == 60
        assert interview.token_revoked_at is not None
    timeline = staff_http.get(f"{room}/history.json").json()
    authors = [u["author"] for u in timeline["updates"]]
    assert authors[0] == "" and "Ada Candidate" in authors
    assert [u["paste"] for u in timeline["updates"]].count(True) == 1
    assert timeline["signals"]["pastes"] == 1
    stamps = [u["t"] for u in timeline["updates"]]
    assert stamps == sorted(stamps)
    assert staff_http.get(f"{room}/playback").status_code == 200
