"""What kg's on-disk caches share: the digest of kg's own code that keys their entries, and reading an
entry's bytes.

Apart from :mod:`kg.readings` (which imports spaCy) so that a store that needs no spaCy, such as
:mod:`kg.bankstore` on a fresh server, can check an entry without loading it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache
from pathlib import Path


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


__all__ = ["code_digest", "read_entry"]
