"""Adaptive attempts under real concurrency (gunicorn, 2 processes x 8 threads, SQLite and
PostgreSQL): presses of "next" and autosaves of the same question at the same moment draw
each question once, never fail, and the answer a draw followed is the answer that counts."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable

import requests
import sqlalchemy as sa

from assess.extensions import db
from assess.models import Answer, AttemptItem, Question
from tests.conftest import BankFactory, Factory, csrf_token, make_attempt
from tests.integration.candidate.test_adaptive import CAP, make_junior_adaptive
from tests.integration.test_throttle_races import fire


def test_next_and_saves_at_once(serve: Callable, factory: Factory, bank: BankFactory) -> None:
    """Six presses and ten saves at once on every question: one draw per step, no 5xx, and
    every draw's record of the answer before it equals that answer as stored."""
    make_junior_adaptive()
    attempt, token = make_attempt(factory)
    attempt_id = attempt.id
    server = serve()
    browser = requests.Session()
    landing = browser.get(f"{server.url}/i/{token}", timeout=10)
    form = {"csrf_token": csrf_token(landing.text), "agree": "y"}
    started = browser.post(f"{server.url}/i/{token}", data=form, allow_redirects=False)
    assert started.status_code == 302
    statuses: Counter[int] = Counter()
    for position in range(1, 2 * CAP + 1):
        page = browser.get(f"{server.url}/attempt/{position}", timeout=10).text
        meta = re.search(r'name="csrf-token" content="([^"]+)"', page)
        assert meta is not None
        header = {"X-CSRFToken": meta.group(1)}
        next_token = csrf_token(page.split('class="next-form"')[1])
        db.session.expire_all()
        kind = db.session.scalar(
            sa.select(Question.type)
            .join(AttemptItem, AttemptItem.question_id == Question.id)
            .where(AttemptItem.attempt_id == attempt_id, AttemptItem.position == position)
        )

        def press(at: int = position, csrf: str = next_token) -> Callable[[], int]:
            tab = requests.Session()
            tab.cookies.update(browser.cookies)
            url = f"{server.url}/attempt/{at}/next"
            data = {"csrf_token": csrf}
            return lambda: tab.post(url, data=data, allow_redirects=False, timeout=60).status_code

        def save(
            n: int, at: int = position, headers: dict[str, str] = header, qtype: str | None = kind
        ) -> Callable[[], int]:
            tab = requests.Session()
            tab.cookies.update(browser.cookies)
            url = f"{server.url}/attempt/api/items/{at}/answer"
            # right, wrong or cleared: answers of different scores race with the draw
            typed = {"single": n % 3, "exact": str(n)}.get(qtype or "")
            response = None if typed is None or n % 4 == 3 else typed
            body = {"response": response, "revision": 10 + n}
            return lambda: tab.post(url, json=body, headers=headers, timeout=60).status_code

        statuses.update(fire([press() for _ in range(6)] + [save(n) for n in range(10)]))
    assert set(statuses) <= {200, 302, 409}, statuses
    db.session.expire_all()
    items = db.session.scalars(
        sa.select(AttemptItem)
        .where(AttemptItem.attempt_id == attempt_id, AttemptItem.question_id.is_not(None))
        .order_by(AttemptItem.position)
    ).all()
    assert [i.position for i in items] == list(range(1, 2 * CAP + 1))
    scores = dict(
        db.session.execute(
            sa.select(Answer.question_id, Answer.score).where(Answer.attempt_id == attempt_id)
        )
        .tuples()
        .all()
    )
    for before, after in itertools.pairwise(items):
        assert after.draw is not None and after.draw["after"]["position"] == before.position
        assert after.draw["after"]["score"] == (scores.get(before.question_id) or 0.0)
