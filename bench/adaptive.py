"""Adaptive against fixed assessments over the real bank's questions, in simulation.

1. Items: every quiz question of ``challenges/`` (read with the bank's own parser), with its
   grade and primary competency; true 2PL parameters drawn around the grade priors
   (``log a ~ N(0, 0.3^2)``, ``b ~ N(grade bar, 0.5^2)``).
2. Calibration: ``--calibration`` simulated candidates each sit the fixed form of a random
   grade (the blueprint's questions per competency, drawn at random from that grade's
   questions, as the platform does); ``fit_2pl`` recovers the item parameters from those
   sparse responses, one competency at a time.
3. Comparison, on ``--candidates`` new candidates and the recovered parameters only: the fixed
   form of ``--blueprint`` against an adaptive sitting over the whole pool (every competency
   capped at twice the blueprint's questions; by default ``--balance decision`` and
   ``--selection grade``: one question per competency first, then the required competency and
   item with the most mutual information about the grade; ``--balance plan --selection
   information`` is content balance by the blueprint's shares and maximum Fisher information
   at the EAP; randomesque top-k and Sympson-Hetter exposure control calibrated on a separate
   simulated group). The adaptive run is recorded after every question, so one run gives its
   accuracy at every length.

A candidate's true grade is the highest grade whose theta bar (junior -1, middle 0, senior +1)
every required competency's true ability exceeds ("none" below junior); the recommended grade
is the highest grade where every required competency has posterior probability >= 0.5 of
exceeding the bar. Abilities across competencies share a general factor (``--correlation``).
Run: .venv/bin/python bench/adaptive.py [--candidates 2000] [--calibration 2000] [--json]
The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assess.bank.reader import read_bank  # noqa: E402
from assess.measurement import irt  # noqa: E402
from assess.measurement.adaptive import (  # noqa: E402
    AdaptiveSession,
    CandidateItem,
    StopRule,
    sympson_hetter_update,
)
from assess.measurement.irt import GRADE_BARS  # noqa: E402

GRADES = ["junior", "middle", "senior"]
BARS = [GRADE_BARS[g] for g in GRADES]
LABELS = ["none", *GRADES]


class Pool:
    """The bank's questions with true and recovered parameters, grouped by competency."""

    def __init__(self, root: Path, rng: np.random.Generator) -> None:
        """Read the bank and draw true parameters around the grade priors."""
        bank = read_bank(root, tasks=False)
        if not bank.ok:
            raise SystemExit(f"the bank has issues: {bank.issues[:3]}")
        self.codes = [c.code for c in bank.competencies]
        self.required = [c.code for c in bank.competencies if c.weight_class == "required"]
        self.blueprints = {bp.grade: bp.questions_per_competency for bp in bank.blueprints}
        self.questions = {
            code: [q for q in bank.questions if q.competency == code] for code in self.codes
        }
        self.true: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for code, qs in self.questions.items():
            a = np.exp(rng.normal(0.0, 0.3, len(qs)))
            b = np.array([GRADE_BARS[q.grade] for q in qs]) + rng.normal(0.0, 0.5, len(qs))
            self.true[code] = (a, b)
        self.fitted: dict[str, list[irt.ItemFit]] = {}

    def form(self, code: str, grade: str, count: int, rng: np.random.Generator) -> np.ndarray:
        """Indices of a random fixed form: ``count`` questions of ``grade`` in ``code``."""
        of_grade = [i for i, q in enumerate(self.questions[code]) if q.grade == grade]
        return rng.choice(of_grade, size=min(count, len(of_grade)), replace=False)

    def fixed_responses(
        self, theta: np.ndarray, grade: np.ndarray, rng: np.random.Generator
    ) -> dict[str, np.ndarray]:
        """Per competency, persons x items responses of people who each sat the fixed form
        of their ``grade`` (NaN where not shown)."""
        out = {}
        for k, code in enumerate(self.codes):
            a, b = self.true[code]
            x = np.full((theta.shape[0], a.size), np.nan)
            for i in range(theta.shape[0]):
                g = GRADES[grade[i]]
                idx = self.form(code, g, self.blueprints[g].get(code, 0), rng)
                p = irt.probability(a[idx], b[idx], theta[i, k])
                x[i, idx] = (rng.random(idx.size) < p).astype(float)
            out[code] = x
        return out

    def candidates(self) -> list[CandidateItem]:
        """The pool with recovered parameters, as the adaptive session sees it."""
        return [
            CandidateItem(q.id, code, fit.a, fit.b)
            for code in self.codes
            for q, fit in zip(self.questions[code], self.fitted[code], strict=True)
        ]

    def answer(self, item_id: str, theta: dict[str, float], rng: np.random.Generator) -> float:
        """A simulated 0/1 answer from the true parameters."""
        code, j = self.index[item_id]
        a, b = self.true[code]
        return float(rng.random() < irt.probability(a[j], b[j], theta[code]))

    @property
    def index(self) -> dict[str, tuple[str, int]]:
        """Question id -> (competency, position)."""
        if not hasattr(self, "_index"):
            self._index = {
                q.id: (c, j) for c, qs in self.questions.items() for j, q in enumerate(qs)
            }
        return self._index


def abilities(n: int, codes: list[str], rho: float, rng: np.random.Generator) -> np.ndarray:
    """True abilities persons x competencies: N(0, 1) each, correlation ``rho``."""
    general = rng.normal(size=(n, 1))
    own = rng.normal(size=(n, len(codes)))
    return math.sqrt(rho) * general + math.sqrt(1 - rho) * own


def grade_of(above: np.ndarray) -> np.ndarray:
    """Grade index (0 none .. 3 senior) from a persons x required x bars boolean array."""
    out: np.ndarray = above.all(axis=1).sum(axis=1)
    return out


def calibrate(
    pool: Pool, n: int, rho: float, rng: np.random.Generator, min_responses: int
) -> dict[str, Any]:
    """Simulate fixed forms, fit every competency, store the recovered parameters."""
    theta = abilities(n, pool.codes, rho, rng)
    sat = rng.integers(0, 3, size=n)
    responses = pool.fixed_responses(theta, sat, rng)
    ta, tb, ea, eb, zb = [], [], [], [], []
    uncalibrated = 0
    for code in pool.codes:
        grades = [q.grade for q in pool.questions[code]]
        fits = irt.fit_2pl(responses[code], grades, min_responses=min_responses)
        pool.fitted[code] = fits
        a, b = pool.true[code]
        for j, fit in enumerate(fits):
            if fit.calibrated:
                ta.append(a[j])
                tb.append(b[j])
                ea.append(fit.a)
                eb.append(fit.b)
                zb.append((fit.b - b[j]) / fit.se_b)
            else:
                uncalibrated += 1
    return {
        "corr_b": float(np.corrcoef(tb, eb)[0, 1]),
        "corr_a": float(np.corrcoef(ta, ea)[0, 1]),
        "rmse_b": float(np.sqrt(np.mean((np.array(tb) - eb) ** 2))),
        "z_b_sd": float(np.std(zb)),
        "uncalibrated": uncalibrated,
        "responses_per_item": float(
            np.mean([(~np.isnan(x)).sum(axis=0).mean() for x in responses.values()])
        ),
    }


def fixed(
    pool: Pool, theta: np.ndarray, blueprint: str, rng: np.random.Generator
) -> dict[str, Any]:
    """Accuracy, coverage and exposure of the fixed form of ``blueprint``."""
    n = theta.shape[0]
    responses = pool.fixed_responses(theta, np.full(n, GRADES.index(blueprint)), rng)
    probs = np.zeros((n, len(pool.codes), len(BARS)))
    inside = []
    exposure = []
    for k, code in enumerate(pool.codes):
        fits = pool.fitted[code]
        probs[:, k, :] = irt.probabilities_above(BARS, fits, responses[code])
        mean, sd = irt.estimate_abilities(fits, responses[code])
        inside.append(np.abs(theta[:, k] - mean) <= 1.96 * sd)
        exposure.append((~np.isnan(responses[code])).mean(axis=0).max())
    req = [pool.codes.index(c) for c in pool.required]
    return {
        "grade": grade_of(probs[:, req, :] >= 0.5),
        "coverage": float(np.mean(inside)),
        "max_exposure": float(max(exposure)),
        "length": sum(pool.blueprints[blueprint].values()),
    }


def adaptive(
    pool: Pool,
    theta: np.ndarray,
    plan: dict[str, int],
    steps: int,
    report_at: int,
    rng: np.random.Generator,
    top_k: int,
    sh: dict[str, float] | None,
    se_target: float,
    balance: str = "plan",
    selection: str = "information",
) -> dict[str, Any]:
    """Run adaptive sittings of ``steps`` questions; the grade after every question, and
    coverage, exposure and selection counts at ``report_at`` questions."""
    n = theta.shape[0]
    items = pool.candidates()
    req = [pool.codes.index(c) for c in pool.required]
    grades = np.zeros((n, steps + 1), dtype=int)
    counts: Counter[str] = Counter()
    selected: Counter[str] = Counter()
    inside = []
    rule = StopRule(se_target=se_target, max_items=max(plan.values()), min_items=1)
    prior_above = np.array([1.0 - 0.5 * (1 + math.erf(bar / math.sqrt(2))) for bar in BARS])
    for i in range(n):
        truth = dict(zip(pool.codes, theta[i], strict=True))
        session = AdaptiveSession(
            items,
            plan,
            rng,
            rule=rule,
            top_k=top_k,
            sympson_hetter=sh,
            balance=balance,
            bars=BARS,
            required=pool.required,
            selection=selection,
        )
        probs = np.tile(prior_above, (len(pool.codes), 1))
        grades[i, 0] = grade_of((probs[req] >= 0.5)[None])[0]
        for t in range(1, steps + 1):
            pick = session.pick()
            if pick is not None:
                if t <= report_at:
                    counts[pick.item_id] += 1
                    for skipped in pick.set_aside:
                        selected[skipped] += 1
                    selected[pick.item_id] += 1
                session.record(pick.item_id, pool.answer(pick.item_id, truth, rng))
                probs[pool.codes.index(pick.competency)] = session.probabilities_above(
                    pick.competency
                )
            grades[i, t] = grade_of((probs[req] >= 0.5)[None])[0]
            if t == report_at:
                for k, (mean, sd) in enumerate(session.abilities().values()):
                    inside.append(abs(theta[i, k] - mean) <= 1.96 * sd)
    return {
        "grades": grades,
        "coverage": float(np.mean(inside)) if inside else math.nan,
        "exposure": {item: c / n for item, c in counts.items()},
        "selection": {item: c / n for item, c in selected.items()},
    }


def main() -> None:
    """Calibrate, compare, print the figures and one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=2000)
    parser.add_argument("--calibration", type=int, default=2000)
    parser.add_argument("--blueprint", default="middle", choices=GRADES)
    parser.add_argument("--correlation", type=float, default=0.6)
    parser.add_argument("--top-k", type=int, default=4)
    parser.add_argument("--max-exposure", type=float, default=0.2, help="Sympson-Hetter r_max")
    parser.add_argument("--sh-rounds", type=int, default=3)
    parser.add_argument("--sh-candidates", type=int, default=400)
    parser.add_argument("--se-target", type=float, default=0.3)
    parser.add_argument("--balance", default="decision", choices=["plan", "decision"])
    parser.add_argument(
        "--selection",
        default="grade",
        choices=["information", "grade"],
        help="item ranking: Fisher information at the EAP, or grade information",
    )
    parser.add_argument("--longest", type=float, default=2.0, help="adaptive length / fixed")
    parser.add_argument("--min-responses", type=int, default=50)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    started = time.perf_counter()
    rng = np.random.default_rng(args.seed)
    pool = Pool(ROOT / "challenges", rng)
    n_items = sum(len(q) for q in pool.questions.values())
    blueprint = {c: pool.blueprints[args.blueprint].get(c, 0) for c in pool.codes}
    length = sum(blueprint.values())
    print(
        f"bank: {n_items} questions in {len(pool.codes)} competencies,"
        f" {len(pool.required)} required"
    )

    t0 = time.perf_counter()
    cal = calibrate(pool, args.calibration, args.correlation, rng, args.min_responses)
    t_cal = time.perf_counter() - t0
    print(
        f"calibration on {args.calibration} fixed forms ({cal['responses_per_item']:.0f} responses"
        f" per item): corr(b) {cal['corr_b']:.3f}, corr(a) {cal['corr_a']:.3f}, RMSE(b)"
        f" {cal['rmse_b']:.3f}, SD of (b_hat - b)/se_b {cal['z_b_sd']:.2f},"
        f" {cal['uncalibrated']} items kept the grade prior; {t_cal:.1f} s"
    )

    # Sympson-Hetter parameters from a separate simulated group (never the one scored)
    t0 = time.perf_counter()
    plan = {c: max(1, math.ceil(args.longest * v)) for c, v in blueprint.items() if v}
    steps = math.ceil(args.longest * length)
    sh = {item.id: 1.0 for item in pool.candidates()}

    def sitting(group: np.ndarray, steps: int, sh: dict[str, float]) -> dict[str, Any]:
        """Adaptive sittings of ``group`` with this run's settings, reported at ``length``."""
        return adaptive(pool, group, plan, steps, length, rng, args.top_k, sh, args.se_target,
                        args.balance, args.selection)  # fmt: skip

    for _ in range(args.sh_rounds if args.max_exposure < 1 else 0):
        group = abilities(args.sh_candidates, pool.codes, args.correlation, rng)
        run = sitting(group, length, sh)
        sh = sympson_hetter_update(sh, run["selection"], args.max_exposure)
    t_sh = time.perf_counter() - t0

    theta = abilities(args.candidates, pool.codes, args.correlation, rng)
    req = [pool.codes.index(c) for c in pool.required]
    truth = grade_of(theta[:, req, None] > np.array(BARS)[None, None, :])
    print("true grades:", {LABELS[g]: int(c) for g, c in sorted(Counter(truth.tolist()).items())})

    t0 = time.perf_counter()
    fixed_runs = {g: fixed(pool, theta, g, rng) for g in GRADES}
    t_fixed = time.perf_counter() - t0
    for g, run in fixed_runs.items():
        acc = float(np.mean(run["grade"] == truth))
        print(
            f"fixed {g} blueprint ({run['length']} questions): accuracy {acc:.3f}, coverage"
            f" {run['coverage']:.3f}, max exposure {run['max_exposure']:.2f}"
        )
    main_fixed = fixed_runs[args.blueprint]
    fixed_accuracy = float(np.mean(main_fixed["grade"] == truth))

    t0 = time.perf_counter()
    run = sitting(theta, steps, sh)
    t_adaptive = time.perf_counter() - t0
    curve = (run["grades"] == truth[:, None]).mean(axis=0)
    adaptive_accuracy = float(curve[length])
    reach = [t for t in range(1, steps + 1) if curve[t] >= fixed_accuracy]
    needed = reach[0] if reach else None
    ratio = needed / length if needed else None
    exposure = max(run["exposure"].values())
    marks = sorted({max(1, length // 4), length // 2, (3 * length) // 4, length, steps})
    print(
        "adaptive accuracy by length: "
        + ", ".join(f"{t}: {curve[t]:.3f}" for t in marks)
        + f" (Sympson-Hetter r_max {args.max_exposure}, top-{args.top_k})"
    )
    print(
        f"adaptive at {length} questions: accuracy {adaptive_accuracy:.3f} vs fixed"
        f" {fixed_accuracy:.3f}; coverage {run['coverage']:.3f}; max exposure {exposure:.2f}"
    )
    print(
        f"questions for the fixed form's accuracy: {needed if needed else f'> {steps}'} of"
        f" {length} (ratio {ratio:.2f})"
        if ratio
        else f"questions for the fixed form's accuracy: not reached within {steps}"
    )
    total = time.perf_counter() - started
    result = {
        "candidates": args.candidates,
        "calibration_candidates": args.calibration,
        "items": n_items,
        "blueprint": args.blueprint,
        "balance": args.balance,
        "selection": args.selection,
        "top_k": args.top_k,
        "sympson_hetter_r_max": args.max_exposure,
        "fixed_length": length,
        "fixed_accuracy": round(fixed_accuracy, 4),
        "adaptive_accuracy": round(adaptive_accuracy, 4),
        "adaptive_items_for_fixed_accuracy": needed,
        "adaptive_items_for_fixed_accuracy_ratio": round(ratio, 3) if ratio else None,
        "max_item_exposure": round(exposure, 4),
        "fixed_max_item_exposure": round(main_fixed["max_exposure"], 4),
        "coverage_95": round(run["coverage"], 4),
        "fixed_coverage_95": round(main_fixed["coverage"], 4),
        "calibration_corr_b": round(cal["corr_b"], 4),
        "calibration_corr_a": round(cal["corr_a"], 4),
        "uncalibrated_items": cal["uncalibrated"],
        "seconds_calibration": round(t_cal, 2),
        "seconds_sympson_hetter": round(t_sh, 2),
        "seconds_fixed": round(t_fixed, 2),
        "seconds_adaptive": round(t_adaptive, 2),
        "seconds_total": round(total, 2),
    }
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
