"""Reliability of scores: classical (fixed form) and IRT (marginal).

- :func:`cronbach_alpha` of a persons x items score matrix (0..1 scores, complete rows):
  ``k / (k - 1) * (1 - sum(item variances) / variance(total))``;
- :func:`kr20` the same for 0/1 items, written with ``p q`` (equal to alpha on 0/1 data when
  both use population variances, as here);
- :func:`marginal_reliability` of IRT ability estimates: ``var(theta_hat) /
  (var(theta_hat) + mean(se^2))``, the share of the estimates' spread that is not error.

Rows with a missing value (NaN) are dropped by the classical coefficients: they are for a
fixed form that everybody answered in full.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def _complete_rows(scores: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """The rows without NaN, as a 2-D float array with at least two items and persons."""
    x: npt.NDArray[np.float64] = np.atleast_2d(np.asarray(scores, dtype=float))
    x = x[~np.isnan(x).any(axis=1)]
    if x.shape[0] < 2 or x.shape[1] < 2:
        raise ValueError("need at least two complete rows and two items")
    return x


def cronbach_alpha(scores: npt.ArrayLike) -> float:
    """Cronbach's alpha of a persons x items matrix (population variances); NaN when the
    total score does not vary."""
    x = _complete_rows(scores)
    k = x.shape[1]
    total = x.sum(axis=1).var()
    if total == 0:
        return float("nan")
    return float(k / (k - 1) * (1.0 - x.var(axis=0).sum() / total))


def kr20(scores: npt.ArrayLike) -> float:
    """Kuder-Richardson 20 of a persons x items 0/1 matrix; NaN when totals do not vary."""
    x = _complete_rows(scores)
    if not np.isin(x, (0.0, 1.0)).all():
        raise ValueError("KR-20 needs 0/1 scores; use cronbach_alpha for partial credit")
    k = x.shape[1]
    p = x.mean(axis=0)
    total = x.sum(axis=1).var()
    if total == 0:
        return float("nan")
    return float(k / (k - 1) * (1.0 - (p * (1 - p)).sum() / total))


def marginal_reliability(theta: npt.ArrayLike, se: npt.ArrayLike) -> float:
    """Marginal reliability of ability estimates with their standard errors."""
    t = np.asarray(theta, dtype=float)
    s = np.asarray(se, dtype=float)
    spread = float(t.var())
    error = float(np.mean(s**2))
    return spread / (spread + error) if spread + error > 0 else float("nan")
