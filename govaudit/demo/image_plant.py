"""Demo plants for broken images (LNK006 on the home page, LNK007 elsewhere; crawler/images.py).

Why a module apart: like the other late plants, each is a change to an already rendered portal, drawn from a
random stream of its own, so every earlier plant and every byte written before stays as it was.

- The home page shows a 专题 banner whose file was deleted: HTTP 404 (LNK006).
- An article shows a photo whose file was deleted: HTTP 404 (LNK007).
- Another article shows a photo the server answers with its "page not found" HTML page and status 200, as
  an IIS or Tomcat custom error page does: HTTP 200, text/html for a .jpg (LNK007).

Every planted image is shown on one page only, so each is one finding; all three are entries of the
manifest's `broken_links` (the scorer matches findings of kind broken_link by target) with `what: image`.
The soft-404 paths go to `server.soft_404`, which the demo server answers with 200 and an HTML page.
"""

from __future__ import annotations

import random
from typing import Any

from govaudit.demo.veto_plants import _free_articles, _pick, _rerender

SOFT_404_KEY = "soft_404"
_FOOTER = '<div class="footer">'


def _home_with_banner(html: bytes, banner: str) -> bytes:
    """The home page with one more 专题 banner block before its footer (or before </body>)."""
    text = html.decode("utf-8")
    block = (f'<div class="block zt-banner"><a href="/zt/index.html"><img src="{banner}" alt="学习贯彻专题" '
             'width="1200" height="90"></a></div>\n')
    at = text.rfind(_FOOTER)
    if at < 0:
        at = text.lower().rfind("</body>")
    return (text[:at] + block + text[at:]).encode("utf-8") if at >= 0 else html


def plant_broken_images(site: Any) -> None:
    """Called once by generator.build() after every other plant."""
    rng = random.Random(site.seed * 7919 + 61)
    if "/index.html" not in site.files:
        return
    banner = f"/images/zt/{site.as_of.year}xxgc_banner{rng.randint(10, 99)}.jpg"
    site.files["/index.html"] = _home_with_banner(site.files["/index.html"], banner)
    site.m.broken_links.append({"url": banner, "source_url": "/", "status": 404, "what": "image",
                                "note": "首页专题横幅图片文件已删除"})

    free = _free_articles(site)
    gone_art = _pick(free, ("qhyw", "bmdt", "xzdt"), 6)
    day = gone_art.when
    gone = f"/uploadfiles/{day:%Y%m}/W0{day:%Y%m%d}{rng.randint(10**9, 10**10 - 1)}.jpg"
    gone_art.extra_html.append(f'<p style="text-align:center"><img src="{gone}" alt="" width="600"></p>')
    _rerender(site, gone_art)
    site.m.broken_links.append({"url": gone, "source_url": gone_art.url, "status": 404, "what": "image",
                                "note": "文章配图文件已删除"})

    soft_art = _pick(free, ("bmdt", "xzdt", "qhyw"), 7)
    soft = f"/picture/0/{rng.randint(10**11, 10**12 - 1)}.jpg"
    # A lazy-loaded photo (TRS/Hanweb templates): the address the browser loads is data-original.
    soft_art.extra_html.append(f'<p style="text-align:center"><img src="/images/loading.gif" data-original="{soft}" '
                               'alt="" width="600"></p>')
    _rerender(site, soft_art)
    site.put("/images/loading.gif", site.files.get("/images/logo.png", b""))
    site.m.server.setdefault(SOFT_404_KEY, []).append(soft)
    site.m.broken_links.append({"url": soft, "source_url": soft_art.url, "status": 200, "what": "image",
                                "note": "图片地址返回“页面不存在”网页（HTTP 200，text/html）"})
