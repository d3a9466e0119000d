"""Format B: the tables of 国办公开办函〔2021〕30号, report years 2021 on.

Also home of what the 2019 trial edition (``b2019``) shares with it: table 三
(built by ``table_three``), table 四, their rules (``rules_for``) and the six
sections.

Table 二 and table 四 are list tables whose cells also carry ``row`` (a row
key) and ``column`` (the printed column heading), so a form can lay them out as
the small grids the official form prints; ``label`` is the row's label, as in a
grid cell. Table 四 is not a ``GridTable`` because the spec's codes
(``b4_review_upheld``) have a single underscore where ``GridTable.code`` puts
two.
"""

from reports.tables.base import (
    Cell,
    Compare,
    GridColumn,
    GridRow,
    GridTable,
    Header,
    ListTable,
    Op,
    PreviousYear,
    Rule,
    Section,
    Severity,
    TableFormat,
    ValueType,
)

WARNING = Severity.WARNING

# --- table 二 (2021 edition) ----------------------------------------------

_ISSUED, _REPEALED, _IN_FORCE = "本年制发件数", "本年废止件数", "现行有效件数"
_DECISIONS = "本年处理决定数量"
_FEES = "本年收费金额(单位:万元)"


def _b2(
    code: str,
    label: str,
    row: str,
    column: str,
    unit: str = "件",
    value_type: ValueType = ValueType.COUNT,
) -> Cell:
    return Cell(
        code,
        label,
        unit,
        value_type,
        indent=1,
        row=row,
        column=column,
        allows_na=True,
        name=f"{label}{column}",
    )


TABLE_TWO = ListTable(
    key="b2",
    title="二、主动公开政府信息情况",
    columns=("信息内容", _ISSUED, _REPEALED, _IN_FORCE),
    rows=(
        Header("第二十条第(一)项", 0),
        _b2("b2_rule_issued", "规章", "rule", _ISSUED),
        _b2("b2_rule_repealed", "规章", "rule", _REPEALED),
        _b2("b2_rule_in_force", "规章", "rule", _IN_FORCE),
        _b2("b2_norm_issued", "行政规范性文件", "norm", _ISSUED),
        _b2("b2_norm_repealed", "行政规范性文件", "norm", _REPEALED),
        _b2("b2_norm_in_force", "行政规范性文件", "norm", _IN_FORCE),
        Header("第二十条第(五)项", 0),
        _b2("b2_licensing", "行政许可", "licensing", _DECISIONS),
        Header("第二十条第(六)项", 0),
        _b2("b2_penalty", "行政处罚", "penalty", _DECISIONS),
        _b2("b2_coercion", "行政强制", "coercion", _DECISIONS),
        Header("第二十条第(八)项", 0),
        _b2("b2_fees", "行政事业性收费", "fees", _FEES, "万元", ValueType.AMOUNT),
    ),
)

# --- table 三 (shared with the 2019 trial edition) --------------------------

APPLICANT_COLUMNS = (
    GridColumn("np", "自然人"),
    GridColumn("biz", "商业企业", group="法人或其他组织"),
    GridColumn("sci", "科研机构", group="法人或其他组织"),
    GridColumn("ngo", "社会公益组织", group="法人或其他组织"),
    GridColumn("law", "法律服务机构", group="法人或其他组织"),
    GridColumn("oth", "其他", group="法人或其他组织"),
    GridColumn("total", "总计"),
)

# The rows that are neither received, carried nor totals: the 办理结果 that
# (七)总计 adds up.
_RESULTS_BEFORE_OTHER = (
    GridRow("granted", "(一)予以公开", 1),
    GridRow("partial", "(二)部分公开(区分处理的,只计这一情形,不计其他情形)", 1),
    GridRow("h_deny", "(三)不予公开", 1, header=True),
    GridRow("deny_secret", "1.属于国家秘密", 2),
    GridRow("deny_law", "2.其他法律行政法规禁止公开", 2),
    GridRow("deny_safety", "3.危及“三安全一稳定”", 2),
    GridRow("deny_third_party", "4.保护第三方合法权益", 2),
    GridRow("deny_internal", "5.属于三类内部事务信息", 2),
    GridRow("deny_process", "6.属于四类过程性信息", 2),
    GridRow("deny_enforcement", "7.属于行政执法案卷", 2),
    GridRow("deny_inquiry", "8.属于行政查询事项", 2),
    GridRow("h_unable", "(四)无法提供", 1, header=True),
    GridRow("unable_not_held", "1.本机关不掌握相关政府信息", 2),
    GridRow("unable_must_create", "2.没有现成信息需要另行制作", 2),
    GridRow("unable_unclear", "3.补正后申请内容仍不明确", 2),
    GridRow("h_reject", "(五)不予处理", 1, header=True),
    GridRow("reject_petition", "1.信访举报投诉类申请", 2),
    GridRow("reject_repeat", "2.重复申请", 2),
    GridRow("reject_publication", "3.要求提供公开出版物", 2),
    GridRow("reject_mass", "4.无正当理由大量反复申请", 2),
    GridRow("reject_confirm", "5.要求行政机关确认或重新出具已获取信息", 2),
)

OTHER_ROWS_2021 = (
    GridRow("h_other", "(六)其他处理", 1, header=True),
    GridRow(
        "other_no_amend",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        2,
    ),
    GridRow(
        "other_no_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        2,
    ),
    GridRow("other_other", "3.其他", 2),
)

# Rows of table 三 that are not 办理结果 (the operands of b_balance).
BALANCE_ROWS = ("new", "carried_in", "total", "carried_out")


def table_three(other_rows: tuple[GridRow, ...]) -> GridTable:
    """Table 三 with the given (六)其他处理 rows (they differ by edition)."""
    return GridTable(
        key="b3",
        title="三、收到和处理政府信息公开申请情况",
        prefix="b3",
        rows=(
            GridRow("new", "一、本年新收政府信息公开申请数量", 0),
            GridRow("carried_in", "二、上年结转政府信息公开申请数量", 0),
            GridRow("h_results", "三、本年度办理结果", 0, header=True),
            *_RESULTS_BEFORE_OTHER,
            *other_rows,
            GridRow("total", "(七)总计", 1),
            GridRow("carried_out", "四、结转下年度继续办理", 0),
        ),
        columns=APPLICANT_COLUMNS,
        note="(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)",
        corner="申请人情况",
    )


# --- table 四 (shared) ------------------------------------------------------

REVIEW_GROUPS = (
    ("review", "行政复议"),
    ("suit_direct", "行政诉讼·未经复议直接起诉"),
    ("suit_after_review", "行政诉讼·复议后起诉"),
)
REVIEW_COLUMNS = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)

TABLE_FOUR = ListTable(
    key="b4",
    title="四、政府信息公开行政复议、行政诉讼情况",
    rows=tuple(
        Cell(
            f"b4_{group}_{column}",
            group_label,
            "件",
            row=group,
            column=column_label,
            name=f"{group_label}·{column_label}",
        )
        for group, group_label in REVIEW_GROUPS
        for column, column_label in REVIEW_COLUMNS
    ),
)

# --- rules ------------------------------------------------------------------


def rules_for(three: GridTable) -> tuple[Rule, ...]:
    """The rules of tables 三 and 四, shared by both editions.

    The 办理结果 rows that (七)总计 adds up are read from ``three``, so the
    edition's (六)其他处理 rows are included whatever they are.
    """
    code = three.code
    applicants = [c.key for c in three.columns if c.key != "total"]
    results = [r.key for r in three.value_rows() if r.key not in BALANCE_ROWS]
    rules: list[Rule] = [
        Compare(
            "b_row_total",
            left=(code(row.key, "total"),),
            right=tuple(code(row.key, c) for c in applicants),
        )
        for row in three.value_rows()
    ]
    for column in three.columns:
        col = column.key
        rules.append(
            Compare(
                "b_result_total",
                left=(code("total", col),),
                right=tuple(code(r, col) for r in results),
            )
        )
    for column in three.columns:
        col = column.key
        rules.append(
            Compare(
                "b_balance",
                left=(code("new", col), code("carried_in", col)),
                right=(code("total", col), code("carried_out", col)),
                explanation="第一项加第二项之和应等于第三项加第四项之和",
            )
        )
    for group, _label in REVIEW_GROUPS:
        rules.append(
            Compare(
                "b_review_total",
                left=(f"b4_{group}_total",),
                right=tuple(
                    f"b4_{group}_{c}"
                    for c in ("upheld", "corrected", "other", "pending")
                ),
            )
        )
    for column in three.columns:
        col = column.key
        rules.append(
            PreviousYear(
                "b_carry_over",
                this=code("carried_in", col),
                last=code("carried_out", col),
                op=Op.EQ,
                severity=WARNING,
                explanation="上年结转下年度继续办理的申请即本年的上年结转",
            )
        )
    for group, _label in REVIEW_GROUPS:
        # PreviousYear checks op.holds(last, this): last year's pending ≤ total.
        rules.append(
            PreviousYear(
                "b_pending_carry",
                this=f"b4_{group}_total",
                last=f"b4_{group}_pending",
                op=Op.LE,
                severity=WARNING,
                explanation="上年尚未审结的案件应计入本年总计",
            )
        )
    return tuple(rules)


IN_FORCE_RULES = (
    Compare(
        "b_in_force",
        left=("b2_rule_in_force",),
        op=Op.GE,
        right=("b2_rule_issued",),
        severity=WARNING,
    ),
    Compare(
        "b_in_force",
        left=("b2_norm_in_force",),
        op=Op.GE,
        right=("b2_norm_issued",),
        severity=WARNING,
    ),
)

# --- sections (shared) ------------------------------------------------------

SECTIONS = (
    Section("overview", "一、总体情况"),
    Section("active", "二、主动公开政府信息情况", table="b2"),
    Section("applications", "三、收到和处理政府信息公开申请情况", table="b3"),
    Section("reviews", "四、政府信息公开行政复议、行政诉讼情况", table="b4"),
    Section("problems", "五、存在的主要问题及改进情况"),
    Section("other", "六、其他需要报告的事项"),
)

TABLE_THREE = table_three(OTHER_ROWS_2021)

# Both editions: their tables 三 and 四 carry the same codes.
HEADLINES_B = {
    "收到申请数": ("b3_new__total",),
    "行政复议数": ("b4_review_total",),
    "行政诉讼数": ("b4_suit_direct_total", "b4_suit_after_review_total"),
}

FORMAT = TableFormat(
    code="B",
    name="政府信息公开工作年度报告格式（2021年版）",
    first_year=2021,
    last_year=None,
    tables=(TABLE_TWO, TABLE_THREE, TABLE_FOUR),
    rules=(*IN_FORCE_RULES, *rules_for(TABLE_THREE)),
    sections=SECTIONS,
    headlines=HEADLINES_B,
)
