"""Blueprints (组卷方案) and paper assembly: properties over random banks, examples,
and the real content/blueprints against the real bank."""
import dataclasses
import itertools
import os
import random
from collections import Counter

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from exam.assembly.blueprint import (BANDS, QTYPE_NAMES, BlueprintError, ItemInfo, band_of, parse_blueprint,
                                     validate_blueprint)
from exam.assembly.draw import (assemble, feasibility, function_names, largest_remainder, pool_from_bundle,
                                section_quotas)
from exam.content.files import read_content

CONTENT = os.path.join(os.path.dirname(__file__), "..", "..", "content")
FUNCTIONS = ["f0", "f1", "f2"]
NAMES = {"f0": "客户服务筹划", "f1": "客户服务提供", "f2": "客户服务控制"}
TYPES = ["single", "multiple", "judge", "case"]
TITLES = {"single": "一、单项选择题", "multiple": "二、多项选择题", "judge": "三、判断题", "case": "四、案例分析题"}


# -- builders ---------------------------------------------------------------------

def item(n, qtype="single", function="f0", unit=0, section=0, difficulty=2):
    return ItemInfo(f"q{n:04d}", n, qtype, function, f"{function}-u{unit}", f"{function}-u{unit}-lesson",
                    f"{function}-u{unit}#s{section}", difficulty)


def blueprint_data(sections, weights, mix=None, kind="mock", avoid_recent=0):
    total = sum(count * each for _, count, each in sections)
    data = {
        "id": "test-paper", "title": "测试卷", "level": "L2", "kind": kind, "time_limit_minutes": 90,
        "total_points": total, "pass_mark": round(total * 0.6, 2) or 1, "function_weights": weights,
        "avoid_recent": avoid_recent,
        "sections": [{"id": f"s-{t}", "title": TITLES[t], "type": t, "count": c, "points_per_item": e}
                     for t, c, e in sections],
    }
    if mix:
        data["difficulty_mix"] = mix
    return data


def shares(parts):
    total = sum(parts.values())
    return {k: v / total for k, v in parts.items()}


banks = st.lists(
    st.tuples(st.sampled_from(FUNCTIONS), st.integers(0, 2), st.integers(0, 2), st.sampled_from(TYPES),
              st.integers(1, 5)),
    max_size=90,
).map(lambda rows: [item(n, t, f, u, s, d) for n, (f, u, s, t, d) in enumerate(rows)])

weights = st.dictionaries(st.sampled_from(FUNCTIONS), st.integers(0, 4), min_size=1).filter(
    lambda w: sum(w.values()) > 0).map(shares)
mixes = st.none() | st.dictionaries(st.sampled_from(list(BANDS)), st.integers(0, 3), min_size=1).filter(
    lambda m: sum(m.values()) > 0).map(shares)


@st.composite
def blueprints(draw):
    types = draw(st.lists(st.sampled_from(TYPES), min_size=1, max_size=3, unique=True))
    sections = [(t, draw(st.integers(1, 8)), draw(st.sampled_from([1, 2, 2.5]))) for t in types]
    return parse_blueprint(blueprint_data(sections, draw(weights), draw(mixes)))


@st.composite
def filled(draw, bp_strategy=None):
    """(pool, blueprint) where every cell has its quota plus a few spare items, and some noise."""
    bp = draw(bp_strategy if bp_strategy is not None else blueprints())
    rows = draw(banks)
    n = len(rows)
    for sec, quota in section_quotas(bp):
        for f, need in quota.items():
            for _ in range(need + draw(st.integers(0, 6))):
                rows.append(item(n, sec.type, f, draw(st.integers(0, 2)), draw(st.integers(0, 2)),
                                 draw(st.integers(1, 5))))
                n += 1
    return rows, bp


@st.composite
def scarce(draw, bp_strategy):
    """(pool, blueprint) where each cell offers only some difficulties: the mix must be traded off."""
    bp = draw(bp_strategy)
    rows = []
    for sec, quota in section_quotas(bp):
        for f, need in quota.items():
            levels = draw(st.lists(st.integers(1, 5), min_size=1, max_size=3, unique=True))
            for _ in range(need + draw(st.integers(0, 4))):
                rows.append(item(len(rows), sec.type, f, draw(st.integers(0, 2)), 0, draw(st.sampled_from(levels))))
    return rows, bp


def per_cell(slots):
    return Counter((s.section_id, s.item.function_id) for s in slots)


def cell_pool(pool, section, function):
    return [i for i in pool if i.qtype == section.type and i.function_id == function]


# -- properties -----------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.one_of(st.tuples(banks, blueprints()), filled()), st.integers(0, 2**32))
def test_paper_meets_the_blueprint_or_names_the_short_cells(case, seed):
    pool, bp = case
    short = feasibility(bp, pool, names=NAMES)
    if short:
        with pytest.raises(BlueprintError) as err:
            assemble(bp, pool, seed, names=NAMES)
        for sec, quota in section_quotas(bp):
            for f, n in quota.items():
                have = len(cell_pool(pool, sec, f))
                if n > have:  # each short cell is named with its section, function and numbers
                    assert f"{TITLES[sec.type][2:]} · {NAMES[f]}：需要 {n} 道，题库只有 {have} 道" in str(err.value)
        return
    slots = assemble(bp, pool, seed, names=NAMES)
    ids = [s.item.question_id for s in slots]
    assert len(ids) == len(set(ids)), "an item appears twice"
    assert [s.section_id for s in slots] == [sec.id for sec in bp.sections for _ in range(sec.count)]
    cells = per_cell(slots)
    for sec in bp.sections:
        assert all(s.item.qtype == sec.type and s.points == sec.points_per_item
                   for s in slots if s.section_id == sec.id)
        w = bp.weights_for(sec)
        for f in FUNCTIONS:  # weights honoured: each function within one item of its exact share
            assert abs(cells[sec.id, f] - sec.count * w.get(f, 0) / sum(w.values())) < 1
    assert sum(s.points for s in slots) == pytest.approx(bp.total_points)


@settings(max_examples=100, deadline=None)
@given(filled(), st.integers(0, 2**32), st.randoms(use_true_random=False))
def test_same_seed_same_paper_whatever_the_order_of_the_bank(case, seed, rnd):
    pool, bp = case
    shuffled = list(pool)
    rnd.shuffle(shuffled)
    avoid = frozenset(i.question_id for i in pool if rnd.random() < 0.3)
    assert assemble(bp, pool, seed, avoid) == assemble(bp, shuffled, seed, avoid)
    assert assemble(bp, pool, seed) == assemble(bp, list(reversed(pool)), seed)


@settings(max_examples=150, deadline=None)
@given(filled(), st.integers(0, 2**32), st.randoms(use_true_random=False))
def test_recent_items_only_where_unavoidable(case, seed, rnd):
    pool, bp = case
    avoid = frozenset(i.question_id for i in pool if rnd.random() < 0.5)
    slots = assemble(bp, pool, seed, avoid)
    if not feasibility(bp, [i for i in pool if i.question_id not in avoid]):
        assert not {s.item.question_id for s in slots} & avoid
    for sec, quota in section_quotas(bp):  # sections have distinct types, so cells are independent
        for f, n in quota.items():
            fresh = [i for i in cell_pool(pool, sec, f) if i.question_id not in avoid]
            stale_used = sum(1 for s in slots if s.section_id == sec.id and s.item.function_id == f
                             and s.item.question_id in avoid)
            assert stale_used == max(0, n - len(fresh))


@settings(max_examples=60, deadline=None)
@given(blueprints(), st.integers(0, 2**32))
def test_difficulty_mix_is_exact_when_every_band_is_plentiful(bp, seed):
    assume(bp.difficulty_mix)
    # Every (type, function) has 2 units × 2 sections × 2 copies of each difficulty: >= 8 per band.
    pool = [item(n, t, f, u, s, d) for n, (t, f, u, s, d, _) in
            enumerate(itertools.product(TYPES, FUNCTIONS, range(2), range(2), range(1, 6), range(2)))]
    slots = assemble(bp, pool, seed)
    for sec in bp.sections:
        got = Counter(band_of(s.item.difficulty) for s in slots if s.section_id == sec.id)
        want = largest_remainder(sec.count, bp.difficulty_mix)
        assert {b: got[b] for b in BANDS} == {b: want.get(b, 0) for b in BANDS}


@st.composite
def single_section_with_mix(draw):
    mix = draw(mixes.filter(bool))
    return parse_blueprint(blueprint_data([(draw(st.sampled_from(TYPES)), draw(st.integers(1, 6)), 1)],
                                          draw(weights), mix))


@st.composite
def single_section_no_mix(draw):
    return parse_blueprint(blueprint_data([(draw(st.sampled_from(TYPES)), draw(st.integers(1, 8)), 1)],
                                          draw(weights)))


def _distance(cols, target):
    """Earth mover's distance between band counts on the line easy - medium - hard."""
    run = total = 0
    for b in list(BANDS)[:-1]:
        run += cols.get(b, 0) - target.get(b, 0)
        total += abs(run)
    return total


def _best_distance(sec, quota, pool, mix):
    """Brute force: the smallest distance from the mix that any paper could reach."""
    target = largest_remainder(sec.count, mix)
    options = []
    for f, n in quota.items():
        have = Counter(band_of(i.difficulty) for i in cell_pool(pool, sec, f))
        options.append([(a, b, n - a - b) for a in range(n + 1) for b in range(n + 1 - a)
                        if a <= have["easy"] and b <= have["medium"] and n - a - b <= have["hard"]])
    return min(_distance(dict(zip(BANDS, map(sum, zip(*combo)))), target)
               for combo in itertools.product(*options))


@settings(max_examples=150, deadline=None)
@given(st.one_of(filled(single_section_with_mix()), scarce(single_section_with_mix())), st.integers(0, 2**32))
def test_difficulty_mix_as_close_as_the_bank_allows(case, seed):
    pool, bp = case
    slots = assemble(bp, pool, seed)
    [(sec, quota)] = section_quotas(bp)
    got = Counter(band_of(s.item.difficulty) for s in slots)
    target = largest_remainder(sec.count, bp.difficulty_mix)
    assert _distance(got, target) == _best_distance(sec, quota, pool, bp.difficulty_mix)


@settings(max_examples=100, deadline=None)
@given(filled(single_section_no_mix()), st.integers(0, 2**32))
def test_units_take_turns(case, seed):
    pool, bp = case
    slots = assemble(bp, pool, seed)
    [(sec, quota)] = section_quotas(bp)
    chosen = {s.item.question_id for s in slots}
    for f in quota:
        got = Counter(s.item.unit_id for s in slots if s.item.function_id == f)
        for unit in {i.unit_id for i in cell_pool(pool, sec, f)}:
            unused = [i for i in cell_pool(pool, sec, f) if i.unit_id == unit and i.question_id not in chosen]
            if unused:  # a unit with items left has at most one fewer than any other unit
                assert all(got[unit] >= n - 1 for n in got.values())


# -- examples ------------------------------------------------------------------------

def test_largest_remainder():
    assert largest_remainder(40, {"planning": 0.6, "delivery": 0.4}) == {"planning": 24, "delivery": 16}
    assert largest_remainder(3, {"planning": 0.6, "delivery": 0.4}) == {"planning": 2, "delivery": 1}
    assert largest_remainder(4, {"planning": 0.6, "delivery": 0.4}) == {"planning": 2, "delivery": 2}
    assert largest_remainder(1, {"a": 0.5, "b": 0.5}) == {"a": 1, "b": 0}  # ties: the first written
    assert largest_remainder(10, {"a": 0.7, "b": 0.3, "c": 0}) == {"a": 7, "b": 3}
    assert largest_remainder(3, {"a": 1 / 3, "b": 1 / 3, "c": 1 / 3}) == {"a": 1, "b": 1, "c": 1}


def test_shortfall_message_names_the_cell():
    pool = [item(n, "single", "f0") for n in range(9)] + [item(100 + n, "single", "f1") for n in range(20)]
    bp = parse_blueprint(blueprint_data([("single", 20, 1)], {"f0": 0.6, "f1": 0.4}))
    assert feasibility(bp, pool, names=NAMES) == ["单项选择题 · 客户服务筹划：需要 12 道，题库只有 9 道"]
    with pytest.raises(BlueprintError, match="单项选择题 · 客户服务筹划：需要 12 道，题库只有 9 道"):
        assemble(bp, pool, seed=1, names=NAMES)


def test_lesson_sections_take_turns():
    pool = [item(n, section=n % 5) for n in range(50)]  # one unit, five lesson sections
    bp = parse_blueprint(blueprint_data([("single", 10, 1)], {"f0": 1}))
    slots = assemble(bp, pool, seed=7)
    assert Counter(s.item.section_id for s in slots) == {f"f0-u0#s{k}": 2 for k in range(5)}


def test_different_seeds_draw_different_papers():
    pool = [item(n, section=n % 4, difficulty=1 + n % 5) for n in range(60)]
    bp = parse_blueprint(blueprint_data([("single", 10, 1)], {"f0": 1}))
    papers = {tuple(s.item.question_id for s in assemble(bp, pool, seed)) for seed in range(10)}
    assert len(papers) > 5


def test_newest_version_of_a_duplicated_question_wins():
    pool = [item(1), dataclasses.replace(item(1), version_id=9), item(1)]
    bp = parse_blueprint(blueprint_data([("single", 1, 1)], {"f0": 1}))
    [slot] = assemble(bp, pool, seed=0)
    assert slot.item.version_id == 9


def test_hard_falls_back_to_medium_first():
    pool = ([item(n, difficulty=1) for n in range(10)] + [item(20 + n, difficulty=3) for n in range(10)]
            + [item(40, difficulty=5)])
    bp = parse_blueprint(blueprint_data([("single", 10, 1)], {"f0": 1}, {"easy": 0.4, "medium": 0.3, "hard": 0.3}))
    got = Counter(band_of(s.item.difficulty) for s in assemble(bp, pool, seed=3))
    assert got == {"easy": 4, "medium": 5, "hard": 1}


def test_missing_hard_items_are_replaced_by_medium_ones_across_functions():
    # like the real judge items: no hard ones, medium ones spread thinly over two functions
    pool = ([item(n, "judge", "f0", difficulty=1 if n < 21 else 3) for n in range(28)]
            + [item(100 + n, "judge", "f1", difficulty=1 if n < 19 else 3) for n in range(24)])
    bp = parse_blueprint(blueprint_data([("judge", 20, 1)], {"f0": 0.6, "f1": 0.4},
                                        {"easy": 0.45, "medium": 0.4, "hard": 0.15}))
    got = Counter(band_of(s.item.difficulty) for s in assemble(bp, pool, seed=0))
    assert got == {"easy": 9, "medium": 11}


def test_one_function_makes_up_for_what_another_lacks():
    # f1 has only easy items, so f0 must supply every hard item the mix asks for.
    pool = ([item(n, function="f0", difficulty=1 + 3 * (n % 2)) for n in range(20)]
            + [item(100 + n, function="f1", difficulty=1) for n in range(20)])
    bp = parse_blueprint(blueprint_data([("single", 10, 1)], {"f0": 0.5, "f1": 0.5}, {"easy": 0.5, "hard": 0.5}))
    slots = assemble(bp, pool, seed=2)
    assert Counter(band_of(s.item.difficulty) for s in slots) == {"easy": 5, "hard": 5}
    assert Counter(s.item.function_id for s in slots) == {"f0": 5, "f1": 5}


GOOD = blueprint_data([("single", 40, 1), ("multiple", 20, 2), ("judge", 20, 1)], {"f0": 0.6, "f1": 0.4},
                      {"easy": 0.5, "medium": 0.3, "hard": 0.2})


def test_a_sound_blueprint_parses():
    bp = parse_blueprint(dict(GOOD, scoring={"multiple_partial": True, "partial_share": 0.4}))
    assert (bp.total_points, bp.pass_mark, len(bp.sections)) == (100, 60, 3)
    assert bp.rules == {"multiple_partial": True, "partial_share": 0.4}
    assert parse_blueprint(GOOD).rules == {"multiple_partial": False, "partial_share": 0.5}
    # bookkeeping keys of the content reader are not fields
    assert parse_blueprint(dict(GOOD, __file__="blueprints/x.yaml", __line__=1)).id == "test-paper"


@pytest.mark.parametrize("change, message", [
    (lambda d: d["sections"][1].update(count=0), "sections[1].count：必须是正整数"),
    (lambda d: d["sections"][1].update(count=2.5), "sections[1].count：必须是正整数"),
    (lambda d: d["sections"][0].update(type="essayy"), "sections[0].type：必须是"),
    (lambda d: d["sections"][2].update(points_per_item=-1), "sections[2].points_per_item：必须是正数"),
    (lambda d: d["sections"][2].update(id="s-single"), "sections[2].id：与前面的分部重名"),
    (lambda d: d["sections"][0].update(weight=1), "sections[0].weight：未知字段"),
    (lambda d: d.update(total_points=90), "total_points：为 90，但各分部 count × points_per_item 合计 100"),
    (lambda d: d.update(pass_mark=120), "pass_mark：120 超过了总分 100"),
    (lambda d: d.update(kind="exam"), "kind：必须是 mock / certification / practice 之一"),
    (lambda d: d.update(time_limit_minutes=None), "time_limit_minutes：必须是正整数"),
    (lambda d: d.update(function_weights={"f0": 0.5, "f1": 0.4}), "function_weights：各项占比之和必须为 1，现为 0.9"),
    (lambda d: d.update(function_weights={"f0": -1, "f1": 2}), "function_weights.f0：占比必须是不小于 0 的数"),
    (lambda d: d.update(difficulty_mix={"easy": 0.5, "tricky": 0.5}), "difficulty_mix.tricky：未知的难度档"),
    (lambda d: d.update(scoring={"partial_share": 1.5}), "scoring.partial_share：必须是 0 与 1 之间的数"),
    (lambda d: d.update(kind="certification", avoid_recent=2), "avoid_recent：正式考试（certification）必须为 0"),
    (lambda d: d.update(avoid_recent=-1), "avoid_recent：必须是不小于 0 的整数"),
    (lambda d: d.update(id="L2 Theory"), "id：必须是小写字母、数字和连字符"),
    (lambda d: d.update(sections=[]), "sections：必须是非空列表"),
    (lambda d: d.update(pass_marks=60), "pass_marks：未知字段"),
])
def test_malformed_blueprints_name_the_field(change, message):
    data = yaml.safe_load(yaml.safe_dump(GOOD))
    change(data)
    problems = validate_blueprint(data)
    assert any(p.startswith(message) for p in problems), problems
    with pytest.raises(BlueprintError) as err:
        parse_blueprint(data)
    assert message in str(err.value)


def test_every_problem_is_reported_at_once():
    data = yaml.safe_load(yaml.safe_dump(GOOD))
    data["sections"][0]["count"] = 0
    data["sections"][1]["title"] = ""
    data["kind"] = "quiz"
    assert len(validate_blueprint(data)) >= 3
    assert validate_blueprint("not a mapping") == ["组卷方案必须是一个映射（键值对）"]


def test_practice_may_be_untimed_and_syllabus_ids_are_checked():
    assert validate_blueprint(dict(GOOD, kind="practice", time_limit_minutes=None)) == []
    problems = validate_blueprint(GOOD, function_ids={"f0"}, level_ids={"L3"})
    assert "function_weights.f1：未知的职业功能" in problems and "level：大纲中没有等级 L2" in problems


def test_type_names_match_the_question_type_registry():
    from exam.qtypes import QTYPES

    assert set(QTYPE_NAMES) == set(QTYPES)


# -- the real blueprints against the real bank ------------------------------------------

@pytest.fixture(scope="module")
def bundle():
    return read_content(CONTENT)


BLUEPRINT_FILES = sorted(f for f in os.listdir(os.path.join(CONTENT, "blueprints")) if f.endswith(".yaml"))


def test_the_required_blueprints_exist():
    assert {"l2-theory-mock.yaml", "l2-skills-mock.yaml", "l2-theory-cert.yaml",
            "l2-skills-cert.yaml"} <= set(BLUEPRINT_FILES)


@pytest.mark.parametrize("name", BLUEPRINT_FILES)
def test_real_blueprint_can_be_drawn_from_the_real_bank(bundle, name):
    with open(os.path.join(CONTENT, "blueprints", name), encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    levels = [lv["id"] for lv in bundle.syllabus["levels"]]
    functions = function_names(bundle.syllabus)
    assert validate_blueprint(data, function_ids=functions, level_ids=levels) == []
    bp = parse_blueprint(data)
    assert name == f"{bp.id}.yaml"
    assert parse_blueprint(bundle.blueprints[bp.id]) == bp  # as read by `flask content check`
    assert (bp.total_points, bp.pass_mark) == (100, 60)
    pool = pool_from_bundle(bundle, bp.level)
    assert feasibility(bp, pool, names=functions) == []
    # Functions carrying weight must have content (control / improvement have none yet).
    with_content = {i.function_id for i in pool}
    assert {f for f, w in bp.function_weights.items() if w > 0} <= with_content
    recent: list[set] = []
    for seed in range(20):
        avoid = frozenset().union(*recent[-bp.avoid_recent:]) if bp.avoid_recent else frozenset()
        slots = assemble(bp, pool, seed, avoid, names=functions)
        ids = [s.item.question_id for s in slots]
        assert len(ids) == len(set(ids))
        assert sum(s.points for s in slots) == pytest.approx(bp.total_points)
        for sec, quota in section_quotas(bp):
            got = Counter(s.item.function_id for s in slots if s.section_id == sec.id)
            assert got == {f: n for f, n in quota.items() if n}
            assert all(s.item.qtype == sec.type for s in slots if s.section_id == sec.id)
            fresh = Counter(i.function_id for i in pool if i.qtype == sec.type and i.question_id not in avoid)
            for f, n in quota.items():  # recent items only where a cell has too few others
                stale = sum(1 for s in slots if s.section_id == sec.id and s.item.function_id == f
                            and s.item.question_id in avoid)
                assert stale == max(0, n - fresh[f]), (sec.id, f)
        recent.append(set(ids))
    assert assemble(bp, pool, 5) == assemble(bp, list(reversed(pool)), 5)


def test_consecutive_theory_mocks_share_no_item(bundle):
    with open(os.path.join(CONTENT, "blueprints", "l2-theory-mock.yaml"), encoding="utf-8") as fh:
        bp = parse_blueprint(yaml.safe_load(fh))
    pool = pool_from_bundle(bundle, "L2")
    first = assemble(bp, pool, 11)
    second = assemble(bp, pool, 12, frozenset(s.item.question_id for s in first))
    assert not {s.item.question_id for s in first} & {s.item.question_id for s in second}


def test_draw_ignores_the_global_random_state():
    pool = [item(n, section=n % 3) for n in range(30)]
    bp = parse_blueprint(blueprint_data([("single", 6, 1)], {"f0": 1}))
    random.seed(1)
    a = assemble(bp, pool, 4)
    random.seed(2)
    assert assemble(bp, pool, 4) == a
