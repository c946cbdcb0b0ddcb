"""A candidate who chose Russian reads the task's statement.ru.md; one who did not, the
English statement; a task without Russian text falls back to English."""

from __future__ import annotations

from flask.testing import FlaskClient

from assess.extensions import db
from assess.models import Attempt, CodingTask
from tests.conftest import csrf_token


def choose(client: FlaskClient, locale: str) -> None:
    """Pick the interface language with the header's form."""
    page = client.get("/attempt")
    response = client.post(
        "/language", data={"csrf_token": csrf_token(page.text), "locale": locale}
    )
    assert response.status_code == 302


def test_statement_follows_the_candidate_language(started: Attempt, client: FlaskClient) -> None:
    """English by default; Russian after choosing it; English again for a task without it."""
    item = next(i for i in started.items if i.task_id)
    task = db.session.get(CodingTask, item.task_id)
    assert task is not None
    task.title_ru, task.statement_ru_md = "Частота слов", "# Частота слов\n\nРеализуйте <b>её</b>."
    db.session.commit()
    english = client.get(f"/attempt/{item.position}").text
    assert "<h1>Word frequency</h1>" in english and "Реализуйте" not in english
    choose(client, "ru")
    russian = client.get(f"/attempt/{item.position}").text
    assert "<h1>Частота слов</h1>" in russian and "Реализуйте" in russian
    assert "<b>её</b>" not in russian  # the Markdown renderer still escapes raw HTML
    task.title_ru = task.statement_ru_md = None
    db.session.commit()
    assert "<h1>Word frequency</h1>" in client.get(f"/attempt/{item.position}").text
