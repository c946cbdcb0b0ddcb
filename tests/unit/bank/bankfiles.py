"""Build small challenge banks in a temporary folder for the bank's tests."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

REAL_BANK = Path(__file__).resolve().parents[3] / "challenges"

SAMPLE_PY = """\
competency: PY
questions:
  - id: py-j-001
    grade: junior
    type: single
    prompt: |
      Which built-in returns the number of items in a list?
    options:
      - len
      - size
      - count
    answer: 0
    explanation: |
      `len()` calls `__len__`.
    ru:
      prompt: |
        Какая встроенная функция возвращает число элементов списка?
      options:
        - len
        - size
        - count
      explanation: |
        `len()` вызывает `__len__`.
  - id: py-j-002
    grade: junior
    type: multiple
    evidences: {PY: 0.8, TEST: 0.2}
    prompt: |
      Which of these are immutable? Select all that apply.
    options:
      - tuple
      - list
      - frozenset
      - dict
    answer: [0, 2]
    explanation: |
      Tuples and frozensets cannot change after creation.
    ru:
      prompt: |
        Какие из этих типов неизменяемые? Выберите все подходящие.
      options:
        - tuple
        - list
        - frozenset
        - dict
      explanation: |
        Кортежи и frozenset нельзя изменить после создания.
  - id: py-m-001
    grade: middle
    type: exact
    match: number
    prompt: |
      What is `1 / 2`?
    answer: "0.5"
    explanation: |
      True division returns a float.
    ru:
      prompt: |
        Чему равно `1 / 2`?
      explanation: |
        Истинное деление возвращает float.
  - id: py-m-002
    grade: middle
    type: ordering
    prompt: |
      Order these from first evaluated to last in `a or b and c`.
    items:
      - b
      - c
      - a
    explanation: |
      `and` binds tighter than `or`.
    ru:
      prompt: |
        Расположите от вычисляемого первым к последнему в `a or b and c`.
      items:
        - b
        - c
        - a
      explanation: |
        `and` связывает сильнее, чем `or`.
  - id: py-s-001
    grade: senior
    type: code-output
    prompt: |
      What does this print?
    code: |
      print(sorted({3, 1, 2}))
    answer: |
      [1, 2, 3]
    explanation: |
      `sorted` returns a list.
    ru:
      prompt: |
        Что выведет этот код?
      explanation: |
        `sorted` возвращает список.
  - id: py-s-002
    grade: senior
    type: bug-line
    prompt: |
      Which line has the bug?
    code: |
      def add(item, bucket=[]):
          bucket.append(item)
          return bucket
    answer: 1
    explanation: |
      The default list is shared between calls.
    ru:
      prompt: |
        В какой строке ошибка?
      explanation: |
        Список по умолчанию общий для всех вызовов.
"""

SAMPLE_INTERVIEW_EN = """\
competency: SQL
questions:
  - id: sql-iv-j-01
    grade: junior
    question: |
      Explain a LEFT JOIN.
    follow_ups:
      - What happens to unmatched rows?
    anchors:
      1: Cannot explain it.
      2: Explains it with help.
      3: Explains it and NULLs.
      4: Also explains filters in ON versus WHERE.
"""

SAMPLE_INTERVIEW = (
    SAMPLE_INTERVIEW_EN
    + """\
    ru:
      question: |
        Объясните LEFT JOIN.
      follow_ups:
        - Что происходит со строками без пары?
      anchors:
        1: Не может объяснить.
        2: Объясняет с подсказками.
        3: Объясняет, включая NULL.
        4: Также объясняет фильтры в ON и WHERE.
"""
)


def correct_solutions(slug: str) -> list[str]:
    """The names of the correct solutions (``correct/``) the real task ``slug`` holds."""
    return sorted(path.name for path in (REAL_BANK / "tasks" / slug / "correct").iterdir())


def make_bank(
    tmp_path: Path,
    questions: dict[str, str] | None = None,
    interview: dict[str, str] | None = None,
    tasks: tuple[str, ...] = (),
) -> Path:
    """A bank with the real catalogs, the given question and interview files (default: the
    samples above) and copies of the named real task folders; returns its root."""
    root = tmp_path / "challenges"
    (root / "questions").mkdir(parents=True)
    (root / "interview").mkdir()
    (root / "tasks").mkdir()
    for name in ("competencies.yaml", "grades.yaml", "blueprints.yaml"):
        shutil.copy(REAL_BANK / name, root / name)
    for code, text in (questions if questions is not None else {"PY": SAMPLE_PY}).items():
        (root / "questions" / f"{code}.yaml").write_text(textwrap.dedent(text), "utf-8")
    for code, text in (interview if interview is not None else {"SQL": SAMPLE_INTERVIEW}).items():
        (root / "interview" / f"{code}.yaml").write_text(textwrap.dedent(text), "utf-8")
    for slug in tasks:
        shutil.copytree(
            REAL_BANK / "tasks" / slug,
            root / "tasks" / slug,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    return root


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (which must occur) with ``new`` in a file."""
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")
