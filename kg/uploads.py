"""Uploaded banks kept on disk, one folder per upload, named by the digest of its content.

A bank uploaded to the app outlives the session that took it: its files are stored under
``$KG_UPLOADS`` (else ``$XDG_CACHE_HOME/kg/uploads``, else ``~/.cache/kg/uploads``), in a folder
named by :func:`content_digest`, so uploading the same files again finds the same folder, and the
decisions made on the bank (``kg-accepted.toml``) are kept beside them. Each folder holds the files
under safe names and a manifest, ``kg-upload.json``, with the names as uploaded::

    {"name": "ml.md", "uploaded": "2026-12-02T03:28:34.000000Z",
     "files": [{"name": "ml.md", "stored": "ml.md", "size": 1234}]}

A folder is written whole under a temporary name and renamed into place, so a crash leaves either
no folder or a complete one. Removing an upload is deleting its folder.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from kg.accepted import FILENAME as ACCEPTED_FILE
from kg.atomic import replacing, write_atomic
from kg.errors import KGError

ENV_UPLOADS = "KG_UPLOADS"
MANIFEST = "kg-upload.json"
# Streamlit caps one file at 200 MB; the store as a whole is capped so that uploads cannot fill a disk.
MAX_STORE_BYTES = 1 << 30
_RESERVED = {MANIFEST.lower(), ACCEPTED_FILE.lower()}
_DIGEST = re.compile(r"[0-9a-f]{12}")


class UploadError(KGError):
    """An upload cannot be stored, or a stored one cannot be read back."""


@dataclasses.dataclass(frozen=True)
class StoredUpload:
    """One stored upload: its digest (the folder's name), display name, time and files.

    ``files`` pairs each name as uploaded with the safe name it is stored under.
    """

    digest: str
    name: str
    uploaded: str
    folder: Path
    files: tuple[tuple[str, str], ...]


def content_digest(parts: Sequence[tuple[str, bytes]]) -> str:
    """The digest of named contents, in order: names and bytes both count.

    Examples
    --------
    >>> content_digest([("a.md", b"x")]) == content_digest([("a.md", b"x")])
    True
    >>> content_digest([("a.md", b"x")]) == content_digest([("b.md", b"x")])
    False
    """
    h = hashlib.sha256()
    for name, data in parts:
        h.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()[:12]


def store_root() -> Path:
    """Where uploads are kept: ``$KG_UPLOADS``, else ``$XDG_CACHE_HOME/kg/uploads``, else ``~/.cache/kg/uploads``."""
    if os.environ.get(ENV_UPLOADS):
        return Path(os.environ[ENV_UPLOADS])
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "kg" / "uploads"


def safe_name(name: str, taken: set[str] | None = None) -> str:
    """A file name for ``name`` that stays inside its folder: last path part, plain characters.

    Names already in ``taken`` (compared in lower case, with the manifest's and the decisions file's)
    get a number; the result is added to ``taken``.

    Examples
    --------
    >>> safe_name("../../etc/passwd"), safe_name("a\\0b.md"), safe_name(".."), safe_name("kg-upload.json")
    ('passwd', 'a_b.md', 'file', 'kg-upload-2.json')
    >>> taken = set()
    >>> safe_name("x/q.md", taken), safe_name("y/q.md", taken)
    ('q.md', 'q-2.md')
    """
    taken = set() if taken is None else taken
    last = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = re.sub(r"[^\w.\- ]", "_", last).strip(" .") or "file"
    stem, suffix = os.path.splitext(base)
    stem, suffix = stem[:80] or "file", suffix[:16]  # short enough for any file system's limit
    out, n = stem + suffix, 1
    while out.lower() in taken | _RESERVED:
        n += 1
        out = f"{stem}-{n}{suffix}"
    taken.add(out.lower())
    return out


def _now() -> str:
    # Microseconds, so that two uploads in one second still list in the order they came.
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _store_size(root: Path) -> int:
    return sum(f.stat().st_size for f in root.rglob("*") if f.is_file() and not f.is_symlink())


def _readable(folder: Path) -> bool:
    try:
        read_upload(folder)
    except UploadError:
        return False
    return True


def _sweep(root: Path) -> None:
    """Remove what writes cut short (by a crash or a kill) left behind a day or more ago."""
    old = time.time() - 86_400
    for tmp in root.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            if tmp.is_dir() and not tmp.is_symlink() and tmp.stat().st_mtime < old:
                shutil.rmtree(tmp)


def _renew(folder: Path) -> bool:
    """Give a stored upload a new time; ``False`` if it is damaged (and is to be written anew)."""
    if not _readable(folder):
        return False
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    write_atomic(folder / MANIFEST, json.dumps({**manifest, "uploaded": _now()}, indent=1, ensure_ascii=False) + "\n")
    return True


def save_upload(
    files: Sequence[tuple[str, bytes]], name: str, root: str | Path | None = None, *, limit: int = MAX_STORE_BYTES
) -> StoredUpload:
    """Store an upload (names as uploaded and bytes) and return it; the same content finds its folder.

    Storing what is already there keeps its folder and its decisions and only renews its time.

    Raises
    ------
    UploadError
        The store cannot be written, or the upload would take it past ``limit`` bytes.

    Examples
    --------
    >>> root = Path(tempfile.mkdtemp())
    >>> up = save_upload([("../bank.md", b"## 1. Why?\\n\\nBecause.\\n")], "bank.md", root)
    >>> up.files, sorted(p.name for p in up.folder.iterdir())
    ((('../bank.md', 'bank.md'),), ['bank.md', 'kg-upload.json'])
    >>> save_upload([("../bank.md", b"## 1. Why?\\n\\nBecause.\\n")], "bank.md", root).folder == up.folder
    True
    """
    root = Path(root) if root is not None else store_root()
    digest = content_digest(files)
    folder = root / digest
    try:
        root.mkdir(parents=True, exist_ok=True)
        if folder.is_dir() and _renew(folder):
            return read_upload(folder)
        _sweep(root)
        size = sum(len(data) for _, data in files)
        if _store_size(root) + size > limit:
            raise UploadError(
                f"{root}: the upload store would pass its limit of {limit >> 20} MB; "
                "delete the folders of uploads no longer needed"
            )
        tmp = Path(tempfile.mkdtemp(prefix=f".{digest}.", suffix=".tmp", dir=root))
        try:
            taken: set[str] = set()
            entries = []
            for original, data in files:
                stored = safe_name(original, taken)
                with replacing(tmp / stored, "wb") as handle:
                    handle.write(data)
                entries.append({"name": original, "stored": stored, "size": len(data)})
            manifest = {"name": name, "uploaded": _now(), "files": entries}
            write_atomic(tmp / MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
            aside = None
            if folder.exists() and not _readable(folder):
                # Damaged: replaced whole, keeping its decisions; moved aside first so that the
                # folder is never half old, half new.
                if (folder / ACCEPTED_FILE).is_file():
                    shutil.copy2(folder / ACCEPTED_FILE, tmp / ACCEPTED_FILE)
                aside = Path(tempfile.mkdtemp(prefix=f".{digest}.", suffix=".old.tmp", dir=root))
                os.replace(folder, aside)
            os.rename(tmp, folder)  # fails if another writer stored the same content meanwhile
            if aside is not None:
                shutil.rmtree(aside, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    except UploadError:
        raise
    except (OSError, KGError) as exc:
        if folder.is_dir():  # another writer stored the same content first
            with contextlib.suppress(UploadError):
                return read_upload(folder)
        reason = (exc.strerror or str(exc)) if isinstance(exc, OSError) else str(exc)
        raise UploadError(f"{root}: could not keep the upload: {reason}") from None
    return read_upload(folder)


def read_upload(folder: str | Path) -> StoredUpload:
    """The stored upload in ``folder``, after checking its manifest and that its files are all there.

    Raises
    ------
    UploadError
        The folder is not an upload's, its manifest is missing or malformed, or a file is missing
        or has changed size; the message names the folder.
    """
    folder = Path(folder)

    def damaged(reason: str) -> UploadError:
        return UploadError(f"{folder}: a damaged stored upload ({reason}); delete the folder to remove it")

    if not _DIGEST.fullmatch(folder.name):
        raise damaged("its name is not a content digest")
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise damaged(f"it has no {MANIFEST}") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise damaged(f"its {MANIFEST} cannot be read ({exc})") from None
    entries = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("name"), str) or not isinstance(entries, list):
        raise damaged(f"its {MANIFEST} lacks a name or a list of files")
    files = []
    for entry in entries:
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in ("name", "stored")):
            raise damaged(f"its {MANIFEST} has a file without a name")
        stored = entry["stored"]
        # A manifest is data too: it may only name a plain file in its own folder.
        if stored in ("", ".", "..") or "\0" in stored or Path(stored).name != stored or stored.lower() in _RESERVED:
            raise damaged(f"its {MANIFEST} names a file outside the folder ({stored!r})")
        path = folder / stored
        if not path.is_file() or path.is_symlink():
            raise damaged(f"{stored} is missing")
        if isinstance(entry.get("size"), int) and path.stat().st_size != entry["size"]:
            raise damaged(f"{stored} has changed size since it was uploaded")
        files.append((entry["name"], stored))
    if not files:
        raise damaged("it holds no file")
    uploaded = manifest.get("uploaded")
    when = uploaded if isinstance(uploaded, str) else ""
    return StoredUpload(folder.name, manifest["name"], when, folder, tuple(files))


def upload_files(upload: StoredUpload) -> tuple[tuple[str, bytes], ...]:
    """The names as uploaded and the bytes of a stored upload, checked against its digest.

    Raises
    ------
    UploadError
        A file cannot be read, or the files no longer match the digest they are stored under.
    """
    try:
        files = tuple((name, (upload.folder / stored).read_bytes()) for name, stored in upload.files)
    except OSError as exc:
        raise UploadError(f"{upload.folder}: cannot read the stored upload: {exc.strerror or exc}") from None
    if content_digest(files) != upload.digest:
        raise UploadError(
            f"{upload.folder}: the stored files have changed since they were uploaded; delete the folder to remove it"
        )
    return files


def list_uploads(root: str | Path | None = None, errors: list[UploadError] | None = None) -> list[StoredUpload]:
    """Every readable stored upload, newest first; what cannot be read goes to ``errors`` and is skipped.

    A missing store is an empty one; temporary folders of writes under way are not uploads.
    """
    root = Path(root) if root is not None else store_root()
    try:
        folders = sorted(p for p in root.iterdir() if not p.name.startswith(".") and p.is_dir())
    except FileNotFoundError:
        return []
    except OSError as exc:
        if errors is not None:
            errors.append(UploadError(f"{root}: cannot list the stored uploads: {exc.strerror or exc}"))
        return []
    found = []
    for folder in folders:
        try:
            found.append(read_upload(folder))
        except UploadError as exc:
            if errors is not None:
                errors.append(exc)
    return sorted(found, key=lambda u: (u.uploaded, u.digest), reverse=True)


def find_upload(digest: str, root: str | Path | None = None) -> StoredUpload | None:
    """The stored upload of ``digest``, or ``None`` if there is none (or ``digest`` is not one).

    Raises
    ------
    UploadError
        Its folder is there but damaged.
    """
    if not _DIGEST.fullmatch(digest):
        return None
    folder = (Path(root) if root is not None else store_root()) / digest
    return read_upload(folder) if folder.is_dir() else None


__all__ = [
    "ENV_UPLOADS",
    "MANIFEST",
    "StoredUpload",
    "UploadError",
    "content_digest",
    "find_upload",
    "list_uploads",
    "read_upload",
    "safe_name",
    "save_upload",
    "store_root",
    "upload_files",
]
