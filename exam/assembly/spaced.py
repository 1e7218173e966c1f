"""Spaced review (间隔复习) with FSRS: one card per trainee and item, a thin wrapper over `fsrs`.

Every practice answer reviews the item's card: right -> Rating.Good,
wrong -> Rating.Again. The database keeps naive UTC datetimes; fsrs wants
aware UTC ones, so the conversion happens here and nowhere else.

The scheduler runs without (re)learning steps: a practice session already
gives the item at once, and minute-long steps would put every item just
practised into "今日待复习" within ten minutes. A wrong answer is due again
the next day, a right one after the interval FSRS computes from the card's
stability. Fuzzing is off so a schedule is reproducible from its inputs.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone

from fsrs import Card, Rating, Scheduler

SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
# "今日" is the trainee's day: the syllabus is Chinese, the day ends at midnight Beijing time.
LOCAL = timezone(timedelta(hours=8))


@dataclass(frozen=True)
class Scheduled:
    card: dict          # fsrs.Card.to_dict(), as stored in ReviewCard.card
    due: datetime       # naive UTC
    last_review: datetime  # naive UTC


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _naive(value: datetime) -> datetime:
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def rating_for(correct: bool) -> Rating:
    return Rating.Good if correct else Rating.Again


def review(card: dict | None, correct: bool, now: datetime) -> Scheduled:
    """The card after one answer at `now` (naive or aware UTC); a new card when `card` is None or empty."""
    now = _aware(now)
    if card:
        current = Card.from_dict(card)
    else:
        # An explicit id: fsrs would otherwise derive one from the clock (and sleep 1 ms to keep it unique).
        current = Card(card_id=int(now.timestamp() * 1000), due=now)
    updated, _log = SCHEDULER.review_card(current, rating_for(correct), review_datetime=now)
    return Scheduled(updated.to_dict(), _naive(updated.due), _naive(updated.last_review))


def horizon(now: datetime) -> datetime:
    """End of the trainee's day containing `now`, as naive UTC: what "今日待复习" counts up to."""
    local = _aware(now).astimezone(LOCAL)
    end = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=LOCAL)
    return _naive(end)
