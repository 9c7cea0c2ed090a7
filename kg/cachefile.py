"""What kg's on-disk caches share: the digest of kg's own code that keys their entries, reading an
entry's bytes, and the checked entry files of the parse and reading stores (:class:`EntryFolder`).

Apart from :mod:`kg.readings` (which imports spaCy) so that a store that needs no spaCy, such as
:mod:`kg.bankstore` on a fresh server, can check an entry without loading it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeVar

from kg.atomic import OutputError, replacing

T = TypeVar("T")


@cache
def code_digest() -> str:
    """A digest of kg's own code and data: any change to them makes every stored entry a miss."""
    package = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".toml", ".txt", ".json", ".tsv"}:
            h.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def read_entry(path: Path, distrust: Callable[[Path, str], None]) -> bytes | None:
    """The bytes of a cache entry; ``None`` when there is none, or (told to ``distrust``) when it cannot
    be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        distrust(path, exc.strerror or str(exc))
        return None


class EntryFolder:
    """One cache's entries, ``<root>/<name>/<key[:2]>/<key>.json``: a line of JSON naming the entry's format,
    its key and the SHA-256 of the payload that follows it, then the payload. An entry that cannot be read,
    fails its check, or was written for another key is a miss, with one warning a run; writes go to a
    temporary file renamed into place (:mod:`kg.atomic`)."""

    def __init__(self, root: str | Path, name: str, fmt: int, log: logging.Logger, *, what: str, redo: str,
                 lost: str) -> None:  # fmt: skip
        self.folder = Path(root) / name
        self.format = fmt
        self.log = log
        self.what = what  # what an entry holds ("items")
        self.redo = redo  # what the caller does instead of a distrusted entry ("parsing the file again")
        self.lost = lost  # what a failed write costs ("what was parsed, so it will be parsed again next time")
        self.warned = False

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def payload(self, key: str) -> bytes | None:
        """The payload stored under ``key``, checked; ``None`` when there is none or it is not to be trusted."""
        path = self.path(key)
        raw = read_entry(path, self.distrust)
        if raw is None:
            return None
        head, _, payload = raw.partition(b"\n")
        try:
            entry = json.loads(head)
            if entry.get("key") != key:
                self.distrust(path, "it was written for another key")
                return None
            if entry.get("sha256") != hashlib.sha256(payload).hexdigest():
                self.distrust(path, "its checksum does not match")
                return None
        except (ValueError, AttributeError) as exc:
            self.distrust(path, f"it cannot be read ({exc})")
            return None
        return payload

    def read(self, key: str, decode: Callable[[bytes], T]) -> T | None:
        """``decode`` of the payload stored under ``key``; ``None`` when there is none or it cannot be
        trusted, or decoded (a malformed payload is distrusted like a damaged one)."""
        payload = self.payload(key)
        if payload is None:
            return None
        try:
            return decode(payload)
        except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
            self.distrust(self.path(key), f"it cannot be read ({exc})")
            return None

    def save(self, key: str, payload: bytes) -> None:
        head = json.dumps({"format": self.format, "key": key, "sha256": hashlib.sha256(payload).hexdigest()})
        try:
            self.path(key).parent.mkdir(parents=True, exist_ok=True)
            with replacing(self.path(key), "wb") as handle:
                handle.write(head.encode() + b"\n" + payload)
        except (OSError, OutputError) as exc:
            if not self.warned:
                self.log.warning("%s: cannot store %s: %s", self.folder, self.lost, exc)
                self.warned = True

    def distrust(self, path: Path, why: str) -> None:
        if not self.warned:
            self.log.warning("%s: stored %s not used (%s); %s", path, self.what, why, self.redo)
            self.warned = True


__all__ = ["EntryFolder", "code_digest", "read_entry"]
