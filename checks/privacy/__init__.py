"""Personal-data family: ID, mobile, bank card, passport numbers and home addresses in pages and attachments,
and personal data carried by a web address itself (PII007: ?sfzh=<ID>, /phone/<mobile>/).

`CHECKS` maps a rule's `check` to `fn(snapshot, rule) -> Iterable[Observation]`. One Observation per
(document, pii_type): count = distinct values (by salted hash), evidence = at most a few masked
examples with their locations. Raw values never leave this package (evidence is masked here and
the engine runs `redact` over everything once more).
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from checks.finding import Observation
from checks.privacy.scanner import TOKEN_OPEN, Hit, get_scanner, token_hits
from checks.privacy.structure import inside, mask_url, structural_spans, url_pii

PII_TYPES = ("id_card", "mobile", "bank_card", "passport", "address")
PII_LABELS = {"id_card": "身份证号", "mobile": "手机号", "bank_card": "银行卡号", "passport": "护照号",
              "address": "详细住址"}
SPREADSHEET_TYPES = frozenset({"xls", "xlsx", "et", "ods", "csv"})
DEFAULTS = {"min_score": 0.6, "context_window": 30, "max_examples": 3, "attachments": True, "pages": True}


@dataclass
class Document:
    """One scanned text: a page body or an attachment's joined segments, with segment locations."""

    url: str
    text: str
    label: str                                     # 网页正文 / 附件「x.xls」
    title: str = ""
    column_name: str | None = None
    column_url: str | None = None
    starts: list[int] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    spreadsheet: bool = False                      # number cells: IDs may have lost digits to floats

    def location(self, offset: int) -> str | None:
        if not self.starts:
            return None
        return self.locations[max(0, bisect.bisect_right(self.starts, offset) - 1)]


def _params(rule: Any) -> dict[str, Any]:
    params = dict(DEFAULTS)
    params.update(dict(getattr(rule, "params", None) or {}))
    return params


def _applies(rule: Any, key: str) -> tuple:
    applies = getattr(rule, "applies_to", None)
    if applies is None:
        return ()
    value = applies.get(key) if hasattr(applies, "get") else None
    return tuple(value or ())


def documents(snapshot: Any, rule: Any) -> Iterator[Document]:
    """The page bodies and attachment texts a rule applies to (bad or empty records are skipped)."""
    params = _params(rule)
    page_kinds = set(_applies(rule, "page_kinds"))
    media_types = {m.lower() for m in _applies(rule, "media_types")}
    pages = {}
    for page in snapshot.pages():
        pages[page.url] = page
        if not params["pages"] or (page_kinds and page.kind not in page_kinds):
            continue
        text = "\n".join(t for t in (page.title, page.text) if isinstance(t, str) and t)
        if not text:
            continue
        column = snapshot.column(page.column_url)
        yield Document(page.url, text, "网页正文", page.title or "", column.name if column else None,
                       column.url if column else None)
    if not params["attachments"]:
        return
    for att in snapshot.attachments():
        if media_types and (att.media_type or "").lower() not in media_types:
            continue
        segments = [s for s in (att.segments or []) if isinstance(getattr(s, "text", None), str) and s.text]
        if not segments:
            continue
        starts, locations, offset = [], [], 0
        for segment in segments:
            starts.append(offset)
            locations.append(segment.location or "")
            offset += len(segment.text) + 1
        page = pages.get(att.page_url)
        column = snapshot.column(page.column_url) if page else None
        label = f"附件「{att.filename or att.url.rsplit('/', 1)[-1]}」"
        yield Document(att.url, "\n".join(s.text for s in segments), label, page.title if page else "",
                       column.name if column else None, column.url if column else None, starts, locations,
                       _is_spreadsheet(att))


def _is_spreadsheet(att: Any) -> bool:
    media = (att.media_type or "").lower()
    name = (att.filename or att.url or "").lower()
    inner = {seg.location.split(":", 1)[0].rsplit(".", 1)[-1].lower() for seg in att.segments if ":" in (seg.location or "")}
    return media in SPREADSHEET_TYPES or name.rsplit(".", 1)[-1] in SPREADSHEET_TYPES or bool(inner & SPREADSHEET_TYPES)


_VISIBLE = re.compile(r"(?:^|;)visible=([0-9,-]+)")


def _visible_part(hits: list[Hit]) -> dict[str, Any]:
    """What the page leaves visible of the most revealing masked value: its position ranges, and the
    leading and trailing counts (positions only; tokens stored before this was recorded have none)."""
    best: list[tuple[int, int]] = []
    for hit in hits:
        found = _VISIBLE.search(hit.how or "")
        if not found:
            continue
        spans = [tuple(int(n) for n in part.split("-")) for part in found[1].split(",") if "-" in part]
        if sum(b - a + 1 for a, b in spans) > sum(b - a + 1 for a, b in best):
            best = spans
    if not best:
        return {}
    head = best[0][1] if best[0][0] == 1 else 0
    tail = best[-1][1] - best[-1][0] + 1 if best[-1][1] == 18 else 0
    return {"visible_spans": ",".join(f"{a}-{b}" for a, b in best), "visible_head": head, "visible_tail": tail}


def _observe(doc: Document, pii_type: str, hits: list[Hit], params: dict[str, Any], kind: str) -> Observation:
    distinct: dict[str, Hit] = {}
    locations: list[str] = []
    for hit in hits:
        distinct.setdefault(hit.fingerprint, hit)
        where = doc.location(hit.start)
        if where and where not in locations:
            locations.append(where)
    examples = []
    for hit in list(distinct.values())[:int(params["max_examples"])]:
        where = doc.location(hit.start)
        examples.append(f"{hit.masked}（{where}）" if where else hit.masked)
    best = max(hits, key=lambda h: h.score)
    words = sorted({h.context_word for h in hits if h.context_word})
    label = PII_LABELS.get(pii_type, pii_type)
    observed = {
        "pii_type": pii_type, "pii_label": label, "count": len(distinct), "occurrences": len(hits),
        "examples": "、".join(examples), "document": doc.label, "doc_title": doc.title,
        "locations": locations[:10], "max_score": round(best.score, 2), "context_words": words,
        "recognizers": sorted({h.recognizer for h in hits}), "validated": all(h.validated for h in hits),
    }
    if kind == "weak_masking":
        observed.update(_visible_part(hits))
    return Observation(
        url=doc.url, column_name=doc.column_name, column_url=doc.column_url, observed=observed,
        evidence=f"{doc.label}：" + "；".join(examples), confidence=round(best.score, 2),
        key=pii_type if kind == "personal_data" else f"weak_masking:{pii_type}", pii_type=pii_type,
        count=len(distinct), location="、".join(locations[:5]) or None,
        needs_review=best.score < 0.8,
    )


# Characters of documents scanned together (Scanner.scan_many): a batch's documents, hits and joined copies
# are held at once, so this bounds the check's memory; a page-sized document alone is mostly fixed costs.
_BATCH_CHARS = 1 << 20


def _batches(docs: Iterable[Document]) -> Iterator[list[Document]]:
    """The documents in order, in lists of about _BATCH_CHARS characters (a larger document alone)."""
    batch, size = [], 0
    for doc in docs:
        if batch and size + len(doc.text) > _BATCH_CHARS:
            yield batch
            batch, size = [], 0
        batch.append(doc)
        size += len(doc.text)
    if batch:
        yield batch


def _scanned(batch: list[Document], params: dict[str, Any], types: tuple, salt: bytes) -> Iterator[tuple[Document, list[Hit]]]:
    """Each document of `batch` with its hits, in order; spreadsheet text and prose are scanned apart
    (the number-cell recognizer runs on spreadsheets only)."""
    scanner = get_scanner()
    found: dict[int, list[Hit]] = {}
    for spreadsheet in (False, True):
        chosen = [i for i, doc in enumerate(batch) if doc.spreadsheet is spreadsheet]
        if chosen:
            found.update(zip(chosen, scanner.scan_many(
                [batch[i].text for i in chosen], salt=salt, min_score=float(params["min_score"]), types=types,
                window=int(params["context_window"]), spreadsheet=spreadsheet, batch_chars=_BATCH_CHARS)))
    return ((doc, found[i]) for i, doc in enumerate(batch))


def _check(snapshot: Any, rule: Any, kind: str) -> Iterator[Observation]:
    params = _params(rule)
    types = tuple(params.get("types") or PII_TYPES)
    salt = os.urandom(16)                          # distinct-value counting within this run only
    for batch in _batches(documents(snapshot, rule)):
        for doc, hits in _scanned(batch, params, types, salt):
            spans = structural_spans(doc.text)       # a file name or address in the text is not a value in it
            if spans:
                starts = [start for start, _, _ in spans]
                hits = [h for h in hits
                        if doc.text.startswith(TOKEN_OPEN, h.start) or not inside(spans, h.start, h.end, starts)]
            by_type: dict[str, list[Hit]] = {}
            for hit in hits:
                if hit.kind == kind:
                    by_type.setdefault(hit.pii_type, []).append(hit)
            for pii_type in types:
                if by_type.get(pii_type):
                    yield _observe(doc, pii_type, by_type[pii_type], params, kind)


def personal_data(snapshot: Any, rule: Any) -> Iterable[Observation]:
    """Unmasked personal data (types from params.types) in page bodies and attachments."""
    return _check(snapshot, rule, "personal_data")


def weak_masking(snapshot: Any, rule: Any) -> Iterable[Observation]:
    """ID numbers masked so that birth-date digits (positions 7-14) remain visible."""
    return _check(snapshot, rule, "weak_masking")


def url_personal_data(snapshot: Any, rule: Any) -> Iterator[Observation]:
    """Page, attachment and link addresses that carry a person's ID or mobile number (strong evidence only).

    The address is structure everywhere else (kept intact); here it is the finding, reported by its
    masked form with the column and page title that make it findable. Stored tokens count too.
    """
    pages = {page.url: page for page in snapshot.pages()}
    seen: set[str] = set()

    def observe(url: str, page_url: str | None, what: str,
                stored: list[tuple[str, str]] | None = None) -> Observation | None:
        masked = mask_url(url)
        types = list(stored or ())
        types += [(h.pii_type, h.where) for h in url_pii(url)]
        types += [(h.pii_type, f"查询参数「{h.context_word}」" if h.context_word else "地址中") for h in token_hits(url)]
        if not types or masked in seen:
            return None
        seen.add(masked)
        page = pages.get(page_url or "") or pages.get(url)
        column = snapshot.column(page.column_url) if page else None
        labels = "、".join(dict.fromkeys(PII_LABELS.get(t, t) for t, _ in types))
        where = "、".join(dict.fromkeys(w for _, w in types))
        observed = {"pii_label": labels, "pii_types": sorted({t for t, _ in types}), "where": where,
                    "masked_url": masked, "document": what, "doc_title": page.title if page else "",
                    "examples": f"{masked}（{where}）", "count": len(types)}
        return Observation(url=masked, column_name=column.name if column else None,
                           column_url=column.url if column else None, observed=observed,
                           evidence=f"{what}：{masked}（{where}含{labels}）", confidence=0.95,
                           key="url:" + ",".join(sorted({t for t, _ in types})), pii_type=types[0][0],
                           count=len(types))

    candidates = [(page.url, page.url, "网页地址") for page in pages.values()]
    candidates += [(att.url, att.page_url, "附件地址") for att in snapshot.attachments()]
    candidates += [(link.target_url, link.source_url, "链接地址") for link in snapshot.links()]
    # Addresses the store masked as it wrote them (what they carried is kept beside them).
    names = {"page": "网页地址", "attachment": "附件地址", "link": "链接地址"}
    for record in getattr(snapshot, "url_pii_", ()):
        found = observe(record.url, record.page_url or record.url, names.get(record.what, "网页地址"),
                        [(t, record.place) for t in record.pii_types])
        if found is not None:
            yield found
    for url, page_url, what in candidates:
        if isinstance(url, str) and url:
            found = observe(url, page_url, what)
            if found is not None:
                yield found


CHECKS = {"personal_data": personal_data, "weak_masking": weak_masking, "url_personal_data": url_personal_data}
