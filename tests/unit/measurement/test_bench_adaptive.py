"""bench/adaptive.py runs on the real bank and ends with one JSON line carrying every figure
the issue asks for (a small run: the figures themselves are the benchmark's business)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

FIGURES = {"fixed_accuracy", "adaptive_accuracy", "adaptive_items_for_fixed_accuracy_ratio",
           "max_item_exposure", "coverage_95", "candidates", "items"}  # fmt: skip


def test_a_small_run_prints_every_figure() -> None:
    """200 candidates, a quick calibration: the last line is JSON with sane values."""
    small = ["--candidates", "200", "--calibration", "600", "--sh-candidates", "100"]
    done = subprocess.run(
        [sys.executable, "bench/adaptive.py", *small, "--sh-rounds", "1", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(figures) >= FIGURES
    assert figures["candidates"] == 200 and figures["items"] > 400
    for key in ("fixed_accuracy", "adaptive_accuracy", "max_item_exposure", "coverage_95"):
        assert 0.0 <= figures[key] <= 1.0, key
