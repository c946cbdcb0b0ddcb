"""Checks the host makes on a project's files (a Dockerfile's rules): recorded on the
reference, judged on each submission beside the probes, out of the candidate's reach."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from sandbox import Golden, GoldenError, RunResult, Sandbox, TaskSpec, Verdict
from sandbox import workspace as ws

from .helpers import TASKS, edited, task

pytestmark = pytest.mark.docker

FOLDER = TASKS / "shipped-service"
CHECKS = ("Dockerfile:non-root-user", "Dockerfile:healthcheck", "Dockerfile:exec-form")


@pytest.fixture(scope="module")
def shipped() -> TaskSpec:
    """The fixture project with Dockerfile rules."""
    return task("shipped-service")


@pytest.fixture(scope="module")
def golden(sandbox: Sandbox, shipped: TaskSpec) -> Golden:
    """Golden observations: the probe's and the host's."""
    return sandbox.record_golden(shipped)


def failed(result: RunResult) -> list[str]:
    """The ids of the checks a result failed."""
    return [t.id for t in result.tests if not t.passed]


def test_the_reference_satisfies_every_rule(golden: Golden) -> None:
    assert {k: golden.observations[k] for k in CHECKS} == dict.fromkeys(CHECKS, True)
    assert golden.weights == {"greets": 1.0, **dict.fromkeys(CHECKS, 1.0)}


def test_the_authors_submissions(sandbox: Sandbox, shipped: TaskSpec, golden: Golden) -> None:
    """The starter breaks all three rules, the faulty variant one, another style none."""
    kind = shipped.kind_class
    starter = sandbox.grade(shipped, shipped.starter.encode(), golden)
    assert starter.verdict is Verdict.FAILED and failed(starter) == list(CHECKS)
    assert round(starter.score, 3) == 0.25
    (faulty,) = kind.authored(shipped, FOLDER, "faulty").values()
    result = sandbox.grade(shipped, faulty, golden)
    assert failed(result) == ["Dockerfile:non-root-user"]
    assert result.tests[1].message == "Dockerfile does not meet the rule non-root-user"
    (other,) = kind.authored(shipped, FOLDER, "correct").values()
    assert sandbox.grade(shipped, other, golden).verdict is Verdict.PASSED


def test_a_deleted_dockerfile_fails_its_rules(
    sandbox: Sandbox, shipped: TaskSpec, golden: Golden
) -> None:
    files = ws.parse(shipped.reference)
    del files["Dockerfile"]
    result = sandbox.grade(shipped, json.dumps({"files": files}).encode(), golden)
    assert failed(result) == list(CHECKS)
    assert {t.message for t in result.tests if not t.passed} == {"Dockerfile is missing"}


def test_code_cannot_answer_for_the_host(
    sandbox: Sandbox, shipped: TaskSpec, golden: Golden
) -> None:
    """A package that rewrites the Dockerfile when imported changes nothing: the host read
    the submitted text before the run; the probe still passes."""
    rewrite = (
        "import pathlib\n"
        "pathlib.Path(__file__).parent.parent.joinpath('Dockerfile').write_text("
        "'FROM a:1\\nUSER app\\nHEALTHCHECK CMD true\\nCMD [\"x\"]\\n')\n"
        "def greet(name):\n    return f'hello, {name}'\n"
    )
    result = sandbox.grade(shipped, edited(shipped, {"shipped/__init__.py": rewrite}), golden)
    assert failed(result) == list(CHECKS)


def test_a_reference_that_breaks_a_listed_rule_is_refused(
    sandbox: Sandbox, shipped: TaskSpec
) -> None:
    broken = replace(shipped, reference=shipped.starter)
    with pytest.raises(GoldenError, match="reference fails Dockerfile:non-root-user"):
        sandbox.record_golden(broken)
