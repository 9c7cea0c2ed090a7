"""Reading the small TOML files a user keeps next to a bank (concepts, accepted pairs, relations)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from kg.errors import ConfigError


def read_toml(path: str | Path, what: str = "file") -> tuple[dict, str]:
    """Parse a TOML file; return its data and its text (for pointing at lines later).

    Raises
    ------
    ConfigError
        Naming the file, and the line for syntax errors.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "x.toml"
    >>> _ = p.write_text("a = 1\\nb = = 2\\n", encoding="utf-8")
    >>> read_toml(p, "concept file")
    Traceback (most recent call last):
    ...
    kg.errors.ConfigError: ...x.toml:2: not valid TOML: ...
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{what} not found", path) from None
    except UnicodeDecodeError:
        raise ConfigError(f"not valid UTF-8; save the {what} as UTF-8", path) from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"at line (\d+)", str(exc))
        line = int(where.group(1)) if where else (text.count("\n") or 1) if "end of document" in str(exc) else None
        reason = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(exc))
        raise ConfigError(f"not valid TOML: {reason}", path, line) from None
