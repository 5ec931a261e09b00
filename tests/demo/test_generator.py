"""The generated portal is deterministic, its manifest tells the truth, and planted data is really there."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile

import pypdfium2
from docx import Document
from python_calamine import CalamineWorkbook

from checks.privacy.checksums import is_valid_id18, is_valid_uscc, luhn_ok
from govaudit.demo.generator import build
from tests.demo.conftest import AS_OF


def _file(root, url):
    path = url.split("?")[0]
    return root / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))


def _tree(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_and_date_give_byte_identical_sites(site, tmp_path):
    root, _ = site
    again = tmp_path / "again"
    build(again, seed=2026, as_of=AS_OF)
    first, second = _tree(root), _tree(again)
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_other_seed_or_date_gives_a_different_site(site, tmp_path):
    root, _ = site
    other = build(tmp_path / "other", seed=7, as_of=AS_OF)
    assert other.dumps() != (root / "manifest.json").read_text(encoding="utf-8")
    later = build(tmp_path / "later", seed=2026, as_of=AS_OF + dt.timedelta(days=30))
    assert later.as_of != AS_OF.isoformat()
    latest = {c["name"]: c["latest"] for c in later.columns}
    assert latest["部门动态"] == (AS_OF + dt.timedelta(days=30 - 13)).isoformat()


def test_site_size_and_shape(site):
    root, manifest = site
    assert len(manifest.columns) >= 30
    assert len(manifest.articles) >= 1000
    assert {c["cms"] for c in manifest.columns} >= {"trs", "hanweb", "vsb"}
    assert sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) < 30 * 2**20
    assert {a["format"] for a in manifest.attachments} >= {"xls", "xlsx", "docx", "pdf", "csv", "zip"}
    assert {c["pagination"] for c in manifest.columns} >= {"index_n", "js_only", "vsb_countdown", "hanweb_xml"}


def test_every_manifest_url_is_on_disk_and_the_broken_link_is_not(site):
    root, manifest = site
    urls = [c["url"] for c in manifest.columns] + [u for c in manifest.columns for u in c["list_urls"]]
    urls += [a["url"] for a in manifest.articles] + [a["url"] for a in manifest.attachments]
    urls += [p["url"] for p in manifest.planted] + [p["url"] for p in manifest.lookalikes]
    urls += [manifest.site["home"]] + [f["url"] for f in manifest.flaky + manifest.lying_charset]
    missing = [u for u in urls if not _file(root, u).is_file()]
    assert missing == []
    assert manifest.broken_links and not any(_file(root, b["url"]).exists() for b in manifest.broken_links)
    for link in manifest.broken_links:
        assert link["url"] in _file(root, link["source_url"]).read_text(encoding="utf-8")


def test_no_raw_planted_value_reaches_the_manifest(site):
    root, manifest = site
    text = (root / "manifest.json").read_text(encoding="utf-8")
    digits = re.sub(r"\D", "", text)
    assert manifest.secrets
    for secret in manifest.secrets:
        assert secret["value"] not in text and secret["rendered"] not in text
    assert not [m for m in re.findall(r"\d{17}[\dXx]", text) if is_valid_id18(m.upper())]
    assert "secrets" not in json.loads(text)
    assert len(digits) > 0


def _attachment_text(root, url, fmt):
    data = _file(root, url).read_bytes()
    if fmt in ("xls", "xlsx"):
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        cells = [str(v) for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python() for v in row]
        raw = ""
        if fmt == "xlsx":                                       # numeric cells: the digits are in the XML
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                raw = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
        return "\n".join(cells) + raw
    if fmt in ("doc", "wps"):                                   # real Word 97 bytes: read them as the crawler does
        from crawler.extract.attachments import extract_attachment
        return extract_attachment(data, url.rsplit("/", 1)[-1]).text
    if fmt == "docx":
        doc = Document(io.BytesIO(data))
        return "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    if fmt == "pdf":
        pdf = pypdfium2.PdfDocument(data)
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    if fmt == "csv":
        return data.decode("gb18030")
    if fmt == "zip":
        out = []
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for name in z.namelist():
                inner = z.read(name)
                if name.endswith(".xlsx"):
                    book = CalamineWorkbook.from_filelike(io.BytesIO(inner))
                    out += [str(v) for row in book.get_sheet_by_name(book.sheet_names[0]).to_python() for v in row]
        return "\n".join(out)
    raise AssertionError(fmt)


def _page_text(root, manifest, url):
    encoding = next((a["encoding"] for a in manifest.articles if a["url"] == url), "utf-8")
    return _file(root, url).read_bytes().decode(encoding)


def test_planted_personal_data_is_really_in_pages_and_attachments(site):
    root, manifest = site
    formats = {a["url"]: a["format"] for a in manifest.attachments}
    seen_formats = set()
    for secret in manifest.secrets:
        if secret["url"] in formats:
            fmt = formats[secret["url"]]
            seen_formats.add(fmt)
            wanted = secret["rendered"] if secret["pii_type"] == "id_card_numeric" else secret["value"]
            assert wanted in _attachment_text(root, secret["url"], fmt), (fmt, secret["location"])
        else:
            html = _page_text(root, manifest, secret["url"])
            flat = html.replace("<span>", "").replace("</span>", "")
            assert secret["rendered"] in flat, secret["location"]
            if secret["pii_type"] == "id_card":
                assert is_valid_id18(secret["value"], AS_OF)
    assert seen_formats == {"xls", "xlsx", "docx", "pdf", "csv", "zip", "doc", "wps"}
    # every planted personal-data entry is backed by that many secrets at that url
    for entry in manifest.planted_of("personal_data"):
        backing = [s for s in manifest.secrets if s["url"] == entry["url"] and s["pii_type"] == entry["pii_type"]]
        assert len(backing) >= entry["count"], entry


def test_special_renderings_are_present(site):
    root, manifest = site
    page = next(p["url"] for p in manifest.planted if p.get("location") == "table.gongshi-list/fullwidth")
    html = _page_text(root, manifest, page)
    assert re.search("[０-９]{17}[０-９Ｘ]", html)
    assert re.search(r"<span>\d{6}</span><span>\d{4}</span><span>\d{7}[\dX]</span>", html)
    assert re.search(r"\d{4} \d{4} \d{2} \d{2}\*{6}", html)                    # weak masking, birth date shown
    notice = next(p["url"] for p in manifest.planted if p.get("location") == "正文 联系人")
    text = _page_text(root, manifest, notice)
    assert "139-1234-5678" in text and re.search(r"\+86 138 \d{4} \d{4}", text)


def test_lookalikes_are_on_their_pages_and_fail_validation(site):
    root, manifest = site
    kinds = {entry["what"] for entry in manifest.lookalikes}
    assert kinds >= {"masked_id", "masked_mobile", "wrong_check_id", "landline", "hotline", "uscc",
                     "order_number", "amount", "flattened_figures"}
    for entry in manifest.lookalikes:
        value = entry["value"]
        assert value in _page_text(root, manifest, entry["url"]), entry
        assert not is_valid_id18(value.upper(), AS_OF), entry
        digits = re.sub(r"\D", "", value)
        assert not (len(digits) == 11 and digits.startswith("1") and value == digits), entry
        if entry["what"] == "uscc":
            assert is_valid_uscc(value)
        if 16 <= len(digits) <= 19 and value == digits:
            assert not (luhn_ok(digits) and digits[:6] in ("622202", "622848", "621700", "622588")), entry
    for article in manifest.articles:
        if article["index_number"]:
            prefix = article["index_number"].split("/")[0]
            assert len(prefix) == 18 and is_valid_uscc(prefix) and not is_valid_id18(prefix)


def test_freshness_plants_straddle_each_threshold(site):
    _, manifest = site
    ages = {c["name"]: c["age_days"] for c in manifest.columns}
    stale = {p["column_url"] for p in manifest.planted_of("stale_column")}
    by_url = {c["url"]: c for c in manifest.columns}
    assert ages["部门动态"] == 13 and ages["乡镇动态"] == 15
    assert ages["规范性文件"] == 180 and ages["公示公告"] == 185
    assert ages["人事信息"] == 364 and ages["规划计划"] >= 366
    assert {by_url[u]["name"] for u in stale} >= {"乡镇动态", "公示公告", "部门文件", "规划计划"}
    assert not {"部门动态", "规范性文件", "人事信息"} & {by_url[u]["name"] for u in stale}
    group_a = [u for u in stale if by_url[u]["type"] in ("动态要闻", "通知公告", "政策文件")]
    assert len(group_a) >= 5
    assert len(manifest.planted_of("blank_column")) >= 5
    markers = {p.get("marker") for p in manifest.planted_of("blank_column")}
    assert {"暂无信息", "建设中", None} <= markers
    future = manifest.planted_of("future_date")[0]
    assert dt.date.fromisoformat(future["published"]) > AS_OF
    kinds = {p["expected_type"] for p in manifest.planted_of("category_mismatch")}
    assert kinds >= {"动态要闻", "人事信息", "招标采购", "信息公开年报"}


def test_blank_and_undated_columns_look_that_way(site):
    root, manifest = site
    for entry in manifest.planted_of("blank_column"):
        column = manifest.column(entry["column_url"])
        assert column["items"] == 0
        html = _file(root, column["url"]).read_bytes().decode(column["encoding"])
        assert "/art/" not in html and "/info/" not in html and "./20" not in html
        if entry.get("marker"):
            assert entry["marker"] in html
    undated = manifest.planted_of("undated_column")[0]
    column = manifest.column(undated["column_url"])
    urls = [a["url"] for a in manifest.articles if a["column_url"] == column["url"]]
    assert urls and all(a["published"] is None for a in manifest.articles if a["column_url"] == column["url"])
    for url in [column["url"]] + urls:
        text = _file(root, url).read_text(encoding="utf-8")
        assert not re.search(r"20\d\d[-/年]\d{1,2}", text) and "PubDate" not in text


def test_list_pages_show_mixed_date_formats_and_pagination_kinds(site):
    root, manifest = site
    by_name = {c["name"]: c for c in manifest.columns}

    def first(name):
        column = by_name[name]
        return _file(root, column["list_urls"][0]).read_bytes().decode(column["encoding"])

    assert re.search(r'<span class="date">\d{4}-\d{2}-\d{2}</span>', first("通知公告"))
    assert re.search(r"<td>\d{4}年\d{2}月\d{2}日</td>", first("政策文件"))
    assert re.search(r"\[\d{2}-\d{2}\]", first("青禾要闻")) and 'type="text/xml"' in first("青禾要闻")
    assert re.search(r"\d{4}/\d{2}/\d{2} \d{2}:\d{2}", first("县教体局动态"))
    js_only = by_name["政策解读"]
    assert len(js_only["list_urls"]) > 1
    page = first("政策解读")
    assert "createPageHTML" in page and "index_1.html" not in page
    static = first("通知公告")
    assert 'href="index_1.html"' in static
    vsb = by_name["县教体局动态"]["list_urls"]
    assert vsb[1].endswith(f"/{len(vsb) - 1}.htm") and vsb[-1].endswith("/1.htm")


def test_meta_tags_on_most_but_not_all_pages(site):
    root, manifest = site
    with_tags = [a for a in manifest.articles if a["meta"]]
    assert 0.5 * len(manifest.articles) < len(with_tags) < len(manifest.articles)
    sample = next(a for a in manifest.articles if a["meta"] and a["encoding"] == "utf-8")
    html = _file(root, sample["url"]).read_text(encoding="utf-8")
    for tag in ("SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnType", "ArticleTitle", "PubDate"):
        assert f'name="{tag}"' in html
    home = (root / "index.html").read_text(encoding="utf-8")
    assert "网站标识码" in home and "ICP备" in home and "公网安备" in home and "/calendar?date=" in home


def test_gbk_section_and_lying_page_are_gbk_on_disk(site):
    root, manifest = site
    vsb = next(a for a in manifest.articles if a["encoding"] == "gbk" and a["url"].startswith("/info/"))
    raw = _file(root, vsb["url"]).read_bytes()
    assert "来源".encode("gbk") in raw and "来源".encode() not in raw
    lying = manifest.lying_charset[0]["url"]
    raw = _file(root, lying).read_bytes()
    assert b"charset=gbk" in raw and "青禾县".encode("gbk") in raw
