"""A file read only in part is named: the questions it asks that were not read, and where the first is."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from kg.parse import parse_paths, parse_text
from kg.parse.unread import MIN_UNREAD, partly_read, unread_lines

ROOT = Path(__file__).resolve().parents[1]

ANSWERED = """# Networking

## What is a socket?

An endpoint of a connection, named by an address and a port.

## What is a port?

A number that names one service on a host.

## What does DNS do?

It turns names into addresses.
"""

# Bare question lines under a plain heading: a second shape the file's headings do not cover.
BARE = """
## More questions

How does TCP open a connection?
Why does UDP keep no state?
What is the difference between a hub and a switch?
How does a router choose a route?
What does ARP resolve?
Why is NAT needed with IPv4?
"""

# The same questions with their answers under them, in a shape the file's headings do not cover.
UNREAD_ANSWERED = """
## More questions

How does TCP open a connection?
With a three-way handshake.

Why does UDP keep no state?
Each datagram goes on its own.

What is the difference between a hub and a switch?
A hub repeats every frame; a switch learns which port leads where.

How does a router choose a route?
By the longest prefix in its table.

What does ARP resolve?
An IP address to a link-layer address.

Why is NAT needed with IPv4?
There are too few addresses.
"""


def test_parse_paths_names_a_file_read_in_part_with_its_first_unread_line(tmp_path: Path, caplog) -> None:
    bank = tmp_path / "net.md"
    bank.write_text(ANSWERED + UNREAD_ANSWERED, encoding="utf-8")
    notes: list[str] = []
    with caplog.at_level(logging.WARNING, logger="kg.parse"):
        items, errors = parse_paths([bank], notes=notes)
    assert (len(items), errors) == (3, [])
    first = (ANSWERED + UNREAD_ANSWERED).splitlines().index("How does TCP open a connection?") + 1
    assert notes == [f"{bank}: read in part: 3 questions read, 6 more lines that ask a question not read "
                     f"(the first at line {first})"]
    assert notes[0] in caplog.text  # the CLI shows the log


def test_parse_paths_says_questions_with_no_answer_are_left_out_not_that_the_file_was_read_in_part(
    tmp_path: Path,
) -> None:
    bank = tmp_path / "net.md"
    bank.write_text(ANSWERED + BARE, encoding="utf-8")
    notes: list[str] = []
    items, errors = parse_paths([bank], notes=notes)
    assert (len(items), errors) == (3, [])
    first = (ANSWERED + BARE).splitlines().index("How does TCP open a connection?") + 1
    assert notes == [f"{bank}: 3 questions read; 6 more lines ask a question with no answer under it "
                     f"(the first at line {first})"]


def test_partly_read_counts_the_unread_questions_with_no_answer_under_them() -> None:
    bare_two = UNREAD_ANSWERED.replace("With a three-way handshake.\n", "").replace(
        "There are too few addresses.\n", "")
    text = ANSWERED + bare_two
    part = partly_read(text, "net.md", parse_text(text, "net.md"))
    assert part is not None and (len(part.lines), part.bare) == (6, 2)
    assert part.note().endswith("; 2 with no answer under them)")


def test_parse_paths_says_nothing_of_a_file_read_whole(tmp_path: Path) -> None:
    notes: list[str] = []
    parse_paths([ROOT / "data" / "questions.md"], notes=notes)
    assert notes == []


def test_unread_lines_leave_out_linked_questions_parts_code_and_short_asks() -> None:
    text = ANSWERED + """
## Contents

- [What is a socket?](#what-is-a-socket)
- [How is a socket closed?](#closing)

## What is a subnet?

A range of addresses.

* ii. How would you split a /24 into four?
* (b) Why is a /31 special?

```python
print("Is this a question?")
```

Why? Because the mask says so.
How is a subnet mask written?
"""
    items = parse_text(text, "net.md")
    lines = text.split("\n")
    assert [lines[n - 1] for n in unread_lines(text, items)] == ["How is a subnet mask written?"]


def test_partly_read_needs_enough_unread_questions_against_those_read() -> None:
    items = parse_text(ANSWERED, "net.md")
    few = ANSWERED + "\n".join(f"How does protocol {k} start?" for k in range(MIN_UNREAD - 1)) + "\n"
    assert partly_read(few, "net.md", parse_text(few, "net.md")) is None
    many = ANSWERED + BARE
    assert partly_read(many, "net.md", items) is not None
    assert partly_read(many, "net.md", items * 5) is None  # 6 unread beside 15 read: answers may ask a few


@pytest.mark.parametrize("bank", sorted(p.name for p in (ROOT.parent / "shared" / "banks").glob("*") if p.is_dir()))
def test_parse_paths_says_nothing_of_the_shared_banks(bank: str) -> None:
    notes: list[str] = []
    parse_paths([ROOT.parent / "shared" / "banks" / bank], notes=notes)
    assert notes == []


def test_unread_lines_read_a_numbered_question_as_the_item_that_leaves_its_label_out() -> None:
    from kg.model import QAItem

    text = "**Q7- How is a subnet mask written?**\n\nAs four bytes.\n\n3D printing: what does it cost?\n"
    item = QAItem("m", 7, "How is a subnet mask written?", "As four bytes.", "n.md", 1,
                  "How is a subnet mask written?", "As four bytes.")
    assert unread_lines(text, [item]) == [5]


def test_partly_read_takes_a_question_under_a_topic_heading_as_the_topics() -> None:
    topics = ["make and new", "slices and arrays", "maps and structs", "channels and mutexes", "defer and panic",
              "goroutines and threads"]
    text = "".join(f"## {k}. {t}\n\nWhat is the difference between {t}?\n\nThey differ in use.\n\n"
                   for k, t in enumerate(topics, 1))
    items = parse_text(text, "go.md")
    assert [i.question_text for i in items] == topics
    assert partly_read(text, "go.md", items) is None
