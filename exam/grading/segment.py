"""jieba word segmentation, set up once per process.

We keep our own `jieba.Tokenizer` instead of the module-level default so that
other code using jieba does not see (or change) our domain dictionary. Loading
the dictionary costs about a second, so it happens lazily, once, under a lock.

Domain terms (syllabus key terms, key-point match terms) are added to the
dictionary so that 美誉度, 准变动成本, 服务金三角 come out as one token. The
matcher uses token boundaries to judge how strong a hit is, so the service
layer should add *all* content terms at start-up (`add_domain_terms`): then a
grade does not depend on which questions happened to be graded before.
"""
from __future__ import annotations

import logging
import threading
from typing import Iterable

from exam.textnorm import normalize

__all__ = ["NEGATORS", "add_domain_terms", "tokens", "tokenizer"]

# Negator tokens (as jieba cuts them, HMM off) and how many negations each
# carries; 不得不/不能不 "must" are double negations. Words that merely start
# with a negator (不断, 不仅, 无论, 没关系) are other tokens, so they never count.
NEGATORS = {w: 1 for w in (
    "不 没 没有 未 无 非 别 勿 莫 忌 不要 不能 不可 不必 不用 不应 不该 不得 不准 不许 "
    "不会 不肯 不愿 不再 不宜 不曾 不是 不够 从不 从未 绝不 决不 并不 并未 并非 尚未 未能 "
    "未曾 没能 无法 无需 无须 毫无 毫不 切忌 切勿 杜绝 避免 防止 禁止 严禁 拒绝 缺乏 缺少 "
    "欠缺 忽视 忽略").split()}
NEGATORS.update({"不得不": 2, "不能不": 2, "不可不": 2, "不会不": 2})

_tok = None
_lock = threading.RLock()
_added: set[str] = set()


def tokenizer():
    """The process-wide jieba tokenizer (loaded on first use)."""
    global _tok
    if _tok is None:
        with _lock:
            if _tok is None:
                import jieba

                # jieba logs "Building prefix dict..." at DEBUG to stderr.
                jieba.setLogLevel(logging.WARNING)
                logging.getLogger("jieba").setLevel(logging.WARNING)
                tk = jieba.Tokenizer()
                tk.initialize()
                _tok = tk
    return _tok


def add_domain_terms(terms: Iterable[str]) -> int:
    """Add terms to the user dictionary; idempotent. Returns how many were new.

    Terms are normalised like answers (exam.textnorm.normalize). Terms shorter than
    two characters carry no segmentation information and are skipped. So are
    new phrases that start with a negator (没有耐心, 不倾听): kept whole they
    would hide the negator from negation detection; cut, they still match as
    a sequence of whole tokens.
    """
    new = [normalize(t) for t in terms if isinstance(t, str)]
    new = [t for t in new if len(t) >= 2]
    new = [t for t in new if t not in _added]
    if not new:
        return 0
    tk = tokenizer()
    with _lock:
        count = 0
        for t in new:
            if t in _added:
                continue
            _added.add(t)
            if not tk.FREQ.get(t) and any(t.startswith(n) for n in NEGATORS):
                continue
            # freq=None lets jieba pick a frequency just high enough to keep the
            # term whole, without swallowing the words around it.
            tk.add_word(t)
            count += 1
    return count


def tokens(norm_text: str) -> list[tuple[str, int, int]]:
    """Segment normalised text: [(word, start, end)], offsets into norm_text.

    HMM new-word discovery is off: it glues unknown neighbours together
    ('和准') and makes matching less predictable.
    """
    if not norm_text:
        return []
    return list(tokenizer().tokenize(norm_text, HMM=False))
