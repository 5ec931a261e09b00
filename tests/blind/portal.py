"""A "blind" county portal: a 2015-era 政府信息公开 platform, written from real-portal knowledge only.

Built without reading the crawler or the checks (README user part, design.md, ../shared/reference/ only), so that
its markup, URLs and faults are not shaped by what govaudit already handles. The family is one none of the other
test portals use:

- the main site: `/news/<col>/` lists as `<ul><li>` with `index.html, index_2.html, …` (1-based second page),
  articles at `/news/<col>/YYYY/MMDD/<id>.html`, breadcrumbs written with `../../`, one column whose list is an
  `<iframe src="list.jsp?pageIndex=1">`;
- the 政府信息公开 platform under `/xxgk/`: a JSP application, columns are `list.jsp?catid=NN` (paged with
  `&pageIndex=N`), articles `content.jsp?id=N&catid=NN` with a 信息索引表, a left menu holding the 主动公开目录
  tree and the 主题 / 机构 / 体裁 facets (`list.jsp?theme=01` …), a 公开指南 page, a 依申请公开 form, a column that is
  only a link to the 财政预决算 sub-site;
- what real portals serve besides: a calendar with an endless next-month link, a search page, hrefs with spaces,
  Chinese, upper case and too many `../`, 302 chains, a page that answers very late, a truncated PDF, a ".doc" that
  is HTML, an .xls behind a Chinese file name with a space in it.

`build(seed)` returns the routes and a truth manifest in govaudit/demo/evaluate.py's format (`planted`,
`broken_links`; paths, never hosts). Seeds 91, 92, 93 differ in names, dates, IDs, which columns are stale and
which articles are misplaced.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import quote

from tests.blind import attachments, content, synthetic

AS_OF = date(2026, 11, 30)
SEEDS = (91, 92, 93)
SITE = "青石县人民政府"
SUBSITE = "http://czyjs.qingshi.gov.cn/"              # the 财政预决算 sub-site (never fetched: tests are offline)
SERVICE_PLATFORM = "http://www.hbzwfw.gov.cn/"         # the provincial 政务服务 platform
HOTLINE = "http://12345.hebei.gov.cn/"
SLOW_PATH = "/news/live.html"                          # answers after SLOW_SECONDS (server.py)
SLOW_SECONDS = 40.0
PER_PAGE_NEWS, PER_PAGE_XXGK = 20, 10


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    location: str | None = None


@dataclass
class Article:
    id: int
    title: str
    day: date
    paragraphs: list[str]
    doc_number: str = ""
    index_number: str = ""
    theme: str = "01"
    org: str = "001"
    genre: str = "01"
    links: list[tuple[str, str]] = field(default_factory=list)     # (label, href) under the text: attachments
    html: str = ""                                                  # extra markup (a table) after the text
    url: str = ""


@dataclass
class Column:
    key: str
    name: str
    type: str
    url: str                     # the column's own address (the manifest's column_url)
    articles: list[Article] = field(default_factory=list)


@dataclass
class Portal:
    seed: int
    routes: dict[str, Route]
    manifest: dict


THEMES = {"01": "综合政务", "02": "国民经济管理、国有资产监管", "03": "财政、金融、审计", "04": "城乡建设、环境保护",
          "05": "劳动、人事、监察", "06": "民政、扶贫、救灾", "07": "民族、宗教"}
ORGS = {"001": "县政府办公室", "002": "县民政局", "003": "县财政局", "004": "县人力资源和社会保障局"}
GENRES = {"01": "通知", "02": "公告公示", "03": "解读", "04": "报告", "05": "其他"}
ORG_CODES = {"001": "11130424MB1530921K", "002": "11130424000013579P", "003": "111304240000246802",
             "004": "11130424MB0357913X"}


# ----------------------------------------------------------------------------------------- page chrome
def _page(title: str, crumbs: str, main: str, left: str = "") -> bytes:
    side = f'<div class="left">{left}</div>' if left else ""
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta name="keywords" content="青石县,青石县人民政府,政务公开" />
<title>{title}-{SITE}</title>
<link href="/css/style.css" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="/js/jquery-1.7.2.min.js"></script>
</head><body>
<div class="top"><div class="top-in"><span id="today"></span>
<a href="javascript:void(0)" onclick="SetHome(this,window.location)">设为首页</a> | <a href="javascript:void(0)" onclick="AddFavorite()">加入收藏</a> |
<a href="/wzdt.html">网站地图</a></div></div>
<div class="banner"><img src="/images/banner.jpg" alt="{SITE}" /></div>
<div class="nav"><ul>
<li><a href="/">首&nbsp;&nbsp;页</a></li><li><a href="/news/">新闻中心</a></li><li><a href="/xxgk/">政务公开</a></li>
<li><a href="{SERVICE_PLATFORM}" target="_blank">政务服务</a></li><li><a href="/hdjl.html">互动交流</a></li>
<li><a href="/zjqs.html">走进青石</a></li></ul></div>
<div class="main">{side}<div class="right">
<div class="position">您当前的位置：{crumbs}</div>
{main}
</div></div>
<div class="footer"><p>主办：{SITE}办公室　承办：{SITE}信息中心　联系电话：0310-7512345</p>
<p>网站标识码：1304240001　<a href="https://beian.miit.gov.cn/">冀ICP备05012345号</a>　冀公网安备 13042402000123号</p>
<script type="text/javascript">document.write(unescape("%3Cspan id='_ideConac' %3E%3C/span%3E"));</script></div>
</body></html>""".encode()


def _news_crumbs(col: Column, depth: int) -> str:
    """Breadcrumb links written relative to the page, as the platform's templates write them (`depth`: folders
    between the page and /news/)."""
    up = "../" * depth
    return (f'<a href="{up}../index.html">首页</a> &gt; <a href="{up}">新闻中心</a> &gt; '
            f'<a href="{up}{col.url.split("/")[2]}/">{col.name}</a>')


def _xxgk_left(columns: list[Column]) -> str:
    tree = "".join(f'<li><a href=" {c.url.removeprefix("/xxgk/")} ">{c.name}</a></li>' for c in columns)
    facet = lambda param, names: "".join(  # noqa: E731
        f'<li><a href="list.jsp?{param}={k}">{v}</a></li>' for k, v in names.items())
    return (f'<div class="menu"><h3>主动公开目录</h3><ul class="tree">{tree}'
            '<li><a href="gkzn.html">政府信息公开指南</a></li><li><a href="gkzd.html">政府信息公开制度</a></li>'
            '<li><a href="ysqgk.html">依申请公开</a></li></ul>'
            f'<h3>按主题分类</h3><ul class="facet">{facet("theme", THEMES)}</ul>'
            f'<h3>按机构分类</h3><ul class="facet">{facet("org", ORGS)}</ul>'
            f'<h3>按体裁分类</h3><ul class="facet">{facet("genre", GENRES)}</ul></div>')


def _xxgk_crumbs(name: str) -> str:
    return f'<a href="/">首页</a> &gt; <a href="/xxgk/">政府信息公开</a> &gt; <span>{name}</span>'


# ----------------------------------------------------------------------------------------- the build
class _Builder:
    def __init__(self, seed: int) -> None:
        self.seed, self.rng = seed, random.Random(seed)
        self.routes: dict[str, Route] = {}
        self.planted: list[dict] = []
        self.broken: list[dict] = []
        self.notes: list[str] = []
        self.next_id = 4000 + seed * 10

    def add(self, path: str, body: bytes, **kw) -> None:
        self.routes[path] = Route(body=body, **kw)

    def new_id(self) -> int:
        self.next_id += self.rng.randrange(1, 9)
        return self.next_id

    def days(self, newest: int, count: int, spread: int) -> list[date]:
        """`count` publication dates, the newest `newest` days before AS_OF, newest first."""
        ages = sorted([newest] + [newest + self.rng.randrange(1, spread) for _ in range(count - 1)])
        return [AS_OF - timedelta(days=a) for a in ages]


def _article(b: _Builder, made: tuple[str, list[str], str], day: date) -> Article:
    title, paragraphs, number = made
    return Article(b.new_id(), title, day, paragraphs, number)


def _news_columns(b: _Builder) -> list[Column]:
    rng = b.rng
    stale_notice = rng.random() < 0.5
    zwyw = Column("zwyw", "政务要闻", "动态要闻", "/news/zwyw/")
    bmdt = Column("bmdt", rng.choice(("部门动态", "部门信息")), "动态要闻", "/news/bmdt/")
    xzdt = Column("xzdt", rng.choice(("乡镇动态", "乡镇之窗")), "动态要闻", "/news/xzdt/")
    tzgg = Column("tzgg", rng.choice(("通知公告", "公示公告")), "通知公告", "/news/tzgg/")
    for day in b.days(rng.randrange(1, 4), 45, 150):
        zwyw.articles.append(_article(b, content.news(rng, day, synthetic.person(rng)), day))
    for day in b.days(rng.randrange(30, 70), 12, 200):
        bmdt.articles.append(_article(b, content.news(rng, day, synthetic.person(rng)), day))
    for day in b.days(rng.randrange(2, 7), 26, 120):
        xzdt.articles.append(_article(b, content.news(rng, day, synthetic.person(rng)), day))
    newest_notice = rng.randrange(200, 300) if stale_notice else rng.randrange(10, 40)
    for day in b.days(newest_notice, 14, 300):
        tzgg.articles.append(_article(b, content.notice(rng, day, synthetic.person(rng)), day))
    b.planted.append({"kind": "stale_column", "column_url": bmdt.url, "note": f"{bmdt.name}: 动态要闻, newest "
                      f"{(AS_OF - bmdt.articles[0].day).days} days old"})
    if stale_notice:
        b.planted.append({"kind": "stale_column", "column_url": tzgg.url, "note": f"{tzgg.name}: 通知公告, newest "
                          f"{(AS_OF - tzgg.articles[0].day).days} days old"})
    return [zwyw, bmdt, xzdt, tzgg]


def _news_article_page(col: Column, art: Article) -> bytes:
    depth = 3                                                    # /news/<col>/YYYY/MMDD/<id>.html
    text = "".join(f"<p>{p}</p>" for p in art.paragraphs)
    side = ('<div class="related"><h4>相关栏目</h4><a href="../../../tpxw/index.html">图片新闻</a> '
            '<a href="../../../../../index.html">返回首页</a></div>')
    main = (f'<div class="article"><h1>{art.title}</h1><div class="info">发布时间：{art.day:%Y-%m-%d} '
            f'{8 + art.id % 9:02d}:{art.id % 60:02d}　来源：{col.name}　浏览次数：<span id="hits"></span>'
            f'<script src="/hits.jsp?id={art.id}"></script></div>'
            f'<div class="content" id="zoom">{text}</div>{side}</div>')
    return _page(art.title, _news_crumbs(col, depth), main)


def _news_list_items(col: Column, arts: list[Article], date_style: str, prefix: str) -> str:
    rows = []
    for art in arts:
        when = {"dash": f"{art.day:%Y-%m-%d}", "slash": f"{art.day:%Y/%m/%d}",
                "cn": f"[{art.day.year}年{art.day.month:02d}月{art.day.day:02d}日]"}[date_style]
        rows.append(f'<li><span class="date">{when}</span><a href="{prefix}{art.url.removeprefix(col.url)}" '
                    f'target="_blank" title="{art.title}">{art.title}</a></li>')
    return f'<ul class="list">{"".join(rows)}</ul>'


def _pager(total: int, per: int, page: int, href) -> str:
    pages = max(1, -(-total // per))
    parts = [f"共{total}条记录 第{page}/{pages}页", f'<a href="{href(1)}">首页</a>']
    if page > 1:
        parts.append(f'<a href="{href(page - 1)}">上一页</a>')
    if page < pages:
        parts.append(f'<a href="{href(page + 1)}">下一页</a>')
    parts.append(f'<a href="{href(pages)}">尾页</a>')
    return f'<div class="page">{" ".join(parts)}</div>'


def _serve_news(b: _Builder, columns: list[Column]) -> None:
    styles = {"zwyw": "dash", "bmdt": "slash", "xzdt": "dash", "tzgg": "cn"}
    for col in columns:
        for art in col.articles:
            art.url = f"{col.url}{art.day:%Y}/{art.day:%m%d}/{art.id}.html"
            b.add(art.url, _news_article_page(col, art))
        total = len(col.articles)
        if col.key == "xzdt":            # the list is another page, shown in an iframe
            def frame_href(n: int) -> str:
                return f"list.jsp?pageIndex={n}"
            for n in range(1, max(1, -(-total // 15)) + 1):
                chunk = col.articles[(n - 1) * 15:n * 15]
                body = (f'<html><head><meta charset="utf-8"><link href="/css/list.css" rel="stylesheet"></head><body>'
                        f'{_news_list_items(col, chunk, "dash", "")}{_pager(total, 15, n, frame_href)}</body></html>')
                b.add(f"{col.url}list.jsp?pageIndex={n}", body.encode("utf-8"))
            main = (f'<div class="col-title"><h2>{col.name}</h2></div><iframe src="list.jsp?pageIndex=1" id="listFrame" '
                    'name="listFrame" width="100%" height="760" frameborder="0" scrolling="no"></iframe>')
            b.add(col.url + "index.html", _page(col.name, _news_crumbs(col, 1), main))
            continue

        def href(n: int) -> str:
            return "index.html" if n == 1 else f"index_{n}.html"
        for n in range(1, max(1, -(-total // PER_PAGE_NEWS)) + 1):
            chunk = col.articles[(n - 1) * PER_PAGE_NEWS:n * PER_PAGE_NEWS]
            main = (f'<div class="col-title"><h2>{col.name}</h2></div>'
                    f'{_news_list_items(col, chunk, styles[col.key], "")}{_pager(total, PER_PAGE_NEWS, n, href)}')
            b.add(col.url + href(n), _page(col.name, _news_crumbs(col, 1), main))
    blocks = "".join(
        f'<div class="block"><div class="block-title"><h3>{c.name}</h3><a class="more" href="{c.key}/">更多&gt;&gt;</a></div>'
        f'{_news_list_items(c, c.articles[:6], "dash", c.key + "/")}</div>' for c in columns)
    b.add("/news/index.html", _page("新闻中心", '<a href="../index.html">首页</a> &gt; <span>新闻中心</span>', blocks))
    b.broken.append({"url": "/news/tpxw/index.html", "note": "图片新闻: ../../../tpxw/ from every news article"})


# ----------------------------------------------------------------------------------------- 政府信息公开
def _xxgk_columns(b: _Builder) -> tuple[list[Column], dict[str, Column]]:
    rng = b.rng
    spec = [("zfwj", "11", rng.choice(("政府文件", "政策文件")), "政策文件"),
            ("zcjd", "12", "政策解读", "政策解读"),
            ("rsxx", "13", rng.choice(("人事信息", "人事任免")), "人事信息"),
            ("ghjh", "14", rng.choice(("规划计划", "专项规划")), "规划计划"),
            ("tjsj", "15", rng.choice(("统计数据", "统计信息")), "数据发布"),
            ("czyjs", "16", rng.choice(("财政预决算", "财政信息")), "财政信息"),
            ("gknb", "17", "政府信息公开年报", "信息公开年报"),
            ("shjz", "18", rng.choice(("社会救助", "城乡低保")), "重点领域"),
            ("zfcg", "19", "政府采购", "招标采购")]
    cols = [Column(key, name, kind, f"/xxgk/list.jsp?catid={cat}") for key, cat, name, kind in spec]
    by = {c.key: c for c in cols}
    seq = iter(range(rng.randrange(5, 20), 999))

    def add(col: Column, made: tuple[str, list[str], str], day: date, theme: str, org: str, genre: str) -> Article:
        title, paragraphs, number = made
        art = Article(b.new_id(), title, day, paragraphs, number, theme=theme, org=org, genre=genre)
        art.index_number = f"{ORG_CODES[org]}/{day.year}-{next(seq):05d}"
        col.articles.append(art)
        return art

    for day in b.days(rng.randrange(30, 150), 15, 700):
        add(by["zfwj"], content.policy(rng, day, next(seq)), day, rng.choice(("01", "02", "04")), "001", "01")
    for day in b.days(rng.randrange(20, 100), 9, 600):
        add(by["zcjd"], content.interpretation(rng, day, 0), day, "01", rng.choice(("001", "003")), "03")
    for day in b.days(rng.randrange(380, 520), 8, 900):
        add(by["rsxx"], content.appointment(rng, day, next(seq), synthetic.person(rng)), day, "05", "004", "01")
    for year, day in ((y, date(y + 1, 1, rng.randrange(15, 28))) for y in (2025, 2024, 2023, 2022, 2021)):
        add(by["gknb"], content.annual_report(year), day, "01", "001", "04")
    for day in b.days(rng.randrange(3, 20), 8, 300):
        made = content.tender(rng, day, next(seq)) if rng.random() < 0.6 else content.procurement_result(rng, day, next(seq))
        add(by["zfcg"], made, day, "03", "003", "02")
    b.planted.append({"kind": "stale_column", "column_url": by["rsxx"].url,
                      "note": f"{by['rsxx'].name}: 人事信息, newest {(AS_OF - by['rsxx'].articles[0].day).days} days old"})
    for key in ("ghjh", "tjsj"):
        b.planted.append({"kind": "blank_column", "column_url": by[key].url, "note": f"{by[key].name}: nothing ever published"})

    # Misplaced, clear cases only: two of three per seed, each dated inside its column's range.
    misplaced = [("zcjd", "appointment"), ("zfwj", "tender"), ("zfwj", "annual")]
    for key, what in rng.sample(misplaced, 2):
        col = by[key]
        day = col.articles[rng.randrange(1, len(col.articles))].day
        if what == "appointment":
            made = content.appointment(rng, day, next(seq), synthetic.person(rng))
        elif what == "tender":
            made = content.tender(rng, day, next(seq))
        else:
            made = content.annual_report(day.year - 1)
        art = add(col, made, day, "01", "001", "05")
        art.genre = "02" if what == "tender" else "01"
        col.articles.sort(key=lambda a: a.day, reverse=True)
        art.url = f"/xxgk/content.jsp?id={art.id}&catid={col.url.rsplit('=', 1)[1]}"
        b.planted.append({"kind": "category_mismatch", "url": art.url, "column_url": col.url,
                          "note": f"{what} in {col.name}: {art.title}"})
    _social_assistance(b, by["shjz"], seq)
    return cols, by


def _social_assistance(b: _Builder, col: Column, seq) -> None:
    """The 社会救助 column: where personal data is published, in the page and in attachments."""
    rng = b.rng
    days = b.days(rng.randrange(2, 12), 6, 200)

    def add(title: str, paragraphs: list[str], day: date, genre: str = "02") -> Article:
        art = Article(b.new_id(), title, day, paragraphs, "", theme="06", org="002", genre=genre)
        art.index_number = f"{ORG_CODES['002']}/{day.year}-{next(seq):05d}"
        art.url = f"/xxgk/content.jsp?id={art.id}&catid=18"
        col.articles.append(art)
        return art

    intro = ["根据《社会救助暂行办法》和省、市有关规定，经本人申请、乡镇审核、入户调查、民主评议，县民政局审批，"
             "现将有关对象名单予以公示，公示期7天。如有异议，请在公示期内向县民政局反映，监督电话：0310-7523456。"]
    # 1. the whole table in the page: full IDs and mobiles
    rows = [[str(i), synthetic.person(rng), synthetic.id_number(rng), f"{rng.choice(content.TOWNS)}某某村",
             synthetic.mobile(rng), str(rng.randrange(1, 5))] for i in range(1, 7)]
    table = ('<table border="1" cellspacing="0" cellpadding="0" class="gs-table"><tr><th>序号</th><th>户主姓名</th>'
             '<th>身份证号码</th><th>家庭住址</th><th>联系电话</th><th>保障人口</th></tr>'
             + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows) + "</table>")
    art = add(f"{content.COUNTY}{days[0].year}年{days[0].month}月城乡低保新增对象公示", intro, days[0])
    art.html = table
    b.planted += [{"kind": "personal_data", "url": art.url, "pii_type": "id_card", "note": "公示 table in the page"},
                  {"kind": "personal_data", "url": art.url, "pii_type": "mobile", "note": "公示 table in the page"}]
    # 2. the same shape, properly masked: not a leak
    rows = [[str(i), synthetic.person(rng)[0] + "**", synthetic.masked_id(rng), synthetic.masked_mobile(rng),
             f"{rng.randrange(300, 900)}"] for i in range(1, 6)]
    masked = ('<table border="1" class="gs-table"><tr><th>序号</th><th>姓名</th><th>身份证号码</th><th>联系电话</th>'
              '<th>补助金额（元）</th></tr>' + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
              + "</table>")
    art = add(f"关于{days[1].year}年第三季度特困人员救助供养金发放情况的公示", intro, days[1])
    art.html = masked
    b.notes.append(f"{art.url}: masked 公示 (4+10*+4 IDs, 3+****+4 mobiles) is no leak")
    # 3. an .xls behind a Chinese file name with a space
    xls_rows = [[str(i), synthetic.person(rng), synthetic.id_number(rng), rng.choice(content.TOWNS),
                 str(rng.randrange(500, 3000))] for i in range(1, 9)]
    xls_path = f"/xxgk/uploadfile/{days[2]:%Y/%m%d}/临时救助 名单.xls"
    b.add(xls_path, attachments.xls_roster("Sheet1", ["序号", "姓名", "身份证号码", "所属乡镇", "救助金额（元）"], xls_rows,
                                           "临时救助对象名单"), content_type="application/vnd.ms-excel")
    art = add(f"关于{days[2].year}年第三季度临时救助对象的公示", intro + ["附件：临时救助对象名单"], days[2])
    art.links.append(("临时救助对象名单.xls", xls_path))
    b.planted.append({"kind": "personal_data", "url": xls_path, "pii_type": "id_card", "format": "xls",
                      "location": f"Sheet1!C3:C{2 + len(xls_rows)}", "note": ".xls, Chinese name with a space"})
    # 4. a PDF roster with bank cards
    pdf_rows = [[str(i), synthetic.person(rng), synthetic.bank_card(rng), "青石县农村信用合作联社", "300"] for i in range(1, 7)]
    pdf_path = f"/xxgk/uploadfile/{days[3]:%Y/%m%d}/W0{days[3]:%Y%m%d}3{rng.randrange(10**6, 10**7)}.pdf"
    b.add(pdf_path, attachments.pdf_roster("高龄津贴发放名册", ["序号", "姓名", "银行卡号", "开户行", "金额"], pdf_rows),
          content_type="application/pdf")
    art = add(f"{content.COUNTY}{days[3].year}年度高龄津贴发放名册", intro + ["附件：高龄津贴发放名册"], days[3])
    art.links.append(("高龄津贴发放名册.pdf", pdf_path))
    b.planted.append({"kind": "personal_data", "url": pdf_path, "pii_type": "bank_card", "format": "pdf",
                      "location": "p.1", "note": "PDF roster with 19-digit card numbers"})
    # 5. a ".doc" that is HTML (GBK), with IDs
    doc_rows = [[str(i), synthetic.person(rng), synthetic.id_number(rng), rng.choice(("一级", "二级")),
                 rng.choice(("视力", "肢体", "听力"))] for i in range(1, 6)]
    doc_path = f"/xxgk/uploadfile/{days[4]:%Y/%m%d}/{days[4]:%Y%m%d}094512{rng.randrange(100, 999)}.doc"
    b.add(doc_path, attachments.html_doc("困难残疾人生活补贴和重度残疾人护理补贴名单",
                                         ["序号", "姓名", "身份证号", "残疾等级", "残疾类别"], doc_rows),
          content_type="application/msword")
    art = add("关于困难残疾人生活补贴和重度残疾人护理补贴发放对象的公示", intro + ["附件：补贴对象名单"], days[4])
    art.links.append(("补贴对象名单.doc", doc_path))
    b.planted.append({"kind": "personal_data", "url": doc_path, "pii_type": "id_card",
                      "note": ".doc that is Word HTML in GBK"})
    # 6. an attachment that was never uploaded (.wps, Chinese name): a dead link
    wps_path = f"/xxgk/uploadfile/{days[5]:%Y/%m%d}/救助政策明白纸.wps"
    art = add("社会救助政策明白纸", ["为方便群众了解社会救助政策，现将社会救助政策明白纸予以公布。", "附件：社会救助政策明白纸"],
              days[5], genre="05")
    art.links.append(("社会救助政策明白纸.wps", wps_path))
    b.broken.append({"url": wps_path, "note": "attachment never uploaded (.wps, Chinese name)"})
    col.articles.sort(key=lambda a: a.day, reverse=True)


def _xxgk_article_page(cols: list[Column], col: Column, art: Article) -> bytes:
    sp = "&ensp;"
    rows = (f'<tr><th>索{sp}引{sp}号：</th><td>{art.index_number}</td><th>主题分类：</th><td>{THEMES[art.theme]}</td></tr>'
            f'<tr><th>发布机构：</th><td>{ORGS[art.org]}</td><th>成文日期：</th><td>{art.day.year}年{art.day.month:02d}月{art.day.day:02d}日</td></tr>'
            f'<tr><th>标{sp}{sp}{sp}{sp}题：</th><td colspan="3">{art.title}</td></tr>'
            f'<tr><th>文{sp}{sp}{sp}{sp}号：</th><td>{art.doc_number}</td><th>发布日期：</th><td>{art.day:%Y-%m-%d}</td></tr>')
    links = "".join(f'<p><a href="{href}">{label}</a></p>' for label, href in art.links)
    text = "".join(f"<p>{p}</p>" for p in art.paragraphs)
    main = (f'<div class="xxgk-info"><table class="xxgk_index" cellspacing="0">{rows}</table></div>'
            f'<div class="xxgk-content"><h1>{art.title}</h1><div id="zoom">{text}{art.html}</div>{links}</div>'
            '<div class="print"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>')
    return _page(art.title, _xxgk_crumbs(col.name), main, _xxgk_left(cols))


def _xxgk_table(arts: list[Article]) -> str:
    rows = "".join(f'<tr><td class="sy">{a.index_number}</td><td class="bt"><a href="{a.url.removeprefix("/xxgk/")}" '
                   f'target="_blank" title="{a.title}">{a.title}</a></td><td class="rq">{a.day:%Y-%m-%d}</td></tr>'
                   for a in arts)
    return ('<table class="xxgk-list" width="100%" cellspacing="0"><tr class="head"><th width="25%">索引号</th>'
            f'<th>标题</th><th width="14%">发文日期</th></tr>{rows}</table>')


def _serve_xxgk(b: _Builder, cols: list[Column], by: dict[str, Column]) -> None:
    left = _xxgk_left(cols)
    for col in cols:
        cat = col.url.rsplit("=", 1)[1]
        for art in col.articles:
            art.url = art.url or f"/xxgk/content.jsp?id={art.id}&catid={cat}"
            b.add(art.url, _xxgk_article_page(cols, col, art))
        head = f'<div class="col-title"><h2>{col.name}</h2></div>'
        if col.key == "ghjh":                                  # blank: the platform's "no data" row
            main = head + _xxgk_table([]).replace("</table>", '<tr><td colspan="3" class="nodata">暂无信息</td></tr></table>')
            b.add(col.url, _page(col.name, _xxgk_crumbs(col.name), main, left))
            continue
        if col.key == "tjsj":                                  # blank: an empty table and a 0-record pager
            main = head + _xxgk_table([]) + _pager(0, PER_PAGE_XXGK, 1, lambda n, c=cat: f"list.jsp?catid={c}&pageIndex={n}")
            b.add(col.url, _page(col.name, _xxgk_crumbs(col.name), main, left))
            b.add(f"{col.url}&pageIndex=1", b.routes[col.url].body)
            continue
        if col.key == "czyjs":                                 # only a link to the sub-site: not blank
            main = head + (f'<div class="sub-site"><a href="{SUBSITE}" target="_blank"><img src="/images/czyjs.jpg" '
                           f'alt="{content.COUNTY}财政预决算公开平台" /></a><p>本栏目信息在{content.COUNTY}财政预决算公开平台'
                           f'集中发布，请<a href="{SUBSITE}" target="_blank">点击进入</a>。</p></div>')
            b.add(col.url, _page(col.name, _xxgk_crumbs(col.name), main, left))
            b.notes.append(f"{col.url}: links only to the 财政预决算 sub-site, not blank")
            continue
        total = len(col.articles)
        for n in range(1, max(1, -(-total // PER_PAGE_XXGK)) + 1):
            chunk = col.articles[(n - 1) * PER_PAGE_XXGK:n * PER_PAGE_XXGK]
            main = head + _xxgk_table(chunk) + _pager(total, PER_PAGE_XXGK, n,
                                                      lambda k, c=cat: f"list.jsp?catid={c}&pageIndex={k}")
            page = _page(col.name, _xxgk_crumbs(col.name), main, left)
            b.add(f"{col.url}&pageIndex={n}", page)
            if n == 1:
                b.add(col.url, page)
    # 政府文件 lists a document that was withdrawn (deleted) later: a dead link in the list
    gone = f"/xxgk/content.jsp?id={b.new_id()}&catid=11"
    zfwj_first = by["zfwj"].url
    for page in (b.routes[zfwj_first], b.routes[f"{zfwj_first}&pageIndex=1"]):
        page.body = page.body.replace(b"</table>", (
        f'<tr><td class="sy">{ORG_CODES["001"]}/2023-00031</td><td class="bt"><a href="{gone.removeprefix("/xxgk/")}" '
            'target="_blank">县政府办公室关于调整县政府领导工作分工的通知</a></td><td class="rq">2023-03-02</td></tr></table>'
        ).encode(), 1)
    b.broken.append({"url": gone, "note": "withdrawn document still listed in 政府文件"})
    # the facets: every published document by 主题 / 机构 / 体裁 (民族、宗教 has none: a facet, not a column)
    published = sorted((a for c in cols for a in c.articles), key=lambda a: a.day, reverse=True)
    for param, names, attr in (("theme", THEMES, "theme"), ("org", ORGS, "org"), ("genre", GENRES, "genre")):
        for key, name in names.items():
            arts = [a for a in published if getattr(a, attr) == key]
            pages = max(1, -(-len(arts) // PER_PAGE_XXGK))
            for n in range(1, pages + 1):
                chunk = arts[(n - 1) * PER_PAGE_XXGK:n * PER_PAGE_XXGK]
                main = (f'<div class="col-title"><h2>{name}</h2></div>' + _xxgk_table(chunk)
                        + _pager(len(arts), PER_PAGE_XXGK, n, lambda k, p=param, q=key: f"list.jsp?{p}={q}&pageIndex={k}"))
                page = _page(name, _xxgk_crumbs(name), main, left)
                b.add(f"/xxgk/list.jsp?{param}={key}&pageIndex={n}", page)
                if n == 1:
                    b.add(f"/xxgk/list.jsp?{param}={key}", page)
    b.notes.append("/xxgk/list.jsp?theme=07: an empty 主题 facet (民族、宗教), a catalogue view, not a column")
    # the hub, the guide, the rules, the application form
    recent = "".join(f'<li><span>{a.day:%Y-%m-%d}</span><a href="{a.url.removeprefix("/xxgk/")}">{a.title}</a></li>'
                     for a in published[:10])
    hub = (f'<div class="col-title"><h2>最新公开信息</h2></div><ul class="list">{recent}</ul>'
           '<div class="gk-entry"><a href="gkzn.html"><img src="/images/gkzn.jpg" alt="公开指南" /></a>'
           '<a href="ysqgk.html"><img src="/images/ysqgk.jpg" alt="依申请公开" /></a>'
           f'<a href="list.jsp?catid=17"><img src="/images/gknb.jpg" alt="公开年报" /></a></div>')
    b.add("/xxgk/index.html", _page("政府信息公开", '<a href="/">首页</a> &gt; <span>政府信息公开</span>', hub, left))
    guide = ("<p>为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。</p>"
             "<p>一、主动公开。（一）公开范围……（二）公开形式：县政府门户网站、政务公开专栏、政府公报。</p>"
             "<p>二、依申请公开。申请人可通过网上申请、信函申请、当面申请等方式提出。受理机构：县政府办公室，"
             "办公地址：青石县人民路1号，邮政编码：056700，联系电话：0310-7512345，传真：0310-7512346。</p>")
    b.add("/xxgk/gkzn.html", _page("政府信息公开指南", _xxgk_crumbs("政府信息公开指南"),
                                   f'<div class="article"><h1>{SITE}政府信息公开指南</h1>{guide}</div>', left))
    b.add("/xxgk/gkzd.html", _page("政府信息公开制度", _xxgk_crumbs("政府信息公开制度"),
                                   '<div class="article"><h1>政府信息公开制度</h1><p>一、政府信息公开工作制度。'
                                   '二、保密审查制度。三、依申请公开办理制度。</p></div>', left))
    form = ('<form action="ysqgk_submit.jsp" method="post" name="sqform"><table class="form-table">'
            '<tr><th>申请人类型</th><td><input type="radio" name="sqrlx" value="1" checked />公民 '
            '<input type="radio" name="sqrlx" value="2" />法人或其他组织</td></tr>'
            '<tr><th>姓名</th><td><input type="text" name="xm" /></td><th>证件号码</th><td><input type="text" name="zjhm" /></td></tr>'
            '<tr><th>联系电话</th><td><input type="text" name="lxdh" /></td><th>电子邮箱</th><td><input type="text" name="email" /></td></tr>'
            '<tr><th>所需信息内容描述</th><td colspan="3"><textarea name="nrms" rows="6"></textarea></td></tr>'
            '<tr><td colspan="4"><input type="submit" value="提交申请" /> <input type="reset" value="重置" /></td></tr>'
            '</table></form><p>申请表下载：<a href="/xxgk/uploadfile/ysqgksqb.doc">政府信息公开申请表.doc</a></p>')
    b.add("/xxgk/ysqgk.html", _page("依申请公开", _xxgk_crumbs("依申请公开"), form, left))
    b.add("/xxgk/uploadfile/ysqgksqb.doc", attachments.html_doc("政府信息公开申请表", ["申请人", "证件号码", "联系电话"],
                                                                [["", "", ""]]), content_type="application/msword")
    # one procurement document's attachment is a truncated PDF
    art = by["zfcg"].articles[0]
    pdf = f"/xxgk/uploadfile/{art.day:%Y/%m%d}/P0{art.day:%Y%m%d}{art.id}.pdf"
    b.add(pdf, attachments.truncated_pdf("招标文件"), content_type="application/pdf")
    page = b.routes[art.url]
    page.body = page.body.replace(b'<div class="print">', f'<p>附件：<a href="{pdf}">招标文件.pdf</a></p><div class="print">'
                                  .encode(), 1)
    b.notes.append(f"{pdf}: a truncated PDF without personal data (an extraction error, no finding)")


# ----------------------------------------------------------------------------------------- home and the rest
def _home(b: _Builder, news: list[Column], by: dict[str, Column]) -> None:
    def block(title: str, more: str, arts: list[Article], upper: bool = False) -> str:
        items = "".join(
            f'<li><a href="{a.url.upper() if upper and i == 0 and a.url.startswith("/news/") else a.url}" target="_blank" '
            f'title="{a.title}">{a.title}</a><span>[{a.day:%m-%d}]</span></li>' for i, a in enumerate(arts))
        return (f'<div class="index-block"><div class="hd"><h3>{title}</h3><a class="more" href="{more}">更多&gt;&gt;</a>'
                f'</div><ul>{items}</ul></div>')
    zwyw, bmdt, xzdt, tzgg = news
    blocks = (block(zwyw.name, "/news/zwyw/", zwyw.articles[:7], upper=True) + block(tzgg.name, "/news/tzgg/", tzgg.articles[:7])
              + block(bmdt.name, "/news/bmdt/", bmdt.articles[:7]) + block(xzdt.name, "/news/xzdt/", xzdt.articles[:7])
              + block("政府文件", "/xxgk/list.jsp?catid=11", by["zfwj"].articles[:5])
              + block("政策解读", "/xxgk/list.jsp?catid=12", by["zcjd"].articles[:5]))
    calendar = ('<div class="calendar"><h3>日历</h3><a href="/calendar.jsp?ym=2026-10">&lt;上月</a> <b>2026年11月</b> '
                '<a href="/calendar.jsp?ym=2026-12">下月&gt;</a></div>')
    search = ('<div class="search"><form action="/search/search.jsp" method="get"><input name="q" type="text" />'
              '<input type="submit" value="搜索" /></form>热门搜索：<a href="/search/search.jsp?q=低保">低保</a> '
              '<a href="/search/search.jsp?q=招聘">招聘</a></div>')
    links = ('<div class="links"><h3>专题专栏</h3><ul><li><a href="/zwgk/old.html">“两学一做”学习教育专题</a></li>'
             '<li><a href="/gk/">政府信息公开（旧版入口）</a></li><li><a href="' + SLOW_PATH + '">网上直播</a></li>'
             f'<li><a href="{SERVICE_PLATFORM}" target="_blank">河北政务服务网</a></li></ul></div>')
    main = search + calendar + blocks + links
    b.add("/index.html", _page("首页", '<a href="/">首页</a>', main))
    b.add("/gk/", b"", location="/xxgk/")                       # an old entry: 302 -> /xxgk/ (a folder)
    b.routes["/gk/"].status = 302
    b.add("/zwgk/old.html", b"", location="/zwgk/old2.html")    # 302 -> 302 -> 404: a dead special topic
    b.routes["/zwgk/old.html"].status = 302
    b.add("/zwgk/old2.html", b"", location="/zt/lxyz/index.html")
    b.routes["/zwgk/old2.html"].status = 302
    b.broken.append({"url": "/zwgk/old.html", "note": "302 -> 302 -> 404 (a removed special topic)"})
    # Every answer comes after the crawler's timeout, retries included: the link does not work for a citizen
    # either, and LNK001's fixture counts a timed-out link as broken.
    b.broken.append({"url": SLOW_PATH, "note": f"answers after {SLOW_SECONDS:.0f} s, every time"})
    b.add(SLOW_PATH, _page("网上直播", '<a href="/">首页</a> &gt; 网上直播', "<p>直播已结束。</p>"))
    interaction = (f'<div class="article"><h1>互动交流</h1><p>县长信箱、网上咨询、投诉建议已统一归集至'
                   f'<a href="{HOTLINE}" target="_blank">河北省12345政务服务便民热线平台</a>。</p></div>')
    b.add("/hdjl.html", _page("互动交流", '<a href="/">首页</a> &gt; 互动交流', interaction))
    about = ("<p>青石县位于河北省南部，总面积约一千平方公里，辖五镇三乡，总人口约四十万。</p>"
             "<p>青石县历史悠久，文化灿烂，是全国粮食生产先进县。</p>")
    b.add("/zjqs.html", _page("走进青石", '<a href="/">首页</a> &gt; 走进青石', f'<div class="article">{about}</div>'))
    sitemap = "".join(f'<li><a href="{c.url}">{c.name}</a></li>' for c in news) + "".join(
        f'<li><a href="{c.url}">{c.name}</a></li>' for c in by.values())
    b.add("/wzdt.html", _page("网站地图", '<a href="/">首页</a> &gt; 网站地图', f"<ul class='map'>{sitemap}</ul>"))


def build(seed: int) -> Portal:
    """The portal of one seed: its routes (path -> Route) and its truth manifest."""
    b = _Builder(seed)
    news = _news_columns(b)
    _serve_news(b, news)
    cols, by = _xxgk_columns(b)
    _serve_xxgk(b, cols, by)
    _home(b, news, by)
    columns = [{"name": c.name, "url": c.url, "type": c.type} for c in (*news, *cols)]
    manifest = {"skin": "xxgk2015", "seed": seed, "held_out": True, "as_of": AS_OF.isoformat(),
                "columns": columns, "planted": b.planted, "broken_links": b.broken, "not_planted": b.notes}
    return Portal(seed, b.routes, manifest)


def quoted(path: str) -> str:
    """A manifest path as a client sends it (UTF-8 percent-encoded, spaces as %20)."""
    return quote(path, safe="/?&=%")
