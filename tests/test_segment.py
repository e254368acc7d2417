"""segment: section tree, sentences, clauses, tokens; lexicon. Expected values read off the documents."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from jueshuan_data import lexicon
from jueshuan_data.ingest import read_document
from jueshuan_data.segment import Section, clauses, section_at, section_tree, sentences, tokens

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "tianqiao_2023.txt"
CORPUS = ROOT / "tests" / "corpus"

_cache = {}


def load(path: Path):
    if path not in _cache:
        d = read_document(path)
        _cache[path] = (d, section_tree(d.text))
    return _cache[path]


def path_of(path: Path, needle: str, occurrence: int = 0) -> str:
    d, root = load(path)
    i = -1
    for _ in range(occurrence + 1):
        i = d.text.index(needle, i + 1)
    return section_at(root, i).path


# ------------------------------------------------------------------------------- section tree

def test_seed_sentence_path():
    d, root = load(SEED)
    i = d.text.index("行政事业单位养老支出769.83万元")
    (s, e), = [sp for sp in sentences(d.text) if sp[0] <= i < sp[1]]
    assert "行政事业单位养老支出769.83万元" in d.text[s:e]
    assert section_at(root, s).path == "第一部分/四/（二）/4"
    assert section_at(root, i).path == "第一部分/四/（二）/4"


def test_seed_top_level_parts():
    d, root = load(SEED)
    assert [(c.marker, c.title) for c in root.children] == [
        ("第一部分", "2023年度部门决算说明"),
        ("第二部分", "2023年度其他重要事项的情况说明"),     # printed without a space after 部分
        ("第三部分", "2023年度部门绩效评价情况"),
    ]
    assert root.level == 0 and root.path == "" and root.start == 0 and root.end == len(d.text)


def test_seed_heading_positions():
    d, root = load(SEED)
    part2 = root.find("第二部分")
    assert part2.start == d.text.index("第二部分2023年度其他重要事项的情况说明")
    assert root.find("第一部分").end == part2.start
    four = root.find("第一部分/四")
    assert four.start == d.text.index("四、一般公共预算财政拨款支出决算情况说明")
    assert four.title == "一般公共预算财政拨款支出决算情况说明" and four.level == 2
    assert four.end == d.text.index("五、政府性基金预算财政拨款支出决算情况说明")
    item = root.find("第一部分/四/（二）/1")
    assert item.start == d.text.index("1.一般公共服务支出7830.05万元")
    assert item.title == "一般公共服务支出7830.05万元，比去年同期增加支出718.43万元"   # up to the first 。
    assert item.level == 4 and item.marker == "1"
    assert [c.marker for c in root.find("第一部分/四/（二）").children] == list("1234567")


def test_seed_list_items_inside_sentences_are_not_headings():
    # `其中：（1）工资福利支出6057.93万元…；（2）商品…` sits inside one line of section 七
    assert path_of(SEED, "（1）工资福利支出6057.93万元") == "第一部分/七"
    # the 三公 items are numbered headings at line starts
    assert path_of(SEED, "2.公务接待费。2023年度决算数0万元") == "第二部分/一/2"
    assert path_of(SEED, "公务接待费。2023年度决算数0万元") == "第二部分/一/2"


def test_seed_deep_levels():
    d, root = load(SEED)
    assert path_of(SEED, "研究决定辖区经济社会发展和城市管理等重大问题") == "第一部分/一/（一）/1/（2）"
    sec = section_at(root, d.text.index("坚持党建引领，增强治理“硬核力”"))
    assert sec.marker == "一是" and sec.level == 6
    assert sec.path == "第三部分/二/（三）/1/（1）/一是"


def test_sections_nest_and_partition():
    for path in (SEED, CORPUS / "putuo_caizhengju_2024.txt", CORPUS / "putuo_guihuaziyuan_2024.txt"):
        d, root = load(path)
        for sec in root.walk():
            prev_end = sec.start
            for c in sec.children:
                assert sec.start <= c.start < c.end <= sec.end
                assert c.start >= prev_end
                assert c.level > sec.level or sec.marker == "目录"   # TOC entries keep their own level
                prev_end = c.end
                assert c.start == 0 or d.text[c.start - 1] == "\n"      # headings start a line


def test_putuo_toc_does_not_swallow_the_document():
    path = CORPUS / "putuo_caizhengju_2024.txt"
    d, root = load(path)
    assert [c.marker for c in root.children] == ["目录", "第一部分", "第二部分", "第三部分", "第四部分"]
    toc = root.children[0]
    body1 = d.text.index("第一部分 上海市普陀区财政局概况", d.text.index("第四部分 名词解释"))
    assert toc.start == d.text.index("目录") and toc.end == body1
    assert all(not c.children for c in toc.children) and len(toc.children) == 26
    assert root.find("第一部分").start == body1


def test_putuo_paths():
    path = CORPUS / "putuo_caizhengju_2024.txt"
    assert path_of(path, "本年收入合计2946.25万元") == "第三部分/二"
    assert path_of(path, "行政运行（项）。主要用于：局本部人员经费") == "第三部分/五/（三）/1"
    assert path_of(path, "年初预算为258.50万元") == "第三部分/五/（三）/11"
    assert path_of(path, "机关运行经费支出184.65万元") == "第三部分/十一/（一）"
    assert path_of(path, "研究拟订本区财政发展战略") == "第一部分/一/（一）"


def test_putuo_table_rows_are_not_headings():
    path = CORPUS / "putuo_caizhengju_2024.txt"
    d, root = load(path)
    assert root.find("第二部分").children == []
    assert path_of(path, "十、节能环保支出", 0) == "第二部分"
    assert path_of(path, "一、一般公共预算财政拨款收入 2,940.05") == "第二部分"
    path = CORPUS / "putuo_shehuigongzuobu_2024.txt"
    d, root = load(path)
    # `一、一般公共预算财政拨款\n二、…\n三、…\n总计 307.82 …`: a run of ordinal rows next to a table row
    # (this report prints its 第二部分 heading without the marker; the contents give it: see below)
    i = d.text.index("一、一般公共预算财政拨款\n二、政府性基金预算财政拨款")
    assert section_at(root, i).path == "第二部分"
    assert root.find("第二部分").children == []


def test_putuo_part_printed_without_its_marker_takes_the_contents_one():
    # 目录: "第二部分 中共上海市普陀区委社会工作部2024年度部门决算表"; the body prints the title alone
    d, root = load(CORPUS / "putuo_shehuigongzuobu_2024.txt")
    assert [c.marker for c in root.children] == ["目录", "第一部分", "第二部分", "第三部分", "第四部分"]
    part = root.find("第二部分")
    assert part.title == "中共上海市普陀区委社会工作部2024年度部门决算表"
    assert part.start == d.text.index("中共上海市普陀区委社会工作部2024年度部门决算表\n", root.find("目录").end)
    assert root.find("第一部分").end == part.start          # the 概况 no longer holds the tables


def test_shanghai_budget_parts_without_markers_follow_the_contents():
    # pages/441 (万里街道 2024 部门预算): the 目录 numbers its parts "一、部门主要职能 ……" … "七、项目经费情况说明
    # ……" (with entries 1.–9. of tables between, not headings: "1.2024年…"); the body prints each part as a bare
    # line ("上海市普陀区人民政府万里街道办事处（部门）主要职能", "名词解释", "2024年部门预算编制说明")
    d, root = load(CORPUS / "pages" / "441.txt")
    toc = root.find("目录")
    assert d.text[toc.end:].startswith("上海市普陀区人民政府万里街道办事处（部门）主要职能")
    assert [c.marker for c in root.children] == ["目录", "主要职能", "机构设置", "名词解释", "预算编制说明", "预算表",
                                                 "其他相关情况说明", "项目经费情况说明"]
    # "五、部门预算表 ……": the part of tables starts at its first table's title
    assert root.find("预算表").start == d.text.index("2024年部门财务收支预算总表", toc.end)
    assert section_at(root, d.text.index("2024年部门一般公共预算支出功能分类预算表", toc.end)).path == "预算表"
    # the glossary no longer runs on over the 编制说明 and the tables
    glossary = root.find("名词解释")
    assert glossary.end == d.text.index("2024年部门预算编制说明")
    assert section_at(root, d.text.index("收入预算15621.11万元")).path == "预算编制说明"
    assert section_at(root, d.text.index("公务接待费1.35万元")).path == "其他相关情况说明/一/（三）"


def test_not_headings():
    text = ("第一部分 说明\n一、收入\n2.05元为差额。\n1.5万元用于办公。\n（2023年）部门决算。\n1辆公务用车。\n"
            "二、支出\n（一）基本支出\n本年支出100万元。\n（1）工资福利支出50万元。\n")
    root = section_tree(text)
    assert [s.path for s in root.walk()][1:] == ["第一部分", "第一部分/一", "第一部分/二", "第一部分/二/（一）",
                                                 "第一部分/二/（一）/（1）"]
    assert section_at(root, text.index("1辆")).path == "第一部分/一"
    assert section_at(root, text.index("工资")).marker == "（1）"


def test_ascii_paren_markers_normalised():
    text = "一、部门基本情况\n(一)职能职责\n负责全区工作。\n(二)机构设置\n1、党政机构设置\n(1)党政办公室\n"
    root = section_tree(text)
    assert section_at(root, text.index("党政办公室")).path == "一/（二）/1/（1）"
    assert root.find("一/（一）").title == "职能职责"


def test_out_of_sequence_ordinal_is_not_a_heading():
    text = "第二部分 表\n收入决算表\n十、节能环保支出\n十一、城乡社区支出\n第三部分 说明\n一、收入\n二、支出\n"
    root = section_tree(text)
    assert root.find("第二部分").children == []
    assert [c.marker for c in root.find("第三部分").children] == ["一", "二"]


def test_section_at_outside_and_root():
    root = section_tree("没有标题的一段话。")
    assert isinstance(root, Section) and root.children == []
    assert section_at(root, 0) is root and section_at(root, 999) is root


# ----------------------------------------------------------------------- sentences / clauses

def test_sentences_and_clauses():
    text = "2023年度收、支总计25224.15万元，比上年减少976.21万元，下降3.73%。\n（一）收入决算说明\n合计 2,946.25"
    got = [text[a:b] for a, b in sentences(text)]
    assert got == ["2023年度收、支总计25224.15万元，比上年减少976.21万元，下降3.73%。", "（一）收入决算说明",
                   "合计 2,946.25"]
    got = [text[a:b] for a, b in clauses(text)]
    assert got == ["2023年度收、支总计25224.15万元", "比上年减少976.21万元", "下降3.73%", "（一）收入决算说明",
                   "合计 2,946.25"]


def test_sentences_with_range_and_semicolons():
    d, _ = load(SEED)
    a = d.text.index("2.国防支出7.43万元")
    b = d.text.index("\n", a)
    got = [d.text[s:e] for s, e in sentences(d.text, a, b)]
    assert got[0] == "2.国防支出7.43万元，比去年同期减少6.5万元。"
    assert got[-1] == "科学技术支出130.11万元，比去年同期增加支出15.11万元。"
    assert "教育支出56.33万元，比去年同期增加支出2.05元；" in got


def test_clauses_split_on_colons_not_inside_numbers():
    text = "其中：财政拨款收入25224.15万元,占收入合计的100%;时间09:30"
    got = [text[a:b] for a, b in clauses(text)]
    assert got == ["其中", "财政拨款收入25224.15万元", "占收入合计的100%", "时间09:30"]


# --------------------------------------------------------------------------- tokens / lexicon

def test_import_does_not_load_jieba():
    code = "import sys, jueshuan_data.segment, jueshuan_data.lexicon; print('jieba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


def test_tokens_use_the_fiscal_lexicon():
    text = "社会保障和就业支出7894.78万元，比去年同期减少支出260.69万元，其中：机关事业单位基本养老保险缴费支出"
    toks = tokens(text)
    words = [w for w, _, _ in toks]
    assert all(text[s:e] == w for w, s, e in toks)
    assert "社会保障和就业支出" in words
    assert "比去年同期" in words
    assert "机关事业单位基本养老保险缴费支出" in words
    assert "7894.78" in words and "万元" in words
    assert tokens("对个人和家庭的补助 2.01")[0] == ("对个人和家庭的补助", 0, 9)


def test_tokens_loaded_once():
    from jueshuan_data import segment

    tokens("一般公共服务支出")
    first = segment._get_tokenizer()
    tokens("卫生健康支出")
    assert segment._get_tokenizer() is first is lexicon.tokenizer()


def test_lexicon_lists():
    w = set(lexicon.words())
    for word in ("占", "比上年", "比去年同期", "增加", "减少", "下降", "增长", "上升", "持平", "年初预算",
                 "决算数", "完成预算", "一般公共服务支出", "住房保障支出", "社会保障和就业支出", "城乡社区支出",
                 "卫生健康支出", "工资福利支出", "商品和服务支出", "对个人和家庭的补助"):
        assert word in w


def test_lexicon_takes_catalogue_names_and_aliases():
    # the catalogue ships with the package: a failure to load it must fail here, not skip
    # (lexicon.catalogue_words() itself falls back silently to the base lists)
    from jueshuan_data.classification import catalogue

    df = catalogue()
    names = set(df["name"])
    aliases = {a for v in df["aliases"].dropna() for a in v.split("|")}
    assert "抚恤" in names and "抚恤支出" in aliases      # 20808 and the seed's spelling of it
    assert names | aliases <= set(lexicon.words())


def test_an_excerpt_opening_mid_part_keeps_its_headings():
    # a web excerpt that starts at a part's fifth section: a narrative heading, not a table row
    text = ("第二部分 2019年度部门决算情况说明\n五、一般公共预算财政拨款支出决算情况说明\n"
            "（一）一般公共预算财政拨款支出决算总体情况\n2019年度一般公共预算财政拨款支出950.00万元。\n")
    paths = [s.path for s in section_tree(text).walk() if s.level]
    assert paths == ["第二部分", "第二部分/五", "第二部分/五/（一）"]


def test_a_class_label_opening_a_part_is_still_not_a_heading():
    # putuo 收入支出决算总表: "十、节能环保支出" lines are table labels, even when nothing precedes them
    text = "第二部分 2024年度部门决算表\n十、节能环保支出\n十一、城乡社区支出\n"
    assert [s.path for s in section_tree(text).walk() if s.level] == ["第二部分"]


def test_tokenizer_dictionary_is_jiebas_most_frequent_words():
    """The shipped dictionary is the head of jieba's own dict.txt by frequency: every entry as jieba prints
    it, and no word left out that is more frequent than one kept."""
    import jieba

    full = {}
    for line in (Path(jieba.__file__).resolve().parent / "dict.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            w, f, *tag = line.split()
            full[w] = (int(f), tag)
    shipped = [line.split() for line in lexicon.DICTIONARY.read_text(encoding="utf-8").splitlines()]
    assert len(shipped) == lexicon.COMMON_WORDS
    assert all(full[w] == (int(f), tag) for w, f, *tag in shipped)
    kept = {w for w, *_ in shipped}
    lowest_kept = min(int(f) for _, f, *_ in shipped)
    assert max(f for w, (f, _) in full.items() if w not in kept) <= lowest_kept


@pytest.mark.parametrize("label, words", [
    # labels of the seed and the corpus that the label rules segment (tests/test_labels.py checks them all)
    ("根据财政定额以及街道实际情况确定社区党组织服务群众项目经费成本", ["根据", "确定"]),
    ("具体包括一级指标", ["具体", "包括"]),
    ("涉及金额", ["涉及", "金额"]),
    ("含返还性收入", ["含", "返还"]),
    ("含外宾接待支出", ["含", "外宾", "接待"]),
])
def test_tokens_of_labels(label, words):
    got = [w for w, _, _ in tokens(label)]
    assert all(w in got for w in words), got
