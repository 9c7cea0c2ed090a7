"""The pair model: how likely a curator would call a candidate pair a duplicate, or worth a review.

Two heads over the features of :mod:`kg.similar.features`, each a logistic regression blended with a
few small boosted trees (:class:`Trees`), with a calibration fitted on the blended scores of banks it
was not fitted on, so that a probability means the same on any bank:

* ``positive``: the chance a curator calls the pair a duplicate or an overlap (the score shown);
* ``duplicate``: the chance a curator calls it a duplicate (keep one of the two).

The model ships as ``kg/data/pair_model.json``, written by ``bench/fit_pairs.py`` from the judged
pairs in ``bench/labels/pairs/``: plain numbers, no pickled code (the trees are node tables walked
with numpy). It holds one set of weights for the features with an embedding model and one for those
without, and the judged pairs' features, so that a bank's own curator verdicts can refit it
(:func:`kg.similar.fit.adapt`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from kg.bankfiles import PAIR_MODEL_FILE, bank_folder
from kg.errors import ConfigError

log = logging.getLogger(__name__)

MODEL_FILE = Path(__file__).resolve().parents[1] / "data" / "pair_model.json"
FORMAT = 1
#: A bank's own model, refitted on its verdicts by ``kg calibrate``, kept next to the bank.
BANK_MODEL = PAIR_MODEL_FILE


#: Rows the trees walk at a time: the walk holds a few (rows x trees) arrays.
CHUNK = 20_000


@dataclass(frozen=True)
class Trees:
    """Boosted regression trees on the raw features: the logit is ``base`` plus one leaf value per tree.

    Each array is trees x nodes (shorter trees padded); node 0 is the root, a row goes ``left`` when its
    feature is at most ``threshold``, and a leaf has ``feature`` -1 and its (already shrunk) ``value``.

    Examples
    --------
    >>> t = Trees(0.5, np.array([[0, -1, -1]]), np.array([[0.3, 0, 0]]), np.array([[1, 0, 0]]),
    ...           np.array([[2, 0, 0]]), np.array([[0.0, -1.0, 1.0]]))
    >>> t.logit(np.array([[0.1], [0.9]])).tolist()
    [-0.5, 1.5]
    """

    base: float
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray

    def logit(self, values: np.ndarray) -> np.ndarray:
        count = self.feature.shape[0]
        out = np.full(len(values), self.base)
        trees = np.arange(count)[None, :]
        for s in range(0, len(values), CHUNK):
            x = values[s : s + CHUNK]
            rows = np.arange(len(x))[:, None]
            node = np.zeros((len(x), count), dtype=np.int64)
            for _ in range(self.feature.shape[1]):  # a path is never longer than a tree has nodes
                feature = self.feature[trees, node]
                leaf = feature < 0
                if leaf.all():
                    break
                left = x[rows, np.maximum(feature, 0)] <= self.threshold[trees, node]
                step = np.where(left, self.left[trees, node], self.right[trees, node])
                node = np.where(leaf, node, step)
            out[s : s + CHUNK] += self.value[trees, node].sum(axis=1)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"base": self.base} | {k: getattr(self, k).tolist() for k in _TREE_ARRAYS}


_TREE_ARRAYS = ("feature", "threshold", "left", "right", "value")


@dataclass(frozen=True)
class Head:
    """One calibrated head: a logistic regression (standardise, weigh), blended with boosted trees when
    it has them, then the blended logit mapped to a probability."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    # calibration of the logit: Platt (a * z + b through the logistic) or isotonic (x -> y, interpolated)
    platt: tuple[float, float] | None = None
    isotonic: tuple[np.ndarray, np.ndarray] | None = None
    trees: Trees | None = None
    share: float = 0.0  # the trees' share of the blended logit

    def logit(self, values: np.ndarray) -> np.ndarray:
        linear = ((values - self.mean) / self.scale) @ self.coef + self.intercept
        if self.trees is None or self.share == 0.0:
            return linear
        return (1.0 - self.share) * linear + self.share * self.trees.logit(values)

    def probability(self, values: np.ndarray) -> np.ndarray:
        """Calibrated probabilities, one per row of ``values``.

        Examples
        --------
        >>> h = Head(np.zeros(1), np.ones(1), np.array([2.0]), 0.0, platt=(1.0, 0.0))
        >>> np.round(h.probability(np.array([[0.0], [1.0]])), 3).tolist()
        [0.5, 0.881]
        """
        z = self.logit(values)
        if self.isotonic is not None:
            return np.interp(z, *self.isotonic)
        a, b = self.platt or (1.0, 0.0)
        return 1.0 / (1.0 + np.exp(-(a * z + b)))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
        }
        if self.platt is not None:
            out["platt"] = list(self.platt)
        if self.isotonic is not None:
            out["isotonic"] = {"x": self.isotonic[0].tolist(), "y": self.isotonic[1].tolist()}
        if self.trees is not None:
            out["trees"] = self.trees.to_dict() | {"share": self.share}
        return out


@dataclass(frozen=True)
class Weights:
    """The two heads of one feature set, and the judged pairs they were fitted on."""

    features: tuple[str, ...]
    positive: Head
    duplicate: Head
    # the judged pairs: features, labels (0 different, 1 overlap, 2 duplicate) and bank of each
    values: np.ndarray
    labels: np.ndarray
    banks: tuple[str, ...]

    def probabilities(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(P(duplicate or overlap), P(duplicate))`` per row; the first is never below the second."""
        dup = self.duplicate.probability(values)
        return np.maximum(self.positive.probability(values), dup), dup


@dataclass(frozen=True)
class PairModel:
    """Weights for the features with an embedding model (``semantic``) and without (``wording``)."""

    semantic: Weights
    wording: Weights
    about: str = ""

    def weights(self, names: tuple[str, ...]) -> Weights:
        """The weights for a feature set (:data:`~kg.similar.features.SEMANTIC` or ``WORDING``)."""
        return self.semantic if names == self.semantic.features else self.wording


def _head(raw: Any, size: int, where: str) -> Head:
    try:
        mean, scale, coef = (np.asarray(raw[k], dtype=np.float64) for k in ("mean", "scale", "coef"))
        intercept = float(raw["intercept"])
        if "platt" in raw and len(raw["platt"]) != 2:
            raise ValueError("platt needs two numbers")
        platt = (float(raw["platt"][0]), float(raw["platt"][1])) if "platt" in raw else None
        iso = raw.get("isotonic")
        isotonic = None
        if iso is not None:
            isotonic = (np.asarray(iso["x"], dtype=np.float64), np.asarray(iso["y"], dtype=np.float64))
    except (KeyError, TypeError, ValueError) as e:
        raise ValueError(f"{where}: {e!r}") from e
    if any(v.shape != (size,) for v in (mean, scale, coef)) or not (scale > 0).all():
        raise ValueError(f"{where}: weights of the wrong length or a zero scale")
    if isotonic is not None and (isotonic[0].shape != isotonic[1].shape or isotonic[0].size < 2):
        raise ValueError(f"{where}: isotonic needs two equal lists of at least two points")
    arrays = [mean, scale, coef, np.array([intercept, *(platt or ())])]
    if isotonic is not None:
        arrays += list(isotonic)
    if not all(np.isfinite(a).all() for a in arrays):
        raise ValueError(f"{where}: a weight is not a finite number")
    trees, share = _trees(raw.get("trees"), size, f"{where}.trees")
    return Head(mean, scale, coef, intercept, platt, isotonic, trees, share)


def _trees(raw: Any, size: int, where: str) -> tuple[Trees | None, float]:
    """The trees of a head and their share of its logit; ``(None, 0.0)`` for a head without."""
    if raw is None:
        return None, 0.0
    try:
        share, base = float(raw["share"]), float(raw["base"])
        feature, left, right = (np.asarray(raw[k], dtype=np.int64) for k in ("feature", "left", "right"))
        threshold, value = (np.asarray(raw[k], dtype=np.float64) for k in ("threshold", "value"))
    except (KeyError, TypeError, ValueError) as e:
        raise ValueError(f"{where}: {e!r}") from e
    arrays = (feature, threshold, left, right, value)
    if feature.ndim != 2 or feature.shape[1] == 0 or any(a.shape != feature.shape for a in arrays):
        raise ValueError(f"{where}: the node arrays are not one equal table each")
    nodes = feature.shape[1]
    inner = feature >= 0
    if (feature >= size).any() or ((left[inner] <= 0) | (left[inner] >= nodes)).any() or (
        (right[inner] <= 0) | (right[inner] >= nodes)
    ).any():
        raise ValueError(f"{where}: a node names a feature or a child that does not exist")
    if not (0.0 <= share <= 1.0 and np.isfinite(base) and np.isfinite(threshold).all() and np.isfinite(value).all()):
        raise ValueError(f"{where}: a share outside [0, 1] or a number that is not finite")
    return Trees(base, feature, threshold, left, right, value), share


class OtherFeatures(ValueError):
    """A well-formed model whose features are those of another kg version."""


def _weights(raw: Any, names: tuple[str, ...], where: str) -> Weights:
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: no weights")
    if tuple(raw.get("features", ())) != names:
        raise OtherFeatures(f"{where}: the features are not those of this kg version")
    corpus = raw.get("corpus", {})
    values = np.asarray(corpus.get("values", np.zeros((0, len(names)))), dtype=np.float64).reshape(-1, len(names))
    labels = np.asarray(corpus.get("labels", []), dtype=np.int64)
    banks = tuple(str(b) for b in corpus.get("banks", []))
    if not (len(values) == labels.size == len(banks)):
        raise ValueError(f"{where}: the judged pairs' features, labels and banks differ in number")
    size = len(names)
    return Weights(
        names,
        _head(raw.get("positive"), size, f"{where}.positive"),
        _head(raw.get("duplicate"), size, f"{where}.duplicate"),
        values,
        labels,
        banks,
    )


def model_from_dict(data: Any) -> PairModel:
    """A :class:`PairModel` from its JSON form; ``ValueError`` says what is wrong with it."""
    # Here, not at the top: the features import the scoring stage (scikit-learn), which the path of a
    # bank's model file (bank_model_path) does not need.
    from kg.similar.features import SEMANTIC, WORDING

    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"not a pair model of format {FORMAT}")
    return PairModel(
        _weights(data.get("semantic"), SEMANTIC, "semantic"),
        _weights(data.get("wording"), WORDING, "wording"),
        str(data.get("about", "")),
    )


def model_to_dict(model: PairModel) -> dict[str, Any]:
    def weights(w: Weights) -> dict[str, Any]:
        return {
            "features": list(w.features),
            "positive": w.positive.to_dict(),
            "duplicate": w.duplicate.to_dict(),
            "corpus": {"values": np.round(w.values, 5).tolist(), "labels": w.labels.tolist(), "banks": list(w.banks)},
        }

    return {
        "format": FORMAT,
        "about": model.about,
        "semantic": weights(model.semantic),
        "wording": weights(model.wording),
    }


def read_model(path: str | Path) -> PairModel:
    """Read a pair model file.

    Raises
    ------
    ConfigError
        The file is missing, unreadable, not JSON or not a pair model of this kg version; the
        message names the file.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return model_from_dict(data)
    except FileNotFoundError:
        raise ConfigError("the pair model file is missing; reinstall kg", path) from None
    except IsADirectoryError:
        raise ConfigError("the pair model file is a folder", path) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, ValueError) as e:
        fix = "reinstall kg" if path == MODEL_FILE else "delete it or run kg calibrate again"
        raise ConfigError(f"the pair model file is damaged or from another kg version ({e}); {fix}", path) from None


def bank_model_path(bank: str | Path) -> Path:
    """Where a bank file's or folder's own model lives: ``kg-model.json`` in its folder.

    Examples
    --------
    >>> bank_model_path("banks/ml.md").as_posix()
    'banks/kg-model.json'
    """
    return bank_folder(bank) / BANK_MODEL


def find_model(banks: Iterable[str | Path]) -> PairModel:
    """The model for these banks: the first ``kg-model.json`` next to one of them, else kg's own.

    A bank's model fitted by another kg version (other features) gives a warning and kg's own model.

    Raises
    ------
    ConfigError
        A bank's model file is damaged (delete it, or run ``kg calibrate`` again); the message names
        it.
    """
    for bank in banks:
        path = bank_model_path(bank)
        if path.is_file():
            try:
                return _read_bank_model(path)
            except OtherFeatures:
                # Written by kg calibrate of another kg version: the verdicts it was fitted on are
                # still in the decisions file, so nothing is lost by falling back until it is rerun.
                log.warning("%s: fitted by another kg version; kg's own pair model is used until you run "
                            "kg calibrate again", path)
                return default_model()
    return default_model()


def _read_bank_model(path: Path) -> PairModel:
    """:func:`read_model`, but a model of other features raises :class:`OtherFeatures`."""
    try:
        return model_from_dict(json.loads(path.read_text(encoding="utf-8")))
    except OtherFeatures:
        raise
    except Exception:  # noqa: BLE001 - read_model gives the message that names the file
        return read_model(path)


@cache
def default_model() -> PairModel:
    """The model shipped with kg (read once per process)."""
    return read_model(MODEL_FILE)
