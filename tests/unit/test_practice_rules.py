"""Pure practice rules: the wrong-answer book, the FSRS wrapper, the mode selectors (no app)."""
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from exam.assembly import selectors, spaced, wrongbook
from exam.assembly.practice import Candidate

NOW = datetime(2026, 3, 1, 2, 0)  # naive UTC, 10:00 in Beijing


# -- wrong-answer book ------------------------------------------------------

def run(answers):
    state = None
    for correct in answers:
        state = wrongbook.step(state, correct)
    return state or wrongbook.BookState()


def test_a_wrong_answer_puts_the_item_in_the_book():
    assert run([False]) == wrongbook.BookState(in_book=True, wrong_count=1, right_streak=0)


def test_right_answers_to_an_item_never_wrong_change_nothing():
    assert run([True, True, True]) == wrongbook.BookState()


def test_two_right_answers_in_a_row_take_it_out():
    assert run([False, True]).in_book
    assert not run([False, True, True]).in_book


def test_a_wrong_answer_in_between_restarts_the_count():
    state = run([False, True, False, True])
    assert state.in_book and state.right_streak == 1 and state.wrong_count == 2
    assert not run([False, True, False, True, True]).in_book


def test_an_item_that_left_comes_back_when_answered_wrong_again():
    state = run([False, True, True, False])
    assert state.in_book and state.wrong_count == 2 and state.right_streak == 0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.booleans(), max_size=30))
def test_book_membership_follows_the_streak_rule(answers):
    state = run(answers)
    assert state.wrong_count == answers.count(False)
    if False not in answers:
        assert not state.in_book
        return
    last_wrong = len(answers) - 1 - answers[::-1].index(False)
    rights_since = len(answers) - 1 - last_wrong
    assert state.in_book == (rights_since < wrongbook.CLEAR_AFTER)


# -- spaced review (FSRS) ---------------------------------------------------

def test_a_new_card_is_scheduled_later_when_right_than_when_wrong():
    right, wrong = spaced.review(None, True, NOW), spaced.review(None, False, NOW)
    assert right.last_review == wrong.last_review == NOW
    assert wrong.due == NOW + timedelta(days=1)
    assert right.due > wrong.due
    assert right.due.tzinfo is None and right.card["last_review"].startswith("2026-03-01T02:00")


def test_the_interval_grows_with_right_answers_and_resets_after_a_wrong_one():
    first = spaced.review(None, True, NOW)
    second = spaced.review(first.card, True, first.due)
    assert second.due - first.due > first.due - NOW
    lapse = spaced.review(second.card, False, second.due)
    assert lapse.due - second.due < second.due - first.due
    assert lapse.card["stability"] < second.card["stability"]


def test_review_accepts_aware_times_and_is_reproducible():
    aware = NOW.replace(tzinfo=timezone.utc)
    assert spaced.review(None, True, aware) == spaced.review(None, True, NOW)


def test_rating_mapping():
    from fsrs import Rating

    assert spaced.rating_for(True) is Rating.Good and spaced.rating_for(False) is Rating.Again


def test_horizon_is_the_end_of_the_beijing_day():
    assert spaced.horizon(NOW) == datetime(2026, 3, 1, 16, 0)                   # 10:00 -> midnight
    assert spaced.horizon(datetime(2026, 3, 1, 17, 0)) == datetime(2026, 3, 2, 16, 0)  # 01:00 next day


# -- selectors --------------------------------------------------------------

def cand(qid, section=1, order=(0, 0)):
    return Candidate(qid, hash(qid) % 10_000, section, 3, order)


def test_in_order_follows_lesson_then_section_then_id():
    pool = [cand("b-2", order=(2, 1)), cand("a-9", order=(1, 2)), cand("a-3", order=(1, 1)),
            cand("a-1", order=(1, 2)), cand("b-1", order=(2, 0))]
    assert [c.question_id for c in selectors.in_order(pool)] == ["a-3", "a-1", "a-9", "b-1", "b-2"]


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 40), st.integers(1, 15), st.integers(0, 2**31 - 1))
def test_random_items_are_distinct(n, size, seed):
    pool = [cand(f"q-{i}", section=i % 4) for i in range(n)]
    chosen = selectors.random_items(pool, size, seed)
    assert len(chosen) == min(n, size) == len({c.question_id for c in chosen})


def test_wrong_first_takes_the_most_often_wrong_then_the_oldest():
    pool = [cand(f"q-{i}") for i in range(5)]
    entries = [selectors.WrongEntry("q-0", 1, NOW), selectors.WrongEntry("q-1", 3, NOW),
               selectors.WrongEntry("q-2", 1, NOW - timedelta(days=2)), selectors.WrongEntry("q-4", 2, NOW)]
    chosen = selectors.wrong_first(pool, entries, 3, seed=7)
    assert {c.question_id for c in chosen} == {"q-1", "q-4", "q-2"}
    assert "q-3" not in {c.question_id for c in selectors.wrong_first(pool, entries, 10, seed=7)}


def test_due_queue_is_most_overdue_first_and_stops_at_the_horizon():
    cards = [selectors.DueCard("c", NOW - timedelta(hours=1)), selectors.DueCard("a", NOW - timedelta(days=3)),
             selectors.DueCard("later", NOW + timedelta(days=2)), selectors.DueCard("b", NOW - timedelta(hours=1)),
             selectors.DueCard("tonight", NOW + timedelta(hours=5))]
    assert selectors.due_queue(cards, spaced.horizon(NOW)) == ["a", "b", "c", "tonight"]
    pool = [cand(q) for q in ("a", "b", "c", "later")]
    assert [c.question_id for c in selectors.due_items(pool, cards, NOW, 2)] == ["a", "b"]
