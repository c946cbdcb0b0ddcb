"""Quiz files: every kind of mistake is reported as ``file:line: message``."""

from __future__ import annotations

from pathlib import Path

import pytest

from assess.bank.reader import read_bank
from tests.unit.bank.bankfiles import SAMPLE_PY, make_bank

HEAD = "competency: PY\nquestions:\n"
SINGLE = """\
  - id: py-j-001
    grade: junior
    type: single
    prompt: Pick one.
    options: [a, b, c]
    answer: 0
    explanation: Because.
"""


def issues_of(tmp_path: Path, text: str, name: str = "PY") -> list[str]:
    """The issues read_bank reports for a bank with one question file."""
    root = make_bank(tmp_path, questions={name: text}, interview={})
    return [str(issue) for issue in read_bank(root, tasks=False).issues]


def marked_line(text: str) -> int:
    """The 1-based line carrying the ``# <-`` marker."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if "# <-" in line)


CASES = {
    "single answer out of range": (
        SINGLE.replace("answer: 0", "answer: 7  # <-"),
        "question py-j-001: answer index 7 out of range (3 options)",
    ),
    "unknown key": (
        SINGLE + "    hint: no  # <-\n",
        "question py-j-001: unknown key 'hint'",
    ),
    "missing explanation": (
        SINGLE.replace("  - id: py-j-001", "  - id: py-j-001  # <-").replace(
            "    explanation: Because.\n", ""
        ),
        "question py-j-001: missing required key 'explanation'",
    ),
    "missing answer": (
        SINGLE.replace("  - id: py-j-001", "  - id: py-j-001  # <-").replace("    answer: 0\n", ""),
        "question py-j-001: missing required key 'answer'",
    ),
    "blank prompt": (
        SINGLE.replace("prompt: Pick one.", 'prompt: " "  # <-'),
        "question py-j-001: prompt must be a non-empty string",
    ),
    "id format": (
        SINGLE.replace("id: py-j-001", "id: py-j-1  # <-"),
        "question py-j-1: id must look like py-<j|m|s>-<3 digits>",
    ),
    "id of another competency": (
        SINGLE.replace("id: py-j-001", "id: sql-j-001  # <-"),
        "question sql-j-001: id must look like py-<j|m|s>-<3 digits>",
    ),
    "id letter against grade": (
        SINGLE.replace("id: py-j-001", "id: py-s-001  # <-"),
        "question py-s-001: id letter 's' does not match junior",
    ),
    "unknown grade": (
        SINGLE.replace("grade: junior", "grade: lead  # <-"),
        "question py-j-001: grade must be one of junior, middle, senior, got 'lead'",
    ),
    "unknown type": (
        SINGLE.replace("type: single", "type: essay  # <-"),
        "question py-j-001: type must be one of single, multiple, exact",
    ),
    "unknown competency in evidences": (
        SINGLE + "    evidences: {PY: 0.5, XX: 0.5}  # <-\n",
        "question py-j-001: unknown competency code 'XX' in evidences",
    ),
    "evidences do not sum to one": (
        SINGLE + "    evidences: {PY: 0.5, SQL: 0.2}  # <-\n",
        "question py-j-001: evidences weights must sum to 1.0, got 0.7",
    ),
    "evidences without the file's competency": (
        SINGLE + "    evidences: {SQL: 1.0}  # <-\n",
        "question py-j-001: evidences must include the file's competency PY",
    ),
    "too few options": (
        SINGLE.replace("options: [a, b, c]", "options: [a, b]  # <-"),
        "question py-j-001: options must have 3..6 entries, got 2",
    ),
    "repeated option": (
        SINGLE.replace("options: [a, b, c]", "options:\n      - a\n      - b\n      - ' a'  # <-"),
        "question py-j-001: options[2] repeats options[0]",
    ),
    "language without code": (
        SINGLE + "    language: sql  # <-\n",
        "question py-j-001: language given without code",
    ),
    "unknown language": (
        SINGLE + "    code: x\n    language: cobol  # <-\n",
        "question py-j-001: language must be one of python",
    ),
    "answer not an index": (
        SINGLE.replace("answer: 0", "answer: b  # <-"),
        "question py-j-001: answer must be an option index, got 'b'",
    ),
    "multiple selects every option": (
        SINGLE.replace("type: single", "type: multiple")
        .replace("options: [a, b, c]", "options: [a, b, c, d]")
        .replace("answer: 0", "answer: [0, 1, 2, 3]  # <-"),
        "question py-j-001: answer must not select every option",
    ),
    "multiple index out of range": (
        SINGLE.replace("type: single", "type: multiple")
        .replace("options: [a, b, c]", "options: [a, b, c, d]")
        .replace("answer: 0", "answer:\n      - 0\n      - 9  # <-"),
        "question py-j-001: answer index 9 out of range (4 options)",
    ),
    "multiple repeats an index": (
        SINGLE.replace("type: single", "type: multiple")
        .replace("options: [a, b, c]", "options: [a, b, c, d]")
        .replace("answer: 0", "answer: [1, 1]  # <-"),
        "question py-j-001: answer lists an option twice",
    ),
    "multiple answer not a list": (
        SINGLE.replace("type: single", "type: multiple")
        .replace("options: [a, b, c]", "options: [a, b, c, d]")
        .replace("answer: 0", "answer: 1  # <-"),
        "question py-j-001: answer must be a non-empty list of option indices",
    ),
    "exact with options": (
        SINGLE.replace("type: single", "type: exact").replace(
            "options: [a, b, c]", "options: [a, b, c]  # <-"
        ),
        "question py-j-001: unknown key 'options'",
    ),
    "exact unknown match": (
        SINGLE.replace("type: single", "type: exact")
        .replace("    options: [a, b, c]\n", "")
        .replace("answer: 0", "answer: x\n    match: fuzzy  # <-"),
        "question py-j-001: match must be one of text, casefold, number, got 'fuzzy'",
    ),
    "exact number answer that is no number": (
        SINGLE.replace("type: single", "type: exact")
        .replace("    options: [a, b, c]\n", "")
        .replace("answer: 0", "answer: many  # <-\n    match: number"),
        "question py-j-001: answer 'many' is not a number (match: number)",
    ),
    "exact blank answer": (
        SINGLE.replace("type: single", "type: exact")
        .replace("    options: [a, b, c]\n", "")
        .replace("answer: 0", "answer: ['ok', '']  # <-"),
        "question py-j-001: answer must be a non-empty string or a list of them",
    ),
    "ordering with an answer key": (
        SINGLE.replace("type: single", "type: ordering")
        .replace("options: [a, b, c]", "items: [a, b, c]")
        .replace("answer: 0", "answer: [a, b, c]  # <-"),
        "question py-j-001: ordering has no answer key; list items in order",
    ),
    "ordering with two items": (
        SINGLE.replace("type: single", "type: ordering")
        .replace("options: [a, b, c]", "items: [a, b]  # <-")
        .replace("    answer: 0\n", ""),
        "question py-j-001: items must have 3..7 entries, got 2",
    ),
    "code-output without code": (
        SINGLE.replace("  - id: py-j-001", "  - id: py-j-001  # <-")
        .replace("type: single", "type: code-output")
        .replace("    options: [a, b, c]\n", "")
        .replace("answer: 0", "answer: '1'"),
        "question py-j-001: code-output needs code",
    ),
    "code-output in sql": (
        SINGLE.replace("type: single", "type: code-output")
        .replace("    options: [a, b, c]\n", "    code: SELECT 1\n    language: sql  # <-\n")
        .replace("answer: 0", "answer: '1'"),
        "question py-j-001: code-output code must be python",
    ),
    "code-output answer not text": (
        SINGLE.replace("type: single", "type: code-output")
        .replace("    options: [a, b, c]\n", "    code: print(1)\n")
        .replace("answer: 0", "answer: [1]  # <-"),
        "question py-j-001: answer must be the printed text (a string)",
    ),
    "bug-line out of range": (
        SINGLE.replace("type: single", "type: bug-line")
        .replace("    options: [a, b, c]\n", "    code: |\n      a = 1\n      b = 2\n")
        .replace("answer: 0", "answer: 3  # <-"),
        "question py-j-001: answer line 3 out of range (code has 2 lines)",
    ),
    "bug-line without code": (
        SINGLE.replace("  - id: py-j-001", "  - id: py-j-001  # <-")
        .replace("type: single", "type: bug-line")
        .replace("    options: [a, b, c]\n", ""),
        "question py-j-001: bug-line needs code",
    ),
    "bug-line empty answer list": (
        SINGLE.replace("type: single", "type: bug-line")
        .replace("    options: [a, b, c]\n", "    code: |\n      a = 1\n")
        .replace("answer: 0", "answer: []  # <-"),
        "question py-j-001: answer must be a line number or a list of them",
    ),
    "duplicate key": (
        SINGLE + "    grade: middle  # <-\n",
        "duplicate key 'grade' (first at line 4)",
    ),
    "question not a mapping": (
        SINGLE + "  - just text  # <-\n",
        "question #2: must be a mapping",
    ),
    "missing id": (
        SINGLE.replace("  - id: py-j-001\n    grade", "  - grade").replace(
            "grade: junior", "grade: junior  # <-"
        ),
        "question #1: missing required key 'id'",
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_each_mistake_names_file_and_line(tmp_path: Path, case: str) -> None:
    """The mistake is reported once, at the marked line of challenges/questions/PY.yaml."""
    body, message = CASES[case]
    text = HEAD + body
    found = issues_of(tmp_path, text)
    expected = f"challenges/questions/PY.yaml:{marked_line(text)}: {message}"
    assert any(issue.startswith(expected) for issue in found), found


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("competency: SQL\nquestions: []\n", 1, "competency SQL does not match file name PY"),
        ("competency: XX\nquestions: []\n", 1, "unknown competency code 'XX'"),
        ("competency: PY\nquestions: []\n", 2, "questions must be a non-empty list"),
        ("competency: PY\nquestions:\n  - id: [\n", 4, "invalid YAML"),
        ("- a\n- b\n", 1, "the file must be a mapping with 'competency' and 'questions'"),
        ("", 1, "the file is empty"),
        ("competency: PY\nextra: 1\nquestions: []\n", 2, "file: unknown key 'extra'"),
    ],
)
def test_file_level_mistakes(tmp_path: Path, text: str, line: int, message: str) -> None:
    """Mistakes about the file itself are located too."""
    found = issues_of(tmp_path, text)
    assert any(i.startswith(f"challenges/questions/PY.yaml:{line}: {message}") for i in found), (
        found
    )


def test_not_utf8(tmp_path: Path) -> None:
    """A file in another encoding is named, not crashed on."""
    root = make_bank(tmp_path, questions={}, interview={})
    (root / "questions" / "PY.yaml").write_bytes("competency: PY\n# caf\xe9\n".encode("latin-1"))
    issues = [str(i) for i in read_bank(root, tasks=False).issues]
    assert any(i.startswith("challenges/questions/PY.yaml:1: not UTF-8") for i in issues)


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    """An id used in two files is reported at the second occurrence, naming the first."""
    twin = SAMPLE_PY.replace("competency: PY", "competency: SQL").replace("py-j-001", "sql-j-001")
    twin = twin.replace("evidences: {PY: 0.8, TEST: 0.2}", "evidences: {SQL: 0.8, TEST: 0.2}")
    twin = twin.replace("id: py-", "id: sql-")
    root = make_bank(tmp_path, questions={"PY": SAMPLE_PY, "SQL": twin}, interview={})
    (root / "questions" / "SQL.yaml").write_text(
        twin + "  - id: sql-j-001\n    grade: junior\n    type: single\n    prompt: p\n"
        "    options: [a, b, c]\n    answer: 1\n    explanation: e\n",
        "utf-8",
    )
    issues = [str(i) for i in read_bank(root, tasks=False).issues]
    line = len(twin.splitlines()) + 1
    assert issues == [
        f"challenges/questions/SQL.yaml:{line}: duplicate id sql-j-001 "
        "(first at challenges/questions/SQL.yaml:3)"
    ]


def test_other_extension_is_reported(tmp_path: Path) -> None:
    """A ``.yml`` file would be silently skipped, so it is an issue."""
    root = make_bank(tmp_path)
    (root / "questions" / "SQL.yml").write_text("competency: SQL\n", "utf-8")
    issues = [str(i) for i in read_bank(root, tasks=False).issues]
    assert issues == ["challenges/questions/SQL.yml:1: ignored file: bank files end in .yaml"]


def test_sample_parses_with_normalised_answers(tmp_path: Path) -> None:
    """Valid questions come out typed, defaults filled in, answers normalised."""
    bank = read_bank(make_bank(tmp_path), tasks=False)
    assert bank.ok, bank.issues
    by_id = {q.id: q for q in bank.questions}
    assert by_id["py-j-001"].weights == {"PY": 1.0}
    assert by_id["py-j-002"].weights == {"PY": 0.8, "TEST": 0.2}
    assert by_id["py-j-002"].answer == [0, 2]
    assert by_id["py-m-001"].answer == ["0.5"]
    assert by_id["py-m-001"].match == "number"
    assert by_id["py-m-002"].answer == ["b", "c", "a"]
    assert by_id["py-s-002"].answer == [1]
    assert by_id["py-s-001"].language == "python"
    assert by_id["py-j-001"].source == "challenges/questions/PY.yaml:3"


def test_exact_accepts_numbers_and_lists(tmp_path: Path) -> None:
    """``answer: 42`` and a list of spellings are both accepted strings."""
    text = HEAD + (
        SINGLE.replace("type: single", "type: exact")
        .replace("    options: [a, b, c]\n", "")
        .replace("answer: 0", "answer: 42")
    )
    text += (
        SINGLE.replace("py-j-001", "py-j-002")
        .replace("type: single", "type: exact")
        .replace("    options: [a, b, c]\n", "    match: casefold\n")
        .replace("answer: 0", "answer: [GET, ' get ']")
    )
    bank = read_bank(make_bank(tmp_path, questions={"PY": text}, interview={}), tasks=False)
    assert bank.ok, bank.issues
    assert [q.answer for q in bank.questions] == [["42"], ["GET", "get"]]
