"""Exams over JSON: list, start, autosave, state, submit. Never a key before submission."""
from flask import g, jsonify, request

from ...extensions import db
from ...models import Attempt
from ...qtypes import get_qtype
from ...services import exams as service
from ...services.attempts import AttemptError
from . import bp
from .auth import ApiError


MAX_SEQ = 2**53 - 1  # the largest integer a browser counts exactly


def iso(dt):
    return dt.isoformat(timespec="seconds") + "Z" if dt else None


def _attempt(attempt_id: int) -> Attempt:
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != g.api_user.id or attempt.mode not in service.EXAM_MODES:
        raise ApiError(404, "没有找到这次考试。")
    return attempt


def item_payload(item) -> dict:
    """What a client needs to show an item: text and options, no key, no key points, no 解析."""
    view = get_qtype(item.version.qtype).view(item.version.data, item.option_order, item.params, reveal=False)
    payload = {"item_id": item.id, "position": item.position, "section": item.section, "type": view.qtype,
               "type_label": view.label, "stem": view.stem, "points": item.points,
               "options": [{"key": o["value"], "label": o["label"], "text": o["text"]} for o in view.options]}
    extra = view.extra or {}
    if "parts" in extra:
        payload["parts"] = [{"id": p["id"], "prompt": p["prompt"], "points": p["points"]} for p in extra["parts"]]
    for name in ("material", "blanks", "unit", "title"):
        if extra.get(name):
            payload[name] = extra[name]
    return payload


def result_payload(attempt: Attempt) -> dict:
    if not service.results_released(attempt):
        return {"released": False, "score": None, "max_score": None, "passed": None,
                "pending_review": None, "message": "成绩待管理员公布。"}
    summary = service.breakdown(attempt)
    return {"released": True, "score": attempt.score, "max_score": attempt.max_score, "passed": summary.passed,
            "pending_review": attempt.pending_review}


@bp.route("/exams")
def exams():
    return jsonify(exams=[{
        "id": c.ref, "title": c.title, "kind": c.kind, "time_limit_minutes": c.time_limit,
        "total_points": c.total_points, "pass_mark": c.pass_mark, "closes_at": iso(c.closes_at),
        "open_attempt_id": c.open_attempt_id} for c in service.available_exams(g.api_user)])


@bp.route("/attempts", methods=["POST"])
def start():
    body = request.get_json(silent=True) or {}
    try:
        attempt = service.start_exam(g.api_user, str(body.get("exam") or ""))
    except AttemptError as exc:
        raise ApiError(400, str(exc)) from None
    return jsonify(attempt_id=attempt.id, deadline=iso(attempt.deadline),
                   remaining_seconds=service.remaining_seconds(attempt),
                   items=[item_payload(item) for item in attempt.paper.items]), 201


@bp.route("/attempts/<int:attempt_id>/answers/<int:item_id>", methods=["PUT"])
def save(attempt_id, item_id):
    attempt = _attempt(attempt_id)
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or "answer" not in body:
        raise ApiError(400, "请求体应为 JSON：{answer, seq}。")
    seq = body.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq <= MAX_SEQ:
        raise ApiError(400, "seq 必须是正整数，且每次保存递增。")
    flagged = body.get("flagged")
    try:
        saved = service.save_answer(attempt, item_id, body["answer"], seq,
                                    flagged if isinstance(flagged, bool) else None)
    except service.ExamClosed as exc:
        raise ApiError(409, str(exc)) from None
    except AttemptError as exc:
        raise ApiError(404, str(exc)) from None
    return jsonify(saved_seq=saved, stale=saved != seq)


@bp.route("/attempts/<int:attempt_id>")
def state(attempt_id):
    attempt = _attempt(attempt_id)
    service.close_if_expired(attempt)
    payload = {"attempt_id": attempt.id, "status": attempt.status, "deadline": iso(attempt.deadline),
               "remaining_seconds": service.remaining_seconds(attempt) if attempt.is_open else 0,
               "answers": [{"item_id": r.paper_item_id, "answer": r.answer, "seq": r.seq, "flagged": r.flagged}
                           for r in sorted(attempt.responses, key=lambda r: r.paper_item_id)]}
    if attempt.is_open:
        payload["items"] = [item_payload(item) for item in attempt.paper.items]
    else:
        payload["result"] = result_payload(attempt)
    return jsonify(payload)


@bp.route("/attempts/<int:attempt_id>/submit", methods=["POST"])
def submit(attempt_id):
    attempt = _attempt(attempt_id)
    if attempt.is_open:
        service.submit_exam(attempt)
    return jsonify(result_payload(attempt))
