"""The run store: one SQLite file (WAL) holding every run of every site, and the Snapshot reader.

Why SQLite in WAL mode: a county audit is one process, and a crawl killed at any moment must keep
every page already written. Writers commit in small batches; a killed process loses at most the
uncommitted batch, and its run stays 'running' until `crawl --resume` continues it.

Personal data: the store never holds a raw value. Text goes through the `redactor` the conductor
supplies (checks.privacy tokenises every value into a masked token the privacy check still
recognises), so the database itself is safe to hand over.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from crawler.errors import StoreError
from crawler.records import (
    AttachmentRecord,
    ColumnRecord,
    ErrorRecord,
    LinkRecord,
    PageRecord,
    Snapshot,
    TextSegment,
)

APP_ID = "govaudit"
SCHEMA_VERSION = 1

# Each entry upgrades the schema from version i to i+1. Never edit a shipped entry: append.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        site_url TEXT NOT NULL, site_name TEXT NOT NULL DEFAULT '',
        as_of TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'running',
        started_at TEXT NOT NULL, finished_at TEXT, pid INTEGER,
        settings TEXT NOT NULL DEFAULT '{}', stats TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX runs_site ON runs(site_url, id);
    CREATE TABLE columns (
        run_id INTEGER NOT NULL REFERENCES runs(id), url TEXT NOT NULL,
        name TEXT NOT NULL, path TEXT, type TEXT, type_source TEXT, level INTEGER,
        list_urls TEXT, items INTEGER, latest TEXT, dated_items INTEGER, blank_marker TEXT,
        department TEXT, fetched_at TEXT,
        PRIMARY KEY (run_id, url)
    );
    CREATE TABLE pages (
        run_id INTEGER NOT NULL REFERENCES runs(id), url TEXT NOT NULL,
        column_url TEXT, title TEXT, published TEXT, published_source TEXT, source TEXT,
        index_number TEXT, doc_number TEXT, topic TEXT, written TEXT, text TEXT,
        sha256 TEXT, status INTEGER, kind TEXT, etag TEXT, last_modified TEXT,
        PRIMARY KEY (run_id, url)
    );
    CREATE TABLE attachments (
        run_id INTEGER NOT NULL REFERENCES runs(id), url TEXT NOT NULL,
        page_url TEXT, filename TEXT, media_type TEXT, size INTEGER, sha256 TEXT,
        status TEXT, error TEXT, segments TEXT, etag TEXT, last_modified TEXT,
        PRIMARY KEY (run_id, url)
    );
    CREATE TABLE links (
        run_id INTEGER NOT NULL REFERENCES runs(id), source_url TEXT NOT NULL, target_url TEXT NOT NULL,
        status INTEGER, error TEXT, kind TEXT,
        PRIMARY KEY (run_id, source_url, target_url)
    );
    CREATE TABLE errors (
        id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL REFERENCES runs(id),
        url TEXT, stage TEXT, message TEXT
    );
    CREATE TABLE findings (
        run_id INTEGER NOT NULL REFERENCES runs(id), id TEXT NOT NULL,
        rule TEXT NOT NULL, kind TEXT NOT NULL, severity TEXT NOT NULL, status TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (run_id, id)
    );
    """,
]


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


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


class Store:
    """Open (or create) a govaudit store. Raises StoreError for a file that is not one."""

    def __init__(self, path: str | Path, redactor: Callable[[str], str] | None = None):
        self.path = Path(path)
        self.redactor = redactor
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"无法创建数据库目录 {self.path.parent}：{exc.strerror}。请检查 --db 路径。") from exc
        if self.path.exists() and self.path.is_dir():
            raise StoreError(f"--db 指向的是目录而非文件：{self.path}。请指定一个 .sqlite 文件路径。")
        try:
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self._refuse_foreign()              # before WAL mode, which would rewrite the file's header
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{self.path} 不是有效的 govaudit 数据库（{exc}）。请换一个 --db 文件路径，原文件未作改动。"
            ) from exc
        self._in_tx = False

    # ---------------------------------------------------------------- schema
    def _refuse_foreign(self) -> None:
        """Read-only look at the file: another program's database is left exactly as it was."""
        tables = {row[0] for row in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if tables and "meta" not in tables:
            self.db.close()
            raise StoreError(
                f"{self.path} 是其他程序的 SQLite 数据库，不是 govaudit 数据库。请换一个 --db 文件路径，原文件未作改动。"
            )
        if "meta" in tables and dict(self.db.execute("SELECT key, value FROM meta")).get("app") != APP_ID:
            self.db.close()
            raise StoreError(f"{self.path} 不是 govaudit 数据库。请换一个 --db 文件路径，原文件未作改动。")

    def _migrate(self) -> None:
        tables = {row[0] for row in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        version = 0
        if "meta" in tables:
            version = int(dict(self.db.execute("SELECT key, value FROM meta")).get("schema_version", "0"))
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} 由更新版本的 govaudit 创建（数据库版本 {version}），请升级 govaudit 后再使用。"
            )
        for target in range(version, SCHEMA_VERSION):
            self.db.execute("BEGIN")
            for statement in MIGRATIONS[target].split(";"):
                if statement.strip():
                    self.db.execute(statement)
            if target == 0:
                self.db.execute("INSERT INTO meta VALUES ('app', ?)", (APP_ID,))
                self.db.execute("INSERT INTO meta VALUES ('salt', ?)", (secrets.token_hex(16),))
                self.db.execute("INSERT INTO meta VALUES ('schema_version', '0')")
            self.db.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(target + 1),))
            self.db.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0])

    @property
    def salt(self) -> str:
        """Per-store secret for hashing personal-data values (dedup without keeping the value)."""
        return self.db.execute("SELECT value FROM meta WHERE key='salt'").fetchone()[0]

    # ---------------------------------------------------------------- writing
    def _write(self, sql: str, params: Iterable) -> None:
        if not self._in_tx:
            self.db.execute("BEGIN")
            self._in_tx = True
        self.db.execute(sql, tuple(params))

    def commit(self) -> None:
        if self._in_tx:
            self.db.execute("COMMIT")
            self._in_tx = False

    def _clean(self, text: str | None) -> str | None:
        if text is None or self.redactor is None:
            return text
        return self.redactor(text)

    def start_run(self, site_url: str, site_name: str, as_of: dt.date, settings: dict | None = None) -> int:
        self.commit()
        cursor = self.db.execute(
            "INSERT INTO runs (site_url, site_name, as_of, started_at, pid, settings) VALUES (?,?,?,?,?,?)",
            (site_url, site_name, as_of.isoformat(), dt.datetime.now().isoformat(timespec="seconds"),
             os.getpid(), json.dumps(settings or {}, ensure_ascii=False, default=str)),
        )
        return int(cursor.lastrowid)

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
            "INSERT OR REPLACE INTO columns VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (run_id, c.url, c.name, c.path, c.type, c.type_source, c.level, json.dumps(c.list_urls),
             c.items, _iso(c.latest), c.dated_items, c.blank_marker, c.department, _iso(c.fetched_at)),
        )

    def add_page(self, run_id: int, p: PageRecord) -> None:
        self._write(
            "INSERT OR REPLACE INTO pages VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (run_id, p.url, p.column_url, self._clean(p.title), _iso(p.published), p.published_source,
             p.source, p.index_number, p.doc_number, p.topic, _iso(p.written), self._clean(p.text),
             p.sha256, p.status, p.kind, p.etag, p.last_modified),
        )

    def add_attachment(self, run_id: int, a: AttachmentRecord) -> None:
        segments = [{"location": s.location, "text": self._clean(s.text)} for s in a.segments]
        self._write(
            "INSERT OR REPLACE INTO attachments VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (run_id, a.url, a.page_url, a.filename, a.media_type, a.size, a.sha256, a.status, a.error,
             json.dumps(segments, ensure_ascii=False), a.etag, a.last_modified),
        )

    def add_link(self, run_id: int, link: LinkRecord) -> None:
        self._write(
            "INSERT OR REPLACE INTO links VALUES (?,?,?,?,?,?)",
            (run_id, link.source_url, link.target_url, link.status, link.error, link.kind),
        )

    def add_error(self, run_id: int, error: ErrorRecord) -> None:
        self._write(
            "INSERT INTO errors (run_id, url, stage, message) VALUES (?,?,?,?)",
            (run_id, error.url, error.stage, self._clean(error.message)),
        )

    # ---------------------------------------------------------------- resume and re-crawl
    def has_url(self, run_id: int, url: str) -> bool:
        """True when this run already stored the page or attachment (a resumed crawl skips it)."""
        for table in ("pages", "attachments"):
            if self.db.execute(f"SELECT 1 FROM {table} WHERE run_id=? AND url=?", (run_id, url)).fetchone():
                return True
        return False

    def stored_urls(self, run_id: int) -> set[str]:
        rows = self.db.execute(
            "SELECT url FROM pages WHERE run_id=? UNION SELECT url FROM attachments WHERE run_id=?",
            (run_id, run_id),
        )
        return {row[0] for row in rows}

    def previous_version(self, site_url: str, url: str, before_run: int) -> dict | None:
        """The newest earlier run's record of `url` with its validators, for a conditional request."""
        for table, read in (("pages", self._page), ("attachments", self._attachment)):
            row = self.db.execute(
                f"SELECT t.run_id, t.etag, t.last_modified, t.sha256 FROM {table} t JOIN runs r ON r.id=t.run_id "
                "WHERE r.site_url=? AND t.url=? AND t.run_id<? ORDER BY t.run_id DESC LIMIT 1",
                (site_url, url, before_run),
            ).fetchone()
            if row is not None:
                from_run, etag, last_modified, sha256 = row
                return {"run_id": from_run, "etag": etag, "last_modified": last_modified, "sha256": sha256,
                        "record": read(from_run, url)}
        return None

    def copy_forward(self, run_id: int, url: str, from_run: int) -> None:
        """Copy an unchanged page or attachment (HTTP 304) from an earlier run into this one."""
        for table in ("pages", "attachments"):
            self._write(
                f"INSERT OR REPLACE INTO {table} SELECT ?, {self._columns_of(table, skip_first=True)} "
                f"FROM {table} WHERE run_id=? AND url=?",
                (run_id, from_run, url),
            )
        self._write(
            "INSERT OR IGNORE INTO links SELECT ?, source_url, target_url, status, error, kind FROM links "
            "WHERE run_id=? AND source_url=?",
            (run_id, from_run, url),
        )

    def _columns_of(self, table: str, skip_first: bool = False) -> str:
        names = [row[1] for row in self.db.execute(f"PRAGMA table_info({table})")]
        return ", ".join(names[1:] if skip_first else names)

    def outlinks(self, run_id: int, source_url: str) -> list[LinkRecord]:
        rows = self.db.execute(
            "SELECT source_url, target_url, status, error, kind FROM links WHERE run_id=? AND source_url=?",
            (run_id, source_url),
        )
        return [LinkRecord(*row) for row in rows]

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

    # ---------------------------------------------------------------- reading
    def _page(self, run_id: int, url: str) -> PageRecord | None:
        row = self.db.execute("SELECT * FROM pages WHERE run_id=? AND url=?", (run_id, url)).fetchone()
        return self._page_from_row(row) if row else None

    @staticmethod
    def _page_from_row(row) -> PageRecord:
        return PageRecord(url=row[1], column_url=row[2], title=row[3] or "", published=_date(row[4]),
                          published_source=row[5], source=row[6], index_number=row[7], doc_number=row[8],
                          topic=row[9], written=_date(row[10]), text=row[11] or "", sha256=row[12],
                          status=row[13] if row[13] is not None else 200, kind=row[14] or "article",
                          etag=row[15], last_modified=row[16])

    def _attachment(self, run_id: int, url: str) -> AttachmentRecord | None:
        row = self.db.execute("SELECT * FROM attachments WHERE run_id=? AND url=?", (run_id, url)).fetchone()
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
        columns = [
            ColumnRecord(url=r[1], name=r[2], path=r[3] or "", type=r[4], type_source=r[5], level=r[6] or 1,
                         list_urls=json.loads(r[7] or "[]"), items=r[8] or 0, latest=_date(r[9]),
                         dated_items=r[10] or 0, blank_marker=r[11], department=r[12],
                         fetched_at=dt.datetime.fromisoformat(r[13]) if r[13] else None)
            for r in self.db.execute("SELECT * FROM columns WHERE run_id=? ORDER BY rowid", (run_id,))
        ]
        pages = [self._page_from_row(r)
                 for r in self.db.execute("SELECT * FROM pages WHERE run_id=? ORDER BY rowid", (run_id,))]
        attachments = [self._attachment_from_row(r) for r in
                       self.db.execute("SELECT * FROM attachments WHERE run_id=? ORDER BY rowid", (run_id,))]
        links = [LinkRecord(*r) for r in self.db.execute(
            "SELECT source_url, target_url, status, error, kind FROM links WHERE run_id=? ORDER BY rowid",
            (run_id,))]
        errors = [ErrorRecord(*r) for r in self.db.execute(
            "SELECT url, stage, message FROM errors WHERE run_id=? ORDER BY id", (run_id,))]
        stats = dict(info.stats)
        stats.update({"pages": len(pages), "columns": len(columns), "attachments": len(attachments),
                      "errors": len(errors), "status": info.status, "started": info.started_at,
                      "finished": info.finished_at})
        return Snapshot(site_name=info.site_name, site_url=info.site_url, as_of=as_of or info.as_of,
                        run_id=run_id, columns_=columns, pages_=pages, attachments_=attachments,
                        links_=links, errors_=errors, stats=stats)

    # ---------------------------------------------------------------- findings
    def save_findings(self, run_id: int, findings: Iterable[dict]) -> None:
        """Replace this run's findings (re-checking a run with new rules overwrites the old verdict)."""
        self._write("DELETE FROM findings WHERE run_id=?", (run_id,))
        for finding in findings:
            data = json.dumps(finding, ensure_ascii=False, default=str)
            self._write(
                "INSERT OR REPLACE INTO findings VALUES (?,?,?,?,?,?,?)",
                (run_id, finding["id"], finding["rule"], finding["kind"], finding["severity"],
                 finding.get("status", "new"), self._clean(data)),
            )
        self.commit()

    def findings(self, run_id: int) -> list[dict]:
        rows = self.db.execute("SELECT data FROM findings WHERE run_id=? ORDER BY rowid", (run_id,))
        return [json.loads(row[0]) for row in rows]

    def close(self) -> None:
        try:
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
