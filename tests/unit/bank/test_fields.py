"""The small field checks: each records one located issue and returns None."""

from __future__ import annotations

from pathlib import Path

import pytest

from assess.bank import fields
from assess.bank.source import SourceFile, SourceMap


@pytest.fixture
def f(tmp_path: Path) -> SourceFile:
    """A source file to collect issues in."""
    return SourceFile(tmp_path / "x.yaml", "x.yaml")


def mapping(f: SourceFile, text: str) -> SourceMap:
    """Parse ``text`` as a mapping."""
    value = f.parse(text)
    assert isinstance(value, SourceMap)
    return value


def test_missing_required_values(f: SourceFile) -> None:
    """Each check reports a missing required key at the mapping's line."""
    m = mapping(f, "a: 1\n")
    assert fields.text(f, m, "t", "c") is None
    assert fields.integer(f, m, "i", "c", 0, 9) is None
    assert fields.number(f, m, "n", "c", 0, 9) is None
    assert fields.text_list(f, m, "l", "c", 1, 3) is None
    assert fields.integer(f, m, "i", "c", 0, 9, required=False) is None
    assert fields.number(f, m, "n", "c", 0, 9, required=False) is None
    assert fields.text_list(f, m, "l", "c", 1, 3, required=False) is None
    assert [str(i) for i in f.issues] == [
        f"x.yaml:1: c: missing required key {key!r}" for key in ("t", "i", "n", "l")
    ]


def test_wrong_values(f: SourceFile) -> None:
    """Wrong types and ranges are reported at the key's line."""
    m = mapping(f, "i: true\nn: '1'\nl: x\nw: [1]\nv: {PY: yes}\nk: [a, ' ', b]\n")
    assert fields.integer(f, m, "i", "c", 0, 9) is None
    assert fields.number(f, m, "n", "c", 0, 9) is None
    assert fields.text_list(f, m, "l", "c", 1, 3) is None
    assert fields.weights(f, m, "w", "c", ["PY"], None) is None
    assert fields.weights(f, m, "v", "c", ["PY"], None) is None
    assert fields.text_list(f, m, "k", "c", 1, 3) is None
    assert [str(i) for i in f.issues] == [
        "x.yaml:1: c: i must be an integer in 0..9, got True",
        "x.yaml:2: c: n must be a number in 0..9, got '1'",
        "x.yaml:3: c: l must be a list",
        "x.yaml:4: c: w must be a mapping of competency code to weight",
        "x.yaml:5: c: v[PY] must be a number in (0, 1]",
        "x.yaml:6: c: k[1] must be a non-empty string",
    ]


def test_lists_may_repeat_when_allowed(f: SourceFile) -> None:
    """``distinct=False`` keeps repeated entries."""
    m = mapping(f, "l: [a, a]\n")
    assert fields.text_list(f, m, "l", "c", 1, 3, distinct=False) == ["a", "a"]
    assert f.issues == []
