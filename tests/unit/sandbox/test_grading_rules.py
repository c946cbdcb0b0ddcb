"""Pure grading rules: reports are data, ids must match, verdicts and messages are right."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sandbox import Golden, TaskSpec, Verdict, load_task
from sandbox.container import RawRun
from sandbox.grading import (
    Context,
    cpu_budget,
    describe,
    grade_probes,
    grade_write_tests,
    same,
    samples_result,
    write_tests_budget,
    write_tests_ids,
)

FIXTURES = Path(__file__).parents[2] / "integration" / "sandbox" / "tasks"
IDS = ["simple", "case-folded", "empty", "whitespace", "rejects-non-str"]
GOOD = {i: {"dict": [[i, 1]]} for i in IDS}


@pytest.fixture(scope="module")
def word_count() -> TaskSpec:
    """The implement fixture task."""
    return load_task(FIXTURES / "word-count")


@pytest.fixture(scope="module")
def golden(word_count: TaskSpec) -> Golden:
    """Made-up golden observations."""
    weights = {i: 2.0 if i == "simple" else 1.0 for i in IDS}
    return Golden("word-count", word_count.content_hash, dict(GOOD), weights, 0.01)


def raw(report: Any = None, status: str = "ok", oom: bool = False, cpu: float = 0.01) -> RawRun:
    """A RawRun carrying ``report`` (a dict is JSON-encoded)."""
    data = report if report is None or isinstance(report, bytes) else json.dumps(report).encode()
    return RawRun(data, status, 0.05, cpu, 12.0, oom)


def probes_report(obs: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """A well-formed probes report."""
    obs = GOOD if obs is None else obs
    report = {
        "v": 1,
        "mode": "probes",
        "state": "done",
        "events": [],
        "stdout": "out",
        "stderr": "",
        "probes": [{"id": k, "obs": v} for k, v in obs.items()],
    }
    report.update(extra)
    return report


def grade(task: TaskSpec, golden: Golden, run: RawRun) -> Any:
    """Grade with an empty context, as the task's kind does."""
    return task.kind_class.grade(Context(task), golden, run)


def test_all_matching_passes(word_count: TaskSpec, golden: Golden) -> None:
    """Matching observations pass with full score and output kept."""
    result = grade(word_count, golden, raw(probes_report()))
    assert result.verdict is Verdict.PASSED
    assert result.score == 1.0
    assert result.stdout == "out"
    assert result.to_json()["verdict"] == "passed"


def test_weights_score_partially(word_count: TaskSpec, golden: Golden) -> None:
    """A failed weight-2 probe costs 2/6 of the score."""
    obs = {**GOOD, "simple": {"raised": "KeyError"}}
    result = grade(word_count, golden, raw(probes_report(obs)))
    assert result.verdict is Verdict.FAILED
    assert result.score == pytest.approx(4 / 6)
    assert result.tests[0].message == "raised KeyError"
    assert result.reason == "1 of 5 hidden checks failed"


@pytest.mark.parametrize(
    ("report", "message"),
    [
        (b"not json", "not JSON"),
        (b"[1, 2]", "wrong shape"),
        ({"v": 2}, "wrong shape"),
        ({"v": 1, "mode": "samples"}, "wrong shape"),
        ({"v": 1, "mode": "probes", "harness_error": "boom"}, "harness failed: boom"),
        ({"v": 1, "mode": "probes", "state": "weird"}, "no valid state"),
        ({"v": 1, "mode": "probes", "state": "done", "probes": "x"}, "malformed"),
        ({"v": 1, "mode": "probes", "state": "done", "probes": [{"id": 3}]}, "no id"),
    ],
)
def test_malformed_reports_are_invalid(
    word_count: TaskSpec, golden: Golden, report: Any, message: str
) -> None:
    """A report that is not the expected data is never a pass."""
    result = grade(word_count, golden, raw(report))
    assert result.verdict is Verdict.INVALID_REPORT
    assert message in result.reason


def test_probe_ids_must_equal_the_trusted_list(word_count: TaskSpec, golden: Golden) -> None:
    """Missing, extra or repeated probe ids make the report invalid, even if all match."""
    missing = {k: v for k, v in GOOD.items() if k != "empty"}
    extra = {**GOOD, "bonus": 1}
    for obs in (missing, extra):
        result = grade(word_count, golden, raw(probes_report(obs)))
        assert result.verdict is Verdict.INVALID_REPORT
        assert "trusted list" in result.reason
    twice = probes_report()
    twice["probes"].append({"id": "simple", "obs": GOOD["simple"]})
    assert grade(word_count, golden, raw(twice)).verdict is Verdict.INVALID_REPORT
    no_obs = probes_report()
    del no_obs["probes"][0]["obs"]
    assert "no observation" in grade(word_count, golden, raw(no_obs)).reason


@pytest.mark.parametrize(
    ("run", "verdict"),
    [
        (raw(None, "timeout"), Verdict.TIMEOUT),
        (raw(None, "too_large"), Verdict.OUTPUT_LIMIT),
        (raw(None, "eof", oom=True), Verdict.MEMORY_LIMIT),
        (raw(None, "eof"), Verdict.INVALID_REPORT),
    ],
)
def test_host_side_stops(
    word_count: TaskSpec, golden: Golden, run: RawRun, verdict: Verdict
) -> None:
    """Runs the host had to stop get their verdict without a report."""
    result = grade(word_count, golden, run)
    assert result.verdict is verdict
    assert result.reason
    assert result.score == 0


@pytest.mark.parametrize(
    ("state", "oom", "verdict"),
    [
        ("timeout", False, Verdict.TIMEOUT),
        ("output", False, Verdict.OUTPUT_LIMIT),
        ("done", True, Verdict.MEMORY_LIMIT),
        ("timeout", True, Verdict.MEMORY_LIMIT),
    ],
)
def test_in_container_stops(
    word_count: TaskSpec, golden: Golden, state: str, oom: bool, verdict: Verdict
) -> None:
    """Timeouts, output floods and OOM kills reported by the harness."""
    obs = {**GOOD, "empty": {"timeout": True}}
    result = grade(word_count, golden, raw(probes_report(obs, state=state), oom=oom))
    assert result.verdict is verdict
    assert 0 < result.score < 1


def test_nothing_ran_is_an_error(word_count: TaskSpec, golden: Golden) -> None:
    """When every probe was not run, the verdict is error with the harness's event."""
    obs = {i: {"not_run": "import raised ImportError"} for i in IDS}
    report = probes_report(obs, events=["import raised ImportError"])
    result = grade(word_count, golden, raw(report))
    assert result.verdict is Verdict.ERROR
    assert result.reason.startswith("import raised ImportError")


@pytest.mark.parametrize(
    ("obs", "message"),
    [
        ({"raised": "ValueError"}, "raised ValueError"),
        ({"crashed": {"signal": 11}}, "the process crashed (killed by signal 11)"),
        ({"crashed": {"exit": 0}}, "the process crashed (exit status 0)"),
        ({"crashed": None}, "the process crashed (killed)"),
        ({"timeout": True}, "timed out"),
        ({"output": True}, "stopped: output limit exceeded"),
        ({"unencodable": "value of type X is not plain data"}, "not plain data"),
        ({"not_run": "timeout"}, "not run: timeout"),
        ({"dict": [["a", 1]]}, "returned a different result"),
        (42, "returned a different result"),
    ],
)
def test_messages_never_show_expected_values(obs: Any, message: str) -> None:
    """Messages describe the candidate's observation only."""
    assert message in describe(obs)


def test_optimise_budget(golden: Golden) -> None:
    """Within the budget passes; over it (or unknown CPU) scores half."""
    task = load_task(FIXTURES / "fast-sum")
    fast_golden = Golden("fast-sum", task.content_hash, {"small": 1, "large": 2},
                         {"small": 1.0, "large": 2.0}, 0.1)  # fmt: skip
    report = {"v": 1, "mode": "probes", "state": "done", "events": [],
              "probes": [{"id": "small", "obs": 1}, {"id": "large", "obs": 2}]}  # fmt: skip
    assert cpu_budget(fast_golden, 3.0) == pytest.approx(0.35)
    fast = grade(task, fast_golden, raw(report, cpu=0.2))
    assert fast.verdict is Verdict.PASSED
    assert fast.tests[-1].id == "cpu-budget"
    slow = grade(task, fast_golden, raw(report, cpu=2.0))
    assert slow.verdict is Verdict.FAILED
    assert slow.score == 0.5
    assert "over the budget" in slow.reason
    unknown = grade(task, fast_golden, raw(report, cpu=None))  # type: ignore[arg-type]
    assert unknown.verdict is Verdict.FAILED
    assert "unknown" in unknown.reason


@pytest.fixture(scope="module")
def clamp() -> TaskSpec:
    """The write-tests fixture task."""
    return load_task(FIXTURES / "clamp-tests")


def runs(impl: Any, *bugs: Any, state: str = "done") -> RawRun:
    """A write-tests report."""
    ids = ["buggy/no-check", "buggy/swapped", "buggy/upper-open"]
    probes = [{"id": "implementation", "obs": impl}] + [
        {"id": i, "obs": o} for i, o in zip(ids, bugs, strict=True)
    ]
    report = {"v": 1, "mode": "write-tests", "state": state, "events": [], "probes": probes}
    return raw(report)


def test_write_tests_rules(clamp: TaskSpec) -> None:
    """Must pass the implementation; only exit status 1 counts as catching a bug."""
    ctx = Context(clamp)
    full = grade_write_tests(ctx, runs({"exit": 0}, {"exit": 1}, {"exit": 1}, {"exit": 1}))
    assert full.verdict is Verdict.PASSED
    part = grade_write_tests(ctx, runs({"exit": 0}, {"exit": 1}, {"exit": 0}, {"signal": 9}))
    assert part.score == pytest.approx(1 / 3)
    assert "killed by signal 9" in part.tests[3].message
    assert "all tests passed" in part.tests[2].message
    broken = grade_write_tests(ctx, runs({"exit": 5}, {"exit": 1}, {"exit": 1}, {"exit": 1}))
    assert broken.score == 0
    assert "no tests collected" in broken.tests[0].message
    slow = grade_write_tests(
        ctx, runs({"timeout": True}, {"not_run": "x"}, {"exit": 3}, {"exit": 1}, state="timeout")
    )
    assert slow.verdict is Verdict.TIMEOUT
    assert "timed out" in slow.tests[0].message
    assert "stopped" in slow.tests[1].message
    assert "pytest exit status 3" in slow.tests[2].message
    assert grade_write_tests(ctx, raw(None, "timeout")).verdict is Verdict.TIMEOUT
    assert grade_write_tests(ctx, raw(b"{}")).verdict is Verdict.INVALID_REPORT


def test_samples_rules(word_count: TaskSpec) -> None:
    """Samples: all passed is a pass; none ran is a failure with a reason."""
    ctx = Context(word_count, kind="samples")
    base = {"v": 1, "mode": "samples", "state": "done", "stdout": "", "stderr": ""}
    tests = [{"test": "t::a", "outcome": "passed", "message": "", "stdout": "hi"}]
    ok = samples_result(ctx, raw({**base, "tests": tests}))
    assert ok.verdict is Verdict.PASSED
    assert ok.tests[0].stdout == "hi"
    assert ok.to_json()["kind"] == "samples"
    empty = samples_result(ctx, raw({**base, "tests": []}))
    assert empty.verdict is Verdict.FAILED
    assert "no sample test ran" in empty.reason
    assert samples_result(ctx, raw(b"x")).verdict is Verdict.INVALID_REPORT
    assert samples_result(ctx, raw(None, "timeout")).verdict is Verdict.TIMEOUT


def test_report_text_is_capped_and_printable(word_count: TaskSpec, golden: Golden) -> None:
    """Strings that came from the container are capped and safe to print."""
    obs = {i: {"not_run": "x"} for i in IDS}
    report = probes_report(obs, events=["import raised \udcff" + "y" * 1000], stdout="a\udcffb")
    result = grade(word_count, golden, raw(report))
    assert len(result.reason) < 260
    result.reason.encode("utf-8")
    assert result.stdout == "a?b"


def test_write_tests_budget() -> None:
    """Each pytest run gets half the wall limit (at least 2 s); the job 1x to 4x the limit."""
    assert write_tests_budget(10, 12) == (5.0, 40.0)
    assert write_tests_budget(10, 2) == (5.0, 10.0)
    assert write_tests_budget(3, 4) == (2.0, 8.0)


def test_observations_compare_type_for_type() -> None:
    """``True`` or ``1.0`` never stands for ``1``; deep values compare without recursion."""
    assert same({"dict": [["a", 1]]}, {"dict": [["a", 1]]})
    assert not same({"dict": [["a", 1.0]]}, {"dict": [["a", 1]]})
    assert not same({"dict": [["a", True]]}, {"dict": [["a", 1]]})
    assert not same([1, 2], [1, 2, 3])
    assert not same({"a": 1}, {"b": 1})
    assert not same("1", 1)
    deep: Any = []
    for _ in range(5000):
        deep = [deep]
    assert same(deep, deep)


def test_a_probe_answered_with_floats_for_ints_fails(word_count: TaskSpec, golden: Golden) -> None:
    """An observation equal under Python's ``==`` but of another type is a mismatch."""
    obs = {**GOOD, "simple": {"dict": [["simple", 1.0]]}, "empty": {"dict": [["empty", True]]}}
    result = grade_probes(Context(word_count), golden, raw(probes_report(obs)))
    assert result.verdict is Verdict.FAILED
    assert [t.id for t in result.tests if not t.passed] == ["simple", "empty"]


def test_a_deeply_nested_report_is_invalid_not_a_crash(
    word_count: TaskSpec, golden: Golden
) -> None:
    """A report nested past the recursion limit is an invalid report, never RecursionError."""
    nested = b"[" * 5000 + b"]" * 5000
    data = b'{"v":1,"mode":"probes","state":"done","probes":[{"id":"simple","obs":%s}]}' % nested
    result = grade_probes(Context(word_count), golden, raw(data))
    assert result.verdict is Verdict.INVALID_REPORT
    assert "nested too deeply" in result.reason


def test_malformed_events_make_the_report_invalid(word_count: TaskSpec, golden: Golden) -> None:
    """Events must be a list."""
    result = grade_probes(Context(word_count), golden, raw(probes_report(events=7)))
    assert result.verdict is Verdict.INVALID_REPORT


def test_a_sample_outcome_that_is_not_text_is_shown_as_nothing(word_count: TaskSpec) -> None:
    """Sample lines are the candidate's: a non-text outcome is never turned into text."""
    line = {"test": "t", "outcome": [[[1]]], "message": ""}
    report = {"v": 1, "mode": "samples", "state": "done", "status": {"exit": 1}, "stdout": "",
              "stderr": "", "tests": [line]}  # fmt: skip
    result = samples_result(Context(word_count, kind="samples"), raw(report))
    assert result.tests[0].message == ""
    assert not result.tests[0].passed


def test_odd_statuses_are_described_without_formatting_them() -> None:
    """Only integer exit statuses and signals are put into words."""
    assert describe({"crashed": {"signal": [[1]]}}) == "the process crashed (killed)"
    assert describe({"crashed": {"exit": 3}}) == "the process crashed (exit status 3)"


def test_write_tests_must_pass_every_hidden_variant() -> None:
    """A test file that fails a correct variant earns nothing; passing all of them counts."""
    spec = load_task(FIXTURES / "clamp-variants")
    assert write_tests_ids(spec)[:2] == ["implementation", "variant/branches"]

    def report(variant: Any) -> RawRun:
        probes = [{"id": "implementation", "obs": {"exit": 0}},
                  {"id": "variant/branches", "obs": variant}] + [
            {"id": i, "obs": {"exit": 1}} for i in write_tests_ids(spec)[2:]]  # fmt: skip
        return raw({"v": 1, "mode": "write-tests", "state": "done", "events": [],
                    "probes": probes})  # fmt: skip

    full = grade_write_tests(Context(spec), report({"exit": 0}))
    assert full.verdict is Verdict.PASSED and full.score == 1.0
    assert full.tests[1].message == "your tests pass on another correct implementation (hidden)"
    picky = grade_write_tests(Context(spec), report({"exit": 1}))
    assert picky.score == 0.0
    assert "must pass on the correct implementation" in picky.reason
    assert "another correct implementation (hidden) (tests failed)" in picky.tests[1].message
