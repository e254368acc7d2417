#!/usr/bin/env python
"""Build the classification catalogue shipped in ``jueshuan_data/data/``.

Reproducible: reads the real reports of ``../shared/corpus/raw`` (PDF text layer via pdfplumber;
templates, generated drafts and the copy with injected errors are excluded, see MANIFEST.tsv) and the
code–name pairs of ``../shared/reference/*.csv``, merges them with a small hand-written table of
codes from the MOF 《政府收支分类科目》 (``KNOWLEDGE`` below) and writes

    jueshuan_data/data/function_codes.csv
    jueshuan_data/data/economic_codes.csv

A row is ``official`` only when its code–name pair is printed in a source we hold (a real PDF, or the
reference CSVs built from those PDFs); its ``source`` lists where. A knowledge row whose pair is printed
nowhere is ``unverified`` with source ``knowledge``. No code is ever invented to make a name match.

    .venv/bin/python tools/build_catalogue.py [--shared ../shared] [--cache /tmp/jd_pdf_text] [--check]

``--check`` rebuilds into memory and fails if the shipped CSVs differ (for CI with ../shared).
"""
from __future__ import annotations

import argparse
import collections
import csv
import io
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "jueshuan_data" / "data"

CJK = r"\u4e00-\u9fff"
NAME = rf"[{CJK}][{CJK}（）()、]*"

# ---------------------------------------------------------------------------------------------
# Knowledge: codes of the MOF 政府收支分类科目 (functional 类/款/项) and 部门预算支出经济分类 (类/款)
# as recalled, NOT read from a file here. Format: code | name | first_year | last_year | note.
# Rows printed in a source become `official`; the others stay `unverified` (source `knowledge`).
# first/last year only where the edition that introduced/retired the name is known.
# ---------------------------------------------------------------------------------------------
KNOWLEDGE_FUNCTION = """
201|一般公共服务支出|||
202|外交支出|||
203|国防支出|||
204|公共安全支出|||
205|教育支出|||
206|科学技术支出|||
207|文化体育与传媒支出||2018|renamed 文化旅游体育与传媒支出 in the 2019 edition; printed without code in Jiangsu 2017–2019 收支预算总表 lists
207|文化旅游体育与传媒支出|2019||
208|社会保障和就业支出|||
209|社会保险基金支出|||
210|医疗卫生与计划生育支出||2018|renamed 卫生健康支出 in the 2019 edition
210|卫生健康支出|2019||
211|节能环保支出|||
212|城乡社区支出|||
213|农林水支出|||
214|交通运输支出|||
215|资源勘探工业信息等支出|||
216|商业服务业等支出|||
217|金融支出|||
219|援助其他地区支出|||
220|国土海洋气象等支出||2018|renamed 自然资源海洋气象等支出 in the 2019 edition; printed without code in Jiangsu 2017–2019 收支预算总表 lists
220|自然资源海洋气象等支出|2019||
221|住房保障支出|||
222|粮油物资储备支出|||
223|国有资本经营预算支出|||
224|灾害防治及应急管理支出|2019||
227|预备费|||
229|其他支出|||
230|转移性支出|||
231|债务还本支出|||
232|债务付息支出|||
233|债务发行费用支出|||
234|抗疫特别国债安排的支出|2020||
20101|人大事务|||
20102|政协事务|||
20103|政府办公厅（室）及相关机构事务|||
20104|发展与改革事务|||
20105|统计信息事务|||
20106|财政事务|||
20107|税收事务|||
20108|审计事务|||
20109|海关事务|||
20110|人力资源事务|||
20111|纪检监察事务|||
20113|商贸事务|||
20114|知识产权事务|||
20123|民族事务|||
20125|港澳台事务|||
20126|档案事务|||
20128|民主党派及工商联事务|||
20129|群众团体事务|||
20131|党委办公厅（室）及相关机构事务|||
20132|组织事务|||
20133|宣传事务|||
20134|统战事务|||
20135|对外联络事务|||
20136|其他共产党事务支出|||
20137|网信事务|||
20138|市场监督管理事务|||
20139|社会工作事务|||
20199|其他一般公共服务支出|||
20306|国防动员|||
20399|其他国防支出|||
20402|公安|||
20404|检察|||
20405|法院|||
20406|司法|||
20499|其他公共安全支出|||
20501|教育管理事务|||
20502|普通教育|||
20508|进修及培训|||
20599|其他教育支出|||
20601|科学技术管理事务|||
20605|科技条件与服务|||
20607|科学技术普及|||
20699|其他科学技术支出|||
20701|文化和旅游|2019||
20702|文物|||
20703|体育|||
20799|其他文化旅游体育与传媒支出|2019||
20801|人力资源和社会保障管理事务|||
20802|民政管理事务|||
20805|行政事业单位养老支出|||
20807|就业补助|||
20808|抚恤|||
20809|退役安置|||
20810|社会福利|||
20811|残疾人事业|||
20816|红十字事业|||
20819|最低生活保障|||
20820|临时救助|||
20821|特困人员救助供养|||
20825|其他生活救助|||
20828|退役军人管理事务|2019||
20899|其他社会保障和就业支出|||
21001|卫生健康管理事务|2019||
21004|公共卫生|||
21007|计划生育事务|||
21011|行政事业单位医疗|||
21013|医疗救助|||
21014|优抚对象医疗|||
21015|医疗保障管理事务|2019||
21099|其他卫生健康支出|2019||
21101|环境保护管理事务|||
21103|污染防治|||
21199|其他节能环保支出|||
21201|城乡社区管理事务|||
21202|城乡社区规划与管理|||
21203|城乡社区公共设施|||
21205|城乡社区环境卫生|||
21299|其他城乡社区支出|||
21301|农业农村|2019||
21303|水利|||
21399|其他农林水支出|||
21508|支持中小企业发展和管理支出|||
21699|其他商业服务业等支出|||
22001|自然资源事务|2019||
22101|保障性安居工程支出|||
22102|住房改革支出|||
22103|城乡社区住宅|||
22401|应急管理事务|2019||
22902|年初预留|||
22960|彩票公益金安排的支出|||
22999|其他支出|||
2296002|用于社会福利的彩票公益金支出|||
"""

KNOWLEDGE_ECONOMIC = """
301|工资福利支出|||
302|商品和服务支出|||
303|对个人和家庭的补助|||
307|债务利息及费用支出|2018||
309|资本性支出（基本建设）|2018||
310|资本性支出|2018||
311|对企业补助（基本建设）|2018||
312|对企业补助|2018||
313|对社会保障基金补助|2018||
399|其他支出|||
30101|基本工资|||
30102|津贴补贴|||
30103|奖金|||
30106|伙食补助费|||
30107|绩效工资|||
30108|机关事业单位基本养老保险缴费|||
30109|职业年金缴费|||
30110|职工基本医疗保险缴费|||
30111|公务员医疗补助缴费|||
30112|其他社会保障缴费|||
30113|住房公积金|||
30114|医疗费|||
30199|其他工资福利支出|||
30201|办公费|||
30202|印刷费|||
30203|咨询费|||
30204|手续费|||
30205|水费|||
30206|电费|||
30207|邮电费|||
30208|取暖费|||
30209|物业管理费|||
30211|差旅费|||
30212|因公出国（境）费用|||
30213|维修（护）费|||
30214|租赁费|||
30215|会议费|||
30216|培训费|||
30217|公务接待费|||
30218|专用材料费|||
30224|被装购置费|||
30225|专用燃料费|||
30226|劳务费|||
30227|委托业务费|||
30228|工会经费|||
30229|福利费|||
30231|公务用车运行维护费|||
30239|其他交通费用|||
30240|税金及附加费用|||
30299|其他商品和服务支出|||
30301|离休费|||
30302|退休费|||
30303|退职（役）费|||
30304|抚恤金|||
30305|生活补助|||
30306|救济费|||
30307|医疗费补助|||
30308|助学金|||
30309|奖励金|||
30310|个人农业生产补贴|||
30311|代缴社会保险费|2018||
30399|其他对个人和家庭的补助|||
31001|房屋建筑物购建|||
31002|办公设备购置|||
31003|专用设备购置|||
31005|基础设施建设|||
31006|大型修缮|||
31007|信息网络及软件购置更新|||
31013|公务用车购置|||
31019|其他交通工具购置|||
31021|文物和陈列品购置|||
31022|无形资产购置|||
31099|其他资本性支出|||
"""

# Former names printed in the sources (pre-2018 economic scheme, pre-rename functional names).
# kind, code, name, last_year, note — becomes its own row (official if printed, which these are).
HISTORIC = [
    ("function", "20805", "行政事业单位离退休", 2019,
     "former name of 20805; printed in Jiangsu budgets 2017–2019, 行政事业单位养老支出 from 2020 in the sources"),
    ("function", "215", "资源勘探信息等支出", 2018,
     "name before the 2019 edition (knowledge); printed without code in Jiangsu 2017–2019 收支预算总表 lists"),
    ("economic", "30104", "其他社会保障缴费", 2017, "pre-2018 economic scheme (Jiangsu 2017)"),
    ("economic", "30311", "住房公积金", 2017, "pre-2018 economic scheme; since 2018 30311 is 代缴社会保险费"),
    ("economic", "30312", "提租补贴", 2017, "pre-2018 economic scheme"),
    ("economic", "310", "其他资本性支出", 2017, "pre-2018 name of 类 310"),
]

# Spellings seen in reports for an existing code (not the official name). Each with where it was seen.
ALIASES = [
    ("function", "212", "城乡社区事务支出", "seeds/tianqiao_2023.txt (四（二）6)"),
    ("function", "221", "住房保障及其他支出", "seeds/tianqiao_2023.txt (四（二）7)"),
    ("function", "20105", "统计信息支出", "seeds/tianqiao_2023.txt (四（二）1)"),
    ("function", "20808", "抚恤支出", "seeds/tianqiao_2023.txt (四（二）4)"),
    ("function", "21299", "其他城乡社区事务支出", "seeds/tianqiao_2023.txt (四（二）6)"),
    ("function", "21011", "行政事业单位医疗支出", "seeds/tianqiao_2023.txt (四（二）5)"),
    ("function", "20103", "政府办公厅（室）及相关机构事务支出", "seeds/tianqiao_2023.txt (四（二）1)"),
    ("economic", "303", "对个人和家庭补助支出", "seeds/tianqiao_2023.txt (七)"),
    ("economic", "303", "对个人和家庭补助", "seeds/tianqiao_2023.txt (七)"),
    ("economic", "30213", "维修(护)费", "reference/observed_economic_codes.csv name_variants"),
]

# Documents whose economic table does not use the MOF codes: the 社会福利院 2024 unit budget numbers the
# items of its 基本支出 table sequentially (302 02 咨询费, 302 03 水费, 302 04 电费 …, 303 离退休人员经费).
# Its economic pairs, and reference rows taken from it, are not evidence.
BAD_ECONOMIC_DOCS = {"zxj6827111-blip__tianbaoxitong/1769321433314-826553525.pdf"}

# Observed pairs rejected by hand (kind, code, name): pairing artefacts, local numbering.
REJECT = {
    ("economic", "30203", "水费"), ("economic", "30210", "车辆运行费"),
    ("economic", "30212", "机关事业单位退休人员活动费"), ("economic", "303", "离退休人员经费"),
}


def kind_of(code: str) -> str | None:
    if code[0] == "2" and 201 <= int(code[:3]) <= 234:
        return "function"
    if code[0] == "3" and len(code) in (3, 5):
        return "economic"
    return None


def level_of(code: str) -> str:
    return {3: "类", 5: "款", 7: "项"}[len(code)]


def clean(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip().replace("(", "（").replace(")", "）")


# --- reading the sources ---------------------------------------------------------------------

def select_pdfs(shared: Path):
    rows = list(csv.DictReader((shared / "corpus/raw/MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t"))
    keep, skipped = [], []
    for r in rows:
        if r["format"] != "pdf":
            continue
        bad = ("模板" in r["doc_type"] or "GENERATED" in r["doc_type"] or "DELIBERATELY ALTERED" in r["notes"])
        (skipped if bad else keep).append(r)
    return keep, skipped


def pdf_text(path: Path, cache: Path | None) -> str:
    if cache is not None:
        c = cache / (path.parent.name + "__" + path.stem + ".txt")
        if c.exists():
            return c.read_text(encoding="utf-8")
    import pdfplumber
    with pdfplumber.open(path) as pdf:
        text = "\n\f\n".join((pg.extract_text() or "") for pg in pdf.pages)
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        c.write_text(text, encoding="utf-8")
    return text


# "201 06 01 行政运行", "2010601 行政运行", "301 2 津贴补贴" (Excel export drops the leading zero)
PAIR = re.compile(
    rf"(?<![\d.,])(?:(?P<l>2\d\d|3\d\d)\s+(?P<k>\d{{1,2}})(?:\s+(?P<x>\d{{2}}))?|(?P<j>\d{{3}}(?:\d\d){{0,2}}))"
    rf"(?![\d])\s*(?![类款项]）)(?P<name>{NAME})")
# "公共安全支出（204类）司法（06款）行政运行（01项）"
NARR = re.compile(rf"(?P<n1>{NAME}?)（(?P<c1>2\d\d)类）(?:(?P<n2>{NAME}?)（(?P<c2>\d\d)款）)?(?:(?P<n3>{NAME}?)（(?P<c3>\d\d)项）)?")
STOP = re.compile(r"^(?:万|元|年|月|日|亿|平方米|类|款|余|多|人次|个单位|个部门)|^[个人辆台套项家次名]$")


def pairs_in(text: str):
    for line in text.splitlines():
        for m in PAIR.finditer(line):
            if m["j"]:
                code = m["j"]
            else:
                k = m["k"]
                if len(k) == 1:
                    if m["l"][0] != "3" or m["x"]:
                        continue
                    k = "0" + k
                code = m["l"] + k + (m["x"] or "")
            name = m["name"]
            if STOP.match(name) or len(name) < 2:
                continue
            yield code, name
        for m in NARR.finditer(line):
            c = m["c1"]
            for n, part in (("n1", None), ("n2", "c2"), ("n3", "c3")):
                if part:
                    if not m[part]:
                        break
                    c = c + m[part]
                name = (m[n] or "").lstrip("0123456789、.．“\"")
                if len(name) >= 2:
                    yield c, name


def read_reference(shared: Path):
    out = []
    for kind, fn in (("function", "observed_function_codes.csv"), ("economic", "observed_economic_codes.csv")):
        for r in csv.DictReader((shared / "reference" / fn).open(encoding="utf-8")):
            if kind == "economic" and r["example_source"] in BAD_ECONOMIC_DOCS and int(r["n_source_docs"]) == 1:
                continue
            out.append((kind, r["code"], clean(r["name_most_common"]), r["name_variants"], r["example_source"],
                        int(r["n_source_docs"])))
    return out


def observe(shared: Path, cache: Path | None):
    keep, skipped = select_pdfs(shared)
    seen = collections.defaultdict(lambda: collections.defaultdict(dict))  # (kind, code) -> name -> {doc: year}

    def note(text: str, doc: str, year: int | None, economic: bool = True):
        for code, name in pairs_in(text):
            kind = kind_of(code)
            if kind is None or (kind == "economic" and not economic):
                continue
            name = clean(name).rstrip("（")
            if name.count("（") == name.count("）"):
                seen[(kind, code)][name][doc] = year

    for r in keep:
        note(pdf_text(shared / "corpus/raw" / r["path"], cache), r["path"],
             int(r["year"]) if r["year"].isdigit() else None, economic=r["path"] not in BAD_ECONOMIC_DOCS)
    # the dev texts are better text layers of three of those PDFs (the 财政局 PDF's own layer separates
    # codes from names); their pairs count as evidence too, tagged text:
    for path in sorted((shared / "corpus/dev").glob("*.txt")):
        m = re.search(r"(20\d\d)", path.name)
        note(path.read_text(encoding="utf-8"), "dev/" + path.name, int(m.group(1)) if m else None)
    return seen, keep, skipped


# --- merging -----------------------------------------------------------------------------------

def parse_knowledge(block: str, kind: str):
    rows = []
    for line in block.strip().splitlines():
        code, name, first, last, note = (line.split("|") + [""] * 5)[:5]
        rows.append(dict(kind=kind, code=code, name=name, first_year=int(first) if first else None,
                         last_year=int(last) if last else None, note=note or None))
    return rows


def build(shared: Path, cache: Path | None, verbose: bool = True):
    seen, keep, skipped = observe(shared, cache)
    excluded = {r["path"] for r in skipped}  # reference examples taken from an excluded file are not evidence
    ref = read_reference(shared)
    log = (lambda *a: print(*a, file=sys.stderr)) if verbose else (lambda *a: None)
    log(f"PDFs read: {len(keep)}; excluded: {[r['path'] for r in skipped]}")

    rows = parse_knowledge(KNOWLEDGE_FUNCTION, "function") + parse_knowledge(KNOWLEDGE_ECONOMIC, "economic")
    for kind, code, name, last, note in HISTORIC:
        rows.append(dict(kind=kind, code=code, name=name, first_year=None, last_year=last, note=note))
    # the current row of a code with a historic name starts after it
    hist_last = {(k, c): last for k, c, _, last, _ in HISTORIC}
    for r in rows:
        key = (r["kind"], r["code"])
        if key in hist_last and r["last_year"] is None and r["first_year"] is None:
            r["first_year"] = hist_last[key] + 1
    known_codes = {(r["kind"], r["code"]) for r in rows}

    # observed pairs not in the knowledge table: add (official, from evidence) unless the code is
    # known under another name (then it is a conflict: truncation, mis-pairing or unlisted rename).
    ref_ok = {}
    for kind, code, name, variants, example, _n in ref:
        ref_ok[(kind, code, name)] = (variants, example)
    weight = collections.Counter()  # (kind, code, name) -> number of documents printing it
    for (kind, code), names in seen.items():
        for name, docs in names.items():
            weight[(kind, code, name)] += len(docs)
    for kind, code, name, variants, example, n in ref:
        weight[(kind, code, name)] = max(weight[(kind, code, name)], n)
    by_code = collections.defaultdict(list)
    for (kind, code, name), n in weight.items():
        if (kind, code, name) not in REJECT:
            by_code[(kind, code)].append(name)

    extra_aliases = []

    def wrapped(part: str, whole: str) -> bool:  # a PDF cell cut by a line wrap
        return part != whole and (whole.startswith(part) or whole.endswith(part))

    for (kind, code), names in sorted(by_code.items()):
        names = [n for n in names if not any(wrapped(n, o) for o in names)]
        full = [r["name"] for r in rows if (r["kind"], r["code"]) == (kind, code)]
        names = [n for n in names if n not in full and not any(wrapped(n, f) for f in full)]
        if not names:
            continue
        if full:
            for n in names:
                log(f"CONFLICT {kind} {code} printed {n!r} (catalogue has {full}) "
                    f"in {sorted(seen.get((kind, code), {}).get(n, {}))[:2]} ref={ref_ok.get((kind, code, n))}")
            continue
        names.sort(key=lambda n: (-weight[(kind, code, n)], -len(n)))
        best = names[0]
        for n in names[1:]:
            docs = sorted(d for d in seen.get((kind, code), {}).get(n, {}) if not d.startswith("dev/"))
            log(f"VARIANT {kind} {code} {n!r} printed besides {best!r}; kept {best!r}, alias if printed: {docs[:1]}")
            if docs:
                extra_aliases.append((kind, code, n, f"pdf:{docs[0]}"))
        parent = code[:-2] if len(code) > 3 else None
        if parent and (kind, parent) not in known_codes:
            log(f"ORPHAN {code} {best}: parent {parent} unknown")
        rows.append(dict(kind=kind, code=code, name=best, first_year=None, last_year=None, note=None))
        known_codes.add((kind, code))

    out = []
    for r in rows:
        kind, code, name = r["kind"], r["code"], r["name"]
        docs = seen.get((kind, code), {}).get(name, {})
        sources = [(f"text:corpus/{d}" if d.startswith("dev/") else f"pdf:{d}") for d in sorted(docs)]
        years = sorted({y for y in docs.values() if y})
        if (kind, code, name) in ref_ok and (kind, code, name) not in REJECT:
            variants, example = ref_ok[(kind, code, name)]
            conflicting = kind == "economic" and variants and not all(
                name.startswith(v) or v.startswith(name) or v.replace("(", "（").replace(")", "）") == name
                for v in variants.split("|"))
            if example not in excluded and (not conflicting or docs):
                sources.append(f"reference:{'observed_function_codes.csv' if kind == 'function' else 'observed_economic_codes.csv'}({example})")
        status = "official" if sources else "unverified"
        aliases = [(a, ev) for k, c, a, ev in ALIASES + extra_aliases if (k, c) == (kind, code) and r["last_year"] is None]
        out.append(dict(
            kind=kind, code=code, level=level_of(code), name=name,
            parent_code=code[:-2] if len(code) > 3 else "",
            aliases="|".join(a for a, _ in aliases),
            alias_source="|".join(f"{a}@{ev}" for a, ev in aliases),
            first_year=r["first_year"] or "", last_year=r["last_year"] or "",
            status=status, source=";".join(sources) if sources else "knowledge",
            n_docs=len(docs), seen_years="|".join(map(str, years)), note=r["note"] or "",
        ))
    codes = {(o["kind"], o["code"]) for o in out}
    for o in out:
        if o["parent_code"] and (o["kind"], o["parent_code"]) not in codes:
            raise SystemExit(f"parent {o['parent_code']} of {o['code']} missing: add it to KNOWLEDGE")
    for k, c, a, ev in ALIASES:
        if (k, c) not in codes:
            raise SystemExit(f"alias {a} for unknown code {c}")
    out.sort(key=lambda o: (o["kind"], o["code"], o["first_year"] or 0))
    return out


COLUMNS = ["kind", "code", "level", "name", "parent_code", "aliases", "alias_source", "first_year", "last_year",
           "status", "source", "n_docs", "seen_years", "note"]


def to_csv(rows) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--cache", type=Path, default=None, help="folder to cache PDF text layers")
    ap.add_argument("--check", action="store_true", help="fail if the shipped CSVs are out of date")
    a = ap.parse_args(argv)
    rows = build(a.shared, a.cache)
    stale = False
    for kind, fn in (("function", "function_codes.csv"), ("economic", "economic_codes.csv")):
        text = to_csv([r for r in rows if r["kind"] == kind])
        path = DATA / fn
        if a.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                print(f"{path} is out of date", file=sys.stderr)
                stale = True
        else:
            DATA.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    counts = collections.Counter((r["kind"], r["level"], r["status"]) for r in rows)
    for k in sorted(counts):
        print(*k, counts[k])
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
