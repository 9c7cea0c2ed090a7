"""kg: a knowledge-graph explorer for question-and-answer banks."""

from importlib.metadata import PackageNotFoundError, version

from kg.errors import ConfigError, KGError, ModelError, ParseError
from kg.model import Concept, Mention, Pair, QAItem, Relation, SentenceMatch

try:
    __version__ = version("kg")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"

__all__ = [
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
]
