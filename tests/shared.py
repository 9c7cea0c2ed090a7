"""Where ../shared lies (beside the checkout, or beside the folder of worktrees that holds it), and a bank
nobody here wrote from it, iamtodor's, for the tests that compare two ways of reading one (tests skip without it)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_ROOT = next(
    (p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared" / "banks").is_dir()),
    ROOT.parent / "shared",
)
SHARED = SHARED_ROOT / "banks" / "iamtodor-ds-interview-qa.md"
