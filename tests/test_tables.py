"""Flattened 部门决算 tables -> rows (jueshuan_data.extract.tables).

Tests are named after the real documents of tests/corpus; the expected figures are copied from their
answer keys (*.gold.json, rows with source_kind 'table'), grouped by the table they are printed in.
Each figure is read as printed in *that* table (the keys' source_inconsistencies: the tables of a
report contradict each other by 0.01 in places, on purpose).

The text goes through ingest.document_from_text when ingest exists (the normalised text is what the
library parses); until then the raw text layer is used.  The parser must cope with both.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from jueshuan_data.extract.tables import extract_tables
from jueshuan_data import schemas

CORPUS = Path(__file__).parent / "corpus"


def normalised(raw: str) -> str:
    try:
        from jueshuan_data.ingest import document_from_text
    except ImportError:
        return raw
    return document_from_text(raw, "test.txt").text


_CACHE: dict[str, tuple[str, dict]] = {}


def parsed(name: str) -> tuple[str, dict]:
    if name not in _CACHE:
        text = normalised((CORPUS / f"{name}.txt").read_text(encoding="utf-8"))
        _CACHE[name] = (text, extract_tables(text))
    return _CACHE[name]


def approx(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) < 0.005


# ---- putuo_caizhengju_2024.txt (上海市普陀区财政局) --------------------
CAIZHENGJU_SUMMARY = [  # (table, item, amount as printed in that table)
    ('收入支出决算总表', '一般公共预算财政拨款收入', 2940.05),
    ('收入支出决算总表', '其他收入', 6.2),
    ('收入支出决算总表', '收入合计', 2946.25),
    ('收入支出决算总表', '支出合计', 2940.05),
    ('收入支出决算总表', '年初结转和结余', 49.14),
    ('收入支出决算总表', '年末结转和结余', 55.34),
    ('收入支出决算总表', '收入总计', 2995.39),
    ('收入支出决算总表', '支出总计', 2995.39),
    ('收入决算表', '收入合计', 2946.25),
    ('收入决算表', '财政拨款收入', 2940.05),
    ('收入决算表', '其他收入', 6.2),
    ('支出决算表', '支出合计', 2940.05),
    ('支出决算表', '基本支出', 2336.91),
    ('支出决算表', '项目支出', 603.14),
    ('财政拨款收入支出决算总表', '一般公共预算财政拨款收入', 2940.05),
    ('财政拨款收入支出决算总表', '财政拨款本年收入合计', 2940.05),
    ('财政拨款收入支出决算总表', '财政拨款本年支出合计', 2940.05),
    ('财政拨款收入支出决算总表', '一般公共预算财政拨款支出', 2940.05),
    ('财政拨款收入支出决算总表', '年初财政拨款结转和结余', 21.63),
    ('财政拨款收入支出决算总表', '一般公共预算财政拨款年初结转和结余', 21.63),
    ('财政拨款收入支出决算总表', '年末财政拨款结转和结余', 21.63),
    ('财政拨款收入支出决算总表', '一般公共预算财政拨款年末结转和结余', 21.63),
    ('财政拨款收入支出决算总表', '财政拨款收入总计', 2961.68),
    ('财政拨款收入支出决算总表', '财政拨款支出总计', 2961.68),
    ('一般公共预算财政拨款支出决算表', '一般公共预算财政拨款支出', 2940.05),
]
CAIZHENGJU_GPB = [  # 一般公共预算财政拨款支出决算表: (code, printed label, 合计, 基本支出, 项目支出)
    ('201', '一般公共服务支出', 2106.66, 1503.52, 603.14),
    ('20106', '财政事务', 2106.66, 1503.52, 603.14),
    ('2010601', '行政运行', 1511.89, 1503.52, 8.37),
    ('2010602', '一般行政管理事务', 10.0, None, 10.0),
    ('2010607', '信息化建设', 135.25, None, 135.25),
    ('2010608', '财政委托业务支出', 449.52, None, 449.52),
    ('208', '社会保障和就业支出', 326.72, 326.72, None),
    ('20805', '行政事业单位养老支出', 326.72, 326.72, None),
    ('2080501', '行政单位离退休', 84.65, 84.65, None),
    ('2080505', '机关事业单位基本养老保险缴费支出', 160.75, 160.75, None),
    ('2080506', '机关事业单位职业年金缴费支出', 80.38, 80.38, None),
    ('2080599', '其他行政事业单位养老支出', 0.94, 0.94, None),
    ('210', '卫生健康支出', 60.99, 60.99, None),
    ('21011', '行政事业单位医疗', 60.99, 60.99, None),
    ('2101101', '行政单位医疗', 60.99, 60.99, None),
    ('221', '住房保障支出', 445.69, 445.69, None),
    ('22102', '住房改革支出', 445.69, 445.69, None),
    ('2210201', '住房公积金', 187.19, 187.19, None),
    ('2210203', '购房补贴', 258.5, 258.5, None),
]
CAIZHENGJU_ECON = [  # 一般公共预算财政拨款基本支出决算表: (code, item, 决算数)
    ('301', '工资福利支出', 2082.85),
    ('302', '商品和服务支出', 171.07),
    ('30101', '基本工资', 262.33),
    ('30201', '办公费', 21.21),
    ('30102', '津贴补贴', 1238.58),
    ('30202', '印刷费', 7.61),
    ('30204', '手续费', 0.09),
    ('30108', '机关事业单位基本养老保险缴费', 160.75),
    ('30109', '职业年金缴费', 80.38),
    ('30207', '邮电费', 4.88),
    ('30110', '职工基本医疗保险缴费', 60.99),
    ('30112', '其他社会保障缴费', 1.61),
    ('30211', '差旅费', 1.2),
    ('30113', '住房公积金', 187.19),
    ('30213', '维修（护）费', 2.83),
    ('30199', '其他工资福利支出', 91.03),
    ('303', '对个人和家庭的补助', 69.41),
    ('30216', '培训费', 4.05),
    ('30302', '退休费', 69.1),
    ('30226', '劳务费', 2.01),
    ('30309', '奖励金', 0.31),
    ('30228', '工会经费', 24.42),
    ('30229', '福利费', 42.77),
    ('30239', '其他交通费用', 48.49),
    ('30299', '其他商品和服务支出', 11.53),
    ('310', '资本性支出', 13.58),
    ('31002', '办公设备购置', 13.58),
    (None, '人员经费', 2152.26),
    (None, '公用经费', 184.65),
]
CAIZHENGJU_THREE = [  # 财政拨款“三公”经费支出决算表: (item, 预算数, 决算数); None = blank cell
    ('合计', 0.95, None),
    ('公务接待费', 0.95, None),
]

# ---- putuo_guihuaziyuan_2024.txt (上海市普陀区规划和自然资源局) --------------------
GUIHUAZIYUAN_SUMMARY = [  # (table, item, amount as printed in that table)
    ('收入支出决算总表', '一般公共预算财政拨款收入', 9746.5),
    ('收入支出决算总表', '收入合计', 9746.5),
    ('收入支出决算总表', '支出合计', 9759.38),
    ('收入支出决算总表', '年初结转和结余', 112.88),
    ('收入支出决算总表', '年末结转和结余', 100.0),
    ('收入支出决算总表', '收入总计', 9859.38),
    ('收入支出决算总表', '支出总计', 9859.38),
    ('收入决算表', '收入合计', 9746.5),
    ('收入决算表', '财政拨款收入', 9746.5),
    ('支出决算表', '支出合计', 9759.38),
    ('支出决算表', '基本支出', 5377.64),
    ('支出决算表', '项目支出', 4381.74),
    ('财政拨款收入支出决算总表', '一般公共预算财政拨款收入', 9746.5),
    ('财政拨款收入支出决算总表', '财政拨款本年收入合计', 9746.5),
    ('财政拨款收入支出决算总表', '财政拨款本年支出合计', 9746.5),
    ('财政拨款收入支出决算总表', '一般公共预算财政拨款支出', 9746.5),
    ('财政拨款收入支出决算总表', '财政拨款收入总计', 9746.5),
    ('财政拨款收入支出决算总表', '财政拨款支出总计', 9746.5),
    ('一般公共预算财政拨款支出决算表', '一般公共预算财政拨款支出', 9746.5),
]
GUIHUAZIYUAN_GPB = [  # 一般公共预算财政拨款支出决算表: (code, printed label, 合计, 基本支出, 项目支出)
    ('208', '社会保障和就业支出', 754.75, 754.75, 0.0),
    ('20805', '行政事业单位养老支出', 754.75, 754.75, 0.0),
    ('2080501', '行政单位离退休', 54.53, 54.53, 0.0),
    ('2080502', '事业单位离退休', 28.11, 28.11, 0.0),
    ('2080505', '机关事业单位基本养老保险缴费支出', 446.11, 446.11, 0.0),
    ('2080506', '机关事业单位职业年金缴费支出', 225.12, 225.12, 0.0),
    ('2080599', '其他行政事业单位养老支出', 0.88, 0.88, 0.0),
    ('210', '卫生健康支出', 236.64, 236.64, 0.0),
    ('21011', '行政事业单位医疗', 236.64, 236.64, 0.0),
    ('2101101', '行政单位医疗', 40.35, 40.35, 0.0),
    ('2101102', '事业单位医疗', 196.29, 196.29, 0.0),
    ('212', '城乡社区支出', 3832.36, 1572.7, 2259.65),
    ('21201', '城乡社区管理事务', 1092.8, 1084.02, 8.77),
    ('2120101', '行政运行', 1092.8, 1084.02, 8.77),
    ('21202', '城乡社区规划与管理', 2739.56, 488.68, 2250.88),
    ('2120201', '城乡社区规划与管理', 2739.56, 488.68, 2250.88),
    ('220', '自然资源海洋气象等支出', 4461.67, 2339.58, 2122.09),
    ('22001', '自然资源事务', 4461.67, 2339.58, 2122.09),
    ('2200150', '事业运行', 4416.67, 2339.58, 2077.09),
    ('2200199', '其他自然资源事务支出', 45.0, 0.0, 45.0),
    ('221', '住房保障支出', 461.08, 461.08, 0.0),
    ('22102', '住房改革支出', 461.08, 461.08, 0.0),
    ('2210201', '住房公积金', 289.59, 289.59, 0.0),
    ('2210203', '购房补贴', 171.49, 171.49, 0.0),
]
GUIHUAZIYUAN_ECON = [  # 一般公共预算财政拨款基本支出决算表: (code, item, 决算数)
    ('301', '工资福利支出', 4816.14),
    ('302', '商品和服务支出', 440.9),
    ('30101', '基本工资', 537.64),
    ('30201', '办公费', 84.62),
    ('30102', '津贴补贴', 987.86),
    ('30202', '印刷费', 0.0),
    ('30103', '奖金', 0.0),
    ('30203', '咨询费', 0.0),
    ('30106', '伙食补助费', 0.0),
    ('30204', '手续费', 0.08),
    ('30107', '绩效工资', 1594.02),
    ('30205', '水费', 0.92),
    ('30108', '机关事业单位基本养老保险缴费', 446.11),
    ('30206', '电费', 18.86),
    ('30109', '职业年金缴费', 225.12),
    ('30207', '邮电费', 8.05),
    ('30110', '职工基本医疗保险缴费', 236.63),
    ('30208', '取暖费', 0.0),
    ('30111', '公务员医疗补助缴费', 0.0),
    ('30209', '物业管理费', 82.2),
    ('30112', '其他社会保障缴费', 17.94),
    ('30211', '差旅费', 1.5),
    ('30113', '住房公积金', 289.59),
    ('30212', '因公出国（境）费用', 0.0),
    ('30114', '医疗费', 0.0),
    ('30213', '维修（护）费', 29.65),
    ('30199', '其他工资福利支出', 481.23),
    ('30214', '租赁费', 0.0),
    ('303', '对个人和家庭的补助', 67.96),
    ('30215', '会议费', 0.0),
    ('30301', '离休费', 0.0),
    ('30216', '培训费', 1.21),
    ('30302', '退休费', 67.96),
    ('30217', '公务接待费', 0.39),
    ('30303', '退职（役）费', 0.0),
    ('30218', '专用材料费', 0.0),
    ('30304', '抚恤金', 0.0),
    ('30224', '被装购置费', 0.0),
    ('30305', '生活补助', 0.0),
    ('30225', '专用燃料费', 0.0),
    ('30306', '救济费', 0.0),
    ('30226', '劳务费', 2.4),
    ('30307', '医疗费补助', 0.0),
    ('30227', '委托业务费', 19.16),
    ('30308', '助学金', 0.0),
    ('30228', '工会经费', 56.29),
    ('30309', '奖励金', 0.0),
    ('30229', '福利费', 73.19),
    ('30310', '个人农业生产补贴', 0.0),
    ('30231', '公务用车运行维护费', 0.0),
    ('30311', '代缴社会保险费', 0.0),
    ('30239', '其他交通费用', 33.5),
    ('30399', '其他对个人和家庭的补助', 0.0),
    ('30240', '税金及附加费用', 0.0),
    ('30299', '其他商品和服务支出', 28.86),
    ('310', '资本性支出', 39.76),
    ('31001', '房屋建筑物购建', 0.0),
    ('31002', '办公设备购置', 39.76),
    ('31003', '专用设备购置', 0.0),
    ('31007', '信息网络及软件购置更新', 0.0),
    ('31013', '公务用车购置', 0.0),
    ('31019', '其他交通工具购置', 0.0),
    ('31021', '文物和陈列品购置', 0.0),
    ('31022', '无形资产购置', 0.0),
    ('31099', '其他资本性支出', 0.0),
    (None, '人员经费', 4884.09),
    (None, '公用经费', 480.66),
]
GUIHUAZIYUAN_THREE = [  # 财政拨款“三公”经费支出决算表: (item, 预算数, 决算数); None = blank cell
    ('合计', 2.85, 0.39),
    ('因公出国（境）费', 0.0, 0.0),
    ('公务用车购置及运行维护费', 0.0, 0.0),
    ('公务用车购置费', 0.0, 0.0),
    ('公务用车运行维护费', 0.0, 0.0),
    ('公务接待费', 2.85, 0.39),
]

# ---- putuo_shehuigongzuobu_2024.txt (中共上海市普陀区委社会工作部) --------------------
SHEHUIGONGZUOBU_SUMMARY = [  # (table, item, amount as printed in that table)
    ('收入支出决算总表', '一般公共预算财政拨款收入', 307.82),
    ('收入支出决算总表', '收入合计', 307.82),
    ('收入支出决算总表', '支出合计', 307.82),
    ('收入支出决算总表', '收入总计', 307.82),
    ('收入支出决算总表', '支出总计', 307.82),
    ('收入决算表', '收入合计', 307.82),
    ('收入决算表', '财政拨款收入', 307.82),
    ('支出决算表', '支出合计', 307.82),
    ('支出决算表', '基本支出', 105.58),
    ('支出决算表', '项目支出', 202.24),
    ('财政拨款收入支出决算总表', '一般公共预算财政拨款收入', 307.82),
    ('财政拨款收入支出决算总表', '财政拨款本年收入合计', 307.82),
    ('财政拨款收入支出决算总表', '财政拨款本年支出合计', 307.82),
    ('财政拨款收入支出决算总表', '一般公共预算财政拨款支出', 307.82),
    ('财政拨款收入支出决算总表', '财政拨款收入总计', 307.82),
    ('财政拨款收入支出决算总表', '财政拨款支出总计', 307.82),
    ('一般公共预算财政拨款支出决算表', '一般公共预算财政拨款支出', 307.82),
]
SHEHUIGONGZUOBU_GPB = [  # 一般公共预算财政拨款支出决算表: (code, printed label, 合计, 基本支出, 项目支出)
    ('201', '一般公共服务支出', 264.87, 62.63, 202.24),
    ('20139', '社会工作事务', 264.87, 62.63, 202.24),
    ('2013901', '行政运行', 51.32, 51.32, None),
    ('2013950', '事业运行', 11.31, 11.31, None),
    ('2013999', '其他社会工作事务支出', 202.24, None, 202.24),
    ('208', '社会保障和就业支出', 10.82, 10.82, None),
    ('20805', '行政事业单位养老支出', 10.82, 10.82, None),
    ('2080505', '机关事业单位基本养老保险缴费支出', 6.18, 6.18, None),
    ('2080506', '机关事业单位职业年金缴费支出', 4.64, 4.64, None),
    ('210', '卫生健康支出', 2.71, 2.71, None),
    ('21011', '行政事业单位医疗', 2.71, 2.71, None),
    ('2101101', '行政单位医疗', 2.22, 2.22, None),
    ('2101102', '事业单位医疗', 0.49, 0.49, None),
    ('221', '住房保障支出', 29.42, 29.42, None),
    ('22102', '住房改革支出', 29.42, 29.42, None),
    ('2210201', '住房公积金', 17.7, 17.7, None),
    ('2210203', '购房补贴', 11.72, 11.72, None),
]
SHEHUIGONGZUOBU_ECON = [  # 一般公共预算财政拨款基本支出决算表: (code, item, 决算数)
    ('301', '工资福利支出', 95.36),
    ('302', '商品和服务支出', 10.23),
    ('30101', '基本工资', 14.12),
    ('30201', '办公费', 3.78),
    ('30102', '津贴补贴', 39.72),
    ('30202', '印刷费', 0.0),
    ('30103', '奖金', 0.0),
    ('30203', '咨询费', 0.0),
    ('30106', '伙食补助费', 0.0),
    ('30204', '手续费', 0.0),
    ('30107', '绩效工资', 10.16),
    ('30205', '水费', 0.0),
    ('30108', '机关事业单位基本养老保险缴费', 6.18),
    ('30206', '电费', 0.0),
    ('30109', '职业年金缴费', 4.64),
    ('30207', '邮电费', 0.0),
    ('30110', '职工基本医疗保险缴费', 2.71),
    ('30208', '取暖费', 0.0),
    ('30111', '公务员医疗补助缴费', 0.0),
    ('30209', '物业管理费', 0.0),
    ('30112', '其他社会保障缴费', 0.09),
    ('30211', '差旅费', 1.15),
    ('30113', '住房公积金', 17.7),
    ('30212', '因公出国（境）费用', 0.0),
    ('30114', '医疗费', 0.0),
    ('30213', '维修（护）费', 0.02),
    ('30199', '其他工资福利支出', 0.04),
    ('30214', '租赁费', 0.0),
    ('303', '对个人和家庭的补助', 0.0),
    ('30215', '会议费', 0.0),
    ('30301', '离休费', 0.0),
    ('30216', '培训费', 0.0),
    ('30302', '退休费', 0.0),
    ('30217', '公务接待费', 0.0),
    ('30303', '退职（役）费', 0.0),
    ('30218', '专用材料费', 0.0),
    ('30304', '抚恤金', 0.0),
    ('30224', '被装购置费', 0.0),
    ('30305', '生活补助', 0.0),
    ('30225', '专用燃料费', 0.0),
    ('30306', '救济费', 0.0),
    ('30226', '劳务费', 0.68),
    ('30307', '医疗费补助', 0.0),
    ('30227', '委托业务费', 0.48),
    ('30308', '助学金', 0.0),
    ('30228', '工会经费', 0.0),
    ('30309', '奖励金', 0.0),
    ('30229', '福利费', 1.48),
    ('30310', '个人农业生产补贴', 0.0),
    ('30231', '公务用车运行维护费', 0.0),
    ('30311', '代缴社会保险费', 0.0),
    ('30239', '其他交通费用', 2.43),
    ('30399', '其他对个人和家庭的补助', 0.0),
    ('30240', '税金及附加费用', 0.0),
    ('30299', '其他商品和服务支出', 0.2),
    ('310', '资本性支出', 0.0),
    ('31001', '房屋建筑物购建', 0.0),
    ('31002', '办公设备购置', 0.0),
    ('31003', '专用设备购置', 0.0),
    ('31007', '信息网络及软件购置更新', 0.0),
    ('31013', '公务用车购置', 0.0),
    ('31019', '其他交通工具购置', 0.0),
    ('31021', '文物和陈列品购置', 0.0),
    ('31022', '无形资产购置', 0.0),
    ('31099', '其他资本性支出', 0.0),
    (None, '人员经费', 95.36),
    (None, '公用经费', 10.23),
]
SHEHUIGONGZUOBU_THREE = [  # 财政拨款“三公”经费支出决算表: (item, 预算数, 决算数); None = blank cell
]


REPORTS = {
    "putuo_caizhengju_2024": (CAIZHENGJU_SUMMARY, CAIZHENGJU_GPB, CAIZHENGJU_ECON, CAIZHENGJU_THREE),
    "putuo_guihuaziyuan_2024": (GUIHUAZIYUAN_SUMMARY, GUIHUAZIYUAN_GPB, GUIHUAZIYUAN_ECON, GUIHUAZIYUAN_THREE),
    "putuo_shehuigongzuobu_2024": (SHEHUIGONGZUOBU_SUMMARY, SHEHUIGONGZUOBU_GPB, SHEHUIGONGZUOBU_ECON,
                                   SHEHUIGONGZUOBU_THREE),
}


def _cases(k):
    return [pytest.param(name, *row, id=f"{name}-{row[0]}-{row[1]}") for name, groups in REPORTS.items()
            for row in groups[k]]


@pytest.mark.parametrize("name,table,item,amount", _cases(0))
def test_summary_cells(name, table, item, amount):
    _, got = parsed(name)
    rows = [r for r in got["summary"] if r["table"] == table and r["item"] == item]
    assert rows, f"{item} not read from {table}"
    assert [r["amount_wan"] for r in rows if approx(r["amount_wan"], amount)], \
        f"{item} in {table}: {[r['amount_wan'] for r in rows]} != {amount}"


@pytest.mark.parametrize("name,code,label,amount,basic,project", _cases(1))
def test_gpb_expenditure_rows(name, code, label, amount, basic, project):
    _, got = parsed(name)
    rows = [r for r in got["expenditure_by_function"] if r["code"] == code and r["fund"] == "一般公共预算"]
    assert len(rows) == 1
    r = rows[0]
    assert r["printed_name"] == label
    assert r["level"] == {3: "类", 5: "款", 7: "项"}[len(code)]
    assert r["parent_code"] == (code[:-2] if len(code) > 3 else None)
    assert (r["amount_wan"], r["basic_wan"], r["project_wan"]) == pytest.approx((amount, basic, project))


@pytest.mark.parametrize("name,code,item,amount", _cases(2))
def test_basic_expenditure_by_economic_rows(name, code, item, amount):
    _, got = parsed(name)
    rows = [r for r in got["basic_expenditure_by_economic"] if r["code"] == code and (code or r["item"] == item)]
    assert len(rows) == 1, rows
    assert rows[0]["item"] == item
    assert rows[0]["amount_wan"] == pytest.approx(amount)


@pytest.mark.parametrize("name,item,budget,amount", _cases(3))
def test_three_public_cells(name, item, budget, amount):
    _, got = parsed(name)
    rows = [r for r in got["three_public"] if r["item"] == item]
    if name == "putuo_caizhengju_2024" and item == "公务接待费":
        # '0.95 0.95' on a 12-cell row: 合计-预算数 is fixed by the report's own explanation (年初预算为0.95万元,
        # 支出决算为0.00万元), but whether the second 0.95 is 因公出国 or 公务接待 预算数 cannot be told from the
        # text; the parser leaves it out rather than guess.
        pytest.xfail("column of the second 0.95 is not decidable from the text")
    assert len(rows) == 1, rows
    assert approx(rows[0]["budget_wan"], budget) and approx(rows[0]["amount_wan"], amount)


@pytest.mark.parametrize("name", list(REPORTS))
def test_no_unexpected_rows_and_exact_spans(name):
    text, got = parsed(name)
    summary, gpb, econ, three = REPORTS[name]
    by_fund = [r for r in got["expenditure_by_function"] if r["fund"] is not None]
    assert len(by_fund) == len(gpb)
    # the rest are the 类 lines of the 收入支出决算总表's expenditure side: all funds, fund null
    assert all(r["table"] == "收入支出决算总表" and r["level"] == "类"
               for r in got["expenditure_by_function"] if r["fund"] is None)
    assert len(got["basic_expenditure_by_economic"]) == len(econ)
    for dataset, rows in got.items():
        for r in rows:
            assert r["source_kind"] == "table"
            assert text[r["char_start"]:r["char_end"]] == r["amount_text"]
            assert r["evidence"] in text and r["amount_text"] in r["evidence"]
            v = r.get("amount_wan") if r.get("amount_wan") is not None else r.get("budget_wan")
            assert v == pytest.approx(float(r["amount_text"].replace(",", "")))


@pytest.mark.parametrize("name", list(REPORTS))
def test_rows_fit_the_schemas(name):
    _, got = parsed(name)
    for dataset, rows in got.items():
        keyed = [dict(r, report_id="0" * 16, entity="e", fiscal_year=2024, source="s") for r in rows]
        assert not set().union(*[set(r) for r in keyed] or [set()]) - set(schemas.COLUMNS[dataset])
        schemas.MODELS[dataset].validate(schemas.conform(dataset, keyed))


def test_shehuigongzuobu_has_no_three_public_rows():
    # the 三公 table prints no data row (本年度没有财政拨款“三公”经费支出)
    _, got = parsed("putuo_shehuigongzuobu_2024")
    assert got["three_public"] == []


def test_caizhengju_inconsistent_tables_are_read_as_printed():
    # 社会保障和就业支出 is 326.71 in both 总表 but 326.72 in the 一般公共预算财政拨款支出决算表
    _, got = parsed("putuo_caizhengju_2024")
    row = next(r for r in got["expenditure_by_function"] if r["code"] == "208" and r["fund"] == "一般公共预算")
    assert row["amount_wan"] == 326.72 and row["amount_text"] == "326.72"
    (total,) = [r for r in got["expenditure_by_function"] if r["code"] == "208" and r["fund"] is None]
    assert total["amount_wan"] == 326.71 and total["evidence"] == "八、社会保障和就业支出 326.71"


# ---- the grammar on small synthetic tables (same template, other rows) ----------------------------

GPB_HEAD = "一般公共预算财政拨款支出决算表\n单位：万元\n项目\n合计 基本支出 项目支出 功能分类\n科目编码 科目名称\n"


def test_two_number_rows_are_placed_by_column_sums():
    text = GPB_HEAD + (
        "205 教育支出 30.00 20.00 10.00\n"
        "205 01 教育管理事务 30.00 20.00 10.00\n"
        "205 01 01 行政运行 20.00 20.00\n"
        "205 01 99 其他教育管理事务支出 10.00 10.00\n"
        "合计 30.00 20.00 10.00\n")
    rows = {r["code"]: r for r in extract_tables(text)["expenditure_by_function"]}
    assert (rows["2050101"]["basic_wan"], rows["2050101"]["project_wan"]) == (20.0, None)
    assert (rows["2050199"]["basic_wan"], rows["2050199"]["project_wan"]) == (None, 10.0)


def test_undecidable_two_number_rows_stay_null():
    text = GPB_HEAD + (
        "205 教育支出 20.00 10.00 10.00\n"
        "205 01 教育管理事务 20.00 10.00 10.00\n"
        "205 01 01 行政运行 10.00 10.00\n"
        "205 01 02 一般行政管理事务 10.00 10.00\n")
    rows = {r["code"]: r for r in extract_tables(text)["expenditure_by_function"]}
    for code in ("2050101", "2050102"):
        assert rows[code]["amount_wan"] == 10.0
        assert rows[code]["basic_wan"] is None and rows[code]["project_wan"] is None


def test_wrapped_labels_and_joined_codes():
    text = GPB_HEAD + (
        "2080505\n机关事业单位\n基本养老保险\n缴费支出\n1,446.11 1,446.11 0.00\n"
        "2120201 城乡社区规划\n与管理 9.56 0.00 9.56\n")
    rows = {r["code"]: r for r in extract_tables(text)["expenditure_by_function"]}
    r = rows["2080505"]
    assert r["printed_name"] == "机关事业单位基本养老保险缴费支出"
    assert (r["amount_wan"], r["basic_wan"], r["project_wan"], r["amount_text"]) == (1446.11, 1446.11, 0.0, "1,446.11")
    assert r["evidence"].startswith("2080505\n") and r["evidence"].endswith("0.00")
    assert rows["2120201"]["printed_name"] == "城乡社区规划与管理"
    assert rows["2120201"]["parent_code"] == "21202"


def test_amounts_in_yuan_are_converted_and_literal_kept():
    text = GPB_HEAD.replace("万元", "元") + "201 一般公共服务支出 123,456.00 123,456.00 0.00\n"
    (r,) = extract_tables(text)["expenditure_by_function"]
    assert r["amount_wan"] == pytest.approx(12.3456) and r["amount_text"] == "123,456.00"


def test_economic_table_side_by_side_with_wraps_and_letter_spacing():
    text = ("一般公共预算财政拨款基本支出决算表\n单位：万元\n经济分类\n科目编码 科目名称 决算数 科目编码 科目名称 决算数\n"
            "301 工资福利支出 100.00 302 商品和服务支出 5.00\n"
            "301 08 机关事业单位基本养老保险缴\n费\n12.50 302 12 因 公 出 国 （ 境 ） 费\n用\n"
            "301 14 医疗费 302 13 维修（护）费 2.83\n"
            "人员经费合计 100.00 公用经费合计 5.00\n")
    rows = {(r["code"], r["item"]): r for r in extract_tables(text)["basic_expenditure_by_economic"]}
    assert rows[("30108", "机关事业单位基本养老保险缴费")]["amount_wan"] == 12.5
    assert ("30212", "因公出国（境）费用") not in rows        # blank cell: no row
    assert rows[("30213", "维修（护）费")]["amount_wan"] == 2.83
    assert rows[(None, "人员经费")]["amount_wan"] == 100.0 and rows[(None, "公用经费")]["amount_wan"] == 5.0
    assert rows[("302", "商品和服务支出")]["level"] == "类" and rows[("30213", "维修（护）费")]["parent_code"] == "302"


def test_two_column_total_table_with_glued_labels():
    # spaces between CJK characters removed by normalisation: left and right labels run together
    text = ("收入支出决算总表\n单位：万元\n收入 支出\n项目 决算数 项目 决算数\n"
            "一、一般公共预算财政拨款收入 50.00 一、一般公共服务支出 50.00\n"
            "八、其他收入八、社会保障和就业支出 1.00\n"
            "本年收入合计 51.00 本年支出合计 51.00\n"
            "年初结转和结余年末结转和结余 3.00\n"
            "总计 51.00 总计 51.00\n")
    items = {r["item"]: r["amount_wan"] for r in extract_tables(text)["summary"]}
    assert items == {"一般公共预算财政拨款收入": 50.0, "收入合计": 51.0, "支出合计": 51.0, "年末结转和结余": 3.0,
                     "收入总计": 51.0, "支出总计": 51.0}


def test_table_of_contents_is_not_a_table():
    text = "一、收入支出决算总表\n二、收入决算表\n三、支出决算表\n第三部分 情况说明\n收入 100.00\n"
    assert all(rows == [] for rows in extract_tables(text).values())


def test_three_public_full_row():
    text = ("财政拨款“三公”经费支出决算表\n单位：万元\n预算数 决算数 预算数 决算数 预算数 决算数 预算数 决算数 预算数 决算数 预算数 决算数\n"
            "2.85 0.39 0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 2.85 0.39\n")
    got = {r["item"]: (r["budget_wan"], r["amount_wan"]) for r in extract_tables(text)["three_public"]}
    assert got["合计"] == (2.85, 0.39) and got["公务接待费"] == (2.85, 0.39) and got["因公出国（境）费"] == (0.0, 0.0)


def test_title_glued_to_the_paragraph_before_it():
    # normalisation may re-join the title line with the paragraph above; the unit line that follows
    # still marks the table
    text = ("纳入编制范围的单位包括：序号 单位名称 备注1 某某单位（本级）某某单位2024年度部门决算表一般公共预算财政拨款支出决算表\n"
            "单位：万元\n项目\n合计 基本支出 项目支出\n201 一般公共服务支出 5.00 5.00 0.00\n")
    (r,) = extract_tables(text)["expenditure_by_function"]
    assert (r["code"], r["amount_wan"], r["basic_wan"], r["project_wan"]) == ("201", 5.0, 5.0, 0.0)


def test_numbers_on_the_line_below_two_items():
    text = ("收入支出决算总表\n单位：万元\n收入 支出\n项目 决算数 项目 决算数\n"
            "本年收入合计 本年支出合计\n2,946.25 2,940.05\n"
            "年初结转和结余 年末结转和结余\n55.34\n"          # one number for two items: unreadable
            "总计 总计\n2,995.39 2,995.39\n")
    items = {r["item"]: r["amount_wan"] for r in extract_tables(text)["summary"]}
    assert items == {"收入合计": 2946.25, "支出合计": 2940.05, "收入总计": 2995.39, "支出总计": 2995.39}


def test_layout_debris_is_never_an_amount():
    # codes and names on separate lines (another text-layer layout): nothing may be read wrongly
    text = ("一般公共预算财政拨款基本支出决算表\n单位：万元\n科目编码 科目名称 决算数\n"
            "301 302\n工资福利支出 2,082.85 商品和服务支出 171.07\n"
            "301 01 302\n基本工资 01 办公费\n262.33 21.21\n"
            "302 24 被装购置费\n303\n"
            "302 其 他 商 品 和 服 务 支\n99\n出 11.53\n"
            "人员经费合计 2,152.26 公用经费合计 184.65\n")
    rows = extract_tables(text)["basic_expenditure_by_economic"]
    assert [(r["code"], r["amount_wan"]) for r in rows] == [(None, 2152.26), (None, 184.65)]


def test_total_row_with_its_first_number_on_the_next_line_is_dropped():
    text = ("支出决算表\n单位：万元\n项目 本年支出合计 基本支出 项目支出\n"
            "合计 2,336.91 603.14\n2,940.05\n")
    assert extract_tables(text)["summary"] == []


def test_template_without_figures_gives_no_rows():
    text = ("一般公共预算财政拨款基本支出决算表\n单位：万元\n科目编码 科目名称 决算数\n"
            "30205 水费\n机关事业单位基本养老保\n30108\n险缴费\n")
    assert extract_tables(text)["basic_expenditure_by_economic"] == []


MULTI_FUND = """收入支出决算总表
单位：万元
收入 支出
项目 决算数 项目 决算数
一、一般公共预算财政拨款收入 1,000.00 一、一般公共服务支出 900.00
二、政府性基金预算财政拨款收入 200.00 二、外交支出
三、国有资本经营预算财政拨款收入 三、国防支出
四、上级补助收入 四、公共安全支出
五、事业收入 50.00 五、教育支出
六、经营收入 六、科学技术支出
七、附属单位上缴收入 七、文化旅游体育与传媒支出
八、其他收入 5.00 八、社会保障和就业支出 100.00
十一、城乡社区支出 250.00
本年收入合计 1,255.00 本年支出合计 1,250.00
使用非财政拨款结余（含专用结余） 结余分配
年初结转和结余 10.00 年末结转和结余 15.00
总计 1,265.00 总计 1,265.00
收入决算表
单位：万元
项目 本年收入合计 财政拨款收入 上级补助收入 事业收入 经营收入 附属单位上缴收入 其他收入
科目编码 科目名称
合计 1,255.00 1,200.00 50.00 5.00
201 一般公共服务支出 955.00 900.00 50.00 5.00
支出决算表
单位：万元
项目 本年支出合计 基本支出 项目支出 上缴上级支出 经营支出 对附属单位补助支出
合计 1,250.00 800.00 450.00
财政拨款收入支出决算总表
单位：万元
收入 支出
项目 决算数 项目 合计 一般公共预算财政拨款 政府性基金预算财政拨款 国有资本经营预算财政拨款
一、一般公共预算财政拨款 1,000.00 一、一般公共服务支出 900.00 900.00
二、政府性基金预算财政拨款 200.00 二、外交支出
三、国有资本经营预算财政拨款 三、国防支出
八、社会保障和就业支出 100.00 100.00
十一、城乡社区支出 200.00 200.00
本年收入合计 1,200.00 本年支出合计 1,200.00 1,000.00 200.00
年初财政拨款结转和结余 年末财政拨款结转和结余
总计 1,200.00 总计 1,200.00 1,000.00 200.00
政府性基金预算财政拨款收入支出决算表
单位：万元
项目 年初结转和结余 本年收入 本年支出 年末结转和结余
科目编码 科目名称 小计 基本支出 项目支出
合计 200.00 200.00 200.00
212 城乡社区支出 200.00 200.00 200.00
212 08 国有土地使用权出让收入安排的支出 200.00 200.00 200.00
212 08 04 农村基础设施建设支出 200.00 200.00 200.00
"""


def test_multi_fund_report_columns_are_placed_by_the_funds_and_incomes_printed():
    got = extract_tables(MULTI_FUND)
    summ = {(r["table"], r["item"]): r["amount_wan"] for r in got["summary"]}
    # 收入决算表 合计 prints 4 numbers: the columns are the income kinds the 总表 shows with money
    assert summ[("收入决算表", "财政拨款收入")] == 1200.0
    assert summ[("收入决算表", "事业收入")] == 50.0 and summ[("收入决算表", "其他收入")] == 5.0
    # 财政拨款总表: 合计 + one column per fund with money
    assert summ[("财政拨款收入支出决算总表", "一般公共预算财政拨款支出")] == 1000.0
    assert summ[("财政拨款收入支出决算总表", "政府性基金预算财政拨款支出")] == 200.0
    # 政府性基金 table: 本年收入 / 本年支出 placed by 年初 + 收入 - 支出 = 年末; 基本 vs 项目 not decidable
    fund_rows = {r["code"]: r for r in got["expenditure_by_function"] if r["fund"] == "政府性基金预算"}
    assert set(fund_rows) == {"212", "21208", "2120804"}
    assert all(r["amount_wan"] == 200.0 and r["basic_wan"] is None and r["project_wan"] is None
               for r in fund_rows.values())


def test_name_tail_below_the_numbers():
    # numbers centred in a tall cell: the last line of the name comes after them
    text = GPB_HEAD + (
        "2080505\n机关事业单位\n基本养老保险 446.11 446.11 0.00\n缴费支出\n"
        "2080506 机关事业单位职业年金缴费支出 225.12 225.12 0.00\n")
    rows = {r["code"]: r for r in extract_tables(text)["expenditure_by_function"]}
    assert rows["2080505"]["printed_name"] == "机关事业单位基本养老保险缴费支出"
    assert rows["2080505"]["amount_wan"] == 446.11 and rows["2080505"]["evidence"].endswith("缴费支出")
    assert rows["2080506"]["printed_name"] == "机关事业单位职业年金缴费支出"


def test_name_wrapped_around_a_joined_code_line():
    # the 2025 template's text layer (issue 10, its layout with other numbers): a joined 7-digit code and
    # its figures on one line, the name printed above and below them
    text = GPB_HEAD + "2019901 行政运行 12.30 12.30\n其他一般公共服务\n2019999 12.30 12.30\n支出\n"
    rows = {r["code"]: r for r in extract_tables(text)["expenditure_by_function"]}
    assert rows["2019999"]["printed_name"] == "其他一般公共服务支出" and rows["2019999"]["amount_wan"] == 12.3
    assert rows["2019999"]["evidence"] == "其他一般公共服务\n2019999 12.30 12.30\n支出"
    assert rows["2019901"]["printed_name"] == "行政运行"


# ---- pages/025.txt (湖北省南漳县招商服务中心 2019年部门决算): an HTML table flattened one cell per line ----
# 收入支出决算总表 with a 行次 column; each cell on its own line, blank lines between cells; the excerpt
# ends inside the table ('五、经').  Figures read by hand from the text.
NANZHANG_ZHAOSHANG_2019_SUMMARY = [  # (item, printed label, 行次 printed before the amount, amount)
    ("一般公共预算财政拨款收入", "一、一般公共预算财政拨款收入", "1", 440.55),
    ("政府性基金预算财政拨款收入", "二、政府性基金预算财政拨款收入", "2", 0.0),
    ("上级补助收入", "三、上级补助收入", "3", 10.0),
    ("事业收入", "四、事业收入", "4", 0.0),
]


@pytest.mark.parametrize("item,label,rownum,amount", NANZHANG_ZHAOSHANG_2019_SUMMARY,
                         ids=[r[0] for r in NANZHANG_ZHAOSHANG_2019_SUMMARY])
def test_nanzhang_zhaoshang_2019_total_table_cell_per_line(item, label, rownum, amount):
    text, got = parsed("pages/025")
    (r,) = [r for r in got["summary"] if r["item"] == item]
    assert r["table"] == "收入支出决算总表" and r["printed_name"] == label
    assert r["amount_wan"] == amount and r["amount_text"] == f"{amount:.2f}"
    assert text[r["char_start"]:r["char_end"]] == r["amount_text"]
    # evidence: label, 行次 and amount cells verbatim
    assert r["evidence"].startswith(label) and r["evidence"].endswith(r["amount_text"])
    assert r["evidence"].split() == [label, rownum, r["amount_text"]]


def test_nanzhang_zhaoshang_2019_reads_no_row_number_and_no_cut_cell():
    text, got = parsed("pages/025")
    rows = [r for rs in got.values() for r in rs]
    assert {r["item"] for r in got["summary"]} == {i for i, *_ in NANZHANG_ZHAOSHANG_2019_SUMMARY}
    # no 行次 (1..4, 29..32) or 栏次 (1, 2) read as an amount
    assert all(r["amount_text"] in ("440.55", "0.00", "10.00", "423.20") for r in rows)
    # the expenditure side is the 类 of all funds: rows of expenditure_by_function with a null fund
    fn = got["expenditure_by_function"]
    assert [(r["code"], r["subject"], r["amount_wan"]) for r in fn] == [
        ("201", "一般公共服务支出", 423.20), ("202", "外交支出", 0.0), ("203", "国防支出", 0.0), ("204", "公共安全支出", 0.0)]
    assert all(r["fund"] is None and r["level"] == "类" for r in fn)
    for dataset, rs in got.items():
        keyed = [dict(r, report_id="0" * 16, entity="e", fiscal_year=2019, source="s") for r in rs]
        schemas.MODELS[dataset].validate(schemas.conform(dataset, keyed))


# ---- the cell-per-line grammar on small synthetic tables ------------------------------------------

def cells(*items: str) -> str:
    """A table flattened one cell per line, cells separated by blank lines (an HTML table's text)."""
    return "\n\n".join(items) + "\n\n注：本表反映部门本年度的总收支。\n"


def test_cell_per_line_row_numbers_are_never_amounts():
    # 行次 column; the 政府性基金 and 外交 amounts are blank cells (absent): their 行次 2 and 30 must not be
    # taken for their amounts, nor for the next row's
    text = cells("收入支出决算总表", "公开01表", "部门：某单位", "金额单位：万元", "收入", "支出",
                 "项目", "行次", "金额", "项目", "行次", "金额", "栏次", "1", "栏次", "2",
                 "一、一般公共预算财政拨款收入", "1", "100.00", "一、一般公共服务支出", "29", "90.00",
                 "二、政府性基金预算财政拨款收入", "2", "二、外交支出", "30",
                 "三、上级补助收入", "3", "5.00", "三、国防支出", "31", "15.00",
                 "本年收入合计", "6", "105.00", "本年支出合计", "34", "105.00",
                 "总计", "7", "105.00", "总计", "35", "105.00")
    items = {r["item"]: (r["amount_wan"], r["evidence"]) for r in extract_tables(text)["summary"]}
    assert {k: v[0] for k, v in items.items()} == {
        "一般公共预算财政拨款收入": 100.0, "上级补助收入": 5.0, "收入合计": 105.0, "支出合计": 105.0,
        "收入总计": 105.0, "支出总计": 105.0}
    assert items["上级补助收入"][1] == "三、上级补助收入\n\n3\n\n5.00"


def test_cell_per_line_code_table_with_row_numbers():
    # 一般公共预算财政拨款支出决算表 printed one cell per line with a 行次 column; blank cells absent
    text = cells("一般公共预算财政拨款支出决算表", "公开05表", "单位：万元",
                 "科目编码", "科目名称", "行次", "合计", "基本支出", "项目支出", "栏次", "1", "2", "3",
                 "合计", "1", "30.00", "20.00", "10.00",
                 "201", "一般公共服务支出", "2", "30.00", "20.00", "10.00",
                 "20103", "政府办公厅（室）及相关机构事务", "3", "30.00", "20.00", "10.00",
                 "2010301", "行政运行", "4", "20.00", "20.00",
                 "2010302", "一般行政管理事务", "5",
                 "2010350", "事业运行", "6", "10.00", "10.00")
    got = extract_tables(text)
    rows = {r["code"]: r for r in got["expenditure_by_function"]}
    assert set(rows) == {"201", "20103", "2010301", "2010350"}         # 2010302: no figure printed
    assert (rows["201"]["amount_wan"], rows["201"]["basic_wan"], rows["201"]["project_wan"]) == (30.0, 20.0, 10.0)
    assert rows["20103"]["printed_name"] == "政府办公厅（室）及相关机构事务"
    assert (rows["2010301"]["basic_wan"], rows["2010301"]["project_wan"]) == (20.0, None)
    assert (rows["2010350"]["basic_wan"], rows["2010350"]["project_wan"]) == (None, 10.0)
    assert rows["2010350"]["evidence"] == "2010350\n\n事业运行\n\n6\n\n10.00\n\n10.00"
    assert [r["amount_wan"] for r in got["summary"]] == [30.0]
    for r in got["expenditure_by_function"] + got["summary"]:
        assert text[r["char_start"]:r["char_end"]] == r["amount_text"]


def test_cell_per_line_integer_with_no_place_drops_its_row():
    # no 行次 header: an integer between a label and its amount is not a known row number, so the row
    # (whose amount may be that integer, or the next cell) is not read
    text = cells("收入支出决算总表", "单位：万元", "项目", "金额", "项目", "金额",
                 "一、一般公共预算财政拨款收入", "3", "440.55", "一、一般公共服务支出", "440.55",
                 "三、上级补助收入", "10.00", "本年收入合计", "450.55")
    items = {r["item"]: r["amount_wan"] for r in extract_tables(text)["summary"]}
    assert items == {"上级补助收入": 10.0, "收入合计": 450.55}
    # amounts printed without decimals: a bare '3' may be an amount; nothing after it is tied to a row
    text = cells("收入支出决算总表", "单位：万元", "项目", "金额", "项目", "金额",
                 "一、一般公共预算财政拨款收入", "3", "0", "一、一般公共服务支出", "0",
                 "三、上级补助收入", "0", "本年收入合计", "0")
    items = {r["item"]: r["amount_wan"] for r in extract_tables(text)["summary"]}
    assert items == {"上级补助收入": 0.0, "收入合计": 0.0}


def test_cell_per_line_cut_at_the_end_of_the_text_is_unknown():
    text = "\n\n".join(["收入支出决算总表", "金额单位：万元", "项目", "行次", "金额",
                        "一、一般公共预算财政拨款收入", "1", "440.55", "二、政府性基金预算财政拨款收入", "2", "0.00",
                        "三、上级补助收入", "3", "10.0"])     # '10.0' may be the start of 10.05
    items = {r["item"]: r["amount_wan"] for r in extract_tables(text)["summary"]}
    assert items == {"一般公共预算财政拨款收入": 440.55, "政府性基金预算财政拨款收入": 0.0}


def test_cell_per_line_unit_line_after_the_header_and_without_it():
    body = ["项目", "行次", "金额", "一、一般公共预算财政拨款收入", "1", "4,405,500.00",
            "二、政府性基金预算财政拨款收入", "2", "0.00", "三、上级补助收入", "3", "100,000.00"]
    (r, *_) = extract_tables(cells("收入支出决算总表", "公开01表", "部门：某单位", "单位：元", *body))["summary"]
    assert r["amount_wan"] == pytest.approx(440.55) and r["amount_text"] == "4,405,500.00"
    # no unit line: the unit is not known, nothing is read
    assert extract_tables(cells("收入支出决算总表", "公开01表", "项目", *body))["summary"] == []


def test_cell_per_line_row_number_before_the_label():
    # some templates print the 行次 column first: the integer before a label is not its amount either
    text = cells("收入支出决算总表", "单位：万元", "行次", "项目", "金额", "行次", "项目", "金额",
                 "1", "一、一般公共预算财政拨款收入", "440.55", "29", "一、一般公共服务支出", "423.20",
                 "2", "二、政府性基金预算财政拨款收入", "0.00", "30", "二、外交支出", "0.00",
                 "3", "三、上级补助收入", "10.00", "31", "三、国防支出")
    items = {r["item"]: r["amount_wan"] for r in extract_tables(text)["summary"]}
    assert items == {"一般公共预算财政拨款收入": 440.55, "政府性基金预算财政拨款收入": 0.0, "上级补助收入": 10.0}


# ---- pages/401 (江苏省人民检察院 2017 部门预算, whole PDF): values read on the rendered pages ----------
def test_table_under_an_unread_title_is_not_the_economic_table():
    # 十、一般公共预算机关运行经费支出预算表 follows 九、一般公共预算基本支出预算表: its rows (30209 物业管理费
    # 390.00, 310 其他资本性支出 142.00 …) are not basic expenditure, in the text layer and in the PDF
    import jueshuan_data as jd

    for form in ("txt", "pdf"):
        rows = jd.parse(CORPUS / "pages" / f"401.{form}").tables["basic_expenditure_by_economic"]
        rows = rows[rows.source_kind == "table"]
        assert not set(rows.code.dropna()) & {"30209", "310", "31002"}, form
        got = {(c, a) for c, a in zip(rows.code, rows.amount_wan) if c in ("302", "30211", "30299")}
        assert got == {("302", 2598.06), ("30211", 40.0), ("30299", 850.05)}, form


def test_number_beside_a_label_wrapped_around_its_line_is_not_read():
    # 收支预算总表: “三、单位预留机 / 三、国防支出 140.20 / 预算 动经费” — 140.20 is 单位预留机动经费's (the
    # 国防支出 cell is blank on the page); the text cannot tell, so 国防支出 gets no amount
    # “二、财政专户管理 / 四、公共安全支出 13,656.34 / 资金” has the same shape, with the figure 公共安全支出's this
    # time (pages/422's “三、单位预留机动经 / … 三、国防支出 3,258.06 / 费” is the wrapped label's): the text leaves
    # both unread, the PDF places them by position
    import jueshuan_data as jd

    text, tables = parsed("pages/401")
    classes = {r["subject"]: r["amount_wan"] for r in tables["expenditure_by_function"] if r.get("table", "").endswith("收支预算总表")}
    assert classes.get("国防支出") is None and classes.get("公共安全支出") is None
    assert classes["住房保障支出"] == 2319.16
    f = jd.parse(CORPUS / "pages" / "401.pdf").expenditure_by_function
    f = f[f["table"].fillna("").str.endswith("收支预算总表")]
    by_pdf = dict(zip(f["subject"], f["amount_wan"]))
    assert "国防支出" not in by_pdf and by_pdf["公共安全支出"] == 13656.34


def test_title_without_ordinal_ends_the_table_above():
    # pages/403 (江苏省人大常委会办公厅 2017): “一般公共预算机关运行经费支出预算表” and “财政拨款支出预算表” are
    # printed without an ordinal, each followed by its 部门 line; their rows (30202 印刷费 244.00, 30209 物业管理费
    # 456.00 …) belong to no table read before them
    text, tables = parsed("pages/403")
    econ = {(r["code"], r["amount_wan"]) for r in tables["basic_expenditure_by_economic"]}
    assert not {c for c, _ in econ} & {"30202", "30208", "30209", "310", "31002"}
    assert ("302", 1585.96) in econ and ("30201", 370.0) in econ


def test_numbers_opening_a_centred_line_keep_the_label_after_them():
    # pages/403 收支预算总表: “一、财政 一、一般公共服务 / 13,649.07 10,528.33 一、基本支出 7,666.68 / 拨款 支出”:
    # the opening numbers are the wrapped labels', 7,666.68 is 基本支出's (rendered page)
    from jueshuan_data.extract.tables import lines as L

    table = L.find_tables((CORPUS / "pages" / "403.txt").read_text(encoding="utf-8"))[0]
    segs = {"".join(t.t for t in s.label): [t.t for t in s.nums] for s in L._two_column_segments(table)}
    assert segs["一、基本支出"] == ["7,666.68"]


def test_budget_three_public_table_gives_the_budget_as_amount():
    # pages/405 (江苏省人大常委会办公厅 2018 部门预算), 公开09表 on the rendered page 15: 三公 小计 833.60,
    # 因公出国（境）费 222.50, 公务接待费 427.50, 购置费 blank; a 预算 prints no 决算 beside them
    import jueshuan_data as jd

    rows = jd.parse(CORPUS / "pages" / "405.pdf").tables["three_public"]
    rows = rows[rows.source_kind == "table"]
    got = {i: (a, b) for i, a, b in zip(rows["item"], rows.amount_wan, rows.budget_wan)}
    assert got["合计"] == (833.6, 833.6)
    assert got["因公出国（境）费"] == (222.5, 222.5) and got["公务接待费"] == (427.5, 427.5)


def test_economic_name_wrapped_around_its_code_line():
    # pages/402 (江苏省人民检察院 2019), 公开08表: “机关事业单位基本养老保险 / 30108 1,064.46 / 缴费”
    text, tables = parsed("pages/402")
    rows = {(r["code"], r["item"], r["amount_wan"]) for r in tables["basic_expenditure_by_economic"]}
    assert ("30108", "机关事业单位基本养老保险缴费", 1064.46) in rows
    assert ("30109", "职业年金缴费", 425.79) in rows


def test_economic_kuan_printed_with_one_digit():
    # pages/441 (上海市普陀区人民政府万里街道办事处 2024 部门预算): its 经济分类预算表 prints "301 2 津贴补贴" and
    # "301 7 绩效工资" (the leading zero of 02 / 07 dropped); read by hand: 16,623,810 and 11,447,100 元
    text = (CORPUS / "pages" / "441.txt").read_text(encoding="utf-8")
    rows = {r["code"]: r for r in extract_tables(text)["basic_expenditure_by_economic"]}
    assert rows["30102"]["item"] == "津贴补贴" and rows["30102"]["amount_wan"] == pytest.approx(1662.381)
    assert rows["30107"]["item"] == "绩效工资" and rows["30107"]["amount_wan"] == pytest.approx(1144.71)
    # the 301 款 then add up to the 类 (88,282,511 元)
    kuan = [r["amount_wan"] for c, r in rows.items() if c and len(c) == 5 and c.startswith("301")]
    assert sum(kuan) == pytest.approx(rows["301"]["amount_wan"]) == pytest.approx(8828.2511)


def test_budget_income_side_labelled_by_its_fund_alone():
    # pages/442 (上海市普陀区司法局 2026 部门预算): "1. 一般公共预算 96,282,213.44" (财务收支预算总表) and
    # "一、一般公共预算 96,282,213.44" (财政拨款收支预算总表) are the 一般公共预算 grant
    import jueshuan_data as jd
    s = jd.parse(CORPUS / "pages" / "442.txt").summary
    got = s[(s.item == "一般公共预算财政拨款收入") & (s.source_kind == "table")]
    assert len(got) == 2 and got.amount_wan.tolist() == pytest.approx([9628.221344] * 2)


def test_table_title_wrapped_before_its_last_characters():
    # pages/401 and 403: “…“三公”经费、会议费、培训费支出预 / 算表” and “…支出预算 / 表”; 403's table (rendered
    # page 20): 三公 小计 833.60, 因公出国 222.50, 公务用车 183.60, 购置费 0, 运行维护费 183.60, 接待 427.50
    import jueshuan_data as jd

    for n, want in ((401, {"合计": 584.35, "因公出国（境）费": 110.0, "公务用车购置费": 50.0, "公务接待费": 156.55}),
                    (403, {"合计": 833.6, "因公出国（境）费": 222.5, "公务用车购置费": 0.0, "公务接待费": 427.5})):
        rows = jd.parse(CORPUS / "pages" / f"{n}.pdf").tables["three_public"]
        rows = rows[rows.source_kind == "table"]
        got = dict(zip(rows["item"], rows.amount_wan))
        assert {k: got.get(k) for k in want} == want, n


def test_budget_three_meeting_training_table_with_broken_header_cells():
    # the text layer of the Jiangsu 三公/会议费/培训费 预算 table: header cells broken over lines, one row of
    # figures in the template's order, checked by its sums; a blank 购置费 that could be 运行维护费's is unknown
    # unless the 一般公共预算基本支出预算表 settles it (402: "30231 公务用车运行维护费 237.00", 403: "… 183.60"; the rendered
    # pages print 运行维护费 237 and 183.60, the keys say)
    got = {}
    for n in (401, 402, 403):
        text, tables = parsed(f"pages/{n}")
        got[n] = {r["item"]: r["amount_wan"] for r in tables["three_public"]}
    assert got[401] == {"合计": 584.35, "因公出国（境）费": 110.0, "公务用车购置及运行维护费": 317.8,
                        "公务用车购置费": 50.0, "公务用车运行维护费": 267.8, "公务接待费": 156.55}
    assert got[402] == {"合计": 418.26, "因公出国（境）费": 80.0, "公务用车购置及运行维护费": 237.0, "公务用车运行维护费": 237.0,
                        "公务接待费": 101.26}
    assert got[403] == {"合计": 833.6, "因公出国（境）费": 222.5, "公务用车购置及运行维护费": 183.6, "公务用车运行维护费": 183.6,
                        "公务接待费": 427.5}


def test_budget_fiscal_total_totals_and_grant_line():
    # pages/403 财政拨款收支预算总表 (text layer): “一、一般公共预算 13,649.07 …” and “收入合计 支出合计 / 13,649.07
    # 13,649.07” (no 结转 line, no 总计: the totals of the table); the 2017 年政府采购预算表 title ends the 三公 table
    from jueshuan_data.extract.tables import lines as L

    text, tables = parsed("pages/403")
    got = {r["item"]: r["amount_wan"] for r in tables["summary"] if r.get("table") == "财政拨款收支预算总表"}
    # … and its expenditure side by use: “一、基本支出 7,666.68”, “二、项目支出 5,853.96” (the grants')
    assert got == {"一般公共预算财政拨款收入": 13649.07, "财政拨款本年收入合计": 13649.07, "财政拨款收入总计": 13649.07,
                   "财政拨款本年支出合计": 13649.07, "财政拨款支出总计": 13649.07,
                   "财政拨款基本支出": 7666.68, "财政拨款项目支出": 5853.96}
    (three,) = [t for t in L.find_tables(text) if "三公" in (t.printed or "")]
    assert not any("政府采购" in ln.text for ln in three.lines)


def test_budget_total_table_with_personnel_and_public_columns():
    # pages/443 (上海市普陀区司法局 2026 单位预算): the 财务收支预算总表's expenditure side prints 合计 | 基本支出 (人员经费,
    # 公用经费) | 项目支出: "支出总计 86,959,408.34 20,374,181 1,744,680 64,840,547"; its 经济分类预算表 ends
    # "合计 22,118,861.34 20,272,981.00 1,845,880.34" (read by hand)
    import jueshuan_data as jd
    r = jd.parse(CORPUS / "pages" / "443.txt")
    grids = {g.kind: g for g in r.grids}
    tot = next(row for row in grids["total"].rows if row.label == "支出总计")
    assert {k: v.value for k, v in tot.cells.items()} == {"合计": 86959408.34, "人员经费": 20374181.0,
                                                         "公用经费": 1744680.0, "项目支出": 64840547.0}
    econ = grids["gpb_basic"].total_row()
    assert {k: v.value for k, v in econ.cells.items()} == {"合计": 22118861.34, "人员经费": 20272981.0,
                                                          "公用经费": 1845880.34}


def _function_rows(page: str, table: str) -> dict:
    """The functional rows a corpus page's text gives from one of its tables, by code."""
    text = (CORPUS / "pages" / f"{page}.txt").read_text(encoding="utf-8")
    return {r["code"]: r for r in extract_tables(text)["expenditure_by_function"] if r.get("table") == table}


def test_whole_yuan_table_prints_its_zeros_bare():
    # pages/441 (万里街道 2024 部门预算), 一般公共预算支出功能分类预算表 in whole 元: "201 一般公共服务支出 2,932,700 0
    # 2,932,700" is 合计 / 基本支出 0 / 项目支出 (read by hand)
    rows = _function_rows("441", "2024年部门一般公共预算支出功能分类预算表")
    assert (rows["201"]["basic_wan"], rows["201"]["project_wan"]) == pytest.approx((0.0, 293.27))
    assert (rows["2120101"]["basic_wan"], rows["2120101"]["project_wan"]) == pytest.approx((1635.3248, 25.0))


def test_budget_expenditure_table_of_three_columns_places_every_row():
    # pages/442 (司法局 2026 部门预算), 支出预算总表 "合计 基本支出 项目支出": "204 06 01 行政运行 16726725.44
    # 16726725.44 0.00" (read by hand); the 决算's 支出决算表 (more columns, blanks dropped) is unchanged
    rows = _function_rows("442", "2026年部门支出预算总表")
    assert (rows["2040601"]["basic_wan"], rows["2040601"]["project_wan"]) == pytest.approx((1672.672544, 0.0))
    assert (rows["2040699"]["basic_wan"], rows["2040699"]["project_wan"]) == pytest.approx((0.0, 3845.49))


def test_a_bare_zero_after_the_figures_of_a_row_is_a_zero():
    # pages/443 (司法局 2026 单位预算), a table with 分: "221 02 03 购房补贴 2,070,000.00 2,070,000.00 0" (read by hand:
    # 基本支出 2,070,000.00, 项目支出 0)
    text = (CORPUS / "pages" / "443.txt").read_text(encoding="utf-8")
    rows = [r for r in extract_tables(text)["expenditure_by_function"] if r.get("code") == "2210203"]
    assert rows and all((r["basic_wan"], r["project_wan"]) == pytest.approx((207.0, 0.0)) for r in rows)


@pytest.mark.parametrize("form", ["txt", "pdf"])
def test_budget_expenditure_total_table_with_reserve_column(form):
    # pages/426 (中共江苏省委办公厅 2018 部门预算公开表), 支出预算总表, read by hand: one header line
    # "合 计 基本支出 项目支出 单位预留机动经费 结转下年资金" over one unlabelled line of four figures
    import jueshuan_data as jd
    r = jd.parse(CORPUS / "pages" / f"426.{form}")
    (g,) = [g for g in r.grids if g.kind == "expend"]
    (row,) = g.rows
    cells = {k: v.value for k, v in row.cells.items() if v.value is not None}
    assert cells == {"合计": 24458.43, "基本支出": 10403.11, "项目支出": 12081.46, "单位预留机动经费": 1973.86}
    got = {(x["item"], x["amount_wan"]) for x in r.summary.to_dict("records") if x.get("table") == "支出预算总表"}
    assert {("基本支出", 10403.11), ("项目支出", 12081.46), ("单位预留机动经费", 1973.86)} <= got


def test_budget_expenditure_total_line_not_placed_when_a_cell_may_be_skipped():
    # pages/426's 支出预算总表 with two figures after the total under four columns: which cell is blank
    # cannot be told from the text, so the line is not placed
    from jueshuan_data.extract.tables import lines as L
    text = (CORPUS / "pages" / "426.txt").read_text(encoding="utf-8")
    text = text.replace("24,458.43 10,403.11 12,081.46 1,973.86", "24,458.43 10,403.11 14,055.32")
    (t,) = [t for t in L.find_tables(text) if t.printed == "支出预算总表"]
    t.document_kind = "预算"
    assert L._headed_total_row(t) is None
    (t2,) = [t for t in L.find_tables((CORPUS / "pages" / "426.txt").read_text(encoding="utf-8"))
             if t.printed == "支出预算总表"]
    assert L._headed_total_row(t2) is not None


@pytest.mark.parametrize("form", ["txt", "pdf"])
def test_budget_grant_tables_name_their_basic_and_project_expenditure(form):
    # pages/427 (江苏省政协办公厅 2018 部门预算公开表), read by hand: 财政拨款收支预算总表 一、基本支出 5,598.17,
    # 二、项目支出 3,314.68 (the all-funds 支出预算总表 has 基本支出 5,678.17: 80 万元 of 其他资金); the
    # 一般公共预算支出预算表 and 一般公共预算基本支出预算表 print "合计" and its figure a line below
    # ("合计" / "10,070.48", "合计" / "5,598.17") in the text layer
    import jueshuan_data as jd
    s = jd.parse(CORPUS / "pages" / f"427.{form}").summary
    got = {(r["item"], r["amount_wan"], r["table"]) for r in s.to_dict("records")}
    assert ("财政拨款基本支出", 5598.17, "财政拨款收支预算总表") in got
    assert ("财政拨款项目支出", 3314.68, "财政拨款收支预算总表") in got
    assert ("一般公共预算财政拨款支出", 10070.48, "一般公共预算支出预算表") in got
    assert ("一般公共预算财政拨款基本支出", 5598.17, "一般公共预算基本支出预算表") in got
    assert not any(i == "基本支出" and a == 5598.17 for i, a, _ in got)


@pytest.mark.parametrize("form", ["txt", "pdf"])
def test_budget_total_table_other_funds_line(form):
    # pages/427 收支预算总表, read by hand: "三、其他资金 80.00" (事业/经营/其他收入 together, named 其他资金 as the
    # Jiangsu narratives' 其他资金收入 is), beside 一、财政拨款 10,070.48 and 当年收入小计 10,150.48
    import jueshuan_data as jd
    s = jd.parse(CORPUS / "pages" / f"427.{form}").summary
    got = {(r["item"], r["amount_wan"]) for r in s.to_dict("records") if r.get("table") == "收支预算总表"}
    assert {("其他收入", 80.0), ("财政拨款收入", 10070.48), ("收入合计", 10150.48)} <= got


@pytest.mark.parametrize("form", ["txt", "pdf"])
def test_budget_income_table_heads_with_income_total(form):
    # pages/427 收入预算总表, read by hand: "收入总计" / "10,150.48" heads the table (一般公共预算资金 10,070.48 +
    # 其他资金 80.00, 上年结转和结余资金 blank): the 收入总计
    import jueshuan_data as jd
    s = jd.parse(CORPUS / "pages" / f"427.{form}").summary
    got = {(r["item"], r["amount_wan"]) for r in s.to_dict("records") if r.get("table") == "收入预算总表"}
    assert ("收入总计", 10150.48) in got and not any(i == "收入合计" for i, _ in got)


def _three_table_rows(name):
    import jueshuan_data as jd

    rows = jd.parse(CORPUS / "pages" / f"{name}.txt").tables["three_public"]
    rows = rows[rows.source_kind == "table"]
    return {i: r for i, r in zip(rows["item"], rows.to_dict("records"))}


def test_three_public_table_one_item_per_row_with_prior_year_and_change():
    # pages/553 (施甸县2016年“三公”经费决算情况统计表): "项目 | 上年决算数 | 本年决算数 | 比上年增、减情况" over
    # "增、减金额 | 增、减幅度"; read by hand: 合计 2911.47 | 2706.86 | -204.61 | -7.03%, 公务用车购置费
    # 14.80 | 0 | -14.8 | -100%, (2)公务用车运行费 1203.92 | 1105.72 | -98.2 | -8.16%
    got = _three_table_rows("553")
    assert len(got) == 6
    r = got["合计"]
    assert (r["prior_year_wan"], r["amount_wan"], r["change_wan"], r["change_pct"]) == (2911.47, 2706.86, -204.61, -7.03)
    r = got["公务用车购置费"]
    assert (r["prior_year_wan"], r["amount_wan"], r["change_wan"], r["change_pct"]) == (14.8, 0.0, -14.8, -100.0)
    assert got["公务用车运行维护费"]["amount_wan"] == 1105.72 and got["因公出国（境）费"]["change_pct"] == -21.9


def test_three_public_table_one_cell_per_line_with_cell_rules():
    # pages/559 (九华山风景区宗教事务局 2019): "合 計 |\n18 |\n6.28 |", "公務(wù)接待費 |\n12 |\n6.28 |", … (预算数,
    # 决算数), whole integers beside decimals; 公务用车购置 0 | 0
    got = _three_table_rows("559")
    assert {i: (r["budget_wan"], r["amount_wan"]) for i, r in got.items()} == {
        "合计": (18.0, 6.28), "因公出国（境）费": (0.0, 0.0), "公务接待费": (12.0, 6.28),
        "公务用车购置及运行维护费": (6.0, 0.0), "公务用车运行维护费": (6.0, 0.0), "公务用车购置费": (0.0, 0.0)}


def test_budget_three_public_table_one_item_per_row():
    # pages/555 (岳阳县城建投资管理中心2016-度“三公”經費預算情況表, a mirror's text): "一、支出合計 | 11.5 |",
    # "2、公務接待費 | 7.5 |", "3、公務用車費 | 4 |", "其中:(1)公務用車運行維護費 | 4 |"; blank rows and the
    # counts of 二、相关统计数 give nothing
    got = _three_table_rows("555")
    assert {i: r["amount_wan"] for i, r in got.items()} == {
        "合计": 11.5, "公务接待费": 7.5, "公务用车购置及运行维护费": 4.0, "公务用车运行维护费": 4.0}


def test_three_public_row_with_fewer_figures_than_columns_is_not_placed():
    # pages/560 (a hospital's 2016-部门“三公”經費預算表, 单位:元): header "2015-執行數 | 2016-預算數 | 備注", but
    # each row prints one figure ("二、公務接待費 | 420000 | ||"): a blank was lost, the column cannot be told
    assert _three_table_rows("560") == {}
    # a change printed without its sign against the row's own figures is not read (a sign is never guessed)
    from jueshuan_data.extract.tables import extract_tables as ex
    text = normalised("某局“三公”经费决算情况统计表\n单位:万元\n项目 | 上年决算数 | 本年决算数 | 增、减额 | 增、减幅度 |\n"
                      "合计 | 52.14 | 18.82 | 33.32 | -63.90% |\n")
    rows = ex(text)["three_public"]
    assert len(rows) == 1 and rows[0]["amount_wan"] == 18.82 and rows[0]["prior_year_wan"] == 52.14
    assert rows[0].get("change_wan") is None and rows[0]["change_pct"] == -63.9


def test_total_table_of_the_2016_template_gives_its_fiscal_grant():
    # pages/552 (an 安徽 university's 2016 收入支出决算总表, 金额单位:元 as printed): "一、财政拨款收入 | 1 | 30,345.82 |"
    # with "其中:政府性基金预算财政拨款 | 2 |" blank, the template before 财政拨款 was split by fund
    import jueshuan_data as jd

    s = jd.parse(CORPUS / "pages" / "552.txt").summary
    got = dict(zip(s["item"], s.amount_wan))
    assert got["财政拨款收入"] == pytest.approx(3.034582) and got["事业收入"] == pytest.approx(1.147375)
    assert "政府性基金预算财政拨款收入" not in got          # its cell is blank


# ---- 国卫财01-1表 (医疗卫生计生机构收支决算总表, 按功能分类) flattened one cell a line ----------------------------
# pages/702 (汨罗市第二人民医院 2017, 医改信息公示, 金额单位:元): 26 栏次; every cell closed by its rule, a blank
# cell a bare rule; the 合计 row and three function rows print 本年收入 合计 / 其中财政拨款 (栏 6, 7) and 本年支出
# 合计 / 其中财政拨款 (栏 9, 10); the excerpt ends in an empty template row. Figures read by hand.

def test_health_total_table_one_cell_a_line_702():
    text, got = parsed("pages/702")
    s = {r["item"]: r for r in got["summary"]}
    assert {i: (r["amount_wan"], r["amount_text"]) for i, r in s.items()} == {
        "收入合计": (2934.051538, "29,340,515.38"), "财政拨款收入": (412.18421, "4,121,842.10"),
        "支出合计": (2934.051538, "29,340,515.38"), "财政拨款支出": (412.18421, "4,121,842.10")}
    for r in s.values():
        assert text[r["char_start"]:r["char_end"]] == r["amount_text"]
        assert r["table"] == "2017年医疗卫生计生机构收支决算总表(按功能分类)"
    fn = got["expenditure_by_function"]
    assert [(r["code"], r["subject"], r["level"], r["parent_code"], r["amount_wan"], r["fund"]) for r in fn] == [
        ("210", "医疗卫生与计划生育支出", "类", None, 2934.051538, None),
        ("21002", "公立医院", "款", "210", 2934.051538, None),
        ("2100201", "综合医院", "项", "21002", 2934.051538, None)]
    for dataset, rs in got.items():
        keyed = [dict(r, report_id="0" * 16, entity="e", fiscal_year=2017, source="s") for r in rs]
        schemas.MODELS[dataset].validate(schemas.conform(dataset, keyed))


def test_health_total_table_negative_balance_and_empty_function_rows_304():
    # pages/304 (汨罗市中医院 2017, same form): the year closes −8,484,100.00 (收支结余 栏12, 年末结转和结余 栏22);
    # its function rows (201 …) print no figure; the excerpt is cut inside 2010499's cells
    _, got = parsed("pages/304")
    assert {r["item"]: r["amount_wan"] for r in got["summary"]} == {
        "收入合计": 6201.198825, "财政拨款收入": 166.6424, "支出合计": 7049.608825, "财政拨款支出": 166.6424,
        "收支结余": -848.41, "年末结转和结余": -848.41}
    assert got["expenditure_by_function"] == []


def test_health_total_table_needs_the_whole_form():
    # a row that lost a cell (25 cells) is not read: the columns of its figures could no more be told
    raw = (CORPUS / "pages" / "702.txt").read_text(encoding="utf-8")
    cut = raw.replace("| 21002 |\n公立医院 |\n|\n", "| 21002 |\n公立医院 |\n", 1)
    got = extract_tables(normalised(cut))
    assert [r["code"] for r in got["expenditure_by_function"]] == ["210"]
    # a header with other column groups (another form) is not this table
    other = raw.replace("用事业基金弥补收支差额 |", "其他 |", 1)
    assert extract_tables(normalised(other)) == {k: [] for k in extract_tables(normalised(other))}


# ---- a public unit's income statement against the year before (本期 / 上年同期 / 增加额 / 增长率) ------------
# pages/703 (株洲市妇幼保健院 收支情况表, 单位:元, traditional text folded): "1、總收入 | 1 | 61625022.26 | 66095039.04 |
# -4470016.78 | -6.76% |" …; pages/658 (达州市达川区中医医院 2017, "项目及编号2016年度2017年度 … 增减值 增减%"): the
# earlier year printed first. Figures read by hand.

def test_income_statement_against_the_year_before_703():
    text, got = parsed("pages/703")
    s = {r["item"]: r for r in got["summary"]}
    assert {i: (r["amount_wan"], r["prior_year_wan"], r["change_wan"], r["change_pct"]) for i, r in s.items()} == {
        "收入合计": (6162.502226, 6609.503904, -447.001678, -6.76),
        "事业收入": (4324.53342, 4439.835166, -115.301746, -2.6),
        "财政拨款收入": (1295.49, 1115.29, 180.2, 16.16),
        "其他收入": (84.805098, 637.0215, -552.216402, -86.69),
        "支出合计": (6514.225861, 5848.017281, 666.20858, 11.39)}
    assert s["事业收入"]["printed_name"] == "医疗收入" and s["收入合计"]["printed_name"] == "总收入"
    for r in s.values():
        assert text[r["char_start"]:r["char_end"]] == r["amount_text"]
    for dataset, rs in got.items():
        keyed = [dict(r, report_id="0" * 16, entity="e", fiscal_year=2020, source="s") for r in rs]
        schemas.MODELS[dataset].validate(schemas.conform(dataset, keyed))


def test_income_statement_earlier_year_first_658():
    _, got = parsed("pages/658")
    s = {r["item"]: (r["amount_wan"], r["prior_year_wan"], r["change_pct"]) for r in got["summary"]}
    assert s["收入合计"] == (11715.44247, 5859.677109, 99.93)      # printed 收入总计: no carry-over in such accounts
    assert s["财政拨款收入"] == (5550.84, 690.98, 703.33) and s["支出合计"] == (7395.202538, 6804.02968, 8.69)
    assert "科教项目收入" not in s                                   # "2. 科教项目收入 0": one figure, no column


def test_income_statement_row_whose_figures_disagree_is_not_read():
    head = "单位:元 | |||||\n项目 | 行号 | 本期 | 上年同期 | 增加额 | 增长率 |\n"
    good = "1、总收入 | 1 | 200.00 | 100.00 | 100.00 | 100.00% |\n"
    bad = "2、总支出 | 2 | 300.00 | 100.00 | 100.00 | 100.00% |\n"        # 300 − 100 ≠ 100: a column misplaced
    got = extract_tables(normalised(head + good + bad))["summary"]
    assert [(r["item"], r["amount_wan"]) for r in got] == [("收入合计", 0.02)]
    # without a header naming this year and the year before, nothing is read
    assert extract_tables(normalised(head.replace("本期", "甲").replace("上年同期", "乙") + good))["summary"] == []


# ---- an untitled 收支总表 one cell a line with a 序号 column (部门预算公开表 of a provincial platform) -------------
# pages/705 (平山县下口镇财政所 2025 部门预算, 单位:万元): "序号 | 收入 | 支出 | 项 目 | 预算数 | 项 目 | 预算数 | 栏次 |
# 1 | 2 | 3 | 4 |", then rows "1 | 一、一般公共预算拨款收入 | 675.82 | 一、一般公共服务支出 | 516.39 |" … "34 | 收入总计 |
# 690.36 | 支出总计 | 690.36 " (the page store's excerpt ends there: that last cell has no rule). Figures read by hand.

def test_numbered_total_table_one_cell_a_line_705():
    text, got = parsed("pages/705")
    s = {r["item"]: (r["amount_wan"], r["printed_name"]) for r in got["summary"]}
    assert s == {"一般公共预算财政拨款收入": (675.82, "一、一般公共预算拨款收入"), "收入合计": (675.82, "本年收入合计"),
                 "支出合计": (690.36, "本年支出合计"), "年初结转和结余": (14.54, "上年结转结余"),
                 "收入总计": (690.36, "收入总计")}          # 支出总计: its cell is cut by the end of the excerpt
    fn = got["expenditure_by_function"]
    assert [(r["subject"], r["amount_wan"], r["fund"], r["level"]) for r in fn] == [
        ("一般公共服务支出", 516.39, None, "类"), ("社会保障和就业支出", 98.25, None, "类"), ("卫生健康支出", 21.53, None, "类"),
        ("农林水支出", 14.54, None, "类"), ("住房保障支出", 39.65, None, "类")]
    for r in got["summary"] + fn:
        assert text[r["char_start"]:r["char_end"]] == r["amount_text"]
    # the 序号 (1-34) and 栏次 (1-4) are never amounts
    assert all("." in r["amount_text"] for r in got["summary"] + fn)


def test_numbered_total_table_stops_at_a_lost_cell():
    raw = (CORPUS / "pages" / "705.txt").read_text(encoding="utf-8")
    # row 8 loses its blank income amount: every cell after it would shift; the 序号 no longer runs on
    lost = raw.replace("8 |\n|\n|\n八、社会保障和就业支出 |", "8 |\n|\n八、社会保障和就业支出 |", 1)
    assert lost != raw
    got = extract_tables(normalised(lost))
    assert [r["subject"] for r in got["expenditure_by_function"]] == ["一般公共服务支出"]
    assert {r["item"] for r in got["summary"]} == {"一般公共预算财政拨款收入"}


def test_three_public_budget_table_one_cell_a_line_with_empty_cells_709():
    # pages/709 (宣州区审计局 2018 “三公”经费预算): "项目 / 预 算 数(万元) / 合计 / 3.1 / 因公出国(境)费 / 0 / 公务接待费 /
    # 公务用车购置及运行费 / …": the table's only column is the 预算; its 合计 row is read, and the rows up to the first
    # empty cell (公务接待费 prints none: the table stops there, nothing is shifted onto it)
    got = _three_table_rows("709")
    assert {i: (r["amount_wan"], r["budget_wan"]) for i, r in got.items()} == {"合计": (3.1, 3.1), "因公出国（境）费": (0.0, 0.0)}
    # a 预算数 column beside a 决算数 column is not the report's figure: such a header is not read this way
    from jueshuan_data.extract.tables.cells import read_three_cell_tables
    text = "“三公”经费情况表\n项目 |\n预算数(万元) |\n决算数(万元) |\n合计 |\n5 |\n4 |\n公务接待费 |\n5 |\n4 |\n"
    assert read_three_cell_tables(text) == []


def test_three_public_table_run_into_one_paragraph_708():
    # pages/708 (怀宁县人民法院 2017, a PDF's text layer on a document site): "…支出决算表 单位:万元 项 目 预算数 决算数 合 计
    # 65.00 64.87 0 0 公务接待费 21.00 21.00 公务用车购置及运行费 44.00 43.87 其中:公务用车运行维护费 44.00 43.87 公务用车购置 0 0
    # 因公出国(境)费": 因公出国's label is printed after the last row, its "0 0" behind 合计's figures; neither is read
    got = {i: (r["budget_wan"], r["amount_wan"]) for i, r in _three_table_rows("708").items()}
    assert got == {"公务接待费": (21.0, 21.0), "公务用车购置及运行维护费": (44.0, 43.87), "公务用车运行维护费": (44.0, 43.87),
                   "公务用车购置费": (0.0, 0.0)}
    from jueshuan_data.extract.tables.cells import read_three_inline_tables
    head = "一、2017年“三公”经费支出决算表单位:万元项目预算数决算数"
    # the parts must add up where the lines allow it: 44.00 ≠ 40.00 + 0
    assert read_three_inline_tables(head + "公务用车购置及运行费 44.00 43.87 其中:公务用车运行维护费 40.00 43.87 公务用车购置 0 0 二、") == []
    # no check possible (no 合计, no 用车 parts): nothing is read
    assert read_three_inline_tables(head + "公务接待费 21.00 21.00 二、") == []


def test_income_statement_with_a_carry_over_line_keeps_its_totals():
    # a 决算 comparison table that prints 年初结转和结余: its 收入总计 holds the carry-over, it is not the year's income
    text = normalised("单位:万元\n项目 | 行次 | 本期 | 上年同期 | 增减额 | 增减率 |\n"
                      "本年收入合计 | 1 | 100.00 | 80.00 | 20.00 | 25.00% |\n年初结转和结余 | 2 | 10.00 | 8.00 | 2.00 | 25.00% |\n"
                      "收入总计 | 3 | 110.00 | 88.00 | 22.00 | 25.00% |\n")
    assert [(r["item"], r["amount_wan"]) for r in extract_tables(text)["summary"]] == [("收入总计", 110.0)]


def test_a_budget_total_table_that_spends_by_use_with_blank_income_cells():
    # pages/758 (商洛市统计局2016年收支预算总表), one cell a line: "一、公共预算拨款 | 404.77 | 一、基本支出 | 319.08",
    # "二、政府性基金拨款 | | 1.工资福利支出 | 213.37", "三、事业收入 | | 2.对个人和家庭的补助支出 | 48.32",
    # "纳入财政专户管理的教育收费 | | 3.日常公用经费 | 57.39", "… | 二、项目支出 | 85.69"
    import jueshuan_data as jd
    r = jd.parse(CORPUS / "pages" / "758.txt")
    table = "商洛市统计局2016年收支预算总表"
    s = {(x["item"], x["amount_wan"]) for x in r.summary.to_dict("records") if x.get("table") == table}
    assert {("一般公共预算财政拨款收入", 404.77), ("基本支出", 319.08), ("项目支出", 85.69)} <= s
    e = {(x["item"], x["amount_wan"]) for x in r.basic_expenditure_by_economic.to_dict("records")
         if x.get("table") == table}
    assert e == {("工资福利支出", 213.37), ("对个人和家庭的补助", 48.32), ("公用经费", 57.39)}


def test_a_budget_total_table_one_cell_a_line_with_the_rule_before_each_cell_801():
    # pages/801 (烟台大学 2016年单位预算): "公开报表1 2016年收支预算总表(功能分类科目)单位:万元" (the unit on the title line),
    # header cells "| 2016年预算" (a year glued to 年: words, not an amount), then "一、财政拨款 / | 31,604.00 / | 教育支出 /
    # | 64,757.36 / |", "一般公共预算 / | 31,604.00 / | 普通教育 / | 64,757.36 / |": the 预算 总表 names its 类 without
    # an ordinal, and its 款 under it (普通教育, a 款 of 教育支出 in the catalogue, no more than its 类)
    import jueshuan_data as jd
    r = jd.parse(CORPUS / "pages" / "801.txt")
    s = {(x["item"], x["amount_wan"]) for x in r.summary.to_dict("records") if x["source_kind"] == "table"}
    assert s == {("财政拨款收入", 31604.0), ("一般公共预算财政拨款收入", 31604.0)}
    e = {(x["subject"], x["level"], x["amount_wan"]) for x in r.expenditure_by_function.to_dict("records")}
    assert e == {("教育支出", "类", 64757.36), ("普通教育", "款", 64757.36)}
    from jueshuan_data.extract.tables.lines import Line, _cell_kind
    assert _cell_kind(Line(0, 10, "| 2016年预算")) == "label"
    assert _cell_kind(Line(0, 10, "教育支出 64,757.36")) is None      # a label and an amount: not a cell


def test_a_total_table_run_into_one_paragraph_with_its_two_rownum_columns():
    # pages/854 (海南省华侨商业学校 2022 决算, the 财决公开01表 recognised from an image, one paragraph):
    # "金额单位:万元 收入 收入 收入 支出 支出 支出 项目 行次 金额 项目 行次 金额 栏次 1 栏次 2 一一般公共预算财政拨款收入 1
    # 4,627.57 一一般公共服务支出 32 0.00 … 五事业收入 5 80.78 五教育支出 36 4,146.04 … 八其他收入 8 33.19
    # 八社会保障和就业支出 39 341.76 9 九卫生健康支出 40 89.57 10 "
    import jueshuan_data as jd
    r = jd.parse(CORPUS / "pages" / "854.txt")
    s = {(x["item"], x["amount_wan"]) for x in r.summary.to_dict("records")}
    assert {("一般公共预算财政拨款收入", 4627.57), ("事业收入", 80.78), ("其他收入", 33.19), ("经营收入", 0.0)} <= s
    e = {(x["code"], x["amount_wan"]) for x in r.expenditure_by_function.to_dict("records")}
    assert {("201", 0.0), ("205", 4146.04), ("208", 341.76), ("210", 89.57)} <= e
    assert len(e) == 9        # the blank income cell of row 9 leaves its 行次 alone; row 10 is cut
    from jueshuan_data.extract.tables.cells import read_inline_total_tables
    head = "金额单位:万元 收入 支出 项目 行次 金额 项目 行次 金额 栏次 1 栏次 2 "
    # a figure at the very end of the text may be cut: not read
    g = read_inline_total_tables(head + "一财政拨款收入 1 10.00 一一般公共服务支出 29 9.5")
    assert [(row.label, row.value("合计")) for row in g[0].rows] == [("一、财政拨款收入", 10.0)]
    # the 行次 stop counting up: the table ends there
    g = read_inline_total_tables(head + "一财政拨款收入 1 10.00 一一般公共服务支出 29 9.50 二事业收入 7 1.00 二外交支出 30 0.00\n")
    assert [row.label for row in g[0].rows] == ["一、财政拨款收入", "一、一般公共服务支出"]


def test_a_total_table_titled_in_book_brackets_with_its_blank_cells_squeezed_902():
    # pages/902 (济宁市第二人民医院 2017, a traditional-character copy): the title "1.《收入支出决算总表》", then rows
    # whose blank cells are squeezed to the end ("二、上级补助收入 | 2 | 二、外交支出 | 29 | ||"); the 2017 template's
    # "用事业基金弥补收支差额 | 24 | 1604.54 | 结余分配 | 51 | |" is a term of 收入总计 (34846.81+1604.54+364.65 =
    # 36816.00 = 36341.62+474.38: no imbalance)
    import jueshuan_data as jd
    r = jd.parse(CORPUS / "pages" / "902.txt")
    s = {(x["item"], x["amount_wan"]) for x in r.summary.to_dict("records")}
    assert s == {("财政拨款收入", 625.58), ("事业收入", 34221.23), ("收入合计", 34846.81), ("支出合计", 36341.62),
                 ("用事业基金弥补收支差额", 1604.54), ("年初结转和结余", 364.65), ("年末结转和结余", 474.38)}
    assert "income_expenditure_balance" not in set(r.issues.rule)
    from jueshuan_data.extract.tables.lines import _title_of_text
    assert _title_of_text("1.《收入支出决算总表》", False) == "收入支出决算总表"
    assert _title_of_text("《一般公共预算财政拨款支出决算表》", False) == "一般公共预算财政拨款支出决算表"


# a 三公 table turned on its side (pages/951, 衢江区 2016): one row per year, one column per item, one cell per
# line with each “|” on a line of its own, under a title that does not name 三公
_THREE_BY_YEAR = "\n".join(
    ["2016年决算数与2015年决算数对比情况", "年度"]
    + [x for c in ["合计", "因公出国(境)经费", "公务接待费", "公车购置及运行维护费", "合计", "车辆购置", "车辆运行",
                   "2015年", "2840", "90", "1400", "1350", "73", "1277",
                   "2016年", "2364", "12", "1356", "996", "37", "959",
                   "2016年比2015年增减%", "-16.77", "-86.62", "-3.14", "-26.24", "-47.95", "-24.98"] for x in (c, "|")])


def test_three_public_table_one_year_a_row():
    rows = {r["item"]: r for r in extract_tables(_THREE_BY_YEAR)["three_public"]}
    assert {k: (r["amount_wan"], r["prior_year_wan"], r["change_pct"]) for k, r in rows.items()} == {
        "合计": (2364, 2840, -16.77), "因公出国（境）费": (12, 90, -86.62), "公务接待费": (1356, 1400, -3.14),
        "公务用车购置及运行维护费": (996, 1350, -26.24), "公务用车购置费": (37, 73, -47.95),
        "公务用车运行维护费": (959, 1277, -24.98)}
    assert rows["合计"]["table"] == "2016年决算数与2015年决算数对比情况"


def test_three_public_table_one_year_a_row_must_add_up():
    # a year row whose figures do not add up (合计 ≠ 出国 + 接待 + 公务用车) is not placed: no guessed columns
    bad = _THREE_BY_YEAR.replace("2364", "2464")
    assert extract_tables(bad)["three_public"] == []


def test_a_label_whose_cell_is_closed_is_not_continued_by_the_next_line():
    # pages/954 (上海市青浦区绿化管理所 2018): an HTML 总表 flattened one cell a line, a blank cell printed as a
    # lone "|"; "一、一般公共服务支出 |" is a whole cell, so "其中:政府性基金预算财政拨款 |" opens the next item
    text = "\n".join(["2018年度收入支出决算总表", "单位:万元", "收入 |", "支出 |", "||", "项目 |", "决算数 |", "项目 |",
                      "决算数 |", "一、财政拨款收入 | 9909.76 |", "一、一般公共服务支出 |", "|",
                      "其中:政府性基金预算财政拨款 |", "2121.34 |", "二、外交支出 |", "|", "二、上级补助收入 |", "|"])
    rows = {r["item"]: r["amount_wan"] for r in extract_tables(text)["summary"]}
    assert rows == {"财政拨款收入": 9909.76, "政府性基金预算财政拨款收入": 2121.34}


@pytest.mark.parametrize("item,budget,amount", [
    ("因公出国（境）费", 0.0, 0.0), ("公务接待费", 8.5, 4.5), ("公务用车购置及运行维护费", 0.0, 0.0),
    ("公务用车运行维护费", 0.0, 0.0), ("公务用车购置费", 0.0, 0.0), ("合计", 8.5, 4.5)])
def test_three_table_split_by_fund_one_cell_a_line(item, budget, amount):
    # pages/908 (庐江县第二中学 2020): 项目 | 预算数 | 决算数, each split into 合计 | 一般公共预算财政拨款 |
    # 政府性基金预算财政拨款, one cell a line; the total row comes last as 总计. The 合计 of each side is read.
    _, got = parsed("pages/908")
    rows = [r for r in got["three_public"] if r["item"] == item]
    assert len(rows) == 1
    assert (rows[0]["budget_wan"], rows[0]["amount_wan"]) == (budget, amount)


def test_a_towns_own_budget_execution_table_206():
    # pages/206 (沂源县中庄镇 2020年预算执行): "2020年中庄镇一般公共预算收入执行情况表", header "项 目 | 2019年决算数 | 2020年预算调整数 |
    # 2020年执行数" / "金额 | 占调整预算% | 比上年增长%", rows "一、税收收入 | 401 | 431 | 431 | 100 | 7.48 |", "本年收入合计 | 401 | 431 |
    # 431 | 100 | 7.48 |", "转移性收入 | 2442 | 2351 | 2351 | 100 | -3.73 |", "收入总计 | 2843 | 2782 | 2782 | 100 | -2.15 |"; and
    # in the 支出执行情况表 "一、一般公共服务支出 | 946 | 965 | 965 | 100.00 | 2.01 |" (figures from the key)
    import jueshuan_data as jd
    r = jd.parse(CORPUS / "pages" / "206.txt")
    cols = ["amount_wan", "prior_year_wan", "budget_wan", "execution_pct", "change_pct"]
    s = {x["item"]: tuple(x[c] for c in cols) for x in r.summary.to_dict("records") if x["source_kind"] == "table"}
    assert s == {"税收收入": (431, 401, 431, 100, 7.48), "收入合计": (431, 401, 431, 100, 7.48),
                 "转移性收入": (2351, 2442, 2351, 100, -3.73), "收入总计": (2782, 2843, 2782, 100, -2.15)}
    assert set(r.summary["fund"]) == {"一般公共预算"}
    e = [(x["subject"], x["code"], x["level"], x["fund"], *(x[c] for c in cols)) for x in r.expenditure_by_function.to_dict("records")]
    assert e == [("一般公共服务支出", "201", "类", "一般公共预算", 965, 946, 965, 100, 2.01)]


def test_an_execution_table_row_is_read_only_when_its_rates_agree():
    from jueshuan_data.extract.tables.execution import read_execution_tables
    head = ("2020年中庄镇一般公共预算收入执行情况表 | |||||\n单位:万元 | |||||\n项 目 | 2019年决算数 | 2020年预算调整数 | 2020年执行数 | ||\n"
            "金额 | 占调整预算% | 比上年增长% | |||\n")
    # "企业所得税 | 9 | 5 | 5 | 100 | -44.44 |" agrees (5/5 = 100 %, (5-9)/9 = -44.44 %); a blank cell ("房产税 | 1 | 1 | 1 |
    # 100 | |") leaves the row unread, and so does a row whose rates do not fit its columns (budget and outcome swapped)
    text = head + "企业所得税 | 9 | 5 | 5 | 100 | -44.44 |\n房产税 | 1 | 1 | 1 | 100 | |\n增值税 | 266 | 300 | 292 | 100 | 9.77 |\n"
    (g,) = read_execution_tables(text)
    assert [(row.label, row.cells["执行数"].literal, row.cells["上年"].literal) for row in g.rows] == [("企业所得税", "5", "9")]
    # "国有资本经营收入", a 非税收入 line of the 一般公共预算 (blank in 206), is no revenue of the 国有资本经营预算
    rows = extract_tables(normalised(head + "国有资本经营收入 | 9 | 5 | 5 | 100 | -44.44 |\n本年收入合计 | 9 | 5 | 5 | 100 | -44.44 |\n"))
    assert [(r["item"], r["fund"]) for r in rows["summary"]] == [("收入合计", "一般公共预算")]
    # the year before named by its 执行数 (as towns print it when the 决算 is not yet made) is the same table
    (g,) = read_execution_tables(text.replace("2019年决算数", "2019年执行数"))
    assert [row.label for row in g.rows] == ["企业所得税"]
    # a PDF's text layer: the years above the words, the cells spaced, not ruled
    pdf = ("2020年中庄镇一般公共预算收入执行情况表\n单位:万元\n项 目 2019年 2020年 2020年\n决算数 预算调整数 执行数 占调整预算% 比上年增长%\n"
           "一、税收收入 401 431 431 100 7.48\n转移性收入 2442 2351 2351 100 -3.73\n")
    rows = extract_tables(normalised(pdf))["summary"]
    assert [(r["item"], r["amount_wan"], r["prior_year_wan"], r["change_pct"]) for r in rows] == [
        ("税收收入", 431, 401, 7.48), ("转移性收入", 2351, 2442, -3.73)]
    # the table ends where the next opens ("表3" / "…民生支出执行情况表"): its lines are not this table's
    nxt = head + "本年收入合计 | 401 | 431 | 431 | 100 | 7.48 |\n表3 | |||||\n2020年中庄镇一般公共预算民生支出执行情况表 | |||||\n" \
        "本年收入合计 | 2442 | 2351 | 2351 | 100 | -3.73 |\n"
    (g,) = read_execution_tables(nxt)
    assert [row.cells["执行数"].literal for row in g.rows] == ["431"]
    # a header without the year before first (预算 | 执行 | 上年) is not this table
    assert read_execution_tables(text.replace("2019年决算数 | 2020年预算调整数", "2020年预算调整数 | 2019年决算数")) == []



def test_an_execution_table_of_the_year_before_in_a_budget_is_not_read():
    # a "2021年预算草案" appends the 2020 执行情况表 (pages/206's tables under such a title): the year before's outcome,
    # not the 2021 report's figures (they would stand as its 税收收入 431, 收入总计 2782 …); a warning says so
    import jueshuan_data as jd
    text = (CORPUS / "pages" / "206.txt").read_text(encoding="utf-8")
    tables = text[text.index("表1 | |||||"):]
    r = jd.parse_text("中庄镇2021年预算草案\n" + tables)
    assert r.fiscal_year == 2021 and r.summary.empty and r.expenditure_by_function.empty
    unread = [f["message"] for f in r.issues.to_dict("records") if f["rule"] == "table_unread"]
    assert len(unread) == 2 and all("2020" in m and "2021" in m for m in unread)
    # the report of that year's execution reads them
    r = jd.parse_text("关于中庄镇2020年预算执行情况和2021年预算草案的报告\n" + tables)
    assert r.fiscal_year == 2020 and len(r.summary) == 4 and len(r.expenditure_by_function) == 1

@pytest.mark.parametrize("name, running", [("426", 411.2), ("427", 156.6)])
def test_car_cells_of_a_meeting_and_training_table_settled_by_the_basic_table(name, running):
    # pages/426 (中共江苏省委办公厅 2019 预算), “三公”经费、会议费、培训费支出预算表: "1,471.70 508.20 70.00 411.20 411.20 27.00
    # 933.50 30.00", eight figures for nine cells (合计 | 小计 | 出国 | 车 小计 | 购置 | 运行维护 | 接待 | 会议 | 培训): the second
    # 411.20 is 购置 or 运行维护; the 一般公共预算基本支出预算表 prints "30231 公务用车运行维护费 411.20", so the running costs are
    # 411.20 and nothing is bought. pages/427 (2018): "1,656.86 675.10 106.00 156.60 156.60 412.50 884.16 97.60" and
    # "30231 公务用车运行维护费 156.60"
    got = _three_table_rows(name)
    assert got["公务用车运行维护费"]["amount_wan"] == running and got["公务用车购置及运行维护费"]["amount_wan"] == running
    assert "公务用车购置费" not in got


def test_car_cells_stay_unknown_without_the_running_costs_of_the_basic_table():
    # the same 426 line with no 30231 line printing 411.20 (here 400.00): which car cell holds 411.20 is not known
    from jueshuan_data.extract.tables import read_grids
    from jueshuan_data.extract.tables.readers import rows_from_grids
    text = (CORPUS / "pages" / "426.txt").read_text(encoding="utf-8").replace("30231 公务用车运行维护费 411.20",
                                                                             "30231 公务用车运行维护费 400.00")
    text = normalised(text)
    grids, _ = read_grids(text)
    items = {r["item"] for r in rows_from_grids(grids, text)["three_public"]}
    assert "公务用车购置及运行维护费" in items and "公务用车运行维护费" not in items
