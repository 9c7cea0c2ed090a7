"""The ``kg`` command line: the library, headless, for people and for CI.

Every command takes bank files or folders. A file that cannot be read is reported on stderr with its
name (and line where known) and the command goes on with the others, then exits with status 2.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from kg.errors import KGError, ParseError
from kg.model import QAItem

EXIT_INPUT = 2

log = logging.getLogger("kg")


# ----------------------------------------------------------------------------------------------
# Shared plumbing


class _State:
    """What one invocation loaded, so a command can report input errors at the end."""

    def __init__(self) -> None:
        self.errors: list[ParseError] = []


def _report_errors(errors: Sequence[ParseError]) -> None:
    for err in errors:
        click.echo(f"error: {err}", err=True)


def _read_items(files: Sequence[str], state: _State) -> list[QAItem]:
    from kg.parse import parse_paths

    items, errors = parse_paths([Path(f) for f in files])
    state.errors.extend(errors)
    _report_errors(errors)
    return items


def _vocabulary(files: Sequence[str], concepts_file: str | None):
    from kg.vocabulary import find_vocabulary, read_vocabulary

    if concepts_file:
        return read_vocabulary(concepts_file)
    return find_vocabulary([Path(f) for f in files])


def _build(
    files: Sequence[str],
    state: _State,
    *,
    concepts_file: str | None = None,
    pairs: bool = False,
    relations: bool = True,
    semantic: bool = True,
    accepted: frozenset[frozenset[str]] = frozenset(),
):
    from kg.extract import load_nlp
    from kg.pipeline import build_bank

    items = _read_items(files, state)
    vocabulary = _vocabulary(files, concepts_file)
    embedder = None
    if pairs and semantic:
        from kg.embed import load_embedder

        embedder = load_embedder()
    return build_bank(
        items,
        load_nlp(),
        vocabulary=vocabulary,
        embedder=embedder,
        accepted=accepted,
        with_pairs=pairs,
        with_relations=relations,
        errors=state.errors,
    )


def _finish(state: _State) -> None:
    if state.errors:
        sys.exit(EXIT_INPUT)


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[int] | None = None) -> str:
    """A plain aligned text table; *widths* caps column widths (0 = no cap)."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in r] for r in rows]
    if widths:
        cells = [[_shorten(c, w) if w else c for c, w in zip(row, widths)] for row in cells]
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
@click.option("-v", "--verbose", count=True, help="Log what each stage does (-vv for more).")
def cli(verbose: int) -> None:
    """Explore the concepts of a question-and-answer bank, and find its duplicate questions.

    FILES are markdown banks or folders of them.
    """
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
        rows = [(i.id, i.number if i.number is not None else "", f"{i.source}:{i.line}", i.question_text) for i in items]
        click.echo(_table(["id", "no.", "source", "question"], rows, [0, 0, 0, 80]))
        click.echo(f"\n{len(items)} questions")
    _finish(state)


@cli.command("concepts")
@FILES
@CONCEPTS_FILE
@AS_JSON
def concepts_cmd(files: tuple[str, ...], concepts_file: str | None, as_json: bool) -> None:
    """List the concepts of the banks, each with its questions, most asked first."""
    state = _State()
    bank = _build(files, state, concepts_file=concepts_file, relations=False)
    concepts = sorted(bank.concepts, key=lambda c: (-len(c.questions), c.label.lower()))
    if as_json:
        _echo_json([c.to_dict() for c in concepts])
    else:
        number = {i.id: (str(i.number) if i.number is not None else i.id) for i in bank.items}
        rows = [
            (c.label, len(c.questions), ", ".join(number[q] for q in c.questions), ", ".join(c.aliases))
            for c in concepts
        ]
        click.echo(_table(["concept", "questions", "in", "aliases"], rows, [40, 0, 50, 40]))
        click.echo(f"\n{len(concepts)} concepts in {len(bank.items)} questions")
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
@AS_JSON
def related_cmd(
    files: tuple[str, ...], question: str | None, concept: str | None, top: int, concepts_file: str | None, as_json: bool
) -> None:
    """What is related to a question (--question) or a concept (--concept)."""
    from kg.graph import questions_of, related_concepts, related_questions

    if (question is None) == (concept is None):
        raise click.UsageError("give exactly one of --question or --concept")
    state = _State()
    bank = _build(files, state, concepts_file=concepts_file)
    label = {c.id: c.label for c in bank.concepts}
    if concept is not None:
        c = _find_concept(bank, concept)
        qs = questions_of(bank.graph, c.id)
        rel = related_concepts(bank.graph, c.id, top)
        if as_json:
            _echo_json(
                {
                    "concept": c.to_dict(),
                    "questions": qs,
                    "related_concepts": [
                        {"id": r.concept, "label": label[r.concept], "shared_questions": list(r.shared_questions), "score": r.score}
                        for r in rel
                    ],
                }
            )
        else:
            click.echo(f"{c.label}" + (f"  (also: {', '.join(c.aliases)})" if c.aliases else ""))
            click.echo(f"\nquestions ({len(qs)}):")
            for q in qs:
                click.echo(f"  {q}  {_shorten(bank.item(q).question_text, 90)}")
            click.echo("\nrelated concepts:")
            click.echo(_table(["concept", "shared questions", "score"], [(label[r.concept], len(r.shared_questions), r.score) for r in rel]))
    else:
        item = _find_item(bank, question)
        rel = related_questions(bank.graph, item.id, top)
        if as_json:
            _echo_json(
                {
                    "question": item.to_dict() | {"concepts": bank.concepts_of(item.id)},
                    "related_questions": [
                        {"id": r.item, "shared_concepts": list(r.shared_concepts), "score": r.score} for r in rel
                    ],
                }
            )
        else:
            click.echo(f"{item.id}: {item.question_text}")
            click.echo("concepts: " + ", ".join(label[c] for c in bank.concepts_of(item.id)))
            click.echo("\nrelated questions:")
            rows = [
                (r.item, _shorten(bank.item(r.item).question_text, 60), ", ".join(label[c] for c in r.shared_concepts), r.score)
                for r in rel
            ]
            click.echo(_table(["id", "question", "shared concepts", "score"], rows, [0, 60, 50, 0]))
    _finish(state)


@cli.command("export")
@FILES
@click.option("--format", "fmt", type=click.Choice(["json", "graphml", "gexf"]), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of standard output.")
@click.option("--no-semantic", is_flag=True, help="Score pairs on wording and concepts only.")
@CONCEPTS_FILE
def export_cmd(files: tuple[str, ...], fmt: str, output: str | None, no_semantic: bool, concepts_file: str | None) -> None:
    """Write the bank's questions, concepts, pairs and relations as JSON, GraphML or GEXF."""
    from kg import export

    state = _State()
    bank = _build(files, state, concepts_file=concepts_file, pairs=True, semantic=not no_semantic)
    if fmt == "json":
        text = json.dumps(export.to_dict(bank), ensure_ascii=False, indent=2)
    elif fmt == "graphml":
        text = export.to_graphml(bank)
    else:
        text = export.to_gexf(bank)
    if output:
        Path(output).write_text(text + "\n", encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text)
    _finish(state)


def main() -> None:
    """Entry point of the ``kg`` console script."""
    cli(prog_name="kg")
