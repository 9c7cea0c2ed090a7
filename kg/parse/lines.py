"""Lines of a markdown bank: splitting, the regexes of markdown structure, and the masks of lines
that hold no prose (fenced code, multi-line HTML comments, display math).

Every later stage works on the list of lines that :func:`split_lines` gives, so that line numbers
match what an editor shows.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence


def split_lines(text: str) -> list[str]:
    # Not str.splitlines: it also splits on form feeds and U+2028, which would put line numbers
    # out of step with what an editor shows.
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+|$)")
LIST_MARK = re.compile(r"(?:[-*+]|\d{1,4}[.)])[ \t]+")
BLOCKQUOTE = re.compile(r"^(?:>[ \t]?)+")
FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")
SEPARATOR = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,}|={3,})$")
TABLE_RULE = re.compile(r"\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?$")
REF_DEF = re.compile(r"\[[^\]\n]{1,200}\]:[ \t]*\S+$")
DETAILS_OPEN = re.compile(r"[ \t]*<details\b", re.I)
DETAILS_OPEN_ANY = re.compile(r"<details\b", re.I)
DETAILS_CLOSE = re.compile(r"</details\s*>", re.I)
SUMMARY = re.compile(r"[ \t]*(?:<details\b[^>]{0,200}>[ \t]*)?<summary\b[^>]{0,200}>", re.I)
SUMMARY_END = re.compile(r"</summary\s*>", re.I)
ANSWER_MARK = re.compile(
    r"[ \t]*(?:[-*+][ \t]+)?(?:(?:\*\*|__)?(?:A|Ans|Answer)(?:\*\*|__)?[ \t]*:(?:\*\*|__)?"
    # an emphasised label may end in a dot too: "**A**.", "**A.**", "*A*:" (a plain "A." may be an option)
    r"|(\*\*|__|\*|_)(?:A|Ans|Answer)(?:\1[ \t]*[.:]|[.:]\1)"
    r"|<(b|strong)>[ \t]*(?:A|Ans|Answer)[ \t]*[.:]?[ \t]*</\2>[ \t]*[.:]?)[ \t]*",
    re.I,
)
# A line that is only an answer's label: "- Answer:", "**Answer**", "Ans." (a lone "A" may be an option)
ANSWER_LINE = re.compile(r"[ \t]*(?:[-*+][ \t]+)?(?:\*\*|__)?(?:Ans|Answer)[.:]?(?:\*\*|__)?[ \t]*:?[ \t]*$", re.I)
_BLOCK_HTML = re.compile(r"</?(?:details|summary|table|tr|td|th|p|div|ul|ol|li|br|hr|img)\b", re.I)
# Summaries that only label a hidden answer ("💡 Show Answer", "Solution", "Click to expand").
ANSWER_LABEL = re.compile(
    r"(?:(?:show|see|view|reveal|click|toggle|expand|here|to|the|for|me)\s+){0,4}"
    r"(?:answers?|solutions?|explanations?|details|hints?|expand)\b[\s.:!]*$",
    re.I,
)


def fence_blocks(lines: Sequence[str]) -> list[tuple[int, int]]:
    """``(opening, closing)`` line indexes of each fenced code block. Unclosed fences are ignored.

    >>> fence_blocks(["x", "```py", "a", "```", "```y```", "~~~~", "~~~"])
    [(1, 3)]
    """
    blocks: list[tuple[int, int]] = []
    bare: dict[str, list[tuple[int, int]]] = {"`": [], "~": []}  # char -> [(line, run length)]
    for i, line in enumerate(lines):
        m = FENCE.match(line)
        if m and not line[m.end() :].strip():
            bare[m.group(1)[0]].append((i, len(m.group(1))))
    unclosable = {"`": 10**9, "~": 10**9}  # shortest run already known to have no closer
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        # A backtick run with a backtick after it on the line is an inline code span, not a fence
        # ("```x = 1```"), as in CommonMark; taking it for one would hide everything up to the next fence.
        if m and m.group(1)[0] == "`" and "`" in lines[i][m.end() :]:
            m = None
        if m and len(m.group(1)) < unclosable[m.group(1)[0]]:
            char, length = m.group(1)[0], len(m.group(1))
            closers = bare[char]
            k = bisect_right(closers, (i, 10**9))
            j = next((j for j, n in closers[k:] if n >= length), None)
            if j is None:
                unclosable[char] = length
            else:
                blocks.append((i, j))
                i = j
        i += 1
    return blocks


def fence_mask(lines: Sequence[str]) -> list[bool]:
    """True for lines of fenced code blocks (fences included). Unclosed fences are ignored."""
    mask = [False] * len(lines)
    for i, j in fence_blocks(lines):
        mask[i : j + 1] = [True] * (j + 1 - i)
    return mask


def _mask_until(
    lines: Sequence[str], mask: list[bool], opens, closer: str, same_line: bool
) -> None:
    """Mark from each unmasked line that ``opens`` a block to the next line holding ``closer``."""
    closes = [j for j, line in enumerate(lines) if closer in line]
    i = 0
    while i < len(lines):
        if not mask[i] and opens(lines[i]):
            k = bisect_right(closes, i if not same_line else i - 1)
            if k < len(closes):
                j = closes[k]
                mask[i : j + 1] = [True] * (j + 1 - i)
                i = j
        i += 1


def mask_comments(lines: Sequence[str], mask: list[bool]) -> None:
    """Mark lines of multi-line HTML comments (a line that only opens one, to its close)."""
    _mask_until(
        lines, mask, lambda s: s.lstrip().startswith("<!--") and "-->" not in s, "-->", False
    )


_RAW_HTML = re.compile(r"[ \t]*<(script|style)\b", re.I)


def mask_raw_html(lines: Sequence[str], mask: list[bool]) -> None:
    """Mark ``<script>`` and ``<style>`` blocks, from the line that opens one to the line of its closing
    tag: their text is code for the page, never part of a question or an answer.

    >>> mask = [False] * 5
    >>> mask_raw_html(["Text", "<script>", "function toc() {}", "</script>", "More"], mask); mask
    [False, True, True, True, False]
    """
    for name in ("script", "style"):
        _mask_until(
            lines,
            mask,
            lambda s, name=name: (m := _RAW_HTML.match(s)) is not None and m.group(1).lower() == name
            and f"</{name}" not in s.lower(),
            f"</{name}",
            False,
        )


def code_mask(lines: Sequence[str]) -> list[bool]:
    """True for the lines that are no text of a bank: fenced code, multi-line HTML comments, and ``<script>``
    and ``<style>`` blocks.

    >>> code_mask(["Why?", "```", "x = 1", "```", "<!--", "note", "-->", "Because."])
    [False, True, True, True, True, True, True, False]
    """
    mask = fence_mask(lines)
    mask_comments(lines, mask)
    mask_raw_html(lines, mask)
    return mask


#: A Liquid or Jinja tag that opens a block whose body is code or hidden (``{% highlight java %}``,
#: ``{% comment %}``); its closing tag is the name after "end" (``{% endhighlight %}``).
_TEMPLATE_BLOCK = re.compile(r"\{%-?\s*(highlight|comment)\b")


def mask_template_blocks(lines: Sequence[str], mask: list[bool]) -> None:
    """Mark the body of Liquid/Jinja ``highlight`` and ``comment`` blocks, from the line of the opening tag
    to the line of its closing tag (``{% endhighlight %}``); an unclosed block masks nothing."""
    for name in ("highlight", "comment"):
        _mask_until(
            lines,
            mask,
            lambda s, name=name: (m := _TEMPLATE_BLOCK.search(s)) is not None and m.group(1) == name
            and "end" + name not in s,
            "end" + name,
            False,
        )


def mask_display_math(lines: Sequence[str], mask: list[bool]) -> None:
    """Mark display math: ``$$`` lines to their closing ``$$`` and ``\\begin{..}``/``\\end{..}``."""
    for i, line in enumerate(lines):
        s = line.strip()
        if len(s) > 4 and s.startswith("$$") and s.endswith("$$") and "$$" not in s[2:-2]:
            mask[i] = True
    _mask_until(lines, mask, lambda s: s.strip().startswith("$$"), "$$", False)
    _mask_until(lines, mask, lambda s: s.strip().startswith("\\begin{"), "\\end{", True)


_SETEXT_RULE = re.compile(r" {0,3}(={3,}|-{3,})[ \t]*$")


def setext_headings(lines: Sequence[str], skip: Sequence[bool]) -> list[str]:
    """The lines with each one-line setext heading written as an ATX one, line numbers kept.

    "What is X?" underlined with ``===`` or ``---`` is a heading of level 1 or 2; its underline becomes
    an empty line. Only a line standing alone after an empty line (or the file's start) counts, and
    only an underline of three or more, so that front matter, tables, lists and a lone "-" under a line
    stay what they were.

    >>> setext_headings(["", "What is X?", "----------", "X is Y."], [False] * 4)
    ['', '## What is X?', '', 'X is Y.']
    >>> setext_headings(["---", "title: FAQ", "---"], [False] * 3)
    ['---', 'title: FAQ', '---']
    """
    out = list(lines)
    for i in range(len(lines) - 1):
        rule = _SETEXT_RULE.match(lines[i + 1])
        text = lines[i]
        if (
            rule
            and not skip[i]
            and not skip[i + 1]
            and (i == 0 or not lines[i - 1].strip())
            and text.strip()
            and not text.startswith("    ")
            and not text.startswith("\t")
            and not (HEADING.match(text) or LIST_MARK.match(text.lstrip()) or BLOCKQUOTE.match(text))
            and not (SEPARATOR.match(text.strip()) or is_block_html(text) or "|" in text)
        ):
            out[i] = ("#" if rule.group(1)[0] == "=" else "##") + " " + text.strip()
            out[i + 1] = ""
    return out


_HTML_HEADING = re.compile(r" {0,3}<h([1-6])(?:\s[^<>]{0,200})?>(.{1,500}?)</h\1\s*>[ \t]*$", re.I)
# A block of HTML alone on its line whose class names it a question ('<p class="question">Why X?</p>',
# "faq-question"): a page written in HTML that marks its questions so, not with headings
_CLASSED_QUESTION = re.compile(
    r""" {0,3}<(p|div|dt|span|li|strong|b)\s[^<>]{0,200}?\bclass=["'][^"'<>]{0,100}?question[^"'<>]{0,100}["']"""
    r"[^<>]{0,200}>(.{1,500}?)</\1\s*>[ \t]*$",
    re.I,
)
_HTML_HEADING_OPEN = re.compile(r" {0,3}<h([1-6])(?:\s[^<>]{0,200})?>[ \t]*$", re.I)


def html_headings(lines: Sequence[str], skip: Sequence[bool]) -> list[str]:
    """The lines with each HTML heading that stands alone on its line (``<h3>What is X?</h3>``), or on lines
    of its own between its tags, written as an ATX one on its text's first line, line numbers kept: a page
    written in HTML asks its questions in them.

    >>> html_headings(['<h3 id="x">What is X?</h3>', "X is Y.", "<h2>Intro <b>text</h2>"], [False] * 3)
    ['### What is X?', 'X is Y.', '## Intro <b>text']
    >>> html_headings(['<h3 name="x">', "What is X?", "</h3>", "X is Y."], [False] * 4)
    ['', '### What is X?', '', 'X is Y.']
    >>> html_headings(['<h3>What is X?</h3> and more'], [False])
    ['<h3>What is X?</h3> and more']
    >>> html_headings(['<p class="question">What is X?</p>', '<p class="answer">X is Y.</p>'], [False] * 2)
    ['###### What is X?', '<p class="answer">X is Y.</p>']
    """
    out = list(lines)
    for i, line in enumerate(lines):
        m = None if skip[i] else _HTML_HEADING.match(line)
        if m and m.group(2).strip():
            out[i] = "#" * int(m.group(1)) + " " + m.group(2).strip()
            continue
        m = None if skip[i] else _CLASSED_QUESTION.match(line)
        if m and m.group(2).strip():
            out[i] = "###### " + m.group(2).strip()
            continue
        m = None if skip[i] else _HTML_HEADING_OPEN.match(line)
        close = re.compile(rf"[ \t]*</h{m.group(1)}\s*>[ \t]*$", re.I) if m else None
        end = next((k for k in range(i + 1, min(i + 5, len(lines))) if close and close.match(lines[k])), None)
        if m is None or end is None or end == i + 1 or any(skip[i:end + 1]):
            continue
        text = " ".join(t.strip() for t in lines[i + 1 : end])
        out[i : end + 1] = ["", "#" * int(m.group(1)) + " " + text] + [""] * (end - i - 1)
    return out


# A collapsible admonition of MkDocs' Material and Python-Markdown's details extension ('??? question "Why?"',
# '???+ faq "Why?"'), or an open one of the question types ('!!! question "Why?"'), with its title
_ADMONITION = re.compile(r' {0,3}(\?\?\?\+?|!!!)[ \t]+([\w-]+)(?:[ \t]+[\w-]+)*[ \t]+"(.{1,500})"[ \t]*$')
_ASKING_TYPES = frozenset({"question", "faq", "help"})


# A component of MDX pages that folds an answer under its title ('<Accordion title="Why?">', Mintlify's and
# other documentation kits' FAQ blocks), alone on its line, and its closing tag
_ACCORDION = re.compile(
    r'[ \t]*<((?:\w*(?:Accordion|Faq|FAQ|Question)\w*))\b[^<>]{0,300}?\b(?:title|question|header)=(?:"([^"]{1,500})"'
    r"|'([^']{1,500})')[^<>]{0,300}>[ \t]*$"
)
_ACCORDION_END = re.compile(r"[ \t]*</\w*(?:Accordion|Faq|FAQ|Question)\w*>[ \t]*$")
# A question component of MDX with its text between the tags, not in an attribute ('<Q>', the question on the
# lines below, then '<A>' over the answer), and the tags of the answer and the closing ones
_QA_OPEN = re.compile(r"[ \t]*<(?:Q|Question)>[ \t]*$")
_QA_ANSWER = re.compile(r"[ \t]*<(?:A|Answer)>[ \t]*$")
_QA_END = re.compile(r"[ \t]*</(?:Q|Question|A|Answer)>[ \t]*$")


def admonition_headings(lines: Sequence[str], skip: Sequence[bool]) -> list[str]:
    """The lines with each admonition that holds a question written as a heading of level 6 over its
    indented body (the answer), line numbers kept; an admonition that only hides an answer ("Show
    Answer") becomes a blank line, so its body reads as the answer of the question above it. A call-out
    ('!!! note "Warning"') stays as it is.

    >>> admonition_headings(['??? question "Why X?"', "    Because.", '!!! note "Mind Y"'], [False] * 3)
    ['###### Why X?', '    Because.', '!!! note "Mind Y"']
    >>> admonition_headings(['#### 1. Why X?', '??? question "Show Answer"', "    Because."], [False] * 3)
    ['#### 1. Why X?', '', '    Because.']

    An MDX component that folds an answer under its title is read the same way:

    >>> admonition_headings(['  <Accordion title="Why X?">', "    Because.", "  </Accordion>"], [False] * 3)
    ['###### Why X?', '    Because.', '']
    >>> admonition_headings(["<Q>", "  Why X?", "  <A>", "    Because.", "  </A>", "</Q>"], [False] * 6)
    ['', '###### Why X?', '', '    Because.', '', '']
    """
    def heading(title: str) -> str:
        return "" if ANSWER_LABEL.match(title.strip()) else "###### " + title.strip()

    out = list(lines)
    for i, line in enumerate(lines):
        if skip[i]:
            continue
        if accordion := _ACCORDION.match(line):
            out[i] = heading(accordion.group(2) or accordion.group(3))
        elif _ACCORDION_END.match(line) or _QA_END.match(line):
            out[i] = ""
        elif _QA_OPEN.match(line) and (asked := _component_question(lines, skip, i)):
            out[i] = ""
            first, answer = asked
            out[first] = "###### " + " ".join(t.strip() for t in lines[first:answer])
            out[first + 1 : answer + 1] = [""] * (answer - first)
        elif (m := _ADMONITION.match(line)) and (m.group(1) != "!!!" or m.group(2).lower() in _ASKING_TYPES):
            out[i] = heading(m.group(3))
    return out


def _component_question(lines: Sequence[str], skip: Sequence[bool], i: int) -> tuple[int, int] | None:
    """For a question component opened on line ``i``: the first line of its text, and the line of the tag
    that opens its answer (within the six lines after it); None where no answer tag follows its text."""
    text = [k for k in range(i + 1, min(i + 7, len(lines))) if lines[k].strip()]
    answer = next((k for k in text if _QA_ANSWER.match(lines[k])), None)
    if answer is None or answer == text[0] or any(skip[i : answer + 1]):
        return None
    if any("<" in lines[k] for k in range(text[0], answer)):
        return None
    return text[0], answer


# An opening <details> or <summary> tag whose attributes run on over the next lines (a JSX style object of MDX,
# '<summary style={{', closed by '}}>' lines below), and the line that closes it
_OPEN_TAG = re.compile(r"[ \t]*<(details|summary)\b[^<>]{0,300}$", re.I)
_TAG_CLOSE = re.compile(r"\}\}[ \t]*>|^[^<>{}]*>")


def spread_tags(lines: Sequence[str], skip: Sequence[bool]) -> list[str]:
    """The lines with each ``<details>`` or ``<summary>`` tag whose attributes span lines written whole on the
    line that closes it, its attributes dropped and line numbers kept: what follows the tag (a summary's
    text) is then read as on one line with it.

    >>> spread_tags(["<summary style={{", "  color: 'red',", "}}>**Why X?**</summary>", "Because."], [False] * 4)
    ['', '', '<summary>**Why X?**</summary>', 'Because.']
    """
    out = list(lines)
    for i, line in enumerate(lines):
        if skip[i] or (m := _OPEN_TAG.match(line)) is None:
            continue
        for j in range(i + 1, min(i + 30, len(lines))):
            if skip[j] or "<" in lines[j] and not _TAG_CLOSE.search(lines[j].split("<", 1)[0]):
                break  # another tag opens first: not an opening tag spread over lines
            if close := _TAG_CLOSE.search(lines[j]):
                out[i : j + 1] = [""] * (j - i) + [f"<{m.group(1)}>" + lines[j][close.end() :]]
                break
    return out


# A marker over a body indented under it: an admonition of MkDocs' Material or Python-Markdown, with a title or
# without ('!!! note', '??? question ""'), or a content tab of pymdownx.tabbed ('=== "Answer"')
_INDENTED_MARK = re.compile(
    r' *(?:(?:\?\?\?\+?|!!!)[ \t]+[\w-]+(?:[ \t]+[\w-]+)*(?:[ \t]+"(.{0,500})")?|(===\+?)[ \t]+".{0,500}")[ \t]*$'
)
_INDENTED_HEADING = re.compile(r" {4,}(#{1,6}(?:[ \t].*)?)$")


def indented_blocks(lines: Sequence[str], skip: Sequence[bool]) -> list[str]:
    """The lines with each heading in the body of an admonition or a content tab moved to the margin, where
    markdown reads it as one, and the markers that name nothing blank: a tab's label ("Question", "Answer")
    and an admonition without a title. Line numbers are kept; a titled admonition that asks was made a
    heading before (:func:`admonition_headings`).

    >>> indented_blocks(['!!! Question ""', '    === "Question"', "        #### Why X?", "", '    === "Answer"',
    ...                  "        Because."], [False] * 6)
    ['', '', '#### Why X?', '', '', '        Because.']
    >>> indented_blocks(["!!! tip", "    Read the docs.", '!!! note "Mind Y"', "    #### Setup"], [False] * 4)
    ['', '    Read the docs.', '!!! note "Mind Y"', '#### Setup']
    >>> indented_blocks(["Text.", "    #### Not in a block"], [False] * 2)
    ['Text.', '    #### Not in a block']
    """
    out = list(lines)
    within: list[int] = []  # the indents of the markers whose body the line is in
    for i, line in enumerate(lines):
        if skip[i] or not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        while within and indent <= within[-1]:
            within.pop()
        if m := _INDENTED_MARK.match(line):
            if m.group(2) or not (m.group(1) or "").strip():  # a tab's label, or an admonition with no title
                out[i] = ""
            within.append(indent)
        elif within and (h := _INDENTED_HEADING.match(line)):
            out[i] = h.group(1)
    return out


# A container of VitePress and markdown-it ('::: details Why X?', '::: tip', closed by ':::'), a fence of colons
_CONTAINER = re.compile(r" {0,3}(:{3,})[ \t]*(?:([\w-]+)[ \t]*(.{0,500}?))?[ \t]*$")


def container_blocks(lines: Sequence[str], skip: Sequence[bool]) -> list[str]:
    """The lines with each container of VitePress or markdown-it read as the markdown it draws, line numbers
    kept: a ``details`` container whose title asks is a ``<details>`` block with that title as its summary, its
    body the answer; the fences of any other container are blank lines, so their body reads with the text
    around them.

    >>> container_blocks(["::: details Why X?", "Because.", ":::", "::: tip Mind Y", "Text.", ":::"], [False] * 6)
    ['<details><summary>Why X?</summary>', 'Because.', '</details>', '', 'Text.', '']
    >>> container_blocks([":::image source='a.png':::", "::: details Why X?", "Because.", ":::"], [False] * 4)
    ['', '<details><summary>Why X?</summary>', 'Because.', '</details>']
    """
    out = list(lines)
    opened: list[tuple[int, bool]] = []  # for each container open, its fence's length and whether it asks
    for i, line in enumerate(lines):
        if skip[i] or (m := _CONTAINER.match(line)) is None:
            continue
        fence, kind, title = m.group(1), m.group(2), (m.group(3) or "").strip()
        if title.endswith(":::"):  # DocFX's ':::image type="content" ...:::' opens nothing
            out[i] = ""
            continue
        if kind is None or kind.endswith("-end"):  # a closing fence (DocFX: ':::zone-end'): of the innermost
            # container with a fence as long or shorter
            while opened and opened[-1][0] > len(fence):
                opened.pop()
            out[i] = "</details>" if opened and opened.pop()[1] else ""
            continue
        asks = kind.lower() == "details" and any(mark in title for mark in QUESTION_MARKS)
        out[i] = f"<details><summary>{title}</summary>" if asks else ""
        opened.append((len(fence), asks))
    return out


# A block of mdBook's admonish preprocessor: a fence whose info string is "admonish", a type and attributes
# ('~~~admonish question collapsible=true title="Why X?"'), over a body of markdown
_ADMONISH = re.compile(r"[ \t]{0,3}(?:`{3,}|~{3,})[ \t]*admonish\b(?:[ \t]+([\w-]+))?(.{0,1000})$")
_ADMONISH_TITLE = re.compile(r"""\btitle=(?:"([^"]{1,500})"|'([^']{1,500})')""")


def admonish_blocks(lines: Sequence[str]) -> list[str]:
    """The lines with each admonish block of mdBook unfenced, line numbers kept: its body is markdown, not
    code. A block of a question type with a title has that title as a question's heading of level 6 over its
    body (the answer), labelled as a question since its type says it is one; the fences of any other become
    blank lines, so their body reads with the text around them.

    >>> admonish_blocks(['~~~admonish question title="Why X?"', "Because.", "```", "x = 1", "```", "~~~"])
    ['###### Q: Why X?', 'Because.', '```', 'x = 1', '```', '']
    >>> admonish_blocks(["```admonish note", "Mind Y.", "```"])
    ['', 'Mind Y.', '']
    """
    out = list(lines)
    found = any("admonish" in line for line in lines)
    while found:  # a block inside one is a fence of its body, found once the outer one is gone
        found = False
        for i, j in fence_blocks(out):
            if (m := _ADMONISH.match(out[i])) is None:
                continue
            title = _ADMONISH_TITLE.search(m.group(2))
            asks = (m.group(1) or "").lower() in _ASKING_TYPES
            # the type says the title is a question, whether it asks or states a problem ("CMake error: ...")
            out[i] = f"###### Q: {(title.group(1) or title.group(2)).strip()}" if asks and title else ""
            out[j] = ""
            found = True
    return out


#: A question's mark in the scripts that write one: "?", the full-width "？" of Chinese and Japanese, the Arabic "؟"
QUESTION_MARKS = ("?", "？", "؟")


# A Hugo shortcode that folds its body under a title ('{{< details "Why X?" >}}', '{{% expand title="Why X?" %}}'),
# alone on its line, and its closing one
_SHORTCODE_FOLD = re.compile(
    r'[ \t]*\{\{[<%][ \t]*(?:details|expand|accordion|collapse|spoiler)\b[^}"\n]{0,100}?(?:title=)?"([^"\n]{1,500})"'
    r"[^}\n]{0,200}[>%]\}\}[ \t]*$",
    re.I,
)
_SHORTCODE_FOLD_END = re.compile(
    r"[ \t]*\{\{[<%][ \t]*/(?:details|expand|accordion|collapse|spoiler)[ \t]*[>%]\}\}[ \t]*$", re.I
)


def shortcode_details(lines: Sequence[str], skip: Sequence[bool]) -> list[str]:
    """The lines with each Hugo shortcode that folds a body under a title that asks written as the HTML
    block it draws, a ``<details>`` block whose summary is the title, line numbers kept: its body is the
    title's answer, whatever headings it holds. A fold of other text ("Additional information") stays.

    >>> shortcode_details(['{{< details "Why X?" >}}', "## No.", "Because.", "{{< /details >}}"], [False] * 4)
    ['<details><summary>Why X?</summary>', '## No.', 'Because.', '</details>']
    >>> shortcode_details(['{{% expand title="Why X?" %}}', "Because.", "{{% /expand %}}"], [False] * 3)
    ['<details><summary>Why X?</summary>', 'Because.', '</details>']
    >>> shortcode_details(['{{< accordion title="More" >}}', "Text.", "{{< /accordion >}}"], [False] * 3)[0]
    '{{< accordion title="More" >}}'
    """
    out = list(lines)
    opened: list[bool] = []  # for each fold open, whether it was rewritten
    for i, line in enumerate(lines):
        if skip[i]:
            continue
        if m := _SHORTCODE_FOLD.match(line):
            asks = any(mark in m.group(1) for mark in QUESTION_MARKS)
            opened.append(asks)
            if asks:
                out[i] = f"<details><summary>{m.group(1).strip()}</summary>"
        elif _SHORTCODE_FOLD_END.match(line) and opened and opened.pop():
            out[i] = "</details>"
    return out


_UNSPACED_HEADING = re.compile(r" {0,3}(#{1,6})(?=[A-Za-z0-9*_\"'(\[`])")


def unspaced_headings(lines: Sequence[str], skip: Sequence[bool]) -> list[str]:
    """The lines with each heading written without a space after its hashes ("###What is X?", which
    CommonMark reads as text) written with one, when the file writes at least three questions so:
    then the hashes mark its headings, not a hashtag.

    >>> unspaced_headings(["#Quiz", "###Why?", "A.", "###How?", "B.", "###When?", "C."], [False] * 7)
    ['# Quiz', '### Why?', 'A.', '### How?', 'B.', '### When?', 'C.']
    >>> unspaced_headings(["#Quiz", "###Why?", "A."], [False] * 3)
    ['#Quiz', '###Why?', 'A.']
    """
    found = [i for i, line in enumerate(lines) if not skip[i] and _UNSPACED_HEADING.match(line)]
    if sum(lines[i].rstrip().endswith("?") for i in found) < 3:
        return list(lines)
    out = list(lines)
    for i in found:
        m = _UNSPACED_HEADING.match(lines[i])
        assert m is not None
        out[i] = lines[i][: m.end()] + " " + lines[i][m.end() :]
    return out


# A line opened by a number written as an emoji, in GitHub's shortcode (":one:" to ":keycap_ten:") or as a keycap
# ("1\ufe0f\u20e3", "\U0001f51f"): a numbered item, as "1." opens one
_EMOJI_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_EMOJI_NUMBER = re.compile(
    r"(?P<indent>[ \t]*)(?::(?P<word>" + "|".join(_EMOJI_DIGITS) + r"|keycap_ten):"
    r"|(?P<keycap>\d)\ufe0f?\u20e3|\U0001f51f)[ \t]+(?=\S)"
)


def emoji_numbers(lines: Sequence[str], skip: Sequence[bool]) -> list[str]:
    """The lines with a number emoji that opens a line written as the number of a list item, line numbers kept.

    >>> lines = [":one: What is X?", "3\ufe0f\u20e3 Why Y?", "\U0001f51f How?", "a :two: b", ":one:"]
    >>> emoji_numbers(lines, [False] * 5)
    ['1. What is X?', '3. Why Y?', '10. How?', 'a :two: b', ':one:']
    """
    out = list(lines)
    for i, line in enumerate(lines):
        m = None if skip[i] else _EMOJI_NUMBER.match(line)
        if m is None:
            continue
        word, keycap = m.group("word"), m.group("keycap")
        number = _EMOJI_DIGITS.index(word) if word in _EMOJI_DIGITS else int(keycap) if keycap else 10
        out[i] = f"{m.group('indent')}{number}. {line[m.end():]}"
    return out


# A paragraph that is one link to its own anchor, which an attribute list gives it ('[__Why?__](#why){ #why }',
# MkDocs' attr_list): a permalink, not an entry of a table of contents
_PERMALINK = re.compile(r"[ \t]*\[([^\]\n]{1,500})\]\(#([\w:.-]+)\)[ \t]*\{[ \t]*#([\w:.-]+)[^{}\n]{0,200}\}[ \t]*$")


def permalink_labels(lines: Sequence[str], skip: Sequence[bool]) -> list[str]:
    """The lines with each paragraph that only links to itself written as its label, line numbers kept.

    >>> permalink_labels(["[__Why X?__](#why-x){ #why-x }", "[Why Y?](#why-y)"], [False] * 2)
    ['__Why X?__', '[Why Y?](#why-y)']
    """
    out = list(lines)
    for i, line in enumerate(lines):
        m = None if skip[i] else _PERMALINK.match(line)
        if m and m.group(2) == m.group(3):
            out[i] = m.group(1).strip()
    return out


_DEFINITION = re.compile(r":[ \t]+(?=\S)")


def definition_questions(lines: Sequence[str], skip: Sequence[bool]) -> list[str]:
    """The lines with each term of a definition list that asks ("What is it?" over ": It is ...", the
    definition lists of PHP Markdown Extra, pandoc and Python-Markdown) written as a heading of level 6 and
    its definitions' ": " markers dropped, line numbers kept. A term that does not ask stays as written.

    >>> definition_questions(["What is it?", "", ": A tool.", ": Also a library.", "", "Why?", ": Speed."], [False] * 7)
    ['###### What is it?', '', 'A tool.', 'Also a library.', '', '###### Why?', 'Speed.']
    >>> definition_questions(["**Speed**", ": It is fast."], [False] * 2)
    ['**Speed**', ': It is fast.']
    """
    def defines(k: int) -> bool:
        return k < len(lines) and not skip[k] and bool(_DEFINITION.match(lines[k]))

    out = list(lines)
    i = 0
    while i < len(lines):
        term = lines[i].strip()
        j = i + 1 if i + 1 < len(lines) and lines[i + 1].strip() else i + 2
        if (
            skip[i]
            or not term.rstrip("*_ ").endswith("?")
            or lines[i].startswith((" ", "\t"))
            or HEADING.match(lines[i])
            or LIST_MARK.match(term)
            or not defines(j)
        ):
            i += 1
            continue
        out[i] = "###### " + term
        k = j
        while defines(k) or (k < len(lines) and not lines[k].strip() and defines(k + 1)):  # a blank line between
            out[k] = _DEFINITION.sub("", lines[k], count=1)
            k += 1
        i = k
    return out


# An attribute list right after an inline element that ends a line ('* **Why X?**{ #why-x }', MkDocs' and
# markdown-it's attr_list): the element's anchor or class, markup, not text
_INLINE_ATTRIBUTES = re.compile(r"(?<=[*_`)])\{[ \t]*[#.:][^{}\n]{0,200}\}[ \t]*$")


def inline_attributes(lines: Sequence[str], skip: Sequence[bool]) -> list[str]:
    """The lines with the attribute list that ends a line after an inline element dropped, line numbers kept.

    >>> inline_attributes(["* **Why X?**{ #why-x }", "a {#b}", "`f(){ x }`"], [False] * 3)
    ['* **Why X?**', 'a {#b}', '`f(){ x }`']
    """
    return [line if skip[i] else _INLINE_ATTRIBUTES.sub("", line) for i, line in enumerate(lines)]


# A heading's attribute block ("## Why? {#why}", "{#id .class}"), which kramdown, pandoc and the
# static-site generators read as the heading's anchor: markup, not text.
_HEADING_ATTRIBUTES = re.compile(r"\s+\{#[\w:.-]+(?:\s+[^{}\n]{0,200})?\}\s*$")


def strip_closing_hashes(s: str) -> str:
    """Heading text without closing hashes ("## Q ##") or a trailing attribute block ("## Q {#q}")."""
    s = _HEADING_ATTRIBUTES.sub("", s.strip())
    t = s.rstrip("#")
    return t.rstrip() if t != s and (not t or t[-1] in " \t") else s


def is_block_html(s: str) -> bool:
    return bool(_BLOCK_HTML.match(s.strip()))
