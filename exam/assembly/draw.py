"""Drawing a paper (试卷) from a blueprint (组卷方案): pure, seeded, reproducible.

Priorities, strongest first:
1. counts per section and per 职业功能 (largest-remainder rounding of the
   weights) are met exactly, and no item appears twice — or BlueprintError;
2. items in `avoid` (recently seen) are used only where a cell has too few others;
3. the difficulty mix, as closely as the bank allows (a missing hard item is
   replaced by a medium one before an easy one);
4. spread: units, lessons and lesson sections take turns (least used first).
Every choice depends on the seed and on question ids only, never on the
order of `pool`, so a paper can be drawn again from its seed.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter, deque
from collections.abc import Mapping
from fractions import Fraction
from math import floor
from typing import NamedTuple

from .blueprint import BANDS, Blueprint, BlueprintError, BlueprintSection, ItemInfo, band_of

_BAND_ORDER = list(BANDS)  # easy, medium, hard: distance between bands = distance in this list


class Slot(NamedTuple):
    section_id: str   # BlueprintSection.id
    item: ItemInfo
    points: float


def largest_remainder(total: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Split `total` by `weights` into integers summing to `total` (Hamilton's method).

    Shares are read as decimals (0.6 -> 3/5) so float noise never moves a unit;
    equal remainders go to the key declared first.
    """
    shares = {k: Fraction(str(w)) for k, w in weights.items() if w > 0}
    whole = sum(shares.values())
    exact = {k: total * v / whole for k, v in shares.items()}
    out = {k: floor(x) for k, x in exact.items()}
    keys = list(shares)
    for k in sorted(keys, key=lambda k: (-(exact[k] - out[k]), keys.index(k)))[: total - sum(out.values())]:
        out[k] += 1
    return out


def section_quotas(bp: Blueprint) -> list[tuple[BlueprintSection, dict[str, int]]]:
    """Items per 职业功能 in each section, in blueprint order."""
    return [(sec, largest_remainder(sec.count, bp.weights_for(sec))) for sec in bp.sections]


def feasibility(bp: Blueprint, pool: list[ItemInfo], *, names: Mapping[str, str] | None = None) -> list[str]:
    """The cells (section type × 职业功能) the bank cannot fill; [] when every paper can be drawn.

    Sections of the same type share their items, so their needs are added up.
    """
    need: Counter = Counter()
    titles: dict[tuple, list[str]] = {}
    for sec, quota in section_quotas(bp):
        for function_id, n in quota.items():
            if n:
                need[sec.type, function_id] += n
                titles.setdefault((sec.type, function_id), []).append(_short_title(sec.title))
    have = Counter((i.qtype, i.function_id) for i in _normalise(pool))
    names = names or {}
    return [f"{'、'.join(titles[cell])} · {names.get(cell[1], cell[1])}：需要 {n} 道，题库只有 {have[cell]} 道"
            for cell, n in need.items() if have[cell] < n]


def assemble(bp: Blueprint, pool: list[ItemInfo], seed: int, avoid: frozenset[str] = frozenset(), *,
             names: Mapping[str, str] | None = None) -> list[Slot]:
    """The paper's slots in order: sections as in the blueprint, items shuffled within a section.

    `names` maps function ids to 职业功能 names for error messages.
    """
    pool = _normalise(pool)
    shortfalls = feasibility(bp, pool, names=names)
    if shortfalls:
        raise BlueprintError(shortfalls)
    ranks = {i.question_id: _rank(seed, i.question_id) for i in pool}
    spread = _Spread(ranks)
    used: set[str] = set()
    slots: list[Slot] = []
    for sec, quota in section_quotas(bp):
        chosen = _draw_section(bp, sec, quota, [i for i in pool if i.question_id not in used], avoid, spread)
        used.update(i.question_id for i in chosen)
        chosen.sort(key=lambda i: _rank(f"{seed}/{sec.id}", i.question_id))  # paper order, not draw order
        slots += [Slot(sec.id, i, sec.points_per_item) for i in chosen]
    return slots


# -- one section ----------------------------------------------------------------

def _draw_section(bp, sec, quota, pool, avoid, spread) -> list[ItemInfo]:
    mix = bp.difficulty_mix
    band = (lambda i: band_of(i.difficulty)) if mix else (lambda i: "all")
    bands = _BAND_ORDER if mix else ["all"]
    targets = largest_remainder(sec.count, mix) if mix else {"all": sec.count}
    cells = [f for f, n in quota.items() if n]
    fresh = {f: [i for i in pool if i.qtype == sec.type and i.function_id == f and i.question_id not in avoid]
             for f in cells}
    stale = {f: [i for i in pool if i.qtype == sec.type and i.function_id == f and i.question_id in avoid]
             for f in cells}
    # Fresh items first; stale ones only for what a cell still lacks, aiming at what the mix still lacks.
    rows = {f: min(quota[f], len(fresh[f])) for f in cells}
    x = _allocate(rows, {f: Counter(map(band, fresh[f])) for f in cells}, targets, bands)
    taken = Counter()
    for counts in x.values():
        taken.update(counts)
    rest = {b: targets.get(b, 0) - taken[b] for b in bands}
    z = _allocate({f: quota[f] - rows[f] for f in cells}, {f: Counter(map(band, stale[f])) for f in cells},
                  rest, bands)
    chosen: list[ItemInfo] = []
    for f in cells:
        chosen += spread.pick(fresh[f], x[f], band)
        chosen += spread.pick(stale[f], z[f], band)
    return chosen


def _allocate(rows, avail, targets, bands) -> dict[str, Counter]:
    """Band counts per cell: row sums exact, within availability, columns close to `targets`.

    "Close" is the earth mover's distance between the column counts and the
    targets over the ordered bands: a medium item standing in for a hard one
    costs 1, an easy one costs 2. A greedy start (cells take turns, each taking
    the band furthest below target, else the one nearest to a band below
    target), then moves along chains of cells while one lowers the distance.
    """
    x = {f: Counter() for f in rows}
    col = Counter()
    left = dict(rows)
    while any(left.values()):
        for f in rows:
            if left[f]:
                supply = [b for b in bands if avail[f][b] > x[f][b]]
                b = max(supply, key=lambda b: _band_score(b, col, targets, bands))
                x[f][b] += 1
                col[b] += 1
                left[f] -= 1
    improved = True
    while improved:
        improved = False
        for src in bands:
            for dst in bands:
                if src == dst:
                    continue
                moved = col.copy()
                moved[src] -= 1
                moved[dst] += 1
                if _distance(moved, targets, bands) >= _distance(col, targets, bands):
                    continue
                path = _chain(x, avail, src, dst, bands)
                if path:
                    for f, a, b in path:
                        x[f][a] -= 1
                        x[f][b] += 1
                    col = moved
                    improved = True
    return x


def _distance(col, targets, bands) -> int:
    """Earth mover's distance on a line: the sum of the running differences."""
    run = total = 0
    for b in bands[:-1]:
        run += col[b] - targets.get(b, 0)
        total += abs(run)
    return total


def _band_score(b, col, targets, bands):
    """Higher is better: furthest below target; else nearest to a band that is below target."""
    gap = targets.get(b, 0) - col[b]
    if gap > 0:
        return (1, gap, 0)
    unmet = [u for u in bands if targets.get(u, 0) > col[u]]
    near = min((abs(bands.index(b) - bands.index(u)) for u in unmet), default=0)
    return (0, -near, gap)


def _chain(x, avail, src, dst, bands):
    """Moves [(cell, from band, to band)] that take one item from `src` to `dst`, or None.

    Breadth-first over bands; each band is visited once, so every (cell, band)
    changes by at most one step up and one down and the moves stay feasible.
    """
    prev = {src: None}
    queue = deque([src])
    while queue:
        b = queue.popleft()
        if b == dst:
            path = []
            while prev[b] is not None:
                path.append(prev[b])
                b = prev[b][1]
            return path[::-1]
        for c in bands:
            if c in prev:
                continue
            cell = next((f for f in x if x[f][b] > 0 and avail[f][c] > x[f][c]), None)
            if cell is not None:
                prev[c] = (cell, b, c)
                queue.append(c)
    return None


class _Spread:
    """Least-used unit, then lesson, then lesson section first: round robin across the paper."""

    def __init__(self, ranks):
        self.ranks = ranks
        self.used = Counter()

    def pick(self, items, need, band) -> list[ItemInfo]:
        need = Counter(need)
        left = list(items)
        chosen = []
        while +need:
            best = min((i for i in left if need[band(i)] > 0), key=self._key)
            left.remove(best)
            need[band(best)] -= 1
            chosen.append(best)
            self.used.update([("u", best.unit_id), ("l", best.lesson_id), ("s", best.section_id)])
        return chosen

    def _key(self, i):
        u = self.used
        return u["u", i.unit_id], u["l", i.lesson_id], u["s", i.section_id], self.ranks[i.question_id]


# -- helpers --------------------------------------------------------------------

def _normalise(pool) -> list[ItemInfo]:
    """One item per question id (the newest version), sorted: the input order never matters."""
    best: dict[str, ItemInfo] = {}
    for i in pool:
        if i.question_id not in best or i.version_id > best[i.question_id].version_id:
            best[i.question_id] = i
    return [best[k] for k in sorted(best)]


def _rank(seed, question_id: str) -> int:
    # A hash of (seed, id) rather than a shared RNG stream: an item's chance does
    # not depend on which other items happen to be in the bank.
    return int.from_bytes(hashlib.blake2b(f"{seed}:{question_id}".encode(), digest_size=8).digest(), "big")


def _short_title(title: str) -> str:
    return re.sub(r"^[一二三四五六七八九十]+[、.．]\s*", "", title)


# -- from content files ------------------------------------------------------------

def function_names(syllabus: dict) -> dict[str, str]:
    """function id -> 职业功能 name, for messages."""
    return {f["id"]: f.get("name", f["id"]) for lv in syllabus.get("levels") or []
            for f in lv.get("functions") or []}


def pool_from_bundle(bundle, level: str | None = None) -> list[ItemInfo]:
    """ItemInfo for every bank item of a content Bundle (exam.content.files.read_content).

    Items whose lesson is not placed in the syllabus are left out: `content check`
    reports them. Version ids are 0: files have no versions.
    """
    placed = {}
    for lv in bundle.syllabus.get("levels") or []:
        for f in lv.get("functions") or []:
            for u in f.get("units") or []:
                for lesson in u.get("lessons") or []:
                    placed[lesson] = (lv.get("id"), f["id"], u["id"])
    pool = []
    for q in bundle.questions:
        where = placed.get(q.lesson_id)
        if where is None or (level is not None and where[0] != level):
            continue
        difficulty = q.data.get("difficulty")
        pool.append(ItemInfo(str(q.data.get("id")), 0, str(q.data.get("type")), where[1], where[2],
                             q.lesson_id, f"{q.lesson_id}#{q.section}",
                             difficulty if isinstance(difficulty, int) else 3))
    return pool
