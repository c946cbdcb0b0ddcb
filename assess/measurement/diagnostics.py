"""Item diagnostics for flagging: discrimination, misfit, exposure.

:func:`item_diagnostics` computes, per item, from its calibration, the responses and each
person's ability estimate (EAP, used as if known, so the mean-squares are slightly
conservative with few items per person):

- ``outfit``: the mean of squared standardised residuals ``(x - P)^2 / (P (1 - P))``
  (sensitive to surprising answers far from the item's difficulty);
- ``infit``: the information-weighted version ``sum (x - P)^2 / sum P (1 - P)``;
- ``correlation``: the point-biserial correlation of the item's 0/1 responses with the
  ability estimates; the calibration's log-normal prior keeps ``a`` positive, so a reversed
  item shows up here (negative) and as a small ``a``;
- ``exposure``: the share of persons the item was shown to (or the rate passed in).

Both mean-squares are about 1 for an item that fits. Flags (thresholds in :class:`Limits`):
``negative-discrimination`` (a <= 0 or a negative correlation), ``low-discrimination``
(a below ``min_a``), ``misfit`` (infit or outfit above ``max_mean_square``),
``overexposed`` (exposure above ``max_exposure``), ``uncalibrated`` (kept its grade prior).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from assess.measurement.irt import ItemFit, params_arrays, probability


@dataclass(frozen=True)
class Limits:
    """Where a diagnostic becomes a flag."""

    min_a: float = 0.3
    max_mean_square: float = 1.3
    max_exposure: float = 0.3
    min_responses: int = 30


@dataclass(frozen=True)
class ItemDiagnostics:
    """One item's fit statistics and flags (``infit``/``outfit`` NaN below
    ``Limits.min_responses``)."""

    index: int
    n: int
    infit: float
    outfit: float
    correlation: float
    exposure: float
    flags: tuple[str, ...]


def exposure_rates(shown: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Share of persons (rows) each item (column) was shown to; ``shown`` is a persons x
    items matrix of responses with NaN for not shown, or booleans."""
    x = np.atleast_2d(np.asarray(shown))
    mask = x if x.dtype == bool else ~np.isnan(x.astype(float))
    out: npt.NDArray[np.float64] = mask.mean(axis=0)
    return out


def item_diagnostics(
    fits: Sequence[ItemFit],
    responses: npt.ArrayLike,
    theta: npt.ArrayLike,
    *,
    exposure: npt.ArrayLike | None = None,
    limits: Limits | None = None,
) -> list[ItemDiagnostics]:
    """Fit statistics and flags for every item (columns of the 0/1 ``responses``, NaN = not
    shown) given each person's ability estimate ``theta``."""
    lim = limits or Limits()
    x = np.atleast_2d(np.asarray(responses, dtype=float))
    t = np.asarray(theta, dtype=float)
    a, b = params_arrays(fits)
    p = np.clip(probability(a[None, :], b[None, :], t[:, None]), 1e-9, 1 - 1e-9)
    shown = ~np.isnan(x)
    var = p * (1 - p)
    sq = np.where(shown, (np.nan_to_num(x) - p) ** 2, 0.0)
    n = shown.sum(axis=0)
    rates = exposure_rates(x) if exposure is None else np.asarray(exposure, dtype=float)
    out = []
    for j, fit in enumerate(fits):
        corr = float("nan")
        if n[j] >= lim.min_responses:
            outfit = float((sq[:, j] / var[:, j]).sum() / n[j])
            infit = float(sq[:, j].sum() / np.where(shown[:, j], var[:, j], 0.0).sum())
            xs, ts = x[shown[:, j], j], t[shown[:, j]]
            if xs.std() > 0 and ts.std() > 0:
                corr = float(np.corrcoef(xs, ts)[0, 1])
        else:
            outfit = infit = float("nan")
        flags = []
        if not fit.calibrated:
            flags.append("uncalibrated")
        if fit.a <= 0 or corr < 0:
            flags.append("negative-discrimination")
        elif fit.a < lim.min_a:
            flags.append("low-discrimination")
        if infit > lim.max_mean_square or outfit > lim.max_mean_square:
            flags.append("misfit")
        if rates[j] > lim.max_exposure:
            flags.append("overexposed")
        out.append(
            ItemDiagnostics(j, int(n[j]), infit, outfit, corr, float(rates[j]), tuple(flags))
        )
    return out
