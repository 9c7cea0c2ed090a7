"""``kg store`` writes a built bank to one SQLite file; ``kg query STORE …`` asks it without building
anything or loading the bank whole (:mod:`kg.store`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from kg.cli import (
    ALL_RELATIONS,
    AS_JSON,
    CONCEPTS_FILE,
    FILES,
    HIDE_GENERIC,
    RELATIONS_FILE,
    _build,
    _decisions,
    _echo_hits,
    _echo_json,
    _finish,
    _pair_block,
    _State,
    _table,
    _warn_unknown,
)
from kg.model import PAIR_KINDS
from kg.text import quantity, shorten


def _bank_key(files: Sequence[str], items, concepts_file: str | None, embedder) -> str:
    """The bank's key as :mod:`kg.bankstore` makes it: its files, kg's code and the build's settings."""
    from kg.bankfiles import CONCEPT_FILE, bank_folder
    from kg.bankstore import bank_key, embedder_fingerprint, file_digest
    from kg.similar.model import bank_model_path
    from kg.uploads import content_digest

    sources = sorted({i.source for i in items})
    content = content_digest([(s, Path(s).read_bytes()) for s in sources])
    concepts = concepts_file or bank_folder(files[0]) / CONCEPT_FILE
    return bank_key(
        content,
        embedder=embedder_fingerprint(embedder),
        concepts=file_digest(concepts),
        pair_model=file_digest(bank_model_path(files[0])),
    )


@click.command("store")
@FILES
@click.option("-o", "--output", required=True, type=click.Path(), help="The SQLite file to write.")
@click.option("--no-semantic", is_flag=True, help="Score pairs on wording and concepts only.")
@click.option(
    "--layout", is_flag=True, help="Also keep the positions of the whole graph's layout (slow on a big bank)."
)
@CONCEPTS_FILE
@RELATIONS_FILE
def store_cmd(
    files: tuple[str, ...],
    output: str,
    no_semantic: bool,
    layout: bool,
    concepts_file: str | None,
    relations_file: str | None,
) -> None:
    """Write the built bank to one SQLite file that 'kg query' (and other tools) can ask.

    It holds the questions, concepts, mentions, the graph's edges, relations, pairs with the curator's
    verdicts, the search index and, with --layout, the whole graph's layout. The folder is checked
    before any work; the file is replaced only once the new one is complete.
    """
    from kg.atomic import check_writable
    from kg.decisions import apply_verdicts, set_aside
    from kg.store import write_store

    check_writable(output)
    state = _State()
    decisions = _decisions(files, state)
    # scored without the verdicts, which are applied here so that the pairs called different are kept
    # apart (the app lists them), as the app applies them to a bank it builds
    scored = _build(
        files,
        state,
        pairs=True,
        concepts_file=concepts_file,
        semantic=not no_semantic,
        relations_file=relations_file,
        says_topics=True,
    )
    _warn_unknown(decisions, scored.items)
    ids = {i.id for i in scored.items}
    bank = dataclasses.replace(scored, pairs=tuple(apply_verdicts(scored.pairs, decisions, ids)))
    positions = None
    if layout and bank.items:
        from kg import render
        from kg.embed import cache_root
        from kg.relations.confidence import threshold
        from kg.render.layoutstore import LayoutStore

        view = render.view_graph(bank.graph, bank.pairs, min_confidence=threshold())
        positions = LayoutStore(cache_root()).layout(view, render.layout, seed=0)
    key = _bank_key(files, bank.items, concepts_file, state._embedder if bank.semantic else None)
    write_store(bank, output, key=key, positions=positions, files=files, aside=set_aside(scored.pairs, decisions))
    click.echo(
        f"wrote {output}: {quantity(len(bank.items), 'question')}, {quantity(len(bank.concepts), 'concept')}, "
        f"{quantity(len(bank.pairs), 'pair')}",
        err=True,
    )
    _finish(state)


@click.group("query")
@click.argument("store_path", metavar="STORE", type=click.Path())
@click.option("--check", is_flag=True, help="First check every page of the file (slow on a big store).")
@click.pass_context
def query_group(ctx: click.Context, store_path: str, check: bool) -> None:
    """Ask a store written by 'kg store': a concept, a question, a search, a page of pairs, a neighbourhood.

    Each reads only what it shows, so a big bank answers in milliseconds. A file that is missing, not a
    kg store, written by another version of kg or damaged is named, with exit status 2.
    """
    from kg.store import open_store

    store = open_store(store_path, check=check)
    ctx.call_on_close(store.close)
    ctx.obj = store


def _lines(store, ids: Sequence[str]) -> dict[str, str]:
    """Each question as one line (:func:`kg.views.question_line`)."""
    return dict(store._in("SELECT id, line_text FROM items WHERE id IN ({})", list(ids)))


@query_group.command("about")
@click.pass_obj
def about_cmd(store) -> None:
    """What the store holds and which kg wrote it."""
    counts = store.counts()
    click.echo(f"{store.path}: kg {store.meta['kg_version']}, store schema {store.meta['schema']}")
    click.echo(
        f"{quantity(counts['items'], 'question')}, {quantity(counts['concepts'], 'concept')}, "
        f"{quantity(counts['pairs'], 'pair')}, {quantity(counts['relations'], 'relation')}"
        + ("" if store.semantic else " (pairs on wording and concepts only)")
    )
    for error in store.errors():
        click.echo(f"when written: {error}")


@query_group.command("concept")
@click.argument("name")
@click.option("--top", default=10, show_default=True, help="How many related concepts to list (0: all).")
@HIDE_GENERIC
@ALL_RELATIONS
@AS_JSON
@click.pass_obj
def concept_cmd(store, name: str, top: int, hide_generic: bool, all_relations: bool, as_json: bool) -> None:
    """A concept's questions, related concepts and relations, as 'kg related --concept' lists them."""
    from kg.relations import confident, load_relation_table

    page = store.concept(name)
    if page is None:
        raise click.UsageError(f"no concept {name!r} in {store.path}; try 'kg query {store.path} search {name!r}'")
    related = list(page.related)
    labels = {c.id: c for c in store.concepts([r.concept for r in related] + [page.concept.id]
                                              + [x for r in page.relations for x in (r.head, r.tail)])}  # fmt: skip
    if hide_generic:
        related = [r for r in related if not labels[r.concept].generic]
    related = related[:top] if top else related
    untyped = load_relation_table().fallback
    typed = [r for r in page.relations if r.relation != untyped]
    stated = confident(typed, everything=all_relations)
    c = page.concept
    if as_json:
        _echo_json({
            "concept": c.to_dict() | {"topic": page.topic},
            "questions": list(page.questions),
            "related_concepts": [
                {"id": r.concept, "label": labels[r.concept].label, "shared_questions": list(r.shared_questions),
                 "score": r.score}
                for r in related
            ],
            "relations": [r.to_dict() for r in stated],
        })  # fmt: skip
        return
    click.echo(f"{c.label}" + (f"  (also: {', '.join(c.aliases)})" if c.aliases else ""))
    lines = _lines(store, page.questions)
    click.echo(f"\nquestions ({len(page.questions)}):")
    for q in page.questions:
        click.echo(f"  {q}  {shorten(lines.get(q, ''), 90)}")
    click.echo("\nrelated concepts:")
    ranked = [(labels[r.concept].label, len(r.shared_questions), r.score) for r in related]
    click.echo(_table(["concept", "shared questions", "score"], ranked))
    if stated:
        click.echo("\nrelations stated in the answers:")
        rows = [
            (labels[r.head].label, r.relation, labels[r.tail].label, f"{r.confidence:.2f}", ", ".join(r.questions))
            for r in stated
        ]
        click.echo(_table(["head", "relation", "tail", "confidence", "questions"], rows, [40, 0, 40, 0, 40]))
    if len(typed) > len(stated):
        click.echo(
            f"\n{quantity(len(typed) - len(stated), 'less certain relation')} not shown (--all-relations shows them)"
        )


@query_group.command("question")
@click.argument("ref", metavar="N")
@click.option("--top", default=10, show_default=True, help="How many related questions to list.")
@AS_JSON
@click.pass_obj
def question_cmd(store, ref: str, top: int, as_json: bool) -> None:
    """A question (a number or an id), its concepts, duplicates and overlaps, and related questions."""
    found = store.find_question(ref)
    if len(found) > 1:
        raise click.UsageError(f"question {ref} is in several files ({', '.join(found)}); give its id instead")
    page = store.question(found[0], top=top) if found else None
    if page is None:
        raise click.UsageError(f"no question {ref!r} in {store.path}; give a number or an id from 'kg parse'")
    if as_json:
        _echo_json({
            "question": page.item.to_dict() | {"concepts": [c for c, _ in page.concepts]},
            "pairs": [p.to_dict() for p in page.close],
            "related_questions": [
                {"id": r.item, "shared_concepts": list(r.shared_concepts), "score": r.score} for r in page.related
            ],
        })  # fmt: skip
        return
    item = page.item
    label = dict(page.concepts)
    lines = _lines(store, [item.id, *(r.item for r in page.related)])
    click.echo(f"{item.id}: {lines[item.id]}  ({item.source}:{item.line})")
    click.echo("concepts: " + ", ".join(label for _, label in page.concepts))
    if page.close:
        click.echo(f"\nduplicates and overlaps ({len(page.close)}):")
        for p in page.close:
            other = p.b if p.a == item.id else p.a
            click.echo(f"  {p.kind:9s}  {p.score:.3f}  {other}")
    click.echo("\nrelated questions:")
    names = {c.id: c.label for c in store.concepts({c for r in page.related for c in r.shared_concepts})}
    label.update(names)
    rows = [
        (r.item, shorten(lines.get(r.item, ""), 60), ", ".join(label[c] for c in r.shared_concepts), r.score)
        for r in page.related
    ]
    click.echo(_table(["id", "question", "shared concepts", "score"], rows, [0, 60, 50, 0]))


@query_group.command("search")
@click.argument("text")
@click.option("-n", "--top", default=10, show_default=True, help="Most hits to list.")
@AS_JSON
@click.pass_obj
def search_cmd(store, text: str, top: int, as_json: bool) -> None:
    """Concepts by name and questions by their words, as 'kg search --no-semantic' ranks them."""
    hits = store.search(text, top)
    concepts = {c.id: c.label for c in store.concepts([h.node[2:] for h in hits if h.node.startswith("c:")])}
    lines = _lines(store, [h.node[2:] for h in hits if h.node.startswith("q:")])

    def named(node: str) -> tuple[str, str, str]:
        kind, ref = node.split(":", 1)
        return ("concept", ref, concepts[ref]) if kind == "c" else ("question", ref, lines[ref])

    _echo_hits(hits, named, text, as_json)


@query_group.command("pairs")
@click.option("--kind", type=click.Choice(PAIR_KINDS), help="Only pairs of this kind (default: every kind).")
@click.option("--offset", default=0, show_default=True, type=click.IntRange(min=0), help="Pairs to skip.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1), help="Pairs to list.")
@AS_JSON
@click.pass_obj
def pairs_cmd(store, kind: str | None, offset: int, limit: int, as_json: bool) -> None:
    """A page of the bank's pairs, best first, each with why it matches."""
    pairs = store.pairs(kind, offset, limit)
    total = store.pair_count(kind)
    if as_json:
        _echo_json({"total": total, "offset": offset, "pairs": [p.to_dict() for p in pairs]})
        return
    ids = {x for p in pairs for x in (p.a, p.b)}
    items = {i.id: i for i in (store.item(x) for x in ids) if i is not None}
    label = {c.id: c.label for c in store.concepts({c for p in pairs for c in p.shared_concepts})}
    from dataclasses import replace

    for p in pairs:
        named = replace(p, shared_concepts=tuple(label.get(c, c) for c in p.shared_concepts))
        click.echo("\n".join(_pair_block(named, items)) + "\n")
    what = f"{kind} pairs" if kind else "pairs"
    shown = f"{offset + 1}-{offset + len(pairs)}" if pairs else "none"
    more = f" (--offset {offset + len(pairs)} for more)" if offset + len(pairs) < total else ""
    click.echo(f"{what} {shown} of {total}{more}")


@query_group.command("neighbourhood")
@click.argument("centre")
@click.option("--depth", default=2, show_default=True, type=click.IntRange(1, 3), help="Steps from the centre.")
@click.option("--limit", default=150, show_default=True, type=click.IntRange(min=1), help="Most nodes.")
@click.option("--hide-questions", is_flag=True, help="Concepts only: a map of related concepts.")
@click.option("--min-questions", default=0, show_default=True, help="Leave out concepts in fewer questions.")
@HIDE_GENERIC
@ALL_RELATIONS
@AS_JSON
@click.pass_obj
def neighbourhood_cmd(
    store, centre: str, depth: int, limit: int, hide_questions: bool, min_questions: int, hide_generic: bool,
    all_relations: bool, as_json: bool,
) -> None:  # fmt: skip
    """What the app's graph draws around a concept (a name) or a question (q:ID): nodes and edges."""
    options: dict[str, Any] = {"limit": limit, "questions": not hide_questions, "min_questions": min_questions,
                               "generic": not hide_generic}  # fmt: skip
    if all_relations:
        options["min_confidence"] = 0.0
    try:
        found = store.neighbourhood(centre, depth, **options)
    except KeyError:
        raise click.UsageError(f"no concept or question {centre!r} in {store.path}") from None
    if as_json:
        _echo_json({
            "centre": found.centre,
            "nodes": [{"id": n} | attrs for n, attrs in found.nodes],
            "edges": [{"source": u, "target": v} | attrs for u, v, attrs in found.edges],
        })  # fmt: skip
        return
    degree: dict[str, int] = {}
    for u, v, _ in found.edges:
        degree[u] = degree.get(u, 0) + 1
        degree[v] = degree.get(v, 0) + 1
    rows = [(n, attrs["kind"], attrs["label"], degree.get(n, 0)) for n, attrs in found.nodes]
    click.echo(_table(["node", "kind", "label", "edges"], rows, [40, 0, 70, 0]))
    click.echo(
        f"\n{quantity(len(found.nodes), 'node')}, {quantity(len(found.edges), 'edge')} within {depth} of {found.centre}"
    )


__all__ = ["query_group", "store_cmd"]
