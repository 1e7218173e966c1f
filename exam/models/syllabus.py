"""The syllabus tree: level -> function (职业功能) -> unit (工作内容) -> lesson -> section.

Ids are the stable string ids of content/ so that links, attempts and
progress survive a reload of the content.
"""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import utcnow


class Level(db.Model):
    __tablename__ = "levels"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(80), default="")
    position: Mapped[int] = mapped_column(default=0)
    functions: Mapped[list["Function"]] = relationship(
        back_populates="level", order_by="Function.position"
    )


class Function(db.Model):
    __tablename__ = "functions"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    level_id: Mapped[str] = mapped_column(ForeignKey("levels.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)
    level: Mapped[Level] = relationship(back_populates="functions")
    units: Mapped[list["Unit"]] = relationship(back_populates="function", order_by="Unit.position")


class Unit(db.Model):
    __tablename__ = "units"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    function_id: Mapped[str] = mapped_column(ForeignKey("functions.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)
    function: Mapped[Function] = relationship(back_populates="units")
    lessons: Mapped[list["Lesson"]] = relationship(back_populates="unit", order_by="Lesson.position")


class Lesson(db.Model):
    __tablename__ = "lessons"
    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    # Global reading order over the whole syllabus: previous/next links.
    sequence: Mapped[int] = mapped_column(default=0, index=True)
    objectives: Mapped[list] = mapped_column(JSON, default=list)
    key_terms: Mapped[list] = mapped_column(JSON, default=list)
    sources: Mapped[list] = mapped_column(JSON, default=list)
    reading_minutes: Mapped[int] = mapped_column(default=0)
    body_md: Mapped[str] = mapped_column(Text, default="")
    # Rendered, sanitised HTML cached per content version (content_hash).
    html: Mapped[str] = mapped_column(Text, default="")
    toc: Mapped[list] = mapped_column(JSON, default=list)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    unit: Mapped[Unit] = relationship(back_populates="lessons")
    sections: Mapped[list["Section"]] = relationship(
        back_populates="lesson", order_by="Section.position", cascade="all, delete-orphan"
    )


class Section(db.Model):
    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("lesson_id", "anchor"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[str] = mapped_column(ForeignKey("lessons.id"), index=True)
    anchor: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    aux: Mapped[bool] = mapped_column(default=False)
    lesson: Mapped[Lesson] = relationship(back_populates="sections")


class LessonRead(db.Model):
    """A trainee marked a lesson as read: drives the progress bars."""

    __tablename__ = "lesson_reads"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    lesson_id: Mapped[str] = mapped_column(ForeignKey("lessons.id"), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(default=utcnow)
