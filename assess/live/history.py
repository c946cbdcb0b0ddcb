"""What a live interview's pad holds and how it came to be: the starting files, the file
names, the statement, and the timeline that playback replays."""

from __future__ import annotations

import base64
from typing import Any

from flask_babel import get_locale
from markupsafe import Markup
from pycrdt import Doc, Text

from assess.bank import texts
from assess.candidate.render import render_markdown
from assess.extensions import DbSession
from assess.live.service import notes, runs, update_log
from assess.models.live import LiveInterview, LiveNote, LiveRun, LiveUpdate

PASTE_CHARS = 200  # one update inserting this many characters at once is marked a paste
IDLE_SECONDS = 120  # a gap this long between edits is marked on the timeline


def file_names(interview: LiveInterview) -> dict[str, str]:
    """The names the pad's two files run under: the task's module and its tests, or
    ``main.py`` and ``test_main.py`` for a blank pad."""
    module = _module(interview.task) if interview.task is not None else "main"
    return {"main": f"{module}.py", "tests": f"test_{module}.py"}


def statement_html(interview: LiveInterview) -> Markup | None:
    """The starting task's statement (in the viewer's language when the bank has it)."""
    task = interview.task
    if task is None:
        return None
    return render_markdown(texts.task_text(task, str(get_locale()))[1])


def seed(session: DbSession, interview: LiveInterview) -> None:
    """Put the starting task's starter code and visible tests into the pad, as the first
    entry of its log (a blank pad starts empty)."""
    task = interview.task
    if task is None:
        return
    doc: Doc[Text] = Doc()
    doc["main"] = Text(task.starter_code)
    doc["tests"] = Text(task.visible_tests)
    session.add(
        LiveUpdate(
            interview_id=interview.id,
            author="",
            author_role="system",
            data=doc.get_update(),
            inserted=len(task.starter_code) + len(task.visible_tests),
        )
    )


def _module(task: Any) -> str:
    """The module a task's code lives in."""
    return str((task.spec or {}).get("module") or "solution")


def note_json(note: LiveNote) -> dict[str, Any]:
    """A note as the room and playback show it."""
    return {"id": note.id, "t": note.created_at.isoformat(), "text": note.text}


def run_json(run: LiveRun) -> dict[str, Any]:
    """A run as the room and playback show it."""
    return {
        "id": run.id,
        "t": run.created_at.isoformat(),
        "by": run.started_by,
        "mode": run.mode,
        "state": run.state,
        "verdict": run.verdict,
        "output": run.output,
    }


def timeline(session: DbSession, interview: LiveInterview) -> dict[str, Any]:
    """Everything playback needs, in time order: each update (who, when, how much it
    inserted, whether it was a paste or came after a long idle gap), the runs and the notes."""
    updates: list[dict[str, Any]] = []
    largest = 0
    previous = None
    for row in update_log(session, interview):
        if row.author_role != "system":
            largest = max(largest, row.inserted)
        gap = (row.created_at - previous).total_seconds() if previous is not None else 0.0
        previous = row.created_at
        updates.append(
            {
                "t": row.created_at.isoformat(),
                "author": row.author,
                "role": row.author_role,
                "inserted": row.inserted,
                "paste": row.author_role != "system" and row.inserted >= PASTE_CHARS,
                "idle_before": gap >= IDLE_SECONDS,
                "data": base64.b64encode(row.data).decode("ascii"),
            }
        )
    return {
        "interview": {"id": interview.id, "title": interview.title, "state": interview.state},
        "updates": updates,
        "runs": [run_json(run) for run in runs(session, interview)],
        "notes": [note_json(note) for note in notes(session, interview)],
        "signals": {
            "pastes": sum(1 for u in updates if u["paste"]),
            "largest_insert": largest,
            "idle_gaps": sum(1 for u in updates if u["idle_before"]),
        },
    }
