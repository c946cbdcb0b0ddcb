"""Turn what the host saw of a run into a typed result (pure functions, no Docker).

The report is read as data: size-capped by the caller, parsed, schema-checked.
Probe observations are compared with golden ones held only by the host; the
probe ids must be exactly the trusted list.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sandbox.container import RawRun
from sandbox.results import Golden, RunResult, TestOutcome, Verdict

if TYPE_CHECKING:
    from sandbox.taskdir import TaskSpec

OUTPUT_SHOWN = 16 * 1024
STATES = ("done", "timeout", "output")


class ReportInvalidError(Exception):
    """The container's report is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class Context:
    """Things a result carries besides the report: flags, notes, the task."""

    task: TaskSpec
    flags: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    kind: str = "grade"
    source: str = ""  # the checked submission, for checks the host makes on its text


def _text(value: Any, limit: int = OUTPUT_SHOWN) -> str:
    """A capped, printable string from a report field (lone surrogates replaced)."""
    if not isinstance(value, str):
        return ""
    return value[:limit].encode("utf-8", "replace").decode("utf-8")


def parse_report(raw: RawRun, mode: str) -> dict[str, Any]:
    """Parse and schema-check the report line, or raise :class:`ReportInvalidError`."""
    if raw.report is None:
        raise ReportInvalidError(f"no report ({raw.status})")
    try:
        report = json.loads(raw.report)
    except ValueError as exc:
        raise ReportInvalidError("the report is not JSON") from exc
    except RecursionError as exc:
        raise ReportInvalidError("the report is nested too deeply") from exc
    if not isinstance(report, dict) or report.get("v") != 1 or report.get("mode") != mode:
        raise ReportInvalidError("the report has the wrong shape")
    if "harness_error" in report:
        raise ReportInvalidError(f"the harness failed: {_text(report['harness_error'], 300)}")
    if not isinstance(report.get("events", []), list):
        raise ReportInvalidError("the report's events are malformed")
    if report.get("state") not in STATES:
        raise ReportInvalidError("the report has no valid state")
    key = "tests" if mode in ("samples", "script") else "probes"
    items = report.get(key)
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ReportInvalidError(f"the report's {key} are malformed")
    for item in items:
        name = item.get("test" if mode in ("samples", "script") else "id")
        if not isinstance(name, str):
            raise ReportInvalidError("a report entry has no id")
    return report


def observations(report: dict[str, Any], trusted: list[str]) -> dict[str, Any]:
    """Probe observations keyed by id; the ids must equal ``trusted`` exactly."""
    seen: dict[str, Any] = {}
    for item in report["probes"]:
        if item["id"] in seen:
            raise ReportInvalidError(f"probe {item['id']!r} reported twice")
        if "obs" not in item:
            raise ReportInvalidError(f"probe {item['id']!r} has no observation")
        seen[item["id"]] = item["obs"]
    if set(seen) != set(trusted):
        unknown = sorted(set(seen) - set(trusted))[:3]
        missing = sorted(set(trusted) - set(seen))[:3]
        raise ReportInvalidError(f"probe ids differ from the trusted list ({unknown=}, {missing=})")
    return seen


def same(seen: Any, golden: Any) -> bool:
    """Whether an observation equals the golden one, type for type.

    Python's ``==`` would let ``True`` or ``1.0`` stand for ``1``; JSON keeps
    those types apart and so does this comparison. Iterative, for deep values.
    """
    stack = [(seen, golden)]
    while stack:
        left, right = stack.pop()
        if type(left) is not type(right):
            return False
        if isinstance(left, dict):
            if left.keys() != right.keys():
                return False
            stack.extend((left[key], right[key]) for key in left)
        elif isinstance(left, list):
            if len(left) != len(right):
                return False
            stack.extend(zip(left, right, strict=True))
        elif left != right:
            return False
    return True


def describe(obs: Any) -> str:
    """A candidate-safe description of a non-matching observation (never the expected one)."""
    if isinstance(obs, dict) and len(obs) == 1:
        key, value = next(iter(obs.items()))
        if key == "raised":
            return f"raised {_text(value, 60)}"
        if key == "crashed":
            return f"the process crashed ({_status(value)})"
        if key == "timeout":
            return "timed out"
        if key == "output":
            return "stopped: output limit exceeded"
        if key == "unencodable":
            return f"returned a value that is not plain data ({_text(value, 80)})"
        if key == "not_run":
            return f"not run: {_text(value, 120)}"
    return "returned a different result"


def _status(value: Any) -> str:
    """Describe a wait status from the report."""
    if isinstance(value, dict) and type(value.get("signal")) is int:
        return f"killed by signal {value['signal']}"
    if isinstance(value, dict) and type(value.get("exit")) is int:
        return f"exit status {value['exit']}"
    return "killed"


def _base(ctx: Context, raw: RawRun, verdict: Verdict, reason: str, **kw: Any) -> RunResult:
    """A RunResult carrying the host's measurements."""
    reason = "; ".join(filter(None, [reason, *ctx.notes]))
    return RunResult(
        task=ctx.task.slug,
        verdict=verdict,
        score=kw.pop("score", 0.0),
        reason=reason,
        duration_s=raw.duration_s,
        cpu_s=raw.cpu_s,
        peak_memory_mb=raw.peak_memory_mb,
        flags=ctx.flags,
        kind=ctx.kind,
        **kw,
    )


def host_failure(ctx: Context, raw: RawRun, wall: float) -> RunResult | None:
    """A result for runs the host had to stop itself (no usable report), else None."""
    if raw.status == "timeout":
        return _base(ctx, raw, Verdict.TIMEOUT, f"the run exceeded the {wall:g} s wall-clock limit")
    if raw.status == "too_large":
        return _base(ctx, raw, Verdict.OUTPUT_LIMIT, "the run produced too much output")
    if raw.status == "eof" or raw.report is None:
        if raw.oom:
            return _base(ctx, raw, Verdict.MEMORY_LIMIT, "the run exceeded its memory limit")
        return _base(ctx, raw, Verdict.INVALID_REPORT, "the sandbox ended without a report")
    return None


def _problem(report: dict[str, Any], raw: RawRun, limits_wall: float) -> tuple[Verdict, str]:
    """The verdict and reason of a run whose probes did not all pass."""
    if raw.oom:
        return Verdict.MEMORY_LIMIT, "the code exceeded its memory limit"
    if report["state"] == "timeout":
        return Verdict.TIMEOUT, f"the run exceeded the {limits_wall:g} s wall-clock limit"
    if report["state"] == "output":
        return Verdict.OUTPUT_LIMIT, "the code wrote more output than allowed"
    return Verdict.FAILED, ""


def grade_probes(
    ctx: Context, golden: Golden, raw: RawRun, host: dict[str, Any] | None = None
) -> RunResult:
    """Compare a probe report with the golden observations and score it. ``host`` holds
    observations the host made itself: the report may not carry those ids."""
    stopped = host_failure(ctx, raw, effective_wall(ctx.task))
    if stopped is not None:
        return stopped
    host = host or {}
    try:
        report = parse_report(raw, "probes")
        seen = observations(report, [i for i in golden.probe_ids if i not in host])
        seen.update(host)
    except ReportInvalidError as exc:
        return _base(ctx, raw, Verdict.INVALID_REPORT, f"invalid report: {exc}")
    tests: list[TestOutcome] = []
    earned = 0.0
    total = sum(golden.weights.values()) or 1.0
    for probe_id in golden.probe_ids:
        weight = golden.weights[probe_id]
        ok = same(seen[probe_id], golden.observations[probe_id])
        earned += weight if ok else 0.0
        tests.append(TestOutcome(probe_id, ok, "ok" if ok else describe(seen[probe_id]), weight))
    score = earned / total
    stdout, stderr = _text(report.get("stdout")), _text(report.get("stderr"))
    events = [_text(e, 200) for e in report.get("events", []) if isinstance(e, str)]
    if score == 1.0:
        return _base(ctx, raw, Verdict.PASSED, "", score=1.0, tests=tuple(tests),
                     stdout=stdout, stderr=stderr)  # fmt: skip
    verdict, reason = _problem(report, raw, effective_wall(ctx.task))
    slow = [k for k, v in seen.items() if v == {"timeout": True}]
    if verdict is Verdict.FAILED and slow:
        verdict, reason = Verdict.TIMEOUT, f"{len(slow)} hidden check(s) exceeded their time limit"
    if verdict is Verdict.FAILED and all(
        isinstance(o, dict) and "not_run" in o for o in seen.values()
    ):
        verdict = Verdict.ERROR
        reason = (events[0] if events else "the code could not be run") + " (see stderr)"
    if not reason:
        failed = sum(1 for t in tests if not t.passed)
        reason = f"{failed} of {len(tests)} hidden checks failed"
    return _base(ctx, raw, verdict, reason, score=score, tests=tuple(tests),
                 stdout=stdout, stderr=stderr)  # fmt: skip


def cpu_budget(golden: Golden, factor: float) -> float:
    """The CPU seconds an optimise submission may use."""
    return factor * max(golden.reference_cpu_s, 0.01) + 0.05


def apply_cpu_budget(ctx: Context, golden: Golden, raw: RawRun, passed: RunResult) -> RunResult:
    """An optimise task's CPU budget on a run that passed every probe: a correct but slow
    solution scores half."""
    budget = cpu_budget(golden, ctx.task.limits.cpu_budget_factor)
    weight = sum(t.weight for t in passed.tests)
    used = raw.cpu_s
    within = used is not None and used <= budget
    shown = "unknown" if used is None else f"{used:.3f} s"
    message = f"CPU {shown} within the budget of {budget:.3f} s" if within else (
        f"CPU {shown} over the budget of {budget:.3f} s "
        f"({ctx.task.limits.cpu_budget_factor:g} x the reference)"
    )  # fmt: skip
    tests = (*passed.tests, TestOutcome("cpu-budget", within, message, weight))
    if within:
        return _base(ctx, raw, Verdict.PASSED, "", score=1.0, tests=tests,
                     stdout=passed.stdout, stderr=passed.stderr)  # fmt: skip
    return _base(ctx, raw, Verdict.FAILED, f"correct, but {message}", score=0.5,
                 tests=tests, stdout=passed.stdout, stderr=passed.stderr)  # fmt: skip


def write_tests_budget(wall: float, runs: int) -> tuple[float, float]:
    """Per-run and total seconds of a write-tests job of ``runs`` pytest runs.

    Each run may take half the task's wall-clock limit (at least 2 s); the whole
    job gets that per run, between one and four times the limit in total.
    """
    per_run = max(2.0, wall / 2)
    return per_run, min(max(wall, per_run * runs), 4 * wall)


def effective_wall(task: TaskSpec) -> float:
    """The wall-clock limit of one graded job of ``task`` as a whole (its kind decides)."""
    return task.kind_class.wall(task)


def write_tests_ids(task: TaskSpec) -> list[str]:
    """The trusted run ids of a write-tests task: the implementation, its hidden variants,
    then each bug."""
    return [
        "implementation",
        *(f"variant/{name}" for name in sorted(task.variants)),
        *(f"buggy/{name}" for name in sorted(task.buggy)),
    ]


def grade_write_tests(ctx: Context, raw: RawRun) -> RunResult:
    """Score a test file: it must pass the implementation; score = share of bugs caught."""
    stopped = host_failure(ctx, raw, effective_wall(ctx.task))
    if stopped is not None:
        return stopped
    ids = write_tests_ids(ctx.task)
    try:
        report = parse_report(raw, "write-tests")
        seen = observations(report, ids)
    except ReportInvalidError as exc:
        return _base(ctx, raw, Verdict.INVALID_REPORT, f"invalid report: {exc}")
    stdout, stderr = _text(report.get("stdout")), _text(report.get("stderr"))
    tests: list[TestOutcome] = []
    clean = True
    for run_id in [i for i in ids if not i.startswith("buggy/")]:
        ok = same(seen[run_id], {"exit": 0})
        clean = clean and ok
        what = "the correct implementation" if run_id == "implementation" else (
            "another correct implementation (hidden)"
        )  # fmt: skip
        message = f"your tests pass on {what}" if ok else (
            f"your tests do not pass on {what} ({_run_text(seen[run_id])})"
        )  # fmt: skip
        tests.append(TestOutcome(run_id, ok, message, 0.0))
    bug_ids = [i for i in ids if i.startswith("buggy/")]
    caught = 0
    for run_id in bug_ids:
        hit = same(seen[run_id], {"exit": 1})
        caught += hit
        tests.append(TestOutcome(run_id, hit, "caught" if hit else
                                 f"not caught ({_run_text(seen[run_id])})", 1.0))  # fmt: skip
    bugs = len(bug_ids)
    score = caught / bugs if clean and bugs else 0.0
    if clean and caught == bugs:
        return _base(ctx, raw, Verdict.PASSED, "", score=1.0, tests=tuple(tests),
                     stdout=stdout, stderr=stderr)  # fmt: skip
    verdict, reason = _problem(report, raw, effective_wall(ctx.task))
    if not reason:
        reason = (
            f"your tests caught {caught} of {bugs} faulty implementations"
            if clean
            else "your tests must pass on the correct implementation before bugs count"
        )
    return _base(ctx, raw, verdict, reason, score=score, tests=tuple(tests),
                 stdout=stdout, stderr=stderr)  # fmt: skip


def _run_text(obs: Any) -> str:
    """Describe one pytest run's observation."""
    if isinstance(obs, dict) and type(obs.get("exit")) is int:
        code = obs["exit"]
        words = {0: "all tests passed", 1: "tests failed", 5: "no tests collected"}
        return words.get(code, f"pytest exit status {code}")
    if isinstance(obs, dict) and type(obs.get("signal")) is int:
        return f"killed by signal {obs['signal']}"
    if isinstance(obs, dict) and "timeout" in obs:
        return "timed out"
    return "stopped"


def samples_result(ctx: Context, raw: RawRun) -> RunResult:
    """Visible sample tests: informative per-test outcomes with the candidate's output."""
    stopped = host_failure(ctx, raw, effective_wall(ctx.task))
    if stopped is not None:
        return stopped
    try:
        report = parse_report(raw, "samples")
    except ReportInvalidError as exc:
        return _base(ctx, raw, Verdict.INVALID_REPORT, f"invalid report: {exc}")
    tests = tuple(
        TestOutcome(
            _text(item["test"], 200),
            item.get("outcome") == "passed",
            _text(item.get("message"), 4000) or _text(item.get("outcome"), 20),
            1.0,
            _text(item.get("stdout"), 4000),
        )
        for item in report["tests"]
    )
    stdout, stderr = _text(report.get("stdout")), _text(report.get("stderr"))
    passed = sum(t.passed for t in tests)
    score = passed / len(tests) if tests else 0.0
    if tests and passed == len(tests) and report["state"] == "done":
        return _base(ctx, raw, Verdict.PASSED, "", score=1.0, tests=tests,
                     stdout=stdout, stderr=stderr)  # fmt: skip
    verdict, reason = _problem(report, raw, effective_wall(ctx.task))
    if not reason:
        reason = (
            f"{len(tests) - passed} of {len(tests)} sample tests failed"
            if tests
            else "no sample test ran (see the output)"
        )
    return _base(ctx, raw, verdict, reason, score=score, tests=tests, stdout=stdout,
                 stderr=stderr)  # fmt: skip


def script_result(ctx: Context, raw: RawRun) -> RunResult:
    """A plain ``python main.py`` run: passed on exit status 0, with what it printed."""
    stopped = host_failure(ctx, raw, ctx.task.limits.wall_seconds)
    if stopped is not None:
        return stopped
    try:
        report = parse_report(raw, "script")
    except ReportInvalidError as exc:
        return _base(ctx, raw, Verdict.INVALID_REPORT, f"invalid report: {exc}")
    stdout, stderr = _text(report.get("stdout")), _text(report.get("stderr"))
    found = report.get("status")
    status: dict[str, Any] = found if isinstance(found, dict) else {}
    if report["state"] == "done" and status.get("exit") == 0:
        return _base(ctx, raw, Verdict.PASSED, "", score=1.0, stdout=stdout, stderr=stderr)
    verdict, reason = _problem(report, raw, ctx.task.limits.wall_seconds)
    if verdict is Verdict.FAILED and not reason:
        reason = _status_reason(status)
    return _base(ctx, raw, verdict, reason, stdout=stdout, stderr=stderr)


def _status_reason(status: dict[str, Any]) -> str:
    """How a program ended, in words."""
    for key, words in (("signal", "was killed by signal"), ("exit", "exited with status")):
        value = status.get(key)
        if type(value) is int:
            return f"the program {words} {value}"
    return "the program was stopped"
