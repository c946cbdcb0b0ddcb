"""The bank as typed values: what the parser produces and the loader stores.

Everything here is plain data (frozen dataclasses); nothing touches a database or Flask.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assess.bank.hashing import content_hash
from assess.bank.source import BankIssue
from sandbox import kinds as sandbox_kinds

COMPETENCY_CODES: tuple[str, ...] = (
    "PY",
    "ASYNC",
    "WEB",
    "SQL",
    "NOSQL",
    "API",
    "TEST",
    "VCS",
    "DOCKER",
    "OPS",
    "SEC",
    "PERF",
    "INTEG",
    "ENG",
    "SOFT",
)
GRADES: tuple[str, ...] = ("junior", "middle", "senior")
GRADE_LETTERS: dict[str, str] = {"j": "junior", "m": "middle", "s": "senior"}
WEIGHT_CLASSES: tuple[str, ...] = ("required", "desirable", "advantage")
QUESTION_TYPES: tuple[str, ...] = (
    "single",
    "multiple",
    "exact",
    "ordering",
    "code-output",
    "bug-line",
)
CHOICE_TYPES: tuple[str, ...] = ("single", "multiple")  # answered by choosing listed options
LANGUAGES: tuple[str, ...] = (
    "python",
    "sql",
    "text",
    "bash",
    "yaml",
    "json",
    "http",
    "dockerfile",
    "log",
    "diff",
)
MATCH_MODES: tuple[str, ...] = ("text", "casefold", "number")
TASK_KINDS: tuple[str, ...] = sandbox_kinds.names()


@dataclass(frozen=True)
class CompetencySpec:
    """One competency of the job, from ``competencies.yaml``."""

    code: str
    name: str
    weight_class: str
    description: str
    position: int


@dataclass(frozen=True)
class GradeSpec:
    """One grade, from ``grades.yaml``: the bar a required competency must reach."""

    code: str
    rank: int
    name: str
    experience: str
    description: str
    threshold: float
    min_evidence: int


@dataclass(frozen=True)
class BlueprintSpec:
    """The default assessment of one grade, from ``blueprints.yaml``."""

    grade: str
    time_limit_minutes: int
    questions_per_competency: dict[str, int]
    task_kinds: list[str]
    task_count: int | None = None  # how many tasks are drawn from the kinds; None: one per kind


@dataclass(frozen=True)
class QuestionSpec:
    """A quiz question exactly as the bank file states it, defaults filled in.

    ``answer`` is normalised per type: an int (single), a sorted list of ints (multiple),
    a list of accepted strings (exact), the items in the correct order (ordering), the
    printed text (code-output), a sorted list of line numbers (bug-line).
    """

    id: str
    competency: str
    grade: str
    type: str
    weights: dict[str, float]
    prompt: str
    explanation: str
    answer: Any
    code: str | None = None
    language: str = "python"
    options: list[str] | None = None
    items: list[str] | None = None
    match: str | None = None
    source: str = ""
    ru: dict[str, Any] | None = None

    def body(self) -> dict[str, Any]:
        """What the database keeps beside the answer: everything needed to show and score.

        Ordering items are stored in a fixed scrambled order so that the body alone never
        reveals the correct order (the order lives in ``answer``).
        """
        body: dict[str, Any] = {"prompt": self.prompt}
        if self.code is not None:
            body["code"] = self.code
            body["language"] = self.language
        if self.options is not None:
            body["options"] = list(self.options)
        if self.items is not None:
            body["items"] = scrambled(self.items, self.id)
        if self.match is not None:
            body["match"] = self.match
        return body

    def content(self) -> dict[str, Any]:
        """The canonical content that the version hash covers."""
        return {
            "id": self.id,
            "competency": self.competency,
            "grade": self.grade,
            "type": self.type,
            "weights": self.weights,
            "prompt": self.prompt,
            "code": self.code,
            "language": self.language if self.code is not None else None,
            "options": self.options,
            "items": self.items,
            "match": self.match,
            "answer": self.answer,
            "explanation": self.explanation,
            **({"ru": self.ru} if self.ru is not None else {}),
        }

    @property
    def content_hash(self) -> str:
        """sha256 of the canonical JSON of :meth:`content`."""
        return content_hash(self.content())

    def ru_body(self) -> dict[str, Any] | None:
        """The Russian text the database keeps beside the body, or None when untranslated.

        Options keep their order (answers index both languages); items follow the body's
        scrambled order, so ``ru["items"][i]`` translates ``body["items"][i]`` and the
        stored translation never reveals the correct order either.
        """
        if self.ru is None:
            return None
        stored: dict[str, Any] = {
            "prompt": self.ru["prompt"],
            "explanation": self.ru["explanation"],
        }
        if self.options is not None and "options" in self.ru:
            stored["options"] = list(self.ru["options"])
        if self.items is not None and "items" in self.ru:
            by_item = dict(zip(self.items, self.ru["items"], strict=True))
            stored["items"] = [by_item[item] for item in scrambled(self.items, self.id)]
        if "answer" in self.ru:
            stored["answer"] = list(self.ru["answer"])
        return stored


@dataclass(frozen=True)
class InterviewSpec:
    """A structured-interview question with anchors ``"1"`` .. ``"4"``."""

    id: str
    competency: str
    grade: str
    question: str
    follow_ups: list[str]
    anchors: dict[str, str]
    source: str = ""
    ru: dict[str, Any] | None = None

    def content(self) -> dict[str, Any]:
        """The canonical content that the version hash covers."""
        return {
            "id": self.id,
            "competency": self.competency,
            "grade": self.grade,
            "question": self.question,
            "follow_ups": self.follow_ups,
            "anchors": self.anchors,
            **({"ru": self.ru} if self.ru is not None else {}),
        }

    @property
    def content_hash(self) -> str:
        """sha256 of the canonical JSON of :meth:`content`."""
        return content_hash(self.content())


@dataclass(frozen=True)
class TaskEntry:
    """A coding task folder, validated; ``spec`` rebuilds the sandbox's task."""

    slug: str
    title: str
    grade: str
    kind: str
    weights: dict[str, float]
    module: str
    limits: dict[str, float]
    time_minutes: int
    statement_md: str
    starter_code: str
    visible_tests: str
    path: Path
    content_hash: str
    sandbox_hash: str
    spec: dict[str, Any]
    source: str = ""
    statement_ru_md: str = ""  # statement.ru.md, shown to candidates who chose Russian
    title_ru: str = ""


@dataclass
class Bank:
    """Everything read from ``challenges/``, with every issue found on the way."""

    root: Path
    competencies: list[CompetencySpec] = field(default_factory=list)
    grades: list[GradeSpec] = field(default_factory=list)
    blueprints: list[BlueprintSpec] = field(default_factory=list)
    questions: list[QuestionSpec] = field(default_factory=list)
    interview: list[InterviewSpec] = field(default_factory=list)
    tasks: list[TaskEntry] = field(default_factory=list)
    issues: list[BankIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no issue was found."""
        return not self.issues

    def task(self, slug: str) -> TaskEntry | None:
        """The task with ``slug``, if the bank has it."""
        return next((t for t in self.tasks if t.slug == slug), None)


def scrambled(items: list[str], seed: str) -> list[str]:
    """A deterministic order of ``items`` that differs from the given one (when it can)."""
    keyed = sorted(items, key=lambda item: content_hash([seed, item]))
    if keyed == list(items) and len(items) > 1:
        keyed = keyed[1:] + keyed[:1]
    return keyed
