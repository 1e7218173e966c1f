"""Timed exams through the JSON API and the pages: autosave rules, deadlines, results."""
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from exam import clock
from exam.extensions import db
from exam.models import Attempt, BlueprintRecord, ExamSession, Response
from exam.models._common import utcnow
from tests.conftest import PASSWORD, page_text

MOCK = "blueprint:l2-theory-mock"
FORBIDDEN_KEYS = {"answer", "explanation", "key_points", "reference", "blanks_key", "rubric_key", "match"}


@pytest.fixture
def api(client, users):
    r = client.post("/api/v1/auth/login", json={"username": "trainee1", "password": PASSWORD})
    assert r.status_code == 200
    token = r.get_json()["token"]

    class Api:
        def call(self, method, path, body=None, token=token):
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            return client.open("/api/v1" + path, method=method, json=body, headers=headers)

    return Api()


@pytest.fixture(autouse=True)
def _real_clock():
    yield
    clock.set_now(None)


def walk_keys(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from walk_keys(v)
    elif isinstance(value, list):
        for v in value:
            yield from walk_keys(v)


def start(api, exam=MOCK):
    r = api.call("POST", "/attempts", {"exam": exam})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def test_login_errors_are_json_in_chinese(client, users):
    r = client.post("/api/v1/auth/login", json={"username": "trainee1", "password": "nope"})
    assert r.status_code == 401 and r.get_json()["error"]["message"] == "用户名或密码不正确。"
    assert client.get("/api/v1/exams").get_json()["error"]["code"] == 401
    r = client.get("/api/v1/exams", headers={"Authorization": "Bearer forged"})
    assert r.status_code == 401 and "令牌无效" in r.get_json()["error"]["message"]


def test_exam_list_and_paper_without_keys(api, app):
    exams = api.call("GET", "/exams").get_json()["exams"]
    assert MOCK in {e["id"] for e in exams}
    body = start(api)
    with app.app_context():
        bp = db.session.get(BlueprintRecord, "l2-theory-mock").data
    assert len(body["items"]) == sum(s["count"] for s in bp["sections"])
    assert not FORBIDDEN_KEYS & set(walk_keys(body))
    with app.app_context():
        attempt = db.session.get(Attempt, body["attempt_id"])
        text = json.dumps(body, ensure_ascii=False)
        for item in attempt.paper.items:
            assert item.version.data["explanation"].strip()[:25] not in text
        assert sum(i.points for i in attempt.paper.items) == bp["total_points"]
        assert 0 < (attempt.deadline - attempt.started_at).total_seconds() <= bp["time_limit_minutes"] * 60
    assert body["remaining_seconds"] > 0


def test_starting_again_resumes_the_same_attempt(api):
    first, second = start(api), start(api)
    assert first["attempt_id"] == second["attempt_id"]


def test_autosave_is_idempotent_and_stale_saves_lose(api, app):
    body = start(api)
    aid, item = body["attempt_id"], body["items"][0]
    url = f"/attempts/{aid}/answers/{item['item_id']}"
    first, second = item["options"][0]["key"], item["options"][1]["key"]
    assert api.call("PUT", url, {"answer": first, "seq": 5}).get_json()["saved_seq"] == 5
    assert api.call("PUT", url, {"answer": first, "seq": 5}).get_json()["saved_seq"] == 5  # retry: same
    r = api.call("PUT", url, {"answer": second, "seq": 3}).get_json()  # late, older save
    assert r == {"saved_seq": 5, "stale": True}
    state = api.call("GET", f"/attempts/{aid}").get_json()
    saved = next(a for a in state["answers"] if a["item_id"] == item["item_id"])
    assert saved["seq"] == 5 and json.dumps(saved["answer"]).find(first) >= 0
    assert api.call("PUT", url, {"answer": second, "seq": "x"}).status_code == 400
    assert api.call("PUT", url, {"seq": 9}).status_code == 400
    assert api.call("PUT", f"/attempts/{aid}/answers/999999", {"answer": "A", "seq": 9}).status_code == 404


def test_other_users_cannot_touch_an_attempt(api, client, app):
    aid = start(api)["attempt_id"]
    from exam.services.accounts import create_user

    with app.app_context():
        create_user("trainee2", "trainee", "abcdefgh1")
    token = client.post("/api/v1/auth/login", json={"username": "trainee2", "password": "abcdefgh1"}).get_json()["token"]
    assert api.call("GET", f"/attempts/{aid}", token=token).status_code == 404
    assert api.call("POST", f"/attempts/{aid}/submit", token=token).status_code == 404


def test_deadline_refuses_saves_and_closes_the_attempt(api, app):
    body = start(api)
    aid, item = body["attempt_id"], body["items"][0]
    url = f"/attempts/{aid}/answers/{item['item_id']}"
    api.call("PUT", url, {"answer": item["options"][0]["key"], "seq": 1})
    with app.app_context():
        deadline = db.session.get(Attempt, aid).deadline
    clock.set_now(deadline + timedelta(seconds=1))
    r = api.call("PUT", url, {"answer": item["options"][1]["key"], "seq": 2})
    assert r.status_code == 409 and "考试已结束" in r.get_json()["error"]["message"]
    state = api.call("GET", f"/attempts/{aid}").get_json()
    assert state["status"] == "submitted" and state["result"]["released"] is True
    with app.app_context():
        attempt = db.session.get(Attempt, aid)
        assert attempt.auto_submitted and attempt.submitted_at == deadline
        kept = db.session.scalar(select(Response).where(Response.attempt_id == aid,
                                                        Response.paper_item_id == item["item_id"]))
        assert kept.seq == 1  # the answer saved before the deadline counts


def test_submit_returns_the_result_once(api):
    body = start(api)
    aid = body["attempt_id"]
    for item in body["items"][:5]:
        api.call("PUT", f"/attempts/{aid}/answers/{item['item_id']}", {"answer": item["options"][0]["key"], "seq": 1})
    first = api.call("POST", f"/attempts/{aid}/submit").get_json()
    assert set(first) >= {"score", "max_score", "passed", "pending_review"}
    assert first["max_score"] == 100 and first["passed"] is False
    assert api.call("POST", f"/attempts/{aid}/submit").get_json() == first


def test_close_expired_command_grades_abandoned_attempts(api, app, runner):
    aid = start(api)["attempt_id"]
    with app.app_context():
        deadline = db.session.get(Attempt, aid).deadline
    clock.set_now(deadline + timedelta(minutes=5))
    result = runner.invoke(args=["attempts", "close-expired"])
    assert "已自动交卷：1 份" in result.output
    with app.app_context():
        assert db.session.get(Attempt, aid).status == "submitted"


def test_exam_page_resumes_with_saved_answers_and_server_time(client, auth, api, app):
    body = start(api)
    aid, item = body["attempt_id"], body["items"][0]
    key = item["options"][2]["key"]
    api.call("PUT", f"/attempts/{aid}/answers/{item['item_id']}", {"answer": key, "seq": 7, "flagged": True})
    auth.login()
    html = client.get(f"/exams/attempt/{aid}").get_data(as_text=True)
    assert 'data-remaining="' in html and "一、单项选择题" in html
    assert f'value="{key}" checked' in html
    assert 'data-flagged="true"' in html and 'data-seq="7"' in html
    assert "解析" not in html and "is-key" not in html and "正确答案" not in html


def test_results_by_function_and_type(client, auth, api):
    body = start(api)
    aid = body["attempt_id"]
    api.call("POST", f"/attempts/{aid}/submit")
    auth.login()
    text = page_text(client.get(f"/exams/attempt/{aid}/result"))
    assert "考试成绩" in text and "不合格" in text
    assert "客户服务筹划" in text and "客户服务提供" in text and "单选" in text and "判断" in text
    assert "解析" in text and "正确答案" in text


def test_certification_results_wait_for_release(client, auth, app, api):
    auth.login("admin1")
    now_bj = utcnow() + timedelta(hours=8)
    r = client.post("/admin/sessions", data={
        "blueprint_id": "l2-theory-cert", "title": "十二月正式考试",
        "opens_at": (now_bj - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now_bj + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")}, follow_redirects=True)
    assert "已安排考试场次：十二月正式考试" in page_text(r)
    with app.app_context():
        session_id = db.session.scalar(select(ExamSession.id))
    auth.logout()

    exams = api.call("GET", "/exams").get_json()["exams"]
    assert f"session:{session_id}" in {e["id"] for e in exams}
    aid = start(api, f"session:{session_id}")["attempt_id"]
    result = api.call("POST", f"/attempts/{aid}/submit").get_json()
    assert result["released"] is False and result["score"] is None
    assert f"session:{session_id}" not in {e["id"] for e in api.call("GET", "/exams").get_json()["exams"]}
    r = api.call("POST", "/attempts", {"exam": f"session:{session_id}"})
    assert r.status_code == 400 and "只能参加一次" in r.get_json()["error"]["message"]
    auth.login()
    assert "成绩由管理员统一公布" in page_text(client.get(f"/exams/attempt/{aid}/result"))
    auth.logout()

    auth.login("admin1")
    r = client.post(f"/admin/sessions/{session_id}/release", follow_redirects=True)
    assert "已公布" in page_text(r)
    auth.logout()
    assert api.call("GET", f"/attempts/{aid}").get_json()["result"]["released"] is True


def test_session_form_keeps_input_on_error(client, auth):
    auth.login("admin1")
    r = client.post("/admin/sessions", data={"blueprint_id": "l2-theory-cert", "title": "错误场次",
                                             "opens_at": "2026-12-01T10:00", "closes_at": "2026-12-01T09:00"})
    text = page_text(r)
    assert "结束时间必须晚于开始时间" in text and 'value="错误场次"' in r.get_data(as_text=True)


def test_cookie_clients_need_the_csrf_header(app, client, auth):
    auth.login()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        r = client.post("/api/v1/attempts", json={"exam": MOCK})
        assert r.status_code == 400 and "安全令牌" in r.get_json()["error"]["message"]
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    for path in ("/auth/login", "/exams", "/attempts", "/attempts/{attempt_id}",
                 "/attempts/{attempt_id}/answers/{item_id}", "/attempts/{attempt_id}/submit"):
        assert path in spec["paths"]


def test_millisecond_sequence_numbers_fit(api):
    """The exam page uses Date.now() as seq: it must be stored on every database."""
    body = start(api)
    item = body["items"][0]
    url = f"/attempts/{body['attempt_id']}/answers/{item['item_id']}"
    seq = 1_764_000_000_000
    assert api.call("PUT", url, {"answer": item["options"][0]["key"], "seq": seq}).get_json()["saved_seq"] == seq
    assert api.call("PUT", url, {"answer": None, "seq": 2**60}).status_code == 400


def test_mock_mistakes_join_the_wrong_answer_book_but_certification_ones_do_not(api, app, client, auth):
    from exam.models import WrongItem

    body = start(api)
    aid = body["attempt_id"]
    with app.app_context():
        attempt = db.session.get(Attempt, aid)
        wrong = {}
        for item in attempt.paper.items[:3]:
            data = item.version.data
            if item.version.qtype == "single":
                wrong[item.id] = next(k for k in data["options"] if k != data["answer"])
    for item_id, key in wrong.items():
        api.call("PUT", f"/attempts/{aid}/answers/{item_id}", {"answer": key, "seq": 1})
    api.call("POST", f"/attempts/{aid}/submit")
    with app.app_context():
        assert db.session.query(WrongItem).count() == len(wrong) > 0

    auth.login("admin1")
    now_bj = utcnow() + timedelta(hours=8)
    client.post("/admin/sessions", data={
        "blueprint_id": "l2-theory-cert", "title": "正式考试",
        "opens_at": (now_bj - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now_bj + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")})
    with app.app_context():
        session_id = db.session.scalar(select(ExamSession.id))
    cert = start(api, f"session:{session_id}")
    with app.app_context():
        first = db.session.get(Attempt, cert["attempt_id"]).paper.items[0]
        data = first.version.data
        key = next(k for k in data["options"] if k != data["answer"]) if first.version.qtype == "single" else None
    assert key, "the certification paper opens with single-choice items"
    api.call("PUT", f"/attempts/{cert['attempt_id']}/answers/{first.id}", {"answer": key, "seq": 1})
    api.call("POST", f"/attempts/{cert['attempt_id']}/submit")
    with app.app_context():
        assert db.session.query(WrongItem).count() == len(wrong)  # unchanged before the release


def test_the_database_allows_one_sitting_per_session(app, users):
    """Even if two servers race past the checks, the second insert fails and nothing is half-written."""
    from sqlalchemy.exc import IntegrityError

    from exam.models import Paper

    with app.app_context():
        session = ExamSession(blueprint_id="l2-theory-cert", title="场次", opens_at=utcnow(),
                              closes_at=utcnow() + timedelta(hours=2))
        db.session.add(session)
        db.session.flush()
        for _ in range(2):
            paper = Paper(kind="certification", title="场次", scope="blueprint:l2-theory-cert")
            db.session.add(Attempt(paper=paper, user_id=users["trainee"], mode="certification", session_id=session.id))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
        # Mock attempts carry no session and never collide.
        for _ in range(2):
            paper = Paper(kind="mock", title="模拟", scope="blueprint:l2-theory-mock")
            db.session.add(Attempt(paper=paper, user_id=users["trainee"], mode="mock"))
        db.session.commit()
