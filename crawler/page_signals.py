"""What the spider keeps of a page beyond its record: its off-site links (visible and hidden) and its
public message list.

`parse_page` returns the site's own links only, so off-site links (the targets of the expired-domain,
abolished-body and 暗链 checks) are collected here, from the raw HTML, as LinkRecords of kind
'external' (visible) or 'hidden' (inside an element a visitor cannot see; `error` carries
'hidden:<how>|<anchor text>' since the link is never fetched). A footer link repeated on every page
is recorded from its first MAX_SOURCES pages only. Message lists (县长信箱 …) end up in the run's
statistics as `message_lists`, with the reply limit the page states.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from crawler.extract.hidden import offsite_links
from crawler.extract.messages import ASKED_LABELS, parse_message_list, stated_limit
from crawler.records import LinkRecord

MAX_SOURCES = 20                  # pages recorded per off-site target (the check says 等 beyond)
MAX_MESSAGES = 5000               # per run: a county's public letters over several years
MIN_LIST_MESSAGES = 2             # one labelled date is a message's own page, not a list
_TAGS = re.compile(r"<[^>]+>")
HIDDEN_PREFIX = "hidden:"


def hidden_error(how: str, text: str) -> str:
    """The `error` of a hidden LinkRecord: how it is hidden and its anchor text."""
    return f"{HIDDEN_PREFIX}{how}|{text}"


def parse_hidden_error(error: str | None) -> tuple[str, str] | None:
    """(how, anchor text) of a hidden LinkRecord's error, or None for any other link."""
    if not error or not error.startswith(HIDDEN_PREFIX):
        return None
    how, _, text = error[len(HIDDEN_PREFIX):].partition("|")
    return how, text


class PageSignals:
    """Per-run collector; `collect` is called once per fetched HTML page."""

    def __init__(self, on_site: Callable[[str], bool]) -> None:
        self.on_site = on_site
        self.sources: dict[str, int] = {}
        self.lists: dict[str, dict] = {}
        self.messages = 0

    def collect(self, url: str, page_html: str, recorded: Iterable[str] = ()) -> list[LinkRecord]:
        """The page's off-site LinkRecords (targets in `recorded` are already recorded by the spider)."""
        self._messages(url, page_html)
        skip = set(recorded)
        out = []
        for link in offsite_links(page_html, url, self.on_site):
            if link.url in skip:
                continue
            if link.hidden:
                out.append(LinkRecord(url, link.url, None, hidden_error(link.hidden, link.text), "hidden"))
                continue
            seen = self.sources.get(link.url, 0)
            self.sources[link.url] = seen + 1
            if seen < MAX_SOURCES:
                out.append(LinkRecord(url, link.url, None, None, "external"))
        return out

    def _messages(self, url: str, page_html: str) -> None:
        if self.messages >= MAX_MESSAGES or not any(label in page_html for label in ASKED_LABELS):
            return
        entries = parse_message_list(page_html, url)
        if len(entries) < MIN_LIST_MESSAGES:
            return
        entries = entries[: MAX_MESSAGES - self.messages]
        self.messages += len(entries)
        limit = stated_limit(_TAGS.sub(" ", page_html))
        self.lists[url] = {"url": url, "limit": list(limit) if limit else None,
                           "entries": [e.to_dict() for e in entries]}

    def stats(self) -> dict:
        """What goes into the run's statistics."""
        return {"message_lists": list(self.lists.values())}
