"""Generate the fictional 「青禾县人民政府」 portal: a static site over three CMS shapes, with problems
planted relative to `as_of`, and a manifest.json that says exactly what was planted.

    build(Path("out"), seed=2026, as_of=date(2026, 11, 28)) -> Manifest

Output is byte-identical for the same (seed, as_of, scale); `scale` multiplies the article counts.
Run `python -m govaudit.demo.generator OUT [--seed N] [--as-of YYYY-MM-DD] [--scale F]`.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import hashlib
import os
import random
import re
import shutil
from dataclasses import asdict, dataclass, field
from html import escape
from pathlib import Path

from checks.privacy import synthetic as S
from checks.privacy.checksums import is_valid_uscc, uscc_check_char
from govaudit.demo import attachments as A
from govaudit.demo import content as C
from govaudit.demo import render as R
from govaudit.demo.annual_plant import plant_annual_reports
from govaudit.demo.availability_identity import plant_identity_and_outage
from govaudit.demo.image_plant import plant_broken_images
from govaudit.demo.manifest import Manifest
from govaudit.demo.service_plant import drop_service_entry, plant_service
from govaudit.demo.styles import CLASSIC, STYLES, Style, StyleError, parse_style, real_names
from govaudit.demo.veto_plants import plant_veto_families
from govaudit.demo.word97 import word97_bytes

PER_PAGE_TRS = 20
PER_PAGE_VSB = 15
HANWEB_API_PER_PAGE = 10      # jpage perPage when the rest of a list comes only from dataproxy.jsp
TRSAPI_PER_PAGE = 10          # the Fujian listModel prepage: the static page shows this many
GUIDELINE_TYPE = {"动态要闻": "工作动态", "政策文件": "政策文件", "政策解读": "政策解读", "信息公开年报": "信息公开年报",
                  "机构职能": "机构职能", "办事服务": "办事服务", "互动交流": "咨询投诉", "信息公开指南": "信息公开指南"}
CHANNELS = {"news": ("新闻中心", "/col/col1001/index.html"), "zwgk": ("政务公开", "/zwgk/index.html"),
            "bmxx": ("部门乡镇", "/bmxx/index.htm"), "bsfw": ("办事服务", "/bsfw/index.html"),
            "hdjl": ("互动交流", "/hdjl/index.html"), "zjqh": ("走进青禾", "/zjqh/index.html"),
            "zt": ("专题专栏", "/zt/index.html")}
DOC_PREFIX = {"xzfwj": "青政发", "xzfbwj": "青政办发", "gfxwj": "青政规", "bmwj": "青农发", "zcwj": "青政发"}

# key, name, type, cms, channel, level, base items, age of newest item (days), state, kinds, pagination, dates
SPEC: list[tuple] = [
    ("qhyw", "青禾要闻", "动态要闻", "hanweb", "news", 1, 120, 0, "normal", ("news",), "xml", "md"),
    ("bmdt", "部门动态", "动态要闻", "hanweb", "news", 1, 60, 13, "normal", ("news",), "xml", "md"),
    ("xzdt", "乡镇动态", "动态要闻", "hanweb", "news", 1, 60, 15, "normal", ("news",), "xml", "md"),
    ("tpxw", "图片新闻", "动态要闻", "hanweb", "news", 1, 30, 45, "normal", ("news",), "xml", "md"),
    ("mtgz", "媒体关注", "动态要闻", "hanweb", "news", 1, 0, None, "暂无信息", ("news",), "xml", "md"),
    ("spxw", "视频新闻", "动态要闻", "hanweb", "news", 1, 0, None, "建设中", ("news",), "xml", "md"),
    ("tzgg", "通知公告", "通知公告", "trs", "zwgk", 1, 90, 1, "normal", ("notice", "notice", "gongshi"), "static", "iso"),
    ("gsgg", "公示公告", "通知公告", "trs", "zwgk", 1, 25, 185, "normal", ("gongshi", "notice"), "static", "iso"),
    ("zcwj", "政策文件", "政策文件", "trs", "zwgk", 1, 40, 3, "normal", ("policy",), "static", "cn"),
    ("xzfwj", "县政府文件", "政策文件", "trs", "zwgk/zcwj", 2, 40, 20, "normal", ("policy",), "static", "cn"),
    ("xzfbwj", "县政府办公室文件", "政策文件", "trs", "zwgk/zcwj", 2, 30, 40, "normal", ("policy",), "static", "cn"),
    ("gfxwj", "规范性文件", "政策文件", "trs", "zwgk", 1, 30, 180, "normal", ("policy",), "static", "cn"),
    ("bmwj", "部门文件", "政策文件", "trs", "zwgk", 1, 25, 185, "normal", ("policy",), "static", "cn"),
    ("zcjd", "政策解读", "政策解读", "trs", "zwgk", 1, 70, 2, "normal", ("interpretation",), "js", "iso"),
    ("rsxx", "人事信息", "人事信息", "trs", "zwgk", 1, 25, 364, "normal", ("appointment", "recruitment"), "static", "iso"),
    ("ghjh", "规划计划", "规划计划", "trs", "zwgk", 1, 20, 367, "normal", ("plan",), "static", "iso"),
    ("xxgknb", "政府信息公开年报", "信息公开年报", "trs", "zwgk", 1, 8, None, "normal", ("annual_report",), "static", "iso"),
    ("czxx", "财政预决算", "财政信息", "trs", "zwgk", 1, 40, 10, "normal", ("budget",), "static", "iso"),
    ("zbcg", "招标采购", "招标采购", "trs", "zwgk", 1, 80, 1, "normal", ("procurement",), "static", "iso"),
    ("jgzn", "机构职能", "机构职能", "trs", "zwgk", 1, 15, 200, "normal", ("org",), "static", "iso"),
    ("zdxm", "重大建设项目", "重点领域", "trs", "zwgk", 1, 0, None, "empty", ("notice",), "static", "iso"),
    ("jyta", "建议提案办理", "其他", "trs", "zwgk", 1, 0, None, "暂无信息", ("notice",), "static", "iso"),
    ("shjz", "社会救助", "重点领域", "trs", "zwgk", 1, 30, 5, "normal", ("gongshi",), "static", "iso"),
    ("xxgkzn", "政府信息公开指南", "信息公开指南", "trs", "zwgk", 1, 1, 400, "normal", ("guide",), "static", "iso"),
    ("jtj", "县教体局动态", "动态要闻", "vsb", "bmxx", 1, 45, 20, "normal", ("news",), "vsb", "slash"),
    ("wjj", "县卫健局动态", "动态要闻", "vsb", "bmxx", 1, 40, 2, "normal", ("news",), "vsb", "slash"),
    ("mzj", "民政局通知公告", "通知公告", "vsb", "bmxx", 1, 0, None, "empty", ("notice",), "vsb", "slash"),
    ("rsj", "人社局招聘信息", "人事信息", "vsb", "bmxx", 1, 20, 30, "normal", ("recruitment",), "vsb", "slash"),
    ("qhz", "青禾镇政务动态", "动态要闻", "vsb", "bmxx", 1, 30, 4, "normal", ("news",), "vsb", "slash"),
    ("wmcj", "文明创建动态", "动态要闻", "plain", "zt", 1, 12, 6, "undated", ("news",), "none", "none"),
    ("bszn", "办事服务", "办事服务", "trs", "bsfw", 1, 9, 100, "normal", ("service",), "static", "iso"),
    ("xzxx", "县长信箱", "互动交流", "trs", "hdjl", 1, 30, 3, "normal", ("letter",), "static", "iso"),
    ("wsdc", "网上调查", "互动交流", "trs", "hdjl", 1, 0, None, "建设中", ("letter",), "static", "iso"),
    ("qhgk", "青禾概况", "机构职能", "trs", "zjqh", 1, 3, 300, "normal", ("org",), "static", "iso"),
]
MEAN_GAP = {"动态要闻": 1.5, "通知公告": 4, "政策文件": 9, "政策解读": 5, "人事信息": 25, "规划计划": 40,
            "财政信息": 9, "招标采购": 2, "机构职能": 30, "重点领域": 8, "互动交流": 3, "办事服务": 30}


@dataclass
class Att:
    url: str
    filename: str
    fmt: str
    data: bytes


@dataclass
class Art:
    col: Col
    title: str
    paragraphs: list[str]
    kind: str
    when: dt.datetime
    url: str = ""
    doc_number: str | None = None
    index_number: str | None = None
    source: str = ""
    extra_html: list[str] = field(default_factory=list)
    atts: list[Att] = field(default_factory=list)
    meta: bool = True
    word: bool = False
    encoding: str = "utf-8"
    docid: int = 0


@dataclass
class Col:
    key: str
    name: str
    type: str
    cms: str
    channel: str
    level: int
    n: int
    age: int | None
    state: str
    kinds: tuple
    pagination: str
    date_style: str
    url: str = ""
    dir: str = ""
    colid: int = 0
    encoding: str = "utf-8"
    arts: list[Art] = field(default_factory=list)
    list_urls: list[str] = field(default_factory=list)
    planted: list[str] = field(default_factory=list)
    parent: Col | None = None
    hub: bool = False                 # a landing page listing only its sub-columns

    @property
    def trail(self) -> list[tuple[str, str]]:
        trail = [("首页", "/"), CHANNELS[self.channel.split("/")[0]]]
        if self.parent is not None:
            trail.append((self.parent.name, self.parent.url))
        return trail + [(self.name, self.url)]

    @property
    def path(self) -> str:
        return "/".join(name for name, _ in self.trail)


class Site:
    """All state of one build; methods run in a fixed order so the random stream is reproducible."""

    def __init__(self, seed: int, as_of: dt.date, scale: float, style: Style = CLASSIC,
                 names_file: Path | None = None):
        self.seed, self.as_of, self.scale, self.style = seed, as_of, scale, style
        self.names_file = names_file
        self.rng = random.Random(f"govaudit-demo:{seed}")
        self.files: dict[str, bytes] = {}
        self.mtimes: dict[str, dt.datetime] = {}
        self.cols: list[Col] = []
        self.m = Manifest(seed=seed, as_of=as_of.isoformat(),
                          site={"name": C.SITE_NAME, "home": "/", "domain": C.SITE_DOMAIN, "id_code": C.SITE_ID_CODE})
        if not style.classic:
            self.m.style = asdict(style)
        self.docid = self.rng.randint(20000, 30000)
        self.seq: dict[str, int] = {}
        self.hosts: set[int] = set()
        self.dept_codes = {d: self._index_prefix() for d in C.DEPARTMENTS}

    # ---- numbers -------------------------------------------------------------------------------------
    def _index_prefix(self) -> str:
        """索引号 prefix: a 统一社会信用代码 of a 机关 (look-alike of an ID, never one)."""
        while True:
            body = "11" + S.uscc(self.rng)[2:17]          # 11 = 机关
            code = body + uscc_check_char(body)
            if any(ch.isalpha() for ch in code) and is_valid_uscc(code):
                return code

    def _next_docid(self) -> int:
        self.docid += self.rng.randint(1, 37)
        return self.docid

    def _counter(self, key: str) -> int:
        self.seq[key] = self.seq.get(key, 0) + 1
        return self.seq[key]

    # ---- plan ----------------------------------------------------------------------------------------
    def plan_columns(self) -> None:
        hanweb_id, vsb_id = 1001, 1025
        for row in SPEC:
            col = Col(*row)
            if col.n and col.state in ("normal", "undated") and col.key != "xxgkzn":
                # at least 12 entries, so every planted host article exists at any scale
                col.n = max(min(col.n, 12), round(col.n * self.scale))
            if col.cms == "hanweb":
                col.colid, hanweb_id = hanweb_id, hanweb_id + 1
                col.url = f"/col/col{col.colid}/index.html"
            elif col.cms == "vsb":
                col.colid, vsb_id = vsb_id, vsb_id + 1
                col.url, col.dir, col.encoding = f"/bmxx/{col.key}.htm", f"/bmxx/{col.key}/", "gbk"
            else:
                col.dir = f"/{col.channel}/{col.key}/"
                col.url = col.dir + "index.html"
            self.cols.append(col)
        for col in self.cols:
            if col.level == 2:
                col.parent = self.col("zcwj")
        if not self.style.classic:
            self.restyle_columns()

    def col(self, key: str) -> Col:
        return next(c for c in self.cols if c.key == key)

    # ---- styles --------------------------------------------------------------------------------------
    def restyle_columns(self) -> None:
        """The style's knobs on the planned columns: landing pages, CMS family and URLs, real names."""
        if self.style.hubs:
            self._plan_hub()
        if self.style.cms != "mixed":
            for col in self.cols:
                if col.cms != "plain":
                    _retarget(col, self.style.cms)
        ids = {"hanweb": 1001, "vsb": 1025, "trs": 1801}
        for col in self.cols:
            self._place(col, ids)
        if self.style.names == "real":
            self._real_names()

    def _plan_hub(self) -> None:
        """规划计划 as a landing page listing three typed sub-columns; the stale plant moves to the first."""
        plan = self.col("ghjh")
        hub = Col("gh", "规划计划", "规划计划", plan.cms, "zwgk", 1, 0, None, "hub", ("plan",), plan.pagination,
                  plan.date_style, hub=True)
        subs = [Col("ndjh", "年度计划", "规划计划", plan.cms, "zwgk/gh", 2, 8, 40, "normal", ("plan",),
                    plan.pagination, plan.date_style),
                Col("zxgh", "专项规划", "规划计划", plan.cms, "zwgk/gh", 2, 8, 95, "normal", ("plan",),
                    plan.pagination, plan.date_style)]
        plan.name, plan.channel, plan.level = "发展规划", "zwgk/gh", 2
        for sub in subs:
            sub.n = max(min(sub.n, 12), round(sub.n * self.scale))
        at = self.cols.index(plan)
        self.cols[at:at + 1] = [hub, plan, *subs]
        for sub in (plan, *subs):
            sub.parent = hub

    def _place(self, col: Col, ids: dict[str, int]) -> None:
        """The column's URL, directory and encoding in the shape of its CMS family."""
        col.encoding = "utf-8"
        if col.cms == "hanweb":
            col.colid, ids["hanweb"] = ids["hanweb"], ids["hanweb"] + 1
            col.dir = f"/col/col{col.colid}/"
            col.url = col.dir + "index.html"
        elif col.cms == "vsb":
            col.colid, ids["vsb"] = ids["vsb"], ids["vsb"] + 1
            col.url, col.dir, col.encoding = f"/{col.channel}/{col.key}.htm", f"/{col.channel}/{col.key}/", "gbk"
        else:
            col.colid, ids["trs"] = ids["trs"], ids["trs"] + 1
            col.dir = f"/{col.channel}/{col.key}/"
            col.url = col.dir + "index.html"

    def _real_names(self) -> None:
        """Names from the real-columns list, picked by type so each planted problem keeps its meaning."""
        pool = real_names(self.names_file)
        rng = random.Random(f"govaudit-demo-names:{self.seed}")
        used = {c.name for c in self.cols if c.key in _KEEP_NAME}
        for col in self.cols:
            if col.key in _KEEP_NAME:
                continue
            kind = _TSV_TYPE.get(col.type, col.type)
            owner = _OWNERS.get(col.key, "")
            choices = [n for n in pool.get(kind, ()) if owner + n not in used and n not in used]
            if choices:
                col.name = owner + rng.choice(choices)
            used.add(col.name)

    def _dates(self, col: Col) -> list[dt.datetime]:
        """Newest first: the newest exactly `age` days before as_of, then gaps typical of the column type."""
        day = self.as_of - dt.timedelta(days=col.age or 0)
        mean = MEAN_GAP.get(col.type, 10) / max(self.scale, 0.1)
        out = []
        for i in range(col.n):
            if i:
                day -= dt.timedelta(days=int(self.rng.uniform(0.0, 2.0) * mean + 0.5))
            out.append(dt.datetime.combine(day, dt.time(self.rng.randint(8, 17), self.rng.choice((0, 10, 20, 30, 45)))))
        return out

    def make_text(self, kind: str, col: Col, day: dt.date, i: int) -> C.Text:
        rng = self.rng
        if kind == "appointment":
            return C.appointment(rng, day, [S.person_name(rng) for _ in range(rng.randint(2, 4))])
        if kind == "annual_report":
            year = self.as_of.year - 1 - i // 2
            issuer = C.SITE_NAME if i % 2 == 0 else f"{C.COUNTY}{rng.choice(C.DEPARTMENTS)[1:]}"
            return C.annual_report(rng, year, issuer)
        if kind == "org":
            return C.org(rng, C.DEPARTMENTS[i % len(C.DEPARTMENTS)])
        if kind == "service":
            return C.service(rng, C.SERVICES[i % len(C.SERVICES)])
        if kind == "guide":
            return C.Text(f"{C.SITE_NAME}政府信息公开指南", [
                "一、主动公开：主动公开的政府信息通过本网站政府信息公开专栏发布。",
                "二、依申请公开：申请人可通过网络、信函、当面等方式提出申请。",
                f"工作机构：{C.SITE_NAME}办公室；办公地址：{C.COUNTY}青禾镇政务中心；办公时间：工作日8:30—18:00；"
                f"联系电话：{C.AREA_CODE}-6100100；传真：{C.AREA_CODE}-6100101。"], "guide")
        return C.KIND_MAKERS[kind](rng, day)

    def plan_articles(self) -> None:
        for col in self.cols:
            if col.state not in ("normal", "undated"):
                continue
            if col.key == "xxgknb":
                dates = []
                for i in range(col.n):
                    year = self.as_of.year - i // 2
                    day = dt.date(year, 1, 20 + i % 2 * 5) if i % 2 else dt.date(year, 3, 25)
                    if day > self.as_of:
                        day = self.as_of - dt.timedelta(days=30 + i)
                    dates.append(dt.datetime.combine(day, dt.time(10, 0)))
                dates.sort(reverse=True)
            else:
                dates = self._dates(col)
            for i, when in enumerate(dates):
                kind = col.kinds[i % len(col.kinds)]
                text = self.make_text(kind, col, when.date(), i)
                if col.state == "undated":
                    text.paragraphs = [re.sub(r"^\d+月\d+日，", "近日，", p) for p in text.paragraphs]
                art = Art(col, text.title, text.paragraphs, text.kind, when)
                self._numbers(art)
                col.arts.append(art)

    def _numbers(self, art: Art) -> None:
        col, year = art.col, art.when.year
        art.docid = self._next_docid()
        dept = self.rng.choice(C.DEPARTMENTS)
        art.source = C.SITE_NAME + "办公室" if art.kind in ("policy", "appointment") else f"{C.COUNTY}{dept[1:]}"
        if art.kind == "policy":
            prefix = DOC_PREFIX.get(col.key, "青政发")
            art.doc_number = f"{prefix}〔{year}〕{self._counter(prefix + str(year))}号"
            art.word = self.rng.random() < 0.5
        elif art.kind == "appointment":
            art.doc_number = f"青政任〔{year}〕{self._counter('任' + str(year))}号"
        else:
            art.doc_number = None
        if col.channel.startswith("zwgk"):
            issuer = "县人民政府办公室" if art.kind in ("policy", "appointment") else dept
            art.index_number = f"{self.dept_codes[issuer]}/{year}-{self._counter('idx' + issuer + str(year)):05d}"
        else:
            art.index_number = None

    # ---- plants --------------------------------------------------------------------------------------
    def _secret(self, art: Art, att_url: str, pii_type: str, value: str, rendered: str, location: str) -> None:
        self.m.secrets.append({"url": att_url, "pii_type": pii_type, "value": value, "rendered": rendered,
                               "location": location, "_art": art})

    def _plant(self, kind: str, col: Col, url: str, note: str, **extra) -> None:
        entry = {"kind": kind, "column_url": col.url, "url": url, "note": note}
        entry.update({k: v for k, v in extra.items() if v is not None})
        self.m.planted.append(entry)
        if kind not in col.planted:
            col.planted.append(kind)

    def _host(self, key: str, index: int) -> Art:
        """An existing, not-newest article of a column, to be repurposed for a plant."""
        col = self.col(key)
        art = col.arts[min(index, len(col.arts) - 1)]
        self.hosts.add(id(art))
        return art

    def _retext(self, art: Art, text: C.Text) -> None:
        art.title, art.paragraphs, art.kind = text.title, text.paragraphs, text.kind
        art.doc_number, art.word = None, False

    def _people(self, n: int) -> list[dict]:
        rng = self.rng
        people = []
        for _ in range(n):
            born = S.birth_date(rng, 1950, 2000)
            people.append({"name": S.person_name(rng), "gender": rng.choice("男女"), "id": S.id18(rng, born=born),
                           "mobile": S.mobile(rng), "card": S.bank_card(rng), "town": rng.choice(C.TOWNS),
                           "amount": rng.choice((730, 1460, 2190, 365, 500))})
        return people

    def plant_problems(self) -> None:
        """Category mismatches, a future date, personal data (pages and attachments) and look-alikes."""
        rng, as_of = self.rng, self.as_of
        # -- misplaced articles
        art = self._host("xzfwj", 5)
        self._retext(art, C.news(rng, art.when.date()))
        self._plant("category_mismatch", art.col, "", "政策文件栏目中发布了工作动态类新闻", expected_type="动态要闻")
        self._pending_url(art)
        art = self._host("xzfwj", 8)
        art.doc_number = None
        self._plant("category_mismatch", art.col, "", "政府文件栏目中的文件无文号", expected_type="政策文件")
        self._pending_url(art)
        art = self._host("zcjd", 6)
        self._retext(art, C.appointment(rng, art.when.date(), [S.person_name(rng) for _ in range(3)]))
        art.doc_number = f"青政任〔{art.when.year}〕{self._counter('任' + str(art.when.year))}号"
        self._plant("category_mismatch", art.col, "", "政策解读栏目中发布了人事任免通知", expected_type="人事信息")
        self._pending_url(art)
        art = self._host("gfxwj", 4)
        self._retext(art, C.procurement(rng, art.when.date()))
        self._plant("category_mismatch", art.col, "", "规范性文件栏目中发布了采购公告", expected_type="招标采购")
        self._pending_url(art)
        art = self._host("tzgg", 10)
        issuer = f"{C.COUNTY}农业农村局"
        self._retext(art, C.annual_report(rng, as_of.year - 1, issuer))
        self._plant("category_mismatch", art.col, "", "信息公开年报发布在通知公告栏目", expected_type="信息公开年报")
        self._pending_url(art)

        # -- a future date (旧稿新发 / 伪造发稿日期 signal)
        col = self.col("tzgg")
        future = dt.datetime.combine(as_of + dt.timedelta(days=20), dt.time(9, 30))
        text = C.notice(rng, future.date())
        art = Art(col, text.title, text.paragraphs, text.kind, future)
        self._numbers(art)
        col.arts.insert(0, art)
        self._plant("future_date", col, "", f"发布日期晚于检查日期{20}天", published=future.date().isoformat())
        self._pending_url(art)

        self._plant_pii()

    def _pending_url(self, art: Art) -> None:
        """Plants name their article before URLs exist; remember which entry to fill in."""
        self.m.planted[-1]["_art"] = art

    def _plant_pii(self) -> None:
        rng = self.rng
        # 1. 低保公示: unmasked html table in four renderings, masked look-alikes, weak masking, xls 花名册
        art = self._host("shjz", 3)
        self._retext(art, C.gongshi(rng, art.when.date()))
        people = self._people(6)
        rows = []
        renderings = ("plain", "plain", "plain", "fullwidth", "spaced", "spans")
        for i, (p, how) in enumerate(zip(people, renderings), start=1):
            shown = _render_digits(p["id"], how)
            phone = p["mobile"] if i % 2 else f"{p['mobile'][:3]} {p['mobile'][3:7]} {p['mobile'][7:]}"
            address = f"{C.COUNTY}{p['town']}某某村{rng.randint(1, 40)}号"
            rows.append(f"<tr><td>{i}</td><td>{p['name']}</td><td>{p['gender']}</td><td>{shown}</td>"
                        f"<td>{address}</td><td>{phone}</td>"
                        f"<td>{rng.randint(1, 4)}</td><td>{p['amount']}</td></tr>")
            self._secret(art, "", "address", address, address, f"table.gongshi-list 第{i}行 家庭住址")
            self._secret(art, "", "id_card", p["id"], _plain_text(shown), f"table.gongshi-list 第{i}行 身份证号码")
            self._secret(art, "", "mobile", p["mobile"], phone, f"table.gongshi-list 第{i}行 联系电话")
        art.extra_html.append(
            '<table border="1" cellspacing="0" class="gongshi-list"><tr><th>序号</th><th>姓名</th><th>性别</th>'
            "<th>身份证号码</th><th>家庭住址</th><th>联系电话</th><th>保障人数</th><th>发放金额（元）</th></tr>"
            + "".join(rows) + "</table>")
        for how, count in (("plain", 3), ("fullwidth", 1), ("spaced", 1), ("spans", 1)):
            self._plant("personal_data", art.col, "", f"公示表格中的完整身份证号码（{_HOW[how]}）",
                        pii_type="id_card", count=count, location=f"table.gongshi-list/{how}", _art=art)
        self._plant("personal_data", art.col, "", "公示表格中的完整手机号码", pii_type="mobile", count=6,
                    location="table.gongshi-list 联系电话", _art=art)
        self._plant("personal_data", art.col, "", "公示表格中的家庭住址详细至村、门牌号（应仅到乡镇、街道）",
                    pii_type="address", count=6, location="table.gongshi-list 家庭住址", _art=art)
        others = self._people(3)
        weak1 = others[0]["id"][:12]
        weak1 = f"{weak1[:4]} {weak1[4:8]} {weak1[8:10]} {weak1[10:12]}******"
        weak2 = others[1]["id"][:10] + "****" + others[1]["id"][14:]
        masked_id = others[2]["id"][:2] + "*" * 13 + others[2]["id"][-3:]
        masked_mobile = others[2]["mobile"][:3] + "****" + others[2]["mobile"][-4:]
        wrong = S.id18(rng, valid=False)
        landline = f"{C.AREA_CODE}-{rng.randint(6100000, 6199999)}"
        art.extra_html.append(
            '<p>往期公示（已脱敏）：</p><table border="1" class="masked"><tr><th>姓名</th><th>身份证号码</th>'
            f"<th>联系电话</th></tr><tr><td>{others[0]['name'][0]}*</td><td>{weak1}</td><td>{masked_mobile}</td></tr>"
            f"<tr><td>{others[1]['name'][0]}**</td><td>{weak2}</td><td>{masked_mobile}</td></tr>"
            f"<tr><td>{others[2]['name'][0]}*</td><td>{masked_id}</td><td>{masked_mobile}</td></tr></table>"
            f"<p>证明材料编号：{wrong}；咨询电话：{landline}；政务服务便民热线：12345。</p>")
        self._secret(art, "", "id_card_partial", others[0]["id"], weak1, "table.masked 第1行")
        self._secret(art, "", "id_card_partial", others[1]["id"], weak2, "table.masked 第2行")
        self._plant("weak_masking", art.col, "", "身份证号码仅隐藏末6位或出生月日，出生日期仍可见", pii_type="id_card",
                    count=2, location="table.masked", _art=art)
        for what, value in (("masked_id", masked_id), ("masked_mobile", masked_mobile), ("wrong_check_id", wrong),
                            ("landline", landline), ("hotline", "12345")):
            self._lookalike(art, what, value, "table.masked" if what.startswith("masked") else "p")
        roster = self._people(10)
        sheet = [["序号", "姓名", "身份证号码", "联系电话", "家庭住址", "保障人数"]]
        sheet += [[i, p["name"], p["id"], p["mobile"], f"{C.COUNTY}{p['town']}", rng.randint(1, 5)]
                  for i, p in enumerate(roster, start=1)]
        att = self._attach(art, "xls", f"{art.when.year}年城乡低保对象花名册.xls", A.make_xls("低保名单", sheet),
                           ewebeditor=True)
        for r, p in enumerate(roster, start=2):
            self._secret(art, att.url, "id_card", p["id"], p["id"], f"低保名单!C{r}")
            self._secret(art, att.url, "mobile", p["mobile"], p["mobile"], f"低保名单!D{r}")
        self._plant_att(art, att, "id_card", 10, "低保名单!C2:C11", "xls 花名册中的完整身份证号码")
        self._plant_att(art, att, "mobile", 10, "低保名单!D2:D11", "xls 花名册中的手机号码")

        # 2. 临时救助: legacy 15-digit IDs in html, and a pdf list
        art = self._host("shjz", 7)
        self._retext(art, C.gongshi(rng, art.when.date()))
        olds = [S.id15(rng) for _ in range(3)]
        art.extra_html.append('<table border="1" class="gongshi-list"><tr><th>姓名</th><th>身份证号</th><th>救助金额</th></tr>'
                              + "".join(f"<tr><td>{S.person_name(rng)}</td><td>{v}</td><td>{rng.randint(3, 30)}00</td></tr>"
                                        for v in olds) + "</table>")
        for v in olds:
            self._secret(art, "", "id_card_15", v, v, "table.gongshi-list 身份证号")
        self._plant("personal_data", art.col, "", "公示表格中的15位旧身份证号码", pii_type="id_card_15", count=3,
                    location="table.gongshi-list", _art=art)
        group = self._people(6)
        lines = ["序号  姓名  身份证号码  联系电话  救助金额（元）"]
        lines += [f"{i}  {p['name']}  {p['id']}  {p['mobile']}  {p['amount']}" for i, p in enumerate(group, start=1)]
        att = self._attach(art, "pdf", "医疗救助对象名单.pdf", A.make_pdf("医疗救助对象名单", lines))
        for p in group:
            self._secret(art, att.url, "id_card", p["id"], p["id"], "p.1")
            self._secret(art, att.url, "mobile", p["mobile"], p["mobile"], "p.1")
        self._plant_att(art, att, "id_card", 6, "p.1", "pdf 名单中的完整身份证号码")
        self._plant_att(art, att, "mobile", 6, "p.1", "pdf 名单中的手机号码")

        # 3. an official's mobile in a 通知 (dashed and +86 forms)
        art = self._host("tzgg", 4)
        other = S.mobile(rng)[3:]
        plus = f"+86 138 {other[:4]} {other[4:]}"
        art.paragraphs = art.paragraphs + [f"联系人：{S.person_name(rng)}，联系电话：139-1234-5678；"
                                           f"{S.person_name(rng)}，手机：{plus}。"]
        self._secret(art, "", "mobile", "13912345678", "139-1234-5678", "正文 联系人")
        self._secret(art, "", "mobile", "138" + other, plus, "正文 联系人")
        self._plant("personal_data", art.col, "", "通知正文中的个人手机号码（带分隔符、+86前缀）", pii_type="mobile",
                    count=2, location="正文 联系人", _art=art)

        # 4. 补贴发放: bank cards in html with 开户/卡号 context, xlsx (an ID stored as a number), csv
        art = self._host("czxx", 3)
        art.title = f"{C.COUNTY}{art.when.year}年耕地地力保护补贴发放情况公示"
        payees = self._people(3)
        art.extra_html.append('<table border="1" class="payees"><tr><th>姓名</th><th>开户银行</th><th>银行卡号</th><th>金额（元）</th></tr>'
                              + "".join(f"<tr><td>{p['name']}</td><td>中国农业银行{C.COUNTY}支行</td><td>{p['card']}</td>"
                                        f"<td>{p['amount']}.00</td></tr>" for p in payees) + "</table>")
        extra = self._people(1)[0]
        art.paragraphs = art.paragraphs + [f"补发对象{extra['name']}，开户行：中国农业银行{C.COUNTY}支行，卡号：{extra['card']}。"]
        for p in payees + [extra]:
            self._secret(art, "", "bank_card", p["card"], p["card"], "table.payees / 正文")
        self._plant("personal_data", art.col, "", "公示中的银行卡号（开户行、卡号上下文）", pii_type="bank_card", count=4,
                    location="table.payees 银行卡号；正文", _art=art)
        rows = self._people(8)
        while rows[1]["id"].endswith("X"):       # only an all-digit ID can be typed into Excel as a number
            rows[1] = self._people(1)[0]
        sheet = [["序号", "姓名", "身份证号码", "银行卡号", "补贴面积（亩）", "补贴金额（元）"]]
        for i, p in enumerate(rows, start=1):
            sheet.append([i, p["name"], int(p["id"]) if i == 2 else p["id"], p["card"], round(rng.uniform(1, 12), 2),
                          p["amount"]])
        when = art.when
        att = self._attach(art, "xlsx", "耕地地力保护补贴发放明细.xlsx", A.make_xlsx("发放明细", sheet, when))
        for r, p in enumerate(rows, start=2):
            if r == 3:      # typed into Excel as a number: stored as a double, 15 significant digits survive
                self._secret(art, att.url, "id_card_numeric", p["id"], repr(float(int(p["id"]))), "发放明细!C3")
            else:
                self._secret(art, att.url, "id_card", p["id"], p["id"], f"发放明细!C{r}")
            self._secret(art, att.url, "bank_card", p["card"], p["card"], f"发放明细!D{r}")
        self._plant_att(art, att, "id_card", 7, "发放明细!C2,C4:C9", "xlsx 中的完整身份证号码")
        self._plant_att(art, att, "id_card_numeric", 1, "发放明细!C3",
                        "身份证号码以数值型单元格存储（科学计数法，仅保留前15位有效数字）")
        self._plant_att(art, att, "bank_card", 8, "发放明细!D2:D9", "xlsx 中的银行卡号")
        art = self._host("czxx", 6)
        art.title = f"{C.COUNTY}{art.when.year}年惠民惠农财政补贴资金发放名册"
        rows = self._people(6)
        sheet = [["姓名", "身份证号", "银行卡号", "金额"]] + [[p["name"], p["id"], p["card"], p["amount"]] for p in rows]
        att = self._attach(art, "csv", "惠民惠农补贴发放名册.csv", A.make_csv(sheet))
        for r, p in enumerate(rows, start=2):
            self._secret(art, att.url, "id_card", p["id"], p["id"], f"line {r}")
            self._secret(art, att.url, "bank_card", p["card"], p["card"], f"line {r}")
        self._plant_att(art, att, "id_card", 6, "line 2-7", "csv 中的完整身份证号码")
        self._plant_att(art, att, "bank_card", 6, "line 2-7", "csv 中的银行卡号")

        # 5. 中标结果: USCC, order number, amounts (look-alikes) and a zip whose xlsx holds contacts
        art = self._host("zbcg", 5)
        art.title = art.title.rsplit("采购项目", 1)[0] + "采购项目中标（成交）结果公告"
        code = S.uscc(rng)
        order = f"{art.when:%Y%m%d}{rng.randint(10**11, 10**12 - 1)}"
        amount = f"{rng.randint(100, 999)},{rng.randint(100, 999)}.00"
        art.paragraphs = art.paragraphs + [
            f"中标供应商：{C.COUNTY}禾丰建设工程有限公司（统一社会信用代码：{code}）",
            f"中标金额：{amount}元；电子卖场订单号：{order}"]
        for what, value in (("uscc", code), ("order_number", order), ("amount", amount)):
            self._lookalike(art, what, value, "正文")
        contacts = self._people(3)
        sheet = [["单位", "项目负责人", "身份证号码", "联系电话"]]
        sheet += [[f"{C.COUNTY}禾丰建设工程有限公司", p["name"], p["id"], p["mobile"]] for p in contacts]
        inner = A.make_xlsx("Sheet1", sheet, art.when)
        quote = A.make_pdf("报价一览表", [f"投标人：{C.COUNTY}禾丰建设工程有限公司", f"统一社会信用代码：{code}",
                                          f"投标报价：{amount}元"])
        att = self._attach(art, "zip", "投标文件（公开部分）.zip",
                           A.make_zip([("联系人信息.xlsx", inner), ("报价一览表.pdf", quote)], art.when))
        for r, p in enumerate(contacts, start=2):
            self._secret(art, att.url, "id_card", p["id"], p["id"], f"联系人信息.xlsx:Sheet1!C{r}")
            self._secret(art, att.url, "mobile", p["mobile"], p["mobile"], f"联系人信息.xlsx:Sheet1!D{r}")
        self._plant_att(art, att, "id_card", 3, "联系人信息.xlsx:Sheet1!C2:C4", "zip 内 xlsx 中的完整身份证号码")
        self._plant_att(art, att, "mobile", 3, "联系人信息.xlsx:Sheet1!D2:D4", "zip 内 xlsx 中的手机号码")

        # 6. 拟聘用人员公示 with a docx table (VSB section, GBK pages)
        art = self._host("rsj", 2)
        self._retext(art, C.recruitment(rng, art.when.date()))
        hires = self._people(5)
        table = [["序号", "姓名", "性别", "身份证号", "联系电话", "拟聘岗位"]]
        table += [[str(i), p["name"], p["gender"], p["id"], p["mobile"], rng.choice(("教师", "医师", "会计", "技术员"))]
                  for i, p in enumerate(hires, start=1)]
        att = self._attach(art, "docx", "拟聘用人员名单.docx",
                           A.make_docx("拟聘用人员名单", ["经考试考察，拟聘用以下人员："], table, art.when))
        for r, p in enumerate(hires, start=2):
            self._secret(art, att.url, "id_card", p["id"], p["id"], f"table1 row {r}")
            self._secret(art, att.url, "mobile", p["mobile"], p["mobile"], f"table1 row {r}")
        self._plant_att(art, att, "id_card", 5, "table 1 列 身份证号", "docx 表格中的完整身份证号码")
        self._plant_att(art, att, "mobile", 5, "table 1 列 联系电话", "docx 表格中的手机号码")

        # 7. 拟录用人员公示 as a Word 97 .doc and the same list re-issued as a WPS .wps (same binary format)
        for index, fmt, title in ((1, "doc", "拟录用人员名单.doc"), (2, "wps", "拟录用人员名单（补充）.wps")):
            art = self._host("rsxx", index)
            hires = self._people(3)
            lines = ["拟录用人员名单", "序号\t姓名\t性别\t身份证号码\t联系电话"]
            lines += [f"{i}\t{p['name']}\t{p['gender']}\t{p['id']}\t{p['mobile']}" for i, p in enumerate(hires, 1)]
            att = self._attach(art, fmt, title, word97_bytes(lines))
            for i, p in enumerate(hires, start=3):
                self._secret(art, att.url, "id_card", p["id"], p["id"], f"第{i}段")
                self._secret(art, att.url, "mobile", p["mobile"], p["mobile"], f"第{i}段")
            self._plant_att(art, att, "id_card", 3, "第3-5段", f"{fmt} 文档中的完整身份证号码")
            self._plant_att(art, att, "mobile", 3, "第3-5段", f"{fmt} 文档中的手机号码")

        # 8. a citizen's own ID and mobile published with a 信箱 letter
        art = self._host("xzxx", 4)
        writer = self._people(1)[0]
        art.paragraphs = art.paragraphs[:1] + [f"本人身份证号：{writer['id']}，联系手机：{writer['mobile']}。"] + art.paragraphs[1:]
        self._secret(art, "", "id_card", writer["id"], writer["id"], "来信内容")
        self._secret(art, "", "mobile", writer["mobile"], writer["mobile"], "来信内容")
        self._plant("personal_data", art.col, "", "信箱来信公开时未删除来信人身份证号码", pii_type="id_card", count=1,
                    location="来信内容", _art=art)
        self._plant("personal_data", art.col, "", "信箱来信公开时未删除来信人手机号码", pii_type="mobile", count=1,
                    location="来信内容", _art=art)

        # clean attachments: figures and documents with no personal data
        art = self._host("czxx", 1)
        budget = [["科目编码", "科目名称", "预算数（万元）"]] + [[f"2010{i:02d}", n, round(rng.uniform(10, 900), 2)]
                                                          for i, n in enumerate(("行政运行", "一般行政管理事务", "机关服务", "事业运行"), 1)]
        self._attach(art, "xlsx", "部门预算公开表.xlsx", A.make_xlsx("收支总表", budget, art.when))
        art = self._host("ghjh", 1)
        self._attach(art, "pdf", "规划文本.pdf", A.make_pdf(art.title[:30], art.paragraphs))
        art = self._host("zcwj", 2)
        self._attach(art, "docx", "实施方案.docx", A.make_docx(art.title[:40], art.paragraphs, None, art.when))
        art = self._host("xxgknb", 0)
        figures = max(re.findall(r"\d+", art.paragraphs[5]), key=len)
        self._lookalike(art, "flattened_figures", figures, "三、收到和处理政府信息公开申请情况")

    def _lookalike(self, art: Art, what: str, value: str, location: str) -> None:
        self.m.lookalikes.append({"url": "", "what": what, "value": value, "location": location, "_art": art})

    def _plant_att(self, art: Art, att: Att, pii_type: str, count: int, location: str, note: str) -> None:
        self._plant("personal_data", art.col, att.url, note, pii_type=pii_type, count=count, location=location,
                    format=att.fmt, _art=art)

    def _attach(self, art: Art, fmt: str, filename: str, data: bytes, ewebeditor: bool = False) -> Att:
        """Attachment URLs are fixed now (independent of the article URL) in the shape of each CMS."""
        day = art.when
        if ewebeditor:
            url = f"/ewebeditor/uploadfile/{day:%Y/%m/%d}/{day:%Y%m%d%H%M}{self.rng.randint(10000, 99999)}.{fmt}"
        elif art.col.cms == "vsb":
            h = hashlib.sha1(f"{self.seed}{filename}{day}".encode()).hexdigest()
            url = f"/__local/{h[0].upper()}/{h[1:3].upper()}/{h[3:7].upper()}/{h[7:39].upper()}.{fmt}"
        else:
            url = f"{art.col.dir}{day:%Y%m}/P0{day:%Y%m%d}{self.rng.randint(10**11, 10**12 - 1)}.{fmt}"
        att = Att(url, filename, fmt, data)
        art.atts.append(att)
        return att

    # ---- URLs ----------------------------------------------------------------------------------------
    def assign_urls(self) -> None:
        for col in self.cols:
            col.arts.sort(key=lambda a: a.when, reverse=True)
            for art in col.arts:
                d = art.when
                if col.cms == "hanweb":
                    art.url = f"/art/{d.year}/{d.month}/{d.day}/art_{col.colid}_{5_000_000 + art.docid}.html"
                elif col.cms == "vsb":
                    art.url = f"/info/{col.colid}/{40_000 + art.docid}.htm"
                    art.encoding = "gbk"
                elif col.cms == "plain":
                    art.url = f"{col.dir}content_{art.docid}.html"
                else:
                    art.url = f"{col.dir}{d:%Y%m}/t{d:%Y%m%d}_{art.docid}.html"
                art.meta = col.cms in ("trs", "hanweb") and not (col.cms == "trs" and art.docid % 10 == 7)
        for entry in self.m.planted + self.m.lookalikes:
            art = entry.pop("_art", None)
            if art is not None:
                entry["page_url" if entry["url"] else "url"] = art.url
                entry["column_url"] = art.col.url
        for secret in self.m.secrets:
            art = secret.pop("_art")
            secret["page_url"] = art.url
            secret["url"] = secret["url"] or art.url

    # ---- rendering -----------------------------------------------------------------------------------
    def nav(self) -> R.Nav:
        groups: dict[str, list[tuple[str, str]]] = {}
        for col in self.cols:
            if col.level == 1:
                groups.setdefault(col.channel.split("/")[0], []).append((col.name, self._link(col)))
        return [("首页", "/", [])] + [(CHANNELS[k][0], CHANNELS[k][1], groups.get(k, [])) for k in CHANNELS
                                     if k in groups or self.style.service_entry]     # no-service: an empty channel goes

    def put(self, path: str, html: str | bytes, when: dt.datetime | None = None, encoding: str = "utf-8") -> None:
        data = html if isinstance(html, bytes) else html.encode(encoding, errors="xmlcharrefreplace")
        self.files[path] = data
        self.mtimes[path] = when or dt.datetime.combine(self.as_of, dt.time(8, 0))

    def column_meta(self, col: Col) -> list[tuple[str, str]]:
        kind = GUIDELINE_TYPE.get(col.type, col.type)
        metas = self.style.metas
        if metas == "missing":
            return R.site_meta()
        if col.channel.startswith("zwgk") and metas == "generic":
            kind = ("信息公开目录", "政府信息公开")[col.colid % 2]     # the catalogue, not the column
        elif col.channel.startswith("zwgk") and metas == "list":
            kind = f"信息公开，{kind}"
        return R.site_meta() + [("ColumnName", col.name), ("ColumnDescription", f"{C.SITE_NAME}{col.name}栏目"),
                                ("ColumnKeywords", f"{C.COUNTY},{col.name}"), ("ColumnType", kind)]

    def _crumbs(self, trail: list[tuple[str, str]], family: str) -> str:
        """The breadcrumb of a family; with twin links the current column is an unlinked li.path-cur."""
        if self.style.twin_links:
            return R.crumbs_current_unlinked(trail)
        return R.crumbs_vsb(trail) if family == "vsb" else R.crumbs_trs(trail)

    def _link(self, col: Col) -> str:
        """Menus link a TRS column as /x/ when twin links are on; lists and maps keep /x/index.html."""
        if self.style.twin_links and col.url.endswith("/index.html"):
            return col.url[: -len("index.html")]
        return col.url

    def render_lists(self) -> None:
        nav = self.nav()
        for col in self.cols:
            if col.hub:
                self._list_hub(col, nav)
            else:
                getattr(self, f"_list_{col.cms}")(col, nav)

    def _list_hub(self, col: Col, nav: R.Nav) -> None:
        """A 一级栏目 landing page: its sub-columns' names and links, no entries, no pager."""
        subs = [c for c in self.cols if c.parent is col]
        links = "".join(f'<li><a href="{escape(self._link(c))}">{escape(c.name)}</a></li>' for c in subs)
        charset = "gbk" if col.encoding == "gbk" else "utf-8"
        metas = R.site_meta() if col.cms == "vsb" else self.column_meta(col)
        crumbs = (R.hidden_location(col.trail, self.style.twin_links) if col.cms == "hanweb"
                  else self._crumbs(col.trail, col.cms))
        html = (R.head(f"{col.name}_{C.SITE_NAME}", metas, charset=charset) + "<body>\n" + R.header(nav) + crumbs
                + f'<div class="main"><h2 class="lm-title">{escape(col.name)}</h2><ul class="sub-columns">{links}</ul>'
                + "</div>\n" + R.footer())
        self.put(col.url, html, encoding=charset)
        col.list_urls.append(col.url)

    def _entries(self, col: Col) -> list[Art]:
        return col.arts if col.state in ("normal", "undated") else []

    def _blank_html(self, col: Col) -> str:
        if col.state == "暂无信息":
            return '<div class="nodata">暂无信息</div>'
        if col.state == "建设中":
            return '<div class="nodata">本栏目正在建设中，敬请期待……</div>'
        return ""

    def _list_trs(self, col: Col, nav: R.Nav) -> None:
        arts = self._entries(col)
        pages = [arts[i:i + PER_PAGE_TRS] for i in range(0, len(arts), PER_PAGE_TRS)] or [[]]
        subnav = ""
        if any(c.parent is col for c in self.cols):
            subnav = '<div class="subcols">' + "".join(f'<a href="{c.url}">{c.name}</a>' for c in self.cols
                                                       if c.parent is col) + "</div>\n"
        api = self.style.list_api == "trsapi"
        if api:
            pages = [arts[:TRSAPI_PER_PAGE]]
            self._trsapi_records(col, arts)
        for n, chunk in enumerate(pages):
            if col.date_style == "cn":
                rows = "".join(f'<tr><td><a href="./{a.url[len(col.dir):]}" title="{escape(a.title)}" target="_blank">'
                               f"{escape(a.title)}</a></td><td>{a.index_number or ''}</td><td>{escape(a.source)}</td>"
                               f"<td>{R.fmt_date(a.when, 'cn')}</td></tr>" for a in chunk)
                body = ('<table class="xxgk-list"><tr><th>名称</th><th>索引号</th><th>发布机构</th><th>发布日期</th></tr>'
                        + rows + "</table>")
            else:
                body = '<ul class="list">' + "".join(
                    f'<li><a href="./{a.url[len(col.dir):]}" title="{escape(a.title)}" target="_blank">{escape(a.title)}'
                    f'</a><span class="date">{R.fmt_date(a.when, col.date_style)}</span></li>' for a in chunk) + "</ul>"
            body += self._blank_html(col)
            pager = R.trs_page_script(len(pages), n, with_links=col.pagination == "static")
            if api:
                pager = R.trsapi_list_model(col.colid, len(arts), TRSAPI_PER_PAGE)
            page_url = col.url if n == 0 else f"{col.dir}index_{n}.html"
            html = (R.head(f"{col.name}_{C.SITE_NAME}", self.column_meta(col), extra=R.trs_pager_js())
                    + "<body>\n" + R.header(nav) + self._crumbs(col.trail, "trs")
                    + f'<div class="main"><h2 class="lm-title">{col.name}</h2>\n{subnav}{body}\n{pager}</div>\n'
                    + R.footer())
            self.put(page_url, html, chunk[0].when if chunk else None)
            col.list_urls.append(page_url)

    def _trsapi_records(self, col: Col, arts: list[Art]) -> None:
        """What the Fujian platform's list API answers for this channel (the server pages through it)."""
        self.m.server.setdefault("trsapi", {})[str(col.colid)] = [
            {"doctitle": a.title, "docpuburl": a.url, "docreltime": a.when.strftime("%Y-%m-%d %H:%M:%S"),
             "chnldesc": col.name} for a in arts]

    def _list_hanweb(self, col: Col, nav: R.Nav) -> None:
        arts = self._entries(col)
        every = [f'<record><![CDATA[<li><a href="{a.url}" target="_blank" title="{escape(a.title)}">{escape(a.title)}'
                 f'</a><span class="bt-data-time">{R.fmt_date(a.when, "md")}</span></li>]]></record>' for a in arts]
        per_page = 15
        if self.style.list_api == "hanweb_post":
            # The page carries the first page of records; the rest only come from dataproxy.jsp by POST.
            per_page = HANWEB_API_PER_PAGE
            self.m.server.setdefault("hanweb_dataproxy", {})[str(col.colid)] = every
            every = every[:per_page]
        records = "\n".join(every)
        unit = 5000 + col.colid
        html = (R.head(f"{col.name} {C.SITE_NAME}", self.column_meta(col)) + "<body>\n"
                + R.hidden_location(col.trail, self.style.twin_links) + R.header(nav)
                + f'<div class="main"><div class="bt-title">{col.name}</div><div id="{unit}">'
                + '<script type="text/xml"><datastore>'
                + '<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=9901&path=/&'
                + f'columnid={col.colid}&unitid={unit}&permissiontype=0"></a>]]></nextgroup>'
                + f"<recordset>\n{records}\n</recordset></datastore></script></div>{self._blank_html(col)}\n"
                + '<script language="javascript" src="/module/jslib/jquery/jpage/jquery.jpage.js"></script>\n'
                + f"<script>$(document).ready(function(){{$('#{unit}').jpage({{dataStore:dataStore,"
                + f"totalRecord:{len(arts)},perPage:{per_page},proxyUrl:'/module/web/jpage/dataproxy.jsp'"
                + ("" if self.style.classic else
                   f",ajaxParam:{{col:1,webid:9901,path:'/',columnid:{col.colid},sourceContentType:1,unitid:{unit},"
                   "webname:'青禾县人民政府',permissiontype:0}")
                + "});});</script>"
                + "</div>\n" + R.footer())
        self.put(col.url, html, arts[0].when if arts else None)
        col.list_urls.append(col.url)

    def _list_vsb(self, col: Col, nav: R.Nav) -> None:
        arts = self._entries(col)
        pages = [arts[i:i + PER_PAGE_VSB] for i in range(0, len(arts), PER_PAGE_VSB)] or [[]]
        total = len(pages)
        names = [col.url] + [f"{col.dir}{total - k}.htm" for k in range(1, total)]
        for k, chunk in enumerate(pages):
            here = names[k]
            up = "../" * (here.count("/") - 1)
            items = "".join(f'<li id="line_u7_{i}"><a href="{up}{a.url[1:]}" target="_blank" title="{escape(a.title)}">'
                            f'{escape(a.title)}</a><span>{R.fmt_date(a.when, "slash")}</span></li>'
                            for i, a in enumerate(chunk))
            links = [f"共{len(arts)}条&nbsp;&nbsp;{k + 1}/{total}&nbsp;"]
            if k > 0:
                links.append(f'<a href="{up}{names[0][1:]}" class="Next">首页</a>')
                links.append(f'<a href="{up}{names[k - 1][1:]}" class="Next">上页</a>')
            if k < total - 1:
                links.append(f'<a href="{up}{names[k + 1][1:]}" class="Next">下页</a>')
                links.append(f'<a href="{up}{names[-1][1:]}" class="Next">尾页</a>')
            html = (R.head(f"{col.name}-{C.SITE_NAME}", R.site_meta(), charset="gbk") + "<body>\n" + R.header(nav)
                    + self._crumbs([("首页", f"{up}index.html")] + col.trail[1:], "vsb")
                    + f'<div class="main_list"><h2>{col.name}</h2><ul class="list">{items}</ul>{self._blank_html(col)}'
                    + f'<div class="pb_sys_common pb_sys_normal">{"&nbsp;".join(links)}</div></div>\n' + R.footer())
            self.put(here, html, chunk[0].when if chunk else None, encoding="gbk")
            col.list_urls.append(here)

    def _list_plain(self, col: Col, nav: R.Nav) -> None:
        items = "".join(f'<li><a href="{a.url}">{escape(a.title)}</a></li>' for a in col.arts)
        html = (R.head(col.name, [("SiteName", C.SITE_NAME)]) + "<body>\n" + R.header(nav)
                + self._crumbs(col.trail, "trs")
                + f'<div class="main"><h2>{col.name}</h2><ul class="list">{items}</ul></div>\n' + R.footer())
        self.put(col.url, html)
        col.list_urls.append(col.url)

    def render_articles(self) -> None:
        nav = self.nav()
        for col in self.cols:
            for art in col.arts:
                getattr(self, f"_art_{col.cms}")(art, nav)
                for att in art.atts:
                    self.put(att.url, att.data, art.when)

    def _body(self, art: Art) -> str:
        body = R.paragraphs_html(art.paragraphs, art.word) + "\n" + "\n".join(art.extra_html)
        if art.atts:
            up = "../" * (art.url.count("/") - 1)
            links = []
            for i, att in enumerate(art.atts, start=1):
                art_dir = art.url.rsplit("/", 1)[0] + "/"
                # TRS writes attachment links relative to the article's own directory (./P0….xlsx).
                href = f"./{att.url[len(art_dir):]}" if art.col.cms == "trs" and att.url.startswith(art_dir) \
                    else (f"{up}{att.url[1:]}" if art.col.cms == "vsb" else att.url)
                links.append(f'<p>附件{i}：<a href="{href}" target="_blank">{escape(att.filename)}</a></p>')
            body += '\n<div class="attachments">' + "".join(links) + "</div>"
        return body

    def _art_column_meta(self, col: Col) -> list[tuple[str, str]]:
        metas = self.column_meta(col)
        if self.style.metas == "generic" and col.channel.startswith("zwgk"):
            # Article pages of 信息公开 platforms often name the whole catalogue in ColumnName.
            metas = [(k, f"{C.COUNTY}政府信息公开" if k == "ColumnName" else v) for k, v in metas]
        return metas

    def _art_meta(self, art: Art, pubdate: str) -> list[tuple[str, str]]:
        metas = self._art_column_meta(art.col)
        if art.meta:
            metas += [("ArticleTitle", art.title), ("PubDate", pubdate), ("ContentSource", art.source)]
        return metas

    def _xxgk_info(self, art: Art, style: str) -> str:
        """The 信息公开 metadata block (索引号, 文号 …) that 政务公开 detail pages carry on every platform."""
        return R.xxgk_table([("索引号", art.index_number or ""), ("发布机构", art.source), ("名称", art.title),
                             ("文号", art.doc_number or ""), ("主题分类", art.col.type),
                             ("成文日期", R.fmt_date(art.when - dt.timedelta(days=2), style)),
                             ("发布日期", R.fmt_date(art.when, style))])

    def _art_trs(self, art: Art, nav: R.Nav) -> None:
        col = art.col
        cn = col.date_style == "cn"
        pubdate = R.fmt_date(art.when, "cn") if cn else art.when.strftime("%Y-%m-%d %H:%M")
        if col.channel.startswith("zwgk"):
            info = self._xxgk_info(art, "cn" if cn else "iso")
        else:
            info = f'<div class="info">发布时间：{art.when:%Y-%m-%d %H:%M}　来源：{escape(art.source)}</div>\n'
        charset = "gbk" if art.encoding == "gbk" else "utf-8"
        html = (R.head(f"{art.title}_{C.SITE_NAME}", self._art_meta(art, pubdate), charset=charset) + "<body>\n"
                + R.header(nav) + self._crumbs(col.trail, "trs") + info
                + f'<div class="article"><h1>{escape(art.title)}</h1>\n<div class="TRS_Editor">{self._body(art)}</div></div>\n'
                + R.footer())
        self.put(art.url, html, art.when, encoding=art.encoding)

    def _art_hanweb(self, art: Art, nav: R.Nav) -> None:
        metas = R.site_meta() + [("ColumnName", art.col.name), ("ColumnType", "工作动态")]
        if not self.style.classic:
            metas = self._art_column_meta(art.col)
        if art.meta:
            metas += [("ArticleTitle", art.title), ("Maketime", art.when.strftime("%Y-%m-%d %H:%M:%S")),
                      ("PubDate", art.when.strftime("%Y-%m-%d %H:%M")), ("contentSource", art.source)]
        html = (R.head(f"{art.title} {C.SITE_NAME}", metas) + "<body>\n"
                + R.hidden_location(art.col.trail, self.style.twin_links) + R.header(nav)
                + (self._xxgk_info(art, "iso") if art.col.channel.startswith("zwgk") else "")
                + f'<div class="article"><div class="title">{escape(art.title)}</div>\n'
                + f'<div class="info">发布日期：{art.when:%Y-%m-%d %H:%M}　信息来源：{escape(art.source)}　'
                + '浏览次数：<span id="hits"></span></div>\n'
                + f'<div id="zoom">{self._body(art)}</div></div>\n' + R.footer())
        self.put(art.url, html, art.when)

    def _art_vsb(self, art: Art, nav: R.Nav) -> None:
        up = "../../"
        html = (R.head(f"{art.title}-{C.SITE_NAME}", R.site_meta(), charset="gbk") + "<body>\n" + R.header(nav)
                + self._crumbs([("首页", f"{up}index.html")] + art.col.trail[1:], "vsb")
                + (self._xxgk_info(art, "iso") if art.col.channel.startswith("zwgk") else "")
                + '<form name="_newscontent_fromname"><div class="content">'
                + f'<h1 class="title">{escape(art.title)}</h1>\n<div class="info">来源：{escape(art.source)}　作者：　'
                + f'时间：{art.when:%Y-%m-%d}　点击率：<script>_showDynClicks("wbnews", 1712345, {40_000 + art.docid})</script>'
                + "【 打印 】【 关闭 】</div>\n"
                + f'<div id="vsb_content"><div class="v_news_content">{self._body(art)}</div></div></div></form>\n'
                + R.footer())
        self.put(art.url, html, art.when, encoding="gbk")

    def _art_plain(self, art: Art, nav: R.Nav) -> None:
        html = (R.head(art.title, []) + "<body>\n" + R.header(nav) + self._crumbs(art.col.trail, "trs")
                + f'<div class="article"><h1>{escape(art.title)}</h1>\n<div class="content">{self._body(art)}</div></div>\n'
                + R.footer())
        self.put(art.url, html, art.when)

    # ---- site chrome ---------------------------------------------------------------------------------
    def render_chrome(self) -> None:
        nav = self.nav()
        news = [a for a in self.col("qhyw").arts if a.when.date() <= self.as_of][:8]
        notices = [a for a in self.col("tzgg").arts][:8]

        def block(title: str, more: str, arts: list[Art]) -> str:
            return (f'<div class="block"><h3>{title}<a class="more" href="{more}">更多&gt;&gt;</a></h3><ul>'
                    + "".join(f'<li><a href="{a.url}">{escape(a.title)}</a><span>{a.when:%Y-%m-%d}</span></li>'
                              for a in arts) + "</ul></div>\n")

        home_meta = R.site_meta() + [("ColumnName", "首页"), ("ColumnType", "首页")]
        home = (R.head(C.SITE_NAME, home_meta) + "<body>\n" + R.header(nav) + '<div class="main">'
                + block("青禾要闻", self.col("qhyw").url, news) + block("通知公告", self.col("tzgg").url, notices)
                + f'<div class="block"><a href="/calendar?date={self.as_of.isoformat()}">活动日历</a> | '
                + '<a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=' + C.SITE_ID_CODE
                + '">我为政府网站找错</a> | 政务服务便民热线：12345</div></div>\n' + R.footer())
        self.put("/index.html", home)
        for key, (name, url) in CHANNELS.items():
            if key in ("news", "bsfw") and url in [c.url for c in self.cols]:
                continue
            cols = [c for c in self.cols if c.channel.split("/")[0] == key and c.level == 1]
            enc = "gbk" if key == "bmxx" and self.style.classic else "utf-8"
            body = "".join(f'<li><a href="{c.url if enc == "utf-8" else c.url[len("/bmxx/"):]}">{c.name}</a></li>'
                           for c in cols)
            html = (R.head(f"{name}_{C.SITE_NAME}", R.site_meta() + [("ColumnName", name)], charset=enc)
                    + "<body>\n" + R.header(nav) + R.crumbs_trs([("首页", "/"), (name, url)])
                    + f'<div class="main"><h2>{name}</h2><ul class="channel">{body}</ul></div>\n' + R.footer())
            self.put(url, html, encoding=enc)
        groups = "".join(f'<div class="group"><h3>{name}</h3><ul>'
                         + "".join(f'<li><a href="{c.url}">{c.name}</a></li>' for c in self.cols
                                   if c.channel.split("/")[0] == key)
                         + "</ul></div>" for key, (name, _url) in CHANNELS.items())
        self.put("/wzdt/index.html", R.head(f"网站地图_{C.SITE_NAME}", R.site_meta()) + "<body>\n" + R.header(nav)
                 + R.crumbs_trs([("首页", "/"), ("网站地图", "/wzdt/index.html")])
                 + f'<div class="main sitemap">{groups}</div>\n' + R.footer())
        self.put("/admin/index.html", R.head("后台管理", []) + '<body><form method="post" action="/admin/login">'
                 '用户名<input name="u"> 密码<input type="password" name="p"></form></body></html>\n')
        self.put("/robots.txt", "User-agent: *\nDisallow: /admin/\n")
        self.put("/images/base.css", "body{font-family:'Microsoft YaHei',sans-serif;}\n")
        for name in ("logo.png", "ga.png"):
            self.put(f"/images/{name}", _PNG_1PX)

    def plant_site_quirks(self) -> None:
        """The broken link, the page that fails once, the lying charset header, the calendar trap."""
        tzgg = self.col("tzgg")
        plain = [a for a in tzgg.arts if id(a) not in self.hosts and a.kind == "notice" and a.when.date() <= self.as_of]
        # Small scales leave fewer plain notices; the picks stay distinct, and the default output is unchanged.
        source, flaky, lying = (plain[2], plain[5], plain[7]) if len(plain) >= 8 else plain[:3]
        missing = f"{tzgg.dir}{source.when.year - 3}01/t{source.when.year - 3}0108_{10_000 + self.seed % 997}.html"
        if tzgg.cms == "vsb":                 # the removed article in the shape of its own CMS
            missing = f"/info/{tzgg.colid}/{10_000 + self.seed % 997}.htm"
        elif tzgg.cms == "hanweb":
            missing = f"/art/{source.when.year - 3}/1/8/art_{tzgg.colid}_{10_000 + self.seed % 997}.html"
        source.paragraphs = source.paragraphs + ["相关链接："]
        source.extra_html.append(f'<p><a href="{missing}">上一年度有关通知</a></p>')
        self.m.broken_links.append({"url": missing, "source_url": source.url, "status": 404})
        self.m.flaky.append({"url": flaky.url, "status": 500, "fails": 1})
        lying.encoding = "gbk"
        self.m.lying_charset.append({"url": lying.url, "header": "utf-8", "actual": "gbk"})
        self.m.traps.append({"url": f"/calendar?date={self.as_of.isoformat()}", "path": "/calendar",
                             "kind": "calendar", "note": "每个日期页面都链接到下一天，链接无穷无尽"})
        self.m.robots_disallow = ["/admin/"]
        self.m.server = {"charset_prefixes": {"/bmxx/": "GBK", "/info/": "GBK"}, "hidden": ["/manifest.json"]}
        if not self.style.classic:
            # GBK where the 博达 columns live (their list pages, list directories and /info/ articles).
            prefixes = {p: "GBK" for c in self.cols if c.cms == "vsb" for p in (c.url, c.dir)}
            self.m.server["charset_prefixes"] = {**prefixes, **({"/info/": "GBK"} if prefixes else {})}

    # ---- manifest ------------------------------------------------------------------------------------
    def finish_manifest(self) -> None:
        for col in self.cols:
            shown = [a for a in col.arts] if col.state in ("normal", "undated") else []
            latest = max((a.when.date() for a in shown), default=None) if col.state == "normal" else None
            entry = {"name": col.name, "url": col.url, "path": col.path, "type": col.type, "level": col.level,
                     "list_urls": col.list_urls, "items": len(shown), "latest": latest.isoformat() if latest else None,
                     "age_days": (self.as_of - latest).days if latest else None, "cms": col.cms,
                     "pagination": {"static": "index_n", "js": "js_only", "xml": "hanweb_xml", "vsb": "vsb_countdown",
                                    "none": "single"}[col.pagination],
                     "encoding": col.encoding}
            if col.hub:
                entry["hub"] = True
            if self.style.list_api == "hanweb_post" and col.cms == "hanweb" and not col.hub:
                entry["pagination"] = "hanweb_dataproxy_post"
            elif self.style.list_api == "trsapi" and col.cms == "trs" and not col.hub:
                entry["pagination"] = "fujian_trsapi"
            stale = _stale(col, latest, self.as_of)
            if stale:
                self._plant("stale_column", col, col.url, stale[1], age_days=stale[0], limit=stale[2])
            if col.state in ("empty", "暂无信息", "建设中"):
                self._plant("blank_column", col, col.url, {"empty": "列表为空"}.get(col.state, col.state),
                            marker=None if col.state == "empty" else col.state)
            if col.state == "undated":
                self._plant("undated_column", col, col.url, "栏目列表及文章页均无可识别的发布日期")
            if col.planted:
                entry["planted"] = sorted(col.planted)
            self.m.columns.append(entry)
            for art in col.arts:
                self.m.articles.append({
                    "url": art.url, "column_url": col.url, "title": art.title,
                    "published": None if col.state == "undated" else art.when.date().isoformat(),
                    "doc_number": art.doc_number, "index_number": art.index_number,
                    "source": None if col.cms == "plain" else art.source, "meta": art.meta,
                    "encoding": art.encoding})
                for att in art.atts:
                    self.m.attachments.append({"url": att.url, "page_url": art.url, "format": att.fmt,
                                               "filename": att.filename, "size": len(att.data)})

    def write(self, out: Path) -> None:
        for path, data in sorted(self.files.items()):
            target = out / path.lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            stamp = calendar.timegm(self.mtimes[path].timetuple()) - 8 * 3600      # site time is UTC+8
            os.utime(target, (stamp, stamp))
        self.m.write(out / "manifest.json")


_HOW = {"plain": "连续数字", "fullwidth": "全角数字", "spaced": "空格分段", "spans": "拆分在多个span中"}
_PNG_1PX = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                         "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")


def _render_digits(value: str, how: str) -> str:
    """An ID number as leaked pages show it: plain, full-width, space-split or split over <span>s."""
    if how == "fullwidth":
        return value.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"}).replace("X", "Ｘ")
    if how == "spaced":
        return f"{value[:6]} {value[6:14]} {value[14:]}"
    if how == "spans":
        return f"<span>{value[:6]}</span><span>{value[6:10]}</span><span>{value[10:]}</span>"
    return value


def _plain_text(html: str) -> str:
    return html.replace("<span>", "").replace("</span>", "")


def _stale(col: Col, latest: dt.date | None, as_of: dt.date) -> tuple[int, str, str] | None:
    """(age, note, limit) when the column misses its 国办秘函〔2019〕19号 update window."""
    if latest is None:
        return None
    age = (as_of - latest).days
    if col.type == "动态要闻" and age > 14:
        return age, f"动态要闻类栏目{age}天未更新（超过2周）", "14d"
    if col.type in ("通知公告", "政策文件") and col.level == 1 and latest < _months_back(as_of, 6):
        return age, f"通知公告、政策文件类一级栏目{age}天未更新（超过6个月）", "6m"
    if col.type in ("人事信息", "规划计划") and latest < _months_back(as_of, 12):
        return age, f"人事、规划计划类栏目{age}天未更新（超过1年）", "1y"
    return None


# Styles: each family's list pagination and list date format; the real-columns type of a demo type;
# the unit that owns a department column (县教体局动态); columns whose name is the county's own.
_FAMILY_LISTS = {"trs": ("static", "iso"), "hanweb": ("xml", "md"), "vsb": ("vsb", "slash")}
_TSV_TYPE = {"其他": "建议提案"}
_OWNERS = {"jtj": "县教体局", "wjj": "县卫健局", "mzj": "民政局", "rsj": "人社局", "qhz": "青禾镇"}
_KEEP_NAME = {"qhgk"}


def _retarget(col: Col, family: str) -> None:
    """Render a column in another CMS family, with that family's list pagination and date format."""
    if col.cms != family:
        col.cms = family
        col.pagination, col.date_style = _FAMILY_LISTS[family]


def _months_back(day: dt.date, months: int) -> dt.date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def build(out_dir: Path, seed: int = 2026, as_of: dt.date | None = None, scale: float = 1.0,
          style: Style | str = CLASSIC, names_file: Path | None = None) -> Manifest:
    """Write the demo portal and its manifest.json into `out_dir` (replacing what was there).

    `style` (a Style, or a name / knob list for parse_style) changes how the portal is rendered, never
    what is planted; `names_file` is the real-columns list for styles with real names.
    """
    as_of = as_of or dt.date.today()
    style = parse_style(style, seed) if isinstance(style, str) else style
    out_dir = Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    site = Site(seed, as_of, scale, style, names_file)
    site.plan_columns()
    drop_service_entry(site)                   # the no-service style plans no 办事服务 (govaudit/demo/service_plant.py)
    site.plan_articles()
    site.plant_problems()
    site.assign_urls()
    site.plant_site_quirks()
    site.render_lists()
    site.render_articles()
    site.render_chrome()
    plant_identity_and_outage(site)            # IDN and AVL001 plants (govaudit/demo/availability_identity.py)
    plant_veto_families(site)                  # issue 14 plants (govaudit/demo/veto_plants.py)
    plant_service(site)                        # SRV001/SRV002: 服务不实用 (govaudit/demo/service_plant.py)
    plant_annual_reports(site)                 # issue 13: full 年报 with one faulty (govaudit/demo/annual_plant.py)
    plant_broken_images(site)                  # LNK006/LNK007: broken images (govaudit/demo/image_plant.py)
    site.finish_manifest()
    site.write(out_dir)
    return site.m


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成青禾县人民政府演示网站（虚构）及其真值清单 manifest.json")
    parser.add_argument("out", type=Path, help="输出目录（将被清空重建）")
    parser.add_argument("--seed", type=int, default=2026, help="随机种子")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None, help="检查基准日期 YYYY-MM-DD，默认今天")
    parser.add_argument("--scale", type=float, default=1.0, help="文章数量倍数")
    parser.add_argument("--style", default="classic",
                        help=f"网站样式：{'、'.join(STYLES)}、seed（由种子决定），或“参数=值,…”（如 cms=vsb,names=real）")
    parser.add_argument("--columns-tsv", type=Path, default=None, help="真实栏目名称清单（默认为参考资料目录中的清单）")
    args = parser.parse_args(argv)
    try:
        style = parse_style(args.style, args.seed)
    except StyleError as error:
        parser.error(str(error))
    manifest = build(args.out, args.seed, args.as_of, args.scale, style, args.columns_tsv)
    print(f"已生成：{len(manifest.columns)} 个栏目，{len(manifest.articles)} 篇文章，"
          f"{len(manifest.attachments)} 个附件，{len(manifest.planted)} 处预置问题 → {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
