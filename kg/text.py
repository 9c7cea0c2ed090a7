"""Text helpers that every front end shares."""

from __future__ import annotations

import re
from collections.abc import Callable


def shorten(text: str, limit: int) -> str:
    r"""``text`` on one line, cut to at most ``limit`` characters with an ellipsis.

    Examples
    --------
    >>> shorten("What  is\nReLU?", 20), shorten("What is the vanishing gradient problem?", 16)
    ('What is ReLU?', 'What is the van…')
    """
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def quantity(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and ``noun``, plural unless ``n`` is 1 (``plural`` when adding "s" is wrong).

    Examples
    --------
    >>> quantity(1, "duplicate pair"), quantity(1309, "question"), quantity(0, "match", "matches")
    ('1 duplicate pair', '1,309 questions', '0 matches')
    """
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def slug(text: str) -> str:
    """URL-safe id of a label.

    Examples
    --------
    >>> slug("Long Short-Term Memory (LSTM)")
    'long-short-term-memory-lstm'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "concept"


def around_matches(
    pattern: re.Pattern[str], text: str, outside: Callable[[str], str], inside: Callable[[re.Match[str]], str]
) -> str:
    """``text`` with ``outside`` applied to each stretch between the matches of ``pattern`` and ``inside``
    to each match: prose and code, or prose and formulas, each treated its own way.

    Examples
    --------
    >>> around_matches(re.compile(r"`[^`]*`"), "a `b` c", str.upper, lambda m: m.group(0))
    'A `b` C'
    """
    parts, pos = [], 0
    for m in pattern.finditer(text):
        parts += [outside(text[pos : m.start()]), inside(m)]
        pos = m.end()
    parts.append(outside(text[pos:]))
    return "".join(parts)


# Display and inline math as banks write it: "$$\sum_i w_i$$", "$x^2$" (not "$5 and $10")
DISPLAY_MATH = r"\$\$.{1,5000}?\$\$"
INLINE_MATH = r"(?<![\\$\w])\$(?=\S)[^$\n]{1,500}?(?<=\S)\$(?!\d)"
MATH = re.compile(f"{DISPLAY_MATH}|{INLINE_MATH}", re.S)
# Greek letters by their TeX names: "\gamma" is γ
GREEK_LETTERS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ",
    "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ",
    "Sigma": "Σ", "Pi": "Π", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}
# Each lower-case letter by its plain name ("epsilon", not "varepsilon"): what "ε" is called in prose
GREEK_NAMES = {letter: name for name, letter in reversed(GREEK_LETTERS.items()) if name.islower()}
_TEX_SYMBOLS = {
    **GREEK_LETTERS,
    "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "neq": "≠", "ne": "≠", "approx": "≈",
    "times": "×", "cdot": "·", "pm": "±", "infty": "∞", "sum": "Σ", "prod": "Π", "partial": "∂", "nabla": "∇",
    "in": "∈", "to": "→", "rightarrow": "→", "sim": "∼", "ldots": "…", "cdots": "…", "dots": "…", "sqrt": "√",
    "mid": "|", "quad": " ", "qquad": " ", ",": " ", ";": " ", "!": "",
}
_TEX_FRACTION = re.compile(r"\\[dt]?frac\{([^{}]{0,200})\}\{([^{}]{0,200})\}")
_TEX_COMMAND = re.compile(r"\\([A-Za-z]+|[,;!])")
# Commands that only style what follows them: "\mathbb{R}" is R
_TEX_STYLES = frozenset({"mathbb", "mathbf", "mathrm", "mathit", "mathcal", "boldsymbol", "text", "textbf", "textit",
                         "operatorname", "left", "right", "big", "Big", "bigl", "bigr", "displaystyle", "hat", "bar",
                         "tilde", "vec", "overline"})
_TEX_SCRIPT = re.compile(r"([\^_])(?:\{([^{}]{1,20})\}|([A-Za-z0-9]))")
_RAISED, _LOWERED = "0123456789+-=()n", "0123456789+-=()ijk"
_SUPERSCRIPT = str.maketrans(_RAISED, "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_SUBSCRIPT = str.maketrans(_LOWERED, "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ᵢⱼₖ")


def readable_math(text: str) -> str:
    r"""``text`` with its TeX formulas written out for places that cannot typeset them (graph labels,
    buttons, captions): no dollar signs, Greek letters and common symbols as characters, simple scripts
    raised or lowered, "\frac{a}{b}" as "a/b"; a command it does not know keeps its name.

    Examples
    --------
    >>> readable_math(r"Given $f(x)$, compute the gradient of $L^1$ and $\sum_{i} w_i^2$ on $[0,1]$.")
    'Given f(x), compute the gradient of L¹ and Σᵢ wᵢ² on [0,1].'
    >>> readable_math(r"Is $\alpha \leq \frac{1}{2}$ in $\mathbb{R}$ and $e^{x+y}$? It costs $5 and $10.")
    'Is α ≤ 1/2 in R and e^(x+y)? It costs $5 and $10.'
    """
    if "$" not in text:
        return text
    return MATH.sub(lambda m: _formula_text(_formula(m.group(0))), text)


def _formula(math: str) -> str:
    """The TeX of a formula written "$$...$$" or "$...$"."""
    return math[2:-2] if math.startswith("$$") else math[1:-1]


def _formula_text(tex: str) -> str:
    s = _TEX_FRACTION.sub(r"\1/\2", tex)
    s = _TEX_COMMAND.sub(_command, s)
    s = _TEX_SCRIPT.sub(_script, s)
    return " ".join(s.replace("{", "").replace("}", "").split())


def _command(m: re.Match[str]) -> str:
    name = m.group(1)
    return _TEX_SYMBOLS.get(name, "" if name in _TEX_STYLES else name)


def _script(m: re.Match[str]) -> str:
    """A super- or subscript as raised or lowered characters where each has one; else as written."""
    mark, body = m.group(1), m.group(2) or m.group(3)
    keys, table = (_RAISED, _SUPERSCRIPT) if mark == "^" else (_LOWERED, _SUBSCRIPT)
    if all(c in keys for c in body):
        return body.translate(table)
    return mark + body if len(body) == 1 else f"{mark}({body})"
