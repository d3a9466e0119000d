"""Label normalisation and matching: every official label, variants, context."""

import pytest

from reports.importers.labels import (
    HEADER,
    AmbiguousLabelError,
    LabelIndex,
    label_index,
    loose_key,
    normalise,
    numbering_agrees,
    numbering_of,
)
from reports.tables import get_format

A = get_format("A")
B = get_format("B")
B2019 = get_format("B2019")


@pytest.mark.parametrize(
    ("printed", "key"),
    [
        ("（一）收到申請數", "收到申请数"),
        ("\xa0\xa0\xa0\xa0 1、当面申请数", "当面申请数"),
        ("1.当面申请数", "当面申请数"),
        ("1．当面申请数", "当面申请数"),
        ("１、当面申请数", "当面申请数"),
        ("(一)收到申请数 |", "收到申请数|"),
        ("一、主动公开情况", "主动公开情况"),
        ("其中：涉及国家秘密", "涉及国家秘密"),
        ("其中:主要负责同志参加新闻发布会次数", "主要负责同志参加新闻发布会次数"),
        ("统 计 指 标", "统计指标"),
        ("政府信息公開情況統計表", "政府信息公开情况统计表"),
        ("3.危及“三安全一稳定”", "危及三安全一稳定"),
        (
            "(一)主动公开政府信息数 （不同渠道和方式公开相同信息计1条）",
            "主动公开政府信息数(不同渠道和方式公开相同信息计1条)",
        ),
    ],
)
def test_normalise(printed: str, key: str) -> None:
    assert normalise(printed) == key


def test_normalise_keeps_numbers_that_are_not_numbering() -> None:
    assert normalise("1.4万") == "1.4万"
    assert normalise("2017年度") == "2017年度"


def test_loose_key_drops_trailing_notes() -> None:
    assert (
        loose_key(
            normalise("(一)主动公开政府信息数(不同渠道和方式公开相同的信息列为1条)")
        )
        == "主动公开政府信息数"
    )
    assert loose_key(normalise("1.专职人员数(不包括政府公报及政")) == "专职人员数"
    assert loose_key("不是《条例》所指政府信息") == "不是条例所指政府信息"


def test_every_official_label_of_format_a_maps_to_its_code() -> None:
    index = label_index(A)
    context = None
    for row in index.rows:
        found = index.resolve(row.label, context=context)
        assert found == row, row.label
        expected = HEADER if row.is_header else row.codes[0]
        if row.label not in ("(二)被依法纠错数", "(三)其他情形数"):
            assert index.code_for(row.label) == expected
        context = row
    assert len([r for r in index.rows if not r.is_header]) == len(A.cells)


@pytest.mark.parametrize(
    ("printed", "code"),
    [
        ("(二)依法纠错数", None),  # ambiguous without context
        ("(三)从事政府信息公开工作人数员", "a8_staff"),
        ("(一)主动公开政府信息数(不同渠道和方式公开相同的信息列为1条)", "a1_total"),
        ("(一)主动公开政府信息数", "a1_total"),
        ("1.专职人员数", "a8_staff_fulltime"),
        ("（四）政府信息公开专项经费", "a8_budget"),
        ("危及国家安全、公共安全、经济安全和社会稳定", "a3_ref_security"),
        ("（一）主動公開政府信息數", "a1_total"),
        ("二、回应解读情况", HEADER),
        ("没有这个指标", None),
    ],
)
def test_variants(printed: str, code: object) -> None:
    assert label_index(A).code_for(printed) == code


def test_labels_under_two_sections_are_told_apart_by_context() -> None:
    index = label_index(A)
    reviews = index.resolve("(一)维持具体行政行为数")
    suits = index.resolve("(一)维持具体行政行为或者驳回原告诉讼请求数")
    assert reviews is not None and suits is not None
    with pytest.raises(AmbiguousLabelError):
        index.resolve("(二)被依法纠错数")
    corrected = index.resolve("(二)被依法纠错数", context=reviews)
    assert corrected is not None and corrected.codes == ("a4_rev_corrected",)
    corrected = index.resolve("(二)依法纠错数", context=suits)
    assert corrected is not None and corrected.codes == ("a5_suit_corrected",)
    other = index.resolve("(三)其他情形数", context=corrected)
    assert other is not None and other.codes == ("a5_suit_other",)
    section = index.resolve("五、行政诉讼数量")
    assert index.code_for("(三)其他情形数", context=section) == "a5_suit_other"
    # A row already seen is skipped in favour of the other one.
    first = index.resolve_key(
        "被依法纠错数", context=reviews, seen={"a4_rev_corrected"}
    )
    assert first is not None and first.codes == ("a5_suit_corrected",)


def test_format_b_rows_hold_every_cell_of_their_row() -> None:
    index = label_index(B)
    granted = index.resolve("(一)予以公开")
    assert granted is not None
    assert granted.codes == tuple(
        f"b3_granted__{c}" for c in ("np", "biz", "sci", "ngo", "law", "oth", "total")
    )
    other = index.resolve("3.其他")
    assert other is not None and other.codes[0] == "b3_other_other__np"
    rule = index.resolve("规章")
    assert rule is not None
    assert rule.codes == ("b2_rule_issued", "b2_rule_repealed", "b2_rule_in_force")
    after = index.resolve("复议后起诉")
    assert after is not None and after.codes[0] == "b4_suit_after_review_upheld"
    assert index.code_for("行政诉讼") is HEADER
    assert index.code_for("(三)不予公开") is HEADER
    assert index.is_furniture_key(normalise("自然人"))
    assert index.is_furniture_key(normalise("本年收费金额(单位:万元)"))
    cells = [c for row in index.rows for c in row.codes]
    assert sorted(cells) == sorted(B.cells)


def test_format_b2019_table_two() -> None:
    index = LabelIndex(B2019)
    row = index.resolve("其他对外管理服务事项")
    assert row is not None
    assert row.codes == (
        "b2t_other_services_prev_items",
        "b2t_other_services_change",
        "b2t_other_services_decisions",
    )
    other = index.resolve("(六)其他处理")
    assert other is not None and other.codes[0] == "b3_other__np"
    cells = [c for row in index.rows for c in row.codes]
    assert sorted(cells) == sorted(B2019.cells)


@pytest.mark.parametrize(
    ("line", "year"),
    [
        ("政府信息公开情况统计表", None),
        ("政府信政息公开情况统计表", None),
        ("政府信息公開情況統計表", None),
        ("湘西自治州2017年度政府信息公开情况统计表", 2017),
        ("政府信息公开情况统计表（2016年度）", 2016),
        ("附件1：政府信息公开情况统计表", None),
    ],
)
def test_title_matcher(line: str, year: int | None) -> None:
    match = label_index(A).title_of(line)
    assert match is not None
    assert match.table == ""
    assert match.year == year


@pytest.mark.parametrize(
    "line",
    [
        "详见《湘西自治州2017年度政府信息公开情况统计表》。",
        "本报告附有政府信息公开情况统计表。",
        "一、主动公开情况",
    ],
)
def test_title_matcher_refuses_sentences(line: str) -> None:
    assert label_index(A).title_of(line) is None


def test_format_b_table_titles() -> None:
    match = label_index(B).title_of("三、收到和处理政府信息公开申请情况")
    assert match is not None and match.table == "b3"
    assert label_index(A).title_of("三、收到和处理政府信息公开申请情况") is None


@pytest.mark.parametrize(
    ("printed", "number"),
    [("(三)不予公开", 3), ("三、本年度办理结果", 3), ("3.其他", 3), ("（十二）x", 12),
     ("二十一、x", 21), ("十、x", 10), ("12、x", 12), ("其他", None), ("2019年", None),
     ("十十、x", None), ("二三、x", None)],
)  # fmt: skip
def test_numbering_of(printed: str, number: int | None) -> None:
    assert numbering_of(printed) == number


def test_a_label_numbered_otherwise_is_not_the_row() -> None:
    """ "2.其他" (the first piece of "2.其他法律行政法规禁止公开") is not the
    row "3.其他"; a label printed without its numbering still is."""
    assert not numbering_agrees("2.其他", "3.其他")
    assert numbering_agrees("3、其他", "3.其他")
    assert numbering_agrees("其他", "3.其他")
    assert numbering_agrees("(七)其他", "其他")
