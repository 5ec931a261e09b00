"""Section 五「存在的主要问题及改进情况」 in the register of published annual reports.

Real reports (云县 2022, 平潭 2021–2025, 沭阳 2025) give (一) and (二) together in 300–600 characters, three
to five points each (一是……二是……), with counts and column names but no addresses, no tool words and no
verdicts. (一) is filled from confirmed problems only (待核实 ones are not counted); (二) is written from the
整改清单 as it stands on the report date: 已整改 for rows a unit marked done, 正在整改/将于…前完成 for
the rest, standing measures last. When last year's section is given, each point takes the phrasing that
overlaps it least: the 年报格式 holds 内容雷同 reports to account (国办公开办函〔2021〕30号).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from crawler.records import Snapshot

if TYPE_CHECKING:
    from reports.model import FindingView, ReportModel, SectionFive  # noqa: F401

ORDINALS = "一二三四五六七八九十"
NGRAM = 6
DONE = "已整改"


def cn_date(value: Any) -> str:
    """2022-10-08 → 2022年10月8日 (accepts a date or an ISO string)."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return ""


def names(items: Sequence[str], limit: int = 3) -> str:
    """「甲」「乙」等N个 — at most `limit` names, then the count when some are left out."""
    shown = "".join(f"「{n}」" for n in items[:limit])
    return f"{shown}等{len(items)}个" if len(items) > limit else shown


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"[。；;！？\n]", text) if len(s.strip()) >= 4]


def _grams(text: str) -> set[str]:
    text = re.sub(r"\s+", "", text)
    return {text[i:i + NGRAM] for i in range(max(len(text) - NGRAM + 1, 1))}


def containment(sentence: str, previous_grams: set[str]) -> float:
    """Share of the sentence's character 6-grams that also occur in the previous text."""
    grams = _grams(sentence)
    return len(grams & previous_grams) / len(grams) if grams else 0.0


class _Picker:
    """Chooses one phrasing per slot: rotated by a seed, or least overlapping the previous text."""

    def __init__(self, seed: str, previous: str | None):
        self.seed = int(hashlib.sha256(seed.encode()).hexdigest()[:8], 16)
        self.previous = re.sub(r"\s+", "", previous or "")
        self.grams = _grams(self.previous) if previous else set()
        self.slot = 0

    def __call__(self, *variants: str) -> str:
        self.slot += 1
        order = [variants[(self.seed + self.slot + i) % len(variants)] for i in range(len(variants))]
        if not self.grams:
            return order[0]
        return min(order, key=self._score)

    def _score(self, variant: str) -> tuple[bool, float, float]:
        """Verbatim repeats first, then the worst and the mean sentence overlap."""
        parts = sentences(variant)
        scores = [containment(s, self.grams) for s in parts] or [0.0]
        verbatim = any(re.sub(r"\s+", "", s) in self.previous for s in parts)
        return verbatim, max(scores), sum(scores) / len(scores)


GROUP_OF_KIND = {"stale_column": "update", "blank_column": "update", "undated_column": "update",
                 "homepage_stale": "update", "personal_data": "privacy", "weak_masking": "privacy",
                 "category_mismatch": "norms", "broken_link": "norms", "future_date": "norms"}
GROUP_ORDER = ("update", "privacy", "norms")


def _short_date(day: dt.date, as_of: dt.date) -> str:
    return f"{day.month}月{day.day}日" if day.year == as_of.year else cn_date(day)


def _groups(model: ReportModel, with_resolved: bool = False) -> dict[str, list]:
    """Confirmed rectification rows per problem group (待核实 rows are never counted here).

    With `with_resolved`, problems of the previous list that the re-check no longer finds join their
    group as 已整改: (二) tells what has been done as well as what is under way.
    """
    out: dict[str, list] = {}
    for row in model.rows:
        group = GROUP_OF_KIND.get(row.kind)
        if group and not row.needs_review:
            out.setdefault(group, []).append(row)
    if with_resolved:
        for f in model.resolved:
            group = GROUP_OF_KIND.get(f.kind)
            if group and not f.needs_review:
                out.setdefault(group, []).append(SimpleNamespace(
                    kind=f.kind, status=DONE, veto_member=False, column=f.column_name, deadline=None,
                    title=f.title, description=f.message, evidence=f.evidence, url=f.url))
    return out


def _update_problem(rows: list, model: ReportModel, pick: _Picker) -> str:
    dynamic = [r.column for r in rows if r.kind == "stale_column" and "动态" in (r.title + r.description)]
    notice = [r.column for r in rows if r.kind == "stale_column" and r.column not in dynamic]
    blank = [r.column for r in rows if r.kind == "blank_column"]
    undated = [r.column for r in rows if r.kind == "undated_column"]
    parts = []
    if dynamic:
        parts.append(f"{names(dynamic)}动态类栏目超过两周未更新")
    if notice:
        parts.append(f"{names(notice)}栏目超过规定时限未更新")
    if blank:
        parts.append(f"{names(blank)}栏目长期空白")
    if undated:
        parts.append(f"{names(undated)}栏目信息未标注发布日期")
    lead = pick("动态要闻、通知公告等栏目更新不及时", "部分栏目更新维护不够及时", "栏目日常维护存在短板")
    return f"{lead}，" + "，".join(parts)


def _privacy_problem(rows: list, pick: _Picker) -> str:
    labels: list[str] = []
    for r in rows:
        label = {"id_card": "身份证号码", "mobile": "手机号码", "bank_card": "银行卡号", "address": "家庭住址"}.get(
            _pii_type(r), "个人信息")
        if label not in labels:
            labels.append(label)
    places = len({_article(r) for r in rows})
    lead = pick("个人信息保护不够到位", "公示信息发布前审核把关不严", "个人信息保护意识有待增强")
    return f"{lead}，{places}条公示信息及附件未对{'、'.join(labels[:3])}作去标识化处理"


def _pii_type(row) -> str:
    text = row.title + row.description
    for key, words in (("id_card", ("身份", "公民身份号码")), ("mobile", ("手机",)), ("bank_card", ("银行卡", "账")),
                       ("address", ("住址",))):
        if any(w in text for w in words):
            return key
    return ""


def _article(row) -> str:
    """The article a personal-data row sits in (several values in one article are one place)."""
    match = re.match(r"《[^》]*》", row.evidence or "")
    return match.group(0) if match else row.url


def _is_image(row) -> bool:
    """A broken_link row about an image (LNK006/LNK007 '…无法显示的图片'): a picture not shown, not a link."""
    return row.kind == "broken_link" and "图片" in (row.title or "")


def _broken_parts(rows: list, link_words: str, image_words: str) -> list[str]:
    """'1个链接无法打开', '3张图片无法显示': links and images counted apart, as the 整改清单 describes them."""
    images = sum(1 for r in rows if _is_image(r))
    links = sum(1 for r in rows if r.kind == "broken_link") - images
    return [x for x in (link_words.format(links) if links else "", image_words.format(images) if images else "") if x]


def _norms_problem(rows: list, pick: _Picker) -> str:
    mismatch = [r for r in rows if r.kind == "category_mismatch"]
    future = [r for r in rows if r.kind == "future_date"]
    parts = []
    if mismatch:
        columns = list(dict.fromkeys(r.column for r in mismatch))
        parts.append(f"{names(columns, 2)}栏目有{len(mismatch)}条信息与栏目定位不符")
    if future:
        parts.append(f"{len(future)}条信息发布日期标注有误")
    parts += _broken_parts(rows, "{}个链接无法打开", "{}张图片无法显示")
    lead = pick("信息发布规范性有待加强", "信息归类和链接维护不够规范", "内容发布规范化水平有待提升")
    return f"{lead}，" + "，".join(parts)


def _state(rows: list, model: ReportModel) -> tuple[str, str]:
    """(done | partly | open, the latest deadline of the rows not yet done)."""
    left = [r for r in rows if r.status != DONE]
    if not left:
        return "done", ""
    last = max((r.deadline for r in left if r.deadline), default=None)
    when = f"将于{_short_date(last, model.as_of)}前完成" if last else "正在抓紧整改"
    if last and last < model.as_of:      # deadlines run from the day found: a problem left open is overdue
        when = "已超过整改时限，正在督促责任单位加快整改"
    return ("partly" if len(left) < len(rows) else "open"), when


def _update_measure(rows: list, model: ReportModel, pick: _Picker) -> str:
    state, when = _state(rows, model)
    blank = any(r.kind == "blank_column" for r in rows)
    done = sum(1 for r in rows if r.status == DONE)
    tail = "，空白栏目已删除或归并" if blank else ""
    if state == "done":
        return pick(f"对更新不及时的{len(rows)}个栏目已补发信息、恢复更新{tail}",
                    f"已督促责任单位补充更新{len(rows)}个栏目{tail}")
    if state == "partly":
        return pick(f"栏目更新问题已整改{done}个，其余{len(rows) - done}个正在整改，{when}",
                    f"{len(rows)}个栏目中已有{done}个整改到位，其余正在整改，{when}")
    veto = [r for r in rows if r.veto_member]
    rest = [r for r in rows if not r.veto_member]
    blank_part = "，空白栏目予以删除或归并" if blank else ""
    if veto and rest:
        first = _state(veto, model)[1]
        return pick(f"正在督促责任单位补发信息{blank_part}，动态要闻、通知公告等{len(veto)}个栏目{first}，"
                    f"其余{len(rest)}个栏目{when}",
                    f"动态要闻、通知公告等{len(veto)}个栏目正在补充更新{blank_part}，{first}，其余{len(rest)}个栏目{when}")
    return pick(f"对更新不及时的{len(rows)}个栏目正在督促责任单位补发信息{blank_part}，{when}",
                f"正在组织责任单位补充更新{len(rows)}个栏目{blank_part}，{when}")


def _privacy_measure(rows: list, model: ReportModel, pick: _Picker) -> str:
    state, when = _state(rows, model)
    places = len({_article(r) for r in rows})
    if state == "done":
        return pick(f"涉及个人信息的{places}条公示信息已撤下，按最小必要原则处理后重新发布",
                    f"已撤下{places}条含个人信息的公示信息，去标识化处理后重新发布")
    if state == "partly":
        done = len({_article(r) for r in rows if r.status == DONE})
        return pick(f"涉及个人信息的公示信息已处理{done}条，其余正在撤下处理，{when}",
                    f"已撤下{done}条含个人信息的公示信息，其余{when}")
    return pick(f"涉及个人信息的{places}条公示信息正在撤下，{when}，并按最小必要原则重新发布",
                f"正在撤下{places}条含个人信息的公示信息，{when}，去标识化处理后重新发布")


def _norms_measure(rows: list, model: ReportModel, pick: _Picker) -> str:
    state, when = _state(rows, model)
    mismatch = sum(1 for r in rows if r.kind == "category_mismatch")
    future = sum(1 for r in rows if r.kind == "future_date")
    what = "、".join(x for x in (f"{mismatch}条归类不当的信息" if mismatch else "",
                                 f"{future}条日期有误的信息" if future else "",
                                 *_broken_parts(rows, "{}个失效链接", "{}张无法显示的图片")) if x)
    if state == "done":
        return pick(f"{what}已调整、修复到位", f"已完成{what}的调整和修复")
    if state == "partly":
        return pick(f"{what}已部分调整到位，其余{when}", f"{what}正在调整，部分已完成，其余{when}")
    return pick(f"{what}正在调整、修复，{when}", f"正在调整{what}，{when}")


STANDING = (
    "健全信息发布审核和栏目日常巡查机制，落实发布前个人信息保护审查，明确各栏目责任单位和更新要求",
    "完善栏目常态化巡查和信息发布前审核制度，压实各栏目责任单位的更新维护责任",
    "坚持问题导向，健全日常监测、定期通报和限期整改机制，推动网站内容保障常态化",
)


MECHANISM = (
    "日常巡查和信息发布审核机制仍需完善，问题发现和整改的及时性有待提高",
    "栏目日常监测和发布前审核还不够到位，常态化管理机制有待健全",
)
TRAINING = (
    "加强政务公开业务培训，提升各责任单位信息发布和个人信息保护的能力水平",
    "加强对各责任单位网站维护人员的业务指导和培训，提升信息发布规范化水平",
)


def _numbered(items: Sequence[str]) -> str:
    parts = [f"{ORDINALS[i] if i < len(ORDINALS) else i + 1}是{text}" for i, text in enumerate(items)]
    return "。".join(parts) + "。" if parts else ""


def compose_section_five(model: ReportModel, snapshot: Snapshot, previous: str | None = None) -> SectionFive:
    """Build the two paragraphs of section 五 and measure their overlap with `previous`."""
    from reports.unexamined import STATUS_NOT_EXAMINED, section_five

    if model.status == STATUS_NOT_EXAMINED:
        return section_five(model)
    from reports.model import SectionFive

    pick = _Picker(f"{model.site_url}|{model.as_of.isoformat()}", previous)
    groups = _groups(model)
    done_too = _groups(model, with_resolved=True)
    problems, measures = [], []
    builders = {"update": (lambda r: _update_problem(r, model, pick), lambda r: _update_measure(r, model, pick)),
                "privacy": (lambda r: _privacy_problem(r, pick), lambda r: _privacy_measure(r, model, pick)),
                "norms": (lambda r: _norms_problem(r, pick), lambda r: _norms_measure(r, model, pick))}
    for group in GROUP_ORDER:
        problem, measure = builders[group]
        if groups.get(group):
            problems.append(problem(groups[group]))
        if done_too.get(group):
            measures.append(measure(done_too[group]))
    measures.append(pick(*STANDING))
    if problems and len(problems) < 3:
        # Published sections give at least three points; the third is the mechanism the problems point to.
        problems.append(pick(*MECHANISM))
    if len(measures) < 3:
        measures.append(pick(*TRAINING))
    year = model.as_of.year
    if problems:
        intro = pick(f"{year}年，本网站政务公开和运维管理工作取得一定成效，但对照检查指标和群众需求，仍存在一些不足：",
                     f"{year}年，网站信息发布和运维保障工作稳步推进，但对照检查指标要求，仍存在以下问题：",
                     f"经自查，{year}年本网站运行维护总体平稳，但对照检查指标，仍存在一些短板：")
        problem_text = intro + _numbered(problems)
    else:
        problem_text = pick("经自查，未发现栏目更新、信息发布和个人信息保护方面的突出问题。",
                            "本次自查未发现栏目更新、信息归类和个人信息保护方面的明显问题。")
    lead = pick("针对上述问题，我们坚持问题导向，明确责任单位和整改时限，逐项抓好整改：",
                "针对存在的问题，按照“谁发布、谁负责”的原则，逐项明确责任单位和整改时限：",
                "针对上述问题，我们逐项建立整改台账，明确责任单位和完成时限，整改情况如下：")
    improvement_text = lead + _numbered(measures)
    facts = {"groups": {g: len(rows) for g, rows in groups.items()}, "needs_review": len(model.review),
             "states": {g: _state(rows, model)[0] for g, rows in groups.items()}}
    overlap, repeated = 0.0, []
    if previous:
        grams = _grams(re.sub(r"\s+", "", previous))
        flat = re.sub(r"\s+", "", previous)
        for s in sentences(problem_text + "。" + improvement_text):
            overlap = max(overlap, containment(s, grams))
            if re.sub(r"\s+", "", s) in flat:
                repeated.append(s)
    return SectionFive([problem_text], [improvement_text], facts, round(overlap, 3), repeated)
