"""Which files of a bank are not written in English.

kg's spaCy pipeline reads English: on Spanish, German, Russian or Chinese text it takes any run of words for
a name ("sin compromiso", "cómo proteger contra", "TCP 中 3次握手和"). In a file written in another language
only names that read the same in every language (acronyms and names with inner capitals: "TCP", "IaaS",
"WebSocket") are concepts, and its sentences state no relation.

The language is a file's, not a sentence's: a short question ("Flink vs Spark?", "Killed") is too short to
tell, while a file's questions and answers together are not.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from kg.model import QAItem

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

log = logging.getLogger(__name__)

#: English prose has a fifth or more of its words among spaCy's English stop words, text in other languages a
#: tenth or fewer; a file at or above this share is English without asking the language identifier.
ENGLISH_STOP_SHARE = 0.2
#: How sure the language identifier must be that a file is in another language.
MIN_PROBABILITY = 0.8

_WORD = re.compile(r"[^\W\d_]+")


def stop_share(text: str) -> float:
    """The share of the words of ``text`` that are English stop words.

    Examples
    --------
    >>> stop_share("What is the use of dropout?"), stop_share("¿Qué es el factor de potencia?")
    (0.6666666666666666, 0.0)
    """
    words = _WORD.findall(text.lower())
    return sum(w in STOP_WORDS for w in words) / len(words) if words else 0.0


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def language_of(text: str) -> str:
    """``"en"``, or the code of the language ``text`` is written in where another is near certain.

    Examples
    --------
    >>> language_of("Dropout randomly zeroes activations, which reduces overfitting in large networks.")
    'en'
    >>> language_of("El factor de potencia es la relación entre la potencia activa y la aparente. "
    ...             "Un factor bajo aumenta las pérdidas en la instalación eléctrica.")
    'es'
    """
    if stop_share(text) >= ENGLISH_STOP_SHARE:
        return "en"
    lang, probability = _identifier().classify(text)
    return str(lang) if lang != "en" and probability >= MIN_PROBABILITY else "en"


def foreign_sources(items: Sequence[QAItem], *, warn: bool = True) -> dict[str, str]:
    """The source files of ``items`` written in another language than English, with its code; each told
    to the user with ``warn``."""
    texts: dict[str, list[str]] = {}
    for item in items:
        texts.setdefault(item.source, []).extend((item.question_text, item.answer_text))
    out: dict[str, str] = {}
    for source, parts in texts.items():
        lang = language_of("\n".join(parts))
        if lang != "en":
            out[source] = lang
            if warn:
                log.warning("%s", foreign_note(source, lang))
    return out


def foreign_note(source: str, lang: str) -> str:
    """What the user is told of a file in another language than English.

    >>> foreign_note("faq.md", "es").split(";")[0]
    "faq.md: the text is in another language than English ('es')"
    """
    return (f"{source}: the text is in another language than English ({lang!r}); kg reads English, so only "
            "acronyms and names such as 'TCP' or 'WebSocket' are taken as its concepts")


# Scripts written without spaces between words (Chinese, Japanese, Korean, and their full-width forms)
_UNSPACED = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]+|[^\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]+")


def split_scripts(doc: Doc) -> Doc:
    """``doc`` with each token cut where a script written without spaces meets another ("HTTP与HTTPS" is
    "HTTP", "与", "HTTPS"), so a name in Latin letters stands as a word of its own; the text is the same.

    Examples
    --------
    >>> from spacy.lang.en import English
    >>> [t.text for t in split_scripts(English()("HTTP与HTTPS有什么区别？"))]
    ['HTTP', '与', 'HTTPS', '有什么区别', '？']
    """
    words: list[str] = []
    spaces: list[bool] = []
    for tok in doc:
        pieces = _UNSPACED.findall(tok.text)
        words.extend(pieces)
        spaces.extend([False] * (len(pieces) - 1) + [bool(tok.whitespace_)])
    if len(words) == len(doc):
        return doc
    out = Doc(doc.vocab, words=words, spaces=spaces)
    out.user_data.update(doc.user_data)
    return out
