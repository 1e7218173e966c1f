"""Text normalisation for matching Chinese answers.

`normalize` folds the differences a grader ignores: full/half width (NFKC),
traditional vs. simplified characters (OpenCC t2s), Latin case, whitespace and
punctuation. `normalize_with_map` also says, for each normalised character,
which character of the original string it came from, so evidence can be shown
in the trainee's own text. Indices are Python code-point indices.
"""
from __future__ import annotations

import threading
import unicodedata
from functools import lru_cache

__all__ = ["normalize", "normalize_with_map", "same_answer", "is_clause_break"]

_cc = None
_cc_lock = threading.Lock()

# Characters that end a clause; used by the matcher to bound negation scope and
# by the keyword-dump check. Checked on the original text, after NFKC.
_CLAUSE_BREAKS = frozenset(",.;:!?，。；：！？、\n\r\t|/\\…")


def _converter():
    """The OpenCC t2s converter, created once per process on first use."""
    global _cc
    if _cc is None:
        with _cc_lock:
            if _cc is None:
                import opencc

                _cc = opencc.OpenCC("t2s")
    return _cc


@lru_cache(maxsize=8192)
def _nfkc(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch)


@lru_cache(maxsize=8192)
def _t2s_char(ch: str) -> str:
    return _converter().convert(ch)


@lru_cache(maxsize=8192)
def _fold(ch: str) -> str:
    """Lower-case one (already NFKC/t2s) char; '' when it is not a letter or
    digit (punctuation, symbols, spaces, controls, combining marks)."""
    out = []
    for c in ch.lower():
        cat = unicodedata.category(c)
        if cat[0] in "LN":
            out.append(c)
    return "".join(out)


def is_clause_break(ch: str) -> bool:
    """True for punctuation that separates clauses (either width)."""
    return _nfkc(ch) in _CLAUSE_BREAKS or ch in _CLAUSE_BREAKS


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Normalise `text`; return (normalised, index map into `text`).

    NFKC is applied per character so that every output char keeps its source
    index (NFKC may expand one char into several, e.g. '①' or '㈱').
    OpenCC converts phrases, which is better than per char ('乾隆' stays), so
    the whole string is converted at once; if that changed the length, the
    alignment is unknown and we fall back to converting char by char.
    """
    if not text:
        return "", []
    chars: list[str] = []
    src: list[int] = []
    for i, ch in enumerate(text):
        if ch < "\x80":
            chars.append(ch)
            src.append(i)
            continue
        for c in _nfkc(ch):
            chars.append(c)
            src.append(i)
    joined = "".join(chars)
    converted = _converter().convert(joined)
    if len(converted) != len(joined):
        parts, src2 = [], []
        for c, i in zip(chars, src):
            s = _t2s_char(c)
            parts.append(s)
            src2.extend([i] * len(s))
        converted, src = "".join(parts), src2
    out: list[str] = []
    omap: list[int] = []
    for c, i in zip(converted, src):
        if c.isascii():
            if c.isalnum():
                out.append(c.lower())
                omap.append(i)
            continue
        f = _fold(c)
        if f:
            out.append(f)
            omap.extend([i] * len(f))
    return "".join(out), omap


def normalize(text: str) -> str:
    """Normalised form of `text` (see module docstring)."""
    return normalize_with_map(text)[0]


def same_answer(given: str, accepted: list[str]) -> bool:
    """Fill-in blank check: does `given` equal any accepted answer once both
    are normalised? An answer that normalises to nothing never matches.
    Accepted answers may be numbers (YAML reads `[50]` as an int)."""
    g = normalize(str(given)) if given is not None else ""
    if not g:
        return False
    return any(g == normalize(str(a)) for a in accepted if a is not None)
