"""Task kinds: each a small class saying what a task folder of its kind holds, which job the
harness runs for a submission, how long that job may take, and how its run is judged.

The registry is explicit: a kind exists when :func:`register` has been called with it, and
everything that used to branch on a kind's name asks its class instead. A new kind is one
class and one ``register`` call here (plus its presentation in ``assess.bank.kinds``).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from sandbox import static_checks, workspace
from sandbox.config import Limits
from sandbox.container import RawRun
from sandbox.disguise import disguise
from sandbox.errors import GoldenError, TaskFormatError
from sandbox.grading import (
    Context,
    ReportInvalidError,
    apply_cpu_budget,
    grade_probes,
    grade_write_tests,
    observations,
    parse_report,
    write_tests_budget,
    write_tests_ids,
)
from sandbox.image.profiles import PROFILES
from sandbox.results import Golden, RunResult
from sandbox.source import CheckedSource, check_source

if TYPE_CHECKING:
    from sandbox.taskdir import TaskSpec

PROJECT_KEYS = frozenset({"editable", "tests", "services", "image", "checks"})
SERVICES_TMPFS_MB = 64  # what a runner with PostgreSQL and Redis running needs on /tmp
# Observations the reference must never produce: a golden record of a failure.
BAD_GOLDEN = ("crashed", "timeout", "not_run", "unencodable", "output")


def _weight(value: Any) -> float:
    """A probe weight from the report: a positive number, else 1."""
    return float(value) if type(value) in (int, float) and value > 0 else 1.0


def _subfolders(folder: Path) -> list[Path]:
    """The folders directly inside ``folder`` (none when it does not exist), by name."""
    return sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


class TaskKind:
    """A kind whose submission is one module, judged by hidden probes against the golden
    observations of the reference (implement, fix, secure, async)."""

    #: Files a task folder must hold (besides task.yaml and its statements).
    files: ClassVar[tuple[str, ...]] = (
        "starter.py",
        "reference.py",
        "visible_tests.py",
        "probes.py",
    )
    #: Sub-folders of ``*.py`` a task folder must hold besides faulty/ and correct/.
    folders: ClassVar[tuple[str, ...]] = ()
    #: Folders of files a task folder must hold (a project's trees).
    trees: ClassVar[tuple[str, ...]] = ()
    #: Task limits only this kind may set.
    options: ClassVar[frozenset[str]] = frozenset()
    #: The harness mode of a graded run.
    mode: ClassVar[str] = "probes"
    #: Whether the candidate works in a real project (counted as hands-on in bank stats).
    hands_on: ClassVar[bool] = False

    def __init__(self, name: str) -> None:
        """A kind called ``name`` in task.yaml and in the database."""
        self.name = name

    def __repr__(self) -> str:
        """The kind's name, for messages."""
        return f"<task kind {self.name}>"

    def check(self, meta_path: Path, module: str, folders: dict[str, dict[str, str]]) -> None:
        """Refuse a task folder this kind cannot run (``folders``: stem -> text per folder);
        probe kinds need nothing beyond their files."""

    def read(self, folder: Path, meta: dict[str, Any]) -> dict[str, Any]:
        """Fields of the task that this kind reads its own way from ``folder`` (they take
        part in the content hash); single-file kinds read nothing more."""
        return {}

    def candidate_file(self, task: TaskSpec) -> str:
        """The file name the candidate's submission is saved and run as."""
        return f"{task.module}.py"

    def image_profile(self, task: TaskSpec) -> str:
        """The runner image a task's jobs run in (see ``sandbox.image.profiles``)."""
        return "default"

    def runner_limits(self, task: TaskSpec) -> Limits:
        """The limits of the container a task's jobs run in."""
        return task.limits

    def check_source(self, task: TaskSpec, data: bytes, limit: int) -> CheckedSource:
        """Decode and parse a submission, or :class:`SourceRejectedError` with the reason."""
        return check_source(data, limit, self.candidate_file(task))

    #: What one variant in correct/, faulty/ (and buggy/, variants/) is, for messages.
    variant_form: ClassVar[str] = ".py"

    def variants_in(self, folder: Path) -> list[Path]:
        """The variants in a correct/ or faulty/ folder: one ``*.py`` each."""
        return sorted(folder.glob("*.py"))

    def authored(self, task: TaskSpec, folder: Path, group: str) -> dict[str, bytes]:
        """The task author's own submissions of ``group`` (reference, starter, correct,
        faulty) by name, as a candidate would submit them."""
        if group in ("reference", "starter"):
            return {f"{group}.py": (folder / f"{group}.py").read_bytes()}
        return {path.name: path.read_bytes() for path in sorted((folder / group).glob("*.py"))}

    def wall(self, task: TaskSpec) -> float:
        """Seconds one graded job of ``task`` may take as a whole."""
        return task.limits.wall_seconds

    def job(self, task: TaskSpec, candidate: str) -> dict[str, Any]:
        """The harness job that grades ``candidate`` (already checked source)."""
        return {
            "mode": self.mode,
            "module": task.module,
            "files": {self.candidate_file(task): candidate},
            "probes": task.probes,
        }

    def samples_job(self, task: TaskSpec, candidate: str) -> dict[str, Any]:
        """The harness job that runs the visible sample tests on ``candidate``."""
        files = {self.candidate_file(task): candidate, "visible_tests.py": task.visible_tests}
        return {"mode": "samples", "files": files, "tests": "visible_tests.py"}

    def golden(self, ctx: Context, raw: RawRun) -> tuple[dict[str, Any], dict[str, float]]:
        """The reference run's observations and their weights, or :class:`GoldenError`."""
        task = ctx.task
        report = self._report(task, raw)
        ids = [p["id"] for p in report["probes"]]
        seen = self._observations(task, raw, report, ids)
        bad = [k for k, v in seen.items() if isinstance(v, dict) and set(v) & set(BAD_GOLDEN)]
        if bad or not seen:
            raise GoldenError(
                f"{task.slug}: reference fails probes {', '.join(bad) or '(no probes)'}: "
                f"{str(report.get('stderr', ''))[-300:]}"
            )
        return seen, {p["id"]: _weight(p.get("weight")) for p in report["probes"]}

    def grade(self, ctx: Context, golden: Golden, raw: RawRun) -> RunResult:
        """Judge a graded run against the golden observations."""
        return grade_probes(ctx, golden, raw)

    def _report(self, task: TaskSpec, raw: RawRun) -> dict[str, Any]:
        """The reference run's parsed report; a failed or invalid one is a GoldenError."""
        try:
            report = parse_report(raw, self.mode)
        except ReportInvalidError as exc:
            detail = (raw.harness_stderr or "")[-300:]
            raise GoldenError(f"{task.slug}: reference report invalid: {exc} {detail}") from exc
        if report["state"] != "done":
            raise GoldenError(f"{task.slug}: reference run stopped: {report['state']}")
        return report

    def _observations(
        self, task: TaskSpec, raw: RawRun, report: dict[str, Any], ids: list[str]
    ) -> dict[str, Any]:
        """The reference's observations under the trusted ``ids``."""
        try:
            return observations(report, ids)
        except ReportInvalidError as exc:
            detail = (raw.harness_stderr or "")[-300:]
            raise GoldenError(f"{task.slug}: reference report invalid: {exc} {detail}") from exc


class OptimiseKind(TaskKind):
    """Probes as for :class:`TaskKind`, then a CPU budget relative to the reference: a
    correct but slow solution scores half."""

    options: ClassVar[frozenset[str]] = frozenset({"cpu_budget_factor"})

    def grade(self, ctx: Context, golden: Golden, raw: RawRun) -> RunResult:
        """Probes first; only a run that passes them all is measured against the budget."""
        result = grade_probes(ctx, golden, raw)
        return apply_cpu_budget(ctx, golden, raw, result) if result.passed else result


class WriteTestsKind(TaskKind):
    """The candidate writes a pytest file: it must pass the shown implementation and hidden
    correct variants, and scores by the share of faulty implementations it catches."""

    files: ClassVar[tuple[str, ...]] = (
        "starter.py",
        "reference.py",
        "visible_tests.py",
        "implementation.py",
    )
    folders: ClassVar[tuple[str, ...]] = ("buggy", "variants")
    mode: ClassVar[str] = "write-tests"
    test_file: ClassVar[str] = "test_solution.py"

    def check(self, meta_path: Path, module: str, folders: dict[str, dict[str, str]]) -> None:
        """The implementation under test is always the module ``solution``; bugs are needed
        (hidden variants are optional)."""
        if module != "solution":
            raise TaskFormatError(meta_path, f"{self.name} tasks test the module 'solution'")
        if not folders.get("buggy"):
            raise TaskFormatError(meta_path.parent / "buggy", f"{self.name} tasks need buggy/*.py")

    def candidate_file(self, task: TaskSpec) -> str:
        """The candidate's test file."""
        return self.test_file

    def wall(self, task: TaskSpec) -> float:
        """One pytest run per implementation, within the write-tests budget."""
        return write_tests_budget(task.limits.wall_seconds, len(write_tests_ids(task)))[1]

    def job(self, task: TaskSpec, candidate: str) -> dict[str, Any]:
        """Run the candidate's tests against every implementation, each freshly disguised."""
        implementations = {"implementation": disguise(task.implementation)}
        for name in sorted(task.variants):
            implementations[f"variant/{name}"] = disguise(task.variants[name])
        for name in sorted(task.buggy):
            implementations[f"buggy/{name}"] = disguise(task.buggy[name])
        per_run = write_tests_budget(task.limits.wall_seconds, len(implementations))[0]
        return {
            "mode": self.mode,
            "tests": candidate,
            "test_name": self.test_file,
            "implementations": implementations,
            "per_run": per_run,
        }

    def samples_job(self, task: TaskSpec, candidate: str) -> dict[str, Any]:
        """The candidate's tests against the shown implementation."""
        files = {"solution.py": task.implementation, self.test_file: candidate}
        return {"mode": "samples", "files": files, "tests": self.test_file}

    def golden(self, ctx: Context, raw: RawRun) -> tuple[dict[str, Any], dict[str, float]]:
        """The reference tests must earn full marks; only the bugs carry weight."""
        task = ctx.task
        report = self._report(task, raw)
        seen = self._observations(task, raw, report, write_tests_ids(task))
        result = grade_write_tests(ctx, raw)
        if not result.passed:
            raise GoldenError(f"{task.slug}: reference tests do not earn full marks: "
                              f"{result.reason}")  # fmt: skip
        return seen, {run_id: 1.0 if run_id.startswith("buggy/") else 0.0 for run_id in seen}

    def grade(self, ctx: Context, golden: Golden, raw: RawRun) -> RunResult:
        """Score the test file by the bugs it catches."""
        return grade_write_tests(ctx, raw)


class ProjectKind(TaskKind):
    """A small repository instead of one file: the candidate edits, creates and deletes files
    under the task's editable paths; sample tests are the project's own visible tests and
    hidden probes drive the candidate's project from outside it.

    The folder holds ``project/`` (the starter tree), ``reference/`` (the files the reference
    solution changes or adds), ``correct/<name>/`` and ``faulty/<name>/`` (the same, per
    variant), ``probes.py``, and in task.yaml ``project: {editable: [patterns], tests: path,
    services: [...]}``. Submissions are workspace documents (``sandbox.workspace``).
    """

    files: ClassVar[tuple[str, ...]] = ("probes.py",)
    trees: ClassVar[tuple[str, ...]] = ("project", "reference")

    variant_form: ClassVar[str] = "folder"
    hands_on: ClassVar[bool] = True

    def variants_in(self, folder: Path) -> list[Path]:
        """The variants in a correct/ or faulty/ folder: one folder each."""
        return _subfolders(folder)

    services: ClassVar[frozenset[str]] = frozenset({"postgres", "redis"})

    def read(self, folder: Path, meta: dict[str, Any]) -> dict[str, Any]:
        """The starter and reference trees and the faulty variants, each a checked workspace
        document; the reference and variants may change only editable paths."""
        config = self.config_of(folder / "task.yaml", meta)
        for name in self.trees:
            if not (folder / name).is_dir():
                raise TaskFormatError(folder / name, f"{self.name} tasks need a {name}/ folder")
        starter = self._tree(folder / "project")
        if not any(path == config["tests"] or path.startswith(config["tests"] + "/")
                   for path in starter):  # fmt: skip
            raise TaskFormatError(folder / "task.yaml", f"project tests {config['tests']!r} "
                                  "are not in project/")  # fmt: skip
        faulty = {
            path.name: self._variant(starter, path, config["editable"])
            for path in self.variants_in(folder / "faulty")
        }
        return {
            "starter": workspace.dump(starter),
            "reference": self._variant(starter, folder / "reference", config["editable"]),
            "visible_tests": "",
            "faulty": faulty,
        }

    @staticmethod
    def config_of(meta_path: Path, meta: dict[str, Any]) -> dict[str, Any]:
        """The ``project`` mapping of task.yaml, checked: editable patterns, the visible
        tests' path, the services it needs."""
        config = meta.get("project")
        if not isinstance(config, dict) or set(config) - PROJECT_KEYS:
            raise TaskFormatError(
                meta_path, f"project may map only {', '.join(sorted(PROJECT_KEYS))}"
            )
        patterns = config.get("editable")
        if (
            not isinstance(patterns, list)
            or not patterns
            or not all(
                isinstance(p, str) and p and not p.startswith("/") and ".." not in p
                for p in patterns
            )
        ):
            raise TaskFormatError(meta_path, "project.editable must list relative path patterns")
        tests = config.get("tests")
        try:
            workspace.check_path(tests)
        except workspace.WorkspaceError as exc:
            raise TaskFormatError(meta_path, f"project.tests: {exc}") from exc
        services = config.get("services", [])
        if not isinstance(services, list) or not set(services) <= ProjectKind.services:
            choices = ", ".join(sorted(ProjectKind.services))
            raise TaskFormatError(meta_path, f"project.services may list {choices}")
        image = config.get("image", "services" if services else "default")
        if image not in PROFILES:
            raise TaskFormatError(meta_path, f"project.image may be {', '.join(PROFILES)}")
        if services and image != "services":
            raise TaskFormatError(meta_path, "project.services run only in the services image")
        return {
            "editable": list(patterns),
            "tests": tests,
            "services": sorted(set(services)),
            "image": image,
            "checks": ProjectKind._checks_of(meta_path, config.get("checks", [])),
        }

    @staticmethod
    def _checks_of(meta_path: Path, checks: Any) -> list[dict[str, Any]]:
        """``project.checks``, checked: each a file, a check kind, some of its rules, a
        positive weight per rule (default 1)."""
        if not isinstance(checks, list):
            raise TaskFormatError(meta_path, "project.checks must be a list")
        checked: list[dict[str, Any]] = []
        for n, check in enumerate(checks, 1):
            where = f"project.checks[{n}]"
            if not isinstance(check, dict) or set(check) - {"file", "kind", "rules", "weight"}:
                raise TaskFormatError(meta_path, f"{where} maps file, kind, rules and weight")
            try:
                workspace.check_path(check.get("file"))
            except workspace.WorkspaceError as exc:
                raise TaskFormatError(meta_path, f"{where}.file: {exc}") from exc
            if check.get("kind") not in static_checks.KINDS:
                kinds = ", ".join(static_checks.KINDS)
                raise TaskFormatError(meta_path, f"{where}.kind must be one of {kinds}")
            offered = static_checks.KINDS[check["kind"]][1]
            rules = check.get("rules")
            if not isinstance(rules, list) or not rules or not set(rules) <= set(offered):
                raise TaskFormatError(
                    meta_path, f"{where}.rules must list some of {', '.join(offered)}"
                )
            weight = check.get("weight", 1)
            if type(weight) not in (int, float) or weight <= 0:
                raise TaskFormatError(meta_path, f"{where}.weight must be a positive number")
            checked.append({**check, "rules": list(dict.fromkeys(rules)), "weight": weight})
        return checked

    def config(self, task: TaskSpec) -> dict[str, Any]:
        """The checked ``project`` settings of a loaded task."""
        return self.config_of(Path("task.yaml"), task.meta)

    def _tree(self, folder: Path) -> dict[str, str]:
        """A folder of the task as a tree, its problems named as task format errors."""
        try:
            return workspace.read_tree(folder)
        except workspace.WorkspaceError as exc:
            raise TaskFormatError(folder, str(exc)) from exc

    def _variant(self, starter: dict[str, str], folder: Path, editable: list[str]) -> str:
        """The starter with a variant folder's files over it, as a submission document."""
        changes = self._tree(folder)
        try:
            return workspace.dump(workspace.merge(starter, {**starter, **changes}, editable))
        except workspace.WorkspaceError as exc:
            raise TaskFormatError(folder, str(exc)) from exc

    def candidate_file(self, task: TaskSpec) -> str:
        """The name a submission goes by in messages."""
        return "project"

    def image_profile(self, task: TaskSpec) -> str:
        """The image task.yaml names; the services image when the project needs PostgreSQL
        or Redis, and for git or the web stack without them (``image: services``)."""
        return str(self.config(task)["image"])

    def runner_limits(self, task: TaskSpec) -> Limits:
        """Room on the tmpfs for the services' data (a PostgreSQL cluster is about 28 MB)."""
        if not self.config(task)["services"]:
            return task.limits
        return replace(task.limits, tmpfs_mb=max(task.limits.tmpfs_mb, SERVICES_TMPFS_MB))

    def check_source(self, task: TaskSpec, data: bytes, limit: int) -> CheckedSource:
        """A workspace document whose files obey the workspace rules and change only
        editable paths; what runs is that merged over the starter's read-only files."""
        submitted = workspace.parse(data)
        starter = workspace.parse(task.starter)
        tree = workspace.merge(starter, submitted, self.config(task)["editable"])
        return CheckedSource(text=workspace.dump(tree), tree=workspace.python_tree(tree))

    def job(self, task: TaskSpec, candidate: str) -> dict[str, Any]:
        """Probes against the candidate's project, its services started first."""
        return {
            "mode": self.mode,
            "module": task.module,
            "files": workspace.parse(candidate),
            "probes": task.probes,
            "services": self.config(task)["services"],
        }

    def samples_job(self, task: TaskSpec, candidate: str) -> dict[str, Any]:
        """The project's own visible tests."""
        config = self.config(task)
        return {
            "mode": "samples",
            "files": workspace.parse(candidate),
            "tests": config["tests"],
            "services": config["services"],
        }

    def golden(self, ctx: Context, raw: RawRun) -> tuple[dict[str, Any], dict[str, float]]:
        """The probes' golden observations, and the host's checks of the reference's files
        (which must satisfy every rule the task lists)."""
        seen, weights = super().golden(ctx, raw)
        checks = self.config(ctx.task)["checks"]
        host = static_checks.observe(checks, workspace.parse(ctx.task.reference))
        failed = [key for key, value in host.items() if value is not True]
        if failed:
            raise GoldenError(f"{ctx.task.slug}: the reference fails {', '.join(failed)}")
        return {**seen, **host}, {**weights, **static_checks.check_ids(checks)}

    def grade(self, ctx: Context, golden: Golden, raw: RawRun) -> RunResult:
        """The probes, and the host's checks of the submitted files."""
        checks = self.config(ctx.task)["checks"]
        host = static_checks.observe(checks, workspace.parse(ctx.source)) if checks else {}
        result = grade_probes(ctx, golden, raw, host)
        if not host or not result.tests:
            return result
        tests = tuple(
            replace(t, message=static_checks.describe(t.id, host[t.id]))
            if t.id in host and not t.passed
            else t
            for t in result.tests
        )
        return replace(result, tests=tests)

    def authored(self, task: TaskSpec, folder: Path, group: str) -> dict[str, bytes]:
        """The starter, the reference, and each correct/ or faulty/ variant folder, as
        workspace documents."""
        if group == "starter":
            return {"project/": task.starter.encode()}
        if group == "reference":
            return {"reference/": task.reference.encode()}
        starter = workspace.parse(task.starter)
        editable = self.config(task)["editable"]
        return {
            f"{p.name}/": self._variant(starter, p, editable).encode()
            for p in self.variants_in(folder / group)
        }


REGISTRY: dict[str, TaskKind] = {}


def register(kind: TaskKind) -> TaskKind:
    """Make ``kind`` usable in task folders (a name registered twice is a programming error)."""
    if kind.name in REGISTRY:
        raise ValueError(f"task kind {kind.name!r} is registered twice")
    REGISTRY[kind.name] = kind
    return kind


def get(name: str) -> TaskKind:
    """The registered kind called ``name`` (KeyError when there is none)."""
    return REGISTRY[name]


def is_hands_on(name: str) -> bool:
    """Whether tasks of the kind ``name`` are worked in a real project rather than one file
    (False for a name no kind is registered under)."""
    return name in REGISTRY and REGISTRY[name].hands_on


def names() -> tuple[str, ...]:
    """Every registered kind's name, in registration order."""
    return tuple(REGISTRY)


for _kind in (
    TaskKind("implement"),
    TaskKind("fix"),
    WriteTestsKind("write-tests"),
    OptimiseKind("optimise"),
    TaskKind("secure"),
    TaskKind("async"),
    ProjectKind("project"),
):
    register(_kind)
