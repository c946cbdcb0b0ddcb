"""The text of a bank item in the reader's language: Russian where the item has it, else
English. Answers are indices and English item values in both languages, so only what is
shown changes; scoring never depends on the language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assess.models import CodingTask, InterviewQuestion, Question


def _russian(ru: Any, locale: str) -> dict[str, Any] | None:
    """The stored Russian mapping when the reader chose Russian."""
    return ru if locale == "ru" and isinstance(ru, dict) else None


def question_view(question: Question, view: dict[str, Any], locale: str) -> dict[str, Any]:
    """A candidate view (:func:`assess.bank.candidate.candidate_view`, options still in the
    bank's order) with its prompt, options and ordering labels in ``locale``. Ordering items
    keep their English values (what is saved and scored); ``item_labels`` maps each value to
    the text shown."""
    ru = _russian(question.ru, locale)
    shown = dict(view)
    items = list(view.get("items") or [])
    shown["item_labels"] = {item: item for item in items}
    if ru is None:
        return shown
    shown["prompt"] = ru.get("prompt", view["prompt"])
    if "options" in view:
        shown["options"] = options(question, locale)
    body_items = list(question.body.get("items") or [])
    if items and len(ru.get("items") or []) == len(body_items):
        labels = dict(zip(body_items, ru["items"], strict=True))
        shown["item_labels"] = {item: labels.get(item, item) for item in items}
    return shown


def task_text(task: CodingTask, locale: str) -> tuple[str, str]:
    """The task's title and statement in ``locale`` (English when the task has no text in
    it)."""
    if locale == "ru" and task.statement_ru_md and task.title_ru:
        return task.title_ru, task.statement_ru_md
    return task.title, task.statement_md


def prompt(question: Question, locale: str) -> str:
    """The question's prompt in ``locale``."""
    ru = _russian(question.ru, locale)
    return str(ru.get("prompt") or question.body["prompt"]) if ru else question.body["prompt"]


def options(question: Question, locale: str) -> list[str]:
    """A choice question's option texts in the bank's order, in ``locale`` (English when
    the item has no Russian options of the same count)."""
    shown = list(question.body.get("options") or [])
    ru = _russian(question.ru, locale)
    translated = ru.get("options") if ru else None
    if isinstance(translated, list) and len(translated) == len(shown):
        return list(translated)
    return shown


def explanation(question: Question, locale: str) -> str:
    """The question's explanation in ``locale``."""
    ru = _russian(question.ru, locale)
    return str(ru.get("explanation") or question.explanation) if ru else question.explanation


@dataclass(frozen=True)
class KitText:
    """An interview question as the interviewer reads it."""

    question: str
    follow_ups: list[str]
    anchors: dict[str, str]


def kit_question(question: InterviewQuestion, locale: str) -> KitText:
    """An interview question, its follow-ups and anchors in ``locale``."""
    ru = _russian(question.ru, locale)
    english = KitText(question.question, list(question.follow_ups or []), dict(question.anchors))
    if ru is None:
        return english
    follow_ups = list(ru.get("follow_ups") or [])
    anchors = ru.get("anchors") if isinstance(ru.get("anchors"), dict) else None
    return KitText(
        str(ru.get("question") or english.question),
        follow_ups if len(follow_ups) == len(english.follow_ups) else english.follow_ups,
        {str(k): str(v) for k, v in anchors.items()} if anchors else english.anchors,
    )
