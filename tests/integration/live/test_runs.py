"""A pad run's output reaches everyone in the room while it runs (``run-output`` events,
coalesced and capped like the stored output), the final ``run`` event carries the stored
output, and a request that only reads the pad leaves no room open in its process."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assess.live import runs
from assess.live.rooms import Hub
from sandbox.container import OutputChunk
from tests.conftest import Auth, csrf_token

from .conftest import Scene
from .helpers import YClient, candidate_session, staff_session, wait_until

TICKS = (
    "import sys, time\n"
    "for i in range(4):\n"
    "    print('<i>tick</i>', i)\n"
    "    print('warn', i, file=sys.stderr)\n"
    "    time.sleep(0.4)\n"
)


class FakeHub:
    """Records the events a preview sends."""

    def __init__(self) -> None:
        """No events yet."""
        self.events: list[tuple[int, dict[str, Any]]] = []

    def event(self, room_id: int, event: dict[str, Any]) -> None:
        """Keep the event."""
        self.events.append((room_id, event))


def _meta_token(html: str) -> str:
    """The CSRF token the pad's JSON calls send."""
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match
    return match.group(1)


def _replace_pad(client: YClient, text: str) -> None:
    """Make ``text`` the whole main file."""
    with client.lock, client.doc.transaction():
        client.main.clear()
        client.main.insert(0, text)


def _streamed(events: list[dict[str, Any]], run_id: int) -> str:
    """The text the run-output events of ``run_id`` carried."""
    return "".join(
        chunk["text"]
        for e in events
        if e.get("type") == "run-output" and e["run"]["id"] == run_id
        for chunk in e["chunks"]
    )


def _run(server: str, scene: Scene, script: str) -> tuple[YClient, YClient, int]:
    """Put ``script`` in the pad with both sides in the room and run it from the candidate's
    side; return both clients and the run's id."""
    candidate_http = candidate_session(server, scene.token)
    candidate = YClient(server, scene.interview_id, candidate_http)
    staff = YClient(server, scene.interview_id, staff_session(server, scene.interviewer.email))
    wait_until(lambda: "def top_words" in str(candidate.main), what="the pad")
    _replace_pad(candidate, script)
    wait_until(lambda: str(staff.main) == script, what="the edit")
    pad = candidate_http.get(f"{server}/live/{scene.interview_id}/pad")
    response = candidate_http.post(
        f"{server}/live/{scene.interview_id}/pad/runs",
        json={"mode": "main"},
        headers={"X-CSRFToken": _meta_token(pad.text)},
    )
    assert response.status_code == 202, response.text
    return candidate, staff, response.json()["run"]["id"]


def _final(client: YClient, run_id: int) -> int | None:
    """Where the run's final event is in ``client.events``, or None."""
    for index, event in enumerate(client.events):
        run = event["run"] if event.get("type") == "run" else {}
        if run.get("id") == run_id and run["state"] != "running":
            return index
    return None


@pytest.mark.docker
def test_a_runs_output_reaches_the_room_while_it_runs(
    app: Flask, server: str, scene: Scene
) -> None:
    """Both sides get the output in several run-output events before the final run event,
    which carries the stored output (stdout and stderr told apart while it streams)."""
    from tests.integration.sandbox.conftest import require_docker

    require_docker()
    candidate, staff, run_id = _run(server, scene, TICKS)
    for client in (staff, candidate):
        wait_until(lambda c=client: _final(c, run_id) is not None, 60, "the run to finish")
    for client in (staff, candidate):
        with client.lock:
            events = list(client.events)
        final = _final(client, run_id)
        assert final is not None
        outputs = [i for i, e in enumerate(events) if e.get("type") == "run-output"]
        assert len(outputs) >= 3 and max(outputs) < final
        done = events[final]["run"]
        assert done["verdict"] == "passed"
        stdout = "".join(f"<i>tick</i> {i}\n" for i in range(4))
        streams = {
            stream: "".join(
                c["text"] for i in outputs for c in events[i]["chunks"] if c["stream"] == stream
            )
            for stream in ("stdout", "stderr")
        }
        assert streams == {"stdout": stdout, "stderr": "".join(f"warn {i}\n" for i in range(4))}
        assert done["output"] == stdout + "\n" + streams["stderr"]
        assert not any(events[i]["truncated"] for i in outputs)
    candidate.close()
    staff.close()


@pytest.mark.docker
def test_a_flooding_run_is_capped_for_the_room(app: Flask, server: str, scene: Scene) -> None:
    """Output written as fast as possible reaches the room in a few events, no more of it
    than the stored output keeps, with one truncation; the run ends on its output limit."""
    from tests.integration.sandbox.conftest import require_docker

    require_docker()
    flood = "import sys\nwhile True:\n    sys.stdout.write('y' * 99 + '\\n')\n"
    candidate, staff, run_id = _run(server, scene, flood)
    wait_until(lambda: _final(staff, run_id) is not None, 60, "the run to finish")
    with staff.lock:
        events = list(staff.events)
    outputs = [e for e in events if e.get("type") == "run-output"]
    assert 1 <= len(outputs) <= 20
    assert 0 < len(_streamed(events, run_id)) <= runs.OUTPUT_KEPT
    assert [e["truncated"] for e in outputs].count(True) == 1
    assert events[_final(staff, run_id) or 0]["run"]["verdict"] == "output_limit"
    candidate.close()
    staff.close()


def test_the_preview_keeps_to_the_stored_cap_and_the_rate() -> None:
    """A preview sends at most a burst at once (later output waits for the next chunk), never
    more than the stored output's characters, says it was truncated once, then stays quiet."""
    hub = FakeHub()
    preview = runs.Preview(hub, 7, 11)  # type: ignore[arg-type]
    for _ in range(10):
        preview(OutputChunk((("stdout", "a" * 100), ("stderr", "b"))))
    assert len(hub.events) == runs.PREVIEW_BURST
    assert all(room == 7 and e["run"] == {"id": 11, "state": "running"} for room, e in hub.events)
    assert hub.events[0][1]["chunks"] == [
        {"stream": "stdout", "text": "a" * 100},
        {"stream": "stderr", "text": "b"},
    ]
    preview.bucket.tokens = preview.bucket.burst
    preview(OutputChunk((("stdout", "c" * runs.OUTPUT_KEPT),)))
    sent = [e for _, e in hub.events]
    text = "".join(c["text"] for e in sent for c in e["chunks"])
    assert len(text) == runs.OUTPUT_KEPT
    assert text.count("a") == 1000 and text.count("b") == 10  # what waited came along
    assert [e["truncated"] for e in sent] == [False, False, False, True]
    preview.bucket.tokens = preview.bucket.burst
    preview(OutputChunk((("stdout", "more"),), truncated=True))
    assert len(hub.events) == 4


def test_the_sandbox_saying_truncated_is_passed_on_once() -> None:
    """A chunk the sandbox marks truncated ends the preview with one truncated event."""
    hub = FakeHub()
    preview = runs.Preview(hub, 1, 2)  # type: ignore[arg-type]
    preview(OutputChunk((("stdout", "x"),), truncated=True))
    preview(OutputChunk((("stdout", "y"),)))
    assert [(e["chunks"], e["truncated"]) for _, e in hub.events] == [
        ([{"stream": "stdout", "text": "x"}], True)
    ]


def test_reading_the_pad_leaves_no_room_open(
    app: Flask, client: FlaskClient, auth: Auth, scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Starting a run and ending the interview read the pad from a room opened for the
    request, and close it again when nobody is connected to it in this process."""
    started: list[tuple[Any, ...]] = []
    monkeypatch.setattr(runs, "_execute", lambda *args: started.append(args))
    hub: Hub = app.extensions["live"]
    auth.login(scene.interviewer.email)
    room = f"/live/{scene.interview_id}"
    page = client.get(room)
    assert page.status_code == 200
    run = client.post(
        f"{room}/runs", json={"mode": "main"}, headers={"X-CSRFToken": _meta_token(page.text)}
    )
    assert run.status_code == 202
    assert len(started) == 1 and "def top_words" in next(iter(started[0][3].values()))
    assert scene.interview_id not in hub.rooms
    ended = client.post(f"{room}/end", data={"csrf_token": csrf_token(page.text)})
    assert ended.status_code == 302
    assert scene.interview_id not in hub.rooms
