"""Practice modes: item by item with feedback at once, resume, wrong-answer book, favourites,
study mode, spaced review (FSRS), random and in-order drills."""
import re
from datetime import timedelta

from sqlalchemy import select

from exam.extensions import db
from exam.models import Attempt, Favourite, Question, Response, ReviewCard, Section, WrongItem
from exam.models._common import utcnow
from exam.qtypes import get_qtype
from exam.services.practice import PRACTICE_TYPES
from tests.conftest import page_text

LESSON = "env-macro-micro"


def start(client, scope=f"lesson:{LESSON}"):
    r = client.post("/practice/start", data={"scope": scope})
    assert r.status_code == 302, r.get_data(as_text=True)
    match = re.search(r"/practice/attempt/(\d+)", r.headers["Location"])
    assert match, (scope, r.headers["Location"])
    return int(match.group(1))


def items(app, attempt_id):
    """(position, item id, question id, qtype, data, params) of each item of the attempt's paper."""
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        return [(i.position, i.id, i.version.question_id, i.version.qtype, i.version.data, dict(i.params))
                for i in attempt.paper.items]


def answer_value(qtype, data, params, right=True):
    """The form value of a right (or wrong) answer."""
    if qtype == "fill":
        return [a[0] for a in data["blanks"]] if right else ["错误答案"] * len(data["blanks"])
    if qtype == "numeric":
        value = get_qtype("numeric")._answer(data, params)
        return str(value if right else value + 1000)
    if qtype == "judge":
        return "true" if data["answer"] is right else "false"
    if qtype == "single":
        return data["answer"] if right else next(k for k in data["options"] if k != data["answer"])
    return list(data["answer"]) if right else [data["answer"][0]]


def answer(client, attempt_id, item, right=True, follow=False):
    position, item_id, _, qtype, data, params = item
    return client.post(f"/practice/attempt/{attempt_id}/item/{position}",
                       data={f"item-{item_id}": answer_value(qtype, data, params, right)},
                       follow_redirects=follow)


def item_page(client, attempt_id, position):
    r = client.get(f"/practice/attempt/{attempt_id}/item/{position}")
    assert r.status_code == 200
    return r.get_data(as_text=True)


def assert_no_key(html, data):
    assert data["explanation"].strip()[:20] not in html
    assert "正确答案" not in html and "is-key" not in html and "<h3>解析</h3>" not in html


def response_of(app, attempt_id, item_id):
    with app.app_context():
        return db.session.scalar(select(Response).where(Response.attempt_id == attempt_id,
                                                        Response.paper_item_id == item_id))


# -- one item at a time ------------------------------------------------------

def test_attempt_opens_on_its_first_item_and_no_page_shows_a_key_before_answering(client, auth, app):
    auth.login()
    attempt_id = start(client)
    r = client.get(f"/practice/attempt/{attempt_id}")
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/practice/attempt/{attempt_id}/item/1")
    paper = items(app, attempt_id)
    assert len(paper) == 10
    for position, item_id, _, _, data, _ in paper:
        html = item_page(client, attempt_id, position)
        assert f"第 <strong>{position}</strong>/10 题" in html
        assert data["stem"].split("____")[0].split("{")[0] in html
        assert f'name="item-{item_id}"' in html and "提交答案" in html
        assert_no_key(html, data)
        # Only this item is on the page: no other item's inputs.
        assert len(set(re.findall(r'name="item-(\d+)', html))) == 1
    # The result page of an open attempt shows nothing either.
    r = client.get(f"/practice/attempt/{attempt_id}/result")
    assert r.status_code == 302 and "/result" not in r.headers["Location"]


def test_answer_is_graded_at_once_and_only_its_key_is_shown(client, auth, app):
    auth.login()
    attempt_id = start(client)
    paper = items(app, attempt_id)
    r = answer(client, attempt_id, paper[0], right=True)
    assert r.status_code == 302 and r.headers["Location"].endswith("/item/1")
    html = item_page(client, attempt_id, 1)
    text = page_text(client.get(f"/practice/attempt/{attempt_id}/item/1"))
    assert "✓ 回答正确" in text and "正确答案" in text and "解析" in text
    assert paper[0][4]["explanation"].strip()[:20] in html
    assert f'href="/learn/lesson/{LESSON}#' in html  # the lesson section to reread
    assert "得分 1 分 · 答对 1/1" in text
    assert '<progress value="1" max="10"' in html
    assert "下一题" in text and 'name="item-' not in html  # no form any more: the answer is final
    # The next item still hides its key.
    assert_no_key(item_page(client, attempt_id, 2), paper[1][4])

    answer(client, attempt_id, paper[1], right=False)
    text = page_text(client.get(f"/practice/attempt/{attempt_id}/item/2"))
    assert "✗ 回答错误" in text and "得分 1 分 · 答对 1/2" in text
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).score == 1
    response = response_of(app, attempt_id, paper[1][1])
    assert response.answered_at is not None and response.correct is False


def test_answering_again_does_not_change_the_first_grade(client, auth, app):
    auth.login()
    attempt_id = start(client)
    first = items(app, attempt_id)[0]
    answer(client, attempt_id, first, right=False)
    r = answer(client, attempt_id, first, right=True, follow=True)
    assert "成绩以第一次作答为准" in page_text(r)
    response = response_of(app, attempt_id, first[1])
    assert response.correct is False and response.score == 0
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).score == 0
        assert db.session.scalar(select(WrongItem.wrong_count).where(WrongItem.question_id == first[2])) == 1


def test_an_empty_answer_is_refused_without_a_grade(client, auth, app):
    auth.login()
    attempt_id = start(client)
    r = client.post(f"/practice/attempt/{attempt_id}/item/1", data={}, follow_redirects=True)
    assert "请先选择或填写答案" in page_text(r)
    assert response_of(app, attempt_id, items(app, attempt_id)[0][1]) is None
    assert_no_key(r.get_data(as_text=True), items(app, attempt_id)[0][4])


def test_leave_and_resume_where_it_stopped(client, auth, app):
    auth.login()
    attempt_id = start(client)
    paper = items(app, attempt_id)
    for item in (paper[0], paper[1], paper[2], paper[4]):
        answer(client, attempt_id, item)
    text = page_text(client.get("/practice/"))
    assert "未完成的练习" in text and "已答 4/10" in text
    r = client.get(f"/practice/attempt/{attempt_id}")
    assert r.headers["Location"].endswith("/item/4")  # the first item not answered yet
    # The answer card links every item; answered ones are marked right/wrong.
    html = item_page(client, attempt_id, 4)
    assert html.count('class="cell right') == 4 and 'aria-current="step"' in html


def test_the_last_answer_submits_and_the_result_page_follows(client, auth, app):
    auth.login()
    attempt_id = start(client)
    paper = items(app, attempt_id)
    for item in paper:
        answer(client, attempt_id, item, right=item[0] != 3)
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status == "submitted" and attempt.score == 9
    assert client.get(f"/practice/attempt/{attempt_id}").headers["Location"].endswith("/result")
    text = page_text(client.get(f"/practice/attempt/{attempt_id}/result"))
    assert "9 / 10 分" in text and text.count("✓ 回答正确") == 9
    assert "查看结果" in page_text(client.get(f"/practice/attempt/{attempt_id}/item/10"))
    r = answer(client, attempt_id, paper[2], right=True, follow=True)
    assert "已经结束" in page_text(r)


def test_finishing_early_scores_the_rest_zero(client, auth, app):
    auth.login()
    attempt_id = start(client)
    answer(client, attempt_id, items(app, attempt_id)[0])
    r = client.post(f"/practice/attempt/{attempt_id}/finish", follow_redirects=True)
    text = page_text(r)
    assert "1 / 10 分" in text and "未作答" in text
    with app.app_context():
        # Unanswered items are graded zero but are not "answers": the wrong book stays empty.
        assert db.session.scalar(select(WrongItem).where(WrongItem.cleared_at.is_(None))) is None


def test_whole_paper_submit_still_works_and_keeps_item_grades(client, auth, app):
    auth.login()
    attempt_id = start(client)
    paper = items(app, attempt_id)
    answer(client, attempt_id, paper[0], right=False)
    form = {f"item-{item_id}": answer_value(qtype, data, params) for _, item_id, _, qtype, data, params in paper}
    client.post(f"/practice/attempt/{attempt_id}", data=form)
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status == "submitted" and attempt.score == 9
        assert all(r.answered_at is not None for r in attempt.responses)
        assert db.session.scalar(select(ReviewCard).where(ReviewCard.question_id == paper[5][2])) is not None


def test_other_trainees_and_staff(client, auth, app):
    auth.login()
    attempt_id = start(client)
    first = items(app, attempt_id)[0]
    auth.logout()
    from exam.services.accounts import create_user

    with app.app_context():
        create_user("trainee2", "trainee", "abcdefgh1")
    auth.login("trainee2", "abcdefgh1")
    assert client.get(f"/practice/attempt/{attempt_id}/item/1").status_code == 404
    assert answer(client, attempt_id, first).status_code == 404
    assert client.post(f"/practice/attempt/{attempt_id}/finish").status_code == 404
    auth.logout()
    auth.login("instructor1")
    html = item_page(client, attempt_id, 1)  # staff may look, without the key ...
    assert_no_key(html, first[4])
    assert answer(client, attempt_id, first).status_code == 403  # ... and never answer
    assert client.get(f"/practice/attempt/{attempt_id}/item/11").status_code == 404


def test_answering_needs_the_csrf_token(client, auth, app):
    auth.login()
    attempt_id = start(client)
    first = items(app, attempt_id)[0]
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert answer(client, attempt_id, first).status_code == 400
        assert client.post(f"/practice/favourite/{first[2]}").status_code == 400
        html = item_page(client, attempt_id, 1)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
        r = client.post(f"/practice/attempt/{attempt_id}/item/1", data={
            f"item-{first[1]}": answer_value(*first[3:]), "csrf_token": token})
        assert r.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response_of(app, attempt_id, first[1]).answered_at is not None


# -- wrong-answer book ----------------------------------------------------------

def book_state(app, question_id):
    with app.app_context():
        row = db.session.scalar(select(WrongItem).where(WrongItem.question_id == question_id))
        return None if row is None else (row.cleared_at is None, row.wrong_count, row.right_streak)


def drill_wrong_book(client, app, right):
    attempt_id = start(client, "wrong:all")
    paper = items(app, attempt_id)
    for item in paper:
        answer(client, attempt_id, item, right=right)
    return paper


def test_wrong_book_adds_and_clears_after_two_right_answers_in_a_row(client, auth, app):
    auth.login()
    r = client.post("/practice/start", data={"scope": "wrong:all"}, follow_redirects=True)
    assert "错题本是空的" in page_text(r)
    attempt_id = start(client)
    first = items(app, attempt_id)[0]
    qid = first[2]
    answer(client, attempt_id, first, right=False)
    assert book_state(app, qid) == (True, 1, 0)
    assert "错题本 1 题" in page_text(client.get("/practice/"))
    book = client.get("/practice/wrong").get_data(as_text=True)
    assert first[4]["stem"].split("____")[0][:15] in book and "答错 1 次" in book
    assert first[4]["explanation"].strip()[:20] not in book  # the list never shows keys

    assert [i[2] for i in drill_wrong_book(client, app, right=True)] == [qid]
    assert book_state(app, qid) == (True, 1, 1)
    drill_wrong_book(client, app, right=False)              # a wrong answer in between ...
    assert book_state(app, qid) == (True, 2, 0)             # ... restarts the count
    drill_wrong_book(client, app, right=True)
    assert book_state(app, qid)[0] is True
    drill_wrong_book(client, app, right=True)               # twice in a row: it leaves
    assert book_state(app, qid) == (False, 2, 2)
    assert "错题本 0 题" in page_text(client.get("/practice/"))


# -- favourites -----------------------------------------------------------------

def test_favourite_toggle_list_and_drill(client, auth, app):
    auth.login()
    attempt_id = start(client)
    first = items(app, attempt_id)[0]
    qid = first[2]
    assert "☆ 收藏" in page_text(client.get(f"/practice/attempt/{attempt_id}/item/1"))
    back = f"/practice/attempt/{attempt_id}/item/1"
    r = client.post(f"/practice/favourite/{qid}", data={"next": back})
    assert r.status_code == 302 and r.headers["Location"].endswith(back)
    assert "★ 已收藏" in page_text(client.get(back))
    assert "收藏 1 题" in page_text(client.get("/practice/"))
    assert first[4]["stem"].split("____")[0][:15] in client.get("/practice/favourites").get_data(as_text=True)
    drill = start(client, "favourites:all")
    assert [i[2] for i in items(app, drill)] == [qid]
    # An off-site `next` is ignored; a second toggle removes the favourite.
    r = client.post(f"/practice/favourite/{qid}", data={"next": "https://evil.example/"})
    assert r.headers["Location"].endswith("/practice/favourites")
    with app.app_context():
        assert db.session.scalar(select(Favourite)) is None
    assert client.post("/practice/favourite/no-such-item").status_code == 404


def test_favourite_toggle_on_the_result_page(client, auth, app):
    auth.login()
    attempt_id = start(client)
    client.post(f"/practice/attempt/{attempt_id}/finish")
    html = client.get(f"/practice/attempt/{attempt_id}/result").get_data(as_text=True)
    assert html.count("☆ 收藏") == 10 and "/practice/favourite/" in html


# -- study mode (背题) -----------------------------------------------------------

def test_study_mode_shows_the_key_in_section_order_and_resumes(client, auth, app):
    auth.login()
    attempt_id = start(client, f"study:{LESSON}")
    paper = items(app, attempt_id)
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).mode == "study"
        expected = db.session.execute(
            select(Question.id).join(Section, Section.id == Question.section_id)
            .where(Question.lesson_id == LESSON, Question.qtype.in_(PRACTICE_TYPES), Question.retired.is_(False))
            .order_by(Section.position, Question.id)).scalars().all()
    assert [i[2] for i in paper] == expected
    html = item_page(client, attempt_id, 1)
    text = page_text(client.get(f"/practice/attempt/{attempt_id}/item/1"))
    assert "正确答案" in text and "解析" in text and paper[0][4]["explanation"].strip()[:20] in html
    assert "提交答案" not in text and "记住了，下一题" in text
    r = client.post(f"/practice/attempt/{attempt_id}/item/1")
    assert r.headers["Location"].endswith("/item/2")
    assert "已看 1/" in page_text(client.get("/practice/"))
    assert client.get(f"/practice/attempt/{attempt_id}").headers["Location"].endswith("/item/2")
    for position in range(2, len(paper) + 1):
        r = client.post(f"/practice/attempt/{attempt_id}/item/{position}")
    assert r.headers["Location"].endswith("/practice/")
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).status == "submitted"
        # Reading is not answering: nothing enters the wrong book or the review queue.
        assert db.session.scalar(select(ReviewCard)) is None and db.session.scalar(select(WrongItem)) is None


# -- spaced review (FSRS) -----------------------------------------------------------

def test_every_practice_answer_creates_or_updates_its_review_card(client, auth, app):
    auth.login()
    attempt_id = start(client)
    paper = items(app, attempt_id)
    before = utcnow()
    answer(client, attempt_id, paper[0], right=True)
    answer(client, attempt_id, paper[1], right=False)
    with app.app_context():
        right = db.session.scalar(select(ReviewCard).where(ReviewCard.question_id == paper[0][2]))
        wrong = db.session.scalar(select(ReviewCard).where(ReviewCard.question_id == paper[1][2]))
        assert right.card["card_id"] and right.card["stability"] and right.last_review >= before
        assert wrong.due - wrong.last_review == timedelta(days=1)
        assert right.due - right.last_review > timedelta(days=1)
        first_due = right.due
    # The single-item self-check feeds the cards too.
    question = paper[0]
    client.post(f"/practice/question/{question[2]}",
                data={"answer": answer_value(question[3], question[4], question[5], right=False)})
    with app.app_context():
        card = db.session.scalar(select(ReviewCard).where(ReviewCard.question_id == question[2]))
        assert card.due < first_due


def test_due_queue_counts_and_drills_the_most_overdue_first(client, auth, app, users):
    auth.login()
    with app.app_context():
        qids = db.session.scalars(select(Question.id).where(Question.lesson_id == LESSON,
                                                            Question.qtype.in_(PRACTICE_TYPES))
                                  .order_by(Question.id).limit(4)).all()
        now = utcnow()
        dues = {qids[0]: now - timedelta(hours=2), qids[1]: now - timedelta(days=3),
                qids[2]: now - timedelta(days=1), qids[3]: now + timedelta(days=5)}
        from exam.assembly import spaced

        for qid, due in dues.items():
            scheduled = spaced.review(None, True, due - timedelta(days=2))
            db.session.add(ReviewCard(user_id=users["trainee"], question_id=qid, card=scheduled.card,
                                      due=due, last_review=scheduled.last_review))
        db.session.commit()
    assert "今日待复习 3 题" in page_text(client.get("/practice/"))
    attempt_id = start(client, "due:all")
    paper = items(app, attempt_id)
    assert [i[2] for i in paper] == [qids[1], qids[2], qids[0]]
    answer(client, attempt_id, paper[0], right=True)
    assert "今日待复习 2 题" in page_text(client.get("/practice/"))


def test_no_due_cards_gives_a_message(client, auth):
    auth.login()
    r = client.post("/practice/start", data={"scope": "due:all"}, follow_redirects=True)
    assert "今天没有待复习的试题" in page_text(r)


# -- random and in-order drills ---------------------------------------------------------

def test_random_practice_draws_distinct_objective_items_across_the_bank(client, auth, app):
    auth.login()
    attempt_id = start(client, "random:all")
    paper = items(app, attempt_id)
    assert len(paper) == 10 and len({i[2] for i in paper}) == 10
    assert all(i[3] in PRACTICE_TYPES for i in paper)
    with app.app_context():
        lessons = {db.session.get(Question, i[2]).lesson_id for i in paper}
        assert db.session.get(Attempt, attempt_id).paper.scope == "random:all"
    assert len(lessons) > 1
    second = {i[2] for i in items(app, start(client, "random:all"))}
    assert not second & {i[2] for i in paper}  # recently seen items are avoided


def test_in_order_drill_follows_the_lesson_sections(client, auth, app):
    auth.login()
    attempt_id = start(client, f"lesson-order:{LESSON}")
    paper = items(app, attempt_id)
    with app.app_context():
        rows = db.session.execute(
            select(Question.id, Section.position).join(Section, Section.id == Question.section_id)
            .where(Question.lesson_id == LESSON, Question.qtype.in_(PRACTICE_TYPES),
                   Question.retired.is_(False))).all()
    position_of = dict(rows)
    assert len(paper) == len(rows) > 10
    order = [(position_of[i[2]], i[2]) for i in paper]
    assert order == sorted(order)
    unit_paper = items(app, start(client, "unit-order:env-analysis"))
    assert unit_paper[0][2].startswith(LESSON) and unit_paper[-1][2].startswith("env-competitors")


def test_practice_index_lists_every_mode(client, auth):
    auth.login()
    html = client.get("/practice/").get_data(as_text=True)
    text = page_text(client.get("/practice/"))
    for label in ("随机练习", "错题本 0 题", "收藏 0 题", "今日待复习 0 题", "章节练习", "最近的练习"):
        assert label in text, label
    for scope in (f"lesson:{LESSON}", f"lesson-order:{LESSON}", f"study:{LESSON}", "unit:env-analysis",
                  "unit-order:env-analysis", "cases:env-analysis", "random:all", "due:all"):
        assert f'value="{scope}"' in html, scope


def test_no_practice_page_reveals_an_unanswered_key(client, auth, app):
    """Walk every GET route of the practice blueprint while an attempt is half answered."""
    auth.login()
    attempt_id = start(client)
    paper = items(app, attempt_id)
    answer(client, attempt_id, paper[0], right=False)  # in the wrong book, with a review card
    client.post(f"/practice/favourite/{paper[1][2]}")   # a favourite not answered yet
    hidden = [data for _, _, _, _, data, _ in paper[1:]]
    pages = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("practice.") or "GET" not in rule.methods:
            continue
        url = (rule.rule.replace("<int:attempt_id>", str(attempt_id))
               .replace("<question_id>", paper[0][2]))
        for position in range(1, 11) if "<int:position>" in url else [None]:
            pages.append(url.replace("<int:position>", str(position)) if position else url)
    assert len(pages) >= 15
    for url in pages:
        r = client.get(url, follow_redirects=True)
        assert r.status_code == 200, url
        html = r.get_data(as_text=True)
        for data in hidden:
            assert data["explanation"].strip()[:20] not in html, url
