"""Demo plants for 服务不实用 (SRV001, SRV002; checks/service.py).

Why a module apart: like the other late plants, the guide plant changes one already rendered page with a
random stream of its own, so every earlier plant and every byte written before stays as it was.

- Every style with a 办事服务 column: one of its 办事指南 loses its 设定依据 line (SRV002, 需人工复核 by design:
  19号's element list is incomplete, so a missing element is never a counted veto).
- Styles with `service_entry=false` (the named style `no-service`): the portal plans no 办事服务 column and the
  办事服务 channel leaves the menu, while the home page keeps its 政务服务便民热线 line (a hotline, not an
  entry). Its home page then offers no entry at all: SRV001, counted. That portal is a different site, not a
  styling of the same one, which is why it is a knob and not in the classic demo.
"""

from __future__ import annotations

import random
from typing import Any

from govaudit.demo.veto_plants import _free_articles, _pick, _plant, _rerender

SERVICE_CHANNEL = "bsfw"            # the 办事服务 channel of govaudit/demo/generator.py CHANNELS
SERVICE_COLUMN = "bszn"             # its one column of 办事指南
DROPPED_ELEMENT = "设定依据"


def drop_service_entry(site: Any) -> None:
    """Called by generator.build() right after the columns are planned: a portal without 办事服务 plans none."""
    if getattr(site.style, "service_entry", True):
        return
    site.cols = [c for c in site.cols if c.channel.split("/")[0] != SERVICE_CHANNEL]


def _drop_service_chrome(site: Any) -> None:
    """What the chrome still renders for the channel: its landing page (linked from nowhere once the menu
    lost it) and its empty group in the site map."""
    from govaudit.demo.generator import CHANNELS

    name, url = CHANNELS[SERVICE_CHANNEL]
    site.files.pop(url, None)
    site.mtimes.pop(url, None)
    sitemap = "/wzdt/index.html"
    if sitemap in site.files:
        empty_group = f'<div class="group"><h3>{name}</h3><ul></ul></div>'.encode()
        site.files[sitemap] = site.files[sitemap].replace(empty_group, b"")


def plant_service(site: Any) -> None:
    """Called by generator.build() after the 单项否决 plants of veto_plants.py."""
    if not getattr(site.style, "service_entry", True):
        _drop_service_chrome(site)
        site.m.planted.append({"kind": "service_entry", "column_url": None, "url": "/",
                               "note": "首页未设置办事服务入口：网站无办事服务栏目，也未链接政务服务网"})
        return
    if not any(c.key == SERVICE_COLUMN for c in site.cols):
        return
    rng = random.Random(f"govaudit-demo-service:{site.seed}")
    free = {SERVICE_COLUMN: _free_articles(site).get(SERVICE_COLUMN) or []}
    if not free[SERVICE_COLUMN]:
        return
    art = _pick(free, (SERVICE_COLUMN,), rng.randrange(len(free[SERVICE_COLUMN])))
    kept = [p for p in art.paragraphs if not p.startswith(DROPPED_ELEMENT)]
    if len(kept) == len(art.paragraphs):
        return                                   # not a generated guide: nothing to take out
    art.paragraphs = kept
    _rerender(site, art)
    _plant(site, "service_guide", art, f"办事指南缺少“{DROPPED_ELEMENT}”要素", review=True, missing=[DROPPED_ELEMENT])
