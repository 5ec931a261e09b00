"""Section 五「存在的主要问题及改进情况」 composed from the findings, in the 一是……；二是…… register.

Every sentence is filled from facts (column names, dates, counts); phrasing varies between runs
and, when last year's section is given, each sentence takes the variant that overlaps it least —
the 年报格式 holds 内容雷同 reports to account (国办公开办函〔2021〕30号).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from crawler.records import Snapshot
from reports.labels import kind_label, pii_label
from reports.model import limit_for

if TYPE_CHECKING:
    from reports.model import FindingView, ReportModel, SectionFive  # noqa: F401

ORDINALS = "一二三四五六七八九十"
NGRAM = 6
ATTACHMENT_SUFFIXES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".et", ".wps", ".csv", ".txt", ".zip", ".rar",
                       ".ofd", ".ceb")


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


def names(items: Sequence[str], limit: int = 4) -> str:
    """「甲」「乙」「丙」等N个 — at most `limit` names, then a count."""
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


def _is_attachment(f: FindingView, attachment_urls: set[str]) -> bool:
    url = (f.url or "").lower()
    return url in attachment_urls or url.split("?")[0].endswith(ATTACHMENT_SUFFIXES)


GROUPS = {"veto": ("veto",), "personal_data": ("personal_data", "weak_masking"),
          "stale_column": ("stale_column", "blank_column", "undated_column", "future_date", "homepage_stale"),
          "category_mismatch": ("category_mismatch",), "broken_link": ("broken_link",)}


def _group_deadlines(model: ReportModel) -> dict[str, str]:
    """The earliest 整改时限 among the rectification rows of each problem group."""
    out: dict[str, str] = {}
    for group, kinds in GROUPS.items():
        dates = [r.deadline for r in model.rows if r.kind in kinds and r.deadline]
        if group == "veto":
            dates += [r.deadline for r in model.rows if r.severity == "veto" and r.deadline]
        if dates:
            out[group] = min(dates).isoformat()
    return out


def _facts(model: ReportModel, snapshot: Snapshot) -> dict[str, Any]:
    open_ = model.open_findings
    by_kind: dict[str, list] = {}
    for f in open_:
        by_kind.setdefault(f.kind, []).append(f)
    stale = []
    for f in by_kind.get("stale_column", []):
        record = snapshot.column((f.column or {}).get("url"))
        latest = f.observed.get("latest") or (record.latest.isoformat() if record and record.latest else None)
        stale.append({"name": f.column_name, "latest": latest, "age_days": f.observed.get("age_days"),
                      "limit": limit_for(f, snapshot)})
    stale.sort(key=lambda s: -(s["age_days"] or 0))
    attachment_urls = {a.url.lower() for a in snapshot.attachments()}
    pii = by_kind.get("personal_data", [])
    pii_pages = {f.url for f in pii if not _is_attachment(f, attachment_urls)}
    pii_attachments = {f.url for f in pii if _is_attachment(f, attachment_urls)}
    pii_types: Counter = Counter()
    for f in pii:
        pii_types[pii_label(f.pii_type)] += f.count
    mismatch = by_kind.get("category_mismatch", [])
    # Page-level findings (one article each) and column-level ones (count = misplaced articles) may
    # describe the same articles; a column's count is used only when it has no page-level findings.
    page_level = [f for f in mismatch if f.url != (f.column or {}).get("url")]
    covered = {(f.column or {}).get("url") for f in page_level}
    page_ids = {id(f) for f in page_level}
    mismatch_total = len(page_level) + sum(f.count for f in mismatch
                                           if id(f) not in page_ids and (f.column or {}).get("url") not in covered)
    mismatch_columns = Counter(f.column_name for f in mismatch if f.column_name)
    mismatch_kinds = Counter(str(f.observed.get("predicted") or f.observed.get("expected_type") or "")
                             for f in mismatch)
    mismatch_kinds.pop("", None)
    resolved_by_kind = Counter(f.kind for f in model.resolved)
    return {
        "year_of_check": model.as_of.year, "as_of": model.as_of.isoformat(),
        "columns_checked": len(model.columns), "pages": model.run.get("pages", 0),
        "attachments": model.run.get("attachments", 0), "open": len(open_),
        "veto_items": list(model.verdict.triggered),
        "stale": stale, "blank": sorted({f.column_name for f in by_kind.get("blank_column", []) if f.column_name}),
        "undated": sorted({f.column_name for f in by_kind.get("undated_column", []) if f.column_name}),
        "homepage_stale": [f.observed.get("age_days") for f in by_kind.get("homepage_stale", [])],
        "future_date": sum(f.count for f in by_kind.get("future_date", [])),
        "mismatch": mismatch_total, "mismatch_columns": mismatch_columns.most_common(),
        "mismatch_kinds": mismatch_kinds.most_common(),
        "pii_pages": len(pii_pages), "pii_attachments": len(pii_attachments),
        "pii_types": pii_types.most_common(), "weak_masking": sum(f.count for f in by_kind.get("weak_masking", [])),
        "weak_masking_places": len({f.url for f in by_kind.get("weak_masking", [])}),
        "weak_types": Counter(pii_label(f.pii_type) for f in by_kind.get("weak_masking", [])).most_common(),
        "broken_links": sum(f.count for f in by_kind.get("broken_link", [])),
        "resolved": len(model.resolved), "resolved_by_kind": dict(resolved_by_kind),
        "resolved_columns": sorted({f.column_name for f in model.resolved if f.column_name}),
        "persisting": sum(1 for f in open_ if f.status == "persisting"),
        "group_deadline": _group_deadlines(model),
    }


def _problems(fx: dict, pick: _Picker) -> list[tuple[str, str]]:
    """(kind, text) per problem, most serious first; theme and details are phrased independently."""
    out: list[tuple[str, str]] = []

    def add(kind: str, themes: tuple[str, ...], details: tuple[str, ...]) -> None:
        out.append((kind, pick(*themes) + "。" + pick(*details)))

    if fx["veto_items"]:
        items, n = "、".join(fx["veto_items"]), len(fx["veto_items"])
        add("veto", ("网站存在触发单项否决的问题", "单项否决指标存在短板", "网站运维存在否决性风险"),
            (f"本次自查发现{items}，共{n}项单项否决指标未达标",
             f"经逐项比对检查指标，{items}等{n}项情形已触及单项否决",
             f"对照检查指标，{n}项单项否决情形被触发，即{items}"))
    if fx["pii_pages"] or fx["pii_attachments"] or fx["weak_masking"]:
        kinds = "、".join(f"{label}{n}处" for label, n in fx["pii_types"]) or "个人信息"
        where = "、".join(x for x in (f"网页{fx['pii_pages']}个" if fx["pii_pages"] else "",
                                      f"附件{fx['pii_attachments']}个" if fx["pii_attachments"] else "") if x)
        weak_types = "、".join(label for label, _ in fx["weak_types"]) or "个人信息"
        weak = (f"{fx['weak_masking_places']}个页面或附件中有{fx['weak_masking']}处{weak_types}脱敏不到位，"
                "遮蔽后仍可识别部分个人信息" if fx["weak_masking"] else "")
        if where:
            details = (f"{where}公开了未经去标识化处理的{kinds}",
                       f"经扫描，{where}中含有完整的{kinds}，未作去标识化处理",
                       f"共有{where}直接公开{kinds}，个人信息未作遮蔽")
            details = tuple(d + (f"；另有{weak}" if weak else "") for d in details)
        else:
            details = (weak, f"经扫描，{weak}", f"自查中发现{weak}")
        add("personal_data", ("个人信息保护不够到位", "公示公开中的个人信息保护存在疏漏", "信息发布前的个人信息审查把关不严"),
            details)
    parts = []
    if fx["homepage_stale"]:
        age = fx["homepage_stale"][0]
        parts.append(f"首页已{age}天无新增信息" if age else "首页未及时更新")
    if fx["stale"]:
        forms = (
            lambda s: f"「{s['name']}」自{cn_date(s['latest'])}以来已{s['age_days']}天未更新"
            + (f"（要求不超过{s['limit']}天）" if s["limit"] else ""),
            lambda s: f"「{s['name']}」最近一次更新为{cn_date(s['latest'])}，距检查日已{s['age_days']}天"
            + (f"，超出{s['limit']}天的更新时限" if s["limit"] else ""),
            lambda s: f"「{s['name']}」已有{s['age_days']}天未发布信息（最近更新于{cn_date(s['latest'])}"
            + (f"，时限为{s['limit']}天）" if s["limit"] else "）"))
        listed = pick(*("，".join(form(s) for s in fx["stale"][:3]) for form in forms))
        more = f"，超期未更新栏目共{len(fx['stale'])}个" if len(fx["stale"]) > 3 else ""
        parts.append(listed + more)
    if fx["blank"]:
        parts.append(f"{names(fx['blank'])}栏目无任何信息，属于空白栏目")
    if fx["undated"]:
        parts.append(f"{names(fx['undated'])}栏目的信息未标注发布日期")
    if fx["future_date"]:
        parts.append(f"{fx['future_date']}条信息的发布日期晚于检查日期")
    if parts:
        detail, n = "，".join(parts), fx["columns_checked"]
        add("stale_column", ("栏目更新维护不够及时", "部分栏目长期疏于维护", "网站内容保障机制有待健全"),
            (f"本次共检查栏目{n}个，其中{detail}", f"在检查的{n}个栏目中，{detail}",
             f"经对{n}个栏目逐一核查，{detail}"))
    if fx["mismatch"]:
        where = names([name for name, _ in fx["mismatch_columns"]], 3)
        kinds = "、".join(k for k, _ in fx["mismatch_kinds"][:3])
        what = f"，主要应归入{kinds}类栏目" if kinds else ""
        n = fx["mismatch"]
        place = f"{where}栏目" if where else "相关栏目"
        add("category_mismatch", ("信息发布规范性有待加强", "信息归类不够准确", "栏目内容与定位存在偏差"),
            (f"{place}中有{n}条信息与栏目类别不吻合{what}", f"经比对，{place}存在{n}条内容与栏目定位不一致的信息{what}",
             f"{place}错放信息{n}条{what}"))
    if fx["broken_links"]:
        n = fx["broken_links"]
        add("broken_link", ("网站链接可用性有待提升", "部分链接失效", "链接巡检不够及时"),
            (f"自查发现{n}个链接无法正常访问", f"共有{n}个链接打开出错，影响群众查阅", f"检查中{n}个链接未能正常打开"))
    return out


_MEASURES = {
    "veto": (
        "立即对照单项否决指标逐项整改{items}，{deadline}前完成并经复查确认",
        "将{items}列为首要整改事项，限{deadline}前整改到位，整改后重新抓取核验",
        "针对{items}，由网站主办单位牵头于{deadline}前整改销号"),
    "personal_data": (
        "对涉及个人信息的页面和附件立即下架或作脱敏处理，{deadline}前完成，并将个人信息检查纳入发布前保密审查环节",
        "逐一处理已发现的个人信息暴露问题，{deadline}前完成删除或去标识化，公示类信息一律按最少化原则发布",
        "{deadline}前完成个人信息暴露页面和附件的撤换，建立公示公告发布前个人信息核查制度"),
    "stale_column": (
        "明确{columns}的责任单位和更新频次，{deadline}前补充发布信息，确无信息可发布的栏目予以归并或关停{extra}",
        "对{columns}实行专人维护，{deadline}前完成内容更新，对长期无内容的栏目依规整合{extra}",
        "建立栏目更新定期巡查提醒机制，督促{columns}于{deadline}前恢复正常更新{extra}"),
    "category_mismatch": (
        "对{count}条归类不当的信息进行调整，{deadline}前迁移至对应栏目，并细化信息发布分类标准",
        "{deadline}前完成{count}条信息的栏目归属调整，加强发布环节对栏目定位的审核",
        "按栏目定位逐条核对，将{count}条错放信息于{deadline}前调整到位"),
    "broken_link": (
        "{deadline}前修复或删除{count}个失效链接，并定期开展链接可用性检测",
        "对{count}个不可用链接逐一排查，{deadline}前完成修复",
        "将链接检测纳入日常巡检，{count}个失效链接于{deadline}前处理完毕"),
}


def _improvements(fx: dict, problems: list[tuple[str, str]], pick: _Picker) -> list[str]:
    items: list[str] = []
    if fx["resolved"]:
        done = "、".join(f"{kind_label(k)}{n}个" for k, n in sorted(fx["resolved_by_kind"].items()))
        cols = f"，{names(fx['resolved_columns'], 3)}栏目已恢复正常" if fx["resolved_columns"] else ""
        items.append(pick(
            f"前期问题整改取得实效。经{cn_date(fx['as_of'])}重新抓取复核，前次自查发现的{fx['resolved']}个问题已整改到位"
            f"（{done}）{cols}",
            f"已整改问题经复核确认。截至{cn_date(fx['as_of'])}，经再次抓取核验，{fx['resolved']}个前期问题已不再出现"
            f"（{done}）{cols}",
            f"整改销号有序推进。{cn_date(fx['as_of'])}复查显示，前次发现的{fx['resolved']}个问题已完成整改（{done}）{cols}"))
    if fx["persisting"]:
        items.append(pick(
            f"仍有{fx['persisting']}个前期问题未完成整改，已列入本次整改清单跟踪督办",
            f"前次发现的问题中尚有{fx['persisting']}个未整改到位，纳入本期清单继续督促整改",
            f"对{fx['persisting']}个持续存在的问题实行清单管理、挂账销号"))
    stale_cols = [s["name"] for s in fx["stale"]] + fx["blank"]
    if stale_cols:
        columns = names(stale_cols, 3) + ("栏目" if len(stale_cols) > 3 else "等栏目")
    else:
        columns = "首页及相关栏目" if fx["homepage_stale"] else "相关栏目"
    extra = ""
    if fx["undated"]:
        extra += f"，为{names(fx['undated'], 3)}栏目的信息补充标注发布日期"
    if fx["future_date"]:
        extra += f"，核正{fx['future_date']}条信息的发布日期"
    for kind, _ in problems:
        templates = _MEASURES.get(kind)
        if not templates:
            continue
        deadline = cn_date(fx["group_deadline"].get(kind, "")) or "规定时限"
        count = fx["mismatch"] if kind == "category_mismatch" else fx["broken_links"]
        filled = [t.format(items="、".join(fx["veto_items"]), deadline=deadline, count=count, columns=columns,
                           extra=extra) for t in templates]
        items.append(pick(*filled))
    if not items:
        items.append(pick("坚持常态化自查，按月抓取检查栏目更新、信息归类和个人信息保护情况，发现问题即时整改",
                          "持续开展网站日常巡检，对栏目更新、内容归类和个人信息保护实行动态监测",
                          "保持定期自查机制，对网站内容更新和个人信息保护情况开展滚动检查"))
    return items


def _numbered(items: Sequence[str]) -> str:
    parts = [f"{ORDINALS[i] if i < len(ORDINALS) else i + 1}是{text}" for i, text in enumerate(items)]
    return "；".join(parts) + "。" if parts else ""


def compose_section_five(model: ReportModel, snapshot: Snapshot, previous: str | None = None) -> SectionFive:
    """Build the two paragraphs of section 五 and measure their overlap with `previous`."""
    from reports.model import SectionFive

    fx = _facts(model, snapshot)
    pick = _Picker(f"{model.site_url}|{model.as_of.isoformat()}", previous)
    problems = _problems(fx, pick)
    intro = pick(
        f"{cn_date(model.as_of)}，对本网站{fx['columns_checked']}个栏目、{fx['pages']}个页面和{fx['attachments']}个附件开展自查，"
        f"共发现需整改问题{fx['open']}个",
        f"本次自查于{cn_date(model.as_of)}完成，覆盖栏目{fx['columns_checked']}个、页面{fx['pages']}个、附件{fx['attachments']}个，"
        f"梳理出需整改问题{fx['open']}个",
        f"经{cn_date(model.as_of)}全面抓取检查，网站{fx['columns_checked']}个栏目、{fx['pages']}个页面、{fx['attachments']}个附件中"
        f"共有{fx['open']}个问题需要整改")
    problem_text = [intro + "。" + (_numbered([t for _, t in problems]) if problems else
                    "未发现栏目更新、内容归类和个人信息保护方面的突出问题。")]
    improvement_text = [_numbered(_improvements(fx, problems, pick))]
    overlap, repeated = 0.0, []
    if previous:
        grams = _grams(re.sub(r"\s+", "", previous))
        flat = re.sub(r"\s+", "", previous)
        for s in sentences("。".join(problem_text + improvement_text)):
            overlap = max(overlap, containment(s, grams))
            if re.sub(r"\s+", "", s) in flat:
                repeated.append(s)
    return SectionFive(problem_text, improvement_text, fx, round(overlap, 3), repeated)
