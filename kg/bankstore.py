"""Built banks stored on disk, so that a bank opened again (by a new server too) is read, not rebuilt.

:mod:`kg.readings` and :class:`~kg.embed.CachedEmbedder` keep the spaCy pass and the embeddings, but
the bank-wide stages (concepts, graph, topics, pairs) still take tens of seconds on a 1,300-question
bank. A :class:`~kg.pipeline.Bank` is stored whole under ``<cache>/banks/``, keyed by everything it
depends on (:func:`bank_key`):

* the content digest of the bank's files (as the app computes it);
* kg's own code and data (:func:`kg.cachefile.code_digest`) and its version;
* the settings of the build: the embedding model (its fingerprint, or none), the concept file and the
  bank's own pair model (``kg-model.json``), by the digest of their bytes.

A curator's verdicts are not in the key: they are applied to the pairs after loading.

An entry is one header line of JSON (its key, kg's code digest, the SHA-256 and length of the payload,
and the notes the caller keeps with the bank: what parsing its files reported, so that a stored bank is
opened without parsing them again) and then the payload, a pickle of the bank. The payload is
unpickled only after the header names this key and this code and the checksum matches, and the store
lives in the user's own cache folder; an entry that fails any check is rebuilt, with one warning.
Writes go through :mod:`kg.atomic`, so an interrupted run leaves the old entry or the new one.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import importlib.util
import json
import logging
import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from kg.atomic import OutputError, replacing
from kg.cachefile import code_digest, read_entry

if TYPE_CHECKING:
    from kg.bank import Bank
    from kg.embed import Embedder
    from kg.render.firstview import FirstView

T = TypeVar("T")

log = logging.getLogger("kg.bankstore")

FORMAT = 2


def file_digest(path: str | Path | None) -> str:
    """The SHA-256 of a settings file's bytes, or ``"none"`` when there is no such file.

    Examples
    --------
    >>> file_digest("/no/such/concepts.toml")
    'none'
    """
    if path is None:
        return "none"
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return "none"


def embedder_fingerprint(embedder: Embedder | None) -> str:
    """What names an embedder in a bank's key: its cache folder, named by the model's fingerprint and runtime.

    Examples
    --------
    >>> embedder_fingerprint(None)
    'none'
    """
    if embedder is None:
        return "none"
    directory = getattr(embedder, "directory", None)
    inner = getattr(embedder, "inner", embedder)
    name = Path(directory).name if directory is not None else getattr(inner, "name", type(inner).__name__)
    return str(name)


def expected_embedder_fingerprint(name_or_path: str | None = None) -> str:
    """The fingerprint :func:`kg.embed.load_embedder` would give, without loading the model.

    Loading the model takes seconds, which a bank read from the store does not need; the caller checks
    after a build that the embedder it got has this fingerprint (:func:`embedder_fingerprint`).
    """
    from kg.embed import embedding_cache_name, resolve_model, resolve_runtime

    model_id = resolve_model(name_or_path)
    # Importing sentence-transformers (and torch) alone takes seconds: only ask whether it is there.
    if model_id is None or importlib.util.find_spec("sentence_transformers") is None:
        return "none"
    return embedding_cache_name(model_id, resolve_runtime())


def bank_key(content: str, *, embedder: str = "none", concepts: str = "none", pair_model: str = "none") -> str:
    """The key of a built bank: its files' content digest, kg's code and version, and the settings.

    Parameters
    ----------
    content : the digest of the bank's files (``kg.uploads.content_digest`` of their names and bytes).
    embedder : :func:`embedder_fingerprint` of the embedder, ``"none"`` without one.
    concepts, pair_model : :func:`file_digest` of the concept file and the bank's ``kg-model.json``.

    Examples
    --------
    >>> a = bank_key("abc")
    >>> a == bank_key("abc"), a == bank_key("abd"), a == bank_key("abc", concepts="12")
    (True, False, False)
    """
    from kg import __version__

    h = hashlib.sha256()
    for part in (f"format {FORMAT}", __version__, code_digest(), content, embedder, concepts, pair_model):
        h.update(part.encode() + b"\0")
    return h.hexdigest()


class BankStore:
    """Built banks on disk, each with its first view; ``load`` and ``load_view`` give ``None`` for
    anything they cannot trust.

    Beside a bank's entry (``<key>.bank``) is its first view (``<key>.view``, a
    :class:`~kg.render.FirstView`: the legend and the view the app opens on, which a fresh server
    would otherwise compute from the bank). Its header has the same checks and names the bank entry's
    checksum as well, so it serves only the bank it was computed from; storing a bank drops the view
    of the entry it replaces.

    Examples
    --------
    >>> import tempfile
    >>> store = BankStore(tempfile.mkdtemp())
    >>> store.load(bank_key("abc")) is None, store.load_view(bank_key("abc")) is None
    (True, True)
    """

    def __init__(self, root: str | Path) -> None:
        self.folder = Path(root) / "banks"
        self.warned = False

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.bank"

    def view_path(self, key: str) -> Path:
        return self.folder / f"{key}.view"

    def load(self, key: str, notes: list[str] | None = None) -> Bank | None:
        """The bank stored under ``key``, or ``None`` (with one warning if an entry was there but failed
        a check). The notes stored with it go to ``notes`` when it is given.

        Unpickled with the cyclic garbage collector paused: a big bank is a few hundred thousand
        objects, none of them garbage, that the collector would otherwise walk again and again as
        they are made (0.1-0.2 s of 0.6 s on the ajitsingh98 bank). They are then moved to the oldest
        generation in one step (:func:`gc.freeze` and :func:`gc.unfreeze` walk nothing), where only a
        full collection looks at them; left in the youngest, the next collections of each generation
        walk all of them once more as they age (0.05-0.1 s of a fresh server's first page).
        """
        from kg.bank import Bank

        path = self.path(key)
        found = self._read(path, key, "stored bank", "building it again")
        if found is None:
            return None
        entry, payload = found
        stored_notes = entry.get("notes", [])
        if not isinstance(stored_notes, list) or not all(isinstance(n, str) for n in stored_notes):
            self._distrust(path, "stored bank", "its notes are not a list of text", "building it again")
            return None
        bank = self._unpickle(path, payload, Bank, "stored bank", "building it again")
        if bank is not None and notes is not None:
            notes.extend(stored_notes)
        return bank

    def save(self, key: str, bank: Bank, notes: Sequence[str] = ()) -> None:
        """Store ``bank`` under ``key``, with ``notes`` (text the caller shows with it); a store that cannot
        be written costs the next open a build."""
        # A fresh copy, so that lookup tables cached on the bank are not stored with it.
        payload = pickle.dumps(dataclasses.replace(bank), protocol=pickle.HIGHEST_PROTOCOL)
        # The first view of the entry replaced was computed from another bank.
        self._write(self.path(key), key, payload, {"notes": list(notes)}, "the built bank", drop=self.view_path(key))

    def load_view(self, key: str) -> FirstView | None:
        """The first view stored with the bank under ``key``, or ``None`` (with one warning if one was
        there but failed a check, or was computed from another bank)."""
        from kg.render.firstview import FirstView

        path = self.view_path(key)
        found = self._read(path, key, "stored first view", "computing it again")
        if found is None:
            return None
        entry, payload = found
        if entry.get("bank") != self._bank_checksum(key):
            self._distrust(path, "stored first view", "it was computed from another bank", "computing it again")
            return None
        return self._unpickle(path, payload, FirstView, "stored first view", "computing it again")

    def save_view(self, key: str, view: FirstView) -> None:
        """Store ``view`` with the bank stored under ``key`` (nothing when there is none)."""
        bank = self._bank_checksum(key)
        if bank is None:
            return
        payload = pickle.dumps(view, protocol=pickle.HIGHEST_PROTOCOL)
        self._write(self.view_path(key), key, payload, {"bank": bank}, "the first view")

    def _bank_checksum(self, key: str) -> str | None:
        """The checksum in the header of the bank entry under ``key`` (its first line), if there is one."""
        try:
            with self.path(key).open("rb") as handle:
                entry = json.loads(handle.readline())
        except (OSError, ValueError):
            return None
        checksum = entry.get("sha256") if isinstance(entry, dict) else None
        return checksum if isinstance(checksum, str) else None

    def _read(self, path: Path, key: str, what: str, then: str) -> tuple[dict, bytes] | None:
        """The header and payload of the entry at ``path`` when it names ``key`` and this code and its
        checksum matches; ``None`` otherwise (with a warning when there was an entry)."""
        raw = read_entry(path, lambda p, why: self._distrust(p, what, why, then))
        if raw is None:
            return None
        head, sep, payload = raw.partition(b"\n")
        try:
            entry = json.loads(head)
            if not sep or not isinstance(entry, dict):
                raise ValueError("no header")
        except ValueError as exc:
            self._distrust(path, what, f"it cannot be read ({exc})", then)
            return None
        if entry.get("format") != FORMAT or entry.get("key") != key:
            self._distrust(path, what, "it was written for another key", then)
            return None
        if entry.get("code") != code_digest():
            self._distrust(path, what, "it was written by another version of kg", then)
            return None
        if entry.get("size") != len(payload) or entry.get("sha256") != hashlib.sha256(payload).hexdigest():
            self._distrust(path, what, "its checksum does not match", then)
            return None
        return entry, payload

    def _unpickle(self, path: Path, payload: bytes, kind: type[T], what: str, then: str) -> T | None:
        """The ``kind`` pickled in a checked ``payload``, with the collector paused (see :meth:`load`)."""
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            value = pickle.loads(payload)  # noqa: S301 - checked: our key, our code, our checksum
        except Exception as exc:  # noqa: BLE001 - whatever an entry holds, it is rebuilt, not a crash
            self._distrust(path, what, f"it cannot be read ({exc!r})", then)
            return None
        finally:
            gc.freeze()  # everything made so far to the oldest generation, without a walk; still
            gc.unfreeze()  # collected when it becomes garbage
            if was_enabled:
                gc.enable()
        if not isinstance(value, kind):
            self._distrust(path, what, f"it holds a {type(value).__name__}, not a {what.removeprefix('stored ')}", then)
            return None
        return value

    def _write(
        self, path: Path, key: str, payload: bytes, extra: dict, what: str, *, drop: Path | None = None
    ) -> None:
        head = {
            "format": FORMAT,
            "key": key,
            "code": code_digest(),
            "size": len(payload),
            "sha256": hashlib.sha256(payload).hexdigest(),
            **extra,
        }
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if drop is not None:
                drop.unlink(missing_ok=True)
            with replacing(path, "wb") as handle:
                handle.write(json.dumps(head).encode() + b"\n")
                handle.write(payload)
        except (OSError, OutputError) as exc:
            if not self.warned:
                log.warning("%s: cannot store %s, so it will be computed again next time: %s", self.folder, what, exc)
                self.warned = True

    def _distrust(self, path: Path, what: str, why: str, then: str) -> None:
        if not self.warned:
            log.warning("%s: %s not used (%s); %s", path, what, why, then)
            self.warned = True


__all__ = ["BankStore", "bank_key", "embedder_fingerprint", "expected_embedder_fingerprint", "file_digest"]
