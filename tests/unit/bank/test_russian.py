"""Russian text in bank files: the ``ru:`` mappings of questions and interview kits."""

from __future__ import annotations

from pathlib import Path

import pytest

from assess.bank.reader import read_bank
from assess.bank.russian import missing_russian
from tests.unit.bank.bankfiles import SAMPLE_INTERVIEW_EN as SAMPLE_INTERVIEW
from tests.unit.bank.bankfiles import make_bank

HEAD = "competency: PY\nquestions:\n"
SINGLE = """\
  - id: py-j-001
    grade: junior
    type: single
    prompt: Pick one.
    options: [a, b, c]
    answer: 1
    explanation: Plain.
"""
RU_SINGLE = """\
    ru:
      prompt: Выберите один.
      options: [а, б, в]
      explanation: Просто.
"""
ORDERING = """\
  - id: py-m-001
    grade: middle
    type: ordering
    prompt: Order them.
    items: [first, second, third, fourth]
    explanation: In order.
    ru:
      prompt: Упорядочите.
      items: [первый, второй, третий, четвёртый]
      explanation: По порядку.
"""
EXACT = """\
  - id: py-m-002
    grade: middle
    type: exact
    match: casefold
    prompt: Which keyword defines a function?
    answer: def
    explanation: def.
    ru:
      prompt: Какое ключевое слово определяет функцию?
      explanation: def.
      answer: [деф]
"""


def read(tmp_path: Path, text: str, interview: str | None = None) -> tuple[list[str], object]:
    """Issues (as text) and the bank read from one PY file (and an optional SQL kit)."""
    root = make_bank(tmp_path, {"PY": HEAD + text}, {"SQL": interview} if interview else {})
    bank = read_bank(root, tasks=False)
    return [str(i) for i in bank.issues], bank


def line_of(text: str, needle: str) -> int:
    """1-based line of ``needle`` in the file ``HEAD + text``."""
    full = HEAD + text
    return next(n for n, line in enumerate(full.splitlines(), 1) if needle in line)


def test_a_translated_single_question_is_kept_with_its_text(tmp_path: Path) -> None:
    """ru prompt, options and explanation are read; the answer index is unchanged."""
    issues, bank = read(tmp_path, SINGLE + RU_SINGLE)
    assert issues == []
    (question,) = bank.questions  # type: ignore[attr-defined]
    assert question.ru == {
        "prompt": "Выберите один.",
        "explanation": "Просто.",
        "options": ["а", "б", "в"],
    }
    assert question.answer == 1


def test_ordering_items_are_stored_in_the_bodys_scrambled_order(tmp_path: Path) -> None:
    """ru items line up with the stored body's scrambled items, never the solved order."""
    issues, bank = read(tmp_path, ORDERING)
    assert issues == []
    (question,) = bank.questions  # type: ignore[attr-defined]
    body, ru = question.body(), question.ru_body()
    english = ["first", "second", "third", "fourth"]
    russian = ["первый", "второй", "третий", "четвёртый"]
    assert body["items"] != english
    assert ru["items"] == [russian[english.index(item)] for item in body["items"]]


def test_exact_russian_answers_are_accepted_beside_the_english_ones(tmp_path: Path) -> None:
    """ru.answer adds accepted strings; the English answer still counts."""
    issues, bank = read(tmp_path, EXACT)
    assert issues == []
    (question,) = bank.questions  # type: ignore[attr-defined]
    assert question.answer == ["def", "деф"]


def test_a_translation_changes_the_content_hash_and_none_keeps_the_old_one(
    tmp_path: Path,
) -> None:
    """An untranslated item hashes as before; adding or editing ru gives a new hash."""
    _, plain = read(tmp_path / "a", SINGLE)
    _, translated = read(tmp_path / "b", SINGLE + RU_SINGLE)
    _, edited = read(tmp_path / "c", SINGLE + RU_SINGLE.replace("Просто.", "Иначе."))
    hashes = {b.questions[0].content_hash for b in (plain, translated, edited)}  # type: ignore[attr-defined]
    assert len(hashes) == 3
    assert "ru" not in plain.questions[0].content()  # type: ignore[attr-defined]


CASES = {
    "unknown key": (
        RU_SINGLE + "      hint: нет\n",
        "hint: нет",
        "question py-j-001 ru: unknown key 'hint'",
    ),
    "missing explanation": (
        RU_SINGLE.replace("      explanation: Просто.\n", ""),
        "prompt: Выберите",
        "question py-j-001 ru: missing required key 'explanation'",
    ),
    "missing options": (
        RU_SINGLE.replace("      options: [а, б, в]\n", ""),
        "prompt: Выберите",
        "question py-j-001 ru: missing required key 'options'",
    ),
    "option count": (
        RU_SINGLE.replace("[а, б, в]", "[а, б]"),
        "options: [а, б]",
        "question py-j-001 ru: ru.options must have the same 3 entries as options, "
        "in the same order (got 2)",
    ),
    "items on a single question": (
        RU_SINGLE + "      items: [x, y, z]\n",
        "items: [x, y, z]",
        "question py-j-001 ru: items is not translated for this type",
    ),
    "answer on a single question": (
        RU_SINGLE + "      answer: 1\n",
        "      answer: 1",
        "question py-j-001 ru: answer is translated only for exact questions whose answers "
        "are words",
    ),
    "not a mapping": (
        "    ru: Выберите\n",
        "ru: Выберите",
        "question py-j-001: ru must be a mapping (prompt, explanation, ...)",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_each_mistake_in_ru_is_reported_at_its_line(tmp_path: Path, case: str) -> None:
    """Bad Russian text is reported as file:line: message and the question is dropped."""
    ru, needle, message = CASES[case]
    issues, bank = read(tmp_path, SINGLE + ru)
    assert f"challenges/questions/PY.yaml:{line_of(SINGLE + ru, needle)}: {message}" in issues
    assert bank.questions == []  # type: ignore[attr-defined]


def test_a_number_answer_is_never_translated(tmp_path: Path) -> None:
    """ru.answer on match: number is an error (numbers are language-neutral)."""
    text = EXACT.replace("match: casefold", "match: number").replace("answer: def", 'answer: "2"')
    issues, _ = read(tmp_path, text)
    assert any("answer is translated only for exact questions" in i for i in issues)


RU_KIT = """\
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


def test_an_interview_translation_is_read(tmp_path: Path) -> None:
    """question, follow_ups and anchors 1-4 in Russian."""
    issues, bank = read(tmp_path, SINGLE + RU_SINGLE, SAMPLE_INTERVIEW + RU_KIT)
    assert issues == []
    (kit,) = bank.interview  # type: ignore[attr-defined]
    assert kit.ru["anchors"]["4"] == "Также объясняет фильтры в ON и WHERE."
    assert kit.ru["follow_ups"] == ["Что происходит со строками без пары?"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "        - Что происходит со строками без пары?\n",
            "        - Что происходит со строками без пары?\n        - А с NULL?\n",
            "ru.follow_ups must have the same 1 entries",
        ),
        ("        4: Также объясняет фильтры в ON и WHERE.\n", "", "anchors missing for score 4"),
        (
            "      question: |\n        Объясните LEFT JOIN.\n",
            "",
            "missing required key 'question'",
        ),
        ("        4: Также", "        5: Также", "anchor 5 is not a score 1..4"),
    ],
)
def test_interview_translation_mistakes_are_reported(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    """Follow-up count, anchor keys and the question are checked."""
    issues, bank = read(tmp_path, SINGLE + RU_SINGLE, SAMPLE_INTERVIEW + RU_KIT.replace(old, new))
    assert any(i.startswith("challenges/interview/SQL.yaml:") and message in i for i in issues)
    assert bank.interview == []  # type: ignore[attr-defined]


def test_missing_russian_names_every_untranslated_item(tmp_path: Path) -> None:
    """The check lists each question and kit without ru at its own line."""
    _, bank = read(tmp_path, SINGLE + RU_SINGLE + ORDERING.split("    ru:")[0], SAMPLE_INTERVIEW)
    found = [str(i) for i in missing_russian(bank)]  # type: ignore[arg-type]
    assert found == [
        f"challenges/questions/PY.yaml:{line_of(SINGLE + RU_SINGLE + ORDERING, 'py-m-001')}: "
        "question py-m-001: no Russian text (ru:)",
        "challenges/interview/SQL.yaml:3: interview question sql-iv-j-01: no Russian text (ru:)",
    ]
