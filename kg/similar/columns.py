"""Columns of many typed pairs as arrays: tuples of strings, sentence matches, rounded floats.

A big bank has over a million typed pairs. Kept as Python tuples and objects, each step of an edit
run that gathers, joins or saves them walks every one in the interpreter; kept as arrays (indices into
a table of the distinct strings, and where each pair's run ends) those steps are NumPy gathers, and
the tuples are made once, for the :class:`~kg.model.Pair` objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np

from kg.model import SentenceMatch


def rounded(values: np.ndarray, digits: int = 4) -> list[float]:
    """``[round(x, digits) for x in values]``, the same floats, rounded by NumPy where that is exact.

    ``rint(x * 10**digits) / 10**digits`` is Python's rounding (the division is correctly rounded) unless
    the product's own rounding moved it across a half; those few values, the ones within a millionth of
    a half, are rounded by Python.

    Examples
    --------
    >>> rounded(np.array([0.12345, 0.00005, 1 / 3, -0.25, 0.03125]))
    [0.1235, 0.0001, 0.3333, -0.25, 0.0312]
    """
    x = np.asarray(values, dtype=np.float64)
    scaled = x * 10.0**digits
    whole = np.rint(scaled)
    out = (whole / 10.0**digits).tolist()
    with np.errstate(invalid="ignore"):  # an infinity's own rounding is right; its distance is NaN
        near = np.abs(np.abs(scaled - whole) - 0.5) < 1e-6
    for p in np.flatnonzero(near).tolist():
        out[p] = round(float(x[p]), digits)
    return out


def _runs(ends: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The flat positions of ``rows``' runs, one after another, and where each run ends among them."""
    starts = np.zeros_like(ends)
    starts[1:] = ends[:-1]
    first = starts[rows]
    sizes = ends[rows] - first
    new_ends = np.cumsum(sizes, dtype=np.int64)
    total = int(new_ends[-1]) if new_ends.size else 0
    # each position is the one before plus one but at a run's first, which jumps to the run's start: one
    # cumulative sum (np.repeat of each run's offset was ten times slower on 9 million positions)
    step = np.ones(total, dtype=np.int64)
    held = sizes > 0
    first, sizes = first[held], sizes[held]
    before = np.zeros_like(first)
    before[1:] = (first + sizes - 1)[:-1]
    step[new_ends[held] - sizes] = first - before
    return np.cumsum(step, out=step), new_ends


@dataclass(frozen=True)
class Strings:
    """Tuples of strings, one a row: ``table[at[ends[r-1]:ends[r]]]`` is row ``r``'s."""

    table: tuple[str, ...]
    at: np.ndarray  # int32, into table
    ends: np.ndarray  # int64, cumulative

    @classmethod
    def of(cls, rows: Sequence[Sequence[str]]) -> Strings:
        """The rows, their table the distinct strings in the order first met.

        Examples
        --------
        >>> s = Strings.of([("a", "b"), (), ("b",)])
        >>> s.table, s.at.tolist(), s.ends.tolist(), s.tuples()
        (('a', 'b'), [0, 1, 1], [2, 2, 3], [('a', 'b'), (), ('b',)])
        """
        flat = list(chain.from_iterable(rows))
        code = {v: i for i, v in enumerate(dict.fromkeys(flat))}  # loops the interpreter runs in C
        at = np.fromiter(map(code.__getitem__, flat), dtype=np.int32, count=len(flat))
        ends = np.cumsum(np.fromiter(map(len, rows), dtype=np.int64, count=len(rows)), dtype=np.int64)
        return cls(tuple(code), at, ends)

    def __len__(self) -> int:
        return int(self.ends.size)

    def take(self, rows: np.ndarray) -> Strings:
        """Rows ``rows``, in that order (the same table)."""
        flat, ends = _runs(self.ends, np.asarray(rows, dtype=np.int64))
        return Strings(self.table, self.at[flat], ends)

    def then(self, other: Strings) -> Strings:
        """These rows and then ``other``'s, on this table extended by the strings it lacks of ``other``'s."""
        code = {v: i for i, v in enumerate(self.table)}
        extra = [v for v in other.table if v not in code]
        for v in extra:
            code[v] = len(code)
        remap = np.fromiter(map(code.__getitem__, other.table), dtype=np.int32, count=len(other.table))
        at = np.concatenate([self.at, remap[other.at] if other.at.size else other.at.astype(np.int32)])
        last = self.ends[-1] if self.ends.size else 0
        return Strings((*self.table, *extra), at.astype(np.int32), np.concatenate([self.ends, other.ends + last]))

    def compact(self) -> Strings:
        """The same rows on a table of only the strings they hold (in table order)."""
        used = np.bincount(self.at, minlength=len(self.table)) > 0 if self.at.size else np.zeros(len(self.table), bool)
        if used.all():
            return self
        keep = np.flatnonzero(used)
        new = np.zeros(len(self.table), dtype=np.int32)
        new[keep] = np.arange(keep.size, dtype=np.int32)
        table = tuple(self.table[i] for i in keep.tolist())
        return Strings(table, new[self.at], self.ends)

    def flat(self) -> list[str]:
        """Every row's strings, one after another."""
        if not self.at.size:
            return []
        return np.array(self.table, dtype=object)[self.at].tolist()

    def tuples(self) -> list[tuple[str, ...]]:
        """Each row's strings as a tuple."""
        flat = self.flat()
        ends = self.ends.tolist()
        out: list[tuple[str, ...]] = [()] * len(ends)
        start = 0
        for r, end in enumerate(ends):
            if end != start:
                out[r] = tuple(flat[start:end])
                start = end
        return out


def _match(a: str, b: str, score: float) -> SentenceMatch:
    """``SentenceMatch(a, b, score)`` with its attributes set at once, not one at a time through the
    frozen class's ``__init__`` (:func:`kg.similar.incremental._made_pairs` does the same for pairs)."""
    m = object.__new__(SentenceMatch)
    object.__setattr__(m, "__dict__", {"a": a, "b": b, "score": score})
    return m


@dataclass(frozen=True)
class Matches:
    """Each row's sentence matches: ``sentences`` holds a row's matches' two sentences each, one
    after another, and ``score`` every match's similarity, in the same order."""

    sentences: Strings
    score: np.ndarray  # float64, one a match

    @classmethod
    def of(cls, rows: Sequence[Sequence[SentenceMatch]]) -> Matches:
        """
        Examples
        --------
        >>> m = Matches.of([(), (SentenceMatch("x", "y", 0.5),)])
        >>> m.tuples() == [(), (SentenceMatch("x", "y", 0.5),)], m.score.tolist()
        (True, [0.5])
        """
        pairs: list[tuple[str, ...]] = [()] * len(rows)
        scores: list[float] = []
        for r, ms in enumerate(rows):
            if ms:  # most rows are related pairs with no matches
                pairs[r] = tuple(x for m in ms for x in (m.a, m.b))
                scores.extend(m.score for m in ms)
        return cls(Strings.of(pairs), np.array(scores, dtype=np.float64))

    def __len__(self) -> int:
        return len(self.sentences)

    def take(self, rows: np.ndarray) -> Matches:
        rows = np.asarray(rows, dtype=np.int64)
        flat, _ = _runs(self.sentences.ends // 2, rows)
        return Matches(self.sentences.take(rows), self.score[flat])

    def then(self, other: Matches) -> Matches:
        return Matches(self.sentences.then(other.sentences), np.concatenate([self.score, other.score]))

    def compact(self) -> Matches:
        return Matches(self.sentences.compact(), self.score)

    def tuples(self) -> list[tuple[SentenceMatch, ...]]:
        """Each row's matches as a tuple of :class:`~kg.model.SentenceMatch`."""
        flat = self.sentences.flat()
        scores = self.score.tolist()
        ends = self.sentences.ends.tolist()
        out: list[tuple[SentenceMatch, ...]] = [()] * len(ends)
        start = 0
        for r, end in enumerate(ends):
            if end != start:
                out[r] = tuple(_match(flat[s], flat[s + 1], scores[s // 2]) for s in range(start, end, 2))
                start = end
        return out


__all__ = ["Matches", "Strings", "rounded"]
