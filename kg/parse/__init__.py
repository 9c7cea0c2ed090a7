"""Read markdown question banks into :class:`~kg.model.QAItem` records.

The stages, in the order the text goes through them:

- :mod:`kg.parse.files`: files and folders to text (:func:`parse_file`, :func:`parse_paths`);
- :mod:`kg.parse.lines`: lines, the regexes of markdown structure, masks of code and comments;
- :mod:`kg.parse.shapes`: the shapes of a line that starts a question, and their detection;
- :mod:`kg.parse.score`: the question shape of a file, picked by score;
- :mod:`kg.parse.spans`: where each item starts and ends;
- :mod:`kg.parse.items`: spans to items, and their ids;
- :mod:`kg.parse.bank`: one bank's text through all of the above (:func:`parse_text`);
- :mod:`kg.parse.plaintext`: markdown to plain text for NLP (:func:`plain_text`), and to one line
  for titles (:func:`~kg.parse.plaintext.display_text`);
- :mod:`kg.parse.boilerplate`: template answer lines dropped from that text
  (:func:`drop_boilerplate`).

Per file, the shape with the best score becomes the file's question marker. Each item keeps its
question and answer twice: as the source markdown, for display, and as plain text, for NLP.

Examples
--------
>>> items = parse_text("Hi.\\n\\n## 1. What is X?\\nX is a thing.\\n\\n## 2. Why Y?\\nBecause.\\n")
>>> [(i.id, i.number, i.question, i.answer, i.line) for i in items]
[('string-1', 1, 'What is X?', 'X is a thing.', 3), ('string-2', 2, 'Why Y?', 'Because.', 6)]
"""

from __future__ import annotations

# Flat private names that bench/bank_counts.py imports; kept for one release.
from kg.parse.bank import parse_bank as _parse  # noqa: F401
from kg.parse.bank import parse_text
from kg.parse.boilerplate import drop_boilerplate
from kg.parse.files import parse_file, parse_paths
from kg.parse.files import read_text as _read  # noqa: F401
from kg.parse.items import stem_prefix as _stem_prefix  # noqa: F401
from kg.parse.plaintext import plain_short as _plain_short  # noqa: F401
from kg.parse.plaintext import plain_text

__all__ = ["drop_boilerplate", "parse_file", "parse_paths", "parse_text", "plain_text"]
