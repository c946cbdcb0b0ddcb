"""Measurement core: calibrated items, adaptive assessments, a confidence on every score.

Library choice. ``catsim`` 0.21.0 (released 2026, Python 3.10-3.13, numpy 2) is maintained
and covers selection, estimation and stopping, but pulls in matplotlib, scikit-learn,
numexpr, json_tricks and tqdm, estimates abilities by numerical search (not EAP with a
posterior), and has no calibration and no content balancing across competencies. The IRT
fitting packages are worse off: ``girth`` 0.8.0 (files dated 2021, classifiers up to
Python 3.9, no release since) and ``py-irt`` 0.7.1 (``Requires-Python <3.12``, needs torch
and pyro, variational fitting without standard errors). So this package is a small numpy
implementation (numpy 2.4 pinned; scipy is not needed): every formula is in the module
docstrings and the tests recover known parameters from simulated data.

Modules:

- :mod:`assess.measurement.irt`: the 2PL model, :func:`fit_2pl` (marginal maximum likelihood
  by Bock-Aitkin EM, sparse designs), :func:`estimate_ability` / :func:`posterior` /
  :func:`probability_above` (EAP, N(0, 1) prior), item and test information, grade priors
  and grade bars, :func:`dichotomise`;
- :mod:`assess.measurement.adaptive`: :func:`next_item` (maximum information, randomesque,
  Sympson-Hetter), :func:`next_competency` (content balance by plan shares),
  :func:`most_uncertain_competency` (balance by the grade decision), :func:`stop_reason`, and
  :class:`AdaptiveSession` which runs a sitting and records every draw as a :class:`Pick`;
- :mod:`assess.measurement.reliability`: Cronbach's alpha, KR-20, marginal reliability;
- :mod:`assess.measurement.diagnostics`: infit/outfit mean-squares, item-ability correlation,
  exposure rates and flags.

Nothing here touches the database or Flask: inputs are numbers and ids, outputs dataclasses.
One ability scale per competency (the question file's competency); evidence weights on other
competencies are not used by the model.
"""

from assess.measurement.adaptive import (
    AdaptiveSession,
    CandidateItem,
    Pick,
    StopRule,
    most_uncertain_competency,
    next_competency,
    next_item,
    stop_reason,
    sympson_hetter_update,
)
from assess.measurement.diagnostics import ItemDiagnostics, Limits, exposure_rates, item_diagnostics
from assess.measurement.irt import (
    GRADE_BARS,
    GRADE_PRIORS,
    GRID,
    ItemFit,
    ItemParams,
    Posterior,
    dichotomise,
    estimate_abilities,
    estimate_ability,
    fit_2pl,
    item_information,
    posterior,
    prior_params,
    probabilities_above,
    probability,
    probability_above,
    simulate_responses,
    theta_for_expected_score,
)
from assess.measurement.reliability import cronbach_alpha, kr20, marginal_reliability

__all__ = [
    "GRADE_BARS",
    "GRADE_PRIORS",
    "GRID",
    "AdaptiveSession",
    "CandidateItem",
    "ItemDiagnostics",
    "ItemFit",
    "ItemParams",
    "Limits",
    "Pick",
    "Posterior",
    "StopRule",
    "cronbach_alpha",
    "dichotomise",
    "estimate_abilities",
    "estimate_ability",
    "exposure_rates",
    "fit_2pl",
    "item_diagnostics",
    "item_information",
    "kr20",
    "marginal_reliability",
    "most_uncertain_competency",
    "next_competency",
    "next_item",
    "posterior",
    "prior_params",
    "probabilities_above",
    "probability",
    "probability_above",
    "simulate_responses",
    "stop_reason",
    "sympson_hetter_update",
    "theta_for_expected_score",
]
