"""The base every govaudit middleware and pipeline shares: Scrapy builds it from the crawler."""

from __future__ import annotations


class CrawlerAware:
    """Keeps the crawler (settings, stats, signals) and reaches the running spider through it."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @property
    def spider(self):
        return self.crawler.spider
