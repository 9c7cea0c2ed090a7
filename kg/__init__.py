"""kg: a knowledge-graph explorer for question-and-answer banks.

>>> import kg
>>> items, errors = kg.parse_paths(["data/questions.md"])
>>> len(items), errors
(30, [])
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from kg.errors import ConfigError, KGError, ModelError, ParseError
from kg.model import Concept, Mention, Pair, QAItem, Relation, SentenceMatch

try:
    __version__ = version("kg")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"

# The stages import spaCy, scikit-learn and friends; load them on first use so that `kg --help`
# and `import kg.errors` stay fast.
_LAZY = {
    "parse_paths": "kg.parse",
    "parse_file": "kg.parse",
    "parse_text": "kg.parse",
    "load_nlp": "kg.extract",
    "extract": "kg.extract",
    "build_graph": "kg.graph",
    "build_bank": "kg.pipeline",
    "Bank": "kg.bank",
    "score_pairs": "kg.similar",
    "load_embedder": "kg.embed",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


__all__ = [
    "Bank",
    "Concept",
    "ConfigError",
    "KGError",
    "Mention",
    "ModelError",
    "Pair",
    "ParseError",
    "QAItem",
    "Relation",
    "SentenceMatch",
    "__version__",
    "build_bank",
    "build_graph",
    "extract",
    "load_embedder",
    "load_nlp",
    "parse_file",
    "parse_paths",
    "parse_text",
    "score_pairs",
]
