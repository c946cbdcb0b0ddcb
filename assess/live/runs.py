"""Running a live interview's pad in the sandbox: a fresh locked-down container per run,
the same limits as assessments, a per-room rate limit, every run kept, its output sent to
everyone in the room while it runs (a preview), and the result sent when it ends."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask

from assess.errors import AssessError, ValidationFailed
from assess.extensions import DbSession, db
from assess.grading.sandbox_service import get_sandbox
from assess.live import history
from assess.live.rooms import Bucket, Hub, RateLimited
from assess.models import utcnow
from assess.models.live import LiveInterview, LiveRun
from sandbox import RunResult, SandboxConfig, SandboxError, TaskSpec
from sandbox.container import OutputChunk

log = logging.getLogger(__name__)

RUNS_PER_WINDOW = 6
WINDOW_SECONDS = 60
MODES = ("main", "tests")
OUTPUT_KEPT = 20_000
PREVIEWS_PER_SECOND = 10.0  # run-output events of one run (the sandbox already coalesces)
PREVIEW_BURST = 3.0


class TooManyRuns(AssessError):
    """A room asked for more runs than its share."""

    status = 429
    code = "too_many_runs"


def _claim_slot(session: DbSession, interview: LiveInterview) -> None:
    """Raise TooManyRuns when the room has used its runs in the window. The UPDATE locks the
    interview's row (PostgreSQL) or the database (SQLite) until commit, so concurrent
    requests count one after another and exactly the limit gets through."""
    session.execute(
        sa.update(LiveInterview)
        .where(LiveInterview.id == interview.id)
        .values(runs_started=LiveInterview.runs_started + 1)
    )
    since = utcnow() - timedelta(seconds=WINDOW_SECONDS)
    recent = session.scalar(
        sa.select(sa.func.count())
        .select_from(LiveRun)
        .where(LiveRun.interview_id == interview.id, LiveRun.created_at >= since)
    )
    if (recent or 0) >= RUNS_PER_WINDOW:
        raise TooManyRuns(f"at most {RUNS_PER_WINDOW} runs a minute in one room: wait a little")


def start(
    app: Flask, session: DbSession, interview: LiveInterview, started_by: str, mode: Any
) -> dict[str, Any]:
    """Record a run of the pad as it is now and start it in the background."""
    if mode not in MODES:
        raise ValidationFailed("mode: 'main' or 'tests'", {"mode": "main or tests"})
    hub: Hub = app.extensions["live"]
    names = history.file_names(interview)
    try:
        texts = hub.room(interview.id).files()
    finally:
        hub.close_if_empty(interview.id)  # opened only to read the pad: not kept here
    files = {names["main"]: texts["main"]}
    if texts["tests"].strip():
        files[names["tests"]] = texts["tests"]
    if mode == "tests" and names["tests"] not in files:
        raise ValidationFailed("the tests tab is empty", {"mode": "no tests"})
    _claim_slot(session, interview)
    run = LiveRun(interview_id=interview.id, started_by=started_by[:120], mode=mode, files=files)
    session.add(run)
    session.commit()
    shown = history.run_json(run)
    hub.event(interview.id, {"type": "run", "run": shown})
    main = names["main"] if mode == "main" else None
    thread = threading.Thread(
        target=_execute,
        args=(app, interview.id, run.id, files, main),
        daemon=True,
        name=f"live-run-{run.id}",
    )
    thread.start()
    return shown


def _task_for_runs() -> TaskSpec:
    """The task shape of a pad run: the sandbox's default limits, so warm spares serve it."""
    limits = SandboxConfig.from_env().limits
    return TaskSpec(
        slug="live-pad",
        kind="implement",
        module="main",
        title="Live interview pad",
        limits=limits,
        starter="",
        reference="",
        visible_tests="",
        probes="",
    )


def describe(result: RunResult) -> str:
    """What a run printed, with its outcome, as plain text (shown escaped)."""
    parts = []
    if result.tests:
        parts.append("\n".join(f"{'PASS' if t.passed else 'FAIL'} {t.id}" for t in result.tests))
    if result.stdout:
        parts.append(result.stdout)
    if result.stderr:
        parts.append(result.stderr)
    if result.reason:
        parts.append(f"[{result.verdict.value}] {result.reason}")
    return "\n".join(parts)[:OUTPUT_KEPT]


class Preview:
    """A run's output sent to the room while it runs, as ``run-output`` events: at most
    ``OUTPUT_KEPT`` characters in all (what the stored output keeps), then one event saying
    it was truncated; at most ``PREVIEWS_PER_SECOND`` events (output arriving faster waits
    for the next). The final ``run`` event replaces the preview."""

    def __init__(self, hub: Hub, interview_id: int, run_id: int) -> None:
        """Nothing sent yet."""
        self.hub = hub
        self.interview_id = interview_id
        self.run_id = run_id
        self.bucket = Bucket(PREVIEWS_PER_SECOND, PREVIEW_BURST)
        self.sent = 0
        self.pending: list[dict[str, str]] = []
        self.truncated = False
        self.told = False

    def __call__(self, chunk: OutputChunk) -> None:
        """Take a chunk from the sandbox and pass on what is due."""
        if self.told:
            return
        for stream, text in chunk.pieces:
            if self.truncated:
                break
            room = OUTPUT_KEPT - self.sent
            if len(text) > room:
                text, self.truncated = text[:room], True
            if not text:
                continue
            self.sent += len(text)
            if self.pending and self.pending[-1]["stream"] == stream:
                self.pending[-1]["text"] += text
            else:
                self.pending.append({"stream": stream, "text": text})
        self.truncated = self.truncated or chunk.truncated
        if not self.pending and not self.truncated:
            return
        try:
            self.bucket.take()
        except RateLimited:
            return
        event = {
            "type": "run-output",
            "run": {"id": self.run_id, "state": "running"},
            "chunks": self.pending,
            "truncated": self.truncated,
        }
        self.pending = []
        self.told = self.truncated
        self.hub.event(self.interview_id, event)


def _execute(
    app: Flask, interview_id: int, run_id: int, files: dict[str, str], main: str | None
) -> None:
    """Run in the sandbox with its output previewed to the room, store the outcome, and tell
    the room (a run whose interview was deleted meanwhile is simply dropped)."""
    with app.app_context():
        hub: Hub = app.extensions["live"]
        preview = Preview(hub, interview_id, run_id)
        try:
            result = get_sandbox().run_files(_task_for_runs(), files, main, preview)
        except SandboxError as exc:
            values = {
                "state": "failed",
                "verdict": "unavailable",
                "output": f"code runs are unavailable right now: {exc}"[:OUTPUT_KEPT],
            }
        else:
            values = {"state": "done", "verdict": result.verdict.value, "output": describe(result)}
        try:
            db.session.execute(
                sa.update(LiveRun)
                .where(LiveRun.id == run_id)
                .values(finished_at=utcnow(), **values)
            )
            db.session.commit()
            run = db.session.get(LiveRun, run_id)
            if run is not None:
                hub.event(run.interview_id, {"type": "run", "run": history.run_json(run)})
        except Exception:
            log.exception("live run %s could not be stored", run_id)
            db.session.rollback()
        finally:
            db.session.remove()
