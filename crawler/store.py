"""The run store: every run of every site, and the Snapshot reader.

It lives in a SQLite file (WAL) for a county on one machine, or on a PostgreSQL server that a
province's workers on several machines share (crawler/databases.py says why and what differs).
A crawl killed at any moment keeps every page already written: writers commit in small batches,
a killed process loses at most the uncommitted batch, and its run stays 'running' until
`crawl --resume` continues it.

Personal data: the store never holds a raw value. Text goes through the `redactor` the conductor
supplies (checks.privacy tokenises every value into a masked token the privacy check still
recognises), so the database itself is safe to hand over.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from crawler.databases import TABLES, open_database
from crawler.errors import StoreError
from crawler.records import (
    AttachmentRecord,
    ColumnRecord,
    ErrorRecord,
    LinkRecord,
    PageRecord,
    ProbeRecord,
    Snapshot,
    TextSegment,
    UrlPiiRecord,
)

APP_ID = "govaudit"
SCHEMA_VERSION = 4
KEYS = {"columns": ("run_id", "url"), "pages": ("run_id", "url"), "attachments": ("run_id", "url"),
        "links": ("run_id", "source_url", "target_url"), "findings": ("run_id", "id"),
        "url_pii": ("run_id", "url", "what")}


def _upsert(table: str) -> str:
    """INSERT that replaces the row with the same key (SQLite and PostgreSQL both speak this form)."""
    names = TABLES[table]
    updates = ", ".join(f"{n}=excluded.{n}" for n in names if n not in KEYS[table])
    return (f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))}) "
            f"ON CONFLICT ({', '.join(KEYS[table])}) DO UPDATE SET {updates}")


UPSERT = {table: _upsert(table) for table in KEYS}
# A link is written when its page is parsed (outcome unknown) and again when its target answers. The two writes
# come from different callbacks and may reach the store in either order, so an unknown outcome (no status, no
# error) never replaces a known one.
_LINK_OUTCOME_KEPT = "CASE WHEN excluded.status IS NULL AND excluded.error IS NULL THEN links.{0} ELSE excluded.{0} END"
UPSERT["links"] = (UPSERT["links"].replace("status=excluded.status", "status=" + _LINK_OUTCOME_KEPT.format("status"))
                   .replace("error=excluded.error", "error=" + _LINK_OUTCOME_KEPT.format("error")))
SELECT = {table: ", ".join(names) for table, names in TABLES.items()}


# (url) -> (the url with its personal part masked, [(pii type, where in the address)]); the conductor
# supplies checks.privacy's, since the crawler floor cannot import the checks floor.
UrlRedactor = Callable[[str], tuple[str, list[tuple[str, str]]]]


@dataclass
class RunInfo:
    id: int
    site_url: str
    site_name: str
    as_of: dt.date
    status: str
    started_at: str
    finished_at: str | None
    stats: dict
    settings: dict


# A snapshot carries this many days of probes before its check date: the 7-day verdict window and the
# report's history block (a fortnight, so last week's outcome reads beside this week's).
PROBE_DAYS_KEPT = 14
# Probes older than this before the newest visit are read by no verdict (a snapshot reads PROBE_DAYS_KEPT days
# before its check date); the extra week is the margin for a check date set a few days back or a late cron.
# Probes inside the window of a stored, unpruned run stay, so re-checking that run sees the same visits.
PROBE_RETENTION_DAYS = PROBE_DAYS_KEPT + 7


def site_key(url: str) -> str:
    """One key per site whatever the scheme, case or trailing slash: probes of http:// and https:// meet."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    return host + port + (parts.path or "/").rstrip("/")


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


class Store:
    """Open (or create) a govaudit store at a file path or a postgresql:// URL.

    Raises StoreError for a location that is not (and cannot become) a govaudit store.
    """

    def __init__(self, location: str | Path, redactor: Callable[[str], str] | None = None,
                 url_redactor: UrlRedactor | None = None):
        self.redactor = redactor
        self.url_redactor = url_redactor
        self.db = open_database(location)
        self.location = str(location)
        self._has_earlier_runs: dict[tuple[str, int], bool] = {}
        errors = self.db.errors
        try:
            self._refuse_foreign()              # before SQLite's WAL mode, which would rewrite the file's header
            self.db.prepare()
            self._migrate()
        except errors as exc:
            self.db.close()
            raise StoreError(
                f"{self.db.location} 不是有效的 govaudit 数据库（{exc}）。请换一个 --db 位置，原数据库未作改动。"
            ) from exc

    # ---------------------------------------------------------------- schema
    def _stored_meta(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT key, value FROM meta").fetchall())

    def _refuse_foreign(self) -> None:
        """A read-only look: another program's database is left exactly as it was."""
        tables = self.db.tables()
        if (tables and "meta" not in tables) or ("meta" in tables and self._stored_meta().get("app") != APP_ID):
            self.db.close()
            raise StoreError(
                f"{self.db.location} 是其他程序的数据库，不是 govaudit 数据库。请换一个 --db 位置，原数据库未作改动。"
            )

    def _migrate(self) -> None:
        # A store already at this version needs no write lock: a reader (the coordinator) opening a file that
        # busy workers write to must not queue for it. Several workers may open a new shared store at once:
        # one migrates under the lock, the others then see it done.
        if "meta" in self.db.tables() and self._stored_meta().get("schema_version") == str(SCHEMA_VERSION):
            return
        with self.db.exclusive():
            version = int(self._stored_meta().get("schema_version", "0")) if "meta" in self.db.tables() else 0
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.db.location} 由更新版本的 govaudit 创建（数据库版本 {version}），请升级 govaudit 后再使用。"
                )
            for target in range(version, SCHEMA_VERSION):
                for statement in self.db.migrations[target].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                if target == 0:
                    self.db.execute("INSERT INTO meta VALUES ('app', ?)", (APP_ID,))
                    self.db.execute("INSERT INTO meta VALUES ('salt', ?)", (secrets.token_hex(16),))
                    self.db.execute("INSERT INTO meta VALUES ('schema_version', '0')")
                self.db.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(target + 1),))

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0])

    @property
    def salt(self) -> str:
        """Per-store secret for hashing personal-data values (dedup without keeping the value)."""
        return self.db.execute("SELECT value FROM meta WHERE key='salt'").fetchone()[0]

    # ---------------------------------------------------------------- writing
    def _write(self, sql: str, params: Iterable) -> None:
        self.db.write(sql, tuple(params))

    def commit(self) -> None:
        self.db.commit()

    def _clean_segments(self, texts: list[str | None]) -> list[str | None]:
        """Each segment redacted in the context of the whole document: a spreadsheet row is a segment, and
        its 联系电话 header (the privacy check's evidence for a phone column) is another. The joined text
        is redacted once and cut back at the same line breaks; should a value span two segments (the line
        counts then differ), every segment is redacted alone, as before."""
        if self.redactor is None or len(texts) < 2 or any(t is None for t in texts):
            return [self._clean(t) for t in texts]
        cleaned = [t.replace("\x00", "") for t in texts if t is not None]
        lines = self.redactor("\n".join(cleaned)).split("\n")
        if len(lines) != sum(t.count("\n") + 1 for t in cleaned):
            return [self._clean(t) for t in texts]
        out, at = [], 0
        for text in cleaned:
            n = text.count("\n") + 1
            out.append("\n".join(lines[at:at + n]))
            at += n
        return out

    def _clean(self, text: str | None) -> str | None:
        """Redact personal data; drop NUL characters, which broken pages carry and PostgreSQL refuses."""
        if text is None:
            return text
        text = text.replace("\x00", "")
        return self.redactor(text) if self.redactor is not None else text

    def _url(self, run_id: int, url: str | None, what: str | None = None, page_url: str | None = None) -> str | None:
        """`url` as stored: an address is structure and stays as it is, unless it carries personal data.

        Then its personal part is masked (the database holds no raw value) and, for a page, attachment or
        link address (`what`), the fact is kept in url_pii for the privacy check to report.
        """
        if not url or self.url_redactor is None:
            return url
        masked, hits = self._redact_url(url)
        if not hits:
            return url
        if hits and what is not None:
            page = self._redact_url(page_url)[0] if page_url else None
            self._write(UPSERT["url_pii"], (run_id, masked, what, page, json.dumps(sorted({t for t, _ in hits})),
                                            "、".join(dict.fromkeys(w for _, w in hits))))
        return masked

    def _key(self, url: str) -> str:
        """The stored form of `url`, for looking a record up by the address the crawl holds."""
        return self._redact_url(url)[0] if url and self.url_redactor is not None else url

    _URL_MEMO_SIZE = 200_000          # ~40 MB at most; a county site has ~1–20k distinct addresses

    def _redact_url(self, url: str) -> tuple[str, list[tuple[str, str]]]:
        """url_redactor(url), remembered: every page repeats the menus' addresses, and a re-crawl writes each
        copied page's links again (the privacy scan of an address was ~60 % of the store's time)."""
        memo = self.__dict__.setdefault("_url_memo", {})
        found = memo.get(url)
        if found is None:
            if len(memo) >= self._URL_MEMO_SIZE:
                memo.clear()
            found = memo[url] = self.url_redactor(url)
        return found

    def start_run(self, site_url: str, site_name: str, as_of: dt.date, settings: dict | None = None) -> int:
        self.commit()
        cursor = self.db.execute(
            "INSERT INTO runs (site_url, site_name, as_of, started_at, pid, settings) VALUES (?,?,?,?,?,?) "
            "RETURNING id",
            (site_url, site_name, as_of.isoformat(), dt.datetime.now().isoformat(timespec="seconds"),
             os.getpid(), json.dumps(settings or {}, ensure_ascii=False, default=str)),
        )
        return int(cursor.fetchone()[0])

    def resume_run(self, run_id: int) -> None:
        self.run(run_id)  # raises if missing
        self.commit()
        self.db.execute("UPDATE runs SET status='running', pid=?, finished_at=NULL WHERE id=?", (os.getpid(), run_id))

    def finish_run(self, run_id: int, status: str, stats: dict | None = None) -> None:
        self.commit()
        self.db.execute(
            "UPDATE runs SET status=?, finished_at=?, stats=? WHERE id=?",
            (status, dt.datetime.now().isoformat(timespec="seconds"),
             json.dumps(stats or {}, ensure_ascii=False, default=str), run_id),
        )

    def update_stats(self, run_id: int, **values) -> None:
        """Merge values into a run's stored statistics (e.g. where its reports were written)."""
        stats = self.run(run_id).stats
        stats.update(values)
        self.commit()
        self.db.execute("UPDATE runs SET stats=? WHERE id=?",
                        (json.dumps(stats, ensure_ascii=False, default=str), run_id))

    def set_site_name(self, run_id: int, name: str) -> None:
        self._write("UPDATE runs SET site_name=? WHERE id=?", (name, run_id))

    def add_column(self, run_id: int, c: ColumnRecord) -> None:
        self._write(
            UPSERT["columns"],
            (run_id, self._url(run_id, c.url), c.name, c.path, c.type, c.type_source, c.level,
             json.dumps([self._url(run_id, u) for u in c.list_urls]),
             c.items, _iso(c.latest), c.dated_items, c.blank_marker, c.department, _iso(c.fetched_at),
             c.unread_reason, c.type_reason, c.department_source),
        )

    def add_page(self, run_id: int, p: PageRecord) -> None:
        self._write(
            UPSERT["pages"],
            (run_id, self._url(run_id, p.url, "page"), self._url(run_id, p.column_url), self._clean(p.title), _iso(p.published), p.published_source,
             p.source, p.index_number, p.doc_number, p.topic, _iso(p.written), self._clean(p.text),
             p.sha256, p.status, p.kind, p.etag, p.last_modified,
             json.dumps(p.identity, ensure_ascii=False) if p.identity is not None else None),
        )

    def add_attachment(self, run_id: int, a: AttachmentRecord) -> None:
        texts = self._clean_segments([s.text for s in a.segments])
        segments = [{"location": s.location, "text": text} for s, text in zip(a.segments, texts)]
        self._write(
            UPSERT["attachments"],
            (run_id, self._url(run_id, a.url, "attachment", a.page_url), self._url(run_id, a.page_url), a.filename, a.media_type, a.size, a.sha256, a.status, a.error,
             json.dumps(segments, ensure_ascii=False), a.etag, a.last_modified),
        )

    def add_link(self, run_id: int, link: LinkRecord) -> None:
        self._write(
            UPSERT["links"],
            self._link_row(run_id, link),
        )

    def add_links(self, run_id: int, links: Iterable[LinkRecord]) -> None:
        """All links of one page in one statement (one round trip to a database server)."""
        rows = [self._link_row(run_id, link) for link in links]
        if rows:
            self.db.write_many(UPSERT["links"], rows)

    def _link_row(self, run_id: int, link: LinkRecord) -> tuple:
        return (run_id, self._url(run_id, link.source_url),
                self._url(run_id, link.target_url, "link", link.source_url), link.status,
                self._clean(link.error), link.kind)

    def add_error(self, run_id: int, error: ErrorRecord) -> None:
        self._write(
            "INSERT INTO errors (run_id, url, stage, message, rule) VALUES (?,?,?,?,?)",
            (run_id, self._url(run_id, error.url), error.stage, self._clean(error.message), error.rule),
        )

    def replace_errors(self, run_id: int, stage: str, errors: Iterable[ErrorRecord]) -> None:
        """Replace one stage's errors of a run: a re-check or a re-report states its own failures afresh."""
        self._write("DELETE FROM errors WHERE run_id=? AND stage=?", (run_id, stage))
        for error in errors:
            self.add_error(run_id, error)
        self.commit()

    # ---------------------------------------------------------------- resume and re-crawl
    def has_url(self, run_id: int, url: str) -> bool:
        """True when this run already stored the page or attachment (a resumed crawl skips it)."""
        for table in ("pages", "attachments"):
            if self.db.execute(f"SELECT 1 FROM {table} WHERE run_id=? AND url=?", (run_id, self._key(url))).fetchone():
                return True
        return False

    def stored_urls(self, run_id: int) -> set[str]:
        rows = self.db.execute(
            "SELECT url FROM pages WHERE run_id=? UNION SELECT url FROM attachments WHERE run_id=?",
            (run_id, run_id),
        )
        return {row[0] for row in rows}

    def previous_version(self, site_url: str, url: str, before_run: int) -> dict | None:
        """The newest earlier run's record of `url` with its validators, for a conditional request.

        Asked once per request, so it costs one query (none on a site's first crawl): on a database
        server each query is a network round trip the crawl waits for.
        """
        key = (site_url, before_run)
        if key not in self._has_earlier_runs:
            self._has_earlier_runs[key] = self.db.execute(
                "SELECT 1 FROM runs WHERE site_url=? AND id<? LIMIT 1", (site_url, before_run)).fetchone() is not None
        if not self._has_earlier_runs[key]:
            return None
        url = self._key(url)
        row = self.db.execute(
            "SELECT * FROM ("
            " SELECT 'pages', t.run_id, t.etag, t.last_modified, t.sha256 FROM pages t JOIN runs r ON r.id=t.run_id"
            " WHERE r.site_url=? AND t.url=? AND t.run_id<?"
            " UNION ALL"
            " SELECT 'attachments', t.run_id, t.etag, t.last_modified, t.sha256 FROM attachments t"
            " JOIN runs r ON r.id=t.run_id WHERE r.site_url=? AND t.url=? AND t.run_id<?"
            ") AS found ORDER BY 2 DESC LIMIT 1",
            (site_url, url, before_run) * 2,
        ).fetchone()
        if row is None:
            return None
        table, from_run, etag, last_modified, sha256 = row
        read = self._page if table == "pages" else self._attachment
        return {"run_id": from_run, "etag": etag, "last_modified": last_modified, "sha256": sha256,
                "record": read(from_run, url)}

    def copy_forward(self, run_id: int, url: str, from_run: int) -> None:
        """Copy an unchanged page or attachment (HTTP 304) from an earlier run into this one."""
        self.copy_forward_many(run_id, [url], from_run)

    # Addresses per statement: far below SQLite's (32,766) and PostgreSQL's (65,535) parameter limits.
    COPY_CHUNK = 500

    def copy_forward_many(self, run_id: int, urls: Iterable[str], from_run: int) -> None:
        """Copy unchanged pages and attachments from an earlier run into this one, with their stored links and
        the personal data their addresses carried: one statement per table for each chunk of addresses.

        Why set-based: a weekly re-crawl carries most of a site forward, and four statements per page were
        most of its store time (on a database server each one is a round trip).
        """
        keys = list(dict.fromkeys(self._key(url) for url in urls))
        for start in range(0, len(keys), self.COPY_CHUNK):
            chunk = keys[start:start + self.COPY_CHUNK]
            marks = ", ".join("?" * len(chunk))
            params = (run_id, from_run, *chunk)
            for table in ("pages", "attachments"):
                rest = ", ".join(TABLES[table][1:])
                updates = ", ".join(f"{n}=excluded.{n}" for n in TABLES[table][2:])
                self._write(
                    f"INSERT INTO {table} (run_id, {rest}) SELECT ?, {rest} FROM {table} "
                    f"WHERE run_id=? AND url IN ({marks}) ON CONFLICT (run_id, url) DO UPDATE SET {updates}",
                    params,
                )
            self._write(
                "INSERT INTO links (run_id, source_url, target_url, status, error, kind) "
                "SELECT ?, source_url, target_url, status, error, kind FROM links "
                f"WHERE run_id=? AND source_url IN ({marks}) ON CONFLICT DO NOTHING",
                params,
            )
            self._write(                          # the personal data its links and attachments carried
                "INSERT INTO url_pii (run_id, url, what, page_url, pii_types, place) "
                "SELECT ?, url, what, page_url, pii_types, place FROM url_pii "
                f"WHERE run_id=? AND page_url IN ({marks}) ON CONFLICT DO NOTHING",
                params,
            )

    # ---------------------------------------------------------------- carry-forward (crawler/reverify.py)
    def carry_base(self, site_url: str, before_run: int) -> tuple[int, dt.date | None] | None:
        """(run id, as_of) of the site's newest complete, unpruned run before `before_run`."""
        for info in reversed(self.runs(site_url)):
            if info.id < before_run and info.status == "complete" and not info.stats.get("pruned"):
                return info.id, info.as_of
        return None

    def carry_pages(self, run_id: int) -> list[tuple[str, str, str, dt.date | None, str | None, str | None]]:
        """(url, kind, title, published, column url, 文号) of every page a run stored, in one query."""
        rows = self.db.execute("SELECT url, kind, title, published, column_url, doc_number FROM pages WHERE run_id=?",
                               (run_id,))
        return [(url, kind or "article", title, _date(published), column, doc_number)
                for url, kind, title, published, column, doc_number in rows]

    def carry_attachments(self, run_id: int) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT url FROM attachments WHERE run_id=?", (run_id,))]

    def open_finding_urls(self, site_url: str, before_run: int) -> set[str]:
        """Addresses of the findings still open in the site's newest checked run before `before_run`."""
        row = self.db.execute(
            "SELECT MAX(f.run_id) FROM findings f JOIN runs r ON r.id=f.run_id WHERE r.site_url=? AND f.run_id<?",
            (site_url, before_run)).fetchone()
        if not row or row[0] is None:
            return set()
        urls = set()
        for (data,) in self.db.execute("SELECT data FROM findings WHERE run_id=? AND status<>'resolved'", (row[0],)):
            url = json.loads(data).get("url")
            if url:
                urls.add(url)
        return urls

    def outlinks(self, run_id: int, source_url: str) -> list[LinkRecord]:
        rows = self.db.execute(
            "SELECT source_url, target_url, status, error, kind FROM links WHERE run_id=? AND source_url=?",
            (run_id, self._key(source_url)),
        )
        return [LinkRecord(*row) for row in rows]

    def outlinks_many(self, run_id: int, source_urls: Iterable[str]) -> dict[str, list[LinkRecord]]:
        """The stored links of several pages, keyed by the address asked with: one query per chunk of pages
        instead of one per page (a re-crawl walks the links of every page it carries forward)."""
        by_key: dict[str, list[str]] = {}
        for url in source_urls:
            by_key.setdefault(self._key(url), []).append(url)
        found: dict[str, list[LinkRecord]] = {url: [] for urls in by_key.values() for url in urls}
        keys = list(by_key)
        for start in range(0, len(keys), self.COPY_CHUNK):
            chunk = keys[start:start + self.COPY_CHUNK]
            rows = self.db.execute(
                "SELECT source_url, target_url, status, error, kind FROM links "
                f"WHERE run_id=? AND source_url IN ({', '.join('?' * len(chunk))})", (run_id, *chunk))
            for row in rows:
                for url in by_key[row[0]]:
                    found[url].append(LinkRecord(*row))
        return found

    # ---------------------------------------------------------------- runs
    def _run_info(self, row) -> RunInfo:
        return RunInfo(id=row[0], site_url=row[1], site_name=row[2], as_of=_date(row[3]), status=row[4],
                       started_at=row[5], finished_at=row[6], settings=json.loads(row[7] or "{}"),
                       stats=json.loads(row[8] or "{}"))

    _RUN_COLUMNS = "id, site_url, site_name, as_of, status, started_at, finished_at, settings, stats"

    def run(self, run_id: int) -> RunInfo:
        row = self.db.execute(f"SELECT {self._RUN_COLUMNS} FROM runs WHERE id=?", (run_id,)).fetchone()
        if row is None:
            raise StoreError(f"数据库中没有编号为 {run_id} 的运行记录。可用 govaudit runs 查看已有记录。")
        return self._run_info(row)

    def runs(self, site_url: str | None = None) -> list[RunInfo]:
        if site_url:
            rows = self.db.execute(
                f"SELECT {self._RUN_COLUMNS} FROM runs WHERE site_url=? ORDER BY id", (site_url,))
        else:
            rows = self.db.execute(f"SELECT {self._RUN_COLUMNS} FROM runs ORDER BY id")
        return [self._run_info(row) for row in rows]

    def latest_run(self, site_url: str | None = None, statuses: Iterable[str] | None = None,
                   before: int | None = None) -> RunInfo | None:
        candidates = [r for r in self.runs(site_url)
                      if (statuses is None or r.status in statuses) and (before is None or r.id < before)]
        return candidates[-1] if candidates else None

    def counts(self, run_id: int) -> dict[str, int]:
        result = {}
        for table in ("columns", "pages", "attachments", "links", "errors", "findings"):
            result[table] = self.db.execute(f"SELECT COUNT(*) FROM {table} WHERE run_id=?", (run_id,)).fetchone()[0]
        return result

    # ---------------------------------------------------------------- retention
    def prune(self, keep: int) -> dict[str, int]:
        """Drop what older runs crawled, keeping each site's newest `keep` runs whole.

        Why: a province's weekly history grows by ~20 GB a week (bench/RESULTS.md). A pruned run keeps
        its row and its findings, so trends, `diff` and the 整改 status of every finding survive; only
        its columns, pages, attachments, links and errors go. The newest complete run is always kept,
        since a re-crawl (perhaps one under way) asks it for each page's validators.
        """
        keep = max(1, keep)
        removed = {"runs": 0, "columns": 0, "pages": 0, "attachments": 0, "links": 0, "errors": 0, "url_pii": 0}
        sites = [row[0] for row in self.db.execute("SELECT DISTINCT site_url FROM runs ORDER BY site_url")]
        for site in sites:
            runs = self.runs(site)
            complete = [info.id for info in runs if info.status == "complete"]
            protected = set(complete[-1:])          # a crawl under way compares against it
            older = [info for info in runs[:-keep] if not info.stats.get("pruned") and info.id not in protected]
            for info in older:
                for table in ("columns", "pages", "attachments", "links", "errors", "url_pii"):
                    removed[table] += self.db.execute(
                        f"SELECT COUNT(*) FROM {table} WHERE run_id=?", (info.id,)).fetchone()[0]
                    self._write(f"DELETE FROM {table} WHERE run_id=?", (info.id,))
                self.commit()
                self.update_stats(info.id, pruned=True)
                removed["runs"] += 1
        removed["probes"] = self._prune_probes()
        return removed

    def _prune_probes(self) -> int:
        """Drop each site's probe visits by the rule `govaudit probe` applies with every round: older than
        PROBE_RETENTION_DAYS before the site's newest visit and outside every unpruned run's window. Why here
        too: a site no longer probed (or probed with --state only) would otherwise keep its rows for ever."""
        newest = self.db.execute("SELECT site_key, MAX(probed_at) FROM probes GROUP BY site_key ORDER BY site_key")
        dropped = 0
        for key, last in list(newest):
            site_url = self.db.execute("SELECT site_url FROM probes WHERE site_key=? LIMIT 1", (key,)).fetchone()[0]
            before = dt.datetime.fromisoformat(last) - dt.timedelta(days=PROBE_RETENTION_DAYS)
            dropped += self._drop_unread_probes(site_url, before)
            self.commit()
        return dropped

    # ---------------------------------------------------------------- reading
    def _page(self, run_id: int, url: str) -> PageRecord | None:
        row = self.db.execute(f"SELECT {SELECT['pages']} FROM pages WHERE run_id=? AND url=?", (run_id, url)).fetchone()
        return self._page_from_row(row) if row else None

    @staticmethod
    def _page_from_row(row) -> PageRecord:
        return PageRecord(url=row[1], column_url=row[2], title=row[3] or "", published=_date(row[4]),
                          published_source=row[5], source=row[6], index_number=row[7], doc_number=row[8],
                          topic=row[9], written=_date(row[10]), text=row[11] or "", sha256=row[12],
                          status=row[13] if row[13] is not None else 200, kind=row[14] or "article",
                          etag=row[15], last_modified=row[16], identity=json.loads(row[17]) if row[17] else None)

    def _attachment(self, run_id: int, url: str) -> AttachmentRecord | None:
        row = self.db.execute(f"SELECT {SELECT['attachments']} FROM attachments WHERE run_id=? AND url=?", (run_id, url)).fetchone()
        return self._attachment_from_row(row) if row else None

    @staticmethod
    def _attachment_from_row(row) -> AttachmentRecord:
        segments = [TextSegment(**s) for s in json.loads(row[9] or "[]")]
        return AttachmentRecord(url=row[1], page_url=row[2], filename=row[3] or "", media_type=row[4],
                                size=row[5], sha256=row[6], status=row[7] or "ok", error=row[8],
                                segments=segments, etag=row[10], last_modified=row[11])

    def load_snapshot(self, run_id: int, as_of: dt.date | None = None) -> Snapshot:
        """Everything one run stored, as the read-only view the checks take."""
        self.commit()
        info = self.run(run_id)
        if info.stats.get("pruned"):
            raise StoreError(f"运行 {run_id} 的页面记录已按保留策略清理（govaudit prune），只保留了问题清单和统计，"
                             "无法重新检查或重新生成完整报告。")
        columns = [
            ColumnRecord(url=r[1], name=r[2], path=r[3] or "", type=r[4], type_source=r[5], level=r[6] or 1,
                         list_urls=json.loads(r[7] or "[]"), items=r[8] or 0, latest=_date(r[9]),
                         dated_items=r[10] or 0, blank_marker=r[11], department=r[12],
                         fetched_at=dt.datetime.fromisoformat(r[13]) if r[13] else None,
                         unread_reason=r[14], type_reason=r[15], department_source=r[16])
            for r in self.db.execute(f"SELECT {SELECT['columns']} FROM columns WHERE run_id=?", (run_id,))
        ]
        pages = [self._page_from_row(r)
                 for r in self.db.execute(f"SELECT {SELECT['pages']} FROM pages WHERE run_id=?", (run_id,))]
        attachments = [self._attachment_from_row(r) for r in
                       self.db.execute(f"SELECT {SELECT['attachments']} FROM attachments WHERE run_id=?", (run_id,))]
        links = [LinkRecord(*r) for r in self.db.execute(
            "SELECT source_url, target_url, status, error, kind FROM links WHERE run_id=?",
            (run_id,))]
        errors = [ErrorRecord(*r) for r in self.db.execute(
            "SELECT url, stage, message, rule FROM errors WHERE run_id=? ORDER BY id", (run_id,))]
        url_pii = sorted((UrlPiiRecord(url=r[0], what=r[1], page_url=r[2], pii_types=json.loads(r[3]), place=r[4])
                          for r in self.db.execute("SELECT url, what, page_url, pii_types, place FROM url_pii "
                                                   "WHERE run_id=?", (run_id,))),
                         key=lambda r: (r.url, r.what))
        # A concurrent crawl stores in the order responses happened to arrive; the checks and reports
        # see one stable order instead (columns by their place in the site, the rest by URL), so the
        # same site gives the same report on every run and on either database.
        columns.sort(key=lambda c: (c.path or c.name, c.url))
        pages.sort(key=lambda p: p.url)
        attachments.sort(key=lambda a: a.url)
        links.sort(key=lambda link: (link.source_url, link.target_url))
        stats = dict(info.stats)
        stats.update({"pages": len(pages), "columns": len(columns), "attachments": len(attachments),
                      "errors": len(errors), "status": info.status, "started": info.started_at,
                      "finished": info.finished_at})
        day = as_of or info.as_of
        probes = self.probes(info.site_url, dt.datetime.combine(day - dt.timedelta(days=PROBE_DAYS_KEPT), dt.time()),
                             dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
        return Snapshot(site_name=info.site_name, site_url=info.site_url, as_of=day,
                        run_id=run_id, columns_=columns, pages_=pages, attachments_=attachments,
                        links_=links, errors_=errors, stats=stats, url_pii_=url_pii, probes_=probes)

    # ---------------------------------------------------------------- availability probes
    def add_probes(self, site_url: str, probes: Iterable[ProbeRecord], prune_before: dt.datetime | None = None) -> int:
        """Keep probe visits of a site (govaudit probe); they belong to the site, not to a crawl run.

        With `prune_before`, the site's probes older than it that no unpruned run's snapshot can read are
        dropped in the same transaction (a cron probe would otherwise grow the table forever); returns how many.
        """
        rows = [(site_key(site_url), site_url, p.probed_at.isoformat(timespec="seconds"), self._key(p.url), p.target,
                 p.outcome, p.status, p.elapsed_ms, self._clean(p.detail)) for p in probes]
        if rows:
            self.db.write_many("INSERT INTO probes (site_key, site_url, probed_at, url, target, outcome, status, "
                               "elapsed_ms, detail) VALUES (?,?,?,?,?,?,?,?,?)", rows)
        dropped = self._drop_unread_probes(site_url, prune_before) if prune_before is not None else 0
        self.commit()
        return dropped

    def _drop_unread_probes(self, site_url: str, before: dt.datetime) -> int:
        """Delete (uncommitted) the site's probes before `before` outside every unpruned run's snapshot window."""
        key = site_key(site_url)
        windows: list[list[str]] = []
        for day in sorted(info.as_of for info in self.runs() if site_key(info.site_url) == key
                          and not info.stats.get("pruned")):
            start = dt.datetime.combine(day - dt.timedelta(days=PROBE_DAYS_KEPT), dt.time()).isoformat()
            end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time()).isoformat()
            if windows and start <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], end)          # weekly runs: one merged window
            else:
                windows.append([start, end])
        where = "site_key=? AND probed_at<?" + " AND NOT (probed_at>=? AND probed_at<?)" * len(windows)
        params = [key, before.isoformat(timespec="seconds")] + [bound for window in windows for bound in window]
        count = int(self.db.execute(f"SELECT COUNT(*) FROM probes WHERE {where}", params).fetchone()[0])
        if count:
            self._write(f"DELETE FROM probes WHERE {where}", params)
        return count

    def probes(self, site_url: str, start: dt.datetime, end: dt.datetime) -> list[ProbeRecord]:
        """The site's probes with start <= probed_at < end, oldest first (any scheme of the same site)."""
        rows = self.db.execute(
            "SELECT probed_at, url, target, outcome, status, elapsed_ms, detail, site_url FROM probes "
            "WHERE site_key=? AND probed_at>=? AND probed_at<? ORDER BY probed_at, id",
            (site_key(site_url), start.isoformat(timespec="seconds"), end.isoformat(timespec="seconds")))
        return [ProbeRecord(dt.datetime.fromisoformat(r[0]), r[1], r[2], r[3], r[4], r[5], r[6], r[7]) for r in rows]

    def probe_rounds(self, site_url: str) -> int:
        """How many probe rounds (home-page visits) the site has had: the sampled columns rotate with it."""
        return int(self.db.execute("SELECT COUNT(*) FROM probes WHERE site_key=? AND target='home'",
                                   (site_key(site_url),)).fetchone()[0])

    def column_urls(self, run_id: int) -> list[str]:
        """The column URLs a run found, in a stable order (the probe samples them in turn)."""
        return [r[0] for r in self.db.execute("SELECT url FROM columns WHERE run_id=? ORDER BY url", (run_id,))]

    def column_names(self, run_id: int) -> list[tuple[str, str]]:
        """(name, url) of every column a run found: the next run names those it could not reach."""
        return [(r[0], r[1]) for r in self.db.execute("SELECT name, url FROM columns WHERE run_id=? ORDER BY url",
                                                      (run_id,))]

    # ---------------------------------------------------------------- findings
    def save_findings(self, run_id: int, findings: Iterable[dict]) -> None:
        """Replace this run's findings (re-checking a run with new rules overwrites the old verdict)."""
        self._write("DELETE FROM findings WHERE run_id=?", (run_id,))
        for finding in findings:
            data = json.dumps(finding, ensure_ascii=False, default=str)
            self._write(
                UPSERT["findings"],
                (run_id, finding["id"], finding["rule"], finding["kind"], finding["severity"],
                 finding.get("status", "new"), self._clean(data)),
            )
        self.commit()

    def findings(self, run_id: int) -> list[dict]:
        rows = self.db.execute(f"SELECT data FROM findings WHERE run_id=? ORDER BY {self.db.row_order}",
                               (run_id,))
        return [json.loads(row[0]) for row in rows]

    def close(self) -> None:
        try:
            if not self.db.lost:            # a lost server: what was committed is all there is
                self.commit()
        finally:
            self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def record_dict(record) -> dict:
    """A JSON-friendly dict of any record (dates as ISO strings)."""
    return json.loads(json.dumps(asdict(record), default=str))
