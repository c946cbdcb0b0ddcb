"""Builds finished, graded attempts without Docker: answers through the real service, a
final submission with grading runs written by hand, as the runner would have stored them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from assess.extensions import db
from assess.models import (
    Attempt,
    CodingTask,
    GradingRun,
    IntegrityEvent,
    InterviewAssignment,
    Position,
    Question,
    Submission,
    SubmissionKind,
    SubmissionState,
    User,
    utcnow,
)
from assess.services import attempts, invitations, scorecards

GOOD_CODE = '''"""Word frequency."""
from collections import Counter
import re


def top_words(text: str, n: int) -> list[tuple[str, int]]:
    """The n most frequent words."""
    words = re.findall(r"[a-z']+", text.lower())
    counts = Counter(words)
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:n]
'''

HOSTILE_CODE = """def top_words(text, n):
    # </pre><script>alert("pwned")</script> {{ 7 * 7 }} {% if true %}x{% endif %}
    banner = "<img src=x onerror=alert(1)>"
    return []
"""

PROBES = ("counts_simple", "ties_alphabetical", "case_folding", "empty_text", "large_input")


def run_result(
    passed: int,
    *,
    verdict: str | None = None,
    stdout: str = "",
    flags: tuple[str, ...] = (),
    probes: tuple[str, ...] = PROBES,
) -> dict[str, Any]:
    """A stored grading result where the first ``passed`` probes pass."""
    tests = [
        {
            "id": probe,
            "passed": index < passed,
            "message": "" if index < passed else f"{probe}: wrong value",
            "weight": 1.0,
            "stdout": "",
        }
        for index, probe in enumerate(probes)
    ]
    score = passed / len(probes)
    return {
        "task": "word-frequency",
        "kind": "grade",
        "verdict": verdict or ("passed" if passed == len(probes) else "failed"),
        "score": round(score, 4),
        "reason": "",
        "tests": tests,
        "duration_s": 0.41,
        "cpu_s": 0.123,
        "peak_memory_mb": 14.2,
        "stdout": stdout,
        "stderr": "",
        "flags": list(flags),
    }


def finished_attempt(
    position: Position,
    recruiter: User,
    name: str,
    *,
    right: int = 4,
    code: str = GOOD_CODE,
    results: tuple[dict[str, Any], ...] | None = None,
    seed: int = 42,
    pastes: int = 0,
) -> Attempt:
    """A finished, scored attempt: ``right`` of its questions answered correctly, one final
    submission of ``code`` with the grading ``results`` (oldest first)."""
    email = "".join(ch for ch in name.lower() if ch.isalnum()) + f"{seed}@example.com"
    invitation, _ = invitations.invite(db.session, position, name, email, recruiter)
    attempt = attempts.start_attempt(db.session, invitation, seed=seed)
    done = 0
    for item in attempt.items:
        if item.question_id is None:
            continue
        question = db.session.get(Question, item.question_id)
        assert question is not None
        response = _response(question, item.option_order, correct=done < right)
        attempts.save_answer(db.session, attempt, item.position, response, 1)
        item.seconds_spent = 30 + 10 * item.position
        done += 1
    task_item = next(i for i in attempt.items if i.task_id is not None)
    results = results if results is not None else (run_result(5),)
    submission = Submission(
        attempt_id=attempt.id,
        task_id=task_item.task_id,
        kind=SubmissionKind.FINAL,
        code=code,
        state=SubmissionState.DONE,
        tries=1,
        verdict=results[-1]["verdict"],
        score=results[-1]["score"],
        finished_at=utcnow(),
    )
    db.session.add(submission)
    db.session.flush()
    started = utcnow() - timedelta(minutes=10)
    for index, result in enumerate(results):
        db.session.add(
            GradingRun(
                submission_id=submission.id,
                task_version=1,
                image="assess-runner:test",
                verdict=result["verdict"],
                score=result["score"],
                result=result,
                started_at=started + timedelta(minutes=index),
                finished_at=started,
            )
        )
    for _ in range(pastes):
        db.session.add(
            IntegrityEvent(
                attempt_id=attempt.id, kind="paste", item_position=task_item.position, size=800
            )
        )
    attempts.finish_attempt(db.session, attempt)
    db.session.flush()
    scorecards.recompute(db.session, attempt)
    db.session.commit()
    return attempt


def _response(question: Question, order: list[int] | None, *, correct: bool) -> Any:
    """A response in the page's terms (displayed option indices), right or wrong."""
    answer = question.answer
    if question.type == "single":
        bank = answer if correct else (answer + 1) % len(question.body["options"])
        return (order or list(range(len(question.body["options"])))).index(bank)
    if question.type == "multiple":
        bank = answer if correct else [1]
        display = order or list(range(len(question.body["options"])))
        return [display.index(b) for b in bank]
    if question.type == "ordering":
        return list(answer) if correct else list(reversed(answer))
    return str(answer) if correct else "wrong"


def assign(attempt: Attempt, interviewer: User, by: User) -> None:
    """Assign ``interviewer`` to ``attempt`` directly."""
    db.session.add(
        InterviewAssignment(
            attempt_id=attempt.id, interviewer_id=interviewer.id, assigned_by_id=by.id
        )
    )
    db.session.commit()


def word_task() -> CodingTask:
    """The bank's coding task."""
    task = db.session.scalar(sa.select(CodingTask))
    assert task is not None
    return task
