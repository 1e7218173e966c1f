"""Key-point (采分点) matching for Chinese free-text case answers.

A key point has groups of synonyms (content/FORMAT.md): it is found when every
group has a qualifying hit. A hit is one occurrence of a term in the normalised
answer; it qualifies when
  * it does not straddle a clause break,
  * it is not inside a long run copied verbatim from the case material/prompt,
  * its negation fits the point's polarity (positive: not negated, negative:
    negated, any: either).
The strength of a hit (whole jieba tokens vs. inside a longer word) and how
sure the negation call is give the point's confidence; unsure points, very
short or long answers and bare keyword lists go to the instructor's review.

Work is bounded for huge answers: at most MAX_HITS occurrences per term are
examined and only the text around each hit is segmented.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from exam.textnorm import is_clause_break, normalize, normalize_with_map
from . import segment
from .segment import (FUNCTION_WORDS, NEG_PREFIX, NEG_VERBS, NEGATORS, POST_NEGATORS,
                      SCOPE_BREAKERS)

__all__ = ["PointResult", "PartResult", "grade_part", "validate_key_points"]

COPY_RUN = 10        # a hit inside a run this long that is also in the material was copied
NEG_WINDOW = 8       # negators are looked for this many chars before a hit, same clause
NEG_WINDOW_VERB = 16 # ... verbs like 避免/防止 govern a whole phrase: 避免在大厅里与客户争执
POST_WINDOW = 6      # evaluative negators after the hit: 与客户争辩是不对的
MAX_HITS = 40        # occurrences examined per term (20,000-char answers)
SHORT_PER_POINT = 2  # "答案过短" below max(8, this * number of key points) chars
LONG_CHARS = 3000    # "答案过长" above this many normalised chars
# A substantive answer (>= LOW_MIN_CHARS, mostly not copied) that earns at most
# LOW_SHARE of the part may say the right things in other words: review it.
LOW_MIN_CHARS, LOW_SHARE = 40, 0.25
REVIEW_BELOW = 0.7   # a point decided with less confidence goes to review
# Strength of a hit by how it sits on jieba tokens: whole token(s); one edge
# of a longer word (推卸|责任, 满意|度); inside a word; straddling two words
# (听取 in 倾听|取决) which is most likely a false hit.
WHOLE, EDGE, INSIDE, STRADDLE = 1.0, 0.8, 0.6, 0.5

_NUMBERING = re.compile(r"^[0-9]+|^[一二三四五六七八九十]+(?=[、.．)）])")
_SEG_SPLIT = re.compile(r"[,.;!?，。；！？、|/\\…()（）【】\[\]“”\"'‘’<>《》\n-]+")


@dataclass(frozen=True)
class PointResult:
    id: str
    text: str
    max_points: float
    awarded: float
    found: bool
    confidence: float
    evidence: list[tuple[int, int]] = field(default_factory=list)  # spans in the original answer
    matched_terms: list[str] = field(default_factory=list)
    note: str = ""  # why a hit did not count (被否定 / 照抄材料 / 关键词堆砌), for the reviewer


@dataclass(frozen=True)
class PartResult:
    score: float
    max_score: float
    points: list[PointResult]
    needs_review: bool
    review_reasons: list[str]

    def to_dict(self) -> dict:
        d = asdict(self)
        for p in d["points"]:
            p["evidence"] = [list(s) for s in p["evidence"]]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "PartResult":
        """Inverse of to_dict (for results read back from JSON storage)."""
        pts = [PointResult(**dict(p, evidence=[tuple(x) for x in p.get("evidence", [])]))
               for p in d.get("points", [])]
        return cls(d["score"], d["max_score"], pts, d["needs_review"], list(d["review_reasons"]))


@dataclass
class _Hit:
    term: str
    start: int
    end: int
    strength: float = 1.0
    negated: bool = False
    neg_sure: float = 1.0
    copied: bool = False


@lru_cache(maxsize=4096)
def _norm_term(term: str) -> str:
    return normalize(term)


class _Answer:
    """Normalised answer with clause breaks, lazy local segmentation and
    copy detection; everything a hit needs to be judged."""

    def __init__(self, text: str, context: str):
        self.text = text
        self.norm, self.omap = normalize_with_map(text)
        n = len(self.norm)
        # breaks[k] = normalised index before which a clause ends
        self.breaks = [i for i in range(1, n) if any(
            is_clause_break(c) for c in text[self.omap[i - 1] + 1:self.omap[i]])]
        ctx = normalize(context) if context else ""
        self.grams = {ctx[j:j + COPY_RUN] for j in range(len(ctx) - COPY_RUN + 1)}
        self._tok_cache: dict[tuple[int, int], list[tuple[str, int, int]]] = {}

    def clause(self, s: int, e: int) -> tuple[int, int]:
        k = bisect.bisect_right(self.breaks, s)
        lo = self.breaks[k - 1] if k else 0
        hi = self.breaks[k] if k < len(self.breaks) else len(self.norm)
        return lo, hi

    def crosses_break(self, s: int, e: int) -> bool:
        k = bisect.bisect_right(self.breaks, s)
        return k < len(self.breaks) and self.breaks[k] < e

    def local_tokens(self, s: int, e: int) -> list[tuple[str, int, int]]:
        """Tokens of the clause around [s, e), clipped to a window so a
        20,000-char answer without punctuation stays cheap."""
        lo, hi = self.clause(s, e)
        lo, hi = max(lo, s - 40), min(hi, e + 20)
        key = (lo, hi)
        if key not in self._tok_cache:
            self._tok_cache[key] = [(w, a + lo, b + lo)
                                    for w, a, b in segment.tokens(self.norm[lo:hi])]
        return self._tok_cache[key]

    def copied_share(self) -> float:
        """Share of the answer inside runs copied from the context."""
        n = len(self.norm)
        if not self.grams or n < COPY_RUN:
            return 0.0
        covered, reach = 0, 0
        for j in range(n - COPY_RUN + 1):
            if self.norm[j:j + COPY_RUN] in self.grams:
                covered += j + COPY_RUN - max(j, reach)
                reach = j + COPY_RUN
        return covered / n

    def copied(self, s: int, e: int) -> bool:
        if not self.grams:
            return False
        covered = [False] * (e - s)
        for j in range(max(0, s - COPY_RUN + 1), min(e, len(self.norm) - COPY_RUN + 1)):
            if self.norm[j:j + COPY_RUN] in self.grams:
                for p in range(max(j, s), min(j + COPY_RUN, e)):
                    covered[p - s] = True
        return all(covered)

    def judge(self, term: str, s: int) -> _Hit:
        e = s + len(term)
        hit = _Hit(term, s, e, copied=self.copied(s, e))
        toks = self.local_tokens(s, e)
        starts = {a for _, a, _ in toks}
        ends = {b for _, _, b in toks}
        s_ok, e_ok = s in starts, e in ends
        inside = any(a <= s and e <= b for _, a, b in toks)
        hit.strength = (WHOLE if s_ok and e_ok else EDGE if inside and (s_ok or e_ok)
                        else INSIDE if inside else STRADDLE)
        negs, nearest = 0, None
        for w, a, b in toks:  # a negator inside the hit's own word: 不礼貌, 漠不关心
            if a < s < b and (w[s - a - 1] in NEG_PREFIX or w[:s - a] in NEGATORS):
                negs, nearest = 1, 0
        lo, hi = self.clause(s, e)
        # Walk left from the hit over the tokens of its clause within the window.
        for w, a, b in reversed(toks):
            if b > s or a < lo:
                continue
            if b < s - NEG_WINDOW_VERB or w in SCOPE_BREAKERS:
                break
            if w in NEGATORS and (b >= s - NEG_WINDOW or w in NEG_VERBS):
                negs += NEGATORS[w]
                if nearest is None:  # verbs govern their whole phrase: never "far"
                    nearest = 0 if w in NEG_VERBS else s - b
        tail = self.norm[e:min(hi, e + POST_WINDOW + 3)]
        if any(p in tail for p in POST_NEGATORS):  # 与客户争辩是不对的
            negs += 1
            nearest = nearest or 0
        hit.negated = negs % 2 == 1
        if negs and (nearest or 0) > 4:
            hit.neg_sure = 0.8  # a far negator may not govern the hit: a guess
        return hit


def _term_hits(ans: _Answer, term: str):
    """Judged occurrences of a normalised term (at most MAX_HITS)."""
    s, n = ans.norm.find(term), 0
    while s != -1 and n < MAX_HITS:
        if not ans.crosses_break(s, s + len(term)):
            yield ans.judge(term, s)
            n += 1
        s = ans.norm.find(term, s + 1)


def _qualifies(hit: _Hit, polarity: str) -> bool:
    want = {"positive": False, "negative": True}.get(polarity)  # any: None
    return not hit.copied and (want is None or hit.negated == want)


def _score(hit: _Hit, polarity: str) -> float:
    return min(hit.strength, 1.0 if polarity == "any" else hit.neg_sure)


def _best_hit(ans: _Answer, terms: list[str], polarity: str):
    """(best qualifying hit, best non-qualifying hit) for one synonym group.
    Stops at the first strong, surely-qualifying hit."""
    best = rejected = None
    for term in terms:
        for hit in _term_hits(ans, term):
            if _qualifies(hit, polarity):
                if best is None or _score(hit, polarity) > _score(best, polarity):
                    best = hit
                if _score(best, polarity) >= 1.0:
                    return best, rejected
            elif rejected is None or (rejected.copied and not hit.copied):
                rejected = hit
    return best, rejected


def _segments(text: str) -> list[str]:
    """Normalised list items: split on punctuation (not on '：', which
    introduces an explanation), on whitespace only when punctuation gives
    fewer than three; list numbering dropped."""
    raw = _SEG_SPLIT.split(text)
    if len(raw) < 3:
        raw = [w for r in raw for w in r.split()]
    segs = (_NUMBERING.sub("", normalize(r)) for r in raw)
    return [g for g in segs if g and not g.isdigit()]


def _keyword_dump(ans: _Answer, all_terms: set[str]) -> bool:
    """A bare list of terms: three or more short segments (<= 7 chars) and
    hardly any function words (的, 是, 没有, 应该...), which every sentence
    or phrase like 没有倾听 has."""
    segs = _segments(ans.text)
    if len(segs) >= 3 and max(map(len, segs)) <= 7:
        toks = [w for g in segs for w, _, _ in segment.tokens(g)]
        if sum(w in FUNCTION_WORDS for w in toks) < 0.2 * len(toks):
            return True
    # No separators at all: a short text made of three or more match terms
    # back to back (倾听道歉推卸), nothing else.
    if len(segs) <= 2 and len(ans.norm) <= 24:
        covered = set()
        for t in (t for t in all_terms if t in ans.norm):
            covered.update(i for s in range(len(ans.norm)) if ans.norm.startswith(t, s)
                           for i in range(s, s + len(t)))
        terms = sum(t in ans.norm for t in all_terms)
        return terms >= 3 and len(covered) >= 0.85 * len(ans.norm)
    return False


def _spans(ans: _Answer, hits: list[_Hit]) -> list[tuple[int, int]]:
    """Normalised hit spans -> merged spans in the original answer."""
    spans = sorted((ans.omap[h.start], ans.omap[h.end - 1] + 1) for h in hits)
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _match_groups(kp: dict) -> list[list[str]]:
    groups = []
    for g in kp.get("match") or []:
        terms = [_norm_term(t) for t in (g if isinstance(g, list) else [g]) if isinstance(t, str)]
        groups.append([t for t in dict.fromkeys(terms) if t])
    return groups


def _grade_point(ans: _Answer, kp: dict, dump: bool, award_dump: bool) -> PointResult:
    polarity = kp.get("polarity") or "positive"
    groups = _match_groups(kp)
    pts = kp.get("points") or 0
    chosen, notes, conf = [], [], 1.0
    satisfied = 0
    for terms in groups:
        best, rejected = _best_hit(ans, terms, polarity)
        if best is not None:
            satisfied += 1
            chosen.append(best)
            conf = min(conf, _score(best, polarity))
        elif rejected is not None:
            notes.append("照抄材料" if rejected.copied else
                         ("被否定" if polarity == "positive" else "未被否定"))
            # A negation call can be wrong; a copied run hardly.
            conf = min(conf, 0.9 if rejected.copied else 0.75 * rejected.neg_sure)
    found = bool(groups) and satisfied == len(groups)
    if not found:
        chosen = []
        if not notes:
            conf = 0.9 if satisfied else 1.0
    note = "、".join(dict.fromkeys(notes))
    awarded = pts if found else 0
    if found and dump:
        note = "关键词堆砌"
        if not award_dump:
            awarded = 0
            conf = min(conf, 0.5)
    return PointResult(
        id=str(kp.get("id", "")), text=str(kp.get("text", "")), max_points=pts,
        awarded=awarded, found=found, confidence=round(conf, 2),
        evidence=_spans(ans, chosen), matched_terms=[h.term for h in chosen], note=note)


def grade_part(answer: str, key_points: list[dict], *, context: str = "",
               award_keyword_dump: bool = False) -> PartResult:
    """Grade one part of a case answer against its key points.

    `context` is the case material plus the part's prompt: hits inside long
    runs copied from it earn nothing. A bare keyword list is flagged for
    review and, unless `award_keyword_dump`, earns nothing.
    """
    answer = answer if isinstance(answer, str) else ""
    max_score = sum(kp.get("points") or 0 for kp in key_points)
    ans = _Answer(answer, context)
    if not ans.norm:
        pts = [PointResult(id=str(kp.get("id", "")), text=str(kp.get("text", "")),
                           max_points=kp.get("points") or 0, awarded=0, found=False,
                           confidence=1.0) for kp in key_points]
        return PartResult(0, max_score, pts, False, [])
    all_terms = {t for kp in key_points for g in _match_groups(kp) for t in g}
    segment.add_domain_terms(all_terms)
    reasons = []
    short = max(8, SHORT_PER_POINT * len(key_points))
    if len(ans.norm) < short:
        reasons.append("答案过短")
    if len(ans.norm) > LONG_CHARS:
        reasons.append("答案过长")
    dump = len(ans.norm) <= 120 and _keyword_dump(ans, all_terms)
    if dump:
        reasons.append("疑似关键词堆砌")
    results = [_grade_point(ans, kp, dump, award_keyword_dump) for kp in key_points]
    unsure = [r.id for r in results if r.confidence < REVIEW_BELOW and not dump]
    if unsure:
        reasons.append("采分点匹配不确定：" + "、".join(unsure))
    score = sum(r.awarded for r in results)
    if (not dump and len(ans.norm) >= LOW_MIN_CHARS and score <= LOW_SHARE * max_score
            and ans.copied_share() < 0.5):
        reasons.append("答案较长但命中采分点少，可能换了说法")
    return PartResult(score, max_score, results, bool(reasons), reasons)


_POLARITIES = ("positive", "negative", "any")


def validate_key_points(key_points, field: str = "parts[0].key_points") -> list[str]:
    """Authoring problems of a key-point list, as Chinese messages that name
    the field, e.g. "parts[0].key_points[2].match：第 1 组为空"."""
    if not isinstance(key_points, list) or not key_points:
        return [f"{field}：应为非空的采分点列表"]
    errors: list[str] = []
    seen: dict[str, int] = {}
    for i, kp in enumerate(key_points):
        f = f"{field}[{i}]"
        if not isinstance(kp, dict):
            errors.append(f"{f}：应为含 id、text、points、match 的映射")
            continue
        kid = kp.get("id")
        if kid is None or str(kid).strip() == "":
            errors.append(f"{f}.id：缺少采分点编号")
        elif str(kid) in seen:
            errors.append(f"{f}.id：编号“{kid}”与 {field}[{seen[str(kid)]}] 重复")
        else:
            seen[str(kid)] = i
        if not isinstance(kp.get("text"), str) or not kp["text"].strip():
            errors.append(f"{f}.text：缺少采分点说明")
        pts = kp.get("points")
        if pts is None:
            errors.append(f"{f}.points：缺少分值")
        elif isinstance(pts, bool) or not isinstance(pts, (int, float)):
            errors.append(f"{f}.points：分值应为数字，当前为“{pts}”")
        elif pts <= 0:
            errors.append(f"{f}.points：分值必须大于 0，当前为 {pts}")
        errors.extend(_validate_match(kp.get("match"), f"{f}.match"))
        pol = kp.get("polarity", "positive")
        if pol not in _POLARITIES:
            errors.append(f"{f}.polarity：应为 positive、negative 或 any，当前为“{pol}”")
    return errors


def _validate_match(match, f: str) -> list[str]:
    if match is None:
        return [f"{f}：缺少匹配规则（同义词组列表，如 [[倾听, 听取], [打断]]）"]
    if not isinstance(match, list) or not match:
        return [f"{f}：应为非空的同义词组列表，如 [[倾听, 听取], [打断]]"]
    errors = []
    for g, group in enumerate(match, 1):
        if not isinstance(group, list):
            errors.append(f"{f}：第 {g} 组应为列表（用 [ ] 括起同义词），当前为“{group}”")
        elif not group:
            errors.append(f"{f}：第 {g} 组为空")
        else:
            for t, term in enumerate(group, 1):
                if not isinstance(term, str) or not term.strip():
                    errors.append(f"{f}：第 {g} 组第 {t} 个词为空或不是文字")
                elif not _norm_term(term):
                    errors.append(f"{f}：第 {g} 组第 {t} 个词“{term}”只有标点或空白")
    return errors
