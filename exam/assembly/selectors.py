"""Which items a practice mode draws, and in what order: pure, seeded, no database.

Every selector takes plain candidates (exam.assembly.practice.Candidate) and
the per-trainee facts it needs (wrong-book entries, review due dates), so a
mode is tested without an app. Time is passed in (`now`), never read here.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from .practice import Candidate, pick_practice


def in_order(pool: list[Candidate]) -> list[Candidate]:
    """A chapter drill in reading order: lesson, then section, then the item's id (authoring order)."""
    return sorted(pool, key=lambda c: (tuple(c.order), c.question_id))


def random_items(pool: list[Candidate], size: int, seed: int,
                 avoid: frozenset[str] = frozenset()) -> list[Candidate]:
    """Distinct items across the pool, sections taking turns, recently seen items last."""
    return pick_practice(pool, size, seed, avoid)


@dataclass(frozen=True)
class WrongEntry:
    question_id: str
    wrong_count: int
    last_answered_at: datetime


def wrong_first(pool: list[Candidate], entries: list[WrongEntry], size: int, seed: int) -> list[Candidate]:
    """The wrong-book drill: most often wrong first, then the longest untouched; shown in a seeded order."""
    rank = {e.question_id: (-e.wrong_count, e.last_answered_at) for e in entries}
    ranked = sorted((c for c in pool if c.question_id in rank), key=lambda c: (rank[c.question_id], c.question_id))
    chosen = ranked[:size]
    random.Random(seed).shuffle(chosen)
    return chosen


@dataclass(frozen=True)
class DueCard:
    question_id: str
    due: datetime


def due_queue(cards: list[DueCard], horizon: datetime) -> list[str]:
    """Question ids due by `horizon`, the most overdue first (ties by id, so the order is stable)."""
    return [c.question_id for c in sorted((c for c in cards if c.due <= horizon),
                                          key=lambda c: (c.due, c.question_id))]


def due_items(pool: list[Candidate], cards: list[DueCard], horizon: datetime, size: int) -> list[Candidate]:
    by_id = {c.question_id: c for c in pool}
    return [by_id[qid] for qid in due_queue(cards, horizon) if qid in by_id][:size]
