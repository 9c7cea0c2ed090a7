"""Where ../shared lies for the benchmarks: the lookup of tests/shared.py, so that a script run from a
worktree finds it too."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.shared import SHARED_ROOT  # noqa: E402

__all__ = ["SHARED_ROOT"]
