"""Every real reference page, field by field, through parse_page."""

from __future__ import annotations

import datetime as dt
import re

from extract_samples import load_sample

from crawler.extract.page import parse_page

CSS_NOISE = re.compile(r"mso-|font-family|@font-face|MsoNormal|simpread|allow-copy|function\s*\(|document\.write")


def page_of(name: str):
    html, url = load_sample(name)
    page = parse_page(html, url)
    assert page.error is None
    return page


def assert_clean(text: str) -> None:
    assert not CSS_NOISE.search(text), CSS_NOISE.search(text)


def crumbs(page) -> list[str]:
    return [link.text for link in page.breadcrumb]


def test_trs_list_hd_pagination_and_entry():
    page = page_of("list_hdzfxxgk_hd_gov_cn_trs_jinqixxgk.html")
    assert page.is_list and page.article is None
    assert len(page.pagination) == 55                                   # var countPage=56, current 0
    assert page.pagination[0] == "http://hdzfxxgk.hd.gov.cn/zfwj/jinqixxgk/index_1.html"
    assert page.pagination[-1] == "http://hdzfxxgk.hd.gov.cn/zfwj/jinqixxgk/index_55.html"
    assert [(e.url, e.date) for e in page.list_entries] == [
        ("http://hdzfxxgk.hd.gov.cn/gszbm/auto23716/202008/t20200805_1353179.html", dt.date(2020, 8, 5))]
    assert page.list_entries[0].title.startswith("邯郸市教育局关于印发《邯郸市学校安全工作目标管理考核办法》")
    assert crumbs(page) == ["首页", "政府文件", "近期信息公开"]
    assert page.meta["ColumnType"] == "信息公开，政策文件"
    assert page.blank_marker is None


def test_trs_xxgk_detail_hd_metadata_block():
    page = page_of("xxgk_detail_hdzfxxgk_hd_gov_cn_trs_20200802.html")
    art = page.article
    assert art is not None and not page.is_list
    assert art.title == "邯郸市教育局关于印发《全市教育系统安全专项整治三年行动实施方案》的通知"
    assert (art.published, art.published_source) == (dt.date(2020, 8, 2), "meta")   # PubDate 2020年08月02日
    assert art.index_number == "000014348/2020-35147"
    assert art.doc_number is None                                       # 文号：无
    assert art.source == "邯郸市教育局"
    assert art.topic == "教育"
    assert art.written is None                                          # 成文日期 is commented out
    assert "allow-copy" not in art.text and "索引号：000014348/2020-35147" in art.text


def test_fujian_gfxwj_index_box_and_word_css():
    page = page_of("xxgk_detail_pingtan_gov_cn_gfxwj_suoyinhao_20161026.html")
    art = page.article
    assert art.title == "平潭综合实验区管委会关于废止部分规范性文件的通知"
    assert art.index_number == "PZ00101-1700-2023-00059"                # &ensp;-spread label
    assert art.doc_number == "岚综管综〔2016〕266号"                        # 发文字号
    assert art.topic is None                                            # 主题分类：无
    assert art.written == dt.date(2016, 10, 26)
    assert (art.published, art.published_source) == (dt.date(2016, 10, 26), "meta")
    assert art.source == "平潭综合实验区管委会办公室"
    assert "我区对出台的规范性文件进行了梳理" in art.text
    assert_clean(art.text)
    assert crumbs(page) == ["首页", "政务公开", "政府信息公开", "管委会文件", "行政规范性文件"]
    assert page.breadcrumb[-1].url == "https://www.pingtan.gov.cn/zwgk/zfxxgk/gwhwj/hzgfxwj/"   # ../ resolved
    assert page.meta["Desctiption"].startswith("废止")


def test_fujian_gongshi_xls_attachment():
    page = page_of("gongshi_pingtan_gov_cn_cxdb_xls_attachment_20220629.html")
    assert [a.url for a in page.attachments] == [
        "https://www.pingtan.gov.cn/ptwzq/ewebeditor/uploadfile/2022/07/06/20220706171834115.xls"]
    assert "人员信息表" in page.attachments[0].text
    art = page.article
    assert art.title == "关于2022年第一批次分类保障定向配租公共租赁住房申请家庭选房结果的公示"
    assert (art.published, art.source) == (dt.date(2022, 6, 29), "平潭综合实验区交通建设局")
    assert "本批次公共租赁住房选房共31户申请家庭完成选房" in art.text
    assert_clean(art.text)
    assert crumbs(page)[-3:] == ["社会保障", "社会救助", "城乡低保"]
    assert not page.is_list
    assert all(not link.url.endswith(".xls") for link in page.links)


def test_fujian_list_dl_dd_entries():
    page = page_of("list_pingtan_gov_cn_fujian_trs_jiyue_zfxxgknb.html")
    assert page.is_list and page.article is None
    assert len(page.list_entries) == 10
    first, last = page.list_entries[0], page.list_entries[-1]
    assert first.url == "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202603/t20260313_105587.htm"
    assert first.date == dt.date(2026, 3, 10) and "2025年度政府信息公开工作年度报告" in first.title
    assert last.url.endswith("/201701/t20170118_80485.htm")
    assert page.meta["ChnlId"] == "1813"
    assert not any("ipv6best" in link.url for link in page.nav_links)


def test_shanxi_trs_article():
    page = page_of("article_shanxi_gov_cn_trs_20190918.html")
    art = page.article
    assert art.title == "山西品牌丝路行（南美站）正式启动"
    assert (art.published, art.published_source) == (dt.date(2019, 9, 18), "meta")
    assert art.source == "山西日报"
    assert "山西品牌丝路行首次登陆巴西" in art.text
    assert_clean(art.text)
    assert not page.is_list and page.pagination == []                   # createPageHTML(1,0,…): one page
    assert crumbs(page)[:2] == ["首页", "要闻"]


def test_cmse_trs_article_text_date_and_source():
    page = page_of("article_cmse_gov_cn_trs_20210106.html")
    art = page.article
    assert art.title == "载人航天工程全线备战空间站建造任务"               # <title> minus site suffix
    assert (art.published, art.published_source) == (dt.date(2021, 1, 5), "text")   # 发布日期: 2021-01-05
    assert art.source == "中国空间技术研究院、中国运载火箭技术研究院等"
    assert "中国载人航天工程已经全面转入空间站建造的任务准备阶段" in art.text
    assert_clean(art.text)
    assert crumbs(page) == ["首页", "新闻中心", "综合新闻"]


def test_hanweb_article_hidden_location_and_simpread():
    page = page_of("article_fgw_zj_gov_cn_hanweb_jcms_20161122.html")
    art = page.article
    assert art.title == "1-10月德清县固定资产投资结构趋稳趋优"
    assert (art.published, art.published_source) == (dt.date(2016, 11, 22), "meta")
    assert art.source == "省发改委"                                       # meta contentSource (lower-case c)
    assert art.text.startswith("1-10月，全县固定资产投资完成246.79亿元")
    assert_clean(art.text)
    assert crumbs(page) == ["首页", "发展改革工作", "投资管理和项目推进", "投资运行"]
    assert page.breadcrumb[-1].url == "http://fgw.zj.gov.cn/col/col1621004/index.html"
    assert "投资运行" in [link.text for link in page.nav_links] or "政务公开" in [lk.text for lk in page.nav_links]


def test_gov_cn_gongbao_stray_html_close():
    page = page_of("article_gov_cn_gongbao_2007.html")
    art = page.article
    assert art is not None
    assert art.title.startswith("全国人民代表大会常务委员会关于批准财政部发行特别国债购买外汇")
    assert art.published == dt.date(2007, 8, 20)                         # meta firstpublishedtime
    assert "批准发行15500亿元特别国债购买外汇" in art.text
    assert crumbs(page) == ["首页", "国务院公报", "2007年第23号"]


def test_synthetic_pii_table_keeps_cell_boundaries():
    page = page_of("pii_gongshi_table_formats_SYNTHETIC.html")
    text = page.article.text
    assert "序号\t姓名\t性别\t身份证号码" in text                          # cells → tabs, rows → lines
    assert any(line.startswith("1\t林某甲\t男\t") for line in text.splitlines())
    assert page.attachments and page.attachments[0].url.endswith(".xls")


def test_guide_page_is_not_a_list():
    page = page_of("xxgk_guide_hdzfxxgk_hd_gov_cn_gkzn.html")
    assert not page.is_list
    assert page.meta["ColumnName"] == "政府信息公开指南"
    assert len(page.nav_links) >= 5


# ---------------------------------------------------------------------------- the column a human reads there
def test_shanxi_unlinked_current_crumb_is_kept():
    page = page_of("article_shanxi_gov_cn_trs_20190918.html")
    assert crumbs(page) == ["首页", "要闻", "山西要闻"]                 # <li class="path-cur"> 山西要闻 </li>, no link
    assert page.breadcrumb[-1].url == "" and page.breadcrumb[1].url.endswith("/yw/")
    assert page.meta["ColumnName"] == "山西要闻"


def test_hd_catalogue_column_name_and_comma_column_type():
    from crawler.columns import RANK_CRUMB, RANK_META, ColumnState
    from rules.column_types import judge_column_type, meta_values

    page = page_of("list_hdzfxxgk_hd_gov_cn_trs_jinqixxgk.html")
    column = ColumnState(url=page.url)
    column.set_name(crumbs(page)[-1], RANK_CRUMB)
    column.set_name(page.meta["ColumnName"], RANK_META)             # 邯郸市政府信息公开: the whole catalogue
    assert column.name == "近期信息公开"
    assert meta_values(page.meta["ColumnType"]) == ["信息公开", "政策文件"]
    verdict = judge_column_type(column.name, crumbs(page)[:-1], page.meta["ColumnType"])
    assert (verdict.type, verdict.source) == ("政策文件", "meta")


def test_every_sample_breadcrumb_as_read():
    """The breadcrumb a person reads on each saved page (pages without one give none)."""
    expected = {
        "article_cmse_gov_cn_trs_20210106.html": ["首页", "新闻中心", "综合新闻"],
        "article_fgw_zj_gov_cn_hanweb_jcms_20161122.html": ["首页", "发展改革工作", "投资管理和项目推进", "投资运行"],
        "article_gov_cn_gongbao_2007.html": ["首页", "国务院公报", "2007年第23号"],
        "article_shanxi_gov_cn_trs_20190918.html": ["首页", "要闻", "山西要闻"],
        "gongshi_pingtan_gov_cn_cxdb_xls_attachment_20220629.html":
            ["首页", "政务公开", "重点领域信息公开", "社会保障", "社会救助", "城乡低保"],
        "list_hdzfxxgk_hd_gov_cn_trs_jinqixxgk.html": ["首页", "政府文件", "近期信息公开"],
        "list_pingtan_gov_cn_fujian_trs_jiyue_zfxxgknb.html": [],
        "xxgk_detail_hdzfxxgk_hd_gov_cn_trs_20200802.html": [],
        "xxgk_detail_pingtan_gov_cn_gfxwj_suoyinhao_20161026.html":
            ["首页", "政务公开", "政府信息公开", "管委会文件", "行政规范性文件"],
        "xxgk_guide_hdzfxxgk_hd_gov_cn_gkzn.html": [],
    }
    for name, want in expected.items():
        assert crumbs(page_of(name)) == want, name
