"""More entry-point checks: exec, exit status, untouched arguments."""

from __future__ import annotations

from pathlib import Path

from test_entrypoint import start


def test_the_command_replaces_the_script(tmp_path: Path) -> None:
    code, pid, seen = start(tmp_path)
    assert code == 0
    assert seen is not None and seen["pid"] == pid


def test_a_failed_migration_stops_with_its_status(tmp_path: Path) -> None:
    code, _, seen = start(tmp_path, database=False)
    assert code == 2
    assert seen is None


def test_arguments_are_not_expanded(tmp_path: Path) -> None:
    _, _, seen = start(tmp_path, "two words", "", "*", "$HOME", "a  b")
    assert seen is not None
    assert seen["argv"] == ["two words", "", "*", "$HOME", "a  b"]
