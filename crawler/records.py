"""The records a crawl produces, and the Snapshot that later stages read.

These types are the contract between the stages: the spider yields them, the store writes and
reads them, the checks read a Snapshot built from them. They hold plain data only (no Scrapy,
no SQLite), so a check fixture can build a Snapshot from a few lines of YAML.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field


@dataclass
class ColumnRecord:
    """One 栏目 of the portal as an inspector sees it: where its list lives and how fresh it is."""

    url: str                                  # canonical URL of the column's first list page
    name: str
    path: str = ""                            # breadcrumb path, e.g. 首页/政务公开/通知公告
    type: str | None = None                   # 栏目类型 (see rules/column_types.yml)
    type_source: str | None = None            # meta | name | profile | url
    level: int = 1                            # 1 = 一级栏目 (directly under the home page)
    list_urls: list[str] = field(default_factory=list)
    items: int = 0                            # entries seen across all list pages
    latest: dt.date | None = None             # date of the newest entry
    dated_items: int = 0                      # entries whose date could be read
    blank_marker: str | None = None           # '暂无信息', '建设中' … when the list says so
    department: str | None = None             # 责任单位 (site profile, column name, page metadata, footer)
    fetched_at: dt.datetime | None = None
    unread_reason: str | None = None          # why the column was not read to the end: no verdict on it
    type_reason: str | None = None            # the evidence its 栏目类型 was judged from (shown to the user)
    department_source: str | None = None      # where `department` came from (profile | name | meta | footer)


@dataclass
class PageRecord:
    """An article (detail page) or any other HTML page the crawl fetched."""

    url: str
    column_url: str | None = None
    title: str = ""
    published: dt.date | None = None
    published_source: str | None = None       # meta | text | list | url
    source: str | None = None                 # 来源 / 发布机构
    index_number: str | None = None           # 索引号
    doc_number: str | None = None             # 文号
    topic: str | None = None                  # 主题分类
    written: dt.date | None = None            # 成文日期
    text: str = ""                            # clean body text
    sha256: str | None = None                 # of the response body
    status: int = 200
    kind: str = "article"                     # article | list | home | other
    etag: str | None = None
    last_modified: str | None = None
    # The site-identity facts the page carries (crawler/extract/identity.py): 网站标识码, ICP备案号, 公安机关备案号,
    # 党政机关网站标识, the 找错 entry, SiteName/SiteDomain/SiteIDCode. None: not extracted (not judged).
    identity: dict | None = None


@dataclass
class TextSegment:
    """A piece of extracted attachment text and where it sits (so a finding can say 'Sheet1!C7')."""

    location: str                             # 'Sheet1!C7', 'p.3', 'para 12', 'member.xlsx:Sheet1!B2'
    text: str


@dataclass
class AttachmentRecord:
    """A downloaded attachment and the text extracted from it (or why there is none)."""

    url: str
    page_url: str | None = None
    filename: str = ""
    media_type: str | None = None             # sniffed from bytes: pdf, doc, docx, xls, xlsx, zip, ofd …
    size: int | None = None
    sha256: str | None = None
    status: str = "ok"                        # ok | needs_ocr | error | unparsed | too_large | fetch_error
    error: str | None = None
    segments: list[TextSegment] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(s.text for s in self.segments)


@dataclass
class UrlPiiRecord:
    """An address (of a page, an attachment or a link) that carried personal data, stored masked."""

    url: str                                  # the address, its personal part masked
    what: str                                 # page | attachment | link
    page_url: str | None = None               # the page it was found on (masked the same way)
    pii_types: list[str] = field(default_factory=list)
    place: str = ""                           # where in the address: 查询参数「sfzh」 …


@dataclass
class LinkRecord:
    """A link the crawl followed or probed, with its outcome (the broken-link check reads these)."""

    source_url: str
    target_url: str
    status: int | None = None                 # HTTP status, None when no response
    error: str | None = None                  # timeout, dns, offsite-redirect …
    kind: str = "page"                        # page | attachment | external


@dataclass
class ErrorRecord:
    """An error recorded during a crawl (not raised): kept with the run, shown in the report."""

    url: str
    stage: str                                # fetch | parse | attachment | store | check | report
    message: str
    rule: str | None = None                   # the rule whose check failed (stage 'check')


@dataclass
class ProbeRecord:
    """One availability visit (govaudit probe): when, what, and how it ended (站点无法访问 counts these)."""

    probed_at: dt.datetime
    url: str
    target: str = "home"                      # home | column | https
    outcome: str = "ok"                       # ok | slow | timeout | dns | tls | refused | dropped | http_5xx | http_4xx | error
    status: int | None = None                 # HTTP status, None when no response
    elapsed_ms: int | None = None
    detail: str | None = None                 # the error as the client reported it (shortened)
    site_url: str = ""


@dataclass
class Snapshot:
    """A read-only view of one run: everything a check may look at."""

    site_name: str
    site_url: str
    as_of: dt.date
    run_id: int | None = None
    columns_: list[ColumnRecord] = field(default_factory=list)
    pages_: list[PageRecord] = field(default_factory=list)
    attachments_: list[AttachmentRecord] = field(default_factory=list)
    links_: list[LinkRecord] = field(default_factory=list)
    errors_: list[ErrorRecord] = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    url_pii_: list[UrlPiiRecord] = field(default_factory=list)
    probes_: list[ProbeRecord] = field(default_factory=list)   # the site's probes around as_of (not per run)

    def columns(self, types: Iterable[str] | None = None) -> Iterator[ColumnRecord]:
        wanted = set(types) if types else None
        for column in self.columns_:
            if wanted is None or column.type in wanted:
                yield column

    def pages(self, column_url: str | None = None, kind: str | None = None) -> Iterator[PageRecord]:
        for page in self.pages_:
            if column_url is not None and page.column_url != column_url:
                continue
            if kind is not None and page.kind != kind:
                continue
            yield page

    def attachments(self) -> Iterator[AttachmentRecord]:
        yield from self.attachments_

    def links(self) -> Iterator[LinkRecord]:
        yield from self.links_

    def column(self, url: str | None) -> ColumnRecord | None:
        if url is None:
            return None
        for column in self.columns_:
            if column.url == url:
                return column
        return None

    @property
    def home(self) -> PageRecord | None:
        for page in self.pages_:
            if page.kind == "home":
                return page
        return None
