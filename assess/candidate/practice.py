"""The practice round before the clock: one short question of each type and one tiny coding
task, on the same widgets as the assessment. Nothing here comes from the bank or is scored:
checking an answer says right or not and why, for the candidate only; staff learn only that
the candidate practised (``Invitation.practised_at``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from assess.bank.candidate import candidate_view
from assess.bank.scoring import score_response
from assess.grading.sandbox_service import get_sandbox
from sandbox import RunResult, SandboxConfig, TaskSpec

MODULE = "practice"
RUNS_PER_MINUTE = 6  # per invitation: the practice task shares the graders' sandbox


@dataclass(frozen=True)
class PracticeQuestion:
    """One practice question: a bank-shaped body and answer, and the word said afterwards."""

    type: str
    body: dict[str, Any]
    answer: Any
    explanation: str
    labels: dict[str, str] | None = None  # ordering: what each value is shown as


def questions() -> list[PracticeQuestion]:
    """The practice questions in the reader's language, one of each question type."""
    steps = {
        "read": _("Read the task's statement"),
        "write": _("Write your code in the editor"),
        "run": _("Run the sample tests"),
        "submit": _("Submit for grading"),
    }
    return [
        PracticeQuestion(
            "single",
            {
                "prompt": _("Which keyword starts a function definition in Python?"),
                "options": ["def", "func", "function", "define"],
            },
            0,
            _("`def` starts a function definition, as in `def greet(name):`."),
        ),
        PracticeQuestion(
            "multiple",
            {
                "prompt": _("Which of these are built-in types of Python? Select all that apply."),
                "options": ["list", "dict", "vector", "tuple"],
            },
            [0, 1, 3],
            _("`list`, `dict` and `tuple` are built in; `vector` is not a Python type."),
        ),
        PracticeQuestion(
            "exact",
            {"prompt": _("What is the value of `len([10, 20, 30])`?"), "match": "number"},
            ["3"],
            _("The list has three elements, so its length is 3."),
        ),
        PracticeQuestion(
            "ordering",
            {
                "prompt": _("Put the steps of a coding task in the order you would take them."),
                "items": list(steps),
            },
            ["read", "write", "run", "submit"],
            _("Read, write, run the sample tests, and submit when they pass."),
            steps,
        ),
        PracticeQuestion(
            "code-output",
            {
                "prompt": _("What does this code print?"),
                "code": "for i in range(3):\n    print(i * 2)\n",
            },
            "0\n2\n4\n",
            _("`range(3)` gives 0, 1 and 2; each is doubled and printed on its own line."),
        ),
        PracticeQuestion(
            "bug-line",
            {
                "prompt": _("Which line has the bug?"),
                "code": (
                    "def average(values):\n"
                    "    total = 0\n"
                    "    for v in values:\n"
                    "        total += v\n"
                    "    return total / len(value)\n"
                ),
            },
            [5],
            _("Line 5 uses `value`, a name that does not exist: it should be `values`."),
        ),
    ]


def count() -> int:
    """How many items the round has: the questions, then the coding task."""
    return len(questions()) + 1


def question_at(position: int) -> PracticeQuestion | None:
    """The practice question at 1-based ``position``; None for the coding task or beyond."""
    items = questions()
    return items[position - 1] if 1 <= position <= len(items) else None


def view(question: PracticeQuestion) -> dict[str, Any]:
    """What the page shows of a practice question: the assessment's own view of it."""
    shown = candidate_view(question.type, question.body, seed="practice", answer=question.answer)
    items = shown.get("items", [])
    shown["item_labels"] = {item: (question.labels or {}).get(item, item) for item in items}
    return shown


def check(question: PracticeQuestion, response: Any) -> dict[str, Any]:
    """Whether ``response`` is right, with the explanation (a practice answer is kept nowhere)."""
    score = score_response(question.type, question.body, question.answer, response)
    return {"correct": score >= 1.0, "partial": 0.0 < score < 1.0,
            "explanation": question.explanation}  # fmt: skip


STARTER = '''def greet(name):
    """Return a greeting for name, such as "Hello, Ada!"."""
    return ""
'''

TESTS = """from practice import greet


def test_greets_by_name():
    assert greet("Ada") == "Hello, Ada!"


def test_greets_another_name():
    assert greet("Grace") == "Hello, Grace!"
"""


def task_text() -> tuple[str, str]:
    """The practice task's title and statement (Markdown) in the reader's language."""
    title = _("Practice task: a greeting")
    statement = _(
        "Write `greet(name)` so that it returns `Hello, <name>!`: for example "
        '`greet("Ada")` returns `"Hello, Ada!"`.\n\n'
        "Press **Run sample tests** to check your code against the two sample tests. "
        "In the assessment, **Submit** then grades your code with hidden tests; here nothing "
        "is graded."
    )
    return title, statement


def task_spec() -> TaskSpec:
    """The sandbox's view of the practice task: its default limits, so warm spares serve it."""
    return TaskSpec(
        slug="practice",
        kind="implement",
        module=MODULE,
        title="Practice task",
        limits=SandboxConfig.from_env().limits,
        starter=STARTER,
        reference="",
        visible_tests=TESTS,
        probes="",
    )


def run(code: str) -> RunResult:
    """The sample tests on ``code`` in a fresh locked-down container, as in the assessment."""
    files = {f"{MODULE}.py": code, f"test_{MODULE}.py": TESTS}
    return get_sandbox().run_files(task_spec(), files, None)


def status(result: RunResult) -> dict[str, Any]:
    """A practice run in the shape of a sample run's status, as the page shows it."""
    return {
        "kind": "sample",
        "state": "done",
        "verdict": result.verdict.value,
        "reason": result.reason,
        "tests": [
            {"id": t.id, "passed": t.passed, "message": t.message, "stdout": t.stdout}
            for t in result.tests
        ],
        "stdout": result.stdout,
        "stderr": result.stderr,
    }
