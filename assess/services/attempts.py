"""Attempts: starting one from an invitation, drawing its items, saving answers before
the deadline, closing it. Nothing a candidate typed is lost; nothing after the deadline counts.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import sqlalchemy as sa

from assess import webhooks
from assess.bank import kinds, texts
from assess.bank.candidate import candidate_view
from assess.bank.scoring import score_response
from assess.bank.spec import CHOICE_TYPES
from assess.errors import AttemptClosed, Conflict, NotFound, ValidationFailed
from assess.extensions import DbSession
from assess.models import (
    Answer,
    AssessmentBlueprint,
    Attempt,
    AttemptItem,
    AttemptState,
    CodeDraft,
    CodingTask,
    Competency,
    Invitation,
    Question,
    RetiredQuestion,
    Submission,
    SubmissionKind,
    utcnow,
)
from assess.services import adaptive, blueprints, recording, sections
from assess.services.upsert import upsert_newer_columns

MAX_TEXT_ANSWER = 2000


def check_text(value: str, field: str) -> str:
    """Refuse text that cannot be stored as UTF-8 in every database (NUL, lone surrogates)."""
    if "\x00" in value:
        raise ValidationFailed(f"{field} contains a NUL character", {field: "NUL character"})
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationFailed(
            f"{field} is not valid Unicode text", {field: "invalid characters"}
        ) from None
    return value


MAX_CODE_BYTES = 256 * 1024
GRACE_SECONDS = 5  # a save sent just before the deadline may arrive a moment after it


@dataclass(frozen=True)
class Saved:
    """An autosave as stored: the revision kept and when it was saved."""

    revision: int
    saved_at: datetime


class Saving(sections.Clock, Protocol):
    """An attempt as a save sees it: the row, or the columns read with its item."""

    @property
    def id(self) -> int:
        """The attempt's id."""

    @property
    def adaptive(self) -> dict[str, Any] | None:
        """The adaptive rule the attempt follows (None: a fixed form)."""


@dataclass(frozen=True, slots=True)
class SaveAttempt:
    """What a save needs of its attempt: its id, its clock and whether it is adaptive."""

    id: int
    state: AttemptState
    deadline_at: datetime
    break_minutes: int
    break_started_at: datetime | None
    break_ended_at: datetime | None
    adaptive: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class SaveItem:
    """What a save needs of the item at its position."""

    id: int
    attempt_id: int
    question_id: int | None
    task_id: int | None
    option_order: list[int] | None
    final_at: datetime | None


@dataclass(frozen=True, slots=True)
class SaveQuestion:
    """What checking and scoring an answer need of its question."""

    id: int
    type: str
    body: dict[str, Any]
    answer: Any


@dataclass(frozen=True)
class SaveTarget:
    """The item a save is for (None: no such position), with its question or its task's
    kind, read in one statement with the attempt (:func:`read_save`)."""

    item: SaveItem | None
    question: SaveQuestion | None
    task_kind: str | None


@dataclass(frozen=True, slots=True)
class SaveRead:
    """All a save reads, in one statement: the attempt, what its holder must show (the
    session key's hash), whether its invitation was revoked, and the item."""

    attempt: SaveAttempt
    session_hash: str
    revoked: bool
    target: SaveTarget


# Built once (saves are the most frequent request), and plain columns rather than ORM
# objects: a save only reads them, and building the three tracked objects was about a third
# of the read's cost.
_SAVE_READ = (
    sa.select(
        Attempt.id, Attempt.state, Attempt.deadline_at, Attempt.break_minutes,
        Attempt.break_started_at, Attempt.break_ended_at, Attempt.adaptive,
        Attempt.session_hash, Invitation.revoked_at,
        AttemptItem.id.label("item_id"), AttemptItem.question_id, AttemptItem.task_id,
        AttemptItem.option_order, AttemptItem.final_at,
        Question.type, Question.body, Question.answer, CodingTask.kind,
    )
    .join(Invitation, Invitation.id == Attempt.invitation_id)
    .outerjoin(
        AttemptItem,
        sa.and_(
            AttemptItem.attempt_id == Attempt.id,
            AttemptItem.position == sa.bindparam("position", type_=sa.Integer),
        ),
    )
    .outerjoin(Question, Question.id == AttemptItem.question_id)
    .outerjoin(CodingTask, CodingTask.id == AttemptItem.task_id)
    .where(Attempt.id == sa.bindparam("attempt", type_=sa.Integer))
)  # fmt: skip


def read_save(
    executor: DbSession | sa.Connection, attempt_id: int, position: int
) -> SaveRead | None:
    """The attempt ``attempt_id`` and its item at ``position`` (None: no such attempt)."""
    row = executor.execute(_SAVE_READ, {"attempt": attempt_id, "position": position}).one_or_none()
    if row is None:
        return None
    attempt = SaveAttempt(
        row.id, row.state, row.deadline_at, row.break_minutes, row.break_started_at,
        row.break_ended_at, row.adaptive,
    )  # fmt: skip
    item = question = None
    if row.item_id is not None:
        item = SaveItem(row.item_id, row.id, row.question_id, row.task_id, row.option_order,
                        row.final_at)  # fmt: skip
        if row.question_id is not None:
            question = SaveQuestion(row.question_id, row.type, row.body, row.answer)
    target = SaveTarget(item, question, row.kind)
    return SaveRead(attempt, row.session_hash, row.revoked_at is not None, target)


@dataclass(frozen=True)
class ItemState:
    """An item of an attempt as the navigation shows it."""

    position: int
    kind: str  # question | task
    state: str  # unanswered | answered | submitted | final (an adaptive answer)
    title: str
    number: int = 0  # as the candidate counts: questions 1.., then tasks 1..


def draw_items(
    session: DbSession,
    blueprint: AssessmentBlueprint,
    seed: int,
    *,
    organization_id: int | None = None,
) -> list[AttemptItem]:
    """Draw an attempt's items for ``blueprint``: reproducible from ``seed``, shuffled.
    ``organization_id``: the questions that organisation retired are never drawn."""
    rng = random.Random(seed)
    competencies = session.scalars(sa.select(Competency.code).order_by(Competency.position)).all()
    counts = {code: int(blueprint.questions_per_competency.get(code, 0)) for code in competencies}
    wanted = [code for code in competencies if counts[code] > 0]
    retired = sa.select(RetiredQuestion.question_key).where(
        RetiredQuestion.organization_id == organization_id
    )
    # the draw needs only which questions there are (each competency's in key order) and,
    # for those drawn, how many options to shuffle: not every question's texts and answers
    pools: dict[str, list[tuple[int, str]]] = {code: [] for code in wanted}
    for question_id, code, qtype in session.execute(
        sa.select(Question.id, Question.competency_code, Question.type)
        .where(
            Question.is_current,
            Question.competency_code.in_(wanted),
            Question.grade == blueprint.grade,
            sa.true() if organization_id is None else Question.key.not_in(retired),
        )
        .order_by(Question.competency_code, Question.key)
    ):
        pools[code].append((question_id, qtype))
    questions: list[tuple[int, str]] = []
    for code in wanted:
        pool = pools[code]
        questions.extend(rng.sample(pool, min(counts[code], len(pool))))
    rng.shuffle(questions)
    tasks = blueprints.draw_tasks(session, blueprint, rng)
    shuffled = [question_id for question_id, qtype in questions if qtype in CHOICE_TYPES]
    bodies = sa.select(Question.id, Question.body).where(Question.id.in_(shuffled))
    options = dict(session.execute(bodies).tuples().all()) if shuffled else {}
    items: list[AttemptItem] = []
    for question_id, _type in questions:
        order = None
        if question_id in options:  # a choice question: its options in the attempt's order
            order = list(range(len(options[question_id]["options"])))
            rng.shuffle(order)
        items.append(
            AttemptItem(position=len(items) + 1, question_id=question_id, option_order=order)
        )
    for task in tasks:
        items.append(AttemptItem(position=len(items) + 1, task_id=task.id))
    return items


_ITEMS: sa.Table = AttemptItem.__table__  # type: ignore[assignment]
MAX_EXTRA_PERCENT = 200  # extra time, in total, as a share of the time limit


def extra_minutes(limit_minutes: int, percent: int, minutes: int) -> int:
    """Whole minutes of extra time for a share of ``limit_minutes`` plus ``minutes`` (the
    share rounded up: a candidate never gets less than granted)."""
    return -(-limit_minutes * percent // 100) + minutes


def start_attempt(
    session: DbSession, invitation: Invitation, now: datetime | None = None, seed: int | None = None
) -> Attempt:
    """Start the one attempt an invitation allows; a second is refused."""
    now = now or utcnow()
    if invitation.attempt is not None:
        raise Conflict("an attempt was already started with this invitation")
    grade = invitation.position.grade
    blueprint = blueprints.effective(session, invitation.position.organization_id, grade)
    if blueprint is None:
        raise NotFound(f"no assessment is defined for the {grade.value} grade yet")
    seed = secrets.randbits(48) if seed is None else seed
    organization_id = invitation.position.organization_id
    config = adaptive.settings(session, blueprint, organization_id) if blueprint.adaptive else None
    if config is None:
        items = draw_items(session, blueprint, seed, organization_id=organization_id)
        questions = any(item.question_id is not None for item in items)
    else:  # the tasks after the positions kept for the questions, drawn one at a time
        tasks = blueprints.draw_tasks(session, blueprint, random.Random(seed))
        items = [
            AttemptItem(position=config["slots"] + n, task_id=task.id)
            for n, task in enumerate(tasks, start=1)
        ]
        questions = config["slots"] > 0
    tasks_drawn = any(item.task_id is not None for item in items)
    if not questions and not tasks_drawn:
        raise NotFound("the challenge bank has no items for this grade yet")
    extra = min(  # the ceiling again: the time limit may have been lowered since the grant
        extra_minutes(
            blueprint.time_limit_minutes, invitation.extra_time_percent, invitation.extra_minutes
        ),
        blueprint.time_limit_minutes * MAX_EXTRA_PERCENT // 100,
    )
    attempt = Attempt(
        invitation=invitation,
        grade=grade,
        seed=seed,
        started_at=now,
        deadline_at=now + timedelta(minutes=blueprint.time_limit_minutes + extra),
        extra_minutes=extra,
        break_minutes=_break_minutes(blueprint, questions and tasks_drawn),
        session_hash=secrets.token_hex(16),
        adaptive=config,
    )
    session.add(attempt)
    session.flush()
    # the items in one statement in every database (the ORM would insert them one at a
    # time in SQLite, to read each id back); ``attempt.items`` loads them when asked
    rows = [
        {"attempt_id": attempt.id, "position": item.position, "question_id": item.question_id,
         "task_id": item.task_id, "option_order": item.option_order}
        for item in items
    ]  # fmt: skip
    if rows:  # an adaptive quiz without tasks has none yet
        session.connection().execute(sa.insert(_ITEMS), rows)
    if config is not None and questions:
        adaptive.draw_next(session, attempt)
    return attempt


def _break_minutes(blueprint: AssessmentBlueprint, both: bool) -> int:
    """The break the attempt may take between its sections: the blueprint's, when the
    attempt has ``both`` questions and tasks (one section needs no break)."""
    if not both:
        return 0
    return min(max(0, blueprint.break_minutes or 0), sections.MAX_BREAK_MINUTES)


def is_open(attempt: sections.Clock, now: datetime | None = None, grace: int = 0) -> bool:
    """Whether the attempt still accepts work at ``now``."""
    now = now or utcnow()
    return attempt.state is AttemptState.STARTED and now <= sections.deadline(
        attempt, now
    ) + timedelta(seconds=grace)


def close_if_due(session: DbSession, attempt: Attempt, now: datetime | None = None) -> bool:
    """Close an attempt whose deadline passed; everything saved before it counts."""
    now = now or utcnow()
    if attempt.state is AttemptState.STARTED:
        sections.settle(session, attempt, now)  # a break past its limit ends first
    due = sections.deadline(attempt, now) + timedelta(seconds=GRACE_SECONDS)
    if attempt.state is AttemptState.STARTED and now > due:
        attempt.state = AttemptState.EXPIRED
        attempt.finished_at = attempt.deadline_at
        webhooks.emit(session, webhooks.ATTEMPT_FINISHED, attempt)
        return True
    return False


def finish_attempt(session: DbSession, attempt: Attempt, now: datetime | None = None) -> None:
    """The candidate ends the attempt early; nothing more is accepted."""
    now = now or utcnow()
    if close_if_due(session, attempt, now):
        return
    if attempt.state is not AttemptState.STARTED:
        raise AttemptClosed("this assessment is already finished")
    attempt.state = AttemptState.FINISHED
    attempt.finished_at = now
    webhooks.emit(session, webhooks.ATTEMPT_FINISHED, attempt)


def check_workspace(session: DbSession, task_id: int, code: str, kind: str | None = None) -> None:
    """Refuse, with the reason, code that a workspace task (a project) cannot hold; other
    kinds save any text (a draft may be half-written). ``kind``: the task's, when known."""
    if kind is None:
        kind = session.scalar(sa.select(CodingTask.kind).where(CodingTask.id == task_id))
    if kind is None or not kinds.view(kind).workspace:
        return
    spec = session.scalar(sa.select(CodingTask.spec).where(CodingTask.id == task_id))
    problem = kinds.workspace_problem(spec or {}, code)
    if problem is not None:
        raise ValidationFailed(problem, {"code": problem})


def item_at(attempt: Attempt, position: int) -> AttemptItem:
    """The attempt's item at ``position``, or NotFound."""
    for item in attempt.items:
        if item.position == position:
            return item
    raise NotFound("no such item in this assessment")


def require_open(attempt: sections.Clock, now: datetime) -> None:
    """Refuse work on a closed attempt (with a short grace for in-flight saves)."""
    if not is_open(attempt, now, grace=GRACE_SECONDS):
        raise AttemptClosed("the time for this assessment is over; your saved answers count")


def question_view(
    question: Question, item: AttemptItem, seed: int, locale: str = "en"
) -> dict[str, Any]:
    """What the candidate sees of a question, in their language: options in the attempt's
    own order."""
    view = candidate_view(question.type, question.body, seed=seed, answer=question.answer)
    view = texts.question_view(question, view, locale)
    if item.option_order is not None and "options" in view:
        view["options"] = [view["options"][i] for i in item.option_order]
    return view


def _validate_response(question: SaveQuestion, item: SaveItem, response: Any) -> Any:
    """Check the shape of a response and map displayed option indices back to the bank's."""
    qtype = question.type
    if response is None:
        return None
    if qtype == "single":
        count = len(question.body["options"])
        if type(response) is not int or not 0 <= response < count:
            raise ValidationFailed("choose one of the options", {"response": "invalid option"})
        return (item.option_order or list(range(count)))[response]
    if qtype == "multiple":
        count = len(question.body["options"])
        if not isinstance(response, list) or any(
            type(r) is not int or not 0 <= r < count for r in response
        ):
            raise ValidationFailed("choose among the options", {"response": "invalid options"})
        order = item.option_order or list(range(count))
        return sorted({order[r] for r in response})
    if qtype == "ordering":
        items = list(question.body["items"])
        if not isinstance(response, list) or sorted(map(str, response)) != sorted(items):
            raise ValidationFailed("order every item once", {"response": "not a full order"})
        return [str(r) for r in response]
    if qtype == "bug-line":
        if type(response) is not int or response < 1:
            raise ValidationFailed("give a line number", {"response": "not a line number"})
        return response
    if not isinstance(response, str) or len(response) > MAX_TEXT_ANSWER:
        raise ValidationFailed(
            f"an answer is text of at most {MAX_TEXT_ANSWER} characters",
            {"response": "too long"},
        )
    return check_text(response, "response")


def save_answer(
    session: DbSession,
    attempt: Saving,
    position: int,
    response: Any,
    revision: int,
    now: datetime | None = None,
    target: SaveTarget | None = None,
) -> Saved:
    """Save (or replace) the answer to a question; refuse after the deadline.

    ``revision`` is the page's own counter: a retried save of an older revision never
    overwrites a newer one, so answers arriving out of order cannot lose work. ``target``:
    the item at ``position`` as already read (else it is read here).
    """
    now = now or utcnow()
    require_open(attempt, now)
    item, question, _ = save_target(session, attempt, position, target)
    if question is None:
        raise ValidationFailed("this item is a coding task", {"position": "not a question"})
    sections.require(attempt, "question", now)
    adaptive.require_changeable(session, attempt.adaptive is not None, item.id, item.final_at)
    stored = _validate_response(question, item, response)
    score = score_response(question.type, question.body, question.answer, stored)
    row = upsert_newer_columns(
        session,
        Answer,
        {"attempt_id": attempt.id, "question_id": question.id},
        {"response": stored, "score": score, "revision": max(1, revision), "saved_at": now},
        newer=lambda new, old: new.revision >= old.revision,
        returning=SAVED,
    )
    return Saved(row.revision, row.saved_at)


def save_draft(
    session: DbSession,
    attempt: Saving,
    position: int,
    code: str,
    revision: int | None,
    now: datetime | None = None,
    changes: recording.Batch | None = None,
    target: SaveTarget | None = None,
) -> Saved:
    """Autosave the code of a coding task (newer revisions win; None: always, as the next),
    with the editor's changes since the last save for playback. ``target``: the item at
    ``position`` as already read (else it is read here)."""
    now = now or utcnow()
    require_open(attempt, now)
    item, _, task_kind = save_target(session, attempt, position, target)
    if item.task_id is None:
        raise ValidationFailed("this item is a question", {"position": "not a coding task"})
    sections.require(attempt, "task", now)
    if len(check_text(code, "code").encode("utf-8")) > MAX_CODE_BYTES:
        raise ValidationFailed("code is limited to 256 KB", {"code": "too large"})
    check_workspace(session, item.task_id, code, task_kind)
    values = {"code": code, "revision": max(1, revision or 1), "saved_at": now}
    key = {"attempt_id": attempt.id, "task_id": item.task_id}
    if changes is not None:
        recording.record(session, attempt.id, item.task_id, changes, now)
    if revision is None:
        row = upsert_newer_columns(
            session,
            CodeDraft,
            key,
            values,
            newer=lambda new, old: sa.true(),
            on_conflict={**values, "revision": lambda new, old: old.revision + 1},
            returning=SAVED,
        )
    else:
        row = upsert_newer_columns(
            session,
            CodeDraft,
            key,
            values,
            newer=lambda new, old: new.revision >= old.revision,
            returning=SAVED,
        )
    return Saved(row.revision, row.saved_at)


_ITEM_STATES = (
    sa.select(
        AttemptItem.position, AttemptItem.question_id, AttemptItem.task_id, AttemptItem.final_at,
        Answer.response, CodingTask.title,
        sa.exists().where(
            Submission.attempt_id == AttemptItem.attempt_id,
            Submission.task_id == AttemptItem.task_id,
            Submission.kind == SubmissionKind.FINAL,
        ).label("submitted"),
        sa.exists().where(
            CodeDraft.attempt_id == AttemptItem.attempt_id,
            CodeDraft.task_id == AttemptItem.task_id,
        ).label("drafted"),
    )
    .select_from(AttemptItem)
    .outerjoin(Answer, sa.and_(Answer.attempt_id == AttemptItem.attempt_id,
                               Answer.question_id == AttemptItem.question_id))
    .outerjoin(CodingTask, CodingTask.id == AttemptItem.task_id)
    .where(AttemptItem.attempt_id == sa.bindparam("attempt", type_=sa.Integer))
    .order_by(AttemptItem.position)
)  # fmt: skip


def item_states(session: DbSession, attempt: Attempt) -> list[ItemState]:
    """Each item's state for the navigation (unanswered, answered, submitted or final) and
    each task's title, in one statement."""
    states: list[ItemState] = []
    counted = {"question": 0, "task": 0}
    for row in session.execute(_ITEM_STATES, {"attempt": attempt.id}):
        kind = "question" if row.question_id is not None else "task"
        counted[kind] += 1
        if kind == "question":
            state = (
                "final"
                if row.final_at is not None
                else "answered"
                if row.response is not None
                else "unanswered"
            )
        else:
            state = "submitted" if row.submitted else "answered" if row.drafted else "unanswered"
        states.append(ItemState(row.position, kind, state, row.title or "", counted[kind]))
    return states


def saved_response(
    session: DbSession, attempt: Attempt, item: AttemptItem, question: Question
) -> Any:
    """The saved answer as the page shows it (option indices in the attempt's order)."""
    answer = session.scalar(
        sa.select(Answer).where(Answer.attempt_id == attempt.id, Answer.question_id == question.id)
    )
    if answer is None or answer.response is None:
        return None
    response = answer.response
    order = item.option_order
    if question.type == "single" and order is not None:
        return order.index(response) if response in order else None
    if question.type == "multiple" and order is not None:
        return sorted(order.index(r) for r in response if r in order)
    return response


def close_overdue(session: DbSession, now: datetime | None = None, limit: int = 200) -> list[int]:
    """Close attempts whose deadline has passed (the candidate may never come back).

    Returns the ids closed; the caller recomputes their scorecards and commits.
    """
    now = now or utcnow()
    overdue = session.scalars(
        sa.select(Attempt)
        .where(
            Attempt.state == AttemptState.STARTED,
            Attempt.deadline_at < now - timedelta(seconds=GRACE_SECONDS),
        )
        .order_by(Attempt.deadline_at)
        .limit(limit)
    ).all()
    return [attempt.id for attempt in overdue if close_if_due(session, attempt, now)]


SAVED = ("revision", "saved_at")  # what a save reports back


def save_target(
    session: DbSession, attempt: Saving, position: int, target: SaveTarget | None = None
) -> tuple[SaveItem, SaveQuestion | None, str | None]:
    """The item at ``position`` with its question or its task's kind: ``target`` when the
    caller read it with the attempt, else one statement; NotFound when there is none."""
    if target is None:
        found = read_save(session, attempt.id, position)
        target = found.target if found is not None else SaveTarget(None, None, None)
    if target.item is None or target.item.attempt_id != attempt.id:
        raise NotFound("no such item in this assessment")
    return target.item, target.question, target.task_kind
