"""A project submission as reviewers read it: its changes against the starter, inert."""

from __future__ import annotations

import json

from assess.review import project_diff


def doc(files: dict[str, str]) -> str:
    """A workspace document."""
    return json.dumps({"files": files})


def test_changes_are_listed_by_path_with_counts() -> None:
    """Added, changed and deleted files, unchanged ones left out; +/- counted per file."""
    starter = doc({"a.py": "x = 1\ny = 2\n", "b.py": "keep\n", "c.txt": "gone\n"})
    submitted = doc({"a.py": "x = 1\ny = 3\n", "b.py": "keep\n", "d.py": "new = True\n"})
    changes = project_diff.changes(starter, submitted)
    assert changes is not None
    assert [(c.path, c.status, c.added, c.removed) for c in changes] == [
        ("a.py", "changed", 1, 1),
        ("c.txt", "deleted", 0, 1),
        ("d.py", "added", 1, 0),
    ]
    assert str(changes[0].lines[0]).startswith('<span class="diff-line diff-hunk">@@')


def test_candidate_text_is_escaped_and_long_diffs_are_capped() -> None:
    """Markup in a file stays text; a diff longer than the cap says how much is hidden."""
    big = "".join(f"line {n} <b>\n" for n in range(project_diff.MAX_DIFF_LINES + 50))
    (change,) = project_diff.changes(doc({}), doc({"big.py": big})) or []
    assert "&lt;b&gt;" in str(change.lines[1]) and "<b>" not in str(change.lines[1])
    assert len(change.lines) == project_diff.MAX_DIFF_LINES
    assert change.hidden == 51  # the hunk header plus every added line, less those shown


def test_a_document_that_is_not_a_workspace_gives_none() -> None:
    """Legacy or forged code is not a workspace: the desk shows it raw instead."""
    assert project_diff.changes(doc({}), "def f(): pass\n") is None
    assert project_diff.python_listing("[]", doc({})) is None


def test_python_listing_holds_the_changed_python_files_under_their_paths() -> None:
    """Only Python files the candidate changed, in path order, against all the starter's."""
    starter = doc({"p/a.py": "A = 1\n", "p/b.py": "B = 2\n", "README.md": "r\n"})
    submitted = doc({"p/a.py": "A = 1\n", "p/b.py": "B = 3\n", "p/c.py": "C = 4\n", "x.md": "m"})
    mine, base = project_diff.python_listing(submitted, starter) or ("", "")
    assert mine == "# p/b.py\nB = 3\n\n# p/c.py\nC = 4\n"
    assert base == "# p/a.py\nA = 1\n\n# p/b.py\nB = 2\n"
