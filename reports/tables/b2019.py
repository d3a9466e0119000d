"""Format B2019: the trial edition (国办公开办函〔2019〕60号), report years 2019–2020.

Tables 三 and 四, their rules and the six sections are format B's (see
``b.py``), except that (六)其他处理 is one row, ``other``. Table 二 is the trial
edition's own. Its codes, chosen here and to be kept stable, are
``b2t_<row>_<column>``; every cell accepts "not applicable" and table 二 has
no rules. In the order of the form (22 cells):

第二十条第(一)项 (件):
  b2t_rule_new_made        规章 本年新制作数量
  b2t_rule_new_public      规章 本年新公开数量
  b2t_rule_total_public    规章 对外公开总数量
  b2t_norm_new_made        规范性文件 本年新制作数量
  b2t_norm_new_public      规范性文件 本年新公开数量
  b2t_norm_total_public    规范性文件 对外公开总数量
第二十条第(五)项 (上一年项目数量 and 本年增/减 in 项, 处理决定数量 in 件):
  b2t_licensing_prev_items          行政许可 上一年项目数量
  b2t_licensing_change              行政许可 本年增/减 (may be negative)
  b2t_licensing_decisions           行政许可 处理决定数量
  b2t_other_services_prev_items     其他对外管理服务事项 上一年项目数量
  b2t_other_services_change         其他对外管理服务事项 本年增/减
  b2t_other_services_decisions      其他对外管理服务事项 处理决定数量
第二十条第(六)项 (as 第(五)项):
  b2t_penalty_prev_items, b2t_penalty_change, b2t_penalty_decisions    行政处罚
  b2t_coercion_prev_items, b2t_coercion_change, b2t_coercion_decisions 行政强制
第二十条第(八)项:
  b2t_fees_prev_items      行政事业性收费 上一年项目数量 (项)
  b2t_fees_change          行政事业性收费 本年增/减 (项, may be negative)
第二十条第(九)项:
  b2t_procurement_items    政府集中采购 采购项目数量 (项)
  b2t_procurement_amount   政府集中采购 采购总金额 (万元)
"""

from reports.tables.b import (
    HEADLINES_B,
    SECTIONS,
    TABLE_FOUR,
    rules_for,
    table_three,
)
from reports.tables.base import (
    Cell,
    GridRow,
    Header,
    ListTable,
    TableFormat,
    ValueType,
)

# column key → (printed heading, unit, type)
_COLUMNS = {
    "new_made": ("本年新制作数量", "件", ValueType.COUNT),
    "new_public": ("本年新公开数量", "件", ValueType.COUNT),
    "total_public": ("对外公开总数量", "件", ValueType.COUNT),
    "prev_items": ("上一年项目数量", "项", ValueType.COUNT),
    "change": ("本年增/减", "项", ValueType.SIGNED_COUNT),
    "decisions": ("处理决定数量", "件", ValueType.COUNT),
    "items": ("采购项目数量", "项", ValueType.COUNT),
    "amount": ("采购总金额", "万元", ValueType.AMOUNT),
}

_DOCUMENTS = ("new_made", "new_public", "total_public")
_MATTERS = ("prev_items", "change", "decisions")

# (heading of the group, ((row key, 信息内容, column keys), ...))
_GROUPS: tuple[tuple[str, tuple[tuple[str, str, tuple[str, ...]], ...]], ...] = (
    (
        "第二十条第(一)项",
        (("rule", "规章", _DOCUMENTS), ("norm", "规范性文件", _DOCUMENTS)),
    ),
    (
        "第二十条第(五)项",
        (
            ("licensing", "行政许可", _MATTERS),
            ("other_services", "其他对外管理服务事项", _MATTERS),
        ),
    ),
    (
        "第二十条第(六)项",
        (("penalty", "行政处罚", _MATTERS), ("coercion", "行政强制", _MATTERS)),
    ),
    ("第二十条第(八)项", (("fees", "行政事业性收费", ("prev_items", "change")),)),
    ("第二十条第(九)项", (("procurement", "政府集中采购", ("items", "amount")),)),
)


def _table_two_rows() -> tuple[Cell | Header, ...]:
    rows: list[Cell | Header] = []
    for heading, group_rows in _GROUPS:
        rows.append(Header(heading, 0))
        for row, label, columns in group_rows:
            for column in columns:
                heading_text, unit, value_type = _COLUMNS[column]
                rows.append(
                    Cell(
                        f"b2t_{row}_{column}",
                        label,
                        unit,
                        value_type,
                        indent=1,
                        row=row,
                        column=heading_text,
                        allows_na=True,
                        name=f"{label}{heading_text}",
                    )
                )
    return tuple(rows)


TABLE_TWO = ListTable(
    key="b2",
    title="二、主动公开政府信息情况",
    columns=("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"),
    rows=_table_two_rows(),
)

TABLE_THREE = table_three((GridRow("other", "(六)其他处理", 1),))

FORMAT = TableFormat(
    code="B2019",
    name="政府信息公开工作年度报告格式（2019年试行版）",
    first_year=2019,
    last_year=2020,
    tables=(TABLE_TWO, TABLE_THREE, TABLE_FOUR),
    rules=rules_for(TABLE_THREE),
    sections=SECTIONS,
    headlines=HEADLINES_B,
)
