"""Amounts as printed in real reports, grouped by where they were collected (price-parser style)."""

import math

import pytest
from hypothesis import given, strategies as st

from jueshuan_data.numbers import Amount, chinese_numeral, find_amounts, find_numbers, parse_amount

# (literal, value in the printed unit, unit, kind, value in 万元 or None)
SEED_TIANQIAO_2023 = [
    ("7830.05万元", 7830.05, "万元", "amount", 7830.05),
    ("6,934.46万元", 6934.46, "万元", "amount", 6934.46),
    ("121.973万元", 121.973, "万元", "amount", 121.973),
    ("0元", 0.0, "元", "amount", 0.0),
    ("增长-3.08%", -3.08, "%", "percent", None),
    ("下降13.55%", -13.55, "%", "percent", None),
    ("减少2.30万元", -2.30, "万元", "amount", -2.30),
    ("增加支出2.05元", 2.05, "元", "amount", 0.000205),
    ("1辆", 1.0, "辆", "count", None),
    ("3台（套）", 3.0, "台（套）", "count", None),
    ("三个事业单位", 3.0, "个", "count", None),
    ("172.601822万元", 172.601822, "万元", "amount", 172.601822),
    ("190000元", 190000.0, "元", "amount", 19.0),
    ("上升312%", 312.0, "%", "percent", None),
]
PUTUO_2024 = [
    ("2,106.66", 2106.66, None, "number", None),
    ("减少56.95万元", -56.95, "万元", "amount", -56.95),
    ("增长12.08%", 12.08, "%", "percent", None),
]
PAGES_MANY_REGIONS = [
    ("500.12万元", 500.12, "万元", "amount", 500.12),  # 019 after normalisation of "500.12 万 元"
    ("4.98亿元", 4.98, "亿元", "amount", 49800.0),  # 031 Shenshan district accounts
    ("下降9.76%", -9.76, "%", "percent", None),  # 003 Chongqing
    ("0.00万元", 0.0, "万元", "amount", 0.0),
    ("增加比例11.52%", 11.52, "%", "percent", None),  # 502 开州区赵家街道 2020: "较上年决算增加744.16万元,增加比例11.52%"
    ("下降比例为3.5%", -3.5, "%", "percent", None),
]


@pytest.mark.parametrize("literal,value,unit,kind,wan", SEED_TIANQIAO_2023 + PUTUO_2024 + PAGES_MANY_REGIONS)
def test_parse_amount_real_literals(literal, value, unit, kind, wan):
    a = parse_amount(literal)
    assert a.text == literal or literal.startswith(a.text)
    assert a.value == pytest.approx(value)
    assert a.unit == unit
    assert a.kind == kind
    if wan is None:
        assert a.wan is None
    else:
        assert a.wan == pytest.approx(wan)


def test_decimals_as_printed():
    assert parse_amount("121.973万元").decimals == 3
    assert parse_amount("2.30万元").decimals == 2
    assert parse_amount("0万元").decimals == 0


def test_find_amounts_spans_point_at_literals_in_seed_sentence():
    text = "教育支出56.33万元，比去年同期增加支出2.05元；科学技术支出130.11万元，比去年同期增加支出15.11万元。"
    found = find_amounts(text)
    assert [a.text for a in found] == ["56.33万元", "增加支出2.05元", "130.11万元", "增加支出15.11万元"]
    for a in found:
        assert text[a.start:a.end] == a.text


def test_paired_and_comma_separated_numbers_sichuan():
    # 015: "收、支总计各是4125.49,4143.91万元" — a decimal followed by a comma is two numbers
    text = "2022年度收、支总计各是4125.49,4143.91万元。"
    nums = find_amounts(text, units_only=False)
    assert [a.text for a in nums] == ["4125.49", "4143.91万元"]


def test_number_cut_at_end_of_excerpt_is_unknown():
    # pages/005.txt ends mid-number: "…4461" must not be read as 4461
    text = "2024年度收入总计4461.77万元，支出总计4461"
    last = find_amounts(text, units_only=False)[-1]
    assert last.text == "4461" and last.value is None


def test_dates_are_not_amounts():
    text = "截至2023年12月31日，本部门固定资产总额10581.06万元"
    assert [a.text for a in find_amounts(text)] == ["10581.06万元"]
    kinds = [a.kind for a in find_numbers(text)]
    assert kinds.count("date") == 3


def test_thresholds_keep_their_unit():
    a = find_amounts("单价100万元以上的设备3台（套）")
    assert [x.text for x in a] == ["100万元", "3台（套）"]


@pytest.mark.parametrize("s,n", [("一", 1), ("三", 3), ("十", 10), ("十二", 12), ("二十", 20), ("一百零五", 105)])
def test_chinese_numerals(s, n):
    assert chinese_numeral(s) == n


money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@given(money, st.sampled_from(["万元", "元", "亿元"]), st.sampled_from(["", "增加", "减少", "下降", "增长"]))
def test_roundtrip_any_amount(d, unit, word):
    literal = f"{word}{d}{unit}"
    a = parse_amount(literal)
    assert a.text == literal
    sign = -1 if word in ("减少", "下降") else 1
    assert a.value == pytest.approx(sign * float(d))
    factor = {"万元": 1, "元": 1e-4, "亿元": 1e4}[unit]
    assert a.wan == pytest.approx(sign * float(d) * factor)


@given(st.integers(min_value=1000, max_value=10**12), st.integers(min_value=0, max_value=99))
def test_thousands_separators(n, cents):
    literal = f"{n:,}.{cents:02d}万元"
    assert parse_amount(literal).value == pytest.approx(n + cents / 100)


@given(st.text(alphabet="的和在其中占比上年了。，；支出收入", max_size=30), money)
def test_spans_always_point_at_the_literal(prefix, d):
    text = f"{prefix}{d}万元{prefix}"
    for a in find_amounts(text):
        assert text[a.start:a.end] == a.text
        assert not math.isnan(a.value)


def test_a_code_inside_its_level_marker_is_not_an_amount():
    # pages/442 (上海市普陀区司法局 2026 部门预算): "公共安全支出（204类）司法（06款）行政运行（01项）1672.67万元"
    s = "1、公共安全支出（204类）司法（06款）行政运行（01项）1672.67万元。"
    assert [a.text for a in find_amounts(s)] == ["1672.67万元"]
    assert [a.text for a in find_amounts("完成项目（3项）")] == ["3项"]  # a count, not a code in a level marker


def test_zeng_jian_alone_before_the_number_say_the_direction():
    # pages/557 (保山市环境保护局 2019 “三公”经费预算, in 元): "比上年预算增56400元" / "比上年预算减15600元"
    s = "安排公务接待费64000元,比上年预算减15600元,同比下降19.60%。"
    assert [(a.text, a.value, a.direction) for a in find_amounts(s)] == [
        ("64000元", 64000.0, 0), ("减15600元", -15600.0, -1), ("下降19.60%", -19.6, -1)]
    assert find_amounts("公务用车运行维护费325000元,增72000元")[1].value == 72000.0
    # 增/减 of another word is no change: an addition, an audit cut, an adjustment, a template's two directions
    for t in ("新增605.99万元", "核减1.2万元", "调增5万元", "本年增减0.5万元", "增(减)0元", "统一压减10%"):
        assert all(a.direction == 0 for a in find_amounts(t)), t


def test_a_rate_named_after_its_direction_word_is_a_change():
    # pages/652 (黔南州中医医院 2016): "医疗业务收入38077.8万元,与上年同期相比增加了2461.67万元,增长率为6.91%"
    t = "医疗业务收入38077.8万元,与上年同期相比增加了2461.67万元,增长率为6.91%。"
    a = [x for x in find_amounts(t, 0, len(t)) if x.kind == "percent"]
    assert [(x.value, x.direction) for x in a] == [(6.91, 1)]
    assert [x.value for x in find_amounts("下降率3.5%", 0, 6)] == [-3.5]


def test_a_bare_wan_before_a_rate_is_wan_yuan():
    # pages/601 (大同师范高等专科学校 2021): "支出6821.09751万元2020年度增加1276.128557万增长23.01%"
    s = "2021年支出6821.09751万元2020年度增加1276.128557万增长23.01%。"
    assert [(a.text, a.value, a.unit) for a in find_amounts(s)] == [
        ("6821.09751万元", 6821.09751, "万元"), ("增加1276.128557万", 1276.128557, "万"), ("增长23.01%", 23.01, "%")]
    # a count's 万 is followed by its noun: no amount of money
    assert all(a.kind != "amount" for a in find_amounts("接待游客1.2万人次,造林3万亩"))


def test_scanned_amounts_are_the_dataclass_s_objects():
    # find_amounts makes its Amounts without the frozen dataclass's __init__ (numbers._amount): each must be the
    # object Amount(...) makes of the same fields (equal, same hash and repr), on every literal of the seed
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "seeds" / "tianqiao_2023.txt").read_text(encoding="utf-8")
    found = find_amounts(text, units_only=False)
    assert len(found) > 500
    for a in found:
        b = Amount(**vars(a))
        assert a == b and hash(a) == hash(b) and repr(a) == repr(b) and type(a) is Amount
    assert [a.text for a in find_amounts("国防支出7.43万元，比去年同期减少6.5万元。")] == ["7.43万元", "减少6.5万元"]


def test_a_figure_glued_to_a_lost_character_is_no_figure():
    # pages/955 (蕉城区 2022): the 类 line is mis-decoded and its amount lost its first digit
    # ("?。ㄒ唬┮话愎卜罩С?8639萬元,較上年減支5273萬元,下降9.8%": 5273/(48639+5273) = 9.8%)
    text = "罩С?8639万元,较上年减支5273万元,下降9.8%"
    assert [a.text for a in find_amounts(text)] == ["减支5273万元", "下降9.8%"]
    assert "8639" not in [a.text for a in find_numbers(text)]
    assert [a.text for a in find_amounts("支出\ufffd12.5万元")] == []
    # an ordinary figure after a full-width question mark or a space is still read
    assert [a.value for a in find_amounts("是否？12.5万元")] == [12.5]
    # a figure at the very start of a text has no character before it: it is read
    assert [a.value for a in find_amounts("150384元、卫生健康支出")] == [150384]
