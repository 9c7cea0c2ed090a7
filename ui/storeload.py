"""Opening a store (``streamlit run app.py -- bank.sqlite``) as the app's bank.

Opening reads the store's meta table only (:func:`kg.store.open_store`); one :class:`ui.storebank.StoreBank`
per file, size and time serves every session, so a store written again is opened again. A store that
cannot be read raises :class:`~kg.store.StoreError` naming the file, which the app shows in place of
the bank; the other banks stay in the selector.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from kg.decisions import decisions_path
from kg.errors import ConfigError
from kg.uploads import content_digest
from ui.banks import Source, decisions
from ui.storebank import StoreBank


@st.cache_resource(show_spinner=False, max_entries=8)
def _open(path: str, size: int, mtime: int) -> StoreBank:
    """The store at ``path`` as it is at ``size`` and ``mtime`` (which key the cache)."""
    from kg.store import open_store
    from ui.derived import laid_out

    return StoreBank(open_store(path), laid_out)


def open_bank(path: Path) -> StoreBank:
    """The :class:`StoreBank` of the store at ``path``; :class:`~kg.store.StoreError` when it cannot be read."""
    from kg.store import open_store

    if not path.is_file():
        open_store(path)  # raises, naming the file and what is wrong
    stat = path.stat()
    return _open(str(path.resolve()), stat.st_size, stat.st_mtime_ns)


def store_decisions(path: str) -> Path | None:
    """Where the app records verdicts on a store's pairs: the decisions file beside the bank's first
    file or folder, when the store names them and that folder is still there; else ``None`` (the
    verdicts are kept for the session and offered for download)."""
    from kg.store import StoreError

    try:
        files = open_bank(Path(path)).store.files()
    except (StoreError, OSError):
        return None
    if not files:
        return None
    target = decisions_path(files[0])
    return target if target.parent.is_dir() else None


def load_store(source: Source) -> tuple[StoreBank, str, list[str]]:
    """The store of ``source`` with this session's verdicts, its key and its messages (what reading the
    bank's files reported when the store was written, and what is wrong with the decisions file)."""
    path = Path(source.path or "")
    bank = open_bank(path)
    problems: list[ConfigError] = []
    decided = decisions(source, problems)
    verdicts = sorted((sorted(k), d.verdict) for k, d in decided.items())
    stat = path.stat()
    digest = content_digest([(f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}", b"")])[:12]
    key = f"store{digest}-{content_digest([(repr(verdicts), b'')])[:6]}"
    messages = [*bank.store.errors(), *(str(e) for e in problems)]
    # no pairs set aside and no stored first view: what the bank in memory keeps in the memo
    st.session_state["bank_memo"] = (key, None, messages, (), None)
    return bank.with_verdicts(decided), key, messages


__all__ = ["load_store", "open_bank", "store_decisions"]
