"""Markdown to plain text for NLP (:func:`plain_text`), and to one line for display (:func:`display_text`).

The NLP text drops what has no prose reading (code blocks, images, link targets, display math, HTML
tags, emoji) and keeps what does (link text, inline code, table cells, simple inline math), one block
a line. The display text drops only the marks of markdown formatting and keeps every character a
reader wrote, raw HTML included.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from kg.parse.lines import (
    BLOCKQUOTE,
    FENCE,
    HEADING,
    LIST_MARK,
    REF_DEF,
    SEPARATOR,
    TABLE_RULE,
    code_mask,
    fence_blocks,
    is_block_html,
    mask_display_math,
    mask_template_blocks,
    split_lines,
    strip_closing_hashes,
)
from kg.text import GREEK_LETTERS, around_matches


def plain_text(markdown: str) -> str:
    """Markdown/HTML to plain prose for NLP.

    Drops fenced code, images, HTML comments, link targets, bare URLs, display math, LaTeX that
    has no plain reading and site-generator template tags (Liquid and Jinja tags, the code of their
    ``highlight`` blocks, Hugo shortcodes); keeps link text, inline code, table cell
    text and simple inline math (``$L_1$`` becomes ``L1``). Removes emphasis marks, HTML tags, emoji
    and ``:shortcode:`` emoji, and runs of three or more asterisks used as markers. Lines of one
    paragraph are joined; blocks (paragraphs, list items, headings, table cells) end up on lines of
    their own.

    Parameters
    ----------
    markdown : str

    Returns
    -------
    str

    Examples
    --------
    >>> plain_text("**What is [L1](https://x.org/l1) ($L_1$) <b>loss</b>? 👶 ***")
    'What is L1 (L1) loss?'
    >>> plain_text("Text\\n```python\\nx = 1\\n```\\n![img](a.png)\\n- item `code`")
    'Text\\nitem code'
    >>> plain_text("Run [`kg set [target] --jobs=#`](../ref/kg-set/) to change it.")
    'Run kg set [target] --jobs=# to change it.'
    >>> plain_text("> NOTE There is no way back.\\n\\n**Warning:** it deletes."), plain_text("NOTES are kept.")
    ('There is no way back.\\nit deletes.', 'NOTES are kept.')
    """
    lines = split_lines(markdown)
    skip = [False] * len(lines)
    if len(lines) > 1:  # one line holds no block; inline rules below cover ``$$x$$`` there
        skip = code_mask(lines)
        mask_display_math(lines, skip)
        mask_template_blocks(lines, skip)
    blocks: list[str] = []
    joinable = False  # may the next plain line continue the previous block?
    in_table = False  # under a table's rule: a row may leave out its outer pipes ("63|Ethiopia|Addis Ababa")
    for k, (line, skipped) in enumerate(zip(lines, skip)):
        if skipped:
            joinable = in_table = False
            continue
        s = line.strip()
        if not s:
            in_table = False
        elif TABLE_RULE.match(s) and "|" in s:
            in_table = True
        row = "|" in s and (in_table or (k + 1 < len(lines) and "|" in lines[k + 1]
                                          and TABLE_RULE.match(lines[k + 1].strip()) is not None))
        if (
            not s
            or SEPARATOR.match(s)
            or TABLE_RULE.match(s)
            or REF_DEF.match(s)
            or FENCE.fullmatch(s)  # an unclosed fence or display-math mark
            or s == "$$"
            or _code_line(s)
        ):
            joinable = False
            continue
        block_start = True
        pasted_row = False
        if s.startswith("|") or row:
            cells = [_clean_inline(c) for c in s.strip("|").split("|")]
            # one line per cell: a row is no sentence, and "Criteria, Uses X" must not read as "criteria use X"
            text = "\n".join(c for c in cells if c)
        else:
            m = HEADING.match(s)
            if m:
                s = strip_closing_hashes(s[m.end() :])
            else:
                s = BLOCKQUOTE.sub("", s)
                m = LIST_MARK.match(s)
                if m:
                    s = s[m.end() :]
                else:
                    # a label opens a field of its own ("**Correct answer:** C" over "**Explanation:** ...", "*Answer:
                    # B*"), and so does a quiz's option ("A) Eth-" over "B) Meth-")
                    block_start = not joinable or _FIELD_START.match(s) is not None
                if block_start:
                    s = _ADMONITION.sub("", s, count=1)
            pasted_row = "\t" in s and "`" not in s
            if pasted_row:
                # a tab between words parts the cells of a table pasted from a page ("Offers error checking<TAB>No
                # error checking"): a cell a line, as for a pipe row, or the last words of one run into the next
                block_start = True
                text = "\n".join(c for c in map(_clean_inline, _TAB_CELLS.split(s)) if c)
            else:
                text = _clean_inline(s)
        if not text:
            continue
        if block_start or not blocks:
            blocks.append(text)
        else:
            blocks[-1] = f"{blocks[-1]} {text}"
        joinable = not pasted_row and not is_block_html(s)
    text = "\n".join(blocks)
    return _rejoin_broken_words(text) if "- " in text else text


# Lines of C-family code pasted without a fence: a brace alone, a preprocessor line, a statement or a block
# opener with a sign of code in it ("int n = 0;", "cout << x;", "f (T &other);", "void f() {"), a call alone
# ("main()").
_LONE_CODE = re.compile(r"[{}()\];]{1,3}|#(?:include|define|pragma|ifn?def|endif|import)\b.*|[A-Za-z_]\w*\([^()\s]*\)")
_CODE_SIGN = re.compile(r"\w\(|=|<<|>>|::|->|&\w+\)|^[^\s]+$")


def _code_line(s: str) -> bool:
    """Whether a stripped line outside a fence is a line of code: prose does not end in ";", "{" or "}" with
    an assignment, a call or an operator of code in it.

    Examples
    --------
    >>> [_code_line(s) for s in ("usingnamespacestd;", "int numbers[5], sum = 0;", "}", "intmain()", "#include")]
    [True, True, True, True, True]
    >>> [_code_line(s) for s in ("It is fast; it is small;", "Use {braces}.", "L2 = sqrt{x}", "write C++;")]
    [False, False, False, False]
    """
    if _LONE_CODE.fullmatch(s):
        return True
    # "}" ends math too ("L2 = sqrt{x}"): a block that closes there is code when it holds a statement
    return (s.endswith((";", "{")) or s.endswith("}") and ";" in s) and _CODE_SIGN.search(s) is not None


_FIELD_START = re.compile(
    r"(?:\*{1,2}|_{1,2})[^*_\n]{1,40}?(?::|(?:\*{1,2}|_{1,2}):)"  # an emphasised label
    r"|(?i:(?:correct\s+)?answer|explanation|solution)s?\s*:"  # an answer's label
    r"|(?:\*\*|__)?\(?[A-Ha-h]\)(?:\*\*|__)?[ \t]"  # an option: "A) ", "(b) ", "**C)** "
)


# A note's label opening a block or a sentence ("> NOTE There is no way back", "**Warning:** it deletes", "... be?
# Hint: ..."), not one word of a longer label ("**Exam Tip:**"): a mark of the page,
# no word of its sentence ("INFO" without a colon may be a log level: "INFO logs are verbose")
_ADMONITION = re.compile(r"(?<![A-Za-z] )(?:\*\*|__)?(?:(?:NOTE|WARNING|TIP|IMPORTANT|CAUTION)\b(?:\*\*|__)?:?"
                         r"|(?i:note|warning|tip|important|caution|danger|info|hint)(?:\*\*|__)?:(?:\*\*|__)?)[ \t]+"
                         r"(?=\S)")


# A word broken by a hyphen at a line's end, as text copied from a typeset page has it ("predict-" then
# "ors", read as "predict- ors" once the lines are joined, or written so: "suc- cesses").
_BROKEN = re.compile(r"\b([A-Za-z]{2,})- ([a-z]{2,})\b")
WORD_ZIPF = 2.5  # how common in English the rejoined word must be: "single- or" is no broken "singleor"


def _rejoin_broken_words(text: str) -> str:
    """``text`` with each word broken by a hyphen and a space made whole again where the whole is an English
    word; a prefix shared by two words ("micro- and macro-averaging") is left as it is.

    >>> _rejoin_broken_words("the output of the single predict- ors, micro- and macro-F1")
    'the output of the single predictors, micro- and macro-F1'
    """
    from wordfreq import zipf_frequency

    def whole(m: re.Match[str]) -> str:
        word = m.group(1) + m.group(2)
        return word if zipf_frequency(word.lower(), "en") >= WORD_ZIPF else m.group(0)

    return _BROKEN.sub(whole, text)


@lru_cache(maxsize=8192)
def plain_short(text: str) -> str:
    """:func:`plain_text` of question-sized strings, which are cleaned several times."""
    return plain_text(text)


# Contents exclude their own opening character where they can, and repeats are bounded, so that
# no pattern rescans a long line from every position (lines of 20,000+ characters do occur).
_CODE_SPAN = re.compile(r"(?<!`)(`{1,16})(?!`)(.{1,2000}?)(?<!`)\1(?!`)")
_URL_PART = r"\((?:[^()\n]|\([^()\n]{0,200}\)){0,1000}\)"
_IMAGE = re.compile(r"!\[[^\[\]\n]{0,500}\]" + _URL_PART)
# a link's text may hold code with brackets in it: [`kg set [target]`](url)
_LINK = re.compile(r"\[((?:[^\[\]\n`]|`[^`\n]{0,200}`|\[[^\[\]\n]{0,50}\]){0,500})\]" + _URL_PART)  # "[[src]](...)"
_REF_LINK = re.compile(r"\[([^\[\]\n]{1,500})\]\[[^\[\]\n]{0,200}\]")
_AUTOLINK = re.compile(r"<(?:https?|ftp|mailto):[^<>\s]{1,2000}>", re.I)
# an address of any scheme, not the web's alone: "chrome-extension://…/viewer.html", "s3://bucket/key"
_URL = re.compile(r"\b[a-z][a-z0-9+.-]{0,30}://\S{1,2000}", re.I)
_IMG_TAG = re.compile(r"<img\b[^<>]{0,2000}>", re.I)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]{0,30}(?:\s[^<>]{0,2000})?/?>")
# Tags that break a line or close a cell or a block: the words either side are not one word
# ("<td>grok-3</td><td>10,288</td>" is no "grok-310,288").
_BREAK = re.compile(
    r"<br\s*/?>|</?(?:td|th|tr|li|p|div|dt|dd|h[1-6]|table|thead|tbody|ul|ol|blockquote|summary|details)\b[^<>]{0,2000}>",
    re.I,
)
_DISPLAY_MATH = re.compile(r"\$\$[^$\n]{0,3000}\$\$")
_PAREN_MATH = re.compile(r"\\\(((?:[^\\\n]|\\(?![()])){0,1000})\\\)")
_INLINE_MATH = re.compile(r"(?<![\\$\w])\$(?=\S)([^$\n]{1,500}?)(?<=[^\s\\])\$(?![\d$])")
# Second chance for math written loosely (``$x = 1 $``): only when the span holds TeX signs.
_LOOSE_MATH = re.compile(r"(?<![\\$])\$([^$\n]{1,300}?)\$(?!\$)")
_TEX_SIGNS = re.compile(r"[\\^_{}=]")
_TEX_LEFTOVER = re.compile(r"\\[A-Za-z]+")
_CODE_NOISE = re.compile(r"\*\*|</?(?:a|b|i|em|strong|code|sup|sub|span|u)\b[^<>]{0,500}>", re.I)
_STRONG = re.compile(
    r"\*\*(?=\S)((?:[^*\n]|\*(?!\*)){1,500}?)(?<=\S)\*\*"
    r"|__(?=\S)((?:[^_\n]|_(?!_)){1,500}?)(?<=\S)__"
)
_EM_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]{1,2000}?)(?<=[^\s*])\*(?![\w*])")
_EM_UNDER = re.compile(r"(?<![\w_])_(?=[^\s_])([^_\n]{1,2000}?)(?<=[^\s_])_(?![\w_])")
_STRIKE = re.compile(r"~~(?=\S)((?:[^~\n]|~(?!~)){1,500}?)(?<=\S)~~")
_STARS = re.compile(r"\*{2,}")  # unpaired bold marks and "***" markers
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>$])")
_SHORTCODE = re.compile(r"(?<![\w:]):[a-z][a-z0-9_+-]{1,40}:(?![\w:])")
_SPACES = re.compile(r"[ \t\u00a0]+")
_TAB_CELLS = re.compile(r" *\t[ \t]*")
# Site-generator markup, which the site replaces when it builds the page: Liquid and Jinja tags
# (``{% include [faq-x](x.md) %}``) and Hugo shortcodes (``{{< note >}}``). An output (``{{ name }}``) stays:
# in an Angular or Vue bank it is the subject, and its name is often the term it prints.
# Template tags, Jekyll's variables ("{{ site.title }}"; an interpolation such as "{{ user.name }}" is what
# Angular's and Vue's banks are about) and kramdown's attribute lists ("{: #anchor}", "{: .note}")
_TEMPLATE = re.compile(r"\{%.{0,2000}?%\}|\{\{[<%].{0,2000}?[>%]\}\}"
                       r"|\{\{ ?(?:site|page|layout|jekyll)\.[\w.-]{1,200} ?\}\}|\{:[^{}\n]{0,500}\}")
_TEX_WORDS = {
    **GREEK_LETTERS,  # a letter, which the extractor reads as a variable, not the word "gamma"
    "le": "<=", "leq": "<=", "ge": ">=", "geq": ">=", "neq": "!=", "ne": "!=", "approx": "~",
    "times": "x", "cdot": "*", "pm": "+-", "infty": "infinity", "log": "log", "ln": "ln",
    "exp": "exp", "in": "in", "to": "->", "rightarrow": "->", "sim": "~", "mid": "|",
    "ldots": "...", "dots": "...", "cdots": "...", "quad": " ", "qquad": " ", ",": " ", ";": " ",
    "max": "max", "min": "min", "sum": "sum", "prod": "prod", "partial": "d", "nabla": "grad",
}
_TEX_TEXT = re.compile(
    r"\\(?:text|mathrm|mathbf|mathit|mathcal|operatorname|textbf|textit)\{([^{}]{0,200})\}"
)
_TEX_CMD = re.compile(r"\\([A-Za-z]+|[,;])")


_NUMBER_BELOW = re.compile(r"_(?=\{?\d)")


def _math_to_text(expr: str) -> str:
    """A plain reading of simple inline TeX (``L_1``, ``\\alpha = 0.5``); '' when there is none."""
    s = _TEX_TEXT.sub(r"\1", expr)
    unknown = False

    def word(m: re.Match) -> str:
        nonlocal unknown
        w = _TEX_WORDS.get(m.group(1))
        if w is None:
            unknown = True
            return ""
        return f" {w} " if w.isalpha() else w

    s = _TEX_CMD.sub(word, s)
    if unknown:
        return ""
    # A number below a letter reads as part of its name ("L_1" is L1); a letter below one is an index
    # ("B_n", "x_{ij}"), and the underscore stays, so that "Bn" is never read as the acronym BN
    s = _NUMBER_BELOW.sub("", s).replace("{", "").replace("}", "")
    s = _SPACES.sub(" ", s).strip()
    return s if re.search(r"\w", s) else ""


_EMOJI = re.compile(
    "[\U0001F000-\U0001FAFF\uFE0E\uFE0F\u200D\u20E3\u2300-\u23FF\u2460-\u24FF"
    "\u25A0-\u25FF\u2600-\u27BF\u2B00-\u2BFF\u3030\u303D\u3297\u3299]"
)


def _drop_comments(s: str) -> str:
    out, pos = [], 0
    while (i := s.find("<!--", pos)) >= 0:
        j = s.find("-->", i + 4)
        if j < 0:
            break
        out.append(s[pos:i] + " ")
        pos = j + 3
    return "".join(out) + s[pos:]


def _clean_prose(s: str) -> str:
    # Each step only runs when its trigger character is there: most lines are plain prose.
    if "<" in s:
        s = _drop_comments(s)
        s = _AUTOLINK.sub(" ", s)
        s = _BREAK.sub(" ", s)
        s = _IMG_TAG.sub(" ", s)
        s = _TAG.sub("", s)
    if "$" in s or "\\" in s:
        s = _DISPLAY_MATH.sub(" ", s)
        s = _PAREN_MATH.sub(lambda m: _math_to_text(m.group(1)), s)
        s = _INLINE_MATH.sub(lambda m: _math_to_text(m.group(1)), s)
        s = _LOOSE_MATH.sub(
            lambda m: _math_to_text(m.group(1)) if _TEX_SIGNS.search(m.group(1)) else m.group(0), s
        )
        s = _TEX_LEFTOVER.sub(" ", s)
    if "://" in s:
        s = _URL.sub(" ", s)
    if "*" in s or "_" in s or "~" in s:
        for _ in range(2):  # twice for nested emphasis: ***x*** and **_x_**
            before = s
            s = _STRONG.sub(lambda m: m.group(1) or m.group(2), s)
            s = _EM_STAR.sub(r"\1", s)
            s = _EM_UNDER.sub(r"\1", s)
            if s == before:
                break
        s = _STRIKE.sub(r"\1", s)
        s = _STARS.sub(" ", s)
    if "\\" in s:
        s = _ESCAPE.sub(r"\1", s)
    if ":" in s:
        s = _SHORTCODE.sub(" ", s)
    return s


def _no_template(s: str) -> str:
    return _TEMPLATE.sub(" ", s)


def _drop_templates(s: str) -> str:
    """``s`` without its template tags, those written as code (```{% raw %}```) kept."""
    if "`" not in s:
        return _no_template(s)
    return around_matches(_CODE_SPAN, s, _no_template, lambda m: m.group(0))


def _code_text(m: re.Match[str]) -> str:
    """The text the plain text keeps of a match of ``_CODE_SPAN``: the code, without emphasis marks and tags."""
    return _CODE_NOISE.sub("", m.group(2)).strip()


def _clean_inline(s: str) -> str:
    if "{" in s:  # before links: an include tag's link text is a file's name
        s = _drop_templates(s)
    if "[" in s:
        s = _IMAGE.sub(" ", s)
        s = _LINK.sub(r"\1", s)
        s = _REF_LINK.sub(r"\1", s)
    if "`" in s:
        s = around_matches(_CODE_SPAN, s, _clean_prose, _code_text)
    else:
        s = _clean_prose(s)
    if "&" in s:
        s = html.unescape(s)
    if not s.isascii():
        s = _EMOJI.sub("", s)
    s = _SPACES.sub(" ", s).strip()
    # Space left before punctuation by a dropped marker or emoji ("loss ?" -> "loss?").
    return re.sub(r" ([?.,:;!)])(?=\s|$)", r"\1", s) if " " in s else s


#: A command-line option in code ("-t", "--edit-format"): what follows it in a command is its value, no name
CLI_OPTION = re.compile(r"(?<![\w-])--?[A-Za-z]")


def code_ranges(markdown: str, text: str) -> list[tuple[int, int]]:
    """Where the inline code of ``markdown`` that holds more than one word, or is a path or an option, lies
    in ``text``, its plain text (:func:`plain_text`): character offsets, in order. The plain text keeps
    inline code as words; these tell the concept reader which words were code ("`transaction too large`",
    "`const x = 1`", "`./p`"), so that no name runs from the prose into the code or out of it. Code not
    found as written is left out.

    Examples
    --------
    >>> md = "The error `transaction too large` is shown; `x` alone is a name, `./p` is a folder."
    >>> text = plain_text(md)
    >>> [text[a:b] for a, b in code_ranges(md, text)]
    ['transaction too large', './p']
    """
    if "`" not in markdown:
        return []
    out: list[tuple[int, int]] = []
    at = 0
    for m in _CODE_SPAN.finditer(markdown):
        body = " ".join(html.unescape(_code_text(m)).split())  # as the plain text ends up writing it
        if " " not in body and "/" not in body and not CLI_OPTION.match(body):
            continue  # one word, neither a path ("./p") nor an option ("--force"): a name
        i = text.find(body, at)
        if i >= 0:
            out.append((i, i + len(body)))
            at = i + len(body)
    return out


# ------------------------------------------------------------------------------------------------
# Display text: markdown formatting dropped, every written character kept

#: Inline HTML tags whose text is code, shown as written ("What if <code>kill -9</code> fails?").
HTML_CODE_TAGS = ("code", "kbd", "tt", "samp")
_DEST = r"\(\s*<?(?P<{0}>(?:[^()\s<>]|\([^()\s]{{0,200}}\)){{0,2000}})>?(?:\s+\"[^\"\n]*\"|\s+'[^'\n]*')?\s*\)"
# One pass from left to right, so that what one rule produces is never read again by another: an
# entity is decoded once, and an escaped or decoded "*" is never an emphasis mark.
_DISPLAY_TOKEN = re.compile(
    r"(?P<escape>\\[!-/:-@\[-`{-~])"
    r"|(?P<code>(?<!`)(?P<ticks>`{1,16})(?!`)(?P<body>(?:(?!(?P=ticks)).){1,2000}?)(?<!`)(?P=ticks)(?!`))"
    r"|(?P<math>\$\$.{1,5000}?\$\$|(?<![\\$\w])\$(?=\S)[^$\n]{1,500}?(?<=\S)\$(?!\d))"
    r"|!\[(?P<alt>[^\[\]\n]{0,500})\]" + _DEST.format("src")
    + r"|\[(?P<text>(?:[^\[\]\n]|\[[^\[\]\n]{0,50}\]){0,500})\]" + _DEST.format("href")  # "[[src]](...)" too
    + r"|<(?P<auto>(?:https?|ftp|mailto):[^<>\s]{1,2000})>"
    + rf"|<(?P<tag>(?i:{'|'.join((*HTML_CODE_TAGS, 'b', 'i', 'em', 'strong'))}))>(?P<inner>[^<>]{{1,2000}}?)</(?P=tag)>"
    r"|(?P<entity>&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
    r"|(?P<private>[\ue000-\uf8ff])",
    re.S,
)
# Every character a rule of display_text starts at: a token of _DISPLAY_TOKEN ("![" starts with "["),
# an emphasis or strike mark, a fence, a held placeholder. Text without any is shown as it is, its runs of
# white space made one space.
_MARKUP = re.compile("[\\\\`$\\[<&*_~\ue000-\uf8ff]")
_PRIVATE = 0xF900 - 0xE000  # characters in the private-use area
_HELD = re.compile("[\ue000-\uf8ff]{2}")  # a placeholder for text already final


def display_text(markdown: str) -> str:
    r"""Markdown as one line of text to show: formatting marks dropped, every written character kept.

    Emphasis marks, backticks and backslash escapes go, and so do inline code and emphasis tags
    (``<code>``, ``<kbd>``, ``<b>``, ``<i>``…) around text without tags; a link or an image becomes its
    text and its address in brackets; HTML entities are decoded once. Other raw HTML stays as
    written, as do math, code and block marks (list numbers, ``>``). A fenced code block keeps its code and loses
    its fence lines, info string included ("javascript" is not part of the question). Runs of
    white space become one space.

    Parameters
    ----------
    markdown : str

    Returns
    -------
    str

    Examples
    --------
    >>> display_text("What does <img src=x> do to **dropout**?")
    'What does <img src=x> do to dropout?'
    >>> display_text("Is `a*b*c` &amp;lt; [L1](https://x.org/l1) or ![plot](p.png) \\*?")
    'Is a*b*c &lt; L1 (https://x.org/l1) or plot (p.png) *?'
    >>> display_text("What's the output?\n```javascript\nlet a = *b*;\n```")
    "What's the output? let a = *b*;"
    >>> display_text("What if <code>kill -9</code> fails on <b>*nix</b>, or <code>a &lt; b</code>?")
    'What if kill -9 fails on *nix, or a < b?'
    """
    if _MARKUP.search(markdown) is None:  # no rule below can match: most questions of a bank
        return " ".join(markdown.split())
    return _display_marked(markdown)


def _display_marked(markdown: str) -> str:
    """:func:`display_text` of text with a character some rule may start at."""
    held: list[str] = []

    def hold(text: str) -> str:
        # Final text stands in the line as two private-use characters (its index), which no rule
        # below reads; private-use characters of the source are held too, so all left are these.
        held.append(text)
        return chr(0xE000 + (len(held) - 1) // _PRIVATE) + chr(0xE000 + (len(held) - 1) % _PRIVATE)

    def token(m: re.Match) -> str:
        kind = m.lastgroup
        if kind == "escape":
            return hold(m.group(0)[1])
        if kind == "code":
            return hold(m.group("body"))
        if kind in ("math", "private"):
            return hold(m.group(0))
        if kind == "auto":
            return hold(m.group("auto"))
        if kind == "entity":
            return hold(html.unescape(m.group(0)))
        if kind == "inner":  # code or emphasis written as HTML: its text, as for backticks and stars
            inner = m.group("inner")
            return hold(html.unescape(inner)) if m.group("tag").lower() in HTML_CODE_TAGS else inline(inner)
        if m.group("src") is not None:
            return f"{inline(m.group('alt'))} {hold('(' + html.unescape(m.group('src')) + ')')}".lstrip()
        return f"{inline(m.group('text'))} {hold('(' + html.unescape(m.group('href')) + ')')}".lstrip()

    def inline(text: str) -> str:
        return _DISPLAY_TOKEN.sub(token, text)

    if "```" in markdown or "~~~" in markdown:  # a fenced block's code is held whole, its fence lines dropped
        lines = markdown.split("\n")
        parts, start = [], 0
        for i, j in fence_blocks(lines):
            parts += [inline("\n".join(lines[start:i])), hold("\n".join(lines[i + 1 : j]))]
            start = j + 1
        s = "\n".join([*parts, inline("\n".join(lines[start:]))])
    else:
        s = inline(markdown)
    if "*" in s or "_" in s or "~" in s:
        for _ in range(2):  # twice for nested emphasis: ***x*** and **_x_**
            before = s
            s = _STRONG.sub(lambda m: m.group(1) or m.group(2), s)
            s = _EM_STAR.sub(r"\1", s)
            s = _EM_UNDER.sub(r"\1", s)
            if s == before:
                break
        s = _STRIKE.sub(r"\1", s)
    s = _HELD.sub(lambda m: held[(ord(m.group(0)[0]) - 0xE000) * _PRIVATE + ord(m.group(0)[1]) - 0xE000], s)
    return " ".join(s.split())


@lru_cache(maxsize=8192)
def display_short(text: str) -> str:
    """:func:`display_text` of question-sized strings, which are shown many times."""
    return display_text(text)
