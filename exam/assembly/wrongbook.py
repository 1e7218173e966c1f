"""The wrong-answer book (错题本) rule, as a pure state step.

An item enters the book when answered wrong. It leaves after being answered
right CLEAR_AFTER times in a row; a wrong answer in between starts the count
again. Right answers to an item that is not in the book change nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

CLEAR_AFTER = 2


@dataclass(frozen=True)
class BookState:
    in_book: bool = False
    wrong_count: int = 0
    right_streak: int = 0


def step(state: BookState | None, correct: bool) -> BookState:
    """The state after one more answer; `None` is an item the trainee never got wrong."""
    state = state or BookState()
    if not correct:
        return BookState(in_book=True, wrong_count=state.wrong_count + 1, right_streak=0)
    if not state.in_book:
        return state
    streak = state.right_streak + 1
    return replace(state, right_streak=streak, in_book=streak < CLEAR_AFTER)
