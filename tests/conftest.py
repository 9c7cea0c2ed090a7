"""Fixtures shared by the tests: the English pipeline is loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "questions.md"


@pytest.fixture(scope="session")
def nlp():
    from kg.extract import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def seed_bank(nlp):
    """The bundled bank, run through every stage but the embeddings."""
    from kg.parse import parse_file
    from kg.pipeline import build_bank

    return build_bank(parse_file(SEED), nlp)
