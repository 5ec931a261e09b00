"""Section 五 held against the published reports (register.py): length, structure, vocabulary, 内容雷同."""

import datetime as dt
import re

from conftest import HISTORY, SITE, finding, make_findings, make_resolved, make_snapshot
from register import violations

from reports.model import build_report_model
from reports.section_five import sentences
from tests.needs import reference_file

OLD_STYLE = ("经2026年12月4日全面抓取检查，网站34个栏目、1097个页面、11个附件中共有47个问题需要整改。一是网站存在触发单项否决的问题。"
             "经逐项比对检查指标，栏目不更新等2项情形已触及单项否决，按检查指标判定为不合格；二是「公示公告」最近一次更新为"
             "2026年6月2日，距检查日已185天，超出183天的更新时限；三是共有1个链接打开出错（http://127.0.0.1/x.html）。")


def text_of(model) -> tuple[str, str]:
    return model.section5.problems[0], model.section5.improvements[0]


def county_findings():
    """A county's week: stale 动态 columns behind a veto, blank columns, personal data, a misplaced article."""
    out = [finding("veto", "veto", "veto", None, f"{SITE}/", rule="UPD010",
                   title="栏目不更新（动态要闻、通知公告、政策文件类栏目未更新累计5个以上）",
                   observed={"columns": ["部门动态", "乡镇动态"]})]
    for i, name in enumerate(["部门动态", "乡镇动态"]):
        out.append(finding(f"s{i}", "stale_column", "major", {"name": name, "url": f"{SITE}/c{i}/"}, f"{SITE}/c{i}/",
                           rule="UPD001", title="动态要闻类栏目超过2周未更新",
                           observed={"age_days": 20 + i, "latest": "2023-01-10", "max_age_days": 14}))
    out.append(finding("b", "blank_column", "major", {"name": "规划计划", "url": f"{SITE}/ghjh/"}, f"{SITE}/ghjh/",
                       rule="UPD004", title="空白栏目", observed={"reason": "仅显示“暂无信息”"}))
    for i in range(3):
        out.append(finding(f"p{i}", "personal_data", "major", {"name": "通知公告", "url": f"{SITE}/tzgg/"},
                           f"{SITE}/tzgg/{i}.html", rule="PII002", title="公开信息中含有未脱敏的手机号码",
                           pii_type="mobile", observed={"doc_title": f"公示{i}", "document": "网页正文",
                                                        "examples": "138****5678", "pii_label": "手机号"}))
    out.append(finding("m", "category_mismatch", "minor", {"name": "政策解读", "url": f"{SITE}/zcjd/"},
                       f"{SITE}/zcjd/1.html", rule="CAT001", observed={"title": "任免通知", "expected_type": "人事信息"}))
    return out


def test_generated_sections_read_like_published_ones(model):
    last_year = reference_file("samples", "report_yunxian_2022.txt").read_text(encoding="utf-8")
    for m in (model, build_report_model(make_snapshot(), county_findings(), previous_section5=last_year)):
        problems, improvements = text_of(m)
        assert violations(problems, improvements, last_year) == [], (problems, improvements)


def test_checker_rejects_a_tool_log():
    found = violations(OLD_STYLE, "一是2026年12月11日前完成。", None)
    assert any("tool or verdict word" in v for v in found) and any("points" in v for v in found)


def test_veto_as_what_it_is_and_counts_without_unverified():
    model = build_report_model(make_snapshot(), county_findings())
    problems, improvements = text_of(model)
    assert "动态要闻、通知公告等栏目更新不及时" in problems or "「部门动态」" in problems
    assert "「部门动态」" in problems and "「乡镇动态」" in problems and "「规划计划」" in problems
    assert "3条" in problems and "手机号码" in problems
    review = build_report_model(make_snapshot(), county_findings() + [
        finding("r", "personal_data", "major", {"name": "通知公告", "url": f"{SITE}/tzgg/"}, f"{SITE}/tzgg/9.html",
                pii_type="bank_card", needs_review=True, observed={"doc_title": "名册", "examples": "6222 ****"})])
    assert text_of(review)[0] == problems                               # 待核实 is not counted in section 五


def test_improvements_say_what_is_under_way_with_the_deadlines():
    model = build_report_model(make_snapshot(), county_findings())
    improvements = text_of(model)[1]
    veto_due = next(r.deadline for r in model.rows if r.veto_member)
    pii_due = next(r.deadline for r in model.rows if r.kind == "personal_data")
    assert f"{veto_due.month}月{veto_due.day}日前" in improvements and f"{pii_due.month}月{pii_due.day}日前" in improvements
    assert "正在" in improvements and "已整改" not in improvements
    assert "删除或归并" in improvements and "恢复正常更新" not in improvements
    assert re.search(r"[三四五]是(健全|完善|坚持)", improvements)          # standing measures last


def test_resolved_problems_turn_into_done():
    findings = county_findings()
    fixed = [f for f in findings if f.kind == "personal_data"]
    for f in fixed:
        f.status = "resolved"
    model = build_report_model(make_snapshot(), [f for f in findings if f not in fixed], resolved=fixed)
    problems, improvements = text_of(model)
    assert "手机号码" not in problems
    assert "已撤下" in improvements


def test_no_sentence_repeats_previous_report():
    first = build_report_model(make_snapshot(), make_findings(), HISTORY, make_resolved())
    previous = "".join(text_of(first))
    second = build_report_model(make_snapshot(), make_findings(), HISTORY, make_resolved(),
                                previous_section5=previous)
    assert second.section5.repeated == []
    flat = previous.replace("\n", "")
    assert not [s for s in sentences("".join(text_of(second))) if s in flat]
    assert first.section5.overlap == 0.0 and first.section5.repeated == []


def test_clean_run_says_so():
    model = build_report_model(make_snapshot(), [])
    assert "未发现" in model.section5.problems[0]
    assert "是" in model.section5.improvements[0]


def test_deadline_beyond_the_calendar_is_noted():
    snapshot = make_snapshot()
    snapshot.as_of = dt.date(2026, 12, 24)
    model = build_report_model(snapshot, county_findings())
    assert "2027年" in model.deadline_note and "尚未公布" in model.deadline_note
    assert all(r.deadline.weekday() < 5 and (r.deadline.month, r.deadline.day) != (1, 1) for r in model.rows)


def test_images_that_do_not_show_are_not_called_links():
    """The demo of 2026-12-05: one dead link and three images not shown read '4个链接无法打开' in section 五,
    while the 整改清单 describes three of them as 图片无法正常显示."""
    def broken(i, title):
        return finding(f"l{i}", "broken_link", "minor", {"name": "通知公告", "url": f"{SITE}/tzgg/"},
                       f"{SITE}/tzgg/{i}.jpg", rule="LNK007" if "图片" in title else "LNK002", title=title)

    findings = [broken(0, "网页存在不可用链接")] + [broken(i, "网页存在无法显示的图片") for i in (1, 2, 3)]
    problems, improvements = text_of(build_report_model(make_snapshot(), findings))
    assert "1个链接无法打开" in problems and "3张图片无法显示" in problems and "4个链接" not in problems
    assert "1个失效链接" in improvements and "3张无法显示的图片" in improvements
    only_images = text_of(build_report_model(make_snapshot(), findings[1:]))
    assert "个链接无法打开" not in only_images[0] and "失效链接" not in only_images[1]
