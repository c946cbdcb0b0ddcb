"""Interview kits and the catalogs (competencies, grades, blueprints) report located issues."""

from __future__ import annotations

from pathlib import Path

import pytest

from assess.bank.reader import read_bank
from assess.bank.spec import COMPETENCY_CODES
from tests.unit.bank.bankfiles import SAMPLE_INTERVIEW, make_bank


def interview_issues(tmp_path: Path, text: str) -> list[str]:
    """Issues of a bank whose only interview kit is SQL.yaml with ``text``."""
    root = make_bank(tmp_path, questions={}, interview={"SQL": text})
    return [str(i) for i in read_bank(root, tasks=False).issues]


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("      3: Explains it and NULLs.\n", "", 9, "anchors missing for score 3"),
        ("      4: Also", "      5: Also", 13, "anchor 5 is not a score 1..4"),
        ("      2: Explains it with help.", "      2: ''", 11, "anchor 2 must be a non-empty text"),
        ("id: sql-iv-j-01", "id: sql-iv-j-1", 3, "id must look like sql-iv-<j|m|s>-<2 digits>"),
        ("id: sql-iv-j-01", "id: sql-iv-m-01", 3, "id letter 'm' does not match junior"),
        (
            "      - What happens to unmatched rows?",
            "      - 'Say: what happens?'\n      - What is `w: 1` for?",
            9,
            "follow_ups[1] must be a non-empty string (it reads as a mapping",
        ),
        ("    anchors:\n", "    rubric: x\n    anchors:\n", 9, "unknown key 'rubric'"),
        ("    question: |\n      Explain a LEFT JOIN.\n", "", 3, "missing required key 'question'"),
    ],
)
def test_interview_mistakes(tmp_path: Path, old: str, new: str, line: int, message: str) -> None:
    """Each kind of interview mistake names challenges/interview/SQL.yaml and the line."""
    assert old in SAMPLE_INTERVIEW
    found = interview_issues(tmp_path, SAMPLE_INTERVIEW.replace(old, new))
    prefix = f"challenges/interview/SQL.yaml:{line}: "
    assert any(i.startswith(prefix) and message in i for i in found), found


def test_interview_anchors_as_mapping_and_file_checks(tmp_path: Path) -> None:
    """Anchors must be a mapping; the kit's competency must match its file name."""
    bad = SAMPLE_INTERVIEW.replace("    anchors:\n", "    anchors: none\n    x:\n")
    assert any("anchors must be a mapping" in i for i in interview_issues(tmp_path, bad))
    other = tmp_path / "other"
    other.mkdir()
    found = interview_issues(other, SAMPLE_INTERVIEW.replace("competency: SQL", "competency: PY"))
    assert found == ["challenges/interview/SQL.yaml:1: competency PY does not match file name SQL"]


def test_interview_parses(tmp_path: Path) -> None:
    """A valid kit gives anchors keyed "1".."4" and its follow-ups."""
    bank = read_bank(make_bank(tmp_path), tasks=False)
    assert bank.ok, bank.issues
    (kit,) = bank.interview
    assert list(kit.anchors) == ["1", "2", "3", "4"]
    assert kit.follow_ups == ["What happens to unmatched rows?"]


def test_real_catalogs() -> None:
    """The shipped catalogs hold exactly the 15 codes, three grades, three blueprints."""
    bank = read_bank(Path(__file__).resolve().parents[3] / "challenges", tasks=False)
    catalog_issues = [i for i in bank.issues if "/questions/" not in i.file]
    catalog_issues = [i for i in catalog_issues if "/interview/" not in i.file]
    assert catalog_issues == []
    assert [c.code for c in bank.competencies] == list(COMPETENCY_CODES)
    weights = {c.code: c.weight_class for c in bank.competencies}
    assert weights["NOSQL"] == "desirable"
    assert weights["ASYNC"] == "advantage"
    assert {c for c, w in weights.items() if w == "required"} == set(COMPETENCY_CODES) - {
        "NOSQL",
        "ASYNC",
    }
    assert [g.code for g in bank.grades] == ["junior", "middle", "senior"]
    assert [g.threshold for g in bank.grades] == sorted(g.threshold for g in bank.grades)
    assert {b.grade for b in bank.blueprints} == {"junior", "middle", "senior"}


def catalog_issues(tmp_path: Path, name: str, old: str, new: str) -> list[str]:
    """Issues after editing one catalog file of a fresh bank."""
    root = make_bank(tmp_path, questions={}, interview={})
    path = root / name
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    return [str(i) for i in read_bank(root, tasks=False).issues]


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        ("competencies.yaml", "weight: advantage", "weight: bonus", "weight must be one of"),
        ("competencies.yaml", "code: SOFT", "code: SOFTX", "unknown competency code 'SOFTX'"),
        ("competencies.yaml", "code: SOFT", "code: PY", "duplicate competency PY"),
        ("competencies.yaml", "  - code: SOFT\n", "  - code: SOFT\n    colour: red\n", "unknown"),
        ("grades.yaml", "threshold: 0.7", "threshold: 0.4", "senior threshold is below middle's"),
        ("grades.yaml", "threshold: 0.5", "threshold: 1.5", "threshold must be a number in"),
        ("grades.yaml", "code: senior", "code: lead", "unknown grade 'lead'"),
        ("grades.yaml", "rank: 3", "rank: 2", "duplicate grade or rank"),
        (
            "blueprints.yaml",
            "task_kinds: [project, implement, fix, write-tests, optimise, secure, async]",
            "task_kinds: [essay]",
            "task_kinds",
        ),
        (
            "blueprints.yaml",
            "task_kinds: [project, implement, fix, write-tests, optimise, secure, async]",
            "task_kinds: [fix, fix]",
            "lists a kind twice",
        ),
        (
            "blueprints.yaml",
            "task_count: 2",
            "task_count: 8",
            "task_count must be an integer in 0..7",
        ),
        ("blueprints.yaml", "task_count: 2", "task_count: two", "task_count must be an integer"),
        ("blueprints.yaml", "      PY: 2\n", "      XX: 2\n", "unknown competency code 'XX'"),
        ("blueprints.yaml", "      PY: 2\n", "      PY: -1\n", "PY count must be an integer"),
        ("blueprints.yaml", "grade: senior", "grade: junior", "grade must be one of"),
        ("blueprints.yaml", "time_limit_minutes: 95", "time_limit_minutes: 0", "time_limit"),
        (
            "blueprints.yaml",
            "    questions_per_competency:\n      PY: 2\n",
            "    questions_per_competency: 3\n    x:\n      PY: 2\n",
            "must map codes to counts",
        ),
    ],
)
def test_catalog_mistakes(tmp_path: Path, name: str, old: str, new: str, message: str) -> None:
    """A catalog mistake is reported in that catalog file."""
    found = catalog_issues(tmp_path, name, old, new)
    assert any(i.startswith(f"challenges/{name}:") and message in i for i in found), found


def test_missing_competency_and_catalog(tmp_path: Path) -> None:
    """A competency left out, or a catalog file missing, is reported."""
    found = catalog_issues(tmp_path, "competencies.yaml", "  - code: ENG\n", "  - code: ENG\n")
    assert found == []
    root = make_bank(tmp_path / "b", questions={}, interview={})
    text = (root / "competencies.yaml").read_text("utf-8")
    start = text.index("  - code: ENG")
    end = text.index("  - code: SOFT")
    (root / "competencies.yaml").write_text(text[:start] + text[end:], "utf-8")
    (root / "grades.yaml").unlink()
    (root / "blueprints.yaml").write_text("blueprints: nope\n", "utf-8")
    found = [str(i) for i in read_bank(root, tasks=False).issues]
    assert "challenges/competencies.yaml:1: competencies missing: ENG" in found
    assert "challenges/grades.yaml:1: missing grades.yaml" in found
    assert "challenges/blueprints.yaml:1: blueprints must be a non-empty list" in found


def test_catalog_entry_not_a_mapping(tmp_path: Path) -> None:
    """Entries of a catalog list must be mappings; the file itself must be a mapping."""
    root = make_bank(tmp_path, questions={}, interview={})
    (root / "grades.yaml").write_text("grades:\n  - junior\n", "utf-8")
    (root / "blueprints.yaml").write_text("- 1\n", "utf-8")
    found = [str(i) for i in read_bank(root, tasks=False).issues]
    assert "challenges/grades.yaml:2: grades[0] must be a mapping" in found
    assert "challenges/blueprints.yaml:1: the file must be a mapping with 'blueprints'" in found
