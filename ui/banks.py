"""Banks the app can open, their content digests, and the built bank cached by content.

The banks are the seed, those named on the command line, and uploads: kept in the store of
:mod:`kg.uploads` (so they outlive the session, with their decisions file in their folder), or in
this session alone when the store cannot be written.

One built :class:`~kg.pipeline.Bank` per content digest serves every session (``st.cache_resource``);
this session keeps its own handle so a rerun costs nothing. Built banks are also kept on disk
(:mod:`kg.bankstore`), so that a new server reads a bank opened before instead of building it.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from kg.bankfiles import CONCEPT_FILE, PAIR_MODEL_FILE, bank_folder
from kg.decisions import Decision, apply_verdicts, decisions_path, read_decisions, set_aside
from kg.errors import ConfigError, KGError, ParseError
from kg.model import Pair, QAItem
from kg.uploads import StoredUpload, UploadError, content_digest, find_upload, list_uploads, save_upload, upload_files

SEED = Path(__file__).resolve().parent.parent / "data" / "questions.md"
APP = Path(__file__).resolve().parent.parent / "app.py"
SUFFIXES = (".md", ".markdown")
STORE_SUFFIXES = (".sqlite", ".sqlite3", ".db")


@dataclasses.dataclass(frozen=True)
class Source:
    """One bank the app can open: files on disk (``path``), or uploaded.

    An upload kept in the store has its ``folder`` there (its files are read when it is opened); one
    the store could not take lives in this session only, with its names and bytes in ``files``.
    """

    key: str
    name: str
    path: str | None = None
    files: tuple[tuple[str, bytes], ...] = ()
    folder: str | None = None
    store: bool = False  # ``path`` is a store written by ``kg store`` (ui.storeload)

    @property
    def decisions(self) -> Path | None:
        """The bank's decisions file (kg-accepted.toml): beside a bank on disk or in an upload's folder;
        for a store, beside the bank's files when the store names them and they are still there."""
        if self.store:
            from ui.storeload import store_decisions

            return store_decisions(self.path or "")
        where = self.path or self.folder
        return decisions_path(where) if where else None


def _stored(upload: StoredUpload) -> Source:
    return Source(f"up-{upload.digest}", upload.name, folder=str(upload.folder))


def upload_name(files: tuple[tuple[str, bytes], ...]) -> str:
    names = ", ".join(n for n, _ in files)
    return names if len(names) <= 50 else f"{len(files)} uploaded files"


def disk_digest(path: Path) -> str:
    """The digest of a bank's files, then of each file beside it that changes what is built: its
    concepts.toml (the concepts and their tiers) and a model refitted by `kg calibrate` (the pairs).
    A file is read again only when its size or time changed."""
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES)
    digest = _read_digest(files, str)
    for extra in (bank_folder(path) / CONCEPT_FILE, bank_folder(path) / PAIR_MODEL_FILE):
        if extra.is_file():
            digest += "-" + _read_digest([extra], lambda f: f.name)[:8]
    return digest


def _read_digest(files: list[Path], name: Callable[[Path], str]) -> str:
    """:func:`content_digest` of ``files`` under ``name(file)``, kept for the session by size and time."""
    stats = tuple((str(f), name(f), f.stat().st_size, f.stat().st_mtime_ns) for f in files if f.is_file())
    known = st.session_state.setdefault("digests", {})
    if stats not in known:
        known[stats] = content_digest([(named, Path(f).read_bytes()) for f, named, _, _ in stats])
    return known[stats]


def is_store_path(path: Path) -> bool:
    """Whether ``path`` names a store rather than markdown: an SQLite file, or a file named as one."""
    from kg.store import is_store

    return path.suffix.lower() in STORE_SUFFIXES or (path.is_file() and is_store(path))


def _bank_args() -> list[Path]:
    """Banks named after ``--`` on the ``streamlit run app.py`` command line or in ``KG_BANKS``."""
    args = sys.argv[1:] if Path(sys.argv[0]).name == APP.name else []
    args += [a for a in os.environ.get("KG_BANKS", "").split(os.pathsep) if a]
    return [Path(a) for a in args]


def all_sources() -> dict[str, Source]:
    """The bundled seed, banks from the command line, then the uploads (newest first), by key.

    Read once a session. A bank named on the command line that is not there, and a stored upload that
    cannot be read, are left out and named in ``st.session_state["store_warnings"]``.
    """
    if "sources" not in st.session_state:
        found = {"seed": Source("seed", "Seed bank (data/questions.md)", str(SEED))}
        missing = []
        for n, path in enumerate(_bank_args(), start=1):
            # a store is listed even when it cannot be opened: opening it names the file and what is wrong
            if path.exists() or is_store_path(path):
                found[f"bank{n}"] = Source(f"bank{n}", path.name or str(path), str(path), store=is_store_path(path))
            else:  # named on every page, rather than left out without a word
                missing.append(f"{path}: no such file or folder; this bank is not listed.")
        problems: list[UploadError] = []
        for upload in list_uploads(errors=problems):
            found[f"up-{upload.digest}"] = _stored(upload)
        st.session_state["store_warnings"] = missing + [str(e) for e in problems]
        st.session_state["sources"] = found
    return st.session_state["sources"]


def _put_upload(source: Source) -> None:
    """List ``source`` first among the uploads: it is the newest."""
    sources = all_sources()
    sources.pop(source.key, None)
    banks = {k: v for k, v in sources.items() if not k.startswith("up-")}
    st.session_state["sources"] = {**banks, source.key: source, **{k: v for k, v in sources.items() if k not in banks}}


def find_source(key: str) -> Source | None:
    """The bank of a ``?bank=`` key: listed this session, or an upload stored since (by another session)."""
    source = all_sources().get(key)
    if source is None and key.startswith("up-"):
        try:
            upload = find_upload(key[3:])
        except UploadError as exc:
            warnings = st.session_state.setdefault("store_warnings", [])
            if str(exc) not in warnings:
                warnings.append(str(exc))
            return None
        if upload is not None:
            source = _stored(upload)
            _put_upload(source)
    return source


def add_upload(files: tuple[tuple[str, bytes], ...]) -> Source:
    """Keep uploaded files in the store and list them; if the store cannot take them, in this session only."""
    name = upload_name(files)
    try:
        source = _stored(save_upload(files, name))
    except UploadError as exc:
        source = Source(f"up-{content_digest(files)}", name, None, files)
        st.session_state.setdefault("upload_errors", {})[source.key] = str(exc)
    _put_upload(source)
    return source


def source_files(source: Source) -> tuple[tuple[str, bytes], ...]:
    """The names and bytes of an uploaded bank, read from the store when it is kept there."""
    if source.folder is None:
        return source.files
    upload = find_upload(source.key[3:], Path(source.folder).parent)
    if upload is None:
        raise UploadError(f"{source.folder}: the stored upload is gone (its folder was deleted)")
    return upload_files(upload)


def default_key() -> str:
    """The bank a URL without ``?bank=`` opens: the first one named on the command line, else the seed."""
    return next((k for k in all_sources() if k != "seed" and not k.startswith("up-")), "seed")


@st.cache_data(show_spinner=False, max_entries=16)
def _parse(digest: str, path: str | None, files: tuple[tuple[str, bytes], ...]) -> tuple[list[QAItem], list[str]]:
    """Items and error messages of a bank; ``digest`` (of the content) is what keys the cache."""
    from kg.parse import parse_paths, parse_text
    from kg.parse.unread import partly_read

    if path is not None:
        notes: list[str] = []
        items, errors = parse_paths([Path(path)], notes=notes)
        return items, [str(e) for e in errors] + notes
    items, messages = [], []
    seen: set[str] = set()
    for name, data in files:
        try:
            text = data.decode("utf-8-sig")
            found = parse_text(text, name)
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
        if (part := partly_read(text, name, found)) is not None:
            messages.append(part.note())
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

    A bank built before with the same files, kg and settings is read from :mod:`kg.bankstore`
    (under a second on a 1,300-question bank) before anything is loaded; one that is built is stored.
    The bank's first view (its legend and the view it opens on, :class:`kg.render.FirstView`) comes
    with it, stored beside it the same way; ``None`` when there is no bank.
    """
    # What a bank read from the store needs, and no more: the stages (spaCy, scikit-learn, torch) are
    # imported after a miss, so that a fresh server opening a stored bank spends no seconds on them.
    from kg.bankstore import BankStore, bank_key, embedder_fingerprint, expected_embedder_fingerprint, file_digest
    from kg.embed import cache_root

    # The built bank is kept on disk too, so that a new server reads it instead of building it. The
    # key names the embedder without loading it: on a hit, neither spaCy nor the model is loaded, and
    # the files are not parsed again (what parsing reported is stored with the bank).
    folder = bank_folder(path) if path else None
    store = BankStore(cache_root())
    key = bank_key(
        digest,
        embedder=expected_embedder_fingerprint(),
        concepts=file_digest(folder / CONCEPT_FILE if folder else None),
        pair_model=file_digest(folder / PAIR_MODEL_FILE if folder else None),  # kg.similar.model.bank_model_path
    )
    messages: list[str] = []
    stored = store.load(key, messages)
    if stored is not None:
        return stored, messages, _first_view(store, key, stored)
    items, messages = _parse(digest, path, files)
    if not items:
        return None, messages, None
    from kg.extract.language import foreign_note, foreign_sources

    messages = [*messages, *(foreign_note(s, lang) for s, lang in foreign_sources(items, warn=False).items())]
    bar = st.progress(0.0, text=f"Opening {name}…")
    from kg.extract.conceptfile import Vocabulary, find_vocabulary
    from kg.pipeline import build_bank
    from kg.readings import ReadingStore
    from kg.similar.model import find_model

    def progress(fraction: float, stage: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=f"Opening {name}: {stage}…")

    bank = build_bank(
        items,
        _nlp(),
        vocabulary=find_vocabulary([Path(path)]) if path else Vocabulary(),
        embedder=_embedder(),
        progress=progress,
        n_process=0,  # chosen by the texts read: files read before come from the store
        store=ReadingStore(cache_root()),
        pair_model=find_model([Path(path)] if path else []),  # the bank's own, once `kg calibrate` made one
    )
    if embedder_fingerprint(_embedder()) == expected_embedder_fingerprint():  # else the key would not name it
        store.save(key, bank, messages)
    progress(1.0, "laying out its first view")
    first = _first_view(store, key, bank)
    bar.empty()
    return bank, messages, first


def _first_view(store, key: str, bank):
    from ui.derived import stored_first_view  # ui.derived imports this module

    return stored_first_view(store, key, bank)


def session_verdicts(source: Source) -> dict[frozenset[str], Decision | None]:
    """This session's verdicts on ``source`` that no file holds (``None``: a verdict undone here).

    An upload whose store could not be written (or not at the time) keeps its decisions here.
    """
    return st.session_state.setdefault("verdicts", {}).setdefault(source.key, {})


def decisions(source: Source, errors: list[ConfigError] | None = None) -> dict[frozenset[str], Decision]:
    """The curator's verdicts on the bank: its decisions file, then this session's (which win).

    What is wrong with the file goes to ``errors`` (when given); the verdicts that read still count.
    """
    found: dict[frozenset[str], Decision] = {}
    if source.decisions is not None:
        try:
            found = read_decisions(source.decisions, [] if errors is None else errors)
        except ConfigError as exc:  # not TOML at all: nothing in it counts
            if errors is not None:
                errors.append(exc)
    for key, decision in session_verdicts(source).items():
        found.pop(key, None)
        if decision is not None:
            found[key] = decision
    return found


def content_key(key: str) -> str:
    """The part of a bank's key that names its content alone, not the verdicts applied to its pairs:
    what keys the graph's layout, which verdicts do not move.

    Examples
    --------
    >>> content_key("3f2a9c0b1d4e-77aa01")
    '3f2a9c0b1d4e'
    """
    return key.rsplit("-", 1)[0]


def set_aside_pairs() -> tuple[Pair, ...]:
    """The scored pairs of the bank last loaded that a curator called different (``verdict`` set)."""
    memo = st.session_state.get("bank_memo")
    return memo[3] if memo else ()


def first_view(key: str):
    """The first view (:class:`kg.render.FirstView`) of the bank last loaded, when ``key`` is its key:
    its legend, and the view it opens on while the curator's verdicts leave its close pairs as built."""
    memo = st.session_state.get("bank_memo")
    return memo[4] if memo and memo[0] == key else None


def load_bank(source: Source, slot):
    """The bank of ``source``, its content key and parse messages.

    Raises :class:`~kg.errors.KGError` when the files of a stored upload cannot be read back.

    From this session's memo when nothing changed, else from the cache, else built with a progress
    bar in ``slot``: a placeholder that every run makes at the same
    place, so the elements after it keep their places and the graph is not mounted anew.
    """
    if source.store:
        from ui.storeload import load_store

        return load_store(source)
    if source.path is not None:
        digest = disk_digest(Path(source.path))
    else:  # an upload's key is its content's digest; its files are checked against it when read
        digest = source.key.removeprefix("up-") if source.folder else content_digest(source.files)
    problems: list[ConfigError] = []
    decided = decisions(source, problems)
    verdicts = sorted((sorted(k), d.verdict) for k, d in decided.items())
    key = f"{digest}-{content_digest([(repr(verdicts), b'')])[:6]}"
    memo = st.session_state.get("bank_memo")
    if memo and memo[0] == key:
        return memo[1], key, memo[2]
    files = source_files(source) if source.path is None else ()
    with slot.container():
        bank, messages, first = _open(digest, source.name, source.path, files)
    messages = [*messages, *(str(e) for e in problems)]
    slot.empty()
    aside: tuple[Pair, ...] = ()
    if bank is not None:
        from kg.decisions import unknown_ids

        messages += [str(e) for e in unknown_ids(decided, {i.id for i in bank.items})]
    if bank is not None and decided:
        # The bank is built and cached without verdicts, which kg.decisions applies after scoring:
        # a verdict is a pass over the pairs here, not a new build, and the graph keeps its layout.
        aside = tuple(set_aside(bank.pairs, decided))
        bank = dataclasses.replace(bank, pairs=tuple(apply_verdicts(bank.pairs, decided, {i.id for i in bank.items})))
        first = first.for_pairs(bank.pairs)
    st.session_state["bank_memo"] = (key, bank, messages, aside, first)
    return bank, key, messages
