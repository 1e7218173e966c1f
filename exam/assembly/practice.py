"""Choose the items of a practice quiz: pure, seeded, reproducible."""
from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    question_id: str
    version_id: int
    section_id: int
    difficulty: int
    # Where the item sits in the syllabus (lesson sequence, section position): in-order drills sort on it.
    order: tuple = (0, 0)


def pick_practice(pool: list[Candidate], size: int, seed: int,
                  avoid: frozenset[str] = frozenset()) -> list[Candidate]:
    """Up to `size` distinct items, spread over the sections of the pool.

    Sections take turns (round robin, in a seeded random order) so a lesson
    quiz does not draw ten items from its first section. Items in `avoid`
    (recently seen) are used only when the pool has nothing else.
    """
    rng = random.Random(seed)
    fresh = [c for c in pool if c.question_id not in avoid]
    stale = [c for c in pool if c.question_id in avoid]
    chosen = _round_robin(fresh, size, rng)
    if len(chosen) < size:
        chosen += _round_robin(stale, size - len(chosen), rng)
    rng.shuffle(chosen)
    return chosen


def _round_robin(pool: list[Candidate], size: int, rng: random.Random) -> list[Candidate]:
    by_section: dict[int, list[Candidate]] = defaultdict(list)
    for c in sorted(pool, key=lambda c: c.question_id):
        by_section[c.section_id].append(c)
    queues = list(by_section.values())
    for queue in queues:
        rng.shuffle(queue)
    rng.shuffle(queues)
    chosen: list[Candidate] = []
    while len(chosen) < size and any(queues):
        for queue in queues:
            if queue and len(chosen) < size:
                chosen.append(queue.pop())
    return chosen
