"""Write a validated Bundle into the database in one transaction.

Idempotent: loading the same files twice changes nothing. A question whose
authored data changed gets a new version (old versions stay for the attempts
that showed them); a question gone from the files is retired, not deleted.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select

from ..extensions import db
from ..models import (BlueprintRecord, Function, Lesson, Level, Question, QuestionTag, QuestionVersion, Section,
                      Unit)
from ..models._common import utcnow
from .files import Bundle, content_hash
from .render import RENDERER_VERSION, render_lesson


@dataclass
class LoadReport:
    counts: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        c = self.counts
        return (f"课程：新增 {c['lesson_new']}，更新 {c['lesson_changed']}，未变 {c['lesson_same']}；"
                f"试题：新增 {c['question_new']}，新版本 {c['question_changed']}，未变 {c['question_same']}，"
                f"停用 {c['question_retired']}；组卷方案：{c['blueprints']} 个")


def load_bundle(bundle: Bundle) -> LoadReport:
    """Caller validated the bundle; commits on success, rolls back everything on any error."""
    report = LoadReport()
    try:
        with db.session.no_autoflush:
            _load_syllabus(bundle)
            db.session.flush()
            stems = {q.data["id"]: q.data.get("stem") or q.data.get("title") or "" for q in bundle.questions}
            _load_lessons(bundle, stems, report)
            db.session.flush()
            _load_questions(bundle, report)
            _load_blueprints(bundle, report)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report


def _upsert(model, key, **values):
    obj = db.session.get(model, key)
    if obj is None:
        obj = model(id=key, **values)
        db.session.add(obj)
    else:
        for name, value in values.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
    return obj


def _load_syllabus(bundle: Bundle) -> None:
    for lp, level in enumerate(bundle.syllabus["levels"]):
        _upsert(Level, level["id"], name=level["name"], title=level.get("title", ""), position=lp)
        for fp, function in enumerate(level.get("functions") or []):
            _upsert(Function, function["id"], level_id=level["id"], name=function["name"], position=fp)
            for up, unit in enumerate(function.get("units") or []):
                _upsert(Unit, unit["id"], function_id=function["id"], name=unit["name"], position=up)


def _load_lessons(bundle: Bundle, stems: dict, report: LoadReport) -> None:
    sequence = 0
    for level in bundle.syllabus["levels"]:
        for function in level.get("functions") or []:
            for unit in function.get("units") or []:
                for position, lesson_id in enumerate(unit.get("lessons") or []):
                    sequence += 1
                    _load_lesson(bundle.lessons[lesson_id], unit["id"], position, sequence, stems, report)


def _load_lesson(lf, unit_id, position, sequence, stems, report):
    meta = lf.meta
    # The linked stems are part of the rendered page, so they are part of its version.
    linked = {qid: stems.get(qid, "") for qid in sorted(set(_links(lf.body)))}
    digest = content_hash({"meta": meta, "body": lf.body, "linked": linked, "renderer": RENDERER_VERSION})
    lesson = db.session.get(Lesson, lf.id)
    if lesson is not None and lesson.content_hash == digest:
        report.counts["lesson_same"] += 1
        lesson.unit_id, lesson.position, lesson.sequence = unit_id, position, sequence
        return
    rendered = render_lesson(lf.body, linked)
    values = dict(unit_id=unit_id, title=str(meta["title"]), position=position, sequence=sequence,
                  objectives=list(meta.get("objectives") or []), key_terms=list(meta.get("key_terms") or []),
                  sources=list(meta.get("sources") or []), reading_minutes=int(meta.get("reading_minutes") or 0),
                  body_md=lf.body, html=rendered.html, toc=rendered.toc, content_hash=digest,
                  updated_at=utcnow())
    if lesson is None:
        lesson = Lesson(id=lf.id, version=1, **values)
        db.session.add(lesson)
        report.counts["lesson_new"] += 1
    else:
        for name, value in values.items():
            setattr(lesson, name, value)
        lesson.version += 1
        report.counts["lesson_changed"] += 1
    existing = {s.anchor: s for s in lesson.sections}
    for pos, info in enumerate(rendered.sections):
        section = existing.pop(info.anchor, None)
        if section is None:
            lesson.sections.append(Section(anchor=info.anchor, title=info.title, position=pos, aux=info.aux))
        else:
            section.title, section.position, section.aux = info.title, pos, info.aux
    for section in existing.values():
        # A section that left the file stays only while old questions point at it.
        section.position = 10_000 + section.position
        section.aux = True


def _links(body):
    from .render import question_links

    return question_links(body)


def _load_questions(bundle: Bundle, report: LoadReport) -> None:
    lessons = {l.id: l for l in db.session.scalars(select(Lesson))}
    units = {u.id: u for u in db.session.scalars(select(Unit))}
    sections = {(s.lesson_id, s.anchor): s for s in db.session.scalars(select(Section))}
    current = {q.id: q for q in db.session.scalars(select(Question))}
    seen = set()
    for item in bundle.questions:
        data = item.data
        qid = data["id"]
        seen.add(qid)
        lesson = lessons[item.lesson_id]
        unit = units[lesson.unit_id]
        section = sections[(item.lesson_id, item.section)]
        digest = content_hash(data)
        question = current.get(qid)
        meta = dict(qtype=data["type"], lesson_id=lesson.id, section_id=section.id, unit_id=unit.id,
                    function_id=unit.function_id, level_id=unit.function.level_id,
                    difficulty=int(data["difficulty"]), retired=False, source_file=item.file)
        if question is None:
            question = Question(id=qid, **meta)
            db.session.add(question)
            report.counts["question_new"] += 1
            _new_version(question, data, digest, 1)
        else:
            for name, value in meta.items():
                if getattr(question, name) != value:
                    setattr(question, name, value)
            if question.current_version is None or question.current_version.content_hash != digest:
                number = (question.current_version.number + 1) if question.current_version else 1
                _new_version(question, data, digest, number)
                report.counts["question_changed"] += 1
            else:
                report.counts["question_same"] += 1
        tags = set(data.get("tags") or [])
        if {t.tag for t in question.tags} != tags:
            question.tags = [QuestionTag(tag=str(t)) for t in sorted(tags)]
    for qid, question in current.items():
        if qid not in seen and not question.retired:
            question.retired = True
            report.counts["question_retired"] += 1


def _new_version(question, data, digest, number):
    version = QuestionVersion(question_id=question.id, number=number, qtype=data["type"],
                              data=data, content_hash=digest)
    db.session.add(version)
    db.session.flush()
    question.current_version = version


def _load_blueprints(bundle: Bundle, report: LoadReport) -> None:
    seen = set()
    for bp_id, data in bundle.blueprints.items():
        data = {k: v for k, v in data.items() if k != "__file__"}
        seen.add(bp_id)
        digest = content_hash(data)
        record = db.session.get(BlueprintRecord, bp_id)
        values = dict(title=str(data.get("title", bp_id)), kind=str(data.get("kind", "mock")),
                      level_id=str(data.get("level", "")), data=data, content_hash=digest, active=True)
        if record is None:
            db.session.add(BlueprintRecord(id=bp_id, updated_at=utcnow(), **values))
        elif record.content_hash != digest or not record.active:
            for name, value in values.items():
                setattr(record, name, value)
            record.updated_at = utcnow()
        report.counts["blueprints"] += 1
    for record in db.session.scalars(select(BlueprintRecord)):
        if record.id not in seen:
            record.active = False  # sessions and attempts still refer to it
