"""Russian text in the bank: ``flask bank check`` fails on a question or kit without it."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskCliRunner

from assess.bank.cli import bank_cli
from assess.bank.reader import read_bank
from tests.unit.bank.bankfiles import SAMPLE_INTERVIEW, SAMPLE_INTERVIEW_EN, edit, make_bank


def _drop_ru(root: Path, qid: str, next_id: str) -> None:
    """Remove the ``ru:`` block of question ``qid`` (the one before ``next_id``)."""
    path = root / "questions" / "PY.yaml"
    text = path.read_text("utf-8")
    start = text.index(f"  - id: {qid}\n")
    end = text.index(f"  - id: {next_id}\n")
    block = text[start:end]
    edit(path, block, block[: block.index("    ru:\n")])


def test_check_fails_on_missing_russian_and_names_file_and_line(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    """One untranslated question and one untranslated kit: two issues at their own lines."""
    root = make_bank(tmp_path, interview={"SQL": SAMPLE_INTERVIEW_EN}, tasks=("word-frequency",))
    _drop_ru(root, "py-j-002", "py-m-001")
    result = runner.invoke(bank_cli, ["check", "--root", str(root), "--no-sandbox"])
    assert result.exit_code == 1, result.output
    line = next(
        n
        for n, text in enumerate((root / "questions/PY.yaml").read_text("utf-8").splitlines(), 1)
        if text == "  - id: py-j-002"
    )
    lines = [out for out in result.output.splitlines() if out.startswith("challenges/")]
    assert lines == [
        "challenges/interview/SQL.yaml:3: interview question sql-iv-j-01: no Russian text (ru:)",
        f"challenges/questions/PY.yaml:{line}: question py-j-002: no Russian text (ru:)",
    ]


def test_check_passes_when_everything_is_translated(runner: FlaskCliRunner, tmp_path: Path) -> None:
    """The sample bank carries Russian for every item, so the check has nothing to report."""
    root = make_bank(tmp_path, interview={"SQL": SAMPLE_INTERVIEW}, tasks=("word-frequency",))
    result = runner.invoke(bank_cli, ["check", "--root", str(root), "--no-sandbox"])
    assert result.exit_code == 0, result.output
    assert "0 issue(s)" in result.output


def test_an_exact_question_accepts_its_russian_answers(tmp_path: Path) -> None:
    """ru.answer adds accepted spellings to the English ones; indices stay unchanged."""
    root = make_bank(tmp_path)
    edit(
        root / "questions" / "PY.yaml",
        '    match: number\n    prompt: |\n      What is `1 / 2`?\n    answer: "0.5"\n',
        "    prompt: |\n      Name the type of `1 / 2`.\n    answer: [float]\n",
    )
    edit(
        root / "questions" / "PY.yaml",
        "        Истинное деление возвращает float.\n",
        "        Истинное деление возвращает float.\n      answer: [вещественное, float]\n",
    )
    bank = read_bank(root, tasks=False)
    assert [str(i) for i in bank.issues] == []
    (question,) = [q for q in bank.questions if q.id == "py-m-001"]
    assert question.answer == ["float", "вещественное"]
    assert question.ru_body() == {
        "prompt": "Чему равно `1 / 2`?\n",
        "explanation": "Истинное деление возвращает float.\n",
        "answer": ["вещественное", "float"],
    }
