"""Exceptions raised by kg.

Every error a user can cause derives from :class:`KGError`, so the CLI and the app can catch one type
and show its message instead of a traceback.
"""

from __future__ import annotations

from pathlib import Path


class KGError(Exception):
    """Base class for errors a user of kg can cause and fix."""


class ParseError(KGError):
    """A bank file could not be read.

    Carries the file and, where it is known, the 1-based line, so the message can point at the place.

    Examples
    --------
    >>> str(ParseError("no question found", "bank.md"))
    'bank.md: no question found'
    >>> str(ParseError("not valid UTF-8", "bank.md", line=3))
    'bank.md:3: not valid UTF-8'
    """

    def __init__(self, message: str, path: str | Path, line: int | None = None) -> None:
        self.message = message
        self.path = str(path)
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


class ConfigError(KGError):
    """A user's concept file or accepted-pairs file is malformed."""

    def __init__(self, message: str, path: str | Path, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


class ModelError(KGError):
    """A language or embedding model that kg needs is not installed."""


class ClusterError(KGError):
    """The spaCy pass cannot run on a Ray cluster: Ray is missing, or the cluster cannot be reached."""
