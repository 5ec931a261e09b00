"""The 政府网站发展指引 <meta> tags (SiteName, ColumnName, ColumnType, PubDate, ContentSource …).

Names are kept as the page writes them (ParsedPage.meta); `get_meta` looks them up
case-insensitively and knows the common misspellings (`Desctiption`).
"""

from __future__ import annotations

from lxml import etree

GUIDELINE_NAMES = (
    "SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnDescription", "ColumnKeywords",
    "ColumnType", "ArticleTitle", "PubDate", "ContentSource", "Keywords", "Author", "Description",
    "Image", "Url", "DocId", "ChnlId", "SiteId", "Maketime", "others", "firstpublishedtime",
    "lastmodifiedtime", "guid", "catalog", "lanmu",
)
_KNOWN = {n.lower() for n in GUIDELINE_NAMES}
_ALIASES = {"description": ("desctiption", "discription"), "contentsource": ("source",)}


def extract_meta(doc: etree._Element) -> dict[str, str]:
    """All named <meta> tags with non-empty content, first occurrence of each name wins."""
    out: dict[str, str] = {}
    seen: set[str] = set()
    for el in doc.iter("meta"):
        name = (el.get("name") or "").strip()
        if not name:
            continue
        content = (el.get("content") or "").strip()
        key = name.lower()
        if key in seen or not content:
            continue
        if key in _KNOWN or key in {a for al in _ALIASES.values() for a in al} or name[:1].isupper():
            seen.add(key)
            out[name] = content
    return out


def get_meta(meta: dict[str, str], name: str) -> str | None:
    """Case-insensitive lookup of a meta tag, trying known misspellings; empty values are None."""
    wanted = (name.lower(), *_ALIASES.get(name.lower(), ()))
    lowered = {k.lower(): v for k, v in meta.items()}
    for key in wanted:
        value = lowered.get(key)
        if value and value.strip():
            return value.strip()
    return None
