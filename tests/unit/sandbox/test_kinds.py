"""Task kinds are classes in an explicit registry: loading, running and judging ask the kind."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from assess.bank import kinds as app_kinds
from sandbox import TaskFormatError, kinds, load_task
from sandbox.container import RawRun
from sandbox.grading import Context, effective_wall
from sandbox.results import Golden, RunResult, Verdict

FIXTURES = Path(__file__).parents[2] / "integration" / "sandbox" / "tasks"


class ChecklistKind(kinds.TaskKind):
    """A kind invented for the test: it needs a checklist file and judges by it alone."""

    files: ClassVar[tuple[str, ...]] = ("probes.py", "checklist.md")

    def wall(self, task: Any) -> float:
        """Twice the task's limit."""
        return 2 * task.limits.wall_seconds

    def grade(self, ctx: Context, golden: Golden, raw: RawRun) -> RunResult:
        """Passed whatever ran (the point is that the kind, not a name test, decides)."""
        return RunResult(task=ctx.task.slug, verdict=Verdict.PASSED, score=1.0)


@pytest.fixture
def checklist() -> Iterator[kinds.TaskKind]:
    """The invented kind, registered for one test only."""
    kind = kinds.register(ChecklistKind("checklist"))
    yield kind
    del kinds.REGISTRY["checklist"]


def test_the_registry_holds_the_bank_kinds_in_order() -> None:
    """The kinds of the bank, each a class instance under its name."""
    assert kinds.names() == (
        "implement",
        "fix",
        "write-tests",
        "optimise",
        "secure",
        "async",
        "project",
    )
    assert isinstance(kinds.get("optimise"), kinds.OptimiseKind)
    assert isinstance(kinds.get("write-tests"), kinds.WriteTestsKind)
    assert repr(kinds.get("fix")) == "<task kind fix>"
    with pytest.raises(KeyError):
        kinds.get("guess")


def test_a_name_registered_twice_is_refused() -> None:
    """Two kinds may not share a name."""
    with pytest.raises(ValueError, match="registered twice"):
        kinds.register(kinds.TaskKind("implement"))


def test_every_kind_the_sandbox_runs_is_presented_by_the_app() -> None:
    """A new kind without its words in the app fails here, not in a page."""
    assert set(app_kinds.VIEWS) == set(kinds.names())
    assert app_kinds.names() == kinds.names()
    assert str(app_kinds.view("write-tests").editor_label) == "Your tests"
    with pytest.raises(KeyError):
        app_kinds.view("guess")


def test_a_new_kind_is_one_class(tmp_path: Path, checklist: kinds.TaskKind) -> None:
    """Registering a class is all it takes for task folders to use it: its files are
    required, its wall-clock rule and its judgement apply."""
    folder = tmp_path / "word-count"
    shutil.copytree(FIXTURES / "word-count", folder)
    meta = folder / "task.yaml"
    meta.write_text(meta.read_text().replace("kind: implement", "kind: checklist"))
    with pytest.raises(TaskFormatError, match=r"checklist\.md"):
        load_task(folder)
    (folder / "checklist.md").write_text("- counts words\n")
    task = load_task(folder)
    assert task.kind_class is checklist
    assert task.extras == {"checklist.md": "- counts words\n"}
    assert task.content_hash != load_task(FIXTURES / "word-count").content_hash
    assert effective_wall(task) == 2 * task.limits.wall_seconds
    golden = Golden(task.slug, task.content_hash, {}, {}, 0.0)
    raw = RawRun(b"", "ok", 0.0, 0.0, 0.0, False)
    assert task.kind_class.grade(Context(task), golden, raw).passed


def test_kinds_build_their_own_jobs() -> None:
    """A probe kind sends its module and probes; write-tests sends every implementation
    disguised, with the per-run budget; samples differ by kind too."""
    word = load_task(FIXTURES / "word-count")
    job = word.kind_class.job(word, "def count_words(text): ...")
    assert job["mode"] == "probes"
    assert job["files"] == {"solution.py": "def count_words(text): ..."}
    assert word.kind_class.samples_job(word, "x = 1")["tests"] == "visible_tests.py"
    clamp = load_task(FIXTURES / "clamp-tests")
    tests = clamp.kind_class.job(clamp, "def test_x(): pass")
    assert tests["mode"] == "write-tests"
    assert tests["test_name"] == "test_solution.py"
    assert set(tests["implementations"]) == {"implementation", *(f"buggy/{b}" for b in clamp.buggy)}
    assert tests["implementations"]["implementation"] != clamp.implementation  # disguised
    assert tests["per_run"] == max(2.0, clamp.limits.wall_seconds / 2)
    samples = clamp.kind_class.samples_job(clamp, "def test_x(): pass")
    assert samples["files"]["solution.py"] == clamp.implementation


def test_golden_records_come_from_the_kind() -> None:
    """A reference report that fails a probe, stops early or is malformed is refused by
    the kind, naming the task; a good one yields observations and weights."""
    word = load_task(FIXTURES / "word-count")
    kind = word.kind_class

    def run(report: dict[str, Any]) -> RawRun:
        return RawRun(json.dumps(report).encode(), "ok", 0.1, 0.1, 10.0, False)

    probes = [{"id": "a", "obs": 1, "weight": 2}, {"id": "b", "obs": [1], "weight": -1}]
    good = {"v": 1, "mode": "probes", "state": "done", "events": [], "probes": probes}
    seen, weights = kind.golden(Context(word), run(good))
    assert seen == {"a": 1, "b": [1]}
    assert weights == {"a": 2.0, "b": 1.0}
    failing = {**good, "probes": [{"id": "a", "obs": {"crashed": {"signal": 9}}}]}
    with pytest.raises(Exception, match="word-count: reference fails probes a"):
        kind.golden(Context(word), run(failing))
    with pytest.raises(Exception, match="reference run stopped: timeout"):
        kind.golden(Context(word), run({**good, "state": "timeout"}))
    twice = {**good, "probes": [{"id": "a", "obs": 1}, {"id": "a", "obs": 1}]}
    with pytest.raises(Exception, match="reference report invalid"):
        kind.golden(Context(word), run(twice))


PROJECT = {"editable": ["app/*"], "tests": "tests"}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"image": "huge"}, "project.image may be default, services"),
        ({"image": "default", "services": ["redis"]}, "run only in the services image"),
        ({"checks": {}}, "project.checks must be a list"),
        ({"checks": [{"file": "Dockerfile", "kind": "yaml", "rules": ["x"]}]}, "kind must be"),
        ({"checks": [{"file": "../Dockerfile", "kind": "dockerfile", "rules": ["no-add"]}]},
         "project.checks[1].file"),
        ({"checks": [{"file": "Dockerfile", "kind": "dockerfile", "rules": ["tidy"]}]},
         "rules must list some of non-root-user"),
        ({"checks": [{"file": "Dockerfile", "kind": "dockerfile", "rules": ["no-add"],
                      "weight": 0}]}, "weight must be a positive number"),
        ({"checks": [{"file": "Dockerfile", "kind": "dockerfile", "rules": [], "why": 1}]},
         "maps file, kind, rules and weight"),
        ({"colour": "red"}, "project may map only checks, editable, image, services, tests"),
    ],
)  # fmt: skip
def test_project_settings_are_checked(extra: dict[str, Any], message: str) -> None:
    with pytest.raises(TaskFormatError, match=re.escape(message)):
        kinds.ProjectKind.config_of(Path("task.yaml"), {"project": {**PROJECT, **extra}})


def test_project_settings_default_their_image() -> None:
    config = kinds.ProjectKind.config_of
    assert config(Path("t"), {"project": PROJECT})["image"] == "default"
    assert config(Path("t"), {"project": {**PROJECT, "services": ["redis"]}})["image"] == "services"
    assert config(Path("t"), {"project": {**PROJECT, "image": "services"}})["services"] == []
    checks = [{"file": "Dockerfile", "kind": "dockerfile", "rules": ["no-add", "no-add"]}]
    (check,) = config(Path("t"), {"project": {**PROJECT, "checks": checks}})["checks"]
    assert check == {"file": "Dockerfile", "kind": "dockerfile", "rules": ["no-add"], "weight": 1}
