"""Markdown to plain text for NLP: :func:`plain_text`.

Drops what has no prose reading (code blocks, images, link targets, display math, HTML tags,
emoji) and keeps what does (link text, inline code, table cells, simple inline math), one block a
line.
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
    fence_mask,
    is_block_html,
    mask_comments,
    mask_display_math,
    split_lines,
    strip_closing_hashes,
)


def plain_text(markdown: str) -> str:
    """Markdown/HTML to plain prose for NLP.

    Drops fenced code, images, HTML comments, link targets, bare URLs, display math and LaTeX that
    has no plain reading; keeps link text, inline code, table cell text and simple inline math
    (``$L_1$`` becomes ``L1``). Removes emphasis marks, HTML tags, emoji and ``:shortcode:`` emoji,
    and runs of three or more asterisks used as markers. Lines of one paragraph are joined; blocks
    (paragraphs, list items, headings, table cells) end up on lines of their own.

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
    """
    lines = split_lines(markdown)
    skip = [False] * len(lines)
    if len(lines) > 1:  # one line holds no block; inline rules below cover ``$$x$$`` there
        skip = fence_mask(lines)
        mask_comments(lines, skip)
        mask_display_math(lines, skip)
    blocks: list[str] = []
    joinable = False  # may the next plain line continue the previous block?
    for line, skipped in zip(lines, skip):
        if skipped:
            joinable = False
            continue
        s = line.strip()
        if (
            not s
            or SEPARATOR.match(s)
            or TABLE_RULE.match(s)
            or REF_DEF.match(s)
            or FENCE.fullmatch(s)  # an unclosed fence or display-math mark
            or s == "$$"
        ):
            joinable = False
            continue
        block_start = True
        if s.startswith("|"):
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
                    block_start = not joinable
            text = _clean_inline(s)
        if not text:
            continue
        if block_start or not blocks:
            blocks.append(text)
        else:
            blocks[-1] = f"{blocks[-1]} {text}"
        joinable = not is_block_html(s)
    return "\n".join(blocks)


@lru_cache(maxsize=8192)
def plain_short(text: str) -> str:
    """:func:`plain_text` of question-sized strings, which are cleaned several times."""
    return plain_text(text)


# Contents exclude their own opening character where they can, and repeats are bounded, so that
# no pattern rescans a long line from every position (lines of 20,000+ characters do occur).
_CODE_SPAN = re.compile(r"(?<!`)(`{1,16})(?!`)(.{1,2000}?)(?<!`)\1(?!`)")
_URL_PART = r"\((?:[^()\n]|\([^()\n]{0,200}\)){0,1000}\)"
_IMAGE = re.compile(r"!\[[^\[\]\n]{0,500}\]" + _URL_PART)
_LINK = re.compile(r"\[([^\[\]\n]{0,500})\]" + _URL_PART)
_REF_LINK = re.compile(r"\[([^\[\]\n]{1,500})\]\[[^\[\]\n]{0,200}\]")
_AUTOLINK = re.compile(r"<(?:https?|ftp|mailto):[^<>\s]{1,2000}>", re.I)
_URL = re.compile(r"\bhttps?://\S{1,2000}", re.I)
_IMG_TAG = re.compile(r"<img\b[^<>]{0,2000}>", re.I)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]{0,30}(?:\s[^<>]{0,2000})?/?>")
_BR = re.compile(r"<br\s*/?>", re.I)
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
_GREEK = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi "
    "pi rho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi "
    "Psi Omega"
).split()
_TEX_WORDS = {
    **{g: g for g in _GREEK},
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
    s = s.replace("{", "").replace("}", "").replace("_", "")
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
        s = _BR.sub(" ", s)
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


def _clean_inline(s: str) -> str:
    if "[" in s:
        s = _IMAGE.sub(" ", s)
        s = _LINK.sub(r"\1", s)
        s = _REF_LINK.sub(r"\1", s)
    if "`" in s:
        parts = []
        pos = 0
        for m in _CODE_SPAN.finditer(s):
            parts.append(_clean_prose(s[pos : m.start()]))
            parts.append(_CODE_NOISE.sub("", m.group(2)).strip())
            pos = m.end()
        parts.append(_clean_prose(s[pos:]))
        s = "".join(parts)
    else:
        s = _clean_prose(s)
    if "&" in s:
        s = html.unescape(s)
    if not s.isascii():
        s = _EMOJI.sub("", s)
    s = _SPACES.sub(" ", s).strip()
    # Space left before punctuation by a dropped marker or emoji ("loss ?" -> "loss?").
    return re.sub(r" ([?.,:;!)])(?=\s|$)", r"\1", s) if " " in s else s
