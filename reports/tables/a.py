"""Format A: 政府信息公开情况统计表, report years 2008–2018.

One list table of 58 cells (统计指标 | 单位 | 统计数), its rules and the
narrative sections such reports carry. Codes, labels, units and rule codes are
those of spec/table-formats.md. Variants list only other *wording* seen in real
reports; importers normalise numbering ("1、"/"1."), brackets, spaces and
traditional characters themselves.
"""

from reports.tables.base import (
    Aggregate,
    Cell,
    Compare,
    Header,
    ListTable,
    Op,
    Section,
    Severity,
    TableFormat,
    TableYear,
    ValueType,
)

AMOUNT = ValueType.AMOUNT
WARNING = Severity.WARNING

TABLE = ListTable(
    key="a",
    title="政府信息公开情况统计表",
    rows=(
        Header("一、主动公开情况", 0),
        Cell(
            "a1_total",
            "(一)主动公开政府信息数(不同渠道和方式公开相同信息计1条)",
            "条",
            indent=1,
            variants=(
                "(一)主动公开政府信息数(不同渠道和方式公开相同的信息列为1条)",
                "(一)主动公开政府信息数",
            ),
        ),
        Cell("a1_normative", "其中:主动公开规范性文件数", "条", indent=2),
        Cell("a1_normative_issued", "制发规范性文件总数", "件", indent=2),
        Header("(二)通过不同渠道和方式公开政府信息的情况", 1),
        Cell("a1_gazette", "1.政府公报公开政府信息数", "条", indent=2),
        Cell("a1_website", "2.政府网站公开政府信息数", "条", indent=2),
        Cell("a1_weibo", "3.政务微博公开政府信息数", "条", indent=2),
        Cell("a1_wechat", "4.政务微信公开政府信息数", "条", indent=2),
        Cell("a1_other", "5.其他方式公开政府信息数", "条", indent=2),
        Header("二、回应解读情况", 0),
        Cell(
            "a2_responses",
            "(一)回应公众关注热点或重大舆情数(不同方式回应同一热点或舆情计1次)",
            "次",
            indent=1,
            variants=("(一)回应公众关注热点或重大舆情数",),
        ),
        Header("(二)通过不同渠道和方式回应解读的情况", 1),
        Cell("a2_press", "1.参加或举办新闻发布会总次数", "次", indent=2),
        Cell(
            "a2_press_head",
            "其中:主要负责同志参加新闻发布会次数",
            "次",
            indent=3,
        ),
        Cell("a2_interview", "2.政府网站在线访谈次数", "次", indent=2),
        Cell(
            "a2_interview_head",
            "其中:主要负责同志参加政府网站在线访谈次数",
            "次",
            indent=3,
        ),
        Cell("a2_interpretation", "3.政策解读稿件发布数", "篇", indent=2),
        Cell("a2_weibo_wechat", "4.微博微信回应事件数", "次", indent=2),
        Cell("a2_other", "5.其他方式回应事件数", "次", indent=2),
        Header("三、依申请公开情况", 0),
        Cell("a3_received", "(一)收到申请数", "件", indent=1),
        Cell("a3_recv_in_person", "1.当面申请数", "件", indent=2),
        Cell("a3_recv_fax", "2.传真申请数", "件", indent=2),
        Cell("a3_recv_online", "3.网络申请数", "件", indent=2),
        Cell("a3_recv_letter", "4.信函申请数", "件", indent=2),
        Cell("a3_closed", "(二)申请办结数", "件", indent=1),
        Cell("a3_closed_on_time", "1.按时办结数", "件", indent=2),
        Cell("a3_closed_extended", "2.延期办结数", "件", indent=2),
        Cell("a3_answered", "(三)申请答复数", "件", indent=1),
        Cell("a3_ans_already_public", "1.属于已主动公开范围数", "件", indent=2),
        Cell("a3_ans_granted", "2.同意公开答复数", "件", indent=2),
        Cell("a3_ans_partial", "3.同意部分公开答复数", "件", indent=2),
        Cell("a3_ans_refused", "4.不同意公开答复数", "件", indent=2),
        Cell("a3_ref_state_secret", "其中:涉及国家秘密", "件", indent=3),
        Cell("a3_ref_trade_secret", "涉及商业秘密", "件", indent=3),
        Cell("a3_ref_privacy", "涉及个人隐私", "件", indent=3),
        Cell(
            "a3_ref_security",
            "危及国家安全、公共安全、经济安全和社会稳定",
            "件",
            indent=3,
        ),
        Cell("a3_ref_not_gov_info", "不是《条例》所指政府信息", "件", indent=3),
        Cell("a3_ref_other_law", "法律法规规定的其他情形", "件", indent=3),
        Cell("a3_ans_not_this_agency", "5.不属于本行政机关公开数", "件", indent=2),
        Cell("a3_ans_not_exist", "6.申请信息不存在数", "件", indent=2),
        Cell("a3_ans_amend", "7.告知作出更改补充数", "件", indent=2),
        Cell("a3_ans_other_channel", "8.告知通过其他途径办理数", "件", indent=2),
        # 四 and 五 have items with the same wording ("被依法纠错数"), so their
        # items carry a name that says which section a message is about.
        Cell("a4_reviews", "四、行政复议数量", "件", indent=0),
        Cell(
            "a4_rev_upheld",
            "(一)维持具体行政行为数",
            "件",
            indent=1,
            name="行政复议维持具体行政行为数",
        ),
        Cell(
            "a4_rev_corrected",
            "(二)被依法纠错数",
            "件",
            indent=1,
            variants=("(二)依法纠错数",),
            name="行政复议被依法纠错数",
        ),
        Cell(
            "a4_rev_other",
            "(三)其他情形数",
            "件",
            indent=1,
            name="行政复议其他情形数",
        ),
        Cell("a5_suits", "五、行政诉讼数量", "件", indent=0),
        Cell(
            "a5_suit_upheld",
            "(一)维持具体行政行为或者驳回原告诉讼请求数",
            "件",
            indent=1,
            name="行政诉讼维持具体行政行为或者驳回原告诉讼请求数",
        ),
        Cell(
            "a5_suit_corrected",
            "(二)被依法纠错数",
            "件",
            indent=1,
            variants=("(二)依法纠错数",),
            name="行政诉讼被依法纠错数",
        ),
        Cell(
            "a5_suit_other",
            "(三)其他情形数",
            "件",
            indent=1,
            name="行政诉讼其他情形数",
        ),
        Cell("a6_complaints", "六、举报投诉数量", "件", indent=0),
        Cell(
            "a7_fees",
            "七、依申请公开信息收取的费用",
            "万元",
            AMOUNT,
            indent=0,
        ),
        Header("八、机构建设和保障经费情况", 0),
        Cell("a8_offices", "(一)政府信息公开工作专门机构数", "个", indent=1),
        Cell("a8_reading_points", "(二)设置政府信息公开查阅点数", "个", indent=1),
        Cell(
            "a8_staff",
            "(三)从事政府信息公开工作人员数",
            "人",
            indent=1,
            variants=("(三)从事政府信息公开工作人数员",),
        ),
        Cell(
            "a8_staff_fulltime",
            "1.专职人员数(不包括政府公报及政府网站工作人员数)",
            "人",
            indent=2,
            variants=("1.专职人员数",),
        ),
        Cell("a8_staff_parttime", "2.兼职人员数", "人", indent=2),
        Cell(
            "a8_budget",
            "(四)政府信息公开专项经费"
            "(不包括用于政府公报编辑管理及政府网站建设维护等方面的经费)",
            "万元",
            AMOUNT,
            indent=1,
            variants=("(四)政府信息公开专项经费",),
        ),
        Header("九、政府信息公开会议和培训情况", 0),
        Cell(
            "a9_meetings",
            "(一)召开政府信息公开工作会议或专题会议数",
            "次",
            indent=1,
        ),
        Cell("a9_trainings", "(二)举办各类培训班数", "次", indent=1),
        Cell("a9_trainees", "(三)接受培训人员数", "人次", indent=1),
    ),
)

CHANNELS = ("a1_gazette", "a1_website", "a1_weibo", "a1_wechat", "a1_other")

RULES = (
    Compare(
        "a_received_sum",
        left=("a3_received",),
        right=(
            "a3_recv_in_person",
            "a3_recv_fax",
            "a3_recv_online",
            "a3_recv_letter",
        ),
    ),
    Compare(
        "a_closed_sum",
        left=("a3_closed",),
        right=("a3_closed_on_time", "a3_closed_extended"),
    ),
    Compare(
        "a_answered_sum",
        left=("a3_answered",),
        right=(
            "a3_ans_already_public",
            "a3_ans_granted",
            "a3_ans_partial",
            "a3_ans_refused",
            "a3_ans_not_this_agency",
            "a3_ans_not_exist",
            "a3_ans_amend",
            "a3_ans_other_channel",
        ),
    ),
    Compare(
        "a_refused_sum",
        left=("a3_ans_refused",),
        right=(
            "a3_ref_state_secret",
            "a3_ref_trade_secret",
            "a3_ref_privacy",
            "a3_ref_security",
            "a3_ref_not_gov_info",
            "a3_ref_other_law",
        ),
    ),
    Compare(
        "a_reviews_sum",
        left=("a4_reviews",),
        right=("a4_rev_upheld", "a4_rev_corrected", "a4_rev_other"),
    ),
    Compare(
        "a_suits_sum",
        left=("a5_suits",),
        right=("a5_suit_upheld", "a5_suit_corrected", "a5_suit_other"),
    ),
    Compare(
        "a_staff_sum",
        left=("a8_staff",),
        right=("a8_staff_fulltime", "a8_staff_parttime"),
    ),
    Compare("a_normative_part", left=("a1_normative",), op=Op.LE, right=("a1_total",)),
    Compare(
        "a_normative_issued",
        left=("a1_normative",),
        op=Op.LE,
        right=("a1_normative_issued",),
        severity=WARNING,
    ),
    Compare(
        "a_press_head_part", left=("a2_press_head",), op=Op.LE, right=("a2_press",)
    ),
    Compare(
        "a_interview_head_part",
        left=("a2_interview_head",),
        op=Op.LE,
        right=("a2_interview",),
    ),
    Compare(
        "a_channels_max",
        left=("a1_total",),
        op=Op.GE,
        right=CHANNELS,
        severity=WARNING,
        right_aggregate=Aggregate.MAX,
        explanation="多个渠道公开的相同信息只计1条，总数不应少于任一渠道",
    ),
    Compare(
        "a_channels_sum",
        left=("a1_total",),
        op=Op.LE,
        right=CHANNELS,
        severity=WARNING,
        explanation="每条信息至少经一个渠道公开",
    ),
    Compare(
        "a_closed_vs_received",
        left=("a3_closed",),
        op=Op.LE,
        right=("a3_received",),
        severity=WARNING,
        explanation="上年末收到的申请可能在本年办结，请核实",
    ),
    Compare(
        "a_answered_vs_closed",
        left=("a3_answered",),
        right=("a3_closed",),
        severity=WARNING,
    ),
    Compare(
        "a_trainees",
        left=("a9_trainees",),
        op=Op.GE,
        right=("a9_trainings",),
        severity=WARNING,
    ),
    TableYear("a_table_year"),
)

SECTIONS = (
    Section(
        "overview",
        "概述",
        variants=("基本情况", "总体情况", "政府信息公开主要工作概述", "基本工作情况"),
    ),
    Section("active", "主动公开政府信息情况", variants=("主动公开情况",)),
    Section("response", "回应解读情况", required=False),
    Section("application", "依申请公开政府信息情况", variants=("依申请公开情况",)),
    Section(
        "review",
        "行政复议、行政诉讼和举报投诉情况",
        required=False,
        variants=(
            "因政府信息公开申请行政复议、提起行政诉讼的情况",
            "行政复议诉讼和举报投诉情况",
            "因信息公开申请行政复议及提起诉讼情况",
            "行政复议与行政诉讼情况",
        ),
    ),
    Section(
        "institution",
        "机构建设、保障经费和培训会议情况",
        required=False,
        # Some reports split this section in two (seed 003: 六 and 七).
        variants=("机构建设和保障经费情况", "政府信息公开会议和培训情况"),
    ),
    Section(
        "problems",
        "存在的主要问题及改进情况",
        variants=(
            "工作存在的主要问题和改进情况",
            "存在问题及工作打算",
            "主要问题和下一步工作打算",
        ),
    ),
    Section("other", "其他需要报告的事项", required=False),
)

FORMAT = TableFormat(
    code="A",
    name="政府信息公开情况统计表（2018年及以前）",
    first_year=2008,
    last_year=2018,
    tables=(TABLE,),
    rules=RULES,
    sections=SECTIONS,
    title="政府信息公开情况统计表",
    title_variants=("政府信政息公开情况统计表", "政府信息公開情況統計表"),
    headlines={
        "主动公开政府信息数": ("a1_total",),
        "收到申请数": ("a3_received",),
        "行政复议数": ("a4_reviews",),
        "行政诉讼数": ("a5_suits",),
    },
)
