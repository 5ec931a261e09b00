"""Rendering styles of the demo portal: orthogonal knobs taken from what real county portals do.

The classic style is the portal the checks were tuned on. The other styles cross the CMS families
(TRS, 大汉 Hanweb, 博达 VSB) with real conventions nobody tuned on: generic, listed or missing
ColumnType metas, column names from shared/reference/columns/real-columns.tsv (picked by type so a
planted problem keeps its meaning), section landing pages over typed sub-columns, a column linked
as both `/x/` and `/x/index.html`, unlinked current breadcrumb items, and 集约化 list APIs.

    style = parse_style("trs-real")            # a named style
    style = parse_style("cms=vsb,names=real")  # knobs over the classic style
    style = parse_style("seed", seed=7)        # knobs drawn from the seed
"""

from __future__ import annotations

import csv
import os
import random
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path

CMS_FAMILIES = ("mixed", "trs", "hanweb", "vsb")
META_STYLES = ("specific", "generic", "list", "missing")
NAME_STYLES = ("demo", "real")
LIST_APIS = ("none", "hanweb_post", "trsapi")


@dataclass(frozen=True)
class Style:
    """How the demo portal is rendered; the planted problems are the same in every style."""

    name: str = "classic"
    cms: str = "mixed"            # mixed: each column in its classic family; else every column in this one
    metas: str = "specific"       # ColumnType meta: specific | generic (信息公开目录) | list (信息公开，政策文件) | missing
    names: str = "demo"           # demo names, or names from the real-columns list
    hubs: bool = False            # 规划计划 becomes a landing page over three typed sub-columns
    twin_links: bool = False      # /x/ and /x/index.html both linked; current crumb unlinked (li.path-cur)
    list_api: str = "none"        # none | hanweb_post (dataproxy.jsp, POST only) | trsapi (Fujian listModel)
    service_entry: bool = True    # false: a portal with no 办事服务 at all (govaudit/demo/service_plant.py, SRV001)

    @property
    def classic(self) -> bool:
        return self == CLASSIC


CLASSIC = Style()
STYLES: dict[str, Style] = {
    "classic": CLASSIC,
    "trs-real": Style("trs-real", cms="trs", metas="generic", names="real", hubs=True, twin_links=True),
    "hanweb-real": Style("hanweb-real", cms="hanweb", metas="list", names="real", hubs=True, twin_links=True),
    "vsb-real": Style("vsb-real", cms="vsb", metas="missing", names="real", hubs=True, twin_links=True),
    "mixed-real": Style("mixed-real", cms="mixed", metas="generic", names="real", hubs=True, twin_links=True),
    "hanweb-api": Style("hanweb-api", cms="hanweb", metas="specific", names="real", list_api="hanweb_post"),
    "fujian-api": Style("fujian-api", cms="trs", metas="specific", names="real", list_api="trsapi"),
    "no-service": Style("no-service", service_entry=False),
}
_CHOICES = {"cms": CMS_FAMILIES, "metas": META_STYLES, "names": NAME_STYLES, "list_api": LIST_APIS}


class StyleError(ValueError):
    """A --style value that names no style or sets a knob to a value it does not have."""


def parse_style(text: str | None, seed: int = 0) -> Style:
    """A named style, 'seed' (knobs drawn from the seed), or 'knob=value,…' over the classic style."""
    text = (text or "classic").strip()
    if text in STYLES:
        return STYLES[text]
    if text == "seed":
        return style_for_seed(seed)
    style = CLASSIC
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, eq, value = part.partition("=")
        names = {f.name for f in fields(Style)} - {"name"}
        if not eq or key not in names:
            raise StyleError(f"未知的样式或样式参数：{part}（可选样式：{'、'.join(STYLES)}；参数：{'、'.join(sorted(names))}）")
        if key in ("hubs", "twin_links", "service_entry"):
            if value not in ("0", "1", "true", "false"):
                raise StyleError(f"样式参数 {key} 只能取 true 或 false：{value}")
            style = replace(style, **{key: value in ("1", "true")})
        elif value in _CHOICES[key]:
            style = replace(style, **{key: value})
        else:
            raise StyleError(f"样式参数 {key} 只能取 {'、'.join(_CHOICES[key])}：{value}")
    return replace(style, name=text)


def style_for_seed(seed: int) -> Style:
    """Knobs drawn from the seed (a stream of its own, so the site's own random stream is unchanged)."""
    rng = random.Random(f"govaudit-demo-style:{seed}")
    style = Style(name=f"seed-{seed}", cms=rng.choice(CMS_FAMILIES), metas=rng.choice(META_STYLES),
                  names="real", hubs=rng.random() < 0.5, twin_links=rng.random() < 0.5)
    return style


# ---------------------------------------------------------------------------- real column names
def default_columns_file() -> Path:
    """shared/reference/columns/real-columns.tsv: $GOVAUDIT_SHARED, or beside the repository."""
    configured = os.environ.get("GOVAUDIT_SHARED", "").strip()
    shared = Path(configured) if configured else Path(__file__).resolve().parents[3] / "shared"
    return shared / "reference" / "columns" / "real-columns.tsv"


# Names that belong to another place or government level (省/市/区 bodies, named cities and counties), or
# that name a search box or a form rather than a list of articles: a county portal would not carry them.
_ELSEWHERE = re.compile(r"[省市旗]|(?<!社)区(?!域)|国务|中国|管委会|襄城|邯郸|中山|板芙|马龙|平潭|枞阳|彭泽|东丽|安居|江油"
                        r"|霸州|陕西|福建|清晨")
_NOT_A_LIST = re.compile(r"^我要|查询|找政策|平台$|知识库|电话|地图|统计$|目录$|清理$|废止$")


def real_names(path: Path | None = None) -> dict[str, list[str]]:
    """Real column names by the type an inspector gave them, in file order, fit for a county portal."""
    path = Path(path) if path else default_columns_file()
    if not path.is_file():
        raise FileNotFoundError(f"找不到真实栏目名称清单 {path}（可用环境变量 GOVAUDIT_SHARED 指定参考资料目录）")
    by_type: dict[str, list[str]] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            name = re.sub(r"[|｜]+$", "", (row.get("name") or "").strip())
            if not name or len(name) > 10 or _ELSEWHERE.search(name) or _NOT_A_LIST.search(name):
                continue
            names = by_type.setdefault(row["type"], [])
            if name not in names:
                names.append(name)
    return by_type
