"""Items the spider yields besides the record types: they carry work for a pipeline, not stored data."""

from __future__ import annotations

from dataclasses import dataclass

from crawler.records import AttachmentRecord, LinkRecord


@dataclass
class AttachmentDownload:
    """A downloaded attachment whose text the attachment pipeline still has to extract."""

    record: AttachmentRecord
    body: bytes


@dataclass
class CopyForward:
    """Unchanged pages and attachments (HTTP 304, same hash, or not due for re-verification): copy the earlier
    run's records, with their links and the personal data their addresses carried."""

    from_run: int
    urls: list[str]


@dataclass
class SiteInfo:
    """What the home page says about the site itself (SiteName meta or title)."""

    name: str


@dataclass
class LinkBatch:
    """All links one response produced: one item instead of dozens keeps Scrapy's per-item cost low."""

    records: list[LinkRecord]
