"""A small but complete hiring world for the operations tests: staff, a position,
invitations, a started and a finished attempt with answers, code, a graded submission, an
interview scorecard, and the attempt's scorecard."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from assess.bank.loader import load_bank
from assess.extensions import db
from assess.grading.runner import grade_submission
from assess.models import (
    Attempt,
    AttemptItem,
    GradeCode,
    InterviewScorecard,
    Question,
    Recommendation,
    Role,
    RubricScore,
    Submission,
    SubmissionKind,
)
from assess.services import scorecards
from assess.services.attempts import finish_attempt, save_answer, start_attempt
from assess.services.invitations import create_position, invite
from assess.services.submissions import submit_code
from sandbox import Golden, RunResult
from sandbox.results import Verdict
from tests.conftest import Factory
from tests.unit.bank.bankfiles import make_bank

TASK = "word-frequency"
CANDIDATE_CODE = "# my home address is 1 Secret Lane\ndef solve():\n    return 42\n"


class FakeSandbox:
    """Stands in for the Docker sandbox: every run passes, after ``delay`` seconds."""

    image = "assess-sandbox:fake"

    def __init__(self, verdict: Verdict = Verdict.PASSED, score: float = 1.0) -> None:
        """Choose the verdict every run gets."""
        self.verdict, self.score = verdict, score

    def record_golden(self, spec: Any) -> Golden:
        """An empty golden record."""
        return Golden(
            task=TASK,
            content_hash="x",
            observations={},
            weights={},
            reference_cpu_s=0.01,
            image=self.image,
        )

    def grade(self, spec: Any, source: bytes, golden: Golden) -> RunResult:
        """The chosen verdict, with output that echoes the code (to prove scrubbing)."""
        return RunResult(
            task=TASK,
            verdict=self.verdict,
            score=self.score,
            stdout=source.decode()[:40],
            stderr="trace",
        )

    def run_samples(self, spec: Any, source: bytes) -> RunResult:
        """Sample runs behave like grading."""
        return self.grade(spec, source, self.record_golden(spec))


@dataclass
class World:
    """Ids of what was built."""

    finished_attempt: int
    started_attempt: int
    submission: int
    emails: tuple[str, str]


def load_small_bank(tmp_path: Path) -> None:
    """The sample questions plus one real coding task."""
    load_bank(db.session, make_bank(tmp_path, tasks=(TASK,)))
    db.session.commit()


def answer_everything(attempt: Attempt) -> None:
    """Answer each drawn question with its first option; submit code to each task."""
    for item in attempt.items:
        if item.question_id is not None:
            question = db.session.get(Question, item.question_id)
            assert question is not None
            response: Any = [0] if question.type == "multiple" else 0
            save_answer(db.session, attempt, item.position, response, revision=1)


def build_world(factory: Factory, tmp_path: Path) -> World:
    """Build the world and grade its one final submission with the fake sandbox."""
    load_small_bank(tmp_path)
    recruiter = factory.user(Role.RECRUITER)
    interviewer = factory.user(Role.INTERVIEWER)
    position = create_position(db.session, recruiter, "Backend developer", GradeCode.JUNIOR)
    first, _ = invite(db.session, position, "Ada Candidate", "ada@example.com", recruiter)
    second, _ = invite(db.session, position, "Bob Candidate", "bob@example.com", recruiter)
    invite(db.session, position, "Cy Unused", "cy@example.com", recruiter)
    attempt = start_attempt(db.session, first, seed=7)
    other = start_attempt(db.session, second, seed=8)
    db.session.commit()
    answer_everything(attempt)
    answer_everything(other)
    task_item = db.session.scalar(
        sa.select(AttemptItem).where(
            AttemptItem.attempt_id == attempt.id, AttemptItem.task_id.is_not(None)
        )
    )
    assert task_item is not None, "the blueprint drew no coding task"
    submission = submit_code(
        db.session, attempt, task_item.position, CANDIDATE_CODE, SubmissionKind.FINAL
    )
    db.session.commit()
    assert grade_submission(submission.id, "test-grader", FakeSandbox) == "graded"
    finish_attempt(db.session, attempt)
    card = InterviewScorecard(
        attempt_id=attempt.id,
        interviewer_id=interviewer.id,
        recommendation=Recommendation.YES,
        reason="Ada lives in Paris",
    )
    db.session.add(card)
    db.session.flush()
    db.session.add(
        RubricScore(
            scorecard_id=card.id, competency_code="PY", score=3, notes="talked about her family"
        )
    )
    scorecards.recompute(db.session, attempt)
    db.session.commit()
    return World(attempt.id, other.id, submission.id, ("ada@example.com", "bob@example.com"))


def scorecards_by_attempt() -> dict[int, str]:
    """Every attempt's stored scorecard, as canonical JSON."""
    rows = db.session.execute(sa.select(Attempt.id, Attempt.scorecard)).all()
    return {row[0]: json.dumps(row[1], sort_keys=True) for row in rows}


def row_counts() -> dict[str, int]:
    """Rows per application table."""
    return {
        table.name: int(db.session.scalar(sa.select(sa.func.count()).select_from(table)) or 0)
        for table in db.metadata.sorted_tables
    }


def submission_code(submission_id: int) -> str:
    """The stored code of a submission."""
    submission = db.session.get(Submission, submission_id)
    assert submission is not None
    db.session.refresh(submission)
    return submission.code
