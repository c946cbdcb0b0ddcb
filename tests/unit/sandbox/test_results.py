"""Results serialize completely; golden data survives storage."""

from __future__ import annotations

from sandbox import Golden, RunResult, TestOutcome, Verdict


def test_verdict_values() -> None:
    """Verdicts are strings, one per outcome the issue names."""
    assert {v.value for v in Verdict} == {
        "passed", "failed", "error", "timeout", "memory_limit", "output_limit",
        "rejected", "invalid_report",
    }  # fmt: skip
    assert Verdict.PASSED == "passed"


def test_run_result_to_json_has_every_field() -> None:
    """The JSON form has the keys the app and the CLI rely on."""
    result = RunResult(
        task="t",
        verdict=Verdict.FAILED,
        score=0.123456,
        tests=(TestOutcome("p", False, "raised KeyError", 2.0),),
        reason="1 of 1 hidden checks failed",
        cpu_s=0.5,
        peak_memory_mb=12.34,
        flags=("line 1: calls exec",),
    )
    data = result.to_json()
    assert set(data) >= {
        "task", "verdict", "score", "tests", "duration_s", "cpu_s", "peak_memory_mb",
        "reason", "stdout", "stderr", "flags",
    }  # fmt: skip
    assert data["score"] == 0.1235
    assert data["tests"][0] == {
        "id": "p", "passed": False, "message": "raised KeyError", "weight": 2.0, "stdout": ""
    }  # fmt: skip
    assert not result.passed
    empty = RunResult("t", Verdict.REJECTED, 0.0).to_json()
    assert empty["cpu_s"] is None
    assert empty["peak_memory_mb"] is None


def test_golden_round_trip_keeps_order() -> None:
    """Probe order survives JSON."""
    golden = Golden("t", "h", {"b": 1, "a": [1]}, {"b": 2.0, "a": 1.0}, 0.25, "img")
    again = Golden.from_json(golden.to_json())
    assert again == golden
    assert again.probe_ids == ["b", "a"]
