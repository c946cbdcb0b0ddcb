"""Hostile input on the candidate's endpoints: a 4xx with a reason, never a 500, nothing
stored; integrity signals only for the attempt's own items, time never beyond the clock;
concurrent first saves of one answer or draft end as one row (real gunicorn, two processes)."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import pytest
import requests
import sqlalchemy as sa
from flask.testing import FlaskClient

from assess.extensions import db
from assess.models import (
    Answer,
    Attempt,
    AttemptItem,
    CodeDraft,
    IntegrityEvent,
    Question,
    utcnow,
)
from assess.services import integrity
from tests.conftest import BankFactory, Factory, csrf_token, make_attempt
from tests.integration.ops.servers import Gunicorn
from tests.integration.test_throttle_races import fire

HOSTILE = [
    ("[" * 50_000 + "]" * 50_000, "nested deeper than 32"),
    ('{"a":' * 40 + "1" + "}" * 40, "nested deeper than 32"),
    ('{"response": 1, "revision": ' + "9" * 400 + "}", "numbers must be within"),
    ('{"code": "x", "revision": 9223372036854775808}', "numbers must be within"),
    ('{"code": "x", "revision": -9007199254740993}', "numbers must be within"),
    ('{"response": NaN, "revision": 1}', "NaN is not a JSON value"),
    ('{"response": 1e999, "revision": 1}', "numbers must be finite"),
    ('{"code": "\\ud800", "revision": 1}', "lone surrogate"),
    ('{"code": "x", "revision": 1', "not valid JSON"),
    (b'{"code": "\xff"}', "not UTF-8"),
]


def csrf_header(client: FlaskClient, page: str = "/attempt") -> dict[str, str]:
    """The page's CSRF token as its script sends it."""
    html = client.get(page).text
    meta = re.search(r'name="csrf-token" content="([^"]+)"', html)
    return {"X-CSRFToken": meta.group(1) if meta else csrf_token(html)}


def positions(attempt: Attempt) -> tuple[int, int]:
    """A question's and a coding task's positions."""
    question = next(i.position for i in attempt.items if i.question_id)
    task = next(i.position for i in attempt.items if i.task_id)
    return question, task


def stored_rows() -> tuple[int, int, int]:
    """Answers, drafts and integrity events in the database."""
    count = sa.select(sa.func.count())
    return (
        db.session.scalar(count.select_from(Answer)) or 0,
        db.session.scalar(count.select_from(CodeDraft)) or 0,
        db.session.scalar(count.select_from(IntegrityEvent)) or 0,
    )


@pytest.mark.parametrize(("body", "reason"), HOSTILE)
def test_hostile_bodies_get_a_reason_and_store_nothing(
    started: Attempt, client: FlaskClient, body: str | bytes, reason: str
) -> None:
    """Deep nesting, integers beyond 2**53, NaN, infinities, lone surrogates, truncated and
    non-UTF-8 bodies: a 422 saying why, on every JSON endpoint of the attempt."""
    question, task = positions(started)
    headers = {**csrf_header(client), "Content-Type": "application/json"}
    urls = [
        f"/attempt/api/items/{question}/answer",
        f"/attempt/api/items/{task}/draft",
        f"/attempt/api/items/{task}/run",
        f"/attempt/api/items/{task}/submit",
        "/attempt/api/events",
    ]
    for url in urls:
        response = client.post(url, data=body, headers=headers)
        assert response.status_code == 422, (url, response.text)
        assert reason in response.json["error"]["message"], (url, response.json)
    assert stored_rows() == (0, 0, 0)


def test_ids_beyond_any_column_are_not_found(started: Attempt, client: FlaskClient) -> None:
    """A path id too large for a 64-bit column is a 404, not a driver overflow."""
    headers = csrf_header(client)
    for huge in (2**63, 2**70, 10**40):
        assert client.get(f"/attempt/{huge}").status_code == 404
        assert client.get(f"/attempt/api/submissions/{huge}").status_code == 404
        answer = client.post(f"/attempt/api/items/{huge}/answer", json={}, headers=headers)
        assert answer.status_code == 404


def test_signals_only_for_items_of_the_attempt(started: Attempt, client: FlaskClient) -> None:
    """An event naming an item the attempt does not have is refused with the whole batch; an
    event about the attempt as a whole (no position) is kept."""
    _, task = positions(started)
    headers = csrf_header(client)
    missing = max(i.position for i in started.items) + 1
    for position in (missing, -1, "1", 1.5, True):
        batch = {
            "events": [
                {"kind": "blur", "position": task},
                {"kind": "paste", "position": position, "size": 3},
            ]
        }
        refused = client.post("/attempt/api/events", json=batch, headers=headers)
        assert refused.status_code == 422, position
        assert refused.json["error"]["fields"] == {"position": "unknown"}
    whole = client.post("/attempt/api/events", json={"events": [{"kind": "blur"}]}, headers=headers)
    assert whole.status_code == 200 and whole.json == {"recorded": 1}
    assert stored_rows()[2] == 1


def test_time_spent_never_runs_ahead_of_the_clock(started: Attempt, client: FlaskClient) -> None:
    """One report covers at most 120 s; all items together never take longer than the wall
    clock since the start (plus a few seconds in flight)."""
    question, task = positions(started)
    headers = csrf_header(client)
    flood = {"events": [{"kind": "time", "position": task, "seconds": 120}] * 100}
    refused = client.post("/attempt/api/events", json=flood, headers=headers)
    assert refused.status_code == 422 and "at most 120 seconds" in refused.json["error"]["message"]
    started.started_at -= timedelta(seconds=100)
    since = started.started_at
    db.session.commit()
    for position in (task, question, task):
        batch = {"events": [{"kind": "time", "position": position, "seconds": 60}]}
        assert client.post("/attempt/api/events", json=batch, headers=headers).status_code == 200
    clock = int((utcnow() - since).total_seconds()) + integrity.CLOCK_SLACK_SECONDS
    db.session.expire_all()
    spent = db.session.scalars(
        sa.select(AttemptItem.seconds_spent).where(AttemptItem.attempt_id == started.id)
    ).all()
    # 60 + the rest of the clock's budget (100 s and the test's own run), then nothing more
    assert 100 <= sum(spent) <= clock < 180


def _first_saves(
    server: Gunicorn, token: str, url_path: str, bodies: list[dict[str, object]]
) -> list[Callable[[], int]]:
    """One browser per body, all in the candidate's session, ready to send at once."""
    candidate = requests.Session()
    landing = candidate.get(f"{server.url}/i/{token}", timeout=10)
    form = {"csrf_token": csrf_token(landing.text), "agree": "y"}
    assert (
        candidate.post(f"{server.url}/i/{token}", data=form, allow_redirects=False).status_code
        == 302
    )
    page = candidate.get(f"{server.url}/attempt", timeout=10).text
    meta = re.search(r'name="csrf-token" content="([^"]+)"', page)
    header = {"X-CSRFToken": meta.group(1) if meta else csrf_token(page)}

    def save(body: dict[str, object]) -> Callable[[], int]:
        browser = requests.Session()
        browser.cookies.update(candidate.cookies)
        return lambda: (
            browser.post(
                server.url + url_path,
                data=json.dumps(body),
                headers={**header, "Content-Type": "application/json"},
                timeout=60,
            ).status_code
        )

    return [save(body) for body in bodies]


def test_concurrent_first_saves_end_as_one_row(
    serve: Callable[..., Gunicorn],
    factory: Factory,
    bank: BankFactory,
) -> None:
    """Twelve first saves of one draft and of one answer at the same moment (two processes,
    threads): every one succeeds, one row each, holding the highest revision."""
    attempt, token = make_attempt(factory)
    question, task = positions(attempt)
    responses = {"single": 0, "multiple": [0], "exact": "an answer"}
    question, response = next(
        (item.position, responses[q.type])
        for item in attempt.items
        if item.question_id and (q := db.session.get(Question, item.question_id)).type in responses
    )
    attempt_id = attempt.id
    server = serve()
    drafts = [{"code": f"x = {n}\n", "revision": n} for n in range(1, 13)]
    statuses = fire(_first_saves(server, token, f"/attempt/api/items/{task}/draft", drafts))
    assert statuses == Counter({200: 12})
    db.session.expire_all()
    rows = db.session.scalars(sa.select(CodeDraft).where(CodeDraft.attempt_id == attempt_id)).all()
    assert [(row.code, row.revision) for row in rows] == [("x = 12\n", 12)]
    answers = [{"response": response, "revision": n} for n in range(1, 13)]
    statuses = fire(_first_saves(server, token, f"/attempt/api/items/{question}/answer", answers))
    assert statuses == Counter({200: 12})
    stored = db.session.scalars(sa.select(Answer).where(Answer.attempt_id == attempt_id)).all()
    assert [row.revision for row in stored] == [12]
