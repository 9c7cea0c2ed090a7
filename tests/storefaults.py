"""Stores written by another kg, for the tests that check a store is refused by name, never misread."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def _set_meta(path: Path, name: str, value: str) -> None:
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = ? WHERE name = ?", (value, name))
    db.commit()
    db.close()


def other_version(path: Path) -> None:
    """The store at ``path`` as kg 0.0.1 would have written it."""
    _set_meta(path, "kg_version", "0.0.1")


def older_schema(path: Path) -> None:
    """The store at ``path`` with store schema 2."""
    _set_meta(path, "schema", "2")
