"""Fitting the pair model (:mod:`kg.similar.model`) on judged pairs, and refitting it for one bank.

Labels are 0 (different), 1 (overlap) and 2 (duplicate). Each head is a logistic regression on
standardised features; its calibration is fitted on logits the regression gave for banks left out of
its fit (leave one bank out), so it corrects the overconfidence a bank-specific fit would have.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

from kg.similar.model import Head, PairModel, Weights

#: A judgement (a judged pair's label, or a curator's verdict) as the label the heads are fitted on.
LABELS = {"different": 0, "overlap": 1, "duplicate": 2}

#: Inverse strength of the weights' L2 penalty (scikit-learn's ``C``).
C = 0.05
#: A bank's own verdicts count this many times a pair of the shipped corpus when refitting for it.
OWN_WEIGHT = 5.0


def _regression(
    values: np.ndarray, y: np.ndarray, weight: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, LogisticRegression]:
    mean = values.mean(axis=0)
    scale = values.std(axis=0)
    scale[scale < 1e-6] = 1.0
    lr = LogisticRegression(C=C, max_iter=2000).fit((values - mean) / scale, y, sample_weight=weight)
    return mean, scale, lr


def _calibration(z: np.ndarray, y: np.ndarray, method: str) -> dict:
    if method == "isotonic":
        iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(z, y)
        return {
            "isotonic": (
                np.asarray(iso.X_thresholds_, dtype=np.float64),
                np.asarray(iso.y_thresholds_, dtype=np.float64),
            )
        }
    platt = LogisticRegression(C=1e6, max_iter=2000).fit(z.reshape(-1, 1), y)
    return {"platt": (float(platt.coef_[0, 0]), float(platt.intercept_[0]))}


def fit_head(
    values: np.ndarray,
    y: np.ndarray,
    banks: Sequence[str],
    method: str = "platt",
    weight: np.ndarray | None = None,
) -> Head:
    """A calibrated head for the binary labels ``y``; calibrated on leave-one-bank-out logits.

    With a single bank (or a bank holding every positive), the calibration is fitted on the
    regression's own logits.
    """
    if len(set(y.tolist())) < 2:  # one class only: the head says its share, whatever the features
        rate = float(np.clip(y.mean() if y.size else 0.0, 1e-3, 1 - 1e-3))
        size = values.shape[1]
        return Head(np.zeros(size), np.ones(size), np.zeros(size), float(np.log(rate / (1 - rate))), platt=(1.0, 0.0))
    mean, scale, lr = _regression(values, y, weight)
    bank_of = np.asarray(banks)
    held_out = np.zeros(len(y))
    names = sorted(set(banks))
    usable = len(names) > 1
    for bank in names:
        out = bank_of == bank
        rest = ~out
        if len(set(y[rest].tolist())) < 2:
            usable = False
            break
        m, s, fold = _regression(values[rest], y[rest], None if weight is None else weight[rest])
        held_out[out] = fold.decision_function((values[out] - m) / s)
    if not usable:
        held_out = lr.decision_function((values - mean) / scale)
    return Head(
        mean, scale, lr.coef_[0].astype(np.float64), float(lr.intercept_[0]), **_calibration(held_out, y, method)
    )


def fit_weights(
    features: tuple[str, ...],
    values: np.ndarray,
    labels: np.ndarray,
    banks: Sequence[str],
    method: str = "platt",
    weight: np.ndarray | None = None,
) -> Weights:
    """Both heads of one feature set, fitted on judged pairs (labels 0, 1, 2), each pair counting
    ``weight`` times (default once)."""
    positive = fit_head(values, (labels >= 1).astype(int), banks, method, weight)
    duplicate = fit_head(values, (labels == 2).astype(int), banks, method, weight)
    return Weights(features, positive, duplicate, values, labels, tuple(banks))


def adapt(weights: Weights, values: np.ndarray, labels: np.ndarray, method: str = "platt") -> Weights:
    """Refit ``weights`` with one bank's curator verdicts added to its corpus, each counting
    :data:`OWN_WEIGHT` times, so that the bank's own sense of "duplicate" moves the weights.

    Returns ``weights`` unchanged when there is no verdict.
    """
    if labels.size == 0:
        return weights
    refitted = fit_weights(
        weights.features,
        np.vstack([weights.values, values]),
        np.concatenate([weights.labels, labels]),
        [*weights.banks, *(["this bank"] * labels.size)],
        method,
        np.concatenate([np.ones(weights.labels.size), np.full(labels.size, OWN_WEIGHT)]),
    )
    # the corpus stays the shipped one: a later refit adds the verdicts of its own time, not these again
    return dataclasses.replace(refitted, values=weights.values, labels=weights.labels, banks=weights.banks)


def fit_model(
    semantic: tuple[np.ndarray, np.ndarray, Sequence[str]],
    wording: tuple[np.ndarray, np.ndarray, Sequence[str]],
    about: str = "",
    method: str = "platt",
) -> PairModel:
    """A whole :class:`PairModel` from the judged pairs' features with and without embeddings."""
    from kg.similar.features import SEMANTIC, WORDING

    return PairModel(fit_weights(SEMANTIC, *semantic, method), fit_weights(WORDING, *wording, method), about)
