"""A paper is the concrete list of question versions and option orders drawn for an attempt."""
from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import utcnow


class Paper(db.Model):
    __tablename__ = "papers"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # practice / mock / certification
    title: Mapped[str] = mapped_column(String(120), default="")
    # What the paper was drawn from, e.g. "lesson:env-macro-micro" or a blueprint id.
    scope: Mapped[str] = mapped_column(String(120), default="")
    seed: Mapped[int] = mapped_column(default=0)
    created_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    items: Mapped[list["PaperItem"]] = relationship(
        back_populates="paper", order_by="PaperItem.position", cascade="all, delete-orphan"
    )


class PaperItem(db.Model):
    __tablename__ = "paper_items"
    __table_args__ = (UniqueConstraint("paper_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    paper_id: Mapped[int] = mapped_column(ForeignKey("papers.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column()
    version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"), index=True)
    # Original option keys in the order shown, e.g. ["C", "A", "D", "B"]; [] when not shuffled.
    option_order: Mapped[list] = mapped_column(JSON, default=list)
    # Per-paper parameters (numeric templates draw their numbers here).
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    points: Mapped[float] = mapped_column(default=1.0)
    # The blueprint section the item was drawn for (一、单项选择题 ...); "" on practice papers.
    section: Mapped[str] = mapped_column(String(40), default="")
    paper: Mapped[Paper] = relationship(back_populates="items")
    version: Mapped["QuestionVersion"] = relationship()  # noqa: F821
