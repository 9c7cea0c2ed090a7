"""Fitting the pair model (:mod:`kg.similar.model`) on judged pairs, and refitting it for one bank.

Labels are 0 (different), 1 (overlap) and 2 (duplicate). Each head is a logistic regression on
standardised features blended with a few shallow boosted trees (:class:`Boost`), which catch what a
sum of weights cannot (a feature that counts only when another is high); its calibration is fitted on
the blended logits given for banks left out of the fit (leave one bank out), so it corrects the
overconfidence a bank-specific fit would have. The trees are small so that this refit, once per bank
and again for a bank's own verdicts (:func:`adapt`), stays cheap.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from kg.similar.model import Head, PairModel, Trees, Weights

#: A judgement (a judged pair's label, or a curator's verdict) as the label the heads are fitted on.
LABELS = {"different": 0, "overlap": 1, "duplicate": 2}

#: Inverse strength of the weights' L2 penalty (scikit-learn's ``C``).
C = 0.05
#: A bank's own verdicts count this many times a pair of the shipped corpus when refitting for it.
OWN_WEIGHT = 5.0


@dataclass(frozen=True)
class Boost:
    """The boosted trees of a head: how many, how deep, their learning rate and their share of the logit.

    ``share`` 0 leaves the trees out. Chosen, like :data:`C`, by the mean held-out AP over the banks
    with each bank left out in turn (``bench/pair_grid.py``).
    """

    trees: int = 30
    depth: int = 2
    rate: float = 0.1
    share: float = 0.5


BOOST = Boost()


def _regression(
    values: np.ndarray, y: np.ndarray, weight: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, LogisticRegression]:
    mean = values.mean(axis=0)
    scale = values.std(axis=0)
    scale[scale < 1e-6] = 1.0
    lr = LogisticRegression(C=C, max_iter=2000).fit((values - mean) / scale, y, sample_weight=weight)
    return mean, scale, lr


def _boost(values: np.ndarray, y: np.ndarray, weight: np.ndarray | None, boost: Boost) -> Trees:
    """Boosted trees fitted on the raw features, exported as node tables (:class:`Trees`)."""
    # one thread: on a few thousand rows, waking more costs more than it saves (ten times, on a busy machine)
    with threadpool_limits(1, user_api="openmp"):
        fit = HistGradientBoostingClassifier(
            max_iter=boost.trees, max_depth=boost.depth, learning_rate=boost.rate, max_bins=32, early_stopping=False,
            random_state=0,
        ).fit(values, y, sample_weight=weight)
    predictors = [tree[0] for tree in fit._predictors]  # one tree per round for two classes
    size = max(len(t.nodes) for t in predictors)
    feature = np.full((len(predictors), size), -1, dtype=np.int64)
    threshold, value = np.zeros(feature.shape), np.zeros(feature.shape)
    left, right = np.zeros(feature.shape, dtype=np.int64), np.zeros(feature.shape, dtype=np.int64)
    for t, tree in enumerate(predictors):
        nodes = tree.nodes
        k = len(nodes)
        leaf = nodes["is_leaf"].astype(bool)
        feature[t, :k] = np.where(leaf, -1, nodes["feature_idx"])
        threshold[t, :k] = nodes["num_threshold"]
        left[t, :k], right[t, :k] = nodes["left"], nodes["right"]
        value[t, :k] = nodes["value"]
    return Trees(float(np.ravel(fit._baseline_prediction)[0]), feature, threshold, left, right, value)


def _calibration(z: np.ndarray, y: np.ndarray, method: str) -> dict:
    if method == "isotonic":
        iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(z, y)
        return {
            "isotonic": (
                np.asarray(iso.X_thresholds_, dtype=np.float64),
                np.asarray(iso.y_thresholds_, dtype=np.float64),
            )
        }
    return {"platt": platt_map(z, y)}


def platt_map(z: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None) -> tuple[float, float]:
    """The slope and intercept of a Platt map from logits ``z`` to the labels ``y`` (each weighing ``weight``)."""
    platt = LogisticRegression(C=1e6, max_iter=2000).fit(z.reshape(-1, 1), y, sample_weight=weight)
    return float(platt.coef_[0, 0]), float(platt.intercept_[0])


def fit_head(
    values: np.ndarray,
    y: np.ndarray,
    banks: Sequence[str],
    method: str = "platt",
    weight: np.ndarray | None = None,
    boost: Boost = BOOST,
) -> Head:
    """A calibrated head for the binary labels ``y``; calibrated on leave-one-bank-out logits.

    With a single bank (or a bank holding every positive), the calibration is fitted on the
    head's own logits.
    """
    if len(set(y.tolist())) < 2:  # one class only: the head says its share, whatever the features
        rate = float(np.clip(y.mean() if y.size else 0.0, 1e-3, 1 - 1e-3))
        size = values.shape[1]
        return Head(np.zeros(size), np.ones(size), np.zeros(size), float(np.log(rate / (1 - rate))), platt=(1.0, 0.0))

    whole = _head(values, y, np.ones(len(y), dtype=bool), weight, boost)
    held_out = held_out_logits(values, y, banks, weight, boost)
    if held_out is None:
        held_out = whole.logit(values)
    return dataclasses.replace(whole, **_calibration(held_out, y, method))


def _head(values: np.ndarray, y: np.ndarray, rows: np.ndarray, weight: np.ndarray | None, boost: Boost) -> Head:
    """An uncalibrated head fitted on ``rows``."""
    w = None if weight is None else weight[rows]
    mean, scale, lr = _regression(values[rows], y[rows], w)
    trees = _boost(values[rows], y[rows], w, boost) if boost.share > 0 else None
    coef = lr.coef_[0].astype(np.float64)
    return Head(mean, scale, coef, float(lr.intercept_[0]), trees=trees, share=boost.share if trees else 0.0)


def held_out_logits(
    values: np.ndarray,
    y: np.ndarray,
    banks: Sequence[str],
    weight: np.ndarray | None = None,
    boost: Boost = BOOST,
) -> np.ndarray | None:
    """Each pair's logit from a head fitted without its bank (leave one bank out): what a head's
    calibration is fitted on. ``None`` with a single bank, or when leaving a bank out leaves one class."""
    bank_of = np.asarray(banks)
    names = sorted(set(banks))
    if len(names) < 2:
        return None
    out = np.zeros(len(y))
    for bank in names:
        held = bank_of == bank
        if len(set(y[~held].tolist())) < 2:
            return None
        out[held] = _head(values, y, ~held, weight, boost).logit(values[held])
    return out


def fit_weights(
    features: tuple[str, ...],
    values: np.ndarray,
    labels: np.ndarray,
    banks: Sequence[str],
    method: str = "platt",
    weight: np.ndarray | None = None,
    boost: Boost = BOOST,
) -> Weights:
    """Both heads of one feature set, fitted on judged pairs (labels 0, 1, 2), each pair counting
    ``weight`` times (default once)."""
    positive = fit_head(values, (labels >= 1).astype(int), banks, method, weight, boost)
    duplicate = fit_head(values, (labels == 2).astype(int), banks, method, weight, boost)
    return Weights(features, positive, duplicate, values, labels, tuple(banks))


def adapt(weights: Weights, values: np.ndarray, labels: np.ndarray, method: str = "platt") -> Weights:
    """Refit ``weights`` with one bank's curator verdicts added to its corpus, each counting
    :data:`OWN_WEIGHT` times, so that the bank's own sense of "duplicate" moves the weights.

    Returns ``weights`` unchanged when there is no verdict.
    """
    if labels.size == 0:
        return weights
    boost = dataclasses.replace(BOOST, share=weights.positive.share)  # trees if the model has them
    refitted = fit_weights(
        weights.features,
        np.vstack([weights.values, values]),
        np.concatenate([weights.labels, labels]),
        [*weights.banks, *(["this bank"] * labels.size)],
        method,
        np.concatenate([np.ones(weights.labels.size), np.full(labels.size, OWN_WEIGHT)]),
        boost,
    )
    # the corpus stays the shipped one: a later refit adds the verdicts of its own time, not these again
    return dataclasses.replace(refitted, values=weights.values, labels=weights.labels, banks=weights.banks)


def fit_model(
    semantic: tuple[np.ndarray, np.ndarray, Sequence[str]],
    wording: tuple[np.ndarray, np.ndarray, Sequence[str]],
    about: str = "",
    method: str = "platt",
    boost: Boost = BOOST,
) -> PairModel:
    """A whole :class:`PairModel` from the judged pairs' features with and without embeddings."""
    from kg.similar.features import SEMANTIC, WORDING

    semantic_weights = fit_weights(SEMANTIC, *semantic, method, boost=boost)
    return PairModel(semantic_weights, fit_weights(WORDING, *wording, method, boost=boost), about)
