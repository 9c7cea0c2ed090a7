"""A bank nobody here wrote, for the tests that compare two ways of reading one: iamtodor's, from
../shared beside the checkout, or beside the folder of worktrees that holds it (tests skip without it)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = next(
    (p / "shared" / "banks" / "iamtodor-ds-interview-qa.md" for p in (ROOT.parent, ROOT.parent.parent)
     if (p / "shared" / "banks" / "iamtodor-ds-interview-qa.md").is_file()),
    ROOT.parent / "shared" / "banks" / "iamtodor-ds-interview-qa.md",
)  # fmt: skip
