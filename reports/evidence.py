"""问题描述 and 证据 of one rectification row: the claim, and separately what proves it.

证据 never repeats 问题描述: the description says what is wrong; the evidence names the article, the file,
the sheet and cell or page, and the masked values or dates that show it. A claim the stored evidence cannot
show (an address 详细至门牌号 behind a masked value) is put as a question for 核实, not as a fact.
"""

from __future__ import annotations

import re

from crawler.records import Snapshot
from reports.guard import clean
from reports.model import FindingView
from reports.section_five import cn_date

EXAMPLES = re.compile(r"（示例：.*）")            # greedy: examples carry their own （第3段）


def _document(f: FindingView, snapshot: Snapshot) -> str:
    """《article title》附件「file」 — where a personal-data finding sits."""
    title = f.observed.get("doc_title") or ""
    document = str(f.observed.get("document") or "")
    where = f"《{title}》" if title else ""
    if document.startswith("附件"):
        where += document
    elif document:
        where += document if not title else "正文"
    return where                                # the address itself is the row's 位置, not evidence


BIRTH = range(7, 15)            # positions 7-14 of an ID: the date of birth (7-10 the year)


def _spans(f: FindingView) -> list[tuple[int, int]]:
    """The visible position ranges the privacy check recorded ("1-10,17-18"), else from head/tail counts."""
    spans = []
    for part in str(f.observed.get("visible_spans") or "").split(","):
        a, _, b = part.partition("-")
        if a.isdigit() and b.isdigit():
            spans.append((int(a), int(b)))
    head, tail = f.observed.get("visible_head"), f.observed.get("visible_tail")
    if not spans and isinstance(head, int) and isinstance(tail, int):
        spans = [s for s in ((1, head), (19 - tail, 18)) if s[1] >= s[0]]
    return spans


def _visible(f: FindingView) -> str:
    """Which positions the page leaves visible (the values shown here stay masked to 2+3)."""
    spans = _spans(f)
    if not spans:
        return "页面未遮蔽全部出生日期位"
    shown = {p for a, b in spans for p in range(a, b + 1)}
    if set(BIRTH) <= shown:
        birth = "（含完整出生日期）"
    elif set(range(7, 11)) <= shown:
        birth = "（含出生年份）"
    else:
        birth = "（含出生日期部分数字）" if shown & set(BIRTH) else ""
    parts = []
    for a, b in spans:
        part = f"前{b}位" if a == 1 else f"后{b - a + 1}位" if b == 18 else f"第{a}位" if a == b else f"第{a}至{b}位"
        if birth and set(range(a, b + 1)) & set(BIRTH):
            part, birth = part + birth, ""
        parts.append(part)
    return "页面显示" + ("、".join(parts[:-1]) + "和" + parts[-1] if len(parts) > 1 else parts[0])


# How a hidden link is hidden, as crawler/extract/hidden.py names it, in words a clerk reads.
HIDING_TERMS = {"display:none": "样式设为不显示", "visibility:hidden": "样式设为不可见", "off-screen": "移出页面可视区域",
                "zero-size": "尺寸设为零", "font-size:0": "字号设为零", "hidden": "设为隐藏"}
HIDING = re.compile(r"（(" + "|".join(re.escape(k) for k in sorted(HIDING_TERMS, key=len, reverse=True)) + r")）")


def plain_terms(text: str) -> str:
    """Technical labels inside a finding's text (（off-screen）) put in Chinese: the reports carry no English terms."""
    return HIDING.sub(lambda m: f"（{HIDING_TERMS[m.group(1)]}）", text or "")


def describe(f: FindingView, snapshot: Snapshot) -> tuple[str, str]:
    """(问题描述, 证据) for one finding; both masked, technical labels in Chinese."""
    description, evidence = _describe(f, snapshot)
    # Page text keeps a tab between table cells (for the privacy check); a report line shows a space.
    return plain_terms(description.replace("\t", " ")), plain_terms(evidence.replace("\t", " "))


def _annual(f: FindingView, message: str) -> tuple[str, str]:
    """An annual-report finding whose check names its place twice (表三「自然人」栏：表三「自然人」栏：…) says it once;
    a bare row of figures as evidence says which row it is."""
    place = (f.location or "").strip()
    if place:
        message = message.replace(f"{place}：{place}", place)
    evidence = f.evidence if f.evidence and f.evidence not in message else ""
    if evidence and place and re.fullmatch(r"[\d\s.,，、%-]+", evidence):
        evidence = f"{place}所列数字：{' '.join(evidence.split())}"      # table cells arrive tab-separated
    return message, evidence or "—"


def _describe(f: FindingView, snapshot: Snapshot) -> tuple[str, str]:
    o = f.observed
    message = f.message or f.title
    if f.kind in ("personal_data", "weak_masking"):
        examples = str(o.get("examples") or f.evidence or "").replace("、", "；")
        where = _document(f, snapshot)
        count = o.get("count") or f.count
        label = o.get("pii_label") or "个人信息"
        if f.pii_type == "address":
            description = (f"{where or '页面'}公开了{count}处家庭住址，需核实是否详细至村（社区）、门牌号"
                           "（按规定仅公开至乡镇、街道）。")
        elif f.kind == "weak_masking":
            description = f"{where or '页面'}中{count}个{label}遮蔽不足，出生日期未完全隐去。"
            examples += f"（{_visible(f)}；本报告中号码统一按前2位、后3位遮蔽）"
        else:
            description = EXAMPLES.sub("", message)
        return clean(description), clean(f"{where}：{examples}" if where and examples else examples or where or "—")
    if f.kind == "stale_column":
        latest = cn_date(o.get("latest")) or "未知"
        limit = o.get("max_age_days")
        evidence = f"最近一条信息发布于{latest}，距检查日{o.get('age_days')}天" + (f"（时限{limit}天）" if limit else "")
        return message, evidence
    if f.kind == "blank_column":
        return f"栏目「{f.column_name}」为空白栏目。", f"栏目页面{o.get('reason') or '无任何信息'}"    # the address is 位置
    if f.kind == "undated_column":
        return (f"栏目「{f.column_name}」的信息未标注发布日期，视为不更新。",
                f"栏目列表{o.get('items', '')}条信息均无可识别的发布日期")
    if f.kind == "future_date":
        source = {"meta": "页面元数据", "text": "正文", "list": "栏目列表", "url": "网址"}.get(o.get("published_source"), "页面")
        return ("信息标注的发布日期晚于检查日期，需核实是否日期填写错误或伪造发稿日期。",
                f"《{o.get('page_title', '')}》{source}标注发布日期{cn_date(o.get('published'))}，检查日为{cn_date(snapshot.as_of)}")
    if f.kind == "category_mismatch":
        title = o.get("title") or ""
        expected = o.get("expected_type") or o.get("predicted") or ""
        target = f"（本站对应栏目：{o['expected_column']}）" if o.get("expected_column") else ""
        description = (f"「{f.column_name}」栏目发布的《{title}》与栏目类别不符，应归入「{expected}」类栏目{target}。"
                       if title and expected else message)
        reason = str(o.get("reason") or f.evidence or "")
        reason = reason.split("；按本站")[0]
        return clean(description), clean(reason or "—")
    if f.kind == "broken_link":
        sources = o.get("sources") or []
        page = next((p for p in snapshot.pages() if sources and p.url == sources[0]), None)
        where = f"《{page.title}》" if page is not None and page.title else ""
        what = ("图片", "无法正常显示", "失效图片") if o.get("link_kind") == "image" else ("链接", "无法正常访问", "失效链接")
        description = f"页面中的{what[0]}{what[1]}（{o.get('problem') or '无法打开'}）。"
        return description, clean(f"{what[0]}所在页面{where}：{sources[0] if sources else ''}；{what[2]}：{o.get('target', f.url)}")
    if f.kind == "annual_report":
        return _annual(f, message)
    evidence = f.evidence if f.evidence and f.evidence not in message else "—"
    return message, evidence
