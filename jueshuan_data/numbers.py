"""Amounts, percentages and counts as printed: a value object that keeps the number *and* its literal.

In the manner of price-parser: ``parse_amount`` reads one literal, ``find_amounts`` scans a stretch of
text; every result remembers the exact characters it came from and their span.

>>> a = parse_amount("减少2.30万元")
>>> a.value, a.unit, a.kind, a.direction, a.wan
(-2.3, '万元', 'amount', -1, -2.3)
>>> parse_amount("增长-3.08%").value
-3.08
>>> parse_amount("6,934.46万元").wan
6934.46
>>> parse_amount("3台（套）").value, parse_amount("3台（套）").unit
(3.0, '台（套）')
>>> parse_amount("1,500元").wan
0.15
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Amount", "parse_amount", "find_amounts", "find_numbers", "chinese_numeral", "MONEY_UNITS"]

#: 万元 per unit: the reports' own unit is 万元; 元 and 亿元 are converted, the literal is kept.
MONEY_UNITS = {"万元": 1.0, "元": 1e-4, "亿元": 1e4, "千元": 0.1, "万": 1.0}
COUNT_UNITS = (
    "台（套）", "台(套)", "个百分点", "人次", "批次", "辆", "台", "套", "个", "人", "次", "项", "家", "户", "处",
    "场", "名", "件", "册", "份", "批", "张", "宗", "栋", "间", "辆次", "平方米", "公里",
)
PERCENT_UNITS = ("%", "‰")

# 增收/减收/增支/减支: government accounts speak of revenue and spending changes so ("同比增收0.75亿元")
_INC = ("增加", "增长", "上升", "提高", "增幅", "增收", "增支", "多支")
_DEC = ("减少", "下降", "降低", "减幅", "降幅", "缩减", "减收", "减支", "少支")
# Longest first so 增加 wins over 增; the filler after the word ("增加支出718.43万元") is part of the literal.
_DIR_WORDS = sorted(_INC + _DEC, key=len, reverse=True)

#: marks of a character lost in decoding ('?' of a failed conversion, U+FFFD): glued to the front of a
#: figure they may stand for its first digits ("罩С?8639萬元" is 48639 with its 4 lost in a mis-decoded
#: run), so such a figure is no figure (a miss, not a wrong value)
LOST_CHARS = "?\ufffd"
#: a number as the reports print it: digits with optional thousands separators, optional decimals
INTEGER_PART = r"(?:\d{1,3}(?:,\d{3})+|\d+)"
NUMBER = INTEGER_PART + r"(?:\.\d+)?"
_NUM = NUMBER
_UNIT_ALT = "|".join(
    re.escape(u) for u in sorted([u for u in MONEY_UNITS if u != "万"] + list(PERCENT_UNITS) + list(COUNT_UNITS),
                                 key=len, reverse=True)
) + r"|万(?=[,，。；;、)）（(\s]|$|增长|下降|降低)"  # a bare 万 ("0.00 万,") is 万元 only where nothing can
# follow it, or a rate does: "增加1276.128557万增长23.01%" (a count's 万 is followed by its noun: 万人, 万亩)
# "比去年3.01万元少0.07万元": 少/多 right after the figure compared with is a direction word too;
# "比上年预算增56400元", "比上年预算减15600元", "325000元,增72000元": 增/减 alone, right before the number,
# after a comparison's last word or a break -- not the 增/减 of another word (新增, 压减, 核减, 调增, 增减 …:
# an addition, a cut or an adjustment, not a change on last year)
_ZJ_AFTER = r"(?<=[，,、;；：:\s(（比较年算数度期元])"
_DIR_ALT = "|".join(_DIR_WORDS) + r"|(?<=元)少|(?<=元)多" + \
    rf"|{_ZJ_AFTER}增(?=[-−－]?\d)|{_ZJ_AFTER}减(?=[-−－]?\d)"
# every literal starts with one of these: the lookahead in front lets the regex engine skip every other
# character at once instead of trying the direction words at each (a scan 3-4 times as fast)
_FIRST_CHARS = "".join(sorted({w[0] for w in _DIR_WORDS} | {"少", "多"}))
# direction word, optional filler, optional sign, number, optional unit
_AMOUNT_RE = re.compile(
    rf"(?=[{_FIRST_CHARS}\-−－\d])(?P<dir>(?:{_DIR_ALT})(?:支出|了|额|比例为?|率为?|为|约)?\s?)?(?:(?<![^\s为是：:（(，,。；;加长升高幅降低少减出额了])(?P<sign>[-−－]))?(?P<num>{_NUM})(?P<unit>{_UNIT_ALT})?"
)
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_COUNT_RE = re.compile(r"(?P<num>[一二两三四五六七八九十百千]+)(?P<unit>个|辆|台（套）|台|套|人次|人|项|家|次|名)")


@dataclass(frozen=True)
class Amount:
    """A number as printed, with its unit, kind, literal and span.

    ``value`` is in the printed unit and signed when a direction word (减少/下降/降低) or a minus sign says
    so; it is ``None`` when the literal was cut off (a number at the very end of an excerpt).
    """

    value: float | None
    unit: str | None
    kind: str  # 'amount' | 'percent' | 'count' | 'number'
    text: str
    start: int = 0
    end: int = 0
    direction: int = 0
    decimals: int = 0

    @property
    def wan(self) -> float | None:
        """The value in 万元 (None unless this is an amount of money)."""
        if self.value is None or self.kind != "amount" or self.unit not in MONEY_UNITS:
            return None
        factor = MONEY_UNITS[self.unit]
        if factor == 1.0:
            return self.value
        # exact to the printed places: 673.56亿元 is 6735600万元, not 6735599.999999999
        shift = {1e4: -4, 1e-4: 4, 0.1: 1}.get(factor, 10)
        return round(self.value * factor, max(self.decimals + shift, 0))

    @property
    def magnitude(self) -> float | None:
        """The absolute value (what the text prints after a direction word)."""
        return None if self.value is None else abs(self.value)

    def __str__(self) -> str:  # pragma: no cover - cosmetic
        return self.text


_NEW = object.__new__


def _amount(value, unit, kind, text, start, end, direction=0, decimals=0) -> Amount:
    """``Amount(...)`` for the scanners, which make one per literal: the same object (equal, same hash and
    repr) without the frozen dataclass's eight guarded attribute writes (3 x faster)."""
    a = _NEW(Amount)
    a.__dict__.update(value=value, unit=unit, kind=kind, text=text, start=start, end=end, direction=direction,
                      decimals=decimals)
    return a


def _kind(unit: str | None) -> str:
    if unit is None:
        return "number"
    if unit in MONEY_UNITS:
        return "amount"
    if unit in PERCENT_UNITS or unit == "个百分点":
        return "percent"
    return "count"


def _direction(word: str | None) -> int:
    if not word:
        return 0
    if word.startswith(_DEC) or word.startswith(("少", "减")):
        return -1
    if word.startswith(_INC) or word.startswith(("多", "增")):
        return 1
    return 0


def _from_match(m: re.Match, offset: int = 0, text: str | None = None) -> Amount:
    num = m.group("num")
    unit = m.group("unit")
    if unit == "台(套)":
        unit = "台（套）"
    direction = _direction(m.group("dir"))
    value = float(num.replace(",", ""))
    if m.group("sign"):
        value = -value
    elif direction < 0:
        value = -value
    decimals = len(num.split(".")[1]) if "." in num else 0
    start, end = m.start() + offset, m.end() + offset
    literal = m.group(0)
    # A number with no unit that runs into the end of the text may have been cut: unknown, not smaller.
    if unit is None and text is not None and touches_end(text, m.end()):
        value = None
    return _amount(value, unit, _kind(unit), literal, start, end, direction, decimals)


_BLANK_TO_END = re.compile(r"\s*\Z")


def touches_end(text: str, pos: int) -> bool:
    """Only whitespace from ``pos`` to the end of ``text`` (a number ending there may have been cut).

    Looks at the characters after ``pos`` only as far as they are blank: no copy of the rest of the text.

    >>> touches_end("合计 1,238", 8), touches_end("合计 1,238.58 2.0", 11)
    (True, False)
    """
    return _BLANK_TO_END.match(text, pos) is not None


def cut_number_start(text: str) -> int | None:
    """Where the number that ends ``text`` starts, if one does (a text cut inside a figure), else None.

    >>> t = "津贴补贴 1,238"
    >>> t[cut_number_start(t):]
    '1,238'
    >>> cut_number_start("支出合计1,238.58万元。") is None
    True
    """
    end = len(text.rstrip())
    if not end or not text[end - 1].isdigit():
        return None
    i = end
    while i > 0 and (text[i - 1].isdigit() or text[i - 1] in ".,"):
        i -= 1
    if i > 0 and text[i - 1] in "-−":
        i -= 1
    return i


def places(literal: str) -> int:
    """Digits printed after the point of a bare number literal (a table cell, a rate).

    >>> places("1,234.56"), places("-3"), places("7.5")
    (2, 0, 1)
    """
    return len(literal.split(".")[1]) if "." in literal else 0


def parse_amount(s: str) -> Amount:
    """Parse one literal (the whole string must be one figure).

    >>> parse_amount("121.973万元").decimals
    3
    >>> parse_amount("下降13.55%").value
    -13.55
    >>> parse_amount("三个事业单位").value
    3.0
    """
    s = s.strip()
    m = _AMOUNT_RE.fullmatch(s)
    if m:
        return _from_match(m)
    m = _CN_COUNT_RE.match(s)
    if m:
        return Amount(value=float(chinese_numeral(m.group("num"))), unit=m.group("unit"), kind="count",
                      text=m.group(0), start=0, end=m.end())
    m = _AMOUNT_RE.match(s)
    if m and m.group("num"):
        return _from_match(m)
    raise ValueError(f"not an amount: {s!r}")


def chinese_numeral(s: str) -> int:
    """Small Chinese numerals as used for counts.

    >>> chinese_numeral("三"), chinese_numeral("十二"), chinese_numeral("二十"), chinese_numeral("一百零五")
    (3, 12, 20, 105)
    """
    total, digit = 0, None
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        else:
            raise ValueError(f"not a Chinese numeral: {s!r}")
    return total + (digit or 0)


def _in_date(text: str, m: re.Match) -> bool:
    after = text[m.end("num"):m.end("num") + 1]
    return m.group("unit") is None and after in ("年", "月", "日")


_PAIR_SEP = (",", "、", "，")
_LEVEL_CODE_END = re.compile(r"[类款项][）)]")


def _is_level_code(chunk: str, m: re.Match) -> bool:
    """``行政运行（01项）``, ``公共安全支出（204类）``: a classification code printed inside the level marker after
    its name (a 3-digit 2xx 类, a 2-digit 款 / 项), not a count of items."""
    num = m.group("num")
    if not _LEVEL_CODE_END.match(chunk, m.end("num")) or m.start() < 2 or not "\u4e00" <= chunk[m.start() - 2] <= "\u9fff":
        return False
    level = chunk[m.end("num")]
    return bool(re.fullmatch(r"2\d\d", num)) if level == "类" else bool(re.fullmatch(r"\d\d", num))
_RATE_WORDS = ("增长", "下降", "上升", "降低")


def _pair_unit(chunk: str, m: re.Match) -> str | None:
    """``4125.49,4143.91万元``: a bare number followed by a separator and a number with a unit shares it."""
    rest = chunk[m.end():m.end() + 1]
    if m.group("unit") or rest not in _PAIR_SEP:
        return None
    nxt = _AMOUNT_RE.match(chunk, m.end() + 1)
    if nxt and not nxt.group("dir") and nxt.group("unit") in MONEY_UNITS or (nxt and nxt.group("unit") == "%"):
        return nxt.group("unit")
    return None


def find_amounts(text: str, start: int = 0, end: int | None = None, *, units_only: bool = True) -> list[Amount]:
    """Every figure in ``text[start:end]`` with its span in ``text``.

    With ``units_only`` (default) only literals that carry a unit (万元, %, 辆 …) are returned;
    otherwise bare numbers too (table cells, cut-off numbers), but never the parts of a date.

    >>> [a.text for a in find_amounts("国防支出7.43万元，比去年同期减少6.5万元。")]
    ['7.43万元', '减少6.5万元']
    """
    end = len(text) if end is None else end
    chunk = text[start:end]
    out: list[Amount] = []
    for m in _AMOUNT_RE.finditer(chunk):
        # Not the tail of a longer token: a digit or letter right before the number is another literal
        # (a direction word in between separates them: "较上年2.08减少0.03万元")
        prev = chunk[m.start() - 1] if m.start() > 0 else ""
        if not m.group("dir") and (prev.isdigit() or prev == "." or (prev.isascii() and prev.isalpha())
                                   or (prev != "" and prev in LOST_CHARS)):
            continue
        if _in_date(chunk, m):
            continue
        if prev in "（(" and not m.group("dir") and _is_level_code(chunk, m):
            continue  # "行政运行（01项）", "公共安全支出（204类）": a classification code inside its level marker
        paired = _pair_unit(chunk, m)
        if paired:
            a = _from_match(m, start)
            out.append(Amount(value=a.value, unit=paired, kind=_kind(paired), text=a.text, start=a.start,
                              end=a.end, direction=a.direction, decimals=a.decimals))
            continue
        if not m.group("unit") and m.group("dir") and m.group("dir")[:2] in _RATE_WORDS \
                and chunk[m.end():m.end() + 1] in ("。", "，", ",", "；", ";", ""):
            # "增长13.95。": a growth rate printed without its % sign (增加/减少 would be amounts)
            a = _from_match(m, start)
            out.append(Amount(value=a.value, unit="%", kind="percent", text=a.text, start=a.start, end=a.end,
                              direction=a.direction, decimals=a.decimals))
            continue
        if units_only and not m.group("unit"):
            continue
        a = _from_match(m, start, text if end == len(text) else None)
        if out and out[-1].end + 1 == a.start and chunk[m.start() - 1] in _PAIR_SEP and out[-1].direction \
                and not a.direction and out[-1].unit == a.unit:
            # "各减少1267.86,2570.97万元": the direction word governs both numbers of the pair
            a = Amount(value=-a.value if out[-1].direction < 0 else a.value, unit=a.unit, kind=a.kind, text=a.text,
                       start=a.start, end=a.end, direction=out[-1].direction, decimals=a.decimals)
        out.append(a)
    return out


def find_numbers(text: str, start: int = 0, end: int | None = None) -> list[Amount]:
    """Every numeric literal, dates included (kind 'date'), for the ``facts`` dataset."""
    end = len(text) if end is None else end
    out = []
    for m in _AMOUNT_RE.finditer(text, start, end):
        prev = text[m.start() - 1] if m.start() > 0 else ""
        if not m.group("dir") and (prev.isdigit() or prev == "." or (prev.isascii() and prev.isalpha())
                                   or (prev != "" and prev in LOST_CHARS)):
            continue
        a = _from_match(m, 0, text)
        if _in_date(text, m):
            a = Amount(value=a.value, unit=text[m.end("num")], kind="date", text=m.group("num"),
                       start=m.start("num"), end=m.end("num"), decimals=0)
        out.append(a)
    return out
