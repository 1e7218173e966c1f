"""exam.textnorm: normalisation and the index map back into the original."""
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from exam.textnorm import normalize, normalize_with_map, same_answer


def test_full_width_latin_digits_and_case():
    assert normalize("ＡＢＣ１２３ abc") == "abc123abc"


def test_chinese_and_ascii_punctuation_and_whitespace_removed():
    assert normalize("耐心，倾听！  客户。\n（真诚）“道歉”…… a-b; c.") == "耐心倾听客户真诚道歉abc"
    assert normalize("\u3000倾\t听\u00a0") == "倾听"


def test_traditional_to_simplified():
    assert normalize("傾聽客戶意見，不打斷") == "倾听客户意见不打断"
    assert normalize("客戶服務管理師") == "客户服务管理师"


def test_phrase_aware_conversion_keeps_proper_nouns():
    # OpenCC converts by phrase: 乾隆 is not 干隆.
    assert normalize("乾隆") == "乾隆"
    assert normalize("乾燥") == "干燥"


def test_empty_and_punctuation_only():
    assert normalize("") == ""
    assert normalize_with_map("") == ("", [])
    assert normalize("，。！？ ") == ""


def test_map_points_at_original_chars():
    text = "Ａ，傾聽 x客戶"
    norm, m = normalize_with_map(text)
    assert norm == "a倾听x客户"
    assert m == [0, 2, 3, 5, 6, 7]
    assert [text[i] for i in m] == ["Ａ", "傾", "聽", "x", "客", "戶"]


def test_map_with_nfkc_expansion():
    # One original char can become several normalised chars: all map back to it.
    norm, m = normalize_with_map("①倾听ﬁ")
    assert norm == "1倾听fi"
    assert m == [0, 1, 2, 3, 3]
    norm, m = normalize_with_map("㈱客户")
    assert norm == "株客户"
    assert m == [0, 1, 2]


def test_map_skips_html_markup_as_punctuation():
    text = "<b>倾听</b>"
    norm, m = normalize_with_map(text)
    assert norm == "b倾听b"
    assert text[m[1]:m[2] + 1] == "倾听"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(
    list("倾听客户傾聽戶服務乾隆，。！？、 \n\tAbＣ１①ﬁ㈱…—\"'<>") + ["\u3000", "\u0301", "İ"]),
    max_size=40))
def test_map_invariants(text):
    norm, m = normalize_with_map(text)
    assert norm == normalize(text)
    assert len(m) == len(norm)
    assert m == sorted(m)
    assert all(0 <= i < len(text) for i in m)
    # Every normalised char comes from a char that normalises to something.
    assert all(normalize(text[i]) for i in m)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_any_unicode_is_safe(text):
    norm, m = normalize_with_map(text)
    assert len(m) == len(norm)
    assert all(unicodedata.category(c)[0] in "LN" for c in norm)


def test_idempotent():
    for s in ["傾聽客戶，ＡＢＣ", "①不可分離性", "Straße İstanbul"]:
        assert normalize(normalize(s)) == normalize(s)


def test_same_answer():
    assert same_answer("不可分離性", ["不可分离性", "同步性"])
    assert same_answer(" 同步性。", ["不可分离性", "同步性"])
    assert same_answer("ＣＲＭ", ["crm"])
    assert not same_answer("异质性", ["不可分离性"])
    assert not same_answer("", ["不可分离性"])
    assert not same_answer("，。", ["，"])  # nothing left after normalising
    assert not same_answer("分离", ["不可分离性"])  # no partial credit for blanks
    assert same_answer("５０", [50, "五十"])         # YAML numbers, full-width digits
    assert not same_answer(None, ["x"])
