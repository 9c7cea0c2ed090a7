"""Concepts of a bank: every question and answer through the pipeline, mentions merged into concepts.

:func:`extract` runs the pipeline over a bank with ``nlp.pipe`` and merges keys that name one idea
(plural and singular, hyphen and space, acronym and long form, "vanishing gradients" and "vanishing
gradient problem") into :class:`~kg.model.Concept` objects: a union-find over the keys, joined by their
folded forms, the glossary's and the user's names for one thing and the user's merges. An acronym the
bank defines stands, in each file, for the expansion :mod:`kg.extract.acronyms` decides, before any of
that: its mentions there are the expansion's. Each concept is labelled by the user's label or else the
form the bank writes most.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, compress, repeat
from operator import itemgetter
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.abbreviations import abbreviations
from kg.extract.acronyms import Definition, resolve, same_meaning, singular_tail
from kg.extract.component import CODE_KEY, FOREIGN_KEY, SPAN_KEY, WEAK_KEY
from kg.extract.conceptfile import Vocabulary
from kg.extract.keys import display, fold, fold_tail, keep_case, shown_singular, slug, with_greek_letters, zipf
from kg.extract.language import foreign_sources, split_scripts
from kg.extract.lexicon import ACRONYM, Glossary, bundled_glossary
from kg.model import Concept, Field, Mention, QAItem
from kg.parse.plaintext import code_ranges

log = logging.getLogger("kg.extract")

# A dash between two letters joins them as a hyphen does ("bias–variance trade-off", "encoder–decoder"), where
# the parser reads an en dash as punctuation between clauses: it is given a hyphen there. One character for
# one, so every offset into the bank's text holds.
_JOINING_DASH = re.compile(r"(?<=[^\W\d_])[\u2010\u2011\u2013](?=[^\W\d_])")

# A right spelling is an English word at least this common (wordfreq's Zipf scale): "exception" is 4.4,
# where a misspelling is 0.
_KNOWN_WORD = 1.0
# A one-word key is a slip written at most this often, and its right spelling at least twice as often.
_ONE_WORD_SLIP = 2


@dataclass(frozen=True)
class Extraction:
    """The concepts of a bank and where each is mentioned.

    ``key_to_id`` maps a mention's key to its concept; ``item_key_to_id`` the keys that stand for
    another concept in some items (an acronym their file defines), by (item id, key), which wins.
    """

    concepts: tuple[Concept, ...]
    mentions: tuple[Mention, ...]
    key_to_id: dict[str, str]
    item_key_to_id: dict[tuple[str, str], str] = dataclasses.field(default_factory=dict)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _texts(
    items: Sequence[QAItem], nlp: Language, foreign: Mapping[str, str]
) -> Iterable[tuple[str | Doc, tuple[int, Field]]]:
    """Each item's question and answer to read, with where it came from. A text with inline code of more
    than one word goes as a doc that holds where that code lies (``user_data[CODE_KEY]``, read by the
    concept component), and a text of a file in another language than English (``foreign``, by source) as
    one that holds its language (``user_data[FOREIGN_KEY]``); the others as text."""
    fields: tuple[Field, ...] = ("question", "answer")
    for i, item in enumerate(items):
        for fld in fields:
            source, text = getattr(item, fld), getattr(item, f"{fld}_text")
            if fld == "answer" and not text:
                continue
            text = _within(text, nlp.max_length, item, fld)
            code = code_ranges(source, text)
            text = _JOINING_DASH.sub("-", text)
            lang = foreign.get(item.source)
            if code or lang:
                doc = split_scripts(nlp.make_doc(text)) if lang else nlp.make_doc(text)
                if code:
                    doc.user_data[CODE_KEY] = code
                if lang:
                    doc.user_data[FOREIGN_KEY] = lang
                yield doc, (i, fld)
            else:
                yield text, (i, fld)


def warn_over_length(items: Sequence[QAItem], limit: int) -> None:
    """Warn about each text that :func:`read` would read in part only, as reading it would."""
    for item in items:
        for field in ("question", "answer"):
            text = getattr(item, f"{field}_text")
            if len(text) > limit:
                _within(text, limit, item, field)


def _within(text: str, limit: int, item: QAItem, field: Field) -> str:
    """``text``, or its first ``limit`` characters (cut at a space) when spaCy would refuse it whole.

    The item itself keeps its whole text; only the concepts of the rest go unread, and the user is told.
    """
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    kept = text[: cut if cut > limit // 2 else limit]
    log.warning(
        "%s:%s: the %s is %d characters long; concepts are read from its first %d only",
        item.source, item.line, field, len(text), len(kept),
    )
    return kept


def extract(
    items: Sequence[QAItem],
    nlp: Language,
    *,
    vocabulary: Vocabulary | None = None,
    on_doc: Callable[[QAItem, Field, Doc], None] | None = None,
    batch_size: int = 64,
    n_process: int = 1,
) -> Extraction:
    """Concepts of *items* and their mentions.

    Parameters
    ----------
    items : the bank.
    nlp : a pipeline from :func:`~kg.extract.nlp.load_nlp`.
    vocabulary : a user's concept file (aliases to add, concepts to merge, terms to ignore).
    on_doc : called with each item, field and parsed doc, so later stages (relations) reuse the parse.

    Notes
    -----
    One pass of ``nlp.pipe`` over every question and answer; the merge afterwards is linear in the
    number of mentions. About 1,000 words a second a core for the small English pipeline dominate.

    Examples
    --------
    >>> from kg.extract.nlp import load_nlp
    >>> from kg.model import QAItem
    >>> nlp = load_nlp()
    >>> items = [QAItem("q1", 1, "What is dropout?", "Dropout reduces overfitting.", "x.md", 1,
    ...                 "What is dropout?", "Dropout reduces overfitting.")]
    >>> sorted(c.label for c in extract(items, nlp).concepts)
    ['dropout', 'overfitting']
    """
    readings = read(items, nlp, on_doc=on_doc, batch_size=batch_size, n_process=n_process)
    return merge_readings(items, readings, vocabulary)


@dataclass(frozen=True)
class Reading:
    """What the pipeline read in one item, as plain values: enough to merge without parsing again.

    ``found`` are the item's mentions (their ``item`` is 0: an item's place in the bank is given at
    merge); ``kept`` is what ``keep`` returned for its docs (the relations, in :mod:`kg.pipeline`).
    Readings are what the per-file cache (:mod:`kg.readings`) stores.
    """

    found: tuple[_Found, ...] = ()
    abbrevs: tuple[tuple[str, str], ...] = ()
    kept: tuple = ()


PROGRESS_STEP = 10  # texts between two progress calls of a read in one process


def read(
    items: Sequence[QAItem],
    nlp: Language,
    *,
    keep: Callable[[QAItem, Field, Doc], Iterable] | None = None,
    on_doc: Callable[[QAItem, Field, Doc], None] | None = None,
    progress: Callable[[int], None] | None = None,
    batch_size: int = 64,
    n_process: int = 1,
) -> list[Reading]:
    """One :class:`Reading` per item, in order: one pass of ``nlp.pipe`` over every question and answer.

    ``keep`` is called with each item, field and doc, and what it returns is kept in the reading;
    ``on_doc`` is called likewise, for what is not kept; ``progress`` with the number of texts read so
    far, now and then.

    With ``n_process`` 0, :func:`default_processes` of ``items`` chooses. With ``n_process`` above 1
    (and no ``on_doc``, which needs the docs here), forked processes each
    read a part of the bank, ``keep`` included, and send back readings, which are small, rather than
    docs, which are large: the whole per-doc work runs in parallel. A part whose process dies is read
    again here, with a warning. The readings are the same for any number of processes.
    """
    if n_process == 0:  # as many as these items are worth: an edit run reads one file, not the bank
        n_process = default_processes(items)
    foreign = foreign_sources(items)  # of whole files, before any split into parts
    if n_process > 1 and on_doc is None and len(items) > 1:
        return _read_parallel(items, nlp, keep, progress, batch_size, n_process, foreign)
    count = [0]

    def seen(item: QAItem, fld: Field, doc: Doc) -> None:
        count[0] += 1
        if on_doc is not None:
            on_doc(item, fld, doc)
        if progress is not None and count[0] % PROGRESS_STEP == 0:
            progress(count[0])

    return _read_serial(items, nlp, keep, seen, batch_size, foreign)


def _read_serial(
    items: Sequence[QAItem],
    nlp: Language,
    keep: Callable[[QAItem, Field, Doc], Iterable] | None,
    on_doc: Callable[[QAItem, Field, Doc], None] | None,
    batch_size: int,
    foreign: Mapping[str, str],
) -> list[Reading]:
    found: list[list[_Found]] = [[] for _ in items]
    abbrevs: list[list[tuple[str, str]]] = [[] for _ in items]
    kept: list[list] = [[] for _ in items]
    texts = _texts(items, nlp, foreign)
    for doc, (idx, fld) in nlp.pipe(texts, as_tuples=True, batch_size=batch_size):
        # The doc's text is the text piped (spaCy keeps every character): slicing it is the same as
        # ``span.text`` and ``span.sent.text``, which build Python tokens for every word of the sentence.
        text = getattr(items[idx], f"{fld}_text")
        # Keep plain values, not spans: a span keeps its whole doc alive.
        for group, strong in ((SPAN_KEY, True), (WEAK_KEY, False)):
            for span in doc.spans[group]:
                surface = keep_case(display(list(span), shown_singular(span[-1])))
                if fold(surface) not in {fold(span.label_), fold_tail(span.label_)}:
                    # A listed modifier ("vanishing" in "vanishing/exploding gradients") stands
                    # for the whole term it shares.
                    surface = span.label_
                sent = span.sent
                found[idx].append(
                    _Found(0, fld, span.label_, span.start_char, span.end_char,
                           text[span.start_char : span.end_char], text[sent.start_char : sent.end_char].strip(),
                           surface, strong or fld == "question")
                )
        # A text in another language defines no English long form, and its parse states no relation
        english = FOREIGN_KEY not in doc.user_data
        if "(" in text and english:
            abbrevs[idx].extend((s.label_, lf.label_) for s, lf in abbreviations(doc))
        if keep is not None and english:
            kept[idx].extend(keep(items[idx], fld, doc))
        if on_doc is not None:
            on_doc(items[idx], fld, doc)
    return [Reading(tuple(f), tuple(a), tuple(k)) for f, a, k in zip(found, abbrevs, kept, strict=True)]


# What forked workers read: set just before the pool starts, so nothing (the pipeline above all) is pickled.
_SHARED: tuple | None = None


def _read_part(part: tuple[int, int]) -> list[Reading]:
    assert _SHARED is not None
    items, nlp, keep, batch_size, foreign = _SHARED
    return _read_serial(items[part[0] : part[1]], nlp, keep, None, batch_size, foreign)


def parts(items: Sequence[QAItem], n: int) -> list[tuple[int, int]]:
    """``items`` cut into at most ``n`` runs of about the same number of characters.

    Examples
    --------
    >>> mk = lambda i, q: QAItem(str(i), i, q, "", "b.md", i, q, "")
    >>> parts([mk(i, "x" * w) for i, w in enumerate([10, 10, 10, 10, 40])], 2)
    [(0, 4), (4, 5)]
    """
    sizes = [len(i.question_text) + len(i.answer_text) + 1 for i in items]
    total = sum(sizes)
    out: list[tuple[int, int]] = []
    start = done = 0
    for i, size in enumerate(sizes):
        done += size
        if done >= total * (len(out) + 1) / n and i + 1 < len(items):
            out.append((start, i + 1))
            start = i + 1
    out.append((start, len(items)))
    return out


def text_count(items: Sequence[QAItem]) -> int:
    """The texts the pipeline reads for ``items``: each question, and each answer that is not empty."""
    return sum(1 + bool(item.answer_text) for item in items)


PARALLEL_FROM = 4_000  # texts; below this, starting worker processes costs more than it saves


def default_processes(items: Sequence[QAItem]) -> int:
    """Processes for the spaCy pass: every core this process may use, for a bank big enough to gain."""
    texts = text_count(items)
    if texts < PARALLEL_FROM:
        return 1
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


class PartReadings:
    """The readings of a bank's parts (:func:`parts`) as they come back, in any order.

    Progress is counted in texts as each part comes; :meth:`finish` reads here what did not come back
    (``foreign``: the files in another language, as :func:`~kg.extract.language.foreign_sources`) and puts the
    whole in the order of the items.
    """

    def __init__(
        self,
        items: Sequence[QAItem],
        cuts: Sequence[tuple[int, int]],
        progress: Callable[[int], None] | None,
        foreign: Mapping[str, str],
    ) -> None:
        self.items, self.cuts, self.progress, self.foreign = items, cuts, progress, foreign
        self.results: dict[int, list[Reading]] = {}
        self.texts = 0

    def add(self, n: int, readings: list[Reading]) -> None:
        self.results[n] = readings
        a, b = self.cuts[n]
        self.texts += text_count(self.items[a:b])
        if self.progress is not None:
            self.progress(self.texts)

    def missing(self) -> int:
        return len(self.cuts) - len(self.results)

    def finish(
        self, nlp: Language, keep: Callable[[QAItem, Field, Doc], Iterable] | None, batch_size: int
    ) -> list[Reading]:
        for n, (a, b) in enumerate(self.cuts):
            if n not in self.results:
                self.add(n, _read_serial(self.items[a:b], nlp, keep, None, batch_size, self.foreign))
        return [r for n in range(len(self.cuts)) for r in self.results[n]]


def _read_parallel(
    items: Sequence[QAItem],
    nlp: Language,
    keep: Callable[[QAItem, Field, Doc], Iterable] | None,
    progress: Callable[[int], None] | None,
    batch_size: int,
    n_process: int,
    foreign: Mapping[str, str],
) -> list[Reading]:
    global _SHARED
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # More parts than processes: progress moves, and a slow part does not hold the others up.
    cuts = parts(items, n_process * 4)
    found = PartReadings(items, cuts, progress, foreign)
    _SHARED = (items, nlp, keep, batch_size, foreign)
    try:
        with ProcessPoolExecutor(n_process, mp_context=multiprocessing.get_context("fork")) as pool:
            for n, readings in enumerate(pool.map(_read_part, cuts)):
                found.add(n, readings)
    except BrokenProcessPool:
        log.warning("a process reading the bank stopped; reading %d of %d parts here", found.missing(), len(cuts))
    finally:
        _SHARED = None
    return found.finish(nlp, keep, batch_size)


def merge_readings(
    items: Sequence[QAItem], readings: Sequence[Reading], vocabulary: Vocabulary | None = None
) -> Extraction:
    """The concepts of a bank from the readings of its items (:func:`read`), in the same order."""
    # The readings' mentions as they are (their ``item`` is 0) and each one's item beside them: a big
    # bank's million mentions are not made again to carry it.
    raw = list(chain.from_iterable(r.found for r in readings))
    where = list(chain.from_iterable(repeat(i, len(r.found)) for i, r in enumerate(readings)))
    defs = [Definition(items[i].source, *pair) for i, r in enumerate(readings) for pair in r.abbrevs]
    return _merge(items, raw, defs, bundled_glossary(), vocabulary or Vocabulary(), where)


class _Found(NamedTuple):
    """One mention as the pipeline read it, before merging. A named tuple rather than a frozen dataclass:
    a big bank has hundreds of thousands, and an edit run makes each again from the stored readings."""

    item: int
    field: Field
    key: str
    start: int
    end: int
    text: str
    sentence: str
    surface: str
    strong: bool


# fields of a _Found, read in C
_FIELD, _KEY, _START, _SURFACE, _STRONG = itemgetter(1), itemgetter(2), itemgetter(3), itemgetter(7), itemgetter(8)
_TEXT, _SENTENCE = itemgetter(5), itemgetter(6)


def _merge(
    items: Sequence[QAItem],
    raw: list[_Found],
    definitions: list[Definition],
    glossary: Glossary,
    vocabulary: Vocabulary,
    where: list[int] | None = None,
) -> Extraction:
    """The concepts of ``items`` from their mentions ``raw``, which are of items ``where`` (by default
    each mention's own ``item``)."""
    if where is None:
        where = [f.item for f in raw]
    uf = _UnionFind()
    surface: dict[str, Counter[str]] = defaultdict(Counter)
    keys: set[str] = set()
    # A weak mention in an answer counts when the bank names the same term elsewhere with more
    # confidence: strongly, or in a question. A strong mention's key is named, so it is decided per key
    # (a big bank has a million mentions and a tenth as many keys).
    named = {fold(k) for k in set(compress(map(_KEY, raw), map(_STRONG, raw)))}
    found_keys = {k for k in set(map(_KEY, raw)) if fold(k) in named}
    kept = [f.key in found_keys for f in raw]
    raw, where = list(compress(raw, kept)), list(compress(where, kept))
    # An acronym's mentions become its expansion's where the bank says what it stands for.
    names = _NameIndex(glossary, vocabulary)
    meant = resolve(definitions, found_keys, listed={k for k in found_keys if fold(k) in names.index})
    stands_for: dict[tuple[str, str], str] = {}
    if meant.by_file or meant.bank:
        resolved = {k for _, k in meant.by_file} | meant.bank.keys()  # what meant.target can change
        for n, found in enumerate(raw):
            if found.key not in resolved:
                continue
            item = items[where[n]]
            target = meant.target(item.source, found.key)
            if target is not None:
                stands_for[item.id, found.key] = target
                raw[n] = found._replace(key=target)
    ignored = {k for k in found_keys if vocabulary.ignores(k)} | {
        k for k in stands_for.values() if vocabulary.ignores(k)
    }
    # each key's forms counted at once (in C), in the order first met, as one mention at a time would
    for (key, form), n in Counter(zip(map(_KEY, raw), map(_SURFACE, raw))).items():
        if key in ignored:
            continue
        keys.add(key)
        surface[key][form] += n
    for target in set(stands_for.values()) & keys - found_keys:
        surface[target][target] += 0  # a long form written only in its definition still names it
    capitals, titled = written_as_names(raw, items)

    # Keys that fold to the same string are one idea: plural/singular, hyphen/space, "problem" tail.
    by_fold: dict[str, str] = {}
    for key in sorted(keys):
        for f in {fold(key), fold_tail(key)}:
            if f in by_fold:
                uf.union(key, by_fold[f])
            else:
                by_fold[f] = key
    # A Greek letter's name is the letter where the bank writes both: TeX gives "ε-tube", prose "epsilon-tube". Only
    # then: "delta" of "Delta Lake" is a name.
    for key in keys:
        lettered = with_greek_letters(key)
        if lettered != key and fold(lettered) in by_fold:
            uf.union(key, by_fold[fold(lettered)])
    # A plural the tagger left as written ("Neural Networks" in a title) is its singular's; a final
    # capital S is part of a name ("HTTPS" is not two HTTPs).
    for key in keys:
        one = singular_tail(key)
        if one is not None and fold(one) in by_fold and not any(s.endswith("S") for s in surface[key]):
            uf.union(key, by_fold[fold(one)])
    # A term the bank also spells right is that term ("unchecked excpetion", "unchecked exception").
    typos = misspelt(keys, surface)
    for key, target in typos.items():
        uf.union(key, target)
    # The long forms of one acronym's one meaning ("root mean square(d) error"), then the glossary's
    # names for the same thing.
    for group in meant.same:
        for other in group[1:]:
            if group[0] in keys and other in keys:
                uf.union(group[0], other)
    # Where a bank's expansion of an acronym is the glossary's, written its own way ("recurrent neural
    # networks (RNN)"), it meets the glossary's other names for it as the acronym used to. Where it
    # is not, the acronym has two meanings in this bank.
    ambiguous = set(meant.ambiguous)
    # A glossary's names for one thing that a question of the bank sets against each other ("What is the
    # difference between a cost function and a loss function?") are two things in this bank.
    apart = names.contrasted(_asked_apart(items, raw, where))
    for short, target in meant.meanings():
        for n in names.index.get(fold(short), ()):
            if target not in keys or n in apart:
                continue
            if not any(same_meaning(name, target) for name in names.groups[n]):
                ambiguous.add(short)
                continue
            for f in names.folds[n] & by_fold.keys():
                uf.union(target, by_fold[f])
    for n, group_folds in enumerate(names.folds):
        if n in apart:
            continue
        present = [by_fold[f] for f in group_folds if f in by_fold]
        for other in present[1:]:
            uf.union(present[0], other)
    for group in vocabulary.merges:
        present = [by_fold[fold(t)] for t in group if fold(t) in by_fold]
        for other in present[1:]:
            uf.union(present[0], other)
    # A name with an acronym in it is the name spelt out, where the bank writes that too: "ML model" is
    # "machine learning model" when "ML" stands for "machine learning" in the bank or the glossary.
    spelt = _spelt_out(meant.bank, names, ambiguous, apart)
    for key in keys:
        words = key.split()
        for i, word in enumerate(words if len(words) > 1 else ()):
            for long in spelt.get(word.lower(), ()):
                whole = fold(" ".join([*words[:i], long, *words[i + 1 :]]))
                if whole in by_fold:
                    uf.union(key, by_fold[whole])

    clusters: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        clusters[uf.find(key)].append(key)

    # An acronym with two meanings here names neither well: each is labelled by its long form.
    avoid = {fold(k) for k in ambiguous} | {fold(k) for k in typos}  # nor a misspelling, however often written
    key_to_id: dict[str, str] = {}
    concepts_by_id: dict[str, tuple[str, set[str]]] = {}
    for root in sorted(clusters):
        members = clusters[root]
        counts: Counter[str] = Counter()
        for k in members:
            counts.update(surface[k])
        label = _choose_label(counts, names, avoid)
        cased = capitalised(label, capitals, titled)
        if cased != label and names.user_label(counts) is None:  # a name the user gave is shown as they wrote it
            label = cased
        aliases = set(counts) | names.aliases_of(members, apart)
        aliases.discard(label)
        aliases.discard(label.lower())  # the form as read, before its name's capitals were put back
        cid = slug(label)
        while cid in concepts_by_id:
            cid += "-2"
        concepts_by_id[cid] = (label, aliases)
        for k in members:
            key_to_id[k] = cid

    # A mention is kept at the first place (concept, item, field, start) it is met at. Which ones, found
    # in C over a big bank's million mentions: each one's concept and item looked up by map, and the
    # first index of each place taken from a dict filled from the last mention back.
    ids = [item.id for item in items]
    cids = list(map(key_to_id.get, map(_KEY, raw)))
    item_ids = list(map(ids.__getitem__, where))
    places = list(zip(cids, item_ids, map(_FIELD, raw), map(_START, raw)))
    first = dict(zip(reversed(places), range(len(places) - 1, -1, -1)))
    kept_at = sorted([n for n in first.values() if cids[n] is not None])
    questions: dict[str, dict[str, None]] = defaultdict(dict)
    mentions: list[Mention] = []
    # Each Mention's attributes set at once rather than through the frozen class's __init__, one at a
    # time: most of this loop's cost. The same objects (test_extract_merged_mentions_equal_constructed_ones).
    new, put = object.__new__, object.__setattr__
    for n in kept_at:
        found, concept_id, item_id = raw[n], cids[n], item_ids[n]
        assert concept_id is not None  # kept_at has only mentions of a concept
        questions[concept_id][item_id] = None
        mention = new(Mention)
        put(mention, "__dict__", {"concept": concept_id, "item": item_id, "field": found.field, "start": found.start,
                                  "end": found.end, "text": found.text, "sentence": found.sentence})
        mentions.append(mention)
    concepts = tuple(
        Concept(cid, label, tuple(sorted(aliases, key=lambda a: (a.lower(), a))), tuple(questions[cid]))
        for cid, (label, aliases) in sorted(concepts_by_id.items())
        if questions[cid]
    )
    log.info("%d concepts from %d mentions in %d items", len(concepts), len(mentions), len(items))
    item_key_to_id = {ik: key_to_id[k] for ik, k in stands_for.items() if k in key_to_id}
    return Extraction(concepts, tuple(mentions), key_to_id, item_key_to_id)


def _spelt_out(
    defined: Mapping[str, str], names: _NameIndex, ambiguous: Container[str], apart: Container[int]
) -> dict[str, set[str]]:
    """Each acronym (lower case) with the long forms it stands for: the bank's one definition of it, else
    the glossary's names of several words in its group. An acronym with two meanings here stands for none."""
    out: dict[str, set[str]] = defaultdict(set)
    for short, long in defined.items():
        if short not in ambiguous and " " in long:
            out[short.lower()].add(long)
    for n, group in enumerate(names.groups):
        if n in apart:
            continue
        shorts = [x for x in group if ACRONYM.fullmatch(x) and x.lower() not in ambiguous and x.lower() not in out]
        longs = {x.lower() for x in group if " " in x}
        for short in shorts:
            out[short.lower()] |= longs
    return out


def misspelt(keys: Iterable[str], written: Mapping[str, Counter[str]]) -> dict[str, str]:
    """Keys with a misspelt word, each to the key that spells it right.

    Two keys are one term misspelt when they differ in one word only, and that word of the first is no
    English word (Zipf 0), is written in lower case, has five letters or more, and is one letter away
    from the second's, an English word with the same first letter (a letter wrong, missing, extra or
    swapped; two in a word of nine letters or more), which the bank writes at least as often. A name
    ("AdamW" beside "Adam") is never a typo, nor a word that is another with letters added at its end
    ("containerd", "dockerd"); nor is a misspelling the bank has no right spelling of.

    A key of one word has no other word to vouch that the two mean one thing, and a name one letter from
    a word is written on purpose, so more than once or twice ("mixtral" beside "mistral"). A one-word key
    is a slip when it is written at most twice and its right spelling at least twice as often
    (:data:`_ONE_WORD_SLIP`: "gradinet" once beside "gradient" eleven times).

    Examples
    --------
    >>> keys = ("unchecked exception", "unchecked excpetion", "checked expception")
    >>> written = {k: Counter([k.title()]) for k in keys}
    >>> misspelt(written, written)
    {'unchecked excpetion': 'unchecked exception'}
    >>> misspelt(["adam optimizer", "adamw optimizer"], {"adam optimizer": Counter(["Adam optimizer"]),
    ...                                                  "adamw optimizer": Counter(["AdamW optimizer"])})
    {}
    >>> daemon = {k: Counter([k]) for k in ("containerd runtime", "container runtime")}
    >>> misspelt(daemon, daemon)
    {}
    >>> plural = {"containerd": Counter(containerd=1), "containers": Counter(containers=9)}
    >>> misspelt(plural, plural)
    {}
    >>> misspelt(["gradient", "gradinet"], {"gradient": Counter(gradient=2), "gradinet": Counter(gradinet=1)})
    {'gradinet': 'gradient'}
    >>> misspelt(["mistral", "mixtral"], {"mistral": Counter(mistral=3), "mixtral": Counter(mixtral=2)})
    {}
    >>> misspelt(["mistral", "mixtral"], {"mistral": Counter(mistral=14), "mixtral": Counter(mixtral=7)})
    {}
    """
    from rapidfuzz.distance import DamerauLevenshtein

    # Keys by the words around the one that may be misspelt, and by that word's first letter: a slip
    # keeps its first letter, and one-word keys are too many in a big bank to compare each with each.
    slots: dict[tuple[tuple[str, ...], tuple[str, ...], str], list[tuple[str, str]]] = defaultdict(list)
    for key in keys:
        words = key.split(" ")
        for i, word in enumerate(words):
            slots[tuple(words[:i]), tuple(words[i + 1 :]), word[:1]].append((word, key))
    out: dict[str, str] = {}
    for (before, after, _), entries in slots.items():
        if len(entries) < 2:
            continue
        one_word = not (before or after)
        margin = 2 if one_word else 1
        for word, key in entries:
            if len(word) < 5 or not word.isalpha() or zipf(word) > 0 or _named(word, written[key]):
                continue  # an English word, or a name written with capitals in it ("AdamW", "ResNet")
            allowed = 1 if len(word) < 9 else 2
            times = sum(written[key].values())
            if one_word and times > _ONE_WORD_SLIP:
                continue  # written on purpose: a name ("mixtral")
            right = [
                (DamerauLevenshtein.distance(word, other, score_cutoff=allowed), other_key)
                for other, other_key in entries
                if other_key != key
                and fold(other) != word  # "k-means" beside "kmeans": one key already, and no slip
                # "containerd", "dockerd": names, beside "container" and beside "containers" too
                and not (word.startswith(other) or other.startswith(word)
                         or other.endswith("s") and word.startswith(other[:-1]))
                and zipf(other) >= _KNOWN_WORD
                and sum(written[other_key].values()) >= margin * times  # a slip is written less than the word
            ]
            close = [r for r in right if r[0] <= allowed]
            if close:
                out[key] = min(close)[1]
    return out


def _named(word: str, forms: Iterable[str]) -> bool:
    """Whether some form writes ``word`` with a capital after its first letter, as a name ("AdamW")."""
    return any(w.lower() == word and w not in (word, word.capitalize()) for f in forms for w in f.split())


class _NameIndex:
    """Glossary and user aliases, folded once: name groups and which fold keys reach them."""

    def __init__(self, glossary: Glossary, vocabulary: Vocabulary) -> None:
        self.groups: list[tuple[str, ...]] = []
        self.folds: list[set[str]] = []
        self.user: set[int] = set()
        self.index: dict[str, list[int]] = defaultdict(list)
        for source, table in (("glossary", glossary.aliases), ("user", vocabulary.aliases)):
            for label, aliases in table.items():
                n = len(self.groups)
                names = (label, *aliases)
                folds = {fold(x) for x in names} | {fold_tail(label.lower())}
                self.groups.append(names)
                self.folds.append(folds)
                if source == "user":
                    self.user.add(n)
                for f in folds:
                    self.index[f].append(n)

    def aliases_of(self, keys: Iterable[str], skip: Container[int] = ()) -> set[str]:
        """The names of the groups ``keys`` reach, but those of the groups ``skip``."""
        out: set[str] = set()
        for k in keys:
            for f in {fold(k), fold_tail(k)}:
                for n in self.index.get(f, ()):
                    if n not in skip:
                        out.update(self.groups[n])
        return out

    def contrasted(self, pairs: set[frozenset[str]]) -> set[int]:
        """The glossary groups (not the user's) holding both names of one of ``pairs`` (folded keys)."""
        out = set()
        for pair in pairs:
            a, b = tuple(pair)
            out |= (set(self.index.get(a, ())) & set(self.index.get(b, ()))) - self.user
        return out

    def user_label(self, forms: Iterable[str]) -> str | None:
        for form in forms:
            for n in self.index.get(fold(form), ()):
                if n in self.user:
                    return self.groups[n][0]
        return None


# A question that sets two things against each other.
_CONTRAST = re.compile(
    r"\b(?:differen(?:ce|ces|tiate)|differ|differs|distinguish|compare|comparison|contrast|versus|vs)\b", re.I
)


# What stands between two names set against each other: "X and Y", "X vs. Y", "X, Y", "X differ from a Y".
_BETWEEN = re.compile(
    r"\s*(?:,|and|or|vs\.?|versus|from|with|to|differs?\s+from|compared\s+(?:to|with))\s*(?:(?:an?|the)\s+)?", re.I
)


def _asked_apart(items: Sequence[QAItem], raw: Sequence[_Found], where: Sequence[int]) -> set[frozenset[str]]:
    """The pairs of names (folded keys) that a question of the bank sets against each other: written one
    after the other ("a cost function and a loss function", "Bagging vs boosting") in a question that
    asks for a difference or a comparison ("How does a cost function differ from a loss function?")."""
    asked: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for found, at in zip(raw, where, strict=True):
        if found.field == "question":
            asked[at].append((found.start, found.end, fold(found.key)))
    out: set[frozenset[str]] = set()
    for at, named in asked.items():
        text = items[at].question_text
        if len(named) < 2 or not _CONTRAST.search(text):
            continue
        named.sort()
        for (_, end, a), (start, _, b) in zip(named, named[1:]):
            if a != b and _BETWEEN.fullmatch(text[end:start]):
                out.add(frozenset((a, b)))
    return out


# Zipf frequency under which a word is no common English word (wordfreq: "kubernetes" 2.5, "linux" 4.1)
RARE_WORD = 3.0
_WORD_BREAK = re.compile(r"[\s\-/]+")
_TITLE_WORDS = re.compile(r"\b[A-Z][a-z]+\b")
_TITLE_OR_LETTER = re.compile(r"[A-Z][a-z]*")  # a word of a name in title case, or a capital alone ("A-Frame")
_LOWER_WORDS = re.compile(r"\b[a-z]+\b")


#: A word a bank writes in lower case too is a name when at least this many sentences write it with a capital
#: inside them, and that is at least :data:`NAME_RATIO` times as often as it is written in lower case.
NAME_SENTENCES = 3
NAME_RATIO = 3


def written_as_names(raw: Sequence[_Found], items: Sequence[QAItem] = ()) -> tuple[frozenset[str], frozenset[str]]:
    """The words (lower-cased) that a bank's mentions write with a capital inside a sentence of prose in
    an answer, and never in lower case: names ("Claude", "Nagios", "Bayesian"), which the labels, built
    lower-cased (:func:`kg.extract.keys.keep_case`) since a capital may be the sentence's, should keep;
    and the mentions (folded, :func:`kg.extract.keys.fold`) written there with a capital on every word
    ("Block Element Modifier", "Apache Parquet"), whose label keeps them all where it keeps one.

    A sentence's first word, a question (often a title in title case) and a sentence mostly in title case
    (a heading or a list of labels: "Fault Tolerance, Durability") say nothing of a name; the word in
    lower case anywhere in the bank's ``items`` or mentions ("index" beside "Adjusted Rand Index") says
    it is none.
    """
    texts = list(map(_TEXT, raw))
    lower: set[str] = set()
    for text in set(compress(texts, map(str.islower, texts))):
        lower.update(_WORD_BREAK.split(text))
    upper: Counter[str] = Counter()  # sentences that write the word with a capital, not as their first word
    titled: set[str] = set()
    capital = [not t.islower() for t in texts]
    prose: dict[str, bool] = {}
    for text, field, sentence in set(compress(zip(texts, map(_FIELD, raw), map(_SENTENCE, raw)), capital)):
        words = _WORD_BREAK.split(text)
        lower.update(w for w in words if w.islower())
        if field != "answer":
            continue  # a question: often a title, in title case
        if sentence not in prose:  # not a heading or a list of labels in title case
            prose[sentence] = len(_TITLE_WORDS.findall(sentence)) * 2 <= len(_LOWER_WORDS.findall(sentence))
        if prose[sentence]:
            first = _opens(sentence, text)
            upper.update({w.lower() for n, w in enumerate(words)
                          if _TITLE_WORDS.fullmatch(w) and not (first and n == 0)})
            if len(words) > 1 and all(map(_TITLE_OR_LETTER.fullmatch, words)):
                titled.add(fold(text.lower()))
    if not items:
        names = {w for w in upper if w not in lower and w + "s" not in lower}  # "domain names": no "name"
        return frozenset(names), frozenset(titled)
    # the words the items write in lower case, mentions or not, counted in one pass: a name may slip into
    # lower case now and then ("Gaussian" 15 times in a bank, "gaussian" once), a common word does often
    written = Counter(_LOWER_WORDS.findall("\n".join(chain.from_iterable((i.question_text, i.answer_text)
                                                                          for i in items))))
    names = {w for w, n in upper.items()
             if (slips := written[w] + written[w + "s"]) == 0 and w not in lower and w + "s" not in lower
             or n >= NAME_SENTENCES and n >= NAME_RATIO * slips}
    return frozenset(names), frozenset(titled)


def _opens(sentence: str, text: str) -> bool:
    """``text`` opens ``sentence`` or one of its parts, where any word is written with a capital: the
    sentence, a line or list item, a label's value after a colon, a bracket or a quote."""
    at = sentence.find(text)
    before = sentence[:max(at, 0)]
    kept = before.rstrip()
    return not kept or kept[-1] in ":-*•(\"“'|>#.;" or "\n" in before[len(kept):]


def capitalised(label: str, names: frozenset[str], titled: frozenset[str] = frozenset()) -> str:
    """``label`` with each lower-case word that is one of ``names`` (:func:`written_as_names`) capitalised;
    every word, where only its last would be and the bank writes the label with a capital on each
    (``titled``, folded): "Block Element Modifier" and "Simon Willison" are one name each, not a "block
    element Modifier" or a "simon Willison".

    Examples
    --------
    >>> capitalised("claude", frozenset({"claude"})), capitalised("red hat linux", frozenset({"red", "hat", "linux"}))
    ('Claude', 'Red Hat Linux')
    >>> capitalised("prometheus node exporter", frozenset({"prometheus", "exporter"}))
    'Prometheus node exporter'
    >>> capitalised("same kubernetes cluster", frozenset({"kubernetes"}))
    'same Kubernetes cluster'
    >>> capitalised("block element modifier", frozenset({"modifier"}), frozenset({"blockelementmodifier"}))
    'Block Element Modifier'
    >>> capitalised("block element modifier", frozenset({"modifier"}))  # written so nowhere
    'block element Modifier'
    >>> capitalised("a-frame scene", frozenset({"frame"}), frozenset({"aframe"}))  # written "A-Frame"
    'A-Frame scene'
    >>> capitalised("k-means", frozenset({"means"}))  # written "k-Means"
    'k-Means'
    """
    if names.isdisjoint(_WORD_BREAK.split(label)):
        return label
    words = label.split(" ")
    out, leading = [], True
    for w in words:
        parts = w.split("-")
        # A name leads the label ("Red Hat Linux", "Claude API"); further on, a common word is the term's
        # ("Prometheus node exporter", not "... node Exporter"), a rare one still a name ("same Kubernetes cluster").
        named = [p in names and (leading or zipf(p) < RARE_WORD) for p in parts]
        if any(named) and fold(w) in titled:  # a letter hyphened to a name the bank writes so: "A-Frame"
            named = [n or len(p) == 1 for p, n in zip(parts, named, strict=True)]
        out.append("-".join(p.capitalize() if n else p for p, n in zip(parts, named, strict=True)))
        leading = leading and all(named)
    folded = fold(label)
    if out[0] == words[0] and out[-1] != words[-1] and (folded in titled or folded + "s" in titled):
        return " ".join("-".join(p.capitalize() if p.islower() else p for p in w.split("-")) for w in out)
    return " ".join(out)


def _choose_label(counts: Counter[str], names: _NameIndex, avoid: set[str] | None = None) -> str:
    """The user's label if they gave one; else the form a bank writes most, on a tie the longer.

    Forms whose fold is in ``avoid`` are passed over while there is another.
    """
    fits = {form: n for form, n in counts.items() if fold(form) not in (avoid or ())} or counts
    return names.user_label(counts) or max(fits.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]
