"""Placement on the real saved pages of shared/reference/samples, filed in real columns (real-columns.tsv) and in a
generated site large enough for the per-site model: a counted mismatch there must be one a person would call one.

The pages are read by the crawler's own extraction (crawler.extract.page.parse_page), so what the check sees is
what an audit of those portals would see: 邯郸's 关于印发…的通知 shows 文号：无 in its 信息公开 block, the gov.cn
公报 item is a 全国人大常委会 决议 with no 文号 at all. Both are formal documents filed where they belong in any
政策文件 column; three news items (山西, 载人航天, 浙江发改委) in a 政策文件 column are true mismatches.
"""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from checks.placement import category_mismatch
from crawler.extract.page import parse_page
from crawler.records import ColumnRecord, PageRecord, Snapshot
from rules.column_types import judge_column_type
from tests.checks.test_placement_model import make_site
from tests.crawler.extract.extract_samples import SAMPLE_URLS, load_sample
from tests.needs import reference_file

BASE = "http://www.example.gov.cn"
RULE = {"params": {}}

NEWS = ("article_shanxi_gov_cn_trs_20190918.html", "article_cmse_gov_cn_trs_20210106.html",
        "article_fgw_zj_gov_cn_hanweb_jcms_20161122.html")
FORMAL = ("xxgk_detail_hdzfxxgk_hd_gov_cn_trs_20200802.html", "article_gov_cn_gongbao_2007.html",
          "xxgk_detail_pingtan_gov_cn_gfxwj_suoyinhao_20161026.html")
NOTICES = ("gongshi_pingtan_gov_cn_cxdb_xls_attachment_20220629.html", "pii_gongshi_table_formats_SYNTHETIC.html")


def real_article(name: str) -> PageRecord:
    """The sample as the crawler stores it (no column yet)."""
    html, url = load_sample(name)
    parsed = parse_page(html, url)
    assert parsed.article is not None and not parsed.is_list, name
    a = parsed.article
    return PageRecord(url=url, title=a.title, text=a.text or "", doc_number=a.doc_number, index_number=a.index_number,
                      source=a.source, topic=a.topic, written=a.written, published=a.published or dt.date(2023, 6, 1))


def filed(page: PageRecord, url: str, column: ColumnRecord) -> PageRecord:
    return PageRecord(**{**page.__dict__, "url": url, "column_url": column.url})


@pytest.fixture(scope="module")
def articles() -> dict[str, PageRecord]:
    return {name: real_article(name) for name in (*NEWS, *FORMAL, *NOTICES)}


def test_the_formal_documents_carry_no_readable_doc_number(articles):
    """The premise of the tests below: these formal documents show no 文号 the check could read."""
    assert articles[FORMAL[0]].doc_number is None and "文号：无" in articles[FORMAL[0]].text
    assert articles[FORMAL[1]].doc_number is None and articles[FORMAL[1]].title.endswith("决议")
    assert articles[FORMAL[2]].doc_number == "岚综管综〔2016〕266号"


def test_real_pages_in_every_real_column_are_never_counted_where_they_fit(articles):
    """Each page in each of the 395 real columns, typed by name and breadcrumb as the crawler types them."""
    with open(reference_file("columns", "real-columns.tsv"), encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    columns, pages, where = [], [], {}
    for i, row in enumerate(rows):
        verdict = judge_column_type(row["name"], row["parent_path"])
        column = ColumnRecord(url=f"{BASE}/col{i}/index.htm", name=row["name"], type=verdict.type,
                              path=" > ".join(p for p in (row["parent_path"], row["name"]) if p),
                              type_source=verdict.source, type_reason=verdict.reason)
        columns.append(column)
        for j, (name, page) in enumerate(articles.items()):
            url = f"{BASE}/col{i}/{j}.htm"
            pages.append(filed(page, url, column))
            where[url] = (name, column)
    snapshot = Snapshot(site_name="示例县人民政府", site_url=BASE, as_of=dt.date(2023, 12, 31),
                        columns_=columns, pages_=pages)
    found = list(category_mismatch(snapshot, RULE))
    assert found                                            # the check did judge them (review at least)
    wrong = [(where[o.url][0], where[o.url][1].name, where[o.url][1].type, o.observed["reason"])
             for o in found if not o.needs_review
             and not (where[o.url][0] in NEWS and where[o.url][1].type in ("政策文件", "政策解读"))]
    assert not wrong, wrong


def test_formal_documents_without_doc_number_are_only_review_in_a_numbered_policy_column(articles):
    """In a site the model can learn, whose 政府文件 column numbers its documents: news there is counted,
    a formal 通知 or 决议 without a 文号 only asks (it is filed where it belongs), the numbered one is silent."""
    snapshot, _ = make_site(900, seed=21)
    policy = next(c for c in snapshot.columns_ if c.type == "政策文件")
    truth = {}
    for j, (name, page) in enumerate(articles.items()):
        url = f"{policy.url}real{j}.htm"
        snapshot.pages_.append(filed(page, url, policy))
        truth[url] = name
    found = {truth[o.url]: o for o in category_mismatch(snapshot, RULE) if o.url in truth}
    assert all(name in found and not found[name].needs_review for name in NEWS), found
    for name in FORMAL[:2]:
        assert found[name].needs_review, (name, found[name].observed)
        assert "正式文件" in found[name].observed["review_reason"], found[name].observed
    assert FORMAL[2] not in found
    assert not any(not found[name].needs_review for name in NOTICES if name in found)


@pytest.mark.slow
def test_real_column_names_holding_their_own_content_and_a_few_strays():
    """Every real column whose inspector type the generator can write (157 of 395), typed by its name and
    breadcrumb as the crawler types it, with 22 articles of the inspector's type and 3 % strays of another
    type: the per-site model and the rules run together. Nothing at home is counted; every counted one is a stray."""
    import random

    from tests.checks.test_placement_model import TEMPLATES, make_article

    with open(reference_file("columns", "real-columns.tsv"), encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t") if r["type"] in TEMPLATES]
    rng = random.Random(1)
    columns, pages, strays = [], [], set()
    for i, row in enumerate(rows):
        verdict = judge_column_type(row["name"], row["parent_path"])
        column = ColumnRecord(url=f"{BASE}/c{i}/index.htm", name=row["name"], type=verdict.type,
                              path=" > ".join(p for p in (row["parent_path"], row["name"]) if p),
                              type_source=verdict.source, type_reason=verdict.reason)
        columns.append(column)
        for k in range(22):
            true_type = row["type"]
            if rng.random() < 0.03:
                true_type = rng.choice([t for t in TEMPLATES if t != row["type"]])
            title, body, doc = make_article(rng, true_type)
            url = f"{BASE}/c{i}/{k}.htm"
            if true_type != row["type"]:
                strays.add(url)
            pages.append(PageRecord(url=url, column_url=column.url, title=title, text=body, doc_number=doc,
                                    published=dt.date(2023, 1, 1) + dt.timedelta(days=9 * k)))
    snapshot = Snapshot(site_name="示例县人民政府", site_url=BASE, as_of=dt.date(2023, 12, 31),
                        columns_=columns, pages_=pages)
    counted = {o.url for o in category_mismatch(snapshot, RULE) if not o.needs_review}
    assert len(columns) >= 150 and len(strays) >= 60
    assert counted <= strays, sorted(counted - strays)
    assert len(counted) >= 0.5 * len(strays)
