"""More cases: shifted hunks, hand-resolved picks, merges, nothing/everything missing."""

from __future__ import annotations

from pathlib import Path

import backports
from test_backports import Repo


def base(tmp_path: Path) -> tuple[Repo, list[str]]:
    repo = Repo(tmp_path)
    lines = [f"line {n}\n" for n in range(1, 31)]
    repo.commit("Initial", calc_py="".join(lines))
    repo.git("branch", "release")
    return repo, lines


def test_hunk_at_other_line_numbers(tmp_path: Path) -> None:
    repo, lines = base(tmp_path)
    lines[20] = "line 21 fixed\n"
    fix = repo.commit("Fix", calc_py="".join(lines))
    repo.git("switch", "-q", "release")
    text = (repo.path / "calc.py").read_text()
    repo.commit("Header", calc_py="# a\n# b\n# c\n" + text)
    repo.git("cherry-pick", fix)
    repo.git("switch", "-q", "main")
    assert backports.missing(repo.path, "release", "main") == []
    assert backports.missing(repo.path, "main", "release") != []


def test_hand_resolved_pick_is_listed(tmp_path: Path) -> None:
    repo, lines = base(tmp_path)
    lines[4] = "line 5 fixed\n"
    fix = repo.commit("Fix", calc_py="".join(lines))
    repo.git("switch", "-q", "release")
    lines[4] = "line 5 fixed differently\n"
    repo.commit(f"Fix\n\n(cherry picked from commit {fix})", calc_py="".join(lines))
    repo.git("switch", "-q", "main")
    assert backports.missing(repo.path, "release", "main") == [fix]


def test_everything_missing_and_merge_order(tmp_path: Path) -> None:
    repo, _ = base(tmp_path)
    a = repo.commit("A", a_txt="a\n")
    repo.git("switch", "-q", "-c", "topic")
    t1 = repo.commit("T1", t_txt="1\n")
    repo.git("switch", "-q", "main")
    b = repo.commit("B", b_txt="b\n")
    repo.git("switch", "-q", "topic")
    t2 = repo.commit("T2", t_txt="2\n")
    repo.git("switch", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge", "topic")
    empty = repo.commit("Empty")
    expected = repo.git("rev-list", "--reverse", "--no-merges", "release..main").split()
    expected.remove(empty)
    got = backports.missing(repo.path, "release", "main")
    assert got == expected
    assert sorted(got) == sorted([a, t1, b, t2])


def test_empty_commit_on_both_sides(tmp_path: Path) -> None:
    repo, _ = base(tmp_path)
    repo.commit("Empty on main")
    repo.git("switch", "-q", "release")
    repo.commit("Empty on release")
    repo.git("switch", "-q", "main")
    assert backports.missing(repo.path, "release", "main") == []
