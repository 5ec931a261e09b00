"""Why a crawl that reached the home page recognised no column at all, in words a clerk can act on.

A portal in maintenance, a home page that is a frameset around another address, one that moves the browser on by
script, or one whose menu a script draws: the crawler stores none of them as columns, and the checks then have
nothing to judge. The report must say the portal could not be examined and why, never 完整. The crawl keeps no
home-page HTML, so the conductor fetches the home page once more (one request, only for such a run) and reads it
here; the reason is stored with the run (stats['no_columns_reason']) so a later `govaudit report` repeats it.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html

FETCH_TIMEOUT_S = 20
MAX_REFRESH_HOPS = 2
# A notice that the site is paused, as county portals word it.
MAINTENANCE = re.compile(r"(系统|网站|站点|平台|服务器)[^。\n，]{0,8}(维护|升级|改版|迁移)中?|维护中|升级中|改版中|暂停(访问|服务|开放)"
                         r"|正在(维护|升级|改版|建设)|(网站|站点)建设中|暂时无法访问|停机")
# A script that sends the browser elsewhere: location = '…', location.href = '…', location.replace('…').
SCRIPT_REDIRECT = re.compile(r"""location(?:\.href)?\s*=\s*["']([^"']+)["']|location\.(?:replace|assign)\(\s*["']([^"']+)["']""")
META_REFRESH = re.compile(r"""url\s*=\s*['"]?([^'";\s>]+)""", re.I)
# Below this much text and this many links a page shows nothing a visitor could use: its content comes by script.
SCANT_TEXT_CHARS = 40
SCANT_LINKS = 3

GENERIC = "首页中未识别到栏目导航或信息列表"


def why_no_columns(page_html: str, page_url: str) -> str:
    """The reason, in formal Chinese, that the home page `page_html` (at `page_url`) led to no column."""
    try:
        tree = lxml_html.fromstring(page_html or "<html></html>")
    except (ValueError, lxml_html.etree.ParserError):
        return GENERIC
    for node in tree.xpath("//script|//style|//noscript"):
        node.drop_tree()
    text = re.sub(r"\s+", "", tree.text_content() or "")
    frames = [url for url in (urljoin(page_url, src.strip()) for src in tree.xpath("//frame/@src|//iframe/@src"))
              if url.startswith(("http://", "https://"))]                # about:blank holds nothing
    links = [href for href in tree.xpath("//a/@href") if href.strip() and not href.strip().startswith(("#", "javascript"))]
    if MAINTENANCE.search(text[:2000]):
        notice = MAINTENANCE.search(text[:2000]).group(0)
        return f"首页显示网站暂停服务的提示（“{notice}”），未见网站栏目和信息"
    if tree.xpath("//frameset") or (frames and len(text) < SCANT_TEXT_CHARS and len(links) < SCANT_LINKS):
        where = "、".join(dict.fromkeys(frames[:3])) or "（未注明地址）"
        offsite = [f for f in frames if urlsplit(f).hostname != urlsplit(page_url).hostname]
        tail = "，该地址不属于本网站，本次未作检查" if frames and len(offsite) == len(frames) else "，未能从中识别出栏目"
        return f"首页为框架页，页面内容由框架中的地址 {where} 提供{tail}"
    script = SCRIPT_REDIRECT.search(page_html or "")
    if script and len(text) < SCANT_TEXT_CHARS and len(links) < SCANT_LINKS:
        target = urljoin(page_url, (script.group(1) or script.group(2)).strip())
        return (f"首页通过脚本跳转至 {target}，本工具不执行脚本，未能检查跳转后的页面；"
                "请以该地址作为首页地址重新检查")
    if len(text) < SCANT_TEXT_CHARS and len(links) < SCANT_LINKS:
        return "首页几乎没有文字和链接（页面内容可能由脚本加载），未能从中识别出栏目"
    if not links:
        return f"{GENERIC}（首页没有指向栏目或信息的链接）"
    return f"{GENERIC}（首页有{len(links)}个链接，均未能识别为栏目或信息列表）"


def meta_refresh_target(page_html: str, page_url: str) -> str | None:
    """Where a <meta http-equiv="refresh"> sends the browser (the crawler follows these, so the diagnosis does too)."""
    try:
        tree = lxml_html.fromstring(page_html or "<html></html>")
    except (ValueError, lxml_html.etree.ParserError):
        return None
    for content in tree.xpath("//meta[translate(@http-equiv,'REFSH','refsh')='refresh']/@content"):
        found = META_REFRESH.search(content)
        if found:
            return urljoin(page_url, found.group(1).strip())
    return None


def decode(body: bytes, declared: str | None) -> str:
    """The page's text: the declared charset (header or <meta charset>), else UTF-8, else GB18030 (GBK portals)."""
    head = body[:2048].decode("ascii", "ignore")
    meta = re.search(r"""charset\s*=\s*["']?([\w-]+)""", head, re.I)
    for charset in (declared, meta.group(1) if meta else None, "utf-8", "gb18030"):
        if not charset:
            continue
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", "replace")


def diagnose(home_url: str) -> str:
    """Fetch the home page once and say why it gave no column; the generic reason when it cannot be read now."""
    import httpx

    from crawler.settings import USER_AGENT

    url, hops = home_url, []
    for _ in range(MAX_REFRESH_HOPS + 1):
        try:
            response = httpx.get(url, headers={"User-Agent": USER_AGENT.encode("utf-8")}, follow_redirects=True,
                                 timeout=FETCH_TIMEOUT_S)
        except httpx.HTTPError:
            return GENERIC
        if response.status_code >= 400:
            return f"{GENERIC}（再次访问{'跳转后的页面' if hops else '首页'}时返回HTTP {response.status_code}）"
        page_html, url = decode(response.content, response.charset_encoding), str(response.url)
        target = meta_refresh_target(page_html, url)
        if target is None or target in hops or len(hops) == MAX_REFRESH_HOPS:
            break
        hops.append(target)
        url = target
    reason = why_no_columns(page_html, url)
    return f"首页自动跳转至 {hops[-1]}；跳转后的页面{reason.removeprefix('首页')}" if hops else reason
