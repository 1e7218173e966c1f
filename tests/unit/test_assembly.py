from hypothesis import given, settings
from hypothesis import strategies as st

from exam.assembly.practice import Candidate, pick_practice


def bank(n_sections, per_section):
    return [Candidate(f"q-{s}-{i}", s * 100 + i, s, 1 + i % 5) for s in range(n_sections) for i in range(per_section)]


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 6), st.integers(0, 12), st.integers(1, 15), st.integers(0, 2**31 - 1))
def test_pick_is_distinct_sized_and_reproducible(n_sections, per_section, size, seed):
    pool = bank(n_sections, per_section)
    chosen = pick_practice(pool, size, seed)
    assert len(chosen) == min(size, len(pool))
    assert len({c.question_id for c in chosen}) == len(chosen)
    assert chosen == pick_practice(pool, size, seed)


def test_sections_take_turns():
    chosen = pick_practice(bank(5, 10), 10, seed=1)
    per_section = {c.section_id for c in chosen}
    assert len(per_section) == 5  # two from each section, not ten from the first


def test_recent_items_are_used_last():
    pool = bank(2, 10)
    avoid = frozenset(c.question_id for c in pool[:15])
    chosen = pick_practice(pool, 5, seed=3, avoid=avoid)
    assert not {c.question_id for c in chosen} & avoid
    chosen = pick_practice(pool, 8, seed=3, avoid=avoid)
    assert len(chosen) == 8  # falls back to seen items when the bank is short
