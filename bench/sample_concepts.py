"""Draw concept labels of a bank at random for judging (``bench/labels/concepts_guide.md``).

Runs ``kg concepts --json`` on the bank, takes ``random.Random(seed).sample`` of its sorted distinct
labels, and writes ``bench/labels/concepts_<bank>.json`` with every verdict empty (``null``) and the
whole output's labels as the population, the way the other judged samples were drawn. With
``--sheet`` it prints each drawn label with the question it came from and the sentence that names
it, for judging from the label and its text alone.

Run: ``python bench/sample_concepts.py FOLDER [--seed 11] [--size 100] [--sheet]``
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ABOUT = (
    "Concept labels of `kg concepts --json` on this bank at kg_commit, drawn at random "
    "(random.Random(seed).sample of the sorted distinct labels) before any rule was written while looking at them, "
    "and judged by bench/labels/concepts_guide.md. 'population' is every label of that output: a label outside it "
    "is not covered by the sample. 'questions' is how many questions kg parsed from the bank then. 'folder' is "
    "the bank's folder in this repository."
)


_SAID: set[str] = set()  # kg's errors already passed on: the parse and the concepts runs name the same files


def _kg(*args: str) -> str:
    """What ``kg ARGS`` prints. A file kg cannot read (no question found, not UTF-8) is named on stderr with
    exit status 2 while the others are still read: the draw goes on without it, and its error is passed on."""
    cmd = [sys.executable, "-m", "kg", "--no-cache", *args]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if done.returncode not in (0, 2) or not done.stdout.strip():
        raise subprocess.CalledProcessError(done.returncode, cmd, done.stdout, done.stderr)
    for line in done.stderr.splitlines():
        if line.startswith("error:") and line not in _SAID:
            _SAID.add(line)
            print(f"left out of the draw: {line}", file=sys.stderr)
    return done.stdout


def draw(folder: Path, seed: int, size: int) -> dict:
    """The sheet of a fresh sample: labels drawn from today's ``kg concepts`` on ``folder``."""
    concepts = json.loads(_kg("concepts", str(folder), "--json"))
    questions = len(json.loads(_kg("parse", str(folder), "--json")))
    labels = sorted({c["label"] for c in concepts})
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, check=True, capture_output=True, text=True)
    return {
        "about": ABOUT,
        "bank": folder.name,
        "folder": str(folder.resolve().relative_to(ROOT)),
        "kg_commit": commit.stdout.strip(),
        "seed": seed,
        "sample_size": size,
        "questions": questions,
        "verdicts": dict.fromkeys(random.Random(seed).sample(labels, size)),
        "population": labels,
    }


def _sentence(text: str, label: str) -> str:
    """The first sentence of ``text`` naming ``label`` (any of its words), else ''."""
    words = [w for w in re.findall(r"\w+", label.lower()) if len(w) > 2] or [label.lower()]
    for sentence in re.split(r"(?<=[.?!])\s+|\n+", text):
        low = sentence.lower()
        if all(w[:4] in low for w in words):
            return " ".join(sentence.split())[:240]
    return ""


def sheet(folder: Path, labels: list[str]) -> None:
    """Print each label with the question it came from and a sentence naming it."""
    concepts = {c["label"]: c for c in json.loads(_kg("concepts", str(folder), "--json"))}
    items = {
        q["id"]: q for q in json.loads(_kg("export", str(folder), "--format", "json", "--no-semantic"))["questions"]
    }
    for n, label in enumerate(labels, 1):
        c = concepts.get(label)
        asked: list[dict] = [items[i] for i in (c["questions"] if c else []) if i in items]
        found = [(q, _sentence(f"{q['question']}\n{q['answer']}", label)) for q in asked]
        empty: tuple[dict, str] = ({"question": ""}, "")
        q, sentence = next(((q, s) for q, s in found if s), found[0] if found else empty)
        print(f"{n:3}. {label!r}  ({len(found)} q)")
        print(f"     Q: {' '.join(q['question'].split())[:160]}")
        print(f"     S: {sentence}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--size", type=int, default=100)
    ap.add_argument("--sheet", action="store_true", help="print the drawn labels with their text")
    args = ap.parse_args()
    out = ROOT / "bench" / "labels" / f"concepts_{args.folder.name}.json"
    if out.exists():
        data = json.loads(out.read_text())
        print(f"{out} exists: not drawn again", file=sys.stderr)
    else:
        data = draw(args.folder, args.seed, args.size)
        out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
        print(f"wrote {out}: {len(data['verdicts'])} of {len(data['population'])} labels", file=sys.stderr)
    if args.sheet:
        sheet(args.folder, list(data["verdicts"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
