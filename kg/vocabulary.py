"""A user's concept file: see :mod:`kg.extract.conceptfile`.

The flat module ``kg.vocabulary`` is kept for one release; import from ``kg.extract.conceptfile``.
"""

from kg.extract.conceptfile import FILENAME, Vocabulary, find_vocabulary, read_vocabulary

__all__ = ["FILENAME", "Vocabulary", "find_vocabulary", "read_vocabulary"]
