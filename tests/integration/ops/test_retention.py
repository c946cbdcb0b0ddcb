"""Forgetting a candidate removes personal data and code, keeps scores and scorecards, and
is audited without the email."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from assess.extensions import db
from assess.models import (
    Answer,
    AuditEvent,
    CodeDraft,
    GradingRun,
    InterviewScorecard,
    Invitation,
    RubricScore,
    Submission,
    utcnow,
)
from assess.ops.retention import forget_expired
from tests.conftest import Factory
from tests.integration.ops.world import (
    CANDIDATE_CODE,
    World,
    build_world,
    scorecards_by_attempt,
    submission_code,
)


@pytest.fixture
def world(app: Flask, factory: Factory, tmp_path: Path) -> World:
    """The shared world."""
    return build_world(factory, tmp_path)


def scores(attempt_id: int) -> list[float | None]:
    """The scores of an attempt's answers."""
    return list(db.session.scalars(
        sa.select(Answer.score).where(Answer.attempt_id == attempt_id).order_by(Answer.id)
    ))  # fmt: skip


def test_forget_candidate_keeps_statistics_and_drops_personal_data(
    app: Flask, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """Name, email, code, run output and interview notes go; verdicts, scores and the
    scorecard stay; the other candidate is untouched; no log line or audit names the email."""
    cards, answer_scores = scorecards_by_attempt(), scores(world.finished_attempt)
    caplog.set_level(logging.INFO)
    result = app.test_cli_runner().invoke(
        args=["retention", "forget-candidate", "ADA@example.com", "--yes"]
    )
    assert result.exit_code == 0, result.output
    assert "invitations: 1" in result.output
    db.session.expire_all()
    ada = db.session.scalar(
        sa.select(Invitation)
        .where(Invitation.candidate_name != "Bob Candidate")
        .order_by(Invitation.id)
    )
    assert ada is not None
    assert ada.candidate_name == "Anonymised candidate"
    assert ada.candidate_email.endswith("@forgotten.invalid")
    assert ada.revoked_at is not None
    assert submission_code(world.submission) == ""
    submission = db.session.get(Submission, world.submission)
    assert submission is not None
    assert submission.verdict == "passed"
    assert submission.score == 1.0
    run = db.session.scalar(sa.select(GradingRun).where(GradingRun.submission_id == submission.id))
    assert run is not None
    assert run.verdict == "passed"
    assert "stdout" not in run.result
    assert run.result["redacted"] is True
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CodeDraft).where(
        CodeDraft.attempt_id == world.finished_attempt)) == 0  # fmt: skip
    card = db.session.scalar(sa.select(InterviewScorecard))
    assert card is not None
    assert card.reason == ""
    assert card.recommendation is not None
    rubric = db.session.scalar(sa.select(RubricScore))
    assert rubric is not None
    assert rubric.notes == ""
    assert rubric.score == 3
    assert scorecards_by_attempt() == cards
    assert scores(world.finished_attempt) == answer_scores
    bob = db.session.scalar(
        sa.select(Invitation).where(Invitation.candidate_email == world.emails[1])
    )
    assert bob is not None
    assert bob.candidate_name == "Bob Candidate"
    audit = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "retention.forget_candidate")
    )
    assert audit is not None
    assert "ada" not in json.dumps(audit.details).lower()
    assert all("ada@" not in r.getMessage().lower() for r in caplog.records)
    assert CANDIDATE_CODE not in caplog.text


def test_forget_candidate_without_invitations_changes_nothing(app: Flask, world: World) -> None:
    """An unknown address reports that nothing changed."""
    result = app.test_cli_runner().invoke(
        args=["retention", "forget-candidate", "nobody@example.com", "--yes"]
    )
    assert result.exit_code == 0
    assert "nothing changed" in result.output
    assert submission_code(world.submission) == CANDIDATE_CODE


def test_forget_expired_only_takes_old_assessments(app: Flask, world: World) -> None:
    """Nothing is old enough today; a year from now every candidate is forgotten."""
    assert forget_expired(db.session(), 30).invitations == 0
    later = utcnow() + timedelta(days=400)
    report = forget_expired(db.session(), 30, now=later)
    db.session.commit()
    assert report.invitations == 3
    names = set(db.session.scalars(sa.select(Invitation.candidate_name)))
    assert names == {"Anonymised candidate"}
    assert forget_expired(db.session(), 30, now=later).invitations == 0


def test_forget_expired_command(app: Flask, world: World) -> None:
    """The command reports its counts."""
    result = app.test_cli_runner().invoke(
        args=["retention", "forget-expired", "--older-than", "30", "--yes"]
    )
    assert result.exit_code == 0, result.output
    assert "invitations: 0" in result.output
