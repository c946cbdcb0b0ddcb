"""The candidate's path through an attempt, and what the server refuses along it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from assess.extensions import db
from assess.models import (
    Answer,
    Attempt,
    AttemptState,
    CodeDraft,
    CodingTask,
    IntegrityEvent,
    Question,
    Submission,
    utcnow,
)
from assess.services import attempts
from tests.conftest import BankFactory, Factory, csrf_token, make_attempt


def open_invitation(client: FlaskClient, token: str) -> None:
    """Open the link, accept the rules and start (or continue)."""
    page = client.get(f"/i/{token}")
    assert page.status_code == 200
    data = {"csrf_token": csrf_token(page.text)}
    if "agree" in page.text:
        data["agree"] = "y"
    assert client.post(f"/i/{token}", data=data).status_code == 302


def api(client: FlaskClient, url: str, body: object, page_url: str = "/attempt") -> object:
    """POST JSON with the page's CSRF token, as the page's script does."""
    html = client.get(page_url).text
    meta = re.search(r'name="csrf-token" content="([^"]+)"', html)
    token = meta.group(1) if meta else csrf_token(html)
    return client.post(url, json=body, headers={"X-CSRFToken": token})


def question_positions(attempt: Attempt) -> dict[str, int]:
    """Question key → item position."""
    keys = {}
    for item in attempt.items:
        if item.question_id:
            keys[db.session.get(Question, item.question_id).key] = item.position
    return keys


def test_landing_shows_rules_and_what_is_measured(
    bank: BankFactory, factory: Factory, client: FlaskClient
) -> None:
    """The landing page names the position, the time limit and the competencies."""
    recruiter = factory.user()
    from assess.services import invitations

    position = invitations.create_position(db.session, recruiter, "Data <b>team</b>", "junior")
    _, token = invitations.invite(db.session, position, "Grace", "grace@example.com", recruiter)
    db.session.commit()
    page = client.get(f"/i/{token}")
    assert "30 minutes" in page.text and "PY skills" in page.text
    assert "Data &lt;b&gt;team&lt;/b&gt;" in page.text
    refused = client.post(f"/i/{token}", data={"csrf_token": csrf_token(page.text)})
    assert refused.status_code == 200 and "Please confirm" in refused.text


def test_unknown_expired_and_withdrawn_links(
    bank: BankFactory, factory: Factory, client: FlaskClient
) -> None:
    """Bad links are explained; they never start an attempt."""
    assert client.get("/i/not-a-real-token").status_code == 404
    attempt, token = make_attempt(factory)
    attempt.invitation.revoked_at = utcnow()
    db.session.commit()
    page = client.get(f"/i/{token}")
    assert page.status_code == 404 and "withdrawn" in page.text


def test_answers_are_saved_and_survive_a_reload(started: Attempt, client: FlaskClient) -> None:
    """Saved answers come back on reload (displayed in the attempt's own option order)."""
    positions = question_positions(started)
    pos = positions["py-j-901"]
    item = attempts.item_at(started, pos)
    shown_b = item.option_order.index(1)
    response = api(client, f"/attempt/api/items/{pos}/answer", {"response": shown_b, "revision": 5})
    assert response.status_code == 200 and response.json["revision"] == 5
    page = client.get(f"/attempt/{pos}")
    assert f'id="opt-{shown_b}" value="{shown_b}" checked' in page.text
    stored = db.session.scalar(sa.select(Answer).where(Answer.attempt_id == started.id))
    assert stored.response == 1 and stored.score == 1.0


def test_an_older_revision_never_overwrites_a_newer_one(
    started: Attempt, client: FlaskClient
) -> None:
    """A retried save that arrives late does not lose the newer answer."""
    pos = question_positions(started)["sql-j-901"]
    api(client, f"/attempt/api/items/{pos}/answer", {"response": "3", "revision": 10})
    api(client, f"/attempt/api/items/{pos}/answer", {"response": "7", "revision": 9})
    db.session.expire_all()
    stored = db.session.scalar(sa.select(Answer).where(Answer.attempt_id == started.id))
    assert stored.response == "3" and stored.revision == 10


def test_malformed_answers_get_a_reason(started: Attempt, client: FlaskClient) -> None:
    """Out-of-range options, wrong types and bad bodies are 422 with a message."""
    pos = question_positions(started)["py-j-901"]
    for body in (
        {"response": 7, "revision": 1},
        {"response": "1", "revision": 1},
        {"response": 1, "revision": "x"},
        [1, 2],
    ):
        response = api(client, f"/attempt/api/items/{pos}/answer", body)
        assert response.status_code == 422, body
        assert response.json["error"]["message"]
    ordering = question_positions(started)["sql-j-902"]
    bad = api(
        client,
        f"/attempt/api/items/{ordering}/answer",
        {"response": ["x", "x", "y"], "revision": 1},
    )
    assert bad.status_code == 422


def test_answer_after_the_deadline_is_refused(started: Attempt, client: FlaskClient) -> None:
    """Past the deadline (and its few seconds of grace) nothing is accepted; saved work counts."""
    pos = question_positions(started)["py-j-901"]
    api(client, f"/attempt/api/items/{pos}/answer", {"response": 0, "revision": 1})
    attempt = db.session.get(Attempt, started.id)
    attempt.deadline_at = utcnow() - timedelta(seconds=30)
    attempt.started_at = attempt.deadline_at - timedelta(minutes=30)
    db.session.commit()
    late = api(
        client,
        f"/attempt/api/items/{pos}/answer",
        {"response": 1, "revision": 2},
        page_url="/attempt/done",
    )
    assert late.status_code == 409
    assert "time" in late.json["error"]["message"]
    db.session.expire_all()
    closed = db.session.get(Attempt, started.id)
    assert closed.state is AttemptState.EXPIRED
    assert closed.scorecard is not None
    assert db.session.scalar(sa.select(Answer.response)) is not None


def test_a_second_attempt_on_the_same_invitation_is_refused(
    bank: BankFactory, factory: Factory, client: FlaskClient
) -> None:
    """Once finished, the link cannot start another attempt; the service refuses it too."""
    attempt, token = make_attempt(factory)
    open_invitation(client, token)
    page = client.get("/attempt")
    client.post("/attempt/finish", data={"csrf_token": csrf_token(page.text)})
    again = client.get(f"/i/{token}")
    assert again.status_code == 409 and "already finished" in again.text
    with pytest.raises(Exception, match="already started"):
        attempts.start_attempt(db.session, db.session.get(Attempt, attempt.id).invitation)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attempt)) == 1


def test_continue_on_another_device(
    app: Flask, bank: BankFactory, factory: Factory, client: FlaskClient
) -> None:
    """Opening the link on a second device continues the same attempt with its answers."""
    attempt, token = make_attempt(factory)
    open_invitation(client, token)
    pos = question_positions(attempt)["sql-j-901"]
    api(client, f"/attempt/api/items/{pos}/answer", {"response": "3", "revision": 1})
    other = app.test_client()
    page = other.get(f"/i/{token}")
    assert "Continue the assessment" in page.text
    open_invitation(other, token)
    assert 'value="3"' in other.get(f"/attempt/{pos}").text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attempt)) == 1


def test_candidate_cannot_reach_another_candidates_work(
    app: Flask, bank: BankFactory, factory: Factory
) -> None:
    """Candidate A holds only A's attempt: B's items, drafts and submissions stay out of reach."""
    a_attempt, a_token = make_attempt(factory, name="Alice A")
    b_attempt, b_token = make_attempt(factory, name="Bob B")
    alice, bob = app.test_client(), app.test_client()
    open_invitation(alice, a_token)
    open_invitation(bob, b_token)
    task_pos = next(i.position for i in b_attempt.items if i.task_id)
    api(bob, f"/attempt/api/items/{task_pos}/draft", {"code": "BOB-SECRET = 1", "revision": 1})
    sub = Submission(
        attempt_id=b_attempt.id,
        task_id=attempts.item_at(b_attempt, task_pos).task_id,
        kind="sample",
        code="BOB-SECRET",
    )
    db.session.add(sub)
    db.session.commit()
    for url in [
        "/attempt",
        *(f"/attempt/{i.position}" for i in a_attempt.items),
        f"/attempt/api/submissions/{sub.id}",
        "/attempt/api/state",
    ]:
        response = alice.get(url)
        assert "BOB-SECRET" not in response.text, url
        assert "Bob B" not in response.text, url
    assert alice.get(f"/attempt/api/submissions/{sub.id}").status_code == 404
    alice_writes = api(
        alice, f"/attempt/api/items/{task_pos}/draft", {"code": "ALICE", "revision": 99}
    )
    assert alice_writes.status_code in (200, 422)
    db.session.expire_all()
    bob_draft = db.session.scalar(sa.select(CodeDraft).where(CodeDraft.attempt_id == b_attempt.id))
    assert bob_draft.code == "BOB-SECRET = 1"
    forged = app.test_client()
    with forged.session_transaction() as session:
        session["candidate"] = {"attempt": b_attempt.id, "key": "guessed"}
    assert forged.get("/attempt").status_code == 403


def test_candidate_pages_never_show_answers_or_hidden_tests(
    started: Attempt, client: FlaskClient
) -> None:
    """No response to a candidate carries an explanation, an answer key, probes or the reference."""
    from pathlib import Path

    task_dir = Path(__file__).resolve().parents[3] / "challenges" / "tasks" / "word-frequency"
    probes = (task_dir / "probes.py").read_text()
    reference = (task_dir / "reference.py").read_text()
    secret_lines = [
        line
        for line in probes.splitlines() + reference.splitlines()
        if len(line.strip()) > 25 and line.strip() not in client.get("/attempt").text
    ]
    bodies = [client.get(f"/attempt/{i.position}").text for i in started.items]
    bodies.append(client.get("/attempt/api/state").text)
    for body in bodies:
        assert "Because." not in body
        assert "probekit" not in body
        for line in secret_lines:
            if line.strip().startswith(("def ", "return", "@probe")):
                assert line.strip() not in body


def test_drafts_autosave_and_integrity_signals(started: Attempt, client: FlaskClient) -> None:
    """Code drafts are saved; focus and paste signals and time per item are recorded."""
    task_pos = next(i.position for i in started.items if i.task_id)
    started.started_at -= timedelta(minutes=1)  # time reports follow time spent
    db.session.commit()
    saved = api(
        client,
        f"/attempt/api/items/{task_pos}/draft",
        {"code": "def top_words(t, n):\n    return []\n", "revision": 3},
    )
    assert saved.status_code == 200
    assert "return []" in client.get(f"/attempt/{task_pos}").text
    events = api(
        client,
        "/attempt/api/events",
        {
            "events": [
                {"kind": "blur", "position": task_pos},
                {"kind": "focus", "position": task_pos},
                {"kind": "paste", "position": task_pos, "size": 420},
                {"kind": "time", "position": task_pos, "seconds": 15},
            ]
        },
    )
    assert events.status_code == 200 and events.json["recorded"] == 3
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.max(IntegrityEvent.size))) == 420
    assert attempts.item_at(db.session.get(Attempt, started.id), task_pos).seconds_spent == 15
    bad = api(client, "/attempt/api/events", {"events": [{"kind": "keylogger"}]})
    assert bad.status_code == 422


def test_the_state_lists_every_item_and_names_each_task(
    started: Attempt, client: FlaskClient
) -> None:
    """The navigation's states: one per item in order, questions untitled, every task under
    its own title, and a saved draft marks its task answered."""
    task_pos = next(i.position for i in started.items if i.task_id)
    draft = {"code": "def top_words(t, n):\n    return []\n", "revision": 1}
    assert api(client, f"/attempt/api/items/{task_pos}/draft", draft).status_code == 200
    items = client.get("/attempt/api/state").json["items"]
    assert [i["position"] for i in items] == [i.position for i in started.items]
    titles = {
        i.position: db.session.get(CodingTask, i.task_id).title for i in started.items if i.task_id
    }
    assert titles and all(titles.values())
    assert {i["position"]: i["title"] for i in items if i["kind"] == "task"} == titles
    assert {i["title"] for i in items if i["kind"] == "question"} == {""}
    assert next(i["state"] for i in items if i["position"] == task_pos) == "answered"


def test_sample_runs_are_rate_limited(started: Attempt, client: FlaskClient) -> None:
    """A few sample runs a minute; the next one is 429 with Retry-After, nothing lost."""
    task_pos = next(i.position for i in started.items if i.task_id)
    url = f"/attempt/api/items/{task_pos}/run"
    codes = [api(client, url, {"code": f"x = {n}"}).status_code for n in range(7)]
    assert codes[:6] == [202] * 6 and codes[6] == 429
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 6
    empty = api(client, f"/attempt/api/items/{task_pos}/submit", {"code": "   "})
    assert empty.status_code == 422


def test_finish_scores_and_thanks(started: Attempt, client: FlaskClient) -> None:
    """Finishing closes the attempt, stores a scorecard and shows the thank-you page."""
    pos = question_positions(started)["py-j-902"]
    order = attempts.item_at(started, pos).option_order
    api(
        client,
        f"/attempt/api/items/{pos}/answer",
        {"response": [order.index(0), order.index(2)], "revision": 1},
    )
    page = client.get("/attempt")
    done = client.post(
        "/attempt/finish", data={"csrf_token": csrf_token(page.text)}, follow_redirects=True
    )
    assert "Thank you" in done.text
    db.session.expire_all()
    attempt = db.session.get(Attempt, started.id)
    assert attempt.state is AttemptState.FINISHED
    py = next(c for c in attempt.scorecard["competencies"] if c["code"] == "PY")
    assert py["evidence"] == 3 and py["earned"] == 1.0
    assert client.get("/attempt/1").status_code == 302


def test_overdue_attempts_close_without_the_candidate(
    started: Attempt, app: Flask, factory: Factory
) -> None:
    """An attempt left open past its deadline is closed and scored by the sweep."""
    from assess.services.scorecards import close_overdue_and_score

    attempt = db.session.get(Attempt, started.id)
    attempt.deadline_at = utcnow() - timedelta(minutes=1)
    attempt.started_at = attempt.deadline_at - timedelta(minutes=30)
    db.session.commit()
    assert close_overdue_and_score(db.session) == 1
    db.session.expire_all()
    closed = db.session.get(Attempt, started.id)
    assert closed.state is AttemptState.EXPIRED
    assert closed.scorecard is not None
    assert close_overdue_and_score(db.session) == 0


def test_draws_are_reproducible_from_the_seed(app: Flask, bank: BankFactory) -> None:
    """The same seed draws the same items in the same order with the same option shuffles;
    another seed shuffles differently (the blueprint, not the luck, fixes what is asked)."""
    from assess.models import AssessmentBlueprint

    blueprint = db.session.scalar(sa.select(AssessmentBlueprint))

    def draw(seed: int) -> list[tuple[int | None, int | None, list[int] | None]]:
        return [
            (i.question_id, i.task_id, i.option_order)
            for i in attempts.draw_items(db.session, blueprint, seed)
        ]

    first = draw(7)
    assert first == draw(7)
    assert len(first) == 5 and sum(1 for q, _, _ in first if q) == 4
    orders = {tuple(str(x) for x in draw(seed)) for seed in range(20)}
    assert len(orders) > 1


def test_finishing_queues_signed_webhook_deliveries(started: Attempt, client: FlaskClient) -> None:
    """A registered webhook gets attempt.finished and attempt.scored when the candidate ends."""
    from assess.models import Webhook, WebhookDelivery

    position = started.invitation.position
    db.session.add(
        Webhook(
            organization_id=position.organization_id,
            url="https://hooks.example/x",
            events=["attempt.finished", "attempt.scored"],
            secret="s" * 32,
        )
    )
    db.session.commit()
    page = client.get("/attempt")
    client.post("/attempt/finish", data={"csrf_token": csrf_token(page.text)})
    events = sorted(db.session.scalars(sa.select(WebhookDelivery.event)))
    assert events == ["attempt.finished", "attempt.scored"]


def test_text_that_cannot_be_stored_is_refused(started: Attempt, client: FlaskClient) -> None:
    """A lone surrogate or a NUL in code or an answer is a 422 with a reason, never a 500."""
    task_pos = next(i.position for i in started.items if i.task_id)
    exact = question_positions(started)["sql-j-901"]
    for url, body in (
        (f"/attempt/api/items/{task_pos}/draft", {"code": "x = '\ud800'", "revision": 1}),
        (f"/attempt/api/items/{task_pos}/draft", {"code": "x = 1\x00", "revision": 1}),
        (f"/attempt/api/items/{task_pos}/run", {"code": "print('\udfff')"}),
        (f"/attempt/api/items/{exact}/answer", {"response": "3\x00", "revision": 1}),
    ):
        response = api(client, url, body)
        assert response.status_code == 422, (url, body)
        assert response.json["error"]["message"]
