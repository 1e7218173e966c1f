"""Per-trainee practice state: wrong-answer book, favourites, spaced-review cards."""
from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._common import utcnow


class WrongItem(db.Model):
    """错题本: an item answered wrong; it leaves after being answered right twice in a row."""

    __tablename__ = "wrong_items"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"), primary_key=True)
    wrong_count: Mapped[int] = mapped_column(default=0)
    right_streak: Mapped[int] = mapped_column(default=0)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_answered_at: Mapped[datetime] = mapped_column(default=utcnow)
    cleared_at: Mapped[Optional[datetime]] = mapped_column(nullable=True, index=True)


class Favourite(db.Model):
    """收藏: items a trainee marked to come back to."""

    __tablename__ = "favourites"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReviewCard(db.Model):
    """Spaced review (FSRS): one card per trainee and item, fed by every practice answer."""

    __tablename__ = "review_cards"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"), primary_key=True)
    card: Mapped[dict] = mapped_column(JSON, default=dict)  # fsrs.Card.to_dict()
    due: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    last_review: Mapped[Optional[datetime]] = mapped_column(nullable=True)
