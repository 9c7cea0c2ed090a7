"""The pair stage's state kept on disk between runs, so that an edit run rescores only around the
items that changed (:mod:`kg.similar.incremental`).

One file per bank and settings, ``<cache>/pairs/<key>.npz``: NumPy arrays only (never pickled objects;
strings as UTF-8 bytes, repeated ones as indices into a table) and one small JSON document, ``meta``,
that names the key and carries the SHA-256 of the arrays. The vectors only scored pairs use are not
kept (:data:`kg.similar.incremental.LEAN`): an edit run makes them for the rows it scores. The key
covers kg's own code, the state's format, the embedding model and runtime, the pair model, the number
of neighbours, the cut-offs, and the bank's folder, so a state written by another kg or with other
settings is never read: it is another file, and that run is a full one. A state that cannot be read
or fails its check gives one warning and a full run. Writing goes to a temporary file renamed into
place (:mod:`kg.atomic`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
import logging
import os
import zipfile
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Unpack

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer

from kg.atomic import OutputError, replacing
from kg.cachefile import code_digest
from kg.embed import Embedder
from kg.model import PAIR_KINDS, Pair, QAItem
from kg.similar.bm25 import BM25, BM25Statistics
from kg.similar.boilerplate import Prompts
from kg.similar.columns import Matches, Strings
from kg.similar.counts import Counts
from kg.similar.fusion import FusionStatistics
from kg.similar.incremental import (
    FULL_SHARE,
    LEAN,
    METHODS,
    Outcome,
    PairState,
    Scored,
    digests,
    edit_run,
    full_run,
    needs_full_run,
)
from kg.similar.kinds import Thresholds
from kg.similar.model import PairModel
from kg.similar.ngrams import CharNgrams
from kg.similar.search import Neighbours
from kg.similar.stats import Background, BankStatistics
from kg.similar.vectors import Fields, PlainTfidf, Vectorisers

if TYPE_CHECKING:
    from kg.similar.pairs import PairOptions

log = logging.getLogger("kg.pairstate")

FORMAT = 6  # 6: the vectorisers keep the questions' prompts (kg.similar.boilerplate)
_FUSION_PARTS = ("model", "meaning", "wording", "fused")


def _digest_of(value: Any, h: Any) -> None:
    """Feed ``value`` (dataclasses, arrays, mappings, sequences, plain values) to the hash ``h``, whole."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        h.update(type(value).__qualname__.encode())
        for f in dataclasses.fields(value):
            h.update(f.name.encode() + b"=")
            _digest_of(getattr(value, f.name), h)
    elif isinstance(value, np.ndarray):
        h.update(f"{value.dtype}{value.shape}".encode() + np.ascontiguousarray(value).tobytes())
    elif isinstance(value, Mapping):
        for k in sorted(value, key=repr):
            h.update(repr(k).encode())
            _digest_of(value[k], h)
    elif isinstance(value, (list, tuple)):
        h.update(b"[")
        for v in value:
            _digest_of(v, h)
        h.update(b"]")
    else:
        h.update(repr(value).encode("utf-8", "surrogatepass"))
    h.update(b"\0")


def embedder_name(embedder: Embedder | None) -> str:
    """What names an embedder's vectors: its cache folder (model and runtime), else its name and runtime."""
    if embedder is None:
        return "none"
    directory = getattr(embedder, "directory", None)
    if directory is not None:
        return Path(directory).name
    inner = getattr(embedder, "inner", embedder)
    return f"{type(inner).__qualname__} {getattr(inner, 'name', '')} {getattr(inner, 'runtime', '')}"


def state_key(
    items: Sequence[QAItem],
    embedder: Embedder | None,
    model: PairModel | None,
    top_k: int,
    thresholds: Thresholds,
) -> str:
    """The key of a bank's pair state: kg's code, the format, the bank's folder and the settings."""
    h = hashlib.sha256()
    sources = sorted({it.source for it in items})
    folder = os.path.commonpath(sources) if sources else ""
    for part in (f"format {FORMAT}", code_digest(), folder, embedder_name(embedder), str(top_k)):
        h.update(part.encode("utf-8", "surrogatepass") + b"\0")
    _digest_of(thresholds, h)
    _digest_of(model, h)
    return h.hexdigest()


# ----------------------------------------------------------------------------------------------
# Encoding: arrays into a flat dict, everything else into one JSON document


class _Writer:
    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}

    def array(self, name: str, value: np.ndarray) -> str:
        self.arrays[name] = np.asarray(value)
        return name

    def sparse(self, name: str, m: sp.csr_matrix) -> dict:
        m = sp.csr_matrix(m)
        for part in ("data", "indices", "indptr"):
            self.array(f"{name}.{part}", getattr(m, part))
        return {"sparse": name, "shape": list(m.shape)}

    def texts(self, name: str, values: Sequence[str]) -> str:
        """Strings as their UTF-8 bytes, one after another, and where each ends."""
        encoded = [v.encode("utf-8", "surrogatepass") for v in values]
        self.array(f"{name}.ends", np.cumsum([len(e) for e in encoded], dtype=np.int64))
        self.array(f"{name}.bytes", np.frombuffer(b"".join(encoded), dtype=np.uint8))
        return name

    def strings(self, name: str, values: Strings) -> str:
        """Tuples of strings (:class:`~kg.similar.columns.Strings`): indices into a table of strings,
        and where each tuple ends."""
        self.array(f"{name}.at", values.at.astype(np.int32))
        self.array(f"{name}.ends", values.ends.astype(np.int64))
        self.texts(f"{name}.table", values.table)
        return name

    def terms(self, name: str, vocabulary: Mapping[str, int]) -> str:
        words = [""] * len(vocabulary)
        for w, i in vocabulary.items():
            words[i] = w
        return self.array(name, np.frombuffer("\n".join(words).encode("utf-8", "surrogatepass"), dtype=np.uint8))


class _Reader:
    def __init__(self, arrays: Mapping[str, np.ndarray]) -> None:
        self.arrays = arrays

    def array(self, name: str) -> np.ndarray:
        return self.arrays[name]

    def sparse(self, spec: dict) -> sp.csr_matrix:
        name = spec["sparse"]
        parts = (self.arrays[f"{name}.data"], self.arrays[f"{name}.indices"], self.arrays[f"{name}.indptr"])
        return sp.csr_matrix(parts, shape=tuple(spec["shape"]))

    def texts(self, name: str) -> list[str]:
        raw = self.arrays[f"{name}.bytes"].tobytes()
        ends = self.arrays[f"{name}.ends"].tolist()
        return [raw[a:b].decode("utf-8", "surrogatepass") for a, b in zip([0, *ends], ends, strict=False)]

    def strings(self, name: str) -> Strings:
        table = tuple(self.texts(f"{name}.table"))
        at, ends = self.arrays[f"{name}.at"].astype(np.int32), self.arrays[f"{name}.ends"].astype(np.int64)
        if at.size and (int(at.min()) < 0 or int(at.max()) >= len(table)):
            raise ValueError(f"{name}: an index past its table")
        if (ends.size and int(ends[-1]) != at.size) or (np.diff(ends, prepend=0) < 0).any():
            raise ValueError(f"{name}: its rows' ends do not fit its strings")
        return Strings(table, at, ends)

    def terms(self, name: str) -> dict[str, int]:
        raw = self.arrays[name].tobytes().decode("utf-8", "surrogatepass")
        words = raw.split("\n") if raw or self.arrays[name].size else []
        return {w: i for i, w in enumerate(words)}


def _vocabulary(v: CountVectorizer) -> Mapping[str, int]:
    # a vectorizer made from a stored vocabulary holds it as given until it first counts
    return v.vocabulary_ if hasattr(v, "vocabulary_") else v.vocabulary


def _counts_out(w: _Writer, name: str, c: Counts) -> dict:
    if c.vectorizer is None:
        return {"empty": True}
    v = c.vectorizer
    return {
        "terms": w.terms(f"{name}.terms", _vocabulary(v)),
        "first": w.array(f"{name}.first", c.first_seen),
        "stop_words": v.stop_words,
        "token_pattern": v.token_pattern,
    }


def _counts_in(r: _Reader, spec: dict) -> Counts:
    if spec.get("empty"):
        return Counts(None, np.zeros(1, dtype=np.int64))
    v = CountVectorizer(
        stop_words=spec["stop_words"], token_pattern=spec["token_pattern"], dtype=np.float32,
        vocabulary=r.terms(spec["terms"]),
    )
    return Counts(v, r.array(spec["first"]))


def _bm25_stats_out(w: _Writer, name: str, s: BM25Statistics) -> dict:
    return {"counts": _counts_out(w, name, s.counts), "idf": w.array(f"{name}.idf", s.idf),
            "mean_length": s.mean_length, "k1": s.k1, "b": s.b}


def _bm25_stats_in(r: _Reader, spec: dict) -> BM25Statistics:
    return BM25Statistics(_counts_in(r, spec["counts"]), r.array(spec["idf"]), spec["mean_length"], spec["k1"],
                          spec["b"])


def _vectorisers_out(w: _Writer, v: Vectorisers) -> dict:
    word = v.word
    plain: dict[str, Any] = {"counts": _counts_out(w, "plain", v.plain.counts)}
    if v.plain.idf is not None:
        plain["idf"] = w.array("plain.idf", v.plain.idf.idf_)
    return {
        "boilerplate": [list(g) for g in sorted(v.boilerplate)],
        "placeholders": sorted(v.placeholders),
        "prompts": {"lines": sorted(v.prompts.lines), "options": v.prompts.options},
        "word": {
            "terms": w.terms("word.terms", _vocabulary(word)),
            "idf": w.array("word.idf", word.idf_),
            "options": {k: word.get_params()[k] for k in ("analyzer", "ngram_range", "stop_words", "min_df",
                                                           "token_pattern")},
        },
        "char": {"terms": w.terms("char.terms", v.char.vocabulary_), "idf": w.array("char.idf", v.char.idf()),
                 "ngram_range": list(v.char.ngram_range)},
        "plain": plain,
        "bm25": {name: _bm25_stats_out(w, f"bm25.{name}", s) for name, s in
                 (("questions", v.bm25_questions), ("answers", v.bm25_answers), ("items", v.bm25_items))},
    }


def _vectorisers_in(r: _Reader, spec: dict) -> Vectorisers:
    options = dict(spec["word"]["options"])
    options["ngram_range"] = tuple(options["ngram_range"])
    word = TfidfVectorizer(sublinear_tf=True, dtype=np.float32, vocabulary=r.terms(spec["word"]["terms"]), **options)
    word.idf_ = r.array(spec["word"]["idf"])
    char = CharNgrams.fitted(tuple(spec["char"]["ngram_range"]), r.terms(spec["char"]["terms"]),
                             r.array(spec["char"]["idf"]))
    idf = None
    if "idf" in spec["plain"]:
        idf = TfidfTransformer(sublinear_tf=True)
        idf.idf_ = r.array(spec["plain"]["idf"])
    bm = spec["bm25"]
    return Vectorisers(
        boilerplate=frozenset(tuple(g) for g in spec["boilerplate"]),
        placeholders=frozenset(spec["placeholders"]),
        prompts=Prompts(frozenset(spec["prompts"]["lines"]), bool(spec["prompts"]["options"])),
        word=word,
        char=char,
        plain=PlainTfidf(_counts_in(r, spec["plain"]["counts"]), idf),
        bm25_questions=_bm25_stats_in(r, bm["questions"]),
        bm25_answers=_bm25_stats_in(r, bm["answers"]),
        bm25_items=_bm25_stats_in(r, bm["items"]),
    )


_SPARSE_FIELDS = ("q_word", "q_char", "a_word", "a_char", "full_word", "qa_word")
_DENSE_FIELDS = ("q_sem", "a_sem", "a_chunks", "qa_sem")


def _shape(m: sp.csr_matrix) -> dict:
    return {"shape": list(m.shape), "dtype": str(m.dtype)}


def _empty(spec: dict) -> sp.csr_matrix:
    return sp.csr_matrix(tuple(spec["shape"]), dtype=np.dtype(spec["dtype"]))


def _fields_out(w: _Writer, f: Fields) -> dict:
    # the LEAN parts hold no rows in a state (kg.similar.incremental.lean): their shapes are enough
    out: dict[str, Any] = {
        name: _shape(getattr(f, name)) if name in LEAN else w.sparse(f"f.{name}", getattr(f, name))
        for name in _SPARSE_FIELDS
    }
    for name in _DENSE_FIELDS:
        value = getattr(f, name)
        out[name] = None if value is None else w.array(f"f.{name}", value)
    out["chunk_spans"] = w.array("f.chunk_spans", f.chunk_spans)
    out["informative"] = w.array("f.informative", f.informative)
    out["asked"] = w.array("f.asked", f.asked)
    for name in ("q_bm25", "a_bm25", "qa_bm25"):
        b: BM25 = getattr(f, name)
        out[name] = {"queries": _shape(b.queries), "weights": _shape(b.weights), "self": str(b.self_scores.dtype)}
    return out


def _fields_in(r: _Reader, spec: dict, fitted: Vectorisers) -> Fields:
    n = int(spec["q_word"]["shape"][0])

    def dense(name: str):
        return None if spec[name] is None else r.array(spec[name])

    def bm(name: str) -> BM25:
        s = spec[name]
        return BM25(_empty(s["queries"]), _empty(s["weights"]), np.zeros(n, dtype=np.dtype(s["self"])))

    return Fields(
        **{name: _empty(spec[name]) if name in LEAN else r.sparse(spec[name]) for name in _SPARSE_FIELDS},
        q_sem=dense("q_sem"),
        a_sem=dense("a_sem"),
        a_chunks=dense("a_chunks"),
        chunk_spans=r.array(spec["chunk_spans"]),
        qa_sem=dense("qa_sem"),
        informative=r.array(spec["informative"]),
        asked=r.array(spec["asked"]),
        answers=[""] * n,
        char=fitted.char,
        q_bm25=bm("q_bm25"),
        a_bm25=bm("a_bm25"),
        qa_bm25=bm("qa_bm25"),
        fitted=fitted,
    )



def _scored_out(w: _Writer, s: Scored) -> dict:
    # the pairs' strings (shared concepts, matched sentences) are arrays already, with a table of the
    # distinct ones (kg.similar.columns): written as they are, the tables without the strings no pair holds
    for name in ("left", "right", "score", "lexical", "concept", "kind", "method"):
        w.array(f"s.{name}", getattr(s, name))
    if s.semantic is not None:
        w.array("s.semantic", s.semantic)
    w.strings("s.shared", s.shared.compact())
    w.strings("s.sentences", s.matches.sentences.compact())
    w.array("s.match_score", s.matches.score)
    return {"semantic": s.semantic is not None, "kinds": list(PAIR_KINDS), "methods": list(METHODS)}


def _scored_in(r: _Reader, spec: dict) -> Scored:
    kind, method = r.array("s.kind"), r.array("s.method")
    # codes into the names they were written with: a state of a kg that named them otherwise is not misread
    if spec.get("kinds", list(PAIR_KINDS)) != list(PAIR_KINDS) or spec.get("methods", list(METHODS)) != list(METHODS):
        raise ValueError("its pair kinds or explanation methods are not this kg's")
    if kind.size and (int(kind.max()) >= len(PAIR_KINDS) or int(method.max()) >= len(METHODS)):
        raise ValueError("a pair's kind or explanation method is out of range")
    shared, sentences = r.strings("s.shared"), r.strings("s.sentences")
    score = r.array("s.match_score")
    if int(sentences.ends[-1] if sentences.ends.size else 0) != 2 * score.size:
        raise ValueError("its matched sentences and their scores do not agree")
    return Scored(
        left=r.array("s.left"), right=r.array("s.right"), score=r.array("s.score"), kind=kind.astype(np.uint8),
        lexical=r.array("s.lexical"), semantic=r.array("s.semantic") if spec["semantic"] else None,
        concept=r.array("s.concept"), shared=shared, matches=Matches(sentences, score),
        method=method.astype(np.uint8),
    )


def encode(state: PairState, key: str) -> bytes:
    """The state as the bytes of one ``.npz`` file."""
    buffer = io.BytesIO()
    np.savez(buffer, allow_pickle=False, **_arrays(state, key))
    return buffer.getvalue()


def _arrays(state: PairState, key: str) -> dict[str, np.ndarray]:
    """The arrays of the state's ``.npz`` file, its JSON document (``meta``) among them."""
    w = _Writer()
    stats = state.stats
    now = dict(zip(state.ids, state.digests, strict=True))
    meta: dict[str, Any] = {
        "format": FORMAT,
        "key": key,
        "stats": {
            "vectorisers": _vectorisers_out(w, stats.vectorisers),
            "background": {k: [b.median, b.mean, b.spread] for k, b in stats.background.items()},
            "rarity": dict(stats.rarity),
            "items": stats.items,
            "fusion": stats.fusion is not None,
        },
        "fitted_at": state.fitted_at,
        # the digests the statistics were fitted on, only where they are not the items' own now
        "fitted_on": {i: d for i, d in state.fitted_on.items() if now.get(i) != d},
        "fitted_lacks": [i for i in state.ids if i not in state.fitted_on],
        "ids": w.texts("ids", state.ids),
        "digests": w.array("digests", np.array([bytes.fromhex(d) for d in state.digests], dtype="S32")
                           .view(np.uint8).reshape(-1, 32)),
        "fields": _fields_out(w, state.fields),
        "neighbours": sorted(state.neighbours),
        "sims": sorted(state.union_sims),
        "scored": _scored_out(w, state.scored),
        "top_k": state.top_k,
        "approximate": state.approximate,
    }
    if state.copy_keys is not None:
        # None (no question text) as "", which no key is: a key holds a question's words
        meta["copy_keys"] = w.texts("copy_keys", [k if k is not None else "" for k in state.copy_keys])
    for name, nb in state.neighbours.items():
        for part in ("start", "columns", "kth", "tied"):
            w.array(f"n.{name}.{part}", getattr(nb, part))
    if stats.fusion is not None:
        for part in _FUSION_PARTS:
            w.array(f"fusion.{part}", getattr(stats.fusion, part))
    w.array("union", state.union)
    for name, values in state.union_sims.items():
        w.array(f"u.{name}", values)
    meta["sha256"] = _arrays_digest(w.arrays)
    w.arrays["meta"] = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8", "surrogatepass"), np.uint8)
    return w.arrays


def decode(data: bytes | BinaryIO, key: str) -> PairState:
    """A state from :func:`encode`'s bytes or the open file they were written to; ``ValueError`` when it is
    not one for ``key`` or fails its check."""
    with np.load(io.BytesIO(data) if isinstance(data, bytes) else data, allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    meta = json.loads(arrays.pop("meta").tobytes().decode("utf-8", "surrogatepass"))
    if meta.get("format") != FORMAT or meta.get("key") != key:
        raise ValueError("it was written for another key")
    if meta.get("sha256") != _arrays_digest(arrays):
        raise ValueError("its checksum does not match")
    r = _Reader(arrays)
    s = meta["stats"]
    vectorisers = _vectorisers_in(r, s["vectorisers"])
    stats = BankStatistics(
        vectorisers,
        {k: Background(m, mean, spread) for k, (m, mean, spread) in s["background"].items()},
        dict(s["rarity"]),
        int(s["items"]),
        FusionStatistics(*(r.array(f"fusion.{part}") for part in _FUSION_PARTS)) if s["fusion"] else None,
    )
    neighbours = {
        name: Neighbours(*(r.array(f"n.{name}.{part}") for part in ("start", "columns", "kth", "tied")))
        for name in meta["neighbours"]
    }
    ids = tuple(r.texts("ids"))
    item_digests = tuple(bytes(d).hex() for d in r.array("digests"))
    lacks = set(meta["fitted_lacks"])
    fitted_on = {i: d for i, d in zip(ids, item_digests, strict=True) if i not in lacks}
    fitted_on.update(meta["fitted_on"])
    return PairState(
        stats=stats,
        fitted_at=meta["fitted_at"],
        fitted_on=fitted_on,
        ids=ids,
        digests=item_digests,
        fields=_fields_in(r, meta["fields"], vectorisers),
        neighbours=neighbours,
        union=r.array("union"),
        union_sims={name: r.array(f"u.{name}") for name in meta["sims"]},
        scored=_scored_in(r, meta["scored"]),
        top_k=int(meta["top_k"]),
        approximate=bool(meta["approximate"]),
        copy_keys=_copy_keys_in(r, meta, len(ids)),
    )


def _copy_keys_in(r: _Reader, meta: Mapping[str, Any], n: int) -> tuple[str | None, ...] | None:
    """The items' copy keys, or None where a state of this format was written without them (then made)."""
    if "copy_keys" not in meta:
        return None
    keys = tuple(k if k else None for k in r.texts(meta["copy_keys"]))
    if len(keys) != n:
        raise ValueError("its copy keys are not one an item")
    return keys


def _arrays_digest(arrays: Mapping[str, np.ndarray]) -> str:
    h = hashlib.sha256()
    for name in sorted(arrays):
        a = np.ascontiguousarray(arrays[name])
        h.update(f"{name} {a.dtype} {a.shape}".encode() + b"\0" + a.tobytes())
    return h.hexdigest()


class PairStore:
    """Pair states on disk, one per key; ``load`` gives ``None`` for anything it cannot trust."""

    def __init__(self, root: str | Path) -> None:
        self.folder = Path(root) / "pairs"
        self.last: Outcome | None = None  # what the last run through this store did, for the user

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.npz"

    def load(self, key: str) -> PairState | None:
        path = self.path(key)
        try:
            # read from the file, not its bytes: at 100,000 questions the state is most of a gigabyte
            with path.open("rb") as handle:
                return decode(handle, key)
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError, OSError, EOFError, zipfile.BadZipFile) as exc:
            self._distrust(path, str(exc) or type(exc).__name__)
            return None

    def save(self, key: str, state: PairState) -> None:
        try:
            arrays = _arrays(state, key)
            self.folder.mkdir(parents=True, exist_ok=True)
            with replacing(self.path(key), "wb") as handle:
                np.savez(handle, allow_pickle=False, **arrays)  # written as it goes, never whole in memory
        except (OSError, OutputError) as exc:
            log.warning("%s: cannot keep the pair state, so the next run scores every pair: %s", self.folder, exc)

    def _distrust(self, path: Path, why: str) -> None:
        log.warning("%s: kept pair state not used (%s); scoring every pair", path, why)


def kept_pairs(
    items: Sequence[QAItem],
    item_concepts: Mapping[str, Collection[str]],
    store: PairStore,
    *,
    full: bool = False,
    share: float = FULL_SHARE,
    **options: Unpack[PairOptions],
) -> tuple[list[Pair], Outcome]:
    """The pairs of ``items`` (:func:`~kg.similar.pairs.score_pairs`'s options), rescored around what
    changed since the state ``store`` keeps for this bank and settings, or in full when ``full``, when
    there is none, or when more than ``share`` of the bank changed since its statistics were fitted;
    the state is then kept for the next run. Past the exact search the edit run updates the kept
    neighbour lists instead of searching them (:mod:`kg.similar.incremental`).
    """
    from kg.similar.features import TOP_K
    from kg.similar.kinds import DEFAULT_THRESHOLDS
    from kg.similar.pairs import score_pairs

    top_k = options.get("top_k", TOP_K)
    n = len(items)
    if n <= top_k + 1:  # every question is every other's neighbour: nothing to keep
        pairs = score_pairs(items, item_concepts, **options)
        stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        return pairs, Outcome(True, n, n, stamp, 1.0, "a bank this small keeps none")
    key = state_key(items, options.get("embedder"), options.get("model"), top_k,
                    options.get("thresholds", DEFAULT_THRESHOLDS))
    state = None if full else store.load(key)
    found = digests(items, item_concepts, options.get("question_concepts"))
    why, moved = ("asked for", 1.0) if full else needs_full_run(state, items, found, top_k, share)
    if why or state is None:
        pairs, new_state = full_run(items, item_concepts, item_digests=found, **options)
        outcome = Outcome(True, len(items), len(items), new_state.fitted_at, 0.0, why)
    else:
        pairs, new_state, rescored = edit_run(items, item_concepts, state, item_digests=found, **options)
        outcome = Outcome(False, rescored, len(items), state.fitted_at, moved)
    store.save(key, new_state)
    store.last = outcome
    log.info("%s", outcome.line())
    return pairs, outcome
