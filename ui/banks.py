"""Banks the app can open, their content digests, and the built bank cached by content.

One built :class:`~kg.pipeline.Bank` per content digest serves every session (``st.cache_resource``);
this session keeps its own handle so a rerun costs nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import streamlit as st

from kg.accepted import accepted_path, read_accepted
from kg.errors import ConfigError, KGError, ParseError
from kg.model import QAItem

SEED = Path(__file__).resolve().parent.parent / "data" / "questions.md"
APP = Path(__file__).resolve().parent.parent / "app.py"
SUFFIXES = (".md", ".markdown")


@dataclasses.dataclass(frozen=True)
class Source:
    """One bank the app can open: files on disk (``path``) or uploaded (``files``, names and bytes)."""

    key: str
    name: str
    path: str | None = None
    files: tuple[tuple[str, bytes], ...] = ()


def content_digest(parts: Sequence[tuple[str, bytes]]) -> str:
    h = hashlib.sha256()
    for name, data in parts:
        h.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()[:12]


def disk_digest(path: Path) -> str:
    """The digest of a bank's files; read again only when a file's size or time changed."""
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES)
    stats = tuple((str(f), f.stat().st_size, f.stat().st_mtime_ns) for f in files if f.is_file())
    known = st.session_state.setdefault("digests", {})
    if stats not in known:
        known[stats] = content_digest([(name, Path(name).read_bytes()) for name, _, _ in stats])
    return known[stats]


def _bank_args() -> list[Path]:
    """Banks named after ``--`` on the ``streamlit run app.py`` command line or in ``KG_BANKS``."""
    args = sys.argv[1:] if Path(sys.argv[0]).name == APP.name else []
    args += [a for a in os.environ.get("KG_BANKS", "").split(os.pathsep) if a]
    return [Path(a) for a in args]


def all_sources() -> dict[str, Source]:
    """The bundled seed, banks from the command line, and this session's uploads, by key."""
    if "sources" not in st.session_state:
        found = {"seed": Source("seed", "Seed bank (data/questions.md)", str(SEED))}
        for n, path in enumerate(_bank_args(), start=1):
            if path.exists():
                found[f"bank{n}"] = Source(f"bank{n}", path.name or str(path), str(path))
        st.session_state["sources"] = found
    return st.session_state["sources"]


def default_key() -> str:
    """The bank a URL without ``?bank=`` opens: the first one named on the command line, else the seed."""
    return next((k for k in all_sources() if k != "seed" and not k.startswith("up-")), "seed")


@st.cache_data(show_spinner=False, max_entries=16)
def _parse(digest: str, path: str | None, files: tuple[tuple[str, bytes], ...]) -> tuple[list[QAItem], list[str]]:
    """Items and error messages of a bank; ``digest`` (of the content) is what keys the cache."""
    from kg.parse import parse_paths, parse_text

    if path is not None:
        items, errors = parse_paths([Path(path)])
        return items, [str(e) for e in errors]
    items, messages = [], []
    seen: set[str] = set()
    for name, data in files:
        try:
            found = parse_text(data.decode("utf-8-sig"), name)
        except UnicodeDecodeError as e:
            line = data[: e.start].count(b"\n") + 1
            messages.append(str(ParseError(f"not UTF-8 text ({e.reason}); save it as UTF-8", name, line)))
            continue
        except KGError as e:
            messages.append(str(e))
            continue
        clash = seen.intersection(i.id for i in found)
        if clash:
            messages.append(f"{name}: left out, its question ids repeat another file's ({sorted(clash)[0]}); rename it")
            continue
        seen.update(i.id for i in found)
        items.extend(found)
    return items, messages


@st.cache_resource(show_spinner="Loading the English language pipeline…")
def _nlp():
    from kg.extract import load_nlp

    return load_nlp()


@st.cache_resource(show_spinner="Loading the sentence-embedding model…")
def _embedder():
    from kg.embed import load_embedder

    return load_embedder()


@st.cache_resource(show_spinner=False, max_entries=4)
def _open(digest: str, name: str, path: str | None, files: tuple[tuple[str, bytes], ...]):
    """The bank (or ``None``) and the parse messages for one content digest.

    A resource, not data: unpickling the Bank of a 1,300-question bank alone takes 2–4 s, which is
    what ``st.cache_data`` would do on every new session. The app only reads a Bank (a frozen
    dataclass whose graph nothing here changes), so one copy serves every session. Parsing, which
    only a first open needs, stays ``st.cache_data``. The progress bar is made in here rather than
    passed in: Streamlit replays the elements of a cached function on a cache hit, and the replay
    of a bar that ends empty shows nothing.
    """
    from kg.pipeline import build_bank
    from kg.vocabulary import Vocabulary, find_vocabulary

    items, messages = _parse(digest, path, files)
    if not items:
        return None, messages
    bar = st.progress(0.0, text=f"Opening {name}…")

    def progress(fraction: float, stage: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=f"Opening {name}: {stage}…")

    bank = build_bank(
        items,
        _nlp(),
        vocabulary=find_vocabulary([Path(path)]) if path else Vocabulary(),
        embedder=_embedder(),
        progress=progress,
    )
    bar.empty()
    return bank, messages


def accepted_pairs(source: Source, errors: list[ConfigError] | None = None) -> tuple[tuple[str, str], ...]:
    """The pairs marked "not a duplicate": the bank's accepted-pairs file, or this session's list.

    What is wrong with the file goes to ``errors`` (when given); the pairs that read still count.
    """
    pairs: frozenset[frozenset[str]]
    if source.path is not None:
        try:
            pairs = read_accepted(accepted_path(source.path), [] if errors is None else errors)
        except ConfigError as exc:  # not TOML at all: nothing in it counts
            if errors is not None:
                errors.append(exc)
            pairs = frozenset()
    else:
        pairs = st.session_state.get("accepted", {}).get(source.key, frozenset())
    ordered = (sorted(p) for p in pairs)
    return tuple(sorted((a, b) for a, b in ordered))


def load_bank(source: Source, slot):
    """The bank of ``source``, its content key and parse messages.

    From this session's memo when nothing changed, else from the cache, else built with a progress
    bar in ``slot``: a placeholder that every run makes at the same
    place, so the elements after it keep their places and the graph is not mounted anew.
    """
    digest = content_digest(source.files) if source.path is None else disk_digest(Path(source.path))
    problems: list[ConfigError] = []
    accepted = accepted_pairs(source, problems)
    key = f"{digest}-{content_digest([(repr(accepted), b'')])[:6]}"
    memo = st.session_state.get("bank_memo")
    if memo and memo[0] == key:
        return memo[1], key, memo[2]
    with slot.container():
        bank, messages = _open(digest, source.name, source.path, source.files)
    messages = [*messages, *(str(e) for e in problems)]
    slot.empty()
    if bank is not None and accepted:
        # Accepted pairs are only left out of the pairs (kg.similar scores every pair on its own),
        # so marking one is a filter here, not a new pass over the whole bank.
        marked = {frozenset(p) for p in accepted}
        bank = dataclasses.replace(bank, pairs=tuple(p for p in bank.pairs if frozenset((p.a, p.b)) not in marked))
    st.session_state["bank_memo"] = (key, bank, messages)
    return bank, key, messages
