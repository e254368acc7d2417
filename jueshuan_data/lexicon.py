"""The fiscal lexicon: measure words, classification names and report vocabulary; jieba set up lazily.

``words()`` is every lexicon word (the lists below plus, when ``jueshuan_data.classification`` is available,
the catalogue's names and aliases). ``tokenizer()`` builds — once, on first use — a dedicated
``jieba.Tokenizer`` with those words added; importing this module loads neither jieba nor the
catalogue.
"""

from __future__ import annotations

import functools
import logging
import sys
import threading
from pathlib import Path

__all__ = [
    "MEASURE_WORDS",
    "DIRECTION_UP",
    "DIRECTION_DOWN",
    "FUNCTIONAL_CLASSES",
    "ECONOMIC_CLASSES",
    "FUNDS",
    "SUMMARY_ITEMS",
    "THREE_PUBLIC",
    "OTHER_TERMS",
    "words",
    "catalogue_words",
    "tokenizer",
]

#: the four budgets a government keeps: their names hold 预算 without naming a document of that kind
FUND_BUDGETS = ("一般公共预算", "政府性基金预算", "国有资本经营预算", "社会保险基金预算")

DIRECTION_UP = ("增加", "增长", "上升", "提高", "增支", "多支")
DIRECTION_DOWN = ("减少", "下降", "降低", "减支", "少支", "节约")

MEASURE_WORDS = (
    "占", "占比", "比上年", "比上年度", "比去年", "比去年同期", "比上年同期", "较上年", "较上年度",
    "较去年", "较去年同期", "与上年相比", "同比", "环比", "持平", "基本持平", "无变化", "增减变化",
    "年初预算", "年初预算数", "全年预算", "全年预算数", "调整预算", "调整预算数", "预算数", "决算数",
    "完成预算", "完成年初预算", "完成全年预算", "完成调整预算", "预算执行率", "执行率",
    "其中", "合计", "总计", "小计", "总额", "累计", "共计", "人均",
) + DIRECTION_UP + DIRECTION_DOWN

FUNCTIONAL_CLASSES = (
    "一般公共服务支出", "外交支出", "国防支出", "公共安全支出", "教育支出", "科学技术支出",
    "文化旅游体育与传媒支出", "文化体育与传媒支出", "社会保障和就业支出", "社会保险基金支出",
    "卫生健康支出", "医疗卫生与计划生育支出", "节能环保支出", "城乡社区支出", "城乡社区事务支出",
    "农林水支出", "交通运输支出", "资源勘探工业信息等支出", "资源勘探信息等支出", "商业服务业等支出",
    "金融支出", "援助其他地区支出", "自然资源海洋气象等支出", "国土海洋气象等支出", "住房保障支出",
    "粮油物资储备支出", "国有资本经营预算支出", "灾害防治及应急管理支出", "预备费", "其他支出",
    "转移性支出", "债务还本支出", "债务付息支出", "债务发行费用支出", "抗疫特别国债安排的支出",
    # frequent 款/项
    "行政运行", "一般行政管理事务", "机关服务", "事业运行", "行政事业单位养老支出",
    "行政单位离退休", "事业单位离退休", "机关事业单位基本养老保险缴费支出",
    "机关事业单位职业年金缴费支出", "其他行政事业单位养老支出", "行政事业单位医疗",
    "行政单位医疗", "事业单位医疗", "公务员医疗补助", "住房改革支出", "住房公积金", "提租补贴",
    "购房补贴", "城乡社区管理事务", "城乡社区规划与管理", "城乡社区环境卫生", "民政管理事务",
    "抚恤", "退役安置", "社会福利", "残疾人事业", "最低生活保障", "临时救助", "特困人员救助供养",
    "医疗救助", "优抚对象医疗", "计划生育事务", "就业补助",
)

ECONOMIC_CLASSES = (
    "工资福利支出", "商品和服务支出", "对个人和家庭的补助", "资本性支出", "对企业补助",
    "对社会保障基金补助", "债务利息及费用支出", "其他支出",
    "机关工资福利支出", "机关商品和服务支出", "机关资本性支出",
    "基本工资", "津贴补贴", "奖金", "伙食补助费", "绩效工资", "机关事业单位基本养老保险缴费",
    "职业年金缴费", "职工基本医疗保险缴费", "公务员医疗补助缴费", "其他社会保障缴费", "医疗费",
    "其他工资福利支出", "办公费", "印刷费", "咨询费", "手续费", "水费", "电费", "邮电费", "取暖费",
    "物业管理费", "差旅费", "因公出国（境）费用", "维修（护）费", "租赁费", "会议费", "培训费",
    "公务接待费", "专用材料费", "被装购置费", "专用燃料费", "劳务费", "委托业务费", "工会经费",
    "福利费", "公务用车运行维护费", "其他交通费用", "税金及附加费用", "其他商品和服务支出",
    "离休费", "退休费", "退职（役）费", "抚恤金", "生活补助", "救济费", "医疗费补助", "助学金",
    "奖励金", "个人农业生产补贴", "代缴社会保险费", "其他对个人和家庭的补助",
    "房屋建筑物购建", "办公设备购置", "专用设备购置", "信息网络及软件购置更新", "公务用车购置",
    "其他交通工具购置", "文物和陈列品购置", "无形资产购置", "其他资本性支出",
    "人员经费", "公用经费", "日常公用经费",
)

FUNDS = ("一般公共预算", "政府性基金预算", "国有资本经营预算", "社会保险基金预算", "财政专户管理资金")

SUMMARY_ITEMS = (
    "收支总计", "收入总计", "支出总计", "收入合计", "支出合计", "本年收入合计", "本年支出合计",
    "财政拨款收入", "一般公共预算财政拨款收入", "政府性基金预算财政拨款收入",
    "国有资本经营预算财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入",
    "其他收入", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出",
    "年初结转和结余", "年末结转和结余", "使用非财政拨款结余", "用事业基金弥补收支差额",
    "财政拨款收入支出", "财政拨款支出", "一般公共预算财政拨款支出", "一般公共预算财政拨款基本支出",
)

THREE_PUBLIC = (
    "三公经费", "“三公”经费", "因公出国（境）费", "因公出国（境）费用", "公务用车购置及运行维护费",
    "公务用车购置及运行费", "公务用车购置费", "公务用车运行维护费", "公务用车运行费", "公务接待费",
    "公务用车保有量",
)

OTHER_TERMS = (
    "机关运行经费", "政府采购", "政府采购支出", "政府采购货物支出", "政府采购工程支出",
    "政府采购服务支出", "授予中小企业合同金额", "授予小微企业合同金额", "政府购买服务",
    "国有资产", "固定资产", "资产总额", "负债总额", "净资产", "账面净值", "账面原值",
    "民生支出", "最低生活保障金", "残疾人生活和护理补贴", "绩效评价", "绩效自评", "预算绩效管理",
    "部门决算", "单位决算", "部门预算", "决算公开", "万元", "亿元",
)


@functools.lru_cache(maxsize=1)
def catalogue_words() -> tuple[str, ...]:
    """Names and aliases from ``jueshuan_data.classification`` (empty when it is absent or fails)."""
    try:
        from . import classification   # lazily (its rows are read from the shipped files on first use)

        rows = classification.catalogue_rows()
    except Exception:  # noqa: BLE001 - absence or any failure of the catalogue leaves the base lexicon
        return ()
    words = [str(r["name"]) for r in rows if r["name"] is not None]
    for r in rows:
        if r["aliases"] is not None:
            words.extend(str(r["aliases"]).split("|"))
    return tuple(dict.fromkeys(w.strip() for w in words if w.strip()))


@functools.lru_cache(maxsize=1)
def words() -> tuple[str, ...]:
    """Every lexicon word: the lists in this module, then the catalogue's names and aliases."""
    return tuple(dict.fromkeys((*MEASURE_WORDS, *FUNCTIONAL_CLASSES, *ECONOMIC_CLASSES, *FUNDS, *SUMMARY_ITEMS,
                                *THREE_PUBLIC, *OTHER_TERMS, *catalogue_words())))


_tok = None
_lock = threading.Lock()

# jieba's own dictionary holds 349,046 words and takes ~0.55 s (and ~60 MiB) to load: most of a cold
# start. The labels it segments need common words and the fiscal lexicon only, so the tokenizer loads
# jieba's most frequent words (shipped, made from jieba's dict.txt by ``python -m jueshuan_data.lexicon``)
# in ~0.06 s; words outside it go to jieba's HMM as with the full dictionary.
COMMON_WORDS = 50_000
DICTIONARY = Path(__file__).resolve().parent / "data" / "jieba_common_words.txt"


def write_dictionary(path: Path = DICTIONARY, n: int = COMMON_WORDS) -> Path:
    """Write jieba's ``n`` most frequent words (ties by word) in jieba's dictionary format to ``path``."""
    import jieba

    source = Path(jieba.__file__).resolve().parent / "dict.txt"
    entries = [line.split() for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    entries.sort(key=lambda e: (-int(e[1]), e[0]))
    path.write_text("".join(" ".join(e) + "\n" for e in entries[:n]), encoding="utf-8")
    return path


def _import_jieba():
    """``import jieba`` (lazily: importing the package must not load it) without pkg_resources: jieba imports
    it only to open its own data files and falls back to plain ``open`` without it, and pkg_resources alone
    costs ~0.1 s of a cold start. A process that has pkg_resources already keeps it; one that has not gets
    it back on its own next import (the block is lifted at once)."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba

        return jieba
    sys.modules["pkg_resources"] = None      # makes `import pkg_resources` raise ImportError
    try:
        import jieba
    finally:
        if sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    return jieba


def tokenizer():
    """A dedicated ``jieba.Tokenizer`` of jieba's common words with the lexicon added (built once, on
    first call)."""
    global _tok
    if _tok is None:
        with _lock:
            if _tok is None:
                jieba = _import_jieba()
                jieba.setLogLevel(logging.WARNING)
                logging.getLogger("jieba").setLevel(logging.WARNING)
                tk = jieba.Tokenizer(str(DICTIONARY))
                tk.initialize()
                for w in words():
                    if " " in w:
                        continue
                    tk.add_word(w, freq=max(tk.suggest_freq(w, tune=False), 2000))
                _tok = tk
    return _tok


if __name__ == "__main__":
    print(write_dictionary())
