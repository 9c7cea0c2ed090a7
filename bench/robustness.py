"""Bad input, faults and concurrency: each case run as a user would meet it, with pass or fail.

    .venv/bin/python bench/robustness.py

Every command-line case runs ``python -m kg`` in a subprocess with a time limit, and passes when the
exit status is the expected one, stderr has a line naming the culprit (``error:``, or ``WARNING``
where the command rightly goes on), and no traceback was printed. The library cases check that
nothing is lost or misread. The last line gives the totals.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import resource
import signal
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BANK = "## 1. What is dropout?\n\nDropout drops random units.\n\n## 2. Why does ReLU help?\n\nIt does not saturate.\n"
Result = tuple[bool, str]


def kg(*args: str, cwd: Path, timeout: float = 120, limit_file: int | None = None) -> subprocess.CompletedProcess:
    def limits() -> None:
        if limit_file is not None:  # a full disk, as far as this process can tell
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file, limit_file))

    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        check=False,
        preexec_fn=limits,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def cli_case(args: Callable[[Path], list[str]], status: int, message: str, timeout: float = 60) -> Callable[[], Result]:
    def run() -> Result:
        with tempfile.TemporaryDirectory() as tmp:
            t = Path(tmp)
            try:
                r = kg(*args(t), cwd=t, timeout=timeout)
            except subprocess.TimeoutExpired:
                return False, f"no answer within {timeout:.0f} s"
        errors = [line for line in r.stderr.splitlines() if line.startswith(("error: ", "WARNING "))]
        ok = r.returncode == status and "Traceback" not in r.stderr and any(message in e for e in errors)
        return ok, f"exit {r.returncode}; " + (errors[0][:90] if errors else r.stderr.strip()[-90:])

    return run


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def pipe(path: Path) -> Path:
    os.mkfifo(path)
    return path


def with_decisions(t: Path, decisions: str) -> Path:
    """A bank file with a decisions file beside it."""
    write(t / "kg-accepted.toml", decisions)
    return write(t / "b.md", BANK)


def folder(t: Path, extra: Callable[[Path], object]) -> Path:
    f = t / "bank"
    write(f / "good.md", BANK)
    extra(f)
    return f


# ------------------------------------------------------------------------------------------ library cases


def export_at_a_full_disk() -> Result:
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        bank, out = write(t / "bank.md", BANK), write(t / "out.json", "previous export\n")
        r = kg("export", str(bank), "--no-semantic", "-o", str(out), cwd=t, limit_file=300)
        kept = out.read_text() == "previous export\n"
        # the readings cache (.kg-cache) may stay; a half-written file of any kind may not
        leftovers = sorted(p.name for p in t.rglob(".*") if p.name != ".kg-cache")
        ok = r.returncode == 2 and kept and not leftovers and "Traceback" not in r.stderr
        return ok, f"exit {r.returncode}; old file kept: {kept}; temporary files left: {leftovers}"


def export_when_no_file_loads() -> Result:
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        notes = write(t / "notes.md", "Just prose, no questions here.\n")
        out = write(t / "out.json", "previous export\n")
        r = kg("export", str(notes), "--no-semantic", "-o", str(out), cwd=t)
        kept = out.read_text() == "previous export\n"
        named = any(line.startswith(f"error: {notes}: no question found") for line in r.stderr.splitlines())
        ok = r.returncode == 2 and kept and named and "Traceback" not in r.stderr
        return ok, f"exit {r.returncode}; old file kept: {kept}; the file named: {named}"


def _add_many(path: str, pairs: list[tuple[str, str]]) -> None:
    from kg.accepted import add_accepted

    for a, b in pairs:
        add_accepted(path, a, b)


def decisions_from_four_writers() -> Result:
    from kg.accepted import read_accepted

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kg-accepted.toml"
        pairs = [(f"q-{i}", f"q-{i + 500}") for i in range(200)]
        ctx = multiprocessing.get_context("fork")
        workers = [ctx.Process(target=_add_many, args=(str(path), pairs)) for _ in range(4)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(300)
        blocks = path.read_text(encoding="utf-8").count("\n[[pair]]")
        ok = blocks == 200 and len(read_accepted(path)) == 200
        return ok, f"4 writers x 200 pairs: {blocks} tables, {len(read_accepted(path))} pairs read back"


def decisions_with_characters_toml_cannot_hold() -> Result:
    from kg.accepted import add_accepted
    from kg.errors import ConfigError

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kg-accepted.toml"
        add_accepted(path, "q-1", "q-2", note="a DEL \x7f, a NUL \x00 and a tab \t")
        try:
            add_accepted(path, "q-3", "q-4", note="a lone surrogate \udc80")
            refused = False
        except ConfigError:
            refused = True
        notes = [p.get("note") for p in tomllib.loads(path.read_text(encoding="utf-8"))["pair"]]
        ok = refused and notes == ["a DEL \x7f, a NUL \x00 and a tab \t"]
        return ok, f"control characters escaped and read back: {ok}; lone surrogate refused: {refused}"


class _Fake:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts):
        from kg.embed import normalise_rows

        self.seen.extend(texts)
        return normalise_rows(np.array([[len(t), 1.0, 2.0] for t in texts]))


def cache_entries_that_fail_their_check() -> Result:
    from kg.embed import CachedEmbedder, text_key

    good = _Fake().encode(["x"])[0]
    plants: dict[str, Callable[[Path, str], object]] = {
        "empty": lambda p, k: p.write_bytes(b""),
        "junk": lambda p, k: p.write_bytes(b"\x93NUMPY junk"),
        "NaN": lambda p, k: _entry(p, np.full(3, np.nan, dtype=np.float32), k),
        "zeros": lambda p, k: _entry(p, np.zeros(3, dtype=np.float32), k),
        "wrong length": lambda p, k: _entry(p, np.ones(4, dtype=np.float32) / 2, k),
        "2-D": lambda p, k: _entry(p, np.ones((2, 3), dtype=np.float32), k),
        "strings": lambda p, k: _entry(p, np.array(["a", "b", "c"]), k),
        "another text's vector": lambda p, k: _entry(p, good, text_key("another")),
        "bad checksum": lambda p, k: _entry(p, good, k, "0" * 64),
    }
    failed = []
    for name, plant in plants.items():
        with tempfile.TemporaryDirectory() as tmp:
            key = text_key("x")
            path = Path(tmp) / key[:2] / f"{key}.npz"
            path.parent.mkdir()
            plant(path, key)
            fake = _Fake()
            out = CachedEmbedder(fake, Path(tmp), dim=3).encode(["x"])
            if fake.seen != ["x"] or not np.array_equal(out[0], good):
                failed.append(name)
    return not failed, f"{len(plants) - len(failed)} of {len(plants)} bad entries recomputed" + (
        f"; used as they were: {failed}" if failed else ""
    )


def _entry(path: Path, vector: np.ndarray, key: str, checksum: str | None = None) -> None:
    vector = np.asarray(vector)
    digest = checksum or hashlib.sha256(np.ascontiguousarray(vector).tobytes()).hexdigest()
    with open(path, "wb") as handle:
        np.savez(handle, vector=vector, key=np.array(key), sha256=np.array(digest))


def fifty_identical_questions() -> Result:
    from kg.model import QAItem
    from kg.similar import group_duplicates, score_pairs

    def mk(i: int) -> QAItem:
        q, a = "How do you deal with sparse data?", "Use sparse matrices and models that accept them."
        return QAItem(f"q{i}", i, q, a, "b.md", i, q, a)

    pairs = score_pairs([mk(i) for i in range(50)], {})
    groups = group_duplicates(pairs)
    ok = [len(g) for g in groups] == [50] and all(p.score == 1.0 and p.kind == "duplicate" for p in pairs)
    return ok, f"groups {[len(g) for g in groups]}; {len(pairs)} pairs, lowest score {min(p.score for p in pairs)}"


def text_over_the_pipeline_limit() -> Result:
    from kg.extract import load_nlp
    from kg.extract.merge import extract
    from kg.model import QAItem

    nlp = load_nlp()
    answer = "Gradient clipping keeps exploding gradients in check. " * 4000
    item = QAItem("b-1", 1, "What is clipping?", answer, "bank.md", 3, "What is clipping?", answer)
    nlp.max_length = 100_000
    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())  # type: ignore[method-assign]
    logging.getLogger("kg.extract").addHandler(handler)
    try:
        found = extract([item], nlp)
    except Exception as exc:  # noqa: BLE001 - the case fails on any crash
        return False, f"{type(exc).__name__}: {exc}"
    ok = bool(found.concepts) and any("bank.md:3: the answer is" in r for r in records)
    return ok, records[0][:90] if records else "no warning"


def upload_names_that_try_to_leave_the_store() -> Result:
    from kg.uploads import read_upload, save_upload

    names = ["../../escape.md", "/etc/passwd.md", "a\0b.md", "..", "sub/dir/x.md", "c:\\x.md"]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "store"
        up = save_upload([(n, f"## {i}. Q?\n\nA.\n".encode()) for i, n in enumerate(names)], "probe", root)
        back = read_upload(up.folder)
        inside = all((up.folder / safe).resolve().parent == up.folder.resolve() for _, safe in back.files)
        outside = [p for p in Path(tmp).rglob("*") if root not in p.parents and p != root]
        kept = [n for n, _ in back.files] == names
    return inside and not outside and kept, f"{len(back.files)} files stored inside the upload's folder, names kept"


def damaged_stored_upload() -> Result:
    from kg.uploads import UploadError, list_uploads, save_upload

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        good = save_upload([("a.md", BANK.encode())], "a", root)
        bad = save_upload([("b.md", b"## 1. Q?\n\nB.\n")], "b", root)
        (bad.folder / "kg-upload.json").write_text("{not json", encoding="utf-8")
        errors: list[UploadError] = []
        found = list_uploads(root, errors)
    ok = [u.digest for u in found] == [good.digest] and len(errors) == 1 and bad.digest in str(errors[0])
    return ok, str(errors[0])[:90] if errors else "no warning"


def copies_past_the_exact_search_limit() -> Result:
    import kg.similar.ann as ann
    from kg.model import QAItem
    from kg.similar import group_duplicates, score_pairs

    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(400)]
    items = [QAItem(f"u{i}", i, q, a, "b.md", i, q, a) for i in range(250)
             for q, a in [(" ".join(rng.choice(words, 7)) + "?", " ".join(rng.choice(words, 15)) + ".")]]
    q, a = "How do you deal with sparse data?", "Use sparse matrices and models that accept them."
    items += [QAItem(f"c{i}", i, q, a, "b.md", i, q, a) for i in range(50)]
    limit = ann.EXACT_LIMIT
    ann.EXACT_LIMIT = 10  # the approximate search, as on a bank of tens of thousands
    try:
        groups = group_duplicates(score_pairs(items, {}, explain=False))
    finally:
        ann.EXACT_LIMIT = limit
    sizes = [len(g) for g in groups if g[0].startswith("c")]
    return sizes == [50], f"copies of one question in groups of {sizes}"


# ------------------------------------------------------------------------------------------ the table

CASES: list[tuple[str, Callable[[], Result]]] = [
    ("missing file", cli_case(lambda t: ["parse", str(t / "none.md")], 2, "file not found")),
    ("empty file", cli_case(lambda t: ["parse", str(write(t / "e.md", ""))], 0, "e.md: the file is empty")),
    ("whitespace only", cli_case(lambda t: ["parse", str(write(t / "w.md", " \n\t\n"))], 0, "the file is empty")),
    ("binary file", cli_case(lambda t: ["parse", str(write(t / "b.md", b"\x00\xff\xfe" * 50))], 2, "not valid UTF-8")),
    (
        "latin-1 file",
        cli_case(lambda t: ["parse", str(write(t / "l.md", "## 1. Qué?\n\nSí.\n".encode("latin-1")))], 2, "l.md:1"),
    ),
    ("UTF-16 file", cli_case(lambda t: ["parse", str(write(t / "u.md", BANK.encode("utf-16")))], 2, "not valid UTF-8")),
    (
        "folder with no bank file",
        cli_case(lambda t: ["parse", str(write(t / "d" / "x.txt", "x").parent)], 2, "holds no .md"),
    ),
    (
        "link in a folder that loops back",
        cli_case(lambda t: ["parse", str(folder(t, lambda f: (f / "again").symlink_to(f)))], 2, "leads back"),
    ),
    (
        "link file that points to itself",
        cli_case(
            lambda t: ["parse", str(folder(t, lambda f: (f / "s.md").symlink_to(f / "s.md")))], 2, "s.md: cannot read"
        ),
    ),
    (
        "pipe in a folder",
        cli_case(lambda t: ["parse", str(folder(t, lambda f: os.mkfifo(f / "p.md")))], 2, "p.md: not a regular"),
    ),
    ("pipe named", cli_case(lambda t: ["parse", str(pipe(t / "p.md"))], 2, "not a regular file")),
    ("device named", cli_case(lambda t: ["parse", "/dev/zero"], 2, "not a regular file")),
    (
        "export -o into a missing folder",
        cli_case(
            lambda t: ["export", str(write(t / "b.md", BANK)), "-o", str(t / "no" / "x.json")], 2, "does not exist"
        ),
    ),
    (
        "export -o onto a folder",
        cli_case(lambda t: ["export", str(write(t / "b.md", BANK)), "-o", str(t)], 2, "is a folder"),
    ),
    ("export -o at a full disk", export_at_a_full_disk),
    ("export -o when no file loads", export_when_no_file_loads),
    (
        "check: decisions 'pair' a list of numbers",
        cli_case(
            lambda t: ["check", str(with_decisions(t, "pair = [1, 2]\n")), "--no-semantic"],
            2,
            "must be written as [[pair]] tables",
            timeout=180,
        ),
    ),
    (
        "check: decisions file cut mid-write",
        cli_case(
            lambda t: ["check", str(with_decisions(t, '[[pair]]\na = "q-1"\nb = "go')), "--no-semantic"],
            2,
            "not valid TOML",
            timeout=180,
        ),
    ),
    (
        "check: a pipe in the bank folder",
        cli_case(lambda t: ["check", str(folder(t, lambda f: os.mkfifo(f / "p.md"))), "--no-semantic"], 2, "p.md", 180),
    ),
    ("check: empty bank", cli_case(lambda t: ["check", str(write(t / "e.md", "\n\n"))], 2, "no question", timeout=180)),
    ("decisions: 4 writers at once", decisions_from_four_writers),
    ("decisions: DEL, NUL and lone surrogates", decisions_with_characters_toml_cannot_hold),
    ("embedding cache: bad entries", cache_entries_that_fail_their_check),
    ("50 identical questions", fifty_identical_questions),
    ("text over spaCy's limit", text_over_the_pipeline_limit),
    ("upload names that try to leave the store", upload_names_that_try_to_leave_the_store),
    ("a damaged stored upload", damaged_stored_upload),
    ("50 copies, approximate search", copies_past_the_exact_search_limit),
]


def main() -> int:
    passed = failed = 0
    width = max(len(name) for name, _ in CASES)
    for name, case in CASES:
        try:
            ok, detail = case()
        except Exception as exc:  # noqa: BLE001 - a case that crashes has failed
            ok, detail = False, f"{type(exc).__name__}: {exc}"
        passed += ok
        failed += not ok
        print(f"{'pass' if ok else 'FAIL'}  {name:{width}s}  {detail}", flush=True)
    print(f"\nrobustness: {passed} passed, {failed} failed of {len(CASES)} cases")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
