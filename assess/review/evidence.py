"""Everything an interviewer reads about one attempt: each answer beside the correct one,
each coding submission with its runs, the integrity signals and the most similar other
submission. A fixed number of queries per attempt, whatever its size."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from markupsafe import Markup

from assess.bank import texts
from assess.candidate.render import render_markdown
from assess.extensions import DbSession
from assess.models import (
    Answer,
    Attempt,
    CodingTask,
    GradingRun,
    Invitation,
    Position,
    Question,
    Submission,
    SubmissionKind,
)
from assess.review import project_diff
from assess.review.highlight import highlight_lines
from assess.services import adaptive, integrity, recording, similarity
from assess.services.review import RunChanges, organisation_of, run_changes
from sandbox import kinds as sandbox_kinds

MAX_LOG_CHARS = 4000
MAX_COMPARED = 500


@dataclass(frozen=True)
class AnswerView:
    """A question of the attempt, the candidate's answer and the correct one."""

    position: int
    question: Question
    prompt: Markup
    snippet: list[Markup]
    given: list[str]
    correct: list[str]
    score: float | None
    explanation: Markup
    seconds: int
    draw: dict[str, Any] | None = None  # why an adaptive attempt's question came


@dataclass(frozen=True)
class Log:
    """A capped piece of output."""

    text: str
    truncated: bool
    size: int


@dataclass(frozen=True)
class RunView:
    """One grading run of a submission."""

    run: GradingRun
    result: dict[str, Any]
    tests: list[dict[str, Any]]
    stdout: Log
    stderr: Log
    flags: list[str]


@dataclass(frozen=True)
class Similar:
    """The most similar submission of another candidate for the same task."""

    submission_id: int
    candidate: str
    position: str
    score: float
    containment: float
    own_lines: list[Markup]
    other_lines: list[Markup]
    own_marked: frozenset[int]
    other_marked: frozenset[int]


@dataclass(frozen=True)
class SubmissionView:
    """A final submission of a coding task with its history."""

    submission: Submission
    task: CodingTask
    position: int
    counted: bool
    lines: list[Markup]
    runs: list[RunView]
    changes: RunChanges | None
    similar: Similar | None
    files: list[project_diff.FileChange] | None = None  # a project: its changes, by file


def cap(text: Any, limit: int = MAX_LOG_CHARS) -> Log:
    """At most ``limit`` characters of ``text`` (reported as truncated when longer)."""
    value = text if isinstance(text, str) else ""
    return Log(value[:limit], len(value) > limit, len(value))


def _describe(qtype: str, body: dict[str, Any], value: Any) -> list[str]:
    """A response or an answer key as readable lines (option texts, not indices)."""
    if value is None:
        return []
    options = list(body.get("options") or [])
    if qtype == "single" and isinstance(value, int) and 0 <= value < len(options):
        return [str(options[value])]
    if qtype == "multiple" and isinstance(value, list):
        return [
            str(options[v]) if isinstance(v, int) and 0 <= v < len(options) else str(v)
            for v in value
        ]
    if qtype == "ordering" and isinstance(value, list):
        return [f"{index}. {item}" for index, item in enumerate(value, start=1)]
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def answers(session: DbSession, attempt: Attempt, locale: str = "en") -> list[AnswerView]:
    """Each question of the attempt in the candidate's order (two queries)."""
    question_items = [i for i in attempt.items if i.question_id is not None]
    ids = [i.question_id for i in question_items]
    questions = {q.id: q for q in session.scalars(sa.select(Question).where(Question.id.in_(ids)))}
    given = {
        a.question_id: a
        for a in session.scalars(sa.select(Answer).where(Answer.attempt_id == attempt.id))
    }
    views = []
    for item in question_items:
        question = questions[item.question_id]  # type: ignore[index]
        answer = given.get(question.id)
        body = dict(question.body)
        views.append(
            AnswerView(
                position=item.position,
                question=question,
                prompt=render_markdown(texts.prompt(question, locale)),
                snippet=highlight_lines(str(body["code"])) if body.get("code") else [],
                given=_describe(question.type, body, answer.response if answer else None),
                correct=_describe(question.type, body, question.answer),
                score=answer.score if answer else None,
                explanation=render_markdown(texts.explanation(question, locale)),
                seconds=item.seconds_spent,
                draw=adaptive.why(item.draw),
            )
        )
    return views


def _run_view(run: GradingRun) -> RunView:
    """A run with its logs capped and its probe list checked for shape."""
    result = run.result if isinstance(run.result, dict) else {}
    tests = [
        {
            "id": str(t.get("id", "")),
            "passed": bool(t.get("passed")),
            "message": cap(t.get("message"), 500).text,
            "weight": t.get("weight"),
        }
        for t in result.get("tests") or []
        if isinstance(t, dict)
    ]
    flags = [str(f) for f in result.get("flags") or []][:30]
    return RunView(run, result, tests, cap(result.get("stdout")), cap(result.get("stderr")), flags)


def submissions(session: DbSession, attempt: Attempt) -> list[SubmissionView]:
    """Final submissions per task, the counted one first, each with its runs newest first
    and, for the counted one, the most similar submission of another candidate."""
    finals = session.scalars(
        sa.select(Submission)
        .where(Submission.attempt_id == attempt.id, Submission.kind == SubmissionKind.FINAL)
        .order_by(Submission.id.desc())
    ).all()
    if not finals:
        return []
    tasks = {
        t.id: t
        for t in session.scalars(
            sa.select(CodingTask).where(CodingTask.id.in_({s.task_id for s in finals}))
        )
    }
    runs: dict[int, list[GradingRun]] = defaultdict(list)
    for run in session.scalars(
        sa.select(GradingRun)
        .where(GradingRun.submission_id.in_([s.id for s in finals]))
        .order_by(GradingRun.id.desc())
    ):
        runs[run.submission_id].append(run)
    positions = {i.task_id: i.position for i in attempt.items if i.task_id is not None}
    seen: set[int] = set()
    views = []
    for submission in finals:
        task = tasks[submission.task_id]
        counted = submission.task_id not in seen
        seen.add(submission.task_id)
        history = runs.get(submission.id, [])
        changes = run_changes(history[1].result, history[0].result) if len(history) > 1 else None
        files = (
            project_diff.changes(task.starter_code, submission.code)
            if sandbox_kinds.is_hands_on(task.kind)
            else None
        )
        views.append(
            SubmissionView(
                submission=submission,
                task=task,
                position=positions.get(task.id, 0),
                counted=counted,
                lines=highlight_lines(submission.code) if files is None else [],
                runs=[_run_view(r) for r in history],
                changes=changes,
                similar=most_similar(session, attempt, submission, task) if counted else None,
                files=files,
            )
        )
    return sorted(views, key=lambda v: (v.position, not v.counted, -v.submission.id))


@lru_cache(maxsize=4096)
def _cached_fingerprint(digest: str, code: str, starter: str) -> similarity.Fingerprint:
    """Fingerprints are pure functions of the code: cache them by content digest."""
    return similarity.fingerprint(code, starter)


def fingerprint_of(code: str, starter: str) -> similarity.Fingerprint:
    """The (cached) fingerprint of ``code`` without the ``starter`` code's."""
    digest = hashlib.blake2b((starter + "\x00" + code).encode("utf-8"), digest_size=16)
    return _cached_fingerprint(digest.hexdigest(), code, starter)


def comparable(code: str, task: CodingTask) -> tuple[str, str]:
    """The code the similarity check compares and the starter code it discounts: for a
    project, its changed Python files in one listing and the starter's Python files."""
    if sandbox_kinds.is_hands_on(task.kind):
        listing = project_diff.python_listing(code, task.starter_code)
        if listing is not None:
            return listing
    return code, task.starter_code


def most_similar(
    session: DbSession, attempt: Attempt, submission: Submission, task: CodingTask
) -> Similar | None:
    """The counted submission of another candidate in the same organisation for the same
    task that shares most with this one (the newest ``MAX_COMPARED`` are compared)."""
    counted = (
        sa.select(sa.func.max(Submission.id))
        .join(CodingTask, CodingTask.id == Submission.task_id)
        .where(
            CodingTask.slug == task.slug,
            Submission.kind == SubmissionKind.FINAL,
            Submission.attempt_id != attempt.id,
        )
        .group_by(Submission.attempt_id)
    )
    rows = (
        session.execute(
            sa.select(Submission.id, Submission.code, Invitation.candidate_name, Position.title)
            .join(Attempt, Attempt.id == Submission.attempt_id)
            .join(Invitation, Invitation.id == Attempt.invitation_id)
            .join(Position, Position.id == Invitation.position_id)
            .where(Submission.id.in_(counted), Position.organization_id == organisation_of(attempt))
            .order_by(Submission.id.desc())
            .limit(MAX_COMPARED)
        )
        .tuples()
        .all()
    )
    if not rows:
        return None
    mine, starter = comparable(submission.code, task)
    own = fingerprint_of(mine, starter)
    others = {sid: (comparable(code, task)[0], name, title) for sid, code, name, title in rows}
    best = similarity.most_similar(
        own, ((sid, fingerprint_of(code, starter)) for sid, (code, _, _) in others.items())
    )
    if best is None:
        return None
    other_id, match = best
    code, name, title = others[other_id]
    return Similar(
        other_id,
        name,
        title,
        match.score,
        match.containment,
        highlight_lines(mine),
        highlight_lines(code),
        match.lines_a,
        match.lines_b,
    )


def signals(session: DbSession, attempt: Attempt) -> dict[str, int]:
    """The integrity summary (focus lost, pastes, the largest paste) of the attempt."""
    return integrity.summary(session, attempt)


def recordings(
    session: DbSession, attempt: Attempt, views: list[SubmissionView]
) -> dict[int, recording.Signals]:
    """What the editor's recording of each submitted task suggests (counted submissions)."""
    return {
        view.task.id: recording.signals(
            recording.streams(session, attempt.id, view.task.id), view.submission.code
        )
        for view in views
        if view.counted
    }


def replay(session: DbSession, attempt: Attempt, task: CodingTask) -> dict[str, Any]:
    """Everything the replay of one task needs: the recording stream by stream, the sample
    runs and submissions at their moments (with the code each sent), and the signals."""
    streams = recording.streams(session, attempt.id, task.id)
    sent = session.scalars(
        sa.select(Submission)
        .where(Submission.attempt_id == attempt.id, Submission.task_id == task.id)
        .order_by(Submission.id)
    ).all()
    finals = [s for s in sent if s.kind is SubmissionKind.FINAL]
    signals = recording.signals(streams, finals[-1].code if finals else None)
    return {
        "task": {"id": task.id, "slug": task.slug, "title": task.title},
        "started_at": attempt.started_at.isoformat(),
        "streams": recording.playback_json(streams),
        "runs": [
            {
                "t": s.created_at.isoformat(),
                "kind": s.kind.value,
                "verdict": s.verdict,
                "score": s.score,
            }
            for s in sent
        ],
        "signals": {
            "changes": signals.changes,
            "pastes": signals.pastes,
            "largest_insert": signals.largest_insert,
            "idle_gaps": signals.idle_gaps,
            "sessions": signals.sessions,
            "complete": signals.complete,
            "capped": signals.capped,
            "matches_submission": signals.matches,
        },
    }
