"""Parsed sentences with concept spans set by hand, for the relation tests."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span


def concept_doc(parser, text: str, concepts: list[str]) -> Doc:
    """Parse ``text`` and mark each phrase of ``concepts`` (case-insensitive, longest first) as a concept."""
    doc = parser(text)
    spans: list[Span] = []
    for phrase in sorted(concepts, key=len, reverse=True):
        for m in re.finditer(rf"(?<![\w-]){re.escape(phrase)}s?(?![\w-])", text, flags=re.IGNORECASE):
            span = doc.char_span(m.start(), m.end(), label=phrase.lower())
            assert span is not None, f"{phrase!r} does not fall on token boundaries in {text!r}"
            if not any(s.start < span.end and span.start < s.end for s in spans):
                spans.append(span)
    doc.spans["concepts"] = spans
    return doc
