"""Russian bank text reaches the reader who chose Russian: stored by ``flask bank load``,
shown to candidates (prompt, options, ordering labels) and to staff (interview kits, the
desk's prompts and explanations), while answers and scoring stay language-independent."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask.testing import FlaskClient, FlaskCliRunner

from assess.bank.cli import bank_cli
from assess.extensions import db
from assess.models import Answer, Attempt, InterviewQuestion, Question, Role
from assess.services import review
from tests.conftest import Auth, BankFactory, Factory, make_attempt
from tests.integration.candidate.test_attempt_flow import open_invitation
from tests.integration.candidate.test_input_robustness import csrf_header
from tests.unit.bank.bankfiles import SAMPLE_INTERVIEW, make_bank


def test_load_stores_the_russian_text_of_questions_and_kits(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    """Every loaded question and kit question keeps its Russian beside the English."""
    root = make_bank(tmp_path, interview={"SQL": SAMPLE_INTERVIEW}, tasks=("word-frequency",))
    result = runner.invoke(bank_cli, ["load", "--root", str(root)])
    assert result.exit_code == 0, result.output
    questions = db.session.scalars(sa.select(Question)).all()
    assert questions and all(q.ru and q.ru["prompt"] for q in questions)
    for q in questions:
        if "options" in q.body:
            assert len(q.ru["options"]) == len(q.body["options"])
        if "items" in q.body:
            assert len(q.ru["items"]) == len(q.body["items"])
    kits = db.session.scalars(sa.select(InterviewQuestion)).all()
    assert kits and all(set(k.ru["anchors"]) == {"1", "2", "3", "4"} for k in kits)


def _translate(attempt: Attempt) -> dict[str, int]:
    """Russian for the small bank's questions; their positions in the attempt by key."""
    russian = {
        "py-j-901": {"prompt": "Выберите **b**.", "explanation": "Потому что.",
                     "options": ["а-вариант", "бэ-вариант", "цэ-вариант"]},
        "sql-j-902": {"prompt": "Упорядочьте.", "explanation": "Так.",
                      "items": ["икс", "игрек", "зет"]},
    }  # fmt: skip
    positions = {}
    for item in attempt.items:
        if item.question_id is None:
            continue
        question = db.session.get(Question, item.question_id)
        positions[question.key] = item.position
        if question.key in russian:
            question.ru = russian[question.key]
    db.session.commit()
    return positions


def test_a_candidate_reads_their_language_and_scores_the_same(
    app: object, bank: BankFactory, factory: Factory, client: FlaskClient
) -> None:
    """In Russian: Russian prompt, options and ordering labels (values stay English, so the
    saved order scores as before); in English: the English text."""
    attempt, token = make_attempt(factory)
    positions = _translate(attempt)
    open_invitation(client, token)
    english = client.get(f"/attempt/{positions['py-j-901']}").text
    assert "Pick" in english and "бэ-вариант" not in english
    russian_headers = {"Accept-Language": "ru"}
    page = client.get(f"/attempt/{positions['py-j-901']}", headers=russian_headers).text
    assert "Выберите" in page and "бэ-вариант" in page and "Pick" not in page
    ordering = client.get(f"/attempt/{positions['sql-j-902']}", headers=russian_headers).text
    assert "икс" in ordering and 'data-value="x"' in ordering
    assert 'data-value="икс"' not in ordering  # what is saved stays the English value
    saved = client.post(
        f"/attempt/api/items/{positions['sql-j-902']}/answer",
        json={"response": ["x", "y", "z"], "revision": 1},
        headers=csrf_header(client),
    )
    assert saved.status_code == 200
    answer = db.session.scalar(sa.select(Answer).where(Answer.attempt_id == attempt.id))
    assert answer.response == ["x", "y", "z"]


def test_an_interviewer_reads_the_kit_in_russian(
    app: object, bank: BankFactory, factory: Factory, client: FlaskClient, auth: Auth
) -> None:
    """A Russian-speaking interviewer reads the kit's question, follow-ups and anchors in
    Russian; an English-speaking one reads English."""
    recruiter = factory.user(Role.RECRUITER)
    attempt, _ = make_attempt(factory, recruiter)
    db.session.add(
        InterviewQuestion(
            key="py-iv-j-901", competency_code="PY", grade=attempt.grade,
            question="Walk me through it.", follow_ups=["Why?"],
            anchors={"1": "None.", "2": "Some.", "3": "Clear.", "4": "Clear, tested."},
            ru={"question": "Расскажите по шагам.", "follow_ups": ["Почему?"],
                "anchors": {"1": "Нет.", "2": "Частично.", "3": "Ясно.", "4": "Ясно и с тестами."}},
            content_hash="py-iv-j-901",
        )
    )  # fmt: skip
    interviewer = factory.user(Role.INTERVIEWER)
    review.assign(db.session, attempt, interviewer.id, recruiter)
    from assess.services import attempts

    attempts.finish_attempt(db.session, attempt)
    db.session.commit()
    auth.login(interviewer.email)
    page = client.get(f"/review/attempts/{attempt.id}/interview").text
    assert "Walk me through it." in page and "Расскажите" not in page
    db.session.merge(interviewer).locale = "ru"
    db.session.commit()
    page = client.get(f"/review/attempts/{attempt.id}/interview").text
    assert "Расскажите по шагам." in page and "Почему?" in page and "Ясно и с тестами." in page
    assert "Walk me through it." not in page
