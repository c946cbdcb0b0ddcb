"""A project task's workspace through the candidate's endpoints: a tree of files saves and
runs like one file's code; paths outside the editable ones, ``..``, absolute paths, too
many files or bytes and binary files get a 422 with the reason, and nothing saved is lost."""

from __future__ import annotations

import json
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from assess.extensions import db
from assess.models import Attempt, CodeDraft, CodingTask, Submission
from sandbox import workspace
from tests.conftest import ROOT, BankFactory, Factory, make_attempt
from tests.integration.candidate.test_attempt_flow import open_invitation
from tests.integration.candidate.test_input_robustness import csrf_header, positions

PROJECT = ROOT / "tests" / "integration" / "sandbox" / "tasks" / "ledger-project"


@pytest.fixture
def project_attempt(app: Flask, factory: Factory, client: FlaskClient) -> Attempt:
    """An attempt whose coding task is the project fixture, opened in ``client``."""
    BankFactory(PROJECT).load()
    attempt, token = make_attempt(factory)
    open_invitation(client, token)
    return attempt


def starter_files() -> dict[str, str]:
    """The project's starter tree as stored."""
    task = db.session.scalars(sa.select(CodingTask)).one()
    return workspace.parse(task.starter_code)


def save(client: FlaskClient, position: int, files: Any, revision: int) -> Any:
    """Autosave a workspace document of ``files``."""
    code = files if isinstance(files, str) else json.dumps({"files": files})
    return client.post(
        f"/attempt/api/items/{position}/draft",
        json={"code": code, "revision": revision},
        headers=csrf_header(client),
    )


def test_the_task_page_offers_the_workspace(client: FlaskClient, project_attempt: Attempt) -> None:
    """The page carries the editable patterns, the file list's words and the tree itself."""
    _, position = positions(project_attempt)
    html = client.get(f"/attempt/{position}").text
    assert 'data-workspace="1"' in html
    assert "ledger/*" in html and "js/workspace.js" in html
    assert "Your project" in html


def test_a_tree_saves_and_bad_trees_are_refused_with_the_reason(
    client: FlaskClient, project_attempt: Attempt
) -> None:
    """Edits, new and deleted editable files save; each bad form is a 422 naming what is
    wrong, and the draft saved before stays as it was."""
    _, position = positions(project_attempt)
    files = starter_files()
    files["ledger/extra.py"] = "X = 1\n"
    del files["tests/test_core.py"]
    assert save(client, position, files, 1).status_code == 200
    bad = {
        "read-only": ({**files, "README.md": "mine\n"}, "README.md is read-only"),
        "outside": ({**files, "docs/notes.md": "x\n"}, "docs/notes.md is read-only"),
        "dots": ({**files, "ledger/../x.py": "x"}, "'..' part"),
        "absolute": ({**files, "/etc/x": "x"}, "must be relative"),
        "binary": ({**files, "ledger/data.bin": "\0\1"}, "NUL byte"),
        "too many": (
            {**files, **{f"ledger/m{i}.py": "" for i in range(workspace.MAX_FILES)}},
            "over the limit of 80",
        ),
        "too big": ({**files, "ledger/big.py": "#" * 70_000}, "over the limit of 64 KB"),
        "not a tree": ("def balance(e): return 0\n", "not a JSON document"),
    }
    for name, (body, reason) in bad.items():
        response = save(client, position, body, 2)
        assert response.status_code == 422, name
        assert reason in response.json["error"]["message"], name
    draft = db.session.scalars(sa.select(CodeDraft)).one()
    assert draft.revision == 1
    assert "ledger/extra.py" in workspace.parse(draft.code)


def test_a_bad_tree_is_refused_before_a_run_is_counted(
    client: FlaskClient, project_attempt: Attempt
) -> None:
    """Run sample tests and Submit refuse a forged tree with the reason; no submission
    is queued and the run is not counted against the limit."""
    _, position = positions(project_attempt)
    forged = json.dumps({"files": {**starter_files(), "README.md": "forged\n"}})
    for action in ("run", "submit"):
        response = client.post(
            f"/attempt/api/items/{position}/{action}",
            json={"code": forged},
            headers=csrf_header(client),
        )
        assert response.status_code == 422, action
        assert "README.md is read-only" in response.json["error"]["message"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 0
