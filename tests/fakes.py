"""Stand-ins the tests share."""

from __future__ import annotations

import numpy as np


class LetterEmbedder:
    """Bag-of-letters vectors: deterministic, no model, enough to tell which text was embedded and to
    exercise the semantic path; counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts):
        self.calls += 1
        out = np.zeros((len(texts), 26), dtype=np.float32)
        for r, t in enumerate(texts):
            for ch in t.lower():
                if "a" <= ch <= "z":
                    out[r, ord(ch) - 97] += 1
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)
