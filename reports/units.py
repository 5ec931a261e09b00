"""责任单位 of a problem, read at report time from what the crawl kept, with the reason it was chosen.

The 整改清单 is split and handed to the units that must act, so every row names one, or says
「未能识别」 and why. Sources, first that speaks wins: the site profile; the article's 发布机构/来源;
the column's own name and its ancestors (县教体局动态 → 县教体局; a 部门信息公开 catalogue path);
the column's articles when they all come from one unit; for the portal's own columns the 主办单位
in its footer, or failing that the host the 政府网站发展指引 assigns a 政府门户网站 (本级政府办公室).
Abbreviations (县教体局) are expanded to a full name the site itself uses (青禾县教育体育局) when exactly one fits.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from crawler.records import Snapshot

UNKNOWN = "未能识别"
# A unit named inside a column or path segment: at least two characters, then the kind of body.
UNIT_IN_NAME = re.compile(r"([\u4e00-\u9fa5]{2,12}?(?:管委会|委员会|办公室|街道|局|委|镇|乡))")
NOT_UNITS = {"乡镇", "各乡镇", "部门乡镇", "县直", "各部门", "政务公开", "信息公开"}
FOOTER_HOST = re.compile(r"主办单位[：:\s]*([\u4e00-\u9fa5（）()]{4,30}?)(?=\s|　|承办|协办|联系|地址|电话|$|[，,。；;])")
SOURCE_PREFIX = re.compile(r"^(?:信息来源|来源|发布机构|发文机关|发布单位)[：:\s]*")
DOMINANT_SHARE = 0.8                          # a column "belongs" to a unit when this share of its items comes from it


@dataclass(frozen=True)
class Unit:
    """A 责任单位 and where it came from: source is profile | meta | name | path | column | footer | host | unknown."""

    name: str
    source: str
    reason: str

    @property
    def known(self) -> bool:
        return self.source != "unknown"


def _clean_source(text: str | None) -> str:
    """'来源：青禾县民政局 ' → '青禾县民政局'; the first of several units joined by separators."""
    value = SOURCE_PREFIX.sub("", (text or "").strip())
    value = re.split(r"[、，,;；/\s]+", value)[0] if value else ""
    return value if len(value) >= 2 else ""


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


class UnitResolver:
    """Resolves the 责任单位 of findings against one snapshot (indexes built once)."""

    def __init__(self, snapshot: Snapshot, profile: dict | None = None):
        self.snapshot = snapshot
        self.profile = dict(profile or {})
        self.pages = {p.url: p for p in snapshot.pages()}
        self.attachments = {a.url: a for a in snapshot.attachments()}
        self.columns = {c.url: c for c in snapshot.columns()}
        self.county = self._county(snapshot.site_name or "")
        known = Counter(_clean_source(p.source) for p in self.pages.values() if p.source)
        known.pop("", None)
        self.catalogue = sorted(set(known) | {v for v in self.profile.values() if isinstance(v, str) and v})
        self.host = self._host()

    @staticmethod
    def _county(site_name: str) -> str:
        match = re.match(r"^([\u4e00-\u9fa5]{1,10}?(?:自治县|县|市|区|旗))", site_name)
        return match.group(1) if match else ""

    def _host(self) -> Unit | None:
        for column in self.columns.values():
            if column.department and column.department_source == "footer":
                return Unit(column.department, "footer", f"网站底部载明主办单位为{column.department}")
        home = self.snapshot.home
        for text in (home.text if home else "", str((self.snapshot.stats or {}).get("host") or "")):
            match = FOOTER_HOST.search(text or "")
            if match:
                return Unit(match.group(1), "footer", f"网站底部载明主办单位为{match.group(1)}")
        name = self.snapshot.site_name or ""
        if name.endswith("人民政府"):
            office = name + "办公室"
            return Unit(office, "host", f"按《政府网站发展指引》政府门户网站由本级政府办公室（{office}）主办")
        return None

    def full_name(self, short: str) -> str:
        """A unit named in short form, written out as the site writes it when exactly one name fits."""
        if short in self.catalogue:
            return short
        body = short.removeprefix("县").removeprefix(self.county)
        suffix = body[-1]
        fits = [name for name in self.catalogue if name.endswith(suffix) and _is_subsequence(body, name)]
        if len(fits) == 1:
            return fits[0]
        if self.county and not short.startswith(self.county):
            return self.county + body if short.startswith("县") or suffix in "局委" else short
        return short

    def _from_names(self, column) -> Unit | None:
        name = column.get("name") or ""
        record = self.columns.get(column.get("url"))
        path = (record.path if record else "") or ""
        segments = [name] + [s for s in reversed(path.split("/")[:-1]) if s and s != "首页"]
        for i, segment in enumerate(segments):
            match = UNIT_IN_NAME.match(segment)
            if not match or match.group(1) in NOT_UNITS:
                continue
            short = match.group(1)
            if short.endswith("政府") or short in (self.county + "人民政府",):
                continue
            unit = self.full_name(short)
            where = f"栏目名称「{segment}」" if i == 0 else f"所属栏目「{segment}」（{path}）"
            return Unit(unit, "name" if i == 0 else "path", f"{where}载明单位")
        return None

    def _from_column_items(self, url: str | None) -> Unit | None:
        sources = Counter(_clean_source(p.source) for p in self.pages.values()
                          if p.column_url == url and p.kind == "article")
        sources.pop("", None)
        total = sum(sources.values())
        if total >= 3:
            unit, n = sources.most_common(1)[0]
            if n / total >= DOMINANT_SHARE:
                return Unit(unit, "column", f"栏目内{n}/{total}条信息的来源为{unit}")
        return None

    def _page_of(self, url: str | None, observed: dict) -> object | None:
        if url in self.pages:
            return self.pages[url]
        attachment = self.attachments.get(url or "")
        if attachment is not None and attachment.page_url in self.pages:
            return self.pages[attachment.page_url]
        for source in observed.get("sources") or ():
            if source in self.pages:
                return self.pages[source]
        return None

    def resolve(self, column: dict | None, url: str | None = None, observed: dict | None = None) -> Unit:
        """The 责任单位 of one problem at `url` (page, attachment or column) in `column`."""
        column = column or {}
        for key in (column.get("name"), column.get("url")):
            if key and key in self.profile:
                return Unit(self.profile[key], "profile", "站点配置指定")
        record = self.columns.get(column.get("url"))
        if record is not None and record.department and record.department_source == "profile":
            return Unit(record.department, "profile", "站点配置指定")
        page = self._page_of(url, observed or {})
        source = _clean_source(getattr(page, "source", None)) if page is not None else ""
        if source:
            return Unit(source, "meta", f"信息发布机构（来源）为{source}")
        if column.get("department") and (record is None or record.department_source != "footer"):
            return Unit(column["department"], "name", "栏目信息载明单位")
        if record is not None and record.department and record.department_source not in (None, "footer"):
            return Unit(record.department, record.department_source, "采集时识别的栏目责任单位")
        named = self._from_names(column) if column else None
        if named:
            return named
        owned = self._from_column_items(column.get("url")) if column else None
        if owned:
            return owned
        if record is not None and record.department and record.department_source is None:
            return Unit(record.department, "name", "采集时识别的栏目责任单位")
        if self.host is not None and self.host.source == "footer":
            return Unit(self.host.name, "footer", "门户网站自有栏目，" + self.host.reason)
        if "*" in self.profile:
            return Unit(self.profile["*"], "profile", "站点配置的默认责任单位")
        if self.host is not None:
            return Unit(self.host.name, self.host.source, "门户网站自有栏目，" + self.host.reason)
        return Unit(UNKNOWN, "unknown", "栏目名称、所属路径和信息来源均未载明单位，网站底部未采集到主办单位")
