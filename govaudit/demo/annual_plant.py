"""Demo plant for issue 13: the 政府信息公开年报 column holds complete reports in the register of the real ones
(../shared/reference/samples/), and the county's newest report carries two faults a clerk misses at night:
一是…三是…三是 numbering in section 五 and a 表三 「自然人」 column whose （七）总计 is not the sum of its results.

Why a module apart: the column's articles are re-written after rendering with a random stream of their own, so
every other plant and every other byte the generator wrote stays as it was. Titles, dates and URLs are kept (the
lists already show them); bodies become full reports with real HTML tables, and each issuer's reports agree from
year to year (上年结转 = last year's 结转下年度, 现行有效 carried), so only the planted report has anything wrong.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from html import escape
from typing import Any

from govaudit.demo import content as C

KIND = "annual_report"
TABLE3_COLUMNS = 7      # 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
TITLE = re.compile(r"^(?P<issuer>.+?)(?P<year>20\d\d)年政府信息公开工作年度报告$")
RESULT_ROWS = [
    ("（一）予以公开", "granted"), ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partial"),
    ("1.属于国家秘密", None), ("2.其他法律行政法规禁止公开", None), ("3.危及“三安全一稳定”", None),
    ("4.保护第三方合法权益", None), ("5.属于三类内部事务信息", None), ("6.属于四类过程性信息", None),
    ("7.属于行政执法案卷", None), ("8.属于行政查询事项", None),
    ("1.本机关不掌握相关政府信息", "not_held"), ("2.没有现成信息需要另行制作", None), ("3.补正后申请内容仍不明确", None),
    ("1.信访举报投诉类申请", None), ("2.重复申请", None), ("3.要求提供公开出版物", None),
    ("4.无正当理由大量反复申请", None), ("5.要求行政机关确认或重新出具已获取信息", None),
    ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", None),
    ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", None), ("3.其他", None),
]
PROBLEMS = [
    ("政策解读形式较为单一，图表、音视频等解读占比不高", "采用图表、短视频等形式解读重要政策"),
    ("基层政务公开标准化规范化建设仍需深化", "推进乡镇政务公开标准目录落实"),
    ("部分栏目信息更新维护不够及时", "建立栏目更新台账，实行定期巡查"),
    ("依申请公开答复文书的规范性有待提高", "规范答复文书格式，加强法制审核"),
    ("政务公开工作人员业务能力参差不齐", "组织全县政务公开业务培训"),
    ("政策文件发布后的咨询回应还不够充分", "完善政策咨询答复机制"),
]


@dataclass
class Figures:
    """One report's numbers: what 表二, 表三 and 表四 print, and what the text quotes."""

    new: list[int]
    carried: list[int]
    granted: list[int]
    partial: list[int]
    not_held: list[int]
    carry_next: list[int]
    issued: int
    repealed: int
    current: int
    active: int

    @property
    def total(self) -> list[int]:
        return [a + b + c for a, b, c in zip(self.granted, self.partial, self.not_held)]


def _row(natural: int, business: int) -> list[int]:
    return [natural, business, 0, 0, 0, 0, natural + business]


def _figures(rng: random.Random, before: Figures | None) -> Figures:
    """Consistent numbers: 新收 + 上年结转 = 总计 + 结转下年度, every column; carried from last year's report."""
    carried = list(before.carry_next) if before else [0] * TABLE3_COLUMNS
    natural, business = rng.randint(8, 40), rng.randint(0, 3)
    new = _row(natural, business)
    carry_next = _row(rng.randint(0, 2), 0)
    handled = [n + c - k for n, c, k in zip(new, carried, carry_next)]
    not_held = _row(rng.randint(0, min(2, handled[0])), 0)
    partial = _row(rng.randint(0, min(3, handled[0] - not_held[0])), 0)
    granted = [h - p - x for h, p, x in zip(handled, partial, not_held)]
    issued, repealed = rng.randint(1, 6), rng.randint(0, 2)
    current = (before.current if before else rng.randint(15, 40)) + issued - repealed
    return Figures(new, carried, granted, partial, not_held, carry_next, issued, repealed, current,
                   rng.randint(800, 3000))


def _cells(values: list[int]) -> str:
    return "".join(f"<td>{v}</td>" for v in values)


def _table3(f: Figures, total: list[int]) -> str:
    values = {"granted": f.granted, "partial": f.partial, "not_held": f.not_held}
    head = ("<tr><td colspan='3' rowspan='3'>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>"
            "<td colspan='7'>申请人情况</td></tr><tr><td rowspan='2'>自然人</td><td colspan='5'>法人或其他组织</td>"
            "<td rowspan='2'>总计</td></tr><tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td>"
            "<td>其他</td></tr>")
    rows = [f"<tr><td colspan='3'>一、本年新收政府信息公开申请数量</td>{_cells(f.new)}</tr>",
            f"<tr><td colspan='3'>二、上年结转政府信息公开申请数量</td>{_cells(f.carried)}</tr>"]
    for label, key in RESULT_ROWS:
        rows.append(f"<tr><td>{escape(label)}</td>{_cells(values[key] if key else [0] * TABLE3_COLUMNS)}</tr>")
    rows.append(f"<tr><td>（七）总计</td>{_cells(total)}</tr>")
    rows.append(f"<tr><td colspan='3'>四、结转下年度继续办理</td>{_cells(f.carry_next)}</tr>")
    return "<table border='1'>" + head + "".join(rows) + "</table>"


def _table2(f: Figures) -> str:
    return ("<table border='1'><tr><td colspan='4'>第二十条第（一）项</td></tr><tr><td>信息内容</td><td>本年制发件数</td>"
            "<td>本年废止件数</td><td>现行有效件数</td></tr><tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>"
            f"<tr><td>行政规范性文件</td><td>{f.issued}</td><td>{f.repealed}</td><td>{f.current}</td></tr>"
            "<tr><td colspan='4'>第二十条第（五）项</td></tr><tr><td>信息内容</td><td colspan='3'>本年处理决定数量</td></tr>"
            f"<tr><td>行政许可</td><td colspan='3'>{f.active // 3}</td></tr>"
            f"<tr><td>行政处罚</td><td colspan='3'>{f.active // 40}</td></tr>"
            "<tr><td>行政强制</td><td colspan='3'>0</td></tr>"
            "<tr><td colspan='4'>第二十条第（八）项</td></tr><tr><td>信息内容</td><td colspan='3'>本年收费金额（单位：万元）</td></tr>"
            "<tr><td>行政事业性收费</td><td colspan='3'>0</td></tr></table>")


def _table4() -> str:
    head = ("<tr><td colspan='5'>行政复议</td><td colspan='10'>行政诉讼</td></tr>"
            "<tr><td rowspan='2'>结果维持</td><td rowspan='2'>结果纠正</td><td rowspan='2'>其他结果</td>"
            "<td rowspan='2'>尚未审结</td><td rowspan='2'>总计</td><td colspan='5'>未经复议直接起诉</td>"
            "<td colspan='5'>复议后起诉</td></tr><tr>"
            + "<td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>" * 2 + "</tr>")
    return "<table border='1'>" + head + "<tr>" + _cells([0] * 15) + "</tr></table>"


def report_html(issuer: str, year: int, f: Figures, county: bool, faulty: bool, points: list[tuple[str, str]],
                last_points: list[tuple[str, str]]) -> list[str]:
    """The body of one report as HTML blocks, in the order and wording of the 2021 format; last year's problems
    are reported as rectified in 一 (a report that drops them silently is what ANR032 looks for)."""
    total = list(f.total)
    if faulty:
        total[0] += 2          # （七）总计 of 自然人 two more than its results: the column no longer balances either
    received = sum(f.new[:6])
    handled = sum(total[:6])
    numbering = ["一是", "三是", "三是"] if faulty else ["一是", "二是", "三是"]
    supervision = ("将政务公开工作纳入年度绩效考核，开展社会评议，全年未发生责任追究情况。" if county
                   else "将政务公开工作纳入单位年度考核。")
    p = [
        "一、总体情况",
        f"{year}年，{issuer}深入贯彻《中华人民共和国政府信息公开条例》，全年主动公开政府信息{f.active}条，"
        f"全年共收到政府信息公开申请{received}件，均按法定时限答复。{supervision}"
        + (f"针对上年报告所列{'、'.join(f'“{text}”' for text, _ in last_points)}等问题，已逐项完成整改。"
           if last_points else ""),
        "二、主动公开政府信息情况",
    ]
    blocks = [f"<p>{escape(x)}</p>" for x in p] + [_table2(f)]
    blocks += ["<p>三、收到和处理政府信息公开申请情况</p>", _table3(f, total)]
    blocks += ["<p>四、政府信息公开行政复议、行政诉讼情况</p>", _table4()]
    problems = "；".join(f"{n}{text}" for n, (text, _) in zip(numbering, points))
    measures = "；".join(f"{n}{measure}" for n, (_, measure) in zip(["一是", "二是", "三是"], points))
    blocks += ["<p>五、存在的主要问题及改进情况</p>",
               f"<p>{year}年，{issuer}政务公开工作取得一定成效，但仍存在一些不足：{escape(problems)}。</p>",
               f"<p>下一步，将重点抓好以下工作：{escape(measures)}。</p>",
               "<p>六、其他需要报告的事项</p>",
               f"<p>{year}年度未收取信息处理费。{issuer}本年度办结政府信息公开申请{handled}件。</p>"]
    return blocks


def plant_annual_reports(site: Any) -> None:
    """Re-write the 年报 column's reports in full; the county's newest report carries the planted faults."""
    from govaudit.demo.veto_plants import _rerender

    try:
        col = site.col("xxgknb")
    except StopIteration:
        return
    rng = random.Random(f"govaudit-demo-annual:{site.seed}")
    _move_flattened_lookalike(site, col)
    arts = [a for a in col.arts if TITLE.match(a.title)]
    by_issuer: dict[str, list] = {}
    for art in arts:
        m = TITLE.match(art.title)
        by_issuer.setdefault(m.group("issuer"), []).append((int(m.group("year")), art))
    newest_county = max((pair for pair in by_issuer.get(C.SITE_NAME, [])), default=None, key=lambda p: p[0])
    for issuer, reports in sorted(by_issuer.items()):
        before = None
        for year, art in sorted(reports, key=lambda p: p[0]):
            last = before if before and before[0] == year - 1 else None
            figures = _figures(rng, last[1] if last else None)
            county = issuer == C.SITE_NAME
            faulty = newest_county is not None and art is newest_county[1]
            last_points = last[2] if last else []
            points = rng.sample([p for p in PROBLEMS if p not in last_points], 3)
            art.paragraphs, art.word = [], False
            art.extra_html = report_html(issuer, year, figures, county, faulty, points, last_points)
            art.source = f"{C.SITE_NAME}办公室" if county else issuer
            _rerender(site, art)
            before = (year, figures, points)
            if faulty:
                site.m.planted.append({"kind": KIND, "column_url": col.url, "url": art.url,
                                       "note": "年报第五部分序号“一是…三是…三是”；表三「自然人」栏（七）总计比各项办理结果之和多2件"})
                if KIND not in col.planted:
                    col.planted.append(KIND)


def _move_flattened_lookalike(site: Any, col: Any) -> None:
    """The flattened-figures look-alike sat in a 年报 column report that is now written in full: it moves to the
    other annual report of the portal (the one misfiled under 通知公告), whose text keeps its flattened statistics."""
    elsewhere = [a for c in site.cols if c is not col for a in c.arts if a.kind == KIND]
    for entry in site.m.lookalikes:
        if entry.get("what") != "flattened_figures" or entry.get("column_url") != col.url:
            continue
        for art in elsewhere:
            runs = [r for p in art.paragraphs if p.startswith("本年新收") for r in re.findall(r"\d+", p)]
            if runs and art.url:
                entry.update(url=art.url, column_url=art.col.url, value=max(runs, key=len))
                break
