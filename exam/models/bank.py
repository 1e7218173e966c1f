"""The question bank: a question is a stable id; its text lives in immutable versions.

A version's `data` is the whole item as authored (stem, options, answer,
explanation, key points...). Editing a question adds a version; papers point
at versions, so a past attempt always shows what it showed.
"""
from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import utcnow


class Question(db.Model):
    __tablename__ = "questions"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    qtype: Mapped[str] = mapped_column(String(20), index=True)
    lesson_id: Mapped[str] = mapped_column(ForeignKey("lessons.id"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id"), index=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    function_id: Mapped[str] = mapped_column(ForeignKey("functions.id"), index=True)
    level_id: Mapped[str] = mapped_column(ForeignKey("levels.id"), index=True)
    difficulty: Mapped[int] = mapped_column(default=3)
    # Set when the item disappears from content/: kept for past attempts, never drawn again.
    retired: Mapped[bool] = mapped_column(default=False, index=True)
    source_file: Mapped[str] = mapped_column(String(200), default="")
    current_version_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("question_versions.id", use_alter=True, name="fk_questions_current_version"),
        nullable=True,
    )
    section = relationship("Section")
    lesson = relationship("Lesson")
    current_version: Mapped[Optional["QuestionVersion"]] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )
    tags: Mapped[list["QuestionTag"]] = relationship(cascade="all, delete-orphan")


class QuestionVersion(db.Model):
    __tablename__ = "question_versions"
    __table_args__ = (UniqueConstraint("question_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"), index=True)
    number: Mapped[int] = mapped_column(default=1)
    qtype: Mapped[str] = mapped_column(String(20))
    data: Mapped[dict] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    question: Mapped[Question] = relationship(foreign_keys=[question_id])


class QuestionTag(db.Model):
    __tablename__ = "question_tags"
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
