"""Shared helpers: the real reference pages (shared/reference/samples beside the repo, see tests/needs.py)."""

from __future__ import annotations

from tests.needs import reference_file

# The URL each saved page was served from (from its own canonical/meta Url, comments or links).
SAMPLE_URLS = {
    "article_cmse_gov_cn_trs_20210106.html": "http://www.cmse.gov.cn/xwzx/zhxw/202101/t20210106_47506.html",
    "article_fgw_zj_gov_cn_hanweb_jcms_20161122.html":
        "http://fgw.zj.gov.cn/art/2016/11/22/art_1621004_30332664.html",
    "article_gov_cn_gongbao_2007.html": "https://www.gov.cn/gongbao/content/2007/content_702389.htm",
    "article_shanxi_gov_cn_trs_20190918.html": "http://www.shanxi.gov.cn/yw/sxyw/201909/t20190918_693227.shtml",
    "gongshi_pingtan_gov_cn_cxdb_xls_attachment_20220629.html":
        "https://www.pingtan.gov.cn/zwgk/zdlyxxgk/shbz/shjz/cxdb/202211/t20221104_38235.htm",
    "list_hdzfxxgk_hd_gov_cn_trs_jinqixxgk.html": "http://hdzfxxgk.hd.gov.cn/zfwj/jinqixxgk/index.html",
    "list_pingtan_gov_cn_fujian_trs_jiyue_zfxxgknb.html": "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/nlist.htm",
    "pii_gongshi_table_formats_SYNTHETIC.html": "https://www.example.gov.cn/gsgg/202206/t20220629_1.html",
    "xxgk_detail_hdzfxxgk_hd_gov_cn_trs_20200802.html":
        "http://hdzfxxgk.hd.gov.cn/gszbm/auto23716/202008/t20200802_1352104.html",
    "xxgk_detail_pingtan_gov_cn_gfxwj_suoyinhao_20161026.html":
        "https://www.pingtan.gov.cn/zwgk/zfxxgk/gwhwj/hzgfxwj/201610/t20161026_79826.htm",
    "xxgk_guide_hdzfxxgk_hd_gov_cn_gkzn.html": "http://hdzfxxgk.hd.gov.cn/gkzn/",
}


def load_sample(name: str) -> tuple[str, str]:
    """(html, url) of a reference page; skips (fails under CI) when shared/ is not checked out."""
    return reference_file("samples", name).read_text(encoding="utf-8"), SAMPLE_URLS[name]
