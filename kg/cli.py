"""The ``kg`` command line: the library, headless, for people and for CI.

Every command takes bank files or folders. A file that cannot be read is reported on stderr with its
name (and line where known) and the command goes on with the others, then exits with status 2.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kg.errors import ConfigError, KGError, ParseError
from kg.model import CLOSE_KINDS, DUPLICATE, OVERLAP, PAIR_KINDS, RELATED, QAItem
from kg.text import quantity, shorten
from kg.views import kind_counts, question_line

if TYPE_CHECKING:
    from kg.embed import Embedder
    from kg.search import Hit

EXIT_INPUT = 2

log = logging.getLogger("kg")


# ----------------------------------------------------------------------------------------------
# Shared plumbing


class _State:
    """What one invocation loaded, so a command can report input errors at the end."""

    def __init__(self) -> None:
        self.errors: list[KGError] = []
        self._embedder: Embedder | None = None
        self._embedder_loaded = False

    def embedder(self) -> Embedder | None:
        """The sentence-embedding model (or ``None``), loaded once per invocation: ``kg calibrate``
        builds the bank twice and refits in between."""
        if not self._embedder_loaded:
            from kg.embed import load_embedder

            self._embedder, self._embedder_loaded = load_embedder(), True
        return self._embedder


def _report_errors(errors: Sequence[KGError]) -> None:
    for err in errors:
        click.echo(f"error: {err}", err=True)


_SQLITE = b"SQLite format 3\x00"  # the first bytes of a kg store (kg.store) or any SQLite file


def _read_items(files: Sequence[str], state: _State, *, cached: bool = False) -> list[QAItem]:
    """The items of ``files``; with ``cached`` (and the cache on), files parsed before are taken from
    the cache (:mod:`kg.parsestore`)."""
    from kg.parse import parse_paths

    for f in files:
        if Path(f).is_file() and _head(f) == _SQLITE:
            raise click.UsageError(
                f"{f} is an SQLite file (a kg store?), not a markdown bank: ask a store with 'kg query {f} …'"
            )
    store = None
    if cached and _CACHE:
        from kg.embed import cache_root
        from kg.parsestore import ParseStore

        store = ParseStore(cache_root())
    items, errors = parse_paths([Path(f) for f in files], store)
    state.errors.extend(errors)
    _report_errors(errors)
    return items


def _head(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(_SQLITE))
    except OSError:
        return b""  # the parser names what cannot be read


def _decisions(banks: Sequence[str], state: _State):
    """The verdicts recorded next to the banks; a malformed entry is reported and the others count."""
    from kg.decisions import find_decisions

    errors: list[ConfigError] = []
    decisions = find_decisions(banks, errors)
    state.errors.extend(errors)
    _report_errors(errors)
    return decisions


def _warn_unknown(decisions, items: Sequence[QAItem]) -> None:
    """Name, as warnings, the decisions about questions the banks do not hold: a question removed from a
    bank leaves its decisions behind, which is no reason to fail."""
    from kg.decisions import unknown_ids

    for warning in unknown_ids(decisions, {i.id for i in items}):
        click.echo(f"warning: {warning}", err=True)


def _decided_build(files: Sequence[str], state: _State, **options: Any):
    """The bank built with its pairs and the curator's verdicts next to it (``_build``'s other options
    as given), and the verdicts; a verdict on a question the bank lacks is named as a warning."""
    decisions = _decisions(files, state)
    bank = _build(files, state, pairs=True, decisions=decisions, **options)
    _warn_unknown(decisions, bank.items)
    return bank, decisions


def _vocabulary(files: Sequence[str], concepts_file: str | None):
    from kg.extract.conceptfile import find_vocabulary, read_vocabulary

    if concepts_file:
        return read_vocabulary(concepts_file)
    return find_vocabulary([Path(f) for f in files])


_JOBS = 0
_CACHE = True
_VERBOSE = 0
_RAY: str | None = None
_FULL = False


def _progress():
    """With -v on a terminal, one line on stderr that follows the build; otherwise nothing."""
    if not _VERBOSE or not sys.stderr.isatty():
        return None
    width = [0]

    def show(fraction: float, stage: str) -> None:
        line = shorten(f"{fraction:4.0%} {stage}", 100)
        sys.stderr.write("\r" + line.ljust(width[0]) + ("\n" if fraction >= 1.0 else ""))
        sys.stderr.flush()
        width[0] = len(line)

    return show


def _build(
    files: Sequence[str],
    state: _State,
    *,
    concepts_file: str | None = None,
    pairs: bool = False,
    relations: bool = True,
    semantic: bool = True,
    decisions=None,
    relations_file: str | None = None,
    says_topics: bool = False,
):
    from kg.embed import cache_root
    from kg.extract import load_nlp
    from kg.pairstate import PairStore
    from kg.pipeline import build_bank
    from kg.readings import ReadingStore
    from kg.relations import load_relation_table
    from kg.similar.model import find_model
    from kg.topicstate import TopicStore

    table = load_relation_table(relations_file) if relations and relations_file else None
    model = find_model(files) if pairs else None

    items = _read_items(files, state, cached=True)
    if not items and state.errors:
        # nothing loaded, and each file's error is said: no command may answer for an empty bank, nor an
        # export or a store replace an earlier one with it
        sys.exit(EXIT_INPUT)
    vocabulary = _vocabulary(files, concepts_file)
    embedder = None
    if pairs and semantic:
        embedder = state.embedder()
    extra: dict[str, Any] = {"n_process": _JOBS}  # 0: chosen by the texts the spaCy pass reads
    if _RAY:
        from kg.cluster import connect, read_on_ray

        connect(_RAY)
        extra = {"reader": read_on_ray, "n_process": _JOBS}  # 0: a worker per CPU of the cluster
    pair_store = PairStore(cache_root()) if _CACHE and pairs else None
    topic_store = TopicStore(cache_root()) if _CACHE else None
    bank = build_bank(
        items,
        load_nlp(),
        vocabulary=vocabulary,
        embedder=embedder,
        decisions=decisions,
        pair_model=model,
        with_pairs=pairs,
        with_relations=relations,
        relation_table=table,
        errors=[e for e in state.errors if isinstance(e, ParseError)],
        store=ReadingStore(cache_root()) if _CACHE else None,
        progress=_progress(),
        pair_store=pair_store,
        full_pairs=_FULL,
        topic_store=topic_store,
        full_topics=_FULL,
        **extra,
    )
    # Said when the scores rest on kept statistics, or a full run was asked for; a first run is logged only.
    if pair_store is not None and pair_store.last is not None and (not pair_store.last.full or _FULL):
        click.echo(pair_store.last.line(), err=True)
    # said by the commands whose output holds the topics (export, store); the others log it only
    kept = topic_store.last if topic_store is not None else None
    if says_topics and kept is not None and (not kept.full or _FULL):
        click.echo(kept.line(), err=True)
    return bank


def _finish(state: _State) -> None:
    if state.errors:
        sys.exit(EXIT_INPUT)


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[int] | None = None) -> str:
    """A plain aligned text table; *widths* caps column widths (0 = no cap)."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in r] for r in rows]
    if widths:
        cells = [[shorten(c, w) if w else c for c, w in zip(row, widths)] for row in cells]
    size = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(size[i]) for i, c in enumerate(row)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * s for s in size))
    return "\n".join(lines)


FILES = click.argument("files", nargs=-1, required=True, type=click.Path())
CONCEPTS_FILE = click.option(
    "--concepts-file",
    type=click.Path(dir_okay=False),
    help="A concept file (aliases, merges, ignores). Default: concepts.toml next to the bank.",
)
AS_JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
HIDE_GENERIC = click.option(
    "--hide-generic",
    is_flag=True,
    help="Leave out generic concepts: everyday words the bank uses in passing in many questions.",
)
RELATIONS_FILE = click.option(
    "--relations",
    "relations_file",
    type=click.Path(dir_okay=False),
    help="More words or classes for typed relations, in the shape of kg/data/relations.toml.",
)
ALL_RELATIONS = click.option(
    "--all-relations",
    is_flag=True,
    help="Also the less certain relations, whose confidence is below the threshold (hidden by default).",
)


class _Group(click.Group):
    """Turns a KGError anywhere in a command into one line on stderr, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KGError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_INPUT)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
@click.option(
    "-v", "--verbose", count=True, help="Log what each stage does (-vv for more); on a terminal, show its progress."
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Processes for the language pass; 0: every core, for banks big enough to gain from it.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Parse every file again instead of reusing what was read before (kept in $KG_CACHE_DIR or .kg-cache).",
)
@click.option(
    "--full",
    is_flag=True,
    help="Score every pair of questions with bank statistics fitted again, rather than only the pairs around "
    "the questions changed since the last run, and find the topics again rather than keep the last full run's.",
)
@click.option(
    "--ray",
    "ray_address",
    metavar="ADDRESS",
    envvar="KG_RAY_ADDRESS",
    show_envvar=True,
    help="Run the language pass on a Ray cluster: auto (the one on this machine), local (a new one), or "
    "its address; -j is then the number of workers (0: a CPU each). Needs the cluster extra.",
)
def cli(verbose: int, jobs: int, no_cache: bool, full: bool, ray_address: str | None) -> None:
    """Explore the concepts of a question-and-answer bank, and find its duplicate questions.

    FILES are markdown banks or folders of them.
    """
    global _JOBS, _CACHE, _VERBOSE, _RAY, _FULL
    _JOBS, _CACHE, _VERBOSE, _RAY, _FULL = jobs, not no_cache, verbose, ray_address, full
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


# ----------------------------------------------------------------------------------------------
# Commands


@cli.command("parse")
@FILES
@AS_JSON
def parse_cmd(files: tuple[str, ...], as_json: bool) -> None:
    """List the questions of the banks (no language processing, fast)."""
    state = _State()
    items = _read_items(files, state)
    if as_json:
        _echo_json([i.to_dict() for i in items])
    else:
        rows = [(i.id, "" if i.number is None else i.number, f"{i.source}:{i.line}", question_line(i)) for i in items]
        click.echo(_table(["id", "no.", "source", "question"], rows, [0, 0, 0, 80]))
        click.echo(f"\n{len(items)} questions")
    _finish(state)


@cli.command("concepts")
@FILES
@CONCEPTS_FILE
@HIDE_GENERIC
@AS_JSON
def concepts_cmd(files: tuple[str, ...], concepts_file: str | None, hide_generic: bool, as_json: bool) -> None:
    """List the concepts of the banks, each with its questions, most asked first, generic ones last."""
    state = _State()
    bank = _build(files, state, concepts_file=concepts_file, relations=False)
    concepts = sorted(bank.concepts, key=lambda c: (c.generic, -len(c.questions), c.label.lower()))
    hidden = sum(c.generic for c in concepts) if hide_generic else 0
    if hide_generic:
        concepts = [c for c in concepts if not c.generic]
    if as_json:
        _echo_json([c.to_dict() for c in concepts])
    else:
        number = {i.id: (str(i.number) if i.number is not None else i.id) for i in bank.items}
        generic = sum(c.generic for c in concepts)
        # the tier column only when there is a generic concept to mark: a bank without keeps its table
        tier = ["tier"] if generic else []
        rows = [
            (
                c.label,
                len(c.questions),
                *(["generic" if c.generic else ""] if generic else []),
                ", ".join(number[q] for q in c.questions),
                ", ".join(c.aliases),
            )
            for c in concepts
        ]
        click.echo(_table(["concept", "questions", *tier, "in", "aliases"], rows, [40, 0, *[0] * len(tier), 50, 40]))
        click.echo(
            f"\n{len(concepts)} concepts in {len(bank.items)} questions"
            + (f", {generic} of them generic" if generic else "")
            + (f" ({hidden} generic concepts hidden)" if hidden else "")
        )
    _finish(state)


def _find_item(bank, ref: str) -> QAItem:
    by_id = [i for i in bank.items if i.id == ref]
    if by_id:
        return by_id[0]
    by_number = [i for i in bank.items if ref.isdigit() and i.number == int(ref)]
    if len(by_number) == 1:
        return by_number[0]
    if by_number:
        ids = ", ".join(i.id for i in by_number)
        raise click.UsageError(f"question {ref} is in several files ({ids}); give its id instead")
    raise click.UsageError(f"no question {ref!r}; give a number or an id from 'kg parse'")


def _find_concept(bank, name: str):
    from rapidfuzz import fuzz, process

    from kg.extract import fold

    key = fold(name)
    for c in bank.concepts:
        if c.id == name or key in {fold(c.label), *(fold(a) for a in c.aliases)}:
            return c
    choices = {c.id: c.label for c in bank.concepts}
    close = process.extract(name, choices, scorer=fuzz.WRatio, limit=3)
    hint = "; did you mean " + ", ".join(repr(m[0]) for m in close) + "?" if close else ""
    raise click.UsageError(f"no concept {name!r}{hint}")


@cli.command("related")
@FILES
@click.option("--question", "question", metavar="N", help="A question number or id.")
@click.option("--concept", "concept", metavar="NAME", help="A concept id, label or alias.")
@click.option("--top", default=10, show_default=True, help="How many to list.")
@CONCEPTS_FILE
@RELATIONS_FILE
@HIDE_GENERIC
@ALL_RELATIONS
@AS_JSON
def related_cmd(
    files: tuple[str, ...],
    question: str | None,
    concept: str | None,
    top: int,
    concepts_file: str | None,
    relations_file: str | None,
    hide_generic: bool,
    all_relations: bool,
    as_json: bool,
) -> None:
    """What is related to a question (--question) or a concept (--concept)."""
    from kg.graph import questions_of, related_concepts, related_questions

    if (question is None) == (concept is None):
        raise click.UsageError("give exactly one of --question or --concept")
    state = _State()
    bank = _build(files, state, concepts_file=concepts_file, relations_file=relations_file)
    label = {c.id: c.label for c in bank.concepts}
    if concept is not None:
        c = _find_concept(bank, concept)
        qs = questions_of(bank.graph, c.id)
        rel = related_concepts(bank.graph, c.id)
        if hide_generic:
            generic = {g.id for g in bank.concepts if g.generic}
            rel = [r for r in rel if r.concept not in generic]
        rel = rel[:top] if top else rel
        from kg.relations import confident, load_relation_table

        untyped = load_relation_table(relations_file).fallback  # the class of a verb the table does not list
        typed = [r for r in bank.relations if c.id in (r.head, r.tail) and r.relation != untyped]
        stated = confident(typed, everything=all_relations)
        if as_json:
            _echo_json(
                {
                    "concept": c.to_dict(),
                    "questions": qs,
                    "related_concepts": [
                        {
                            "id": r.concept,
                            "label": label[r.concept],
                            "shared_questions": list(r.shared_questions),
                            "score": r.score,
                        }
                        for r in rel
                    ],
                    "relations": [r.to_dict() for r in stated],
                }
            )
        else:
            click.echo(f"{c.label}" + (f"  (also: {', '.join(c.aliases)})" if c.aliases else ""))
            click.echo(f"\nquestions ({len(qs)}):")
            for q in qs:
                click.echo(f"  {q}  {shorten(question_line(bank.item(q)), 90)}")
            click.echo("\nrelated concepts:")
            click.echo(
                _table(
                    ["concept", "shared questions", "score"],
                    [(label[r.concept], len(r.shared_questions), r.score) for r in rel],
                )
            )
            if stated:
                click.echo("\nrelations stated in the answers:")
                rows = [
                    (label[r.head], r.relation, label[r.tail], f"{r.confidence:.2f}", ", ".join(r.questions))
                    for r in stated
                ]
                click.echo(_table(["head", "relation", "tail", "confidence", "questions"], rows, [40, 0, 40, 0, 40]))
            if len(typed) > len(stated):
                hidden = len(typed) - len(stated)
                click.echo(f"\n{quantity(hidden, 'less certain relation')} not shown (--all-relations shows them)")
    else:
        assert question is not None  # exactly one of the two was given
        item = _find_item(bank, question)
        close = related_questions(bank.graph, item.id, top)
        if as_json:
            _echo_json(
                {
                    "question": item.to_dict() | {"concepts": bank.concepts_of(item.id)},
                    "related_questions": [
                        {"id": r.item, "shared_concepts": list(r.shared_concepts), "score": r.score} for r in close
                    ],
                }
            )
        else:
            click.echo(f"{item.id}: {question_line(item)}")
            click.echo("concepts: " + ", ".join(label[c] for c in bank.concepts_of(item.id)))
            click.echo("\nrelated questions:")
            question_rows = [
                (
                    r.item,
                    shorten(question_line(bank.item(r.item)), 60),
                    ", ".join(label[c] for c in r.shared_concepts),
                    r.score,
                )
                for r in close
            ]
            click.echo(_table(["id", "question", "shared concepts", "score"], question_rows, [0, 60, 50, 0]))
    _finish(state)


@cli.command("search")
@click.argument("query")
@FILES
@click.option("-n", "--top", default=10, show_default=True, help="Most hits to list.")
@click.option("--no-semantic", is_flag=True, help="Match on names and words only (no embedding model).")
@CONCEPTS_FILE
@AS_JSON
def search_cmd(
    query: str, files: tuple[str, ...], top: int, no_semantic: bool, concepts_file: str | None, as_json: bool
) -> None:
    """Concepts and questions that QUERY finds, best first: a name ("relu"), words, or a question."""
    from kg.search import search, search_index

    state = _State()
    bank = _build(files, state, concepts_file=concepts_file, relations=False)
    embedder = None
    vectors = None
    if not no_semantic and bank.items:
        embedder = state.embedder()
        if embedder is not None:
            vectors = embedder.encode([i.question_text for i in bank.items])
    hits = search(search_index(bank.items, bank.concepts, vectors), query, embedder, limit=top)

    def named(node: str) -> tuple[str, str, str]:
        kind, ref = node.split(":", 1)
        if kind == "c":
            concept = bank.concept(ref)
            return "concept", ref, concept.label if concept else ref
        return "question", ref, question_line(bank.item(ref))

    _echo_hits(hits, named, query, as_json)
    _finish(state)


def _echo_hits(hits: Sequence[Hit], named: Callable[[str], tuple[str, str, str]], query: str, as_json: bool) -> None:
    """Search hits as JSON or a table; ``named`` gives a node's kind, id and title."""
    if as_json:
        keys = ("kind", "id", "title")
        _echo_json([dict(zip(keys, named(h.node), strict=True)) | {"score": h.score, "how": h.how} for h in hits])
    elif hits:
        rows = [(*named(h.node), f"{h.score:.2f}", h.how) for h in hits]
        click.echo(_table(["kind", "id", "title", "score", "match"], rows, [0, 0, 70, 0, 0]))
    else:
        click.echo(f"nothing matches {query!r}")


@cli.command("export")
@FILES
@click.option("--format", "fmt", type=click.Choice(["json", "graphml", "gexf"]), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(), help="Write here instead of standard output.")
@click.option("--no-semantic", is_flag=True, help="Score pairs on wording and concepts only.")
@CONCEPTS_FILE
@RELATIONS_FILE
@ALL_RELATIONS
def export_cmd(
    files: tuple[str, ...],
    fmt: str,
    output: str | None,
    no_semantic: bool,
    concepts_file: str | None,
    relations_file: str | None,
    all_relations: bool,
) -> None:
    """Write the bank's questions, concepts, pairs and relations as JSON, GraphML or GEXF.

    Relations whose confidence is below the threshold are left out unless --all-relations.

    With -o the file is written whole or not at all: the folder is checked before any work, and the
    export goes to a temporary file that replaces OUTPUT only once complete.
    """
    from kg import export
    from kg.atomic import check_writable, replacing

    if output:
        check_writable(output)
    state = _State()
    bank, _ = _decided_build(
        files,
        state,
        concepts_file=concepts_file,
        semantic=not no_semantic,
        relations_file=relations_file,
        says_topics=True,
    )

    def write(handle) -> None:
        if fmt == "json":
            # Streamed: a big bank's JSON is never one string in memory.
            export.write_json(bank, handle, all_relations=all_relations)
        else:
            to_graph = export.to_graphml if fmt == "graphml" else export.to_gexf
            handle.write(to_graph(bank, all_relations=all_relations))
        handle.write("\n")

    if output:
        with replacing(output) as handle:
            write(handle)
        click.echo(f"wrote {output}", err=True)
    else:
        write(sys.stdout)
    _finish(state)


def _with_labels(pair, label: dict):
    """The pair with concept labels in place of concept ids, for display."""
    from dataclasses import replace

    return replace(pair, shared_concepts=tuple(label.get(c, c) for c in pair.shared_concepts))


def _pair_block(pair, items: dict) -> list[str]:
    """A pair as a few readable lines: kind, score, both questions, and why they match."""
    from kg.similar.copies import same_question

    a, b = items[pair.a], items[pair.b]
    parts = f"wording {pair.lexical:.2f}"
    if pair.semantic is not None:
        parts += f", meaning {pair.semantic:.2f}"
    parts += f", concepts {pair.concept:.2f}"
    if same_question(a, b):
        # a prompt the bank repeats ("What is this print?") leaves no evidence beside the copy itself
        evident = pair.lexical or pair.semantic or pair.concept
        parts = f"the same question asked twice ({parts})" if evident else "the same question asked twice"
    decided = "" if pair.verdict is None else f"  (confirmed by a curator: {pair.verdict})"
    if pair.verdict is not None and not pair.score and not pair.lexical and not pair.concept:
        decided = f"  (a curator's verdict: {pair.verdict}; not found by the scorer)"
    lines = [
        f"{pair.kind:9s}  {pair.score:.3f}  {pair.a} ~ {pair.b}{decided}",
        f"  a: {shorten(question_line(a), 100)}  ({a.source}:{a.line})",
        f"  b: {shorten(question_line(b), 100)}  ({b.source}:{b.line})",
        f"  why: {parts}" + (f"; shared: {', '.join(pair.shared_concepts[:6])}" if pair.shared_concepts else ""),
    ]
    for m in pair.matches[:1]:
        lines.append(f'  closest answers ({m.score:.2f}): "{shorten(m.a, 70)}" ~ "{shorten(m.b, 70)}"')
    return lines


def _pairs_report(bank_items, pairs, groups, *, kind: str | None, semantic: bool, as_json: bool, label: dict) -> None:
    shown = [p for p in pairs if (p.kind == kind if kind else p.kind in CLOSE_KINDS)]
    if as_json:
        _echo_json(
            {
                "semantic": semantic,
                "groups": groups,
                "pairs": [p.to_dict() | {"shared_labels": [label.get(c, c) for c in p.shared_concepts]} for p in shown],
            }
        )
        return
    items = {i.id: i for i in bank_items}
    if groups and kind in (None, DUPLICATE):
        click.echo(f"{len(groups)} duplicate group(s):")
        for n, group in enumerate(groups, 1):
            click.echo(f"  {n}. " + ", ".join(group))
            for i in group:
                click.echo(f"       {i}: {shorten(question_line(items[i]), 90)}")
        click.echo("")
    for p in shown:
        named = _with_labels(p, label)
        click.echo("\n".join(_pair_block(named, items)) + "\n")
    counts = kind_counts(pairs)
    click.echo(
        f"{counts[DUPLICATE]} duplicate, {counts[OVERLAP]} overlap, {counts[RELATED]} related pair(s)"
        + ("" if semantic else " (wording and concepts only: semantic evidence off)")
    )


@cli.command("duplicates")
@FILES
@click.option(
    "--against",
    "against",
    multiple=True,
    type=click.Path(),
    metavar="BANK",
    help="Compare FILES (new questions) with this bank only; repeat it or give a folder for several.",
)
@click.option(
    "--kind",
    type=click.Choice(PAIR_KINDS),
    help="Show only pairs of this kind (default: duplicates and overlaps).",
)
@click.option("--no-semantic", is_flag=True, help="Score on wording and concepts only (no embedding model).")
@CONCEPTS_FILE
@AS_JSON
def duplicates_cmd(
    files: tuple[str, ...],
    against: tuple[str, ...],
    kind: str | None,
    no_semantic: bool,
    concepts_file: str | None,
    as_json: bool,
) -> None:
    """Duplicate and overlapping questions, best first, with why they match.

    With --against, lists what in the new FILES the bank already has.
    """
    from kg.decisions import apply_verdicts, different_pairs
    from kg.similar import group_duplicates

    state = _State()
    decisions = _decisions([*files, *against], state)
    if not against:
        bank = _build(
            files,
            state,
            concepts_file=concepts_file,
            pairs=True,
            relations=False,
            semantic=not no_semantic,
            decisions=decisions,
        )
        pairs = list(bank.pairs)
        semantic = bank.semantic
    else:
        from kg.pipeline import concept_sets
        from kg.similar import match_against

        bank = _build([*files, *against], state, concepts_file=concepts_file, relations=False)
        new_sources = {i.source for i in _read_items(files, _State())}
        new = [i for i in bank.items if i.source in new_sources]
        old = [i for i in bank.items if i.source not in new_sources]
        embedder = None
        if not no_semantic:
            embedder = state.embedder()
        item_concepts, question_concepts = concept_sets(bank.mentions)
        pairs = match_against(
            new,
            old,
            item_concepts,
            embedder=embedder,
            accepted=different_pairs(decisions),
            question_concepts=question_concepts,
        )
        # no pair is added: what the new files hold is matched against the bank, not decided before
        pairs = apply_verdicts(pairs, decisions)
        semantic = embedder is not None
    _warn_unknown(decisions, bank.items)
    label = {c.id: c.label for c in bank.concepts}
    _pairs_report(
        bank.items, pairs, group_duplicates(pairs), kind=kind, semantic=semantic, as_json=as_json, label=label
    )
    _finish(state)


@cli.command("check")
@FILES
@click.option("--no-semantic", is_flag=True, help="Score on wording and concepts only (no embedding model).")
@CONCEPTS_FILE
def check_cmd(files: tuple[str, ...], no_semantic: bool, concepts_file: str | None) -> None:
    """Exit 1 and list the duplicate questions if there are any, 0 if none (for CI and pre-commit).

    The verdicts in kg-accepted.toml next to the bank count: a pair called "different" or "overlap"
    does not fail the check, one called "duplicate" does (the bank still holds both) and is marked
    confirmed. Anything that could not be read (a file, a folder, a decisions entry) is named on
    stderr and makes the exit status 2, as does a bank with no question at all: a check that read
    nothing has not passed. A decision naming a question the bank does not hold is only a warning.
    """
    from kg.decisions import FILENAME
    from kg.similar import group_duplicates

    state = _State()
    bank, _ = _decided_build(files, state, concepts_file=concepts_file, relations=False, semantic=not no_semantic)
    duplicates = [p for p in bank.pairs if p.kind == DUPLICATE]
    items = {i.id: i for i in bank.items}
    label = {c.id: c.label for c in bank.concepts}
    for p in duplicates:
        named = _with_labels(p, label)
        click.echo("\n".join(_pair_block(named, items)) + "\n")
    if not bank.items:
        click.echo(f"error: no question found in {', '.join(files)}", err=True)
        sys.exit(EXIT_INPUT)
    if duplicates:
        groups = group_duplicates(duplicates)
        confirmed = sum(p.verdict == DUPLICATE for p in duplicates)
        open_pair = next((p for p in duplicates if p.verdict is None), None)
        click.echo(
            f"{len(duplicates)} duplicate pair(s) in {len(groups)} group(s) among {len(bank.items)} questions"
            + (f", {confirmed} confirmed by a curator" if confirmed else "")
            + ". Keep one of each"
            + (
                f", or record your verdict on a pair in {FILENAME} next to the bank:\n"
                f'  [[pair]]\n  a = "{open_pair.a}"\n  b = "{open_pair.b}"\n  verdict = "different"  # or "overlap"'
                if open_pair is not None
                else "."
            )
        )
    else:
        click.echo(f"no duplicates among {len(bank.items)} questions")
    _finish(state)
    if duplicates:
        sys.exit(1)


@cli.command("calibrate")
@FILES
@click.option("--no-semantic", is_flag=True, help="Refit only the weights used without the embedding model.")
@CONCEPTS_FILE
def calibrate_cmd(files: tuple[str, ...], no_semantic: bool, concepts_file: str | None) -> None:
    """Refit the pair model with the verdicts in kg-accepted.toml, for this bank.

    Writes kg-model.json next to the (first) bank, which every command and the app then use for it;
    delete that file to go back to kg's own model. Prints how the bank's pairs change.
    """
    from kg.atomic import check_writable, write_atomic
    from kg.decisions import FILENAME
    from kg.pipeline import concept_sets
    from kg.similar.model import bank_model_path, default_model, model_to_dict
    from kg.similar.pairs import calibrate

    state = _State()
    target = bank_model_path(files[0])
    check_writable(str(target))
    build: dict[str, Any] = {"concepts_file": concepts_file, "relations": False, "semantic": not no_semantic}
    bank, decisions = _decided_build(files, state, **build)
    verdicts = {key: d.verdict for key, d in decisions.items()}
    if not bank.items:
        click.echo(f"error: no question found in {', '.join(files)}", err=True)
        sys.exit(EXIT_INPUT)
    embedder = None
    if not no_semantic and bank.semantic:
        embedder = state.embedder()
    item_concepts, question_concepts = concept_sets(bank.mentions)
    model, used = calibrate(
        bank.items,
        item_concepts,
        verdicts,
        embedder=embedder,
        question_concepts=question_concepts,
        model=default_model(),
    )
    if not used:
        click.echo(f"error: no verdict on two questions of this bank in {FILENAME}; nothing to refit", err=True)
        sys.exit(EXIT_INPUT)
    write_atomic(target, json.dumps(model_to_dict(model), separators=(",", ":")) + "\n")
    rebuilt = _build(files, state, pairs=True, decisions=decisions, **build)
    counts = {
        k: (sum(p.kind == k for p in bank.pairs), sum(p.kind == k for p in rebuilt.pairs))
        for k in (DUPLICATE, OVERLAP, RELATED)
    }
    click.echo(f"refitted with {used} verdict(s); wrote {target}")
    for kind, (before, after) in counts.items():
        click.echo(f"  {kind:9s} {before:5d} -> {after:5d}")
    _finish(state)


@cli.command("coverage")
@FILES
@click.option("-n", "--top", default=15, show_default=True, help="Entries per list.")
@click.option("--no-semantic", is_flag=True, help="Find overlapping pairs on wording and concepts only.")
@CONCEPTS_FILE
@HIDE_GENERIC
@AS_JSON
def coverage_cmd(
    files: tuple[str, ...], top: int, no_semantic: bool, concepts_file: str | None, hide_generic: bool, as_json: bool
) -> None:
    """What the bank covers and misses: concepts only answers mention, concepts one question asks
    about, concepts over-served by overlapping questions, the most central concepts, and the topics."""
    from dataclasses import replace

    from kg.coverage import coverage_report
    from kg.model import cnode

    state = _State()
    bank, _ = _decided_build(files, state, concepts_file=concepts_file, relations=False, semantic=not no_semantic)
    concepts, mentions, pairs, graph = bank.concepts, bank.mentions, bank.pairs, bank.graph
    if hide_generic:
        from kg.pipeline import generic_ids

        generic = generic_ids(concepts)
        concepts = tuple(c for c in concepts if c.id not in generic)
        mentions = tuple(m for m in mentions if m.concept not in generic)
        pairs = tuple(
            replace(p, shared_concepts=tuple(c for c in p.shared_concepts if c not in generic)) for p in pairs
        )
        hidden = {cnode(c) for c in generic}
        graph = graph.subgraph(n for n in graph if n not in hidden)
    report = coverage_report(concepts, mentions, pairs, graph, topics=bank.topics, questions=len(bank.items),
                             question_texts=[it.question_text for it in bank.items], n=top)
    if as_json:
        _echo_json(report.to_dict())
        _finish(state)
        return
    number = {i.id: (str(i.number) if i.number is not None else i.id) for i in bank.items}
    order = {i.id: k for k, i in enumerate(bank.items)}

    def items(ids: Sequence[str]) -> str:
        return ", ".join(number.get(i, i) for i in sorted(ids, key=lambda i: order.get(i, len(order))))

    click.echo(
        f"{report.questions} questions, {report.concepts} concepts, {report.asked} of them asked about in a question\n"
    )
    def cut(title: str, name: str) -> str:
        shown, total = len(getattr(report, name)), report.total(name)
        return f"{title} ({shown} of {total}; -n for more)" if total > shown else title

    sections: list[tuple[str, list[str], list[tuple[Any, ...]]]] = [
        (
            cut("Concepts two or more answers mention but no question asks about", "answer_only"),
            ["concept", "answers", "in", "topic"],
            [(c.label, len(c.answered_in), items(c.answered_in), c.topic or "") for c in report.answer_only],
        ),
        (
            cut("Concepts a single question asks about", "single_question"),
            ["concept", "question", "answers", "topic"],
            [(c.label, items(c.asked_in), len(c.answered_in), c.topic or "") for c in report.single_question],
        ),
        (
            cut("Concepts over-served by duplicate or overlapping questions", "over_served"),
            ["concept", "pairs", "questions", "topic"],
            [(o.label, o.pairs, items(o.items), o.topic or "") for o in report.over_served],
        ),
        (
            "Most central concepts",
            ["concept", "co-occurrences", "questions", "topic"],
            [(c.label, int(c.score), c.questions, c.topic or "") for c in report.central],
        ),
    ]
    for title, headers, rows in sections:
        click.echo(title)
        click.echo(_table(headers, rows, [40, 0, 50, 30]) if rows else "  (none)")
        click.echo()
    if report.topics:
        click.echo("Topics (concepts)")
        click.echo("  " + ", ".join(f"{t} ({n})" for t, n in report.topics.items()))
    _finish(state)


def main() -> None:
    """Entry point of the ``kg`` console script."""
    cli(prog_name="kg")


def _add_store_commands() -> None:
    # at the end: kg.cli_store builds on this module's options and helpers
    from kg.cli_store import query_group, store_cmd

    cli.add_command(store_cmd)
    cli.add_command(query_group)


if __name__ == "__main__":
    # ``python -m kg.cli``: run the one ``kg.cli`` module that kg.cli_store builds on, not a second copy of it
    from kg.cli import main as _main

    _main()
else:
    _add_store_commands()
