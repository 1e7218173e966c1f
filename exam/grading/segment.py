"""jieba word segmentation, set up once per process.

We keep our own `jieba.Tokenizer` instead of the module-level default so that
other code using jieba does not see (or change) our domain dictionary. Loading
the dictionary costs about a second, so it happens lazily, once, under a lock.

Domain terms (syllabus key terms, key-point match terms) are added to the
dictionary so that 美誉度, 准变动成本, 服务金三角 come out as one token. The
matcher uses token boundaries to judge how strong a hit is, so the service
layer should add *all* content terms at start-up (`add_domain_terms`): then a
grade does not depend on which questions happened to be graded before.

The word lists the matcher reads tokens with (negators, scope breakers,
function words) live here too, beside the segmentation they depend on.
"""
from __future__ import annotations

import logging
import threading
from typing import Iterable

from exam.textnorm import normalize

__all__ = ["FUNCTION_WORDS", "NEGATORS", "NEG_PREFIX", "NEG_VERBS", "POST_NEGATORS",
           "SCOPE_BREAKERS", "add_domain_terms", "tokens", "tokenizer"]

# Negator tokens (as jieba cuts them, HMM off) and how many negations each
# carries; 不得不/不能不 "must" are double negations. Words that merely start
# with a negator (不断, 不仅, 无论, 没关系) are other tokens, so they never count.
NEGATORS = {w: 1 for w in (
    "不 没 没有 未 无 非 别 勿 莫 忌 不要 不能 不可 不必 不用 不应 不该 不得 不准 不许 "
    "不会 不肯 不愿 不再 不宜 不曾 不是 不够 从不 从未 绝不 决不 并不 并未 并非 尚未 未能 "
    "未曾 没能 无法 无需 无须 毫无 毫不 切忌 切勿 杜绝 避免 防止 禁止 严禁 拒绝 缺乏 缺少 "
    "欠缺 忽视 忽略").split()}
NEGATORS.update({"不得不": 2, "不能不": 2, "不可不": 2, "不会不": 2})
# Inside one word, 不/没/未/无/非 right before the term negates it (不礼貌, 漠不关心).
NEG_PREFIX = frozenset("不没未无非")
# A conjunction between a negator and the hit ends the negator's scope:
# 不打断而是倾听, 不推诿并主动道歉, 没有倾听就打断. Modals do not (不/应该/打断).
SCOPE_BREAKERS = frozenset(
    "而是 而 但 但是 却 并 并且 而且 同时 然后 随后 再 还 反而 只是 可是 不过 于是 "
    "所以 因此 因为 如果 就 才 也 都".split())
# Negating verbs govern a whole phrase: 避免在大厅里与客户争执.
NEG_VERBS = frozenset("避免 防止 切忌 切勿 杜绝 禁止 严禁 拒绝 忌".split())
# Predicates just after the hit that reject it (matched on text: jieba cuts
# 不对 into 不/对); only these, since most negators after a term negate
# something else (倾听客户不满 is not 不倾听).
POST_NEGATORS = frozenset("不对 不可取 不妥 不应该 不应当 不合适 不恰当 要不得 不可以 不允许".split())
# Words that make a sentence or phrase; a bare keyword list has hardly any.
FUNCTION_WORDS = frozenset(
    "的 地 得 了 着 过 是 在 把 被 对 和 与 跟 向 给 让 使 从 将 为 因为 所以 如果 就 都 也 还 很 "
    "太 只 才 又 再 要 应 应该 应当 需要 必须 会 能 可以 不 没 没有 未 别 这 那 他 她 它 我 你 您 "
    "我们 他们 有 而 但 却 并 于 吧 呢 吗 啊".split())

_tok = None
_lock = threading.RLock()
_seen: set[str] = set()   # raw terms already handled (fast path)
_words: set[str] = set()  # their normalised forms


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
    todo = [t for t in terms if isinstance(t, str) and t not in _seen]
    if not todo:
        return 0
    tk = tokenizer()
    count = 0
    with _lock:
        for raw in todo:
            t = normalize(raw)
            if len(t) >= 2 and t not in _words:
                _words.add(t)
                if tk.FREQ.get(t) or not any(t.startswith(n) for n in NEGATORS):
                    # freq=None lets jieba pick a frequency just high enough to
                    # keep the term whole without swallowing its neighbours.
                    tk.add_word(t)
                    count += 1
            _seen.add(raw)  # last: a reader seeing it in _seen finds it added
    return count


def tokens(norm_text: str) -> list[tuple[str, int, int]]:
    """Segment normalised text: [(word, start, end)], offsets into norm_text.

    HMM new-word discovery is off: it glues unknown neighbours together
    ('和准') and makes matching less predictable.
    """
    if not norm_text:
        return []
    return list(tokenizer().tokenize(norm_text, HMM=False))
