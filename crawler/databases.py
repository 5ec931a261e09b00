"""Where a store lives: a SQLite file (one machine) or a PostgreSQL server (several machines).

Why two: a county audits on one machine, and a file needs no administrator. A province's workers on
several machines need one database they all reach, and SQLite on a network file system corrupts;
they share a PostgreSQL server. The Store speaks one SQL both accept (`?` placeholders,
`INSERT … ON CONFLICT`, `RETURNING`); what differs — connecting, listing tables, the schema's id
columns, insertion order, locking a migration, surviving a failed statement or a dropped
connection — lives here, behind the same small interface.

A batch (the statements between two commits) behaves the same on both: a statement that fails
leaves the rest of the batch intact. SQLite does that by itself; PostgreSQL aborts the whole
transaction, so its adapter replays the batch without the failing statement. The same replay
survives a dropped connection: the adapter reconnects and replays what was not yet committed.
"""

from __future__ import annotations

import os
import sqlite3
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from crawler.errors import StoreError, StoreUnavailable

SERVER_SCHEMES = ("postgresql", "postgres")

# The tables and their columns, in order. Both schemas below must match this (a test checks it).
TABLES: dict[str, tuple[str, ...]] = {
    "meta": ("key", "value"),
    "runs": ("id", "site_url", "site_name", "as_of", "status", "started_at", "finished_at", "pid",
             "settings", "stats"),
    "columns": ("run_id", "url", "name", "path", "type", "type_source", "level", "list_urls", "items",
                "latest", "dated_items", "blank_marker", "department", "fetched_at", "unread_reason",
                "type_reason", "department_source"),
    "pages": ("run_id", "url", "column_url", "title", "published", "published_source", "source",
              "index_number", "doc_number", "topic", "written", "text", "sha256", "status", "kind", "etag",
              "last_modified", "identity"),
    "attachments": ("run_id", "url", "page_url", "filename", "media_type", "size", "sha256", "status",
                    "error", "segments", "etag", "last_modified"),
    "links": ("run_id", "source_url", "target_url", "status", "error", "kind"),
    "errors": ("id", "run_id", "url", "stage", "message", "rule"),
    "findings": ("run_id", "id", "rule", "kind", "severity", "status", "data"),
    "url_pii": ("run_id", "url", "what", "page_url", "pii_types", "place"),
    "probes": ("id", "site_key", "site_url", "probed_at", "url", "target", "outcome", "status", "elapsed_ms",
               "detail"),
}

# Each entry upgrades the schema from version i to i+1. Never edit a shipped entry: append.
SQLITE_MIGRATIONS: list[str] = [
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
    # 2: a column's verdict can be withheld (unread_reason: why it was not read to the end), the reason
    # for its 栏目类型, where its 责任单位 came from; an error can name the rule that failed.
    """
    ALTER TABLE columns ADD COLUMN unread_reason TEXT;
    ALTER TABLE columns ADD COLUMN type_reason TEXT;
    ALTER TABLE columns ADD COLUMN department_source TEXT;
    ALTER TABLE errors ADD COLUMN rule TEXT;
    """,
    # 3: addresses that carried personal data. The address itself is stored masked (the database holds no
    # raw value); this table keeps what the privacy check needs to report it (PII007).
    """
    CREATE TABLE url_pii (
        run_id INTEGER NOT NULL REFERENCES runs(id), url TEXT NOT NULL, what TEXT NOT NULL,
        page_url TEXT, pii_types TEXT NOT NULL, place TEXT NOT NULL,
        PRIMARY KEY (run_id, url, what)
    );
    """,
    # 4: availability probes (站点无法访问: visits over days, kept per site, not per run) and each page's
    # site-identity facts (网站标识码, ICP备案号, 公安机关备案号, 党政机关网站标识, 找错 entry, site meta tags) as JSON.
    """
    ALTER TABLE pages ADD COLUMN identity TEXT;
    CREATE TABLE probes (
        id INTEGER PRIMARY KEY AUTOINCREMENT, site_key TEXT NOT NULL, site_url TEXT NOT NULL,
        probed_at TEXT NOT NULL, url TEXT NOT NULL, target TEXT NOT NULL, outcome TEXT NOT NULL,
        status INTEGER, elapsed_ms INTEGER, detail TEXT
    );
    CREATE INDEX probes_site ON probes(site_key, probed_at);
    """,
]

# The same tables on PostgreSQL. Ids are identity columns; `seq` (last, never selected by name in
# writes) keeps insertion order, which SQLite's rowid gives for free; sizes are BIGINT.
POSTGRES_MIGRATIONS: list[str] = [
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE runs (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        site_url TEXT NOT NULL, site_name TEXT NOT NULL DEFAULT '',
        as_of TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'running',
        started_at TEXT NOT NULL, finished_at TEXT, pid INTEGER,
        settings TEXT NOT NULL DEFAULT '{}', stats TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX runs_site ON runs(site_url, id);
    CREATE TABLE columns (
        run_id BIGINT NOT NULL REFERENCES runs(id), url TEXT NOT NULL,
        name TEXT NOT NULL, path TEXT, type TEXT, type_source TEXT, level INTEGER,
        list_urls TEXT, items INTEGER, latest TEXT, dated_items INTEGER, blank_marker TEXT,
        department TEXT, fetched_at TEXT,
        seq BIGINT GENERATED ALWAYS AS IDENTITY,
        PRIMARY KEY (run_id, url)
    );
    CREATE TABLE pages (
        run_id BIGINT NOT NULL REFERENCES runs(id), url TEXT NOT NULL,
        column_url TEXT, title TEXT, published TEXT, published_source TEXT, source TEXT,
        index_number TEXT, doc_number TEXT, topic TEXT, written TEXT, text TEXT,
        sha256 TEXT, status INTEGER, kind TEXT, etag TEXT, last_modified TEXT,
        seq BIGINT GENERATED ALWAYS AS IDENTITY,
        PRIMARY KEY (run_id, url)
    );
    CREATE TABLE attachments (
        run_id BIGINT NOT NULL REFERENCES runs(id), url TEXT NOT NULL,
        page_url TEXT, filename TEXT, media_type TEXT, size BIGINT, sha256 TEXT,
        status TEXT, error TEXT, segments TEXT, etag TEXT, last_modified TEXT,
        seq BIGINT GENERATED ALWAYS AS IDENTITY,
        PRIMARY KEY (run_id, url)
    );
    CREATE TABLE links (
        run_id BIGINT NOT NULL REFERENCES runs(id), source_url TEXT NOT NULL, target_url TEXT NOT NULL,
        status INTEGER, error TEXT, kind TEXT,
        seq BIGINT GENERATED ALWAYS AS IDENTITY,
        PRIMARY KEY (run_id, source_url, target_url)
    );
    CREATE TABLE errors (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, run_id BIGINT NOT NULL REFERENCES runs(id),
        url TEXT, stage TEXT, message TEXT
    );
    CREATE TABLE findings (
        run_id BIGINT NOT NULL REFERENCES runs(id), id TEXT NOT NULL,
        rule TEXT NOT NULL, kind TEXT NOT NULL, severity TEXT NOT NULL, status TEXT NOT NULL,
        data TEXT NOT NULL,
        seq BIGINT GENERATED ALWAYS AS IDENTITY,
        PRIMARY KEY (run_id, id)
    );
    """,
    # 2: a column's verdict can be withheld (unread_reason: why it was not read to the end), the reason
    # for its 栏目类型, where its 责任单位 came from; an error can name the rule that failed.
    """
    ALTER TABLE columns ADD COLUMN unread_reason TEXT;
    ALTER TABLE columns ADD COLUMN type_reason TEXT;
    ALTER TABLE columns ADD COLUMN department_source TEXT;
    ALTER TABLE errors ADD COLUMN rule TEXT;
    """,
    # 3: addresses that carried personal data. The address itself is stored masked (the database holds no
    # raw value); this table keeps what the privacy check needs to report it (PII007).
    """
    CREATE TABLE url_pii (
        run_id BIGINT NOT NULL REFERENCES runs(id), url TEXT NOT NULL, what TEXT NOT NULL,
        page_url TEXT, pii_types TEXT NOT NULL, place TEXT NOT NULL,
        PRIMARY KEY (run_id, url, what)
    );
    """,
    # 4: availability probes (站点无法访问: visits over days, kept per site, not per run) and each page's
    # site-identity facts (网站标识码, ICP备案号, 公安机关备案号, 党政机关网站标识, 找错 entry, site meta tags) as JSON.
    """
    ALTER TABLE pages ADD COLUMN identity TEXT;
    CREATE TABLE probes (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, site_key TEXT NOT NULL, site_url TEXT NOT NULL,
        probed_at TEXT NOT NULL, url TEXT NOT NULL, target TEXT NOT NULL, outcome TEXT NOT NULL,
        status INTEGER, elapsed_ms INTEGER, detail TEXT
    );
    CREATE INDEX probes_site ON probes(site_key, probed_at);
    """,
]


def is_server_location(location: str | Path) -> bool:
    return str(location).split("://", 1)[0].lower() in SERVER_SCHEMES and "://" in str(location)


def display_location(location: str | Path) -> str:
    """The location as it may be shown or logged: a password in a database URL is replaced by ***."""
    return _replace_password(location, ":***")


def without_password(location: str | Path) -> str:
    """A database URL fit to travel through a queue: libpq takes the password from PGPASSWORD or ~/.pgpass."""
    return _replace_password(location, "")


def _replace_password(location: str | Path, replacement: str) -> str:
    if not is_server_location(location) or urlsplit(str(location)).password is None:
        return str(location)
    parts = urlsplit(str(location))
    credentials, host = parts.netloc.rsplit("@", 1)
    return urlunsplit(parts._replace(netloc=credentials.split(":", 1)[0] + replacement + "@" + host))


class Database(ABC):
    """What the Store needs from a database. `write` batches until `commit`; `execute` runs at once."""

    location: str
    row_order: str                    # the column that orders rows as they were inserted
    migrations: list[str]
    errors: tuple[type[Exception], ...]
    lost: StoreUnavailable | None = None

    @abstractmethod
    def execute(self, sql: str, params: Sequence = ()):
        """Run one statement now (inside the open batch, if any) and return its cursor."""

    @abstractmethod
    def write(self, sql: str, params: Sequence = ()) -> None:
        """Add one statement to the batch; it is durable only after `commit`."""

    @abstractmethod
    def write_many(self, sql: str, rows: Sequence[Sequence]) -> None:
        """One statement for many rows, in one round trip where the database is across a network."""

    @abstractmethod
    def commit(self) -> None:
        """Make the batch durable."""

    @abstractmethod
    def tables(self) -> set[str]:
        """The names of the tables in the store's schema (or file)."""

    @abstractmethod
    def prepare(self) -> None:
        """Settings for a database now known to be ours (SQLite's WAL mode)."""

    @abstractmethod
    def exclusive(self) -> AbstractContextManager[None]:
        """One transaction that no other process's `exclusive` runs beside (schema migrations)."""

    @abstractmethod
    def close(self) -> None:
        """Close the connection; an uncommitted batch is dropped."""


class SQLiteDatabase(Database):
    """One file in WAL mode: safe for many processes on one machine, not on a network file system."""

    row_order = "rowid"
    migrations = SQLITE_MIGRATIONS
    errors = (sqlite3.DatabaseError,)

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.location = str(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"无法创建数据库目录 {self.path.parent}：{exc.strerror}。请检查 --db 路径。") from exc
        if self.path.is_dir():
            raise StoreError(f"--db 指向的是目录而非文件：{self.path}。请指定一个 .sqlite 文件路径。")
        self.connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self._in_batch = False

    def prepare(self) -> None:
        """WAL mode: readers never block the crawl's writer. Called only once the file is known to be ours."""
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute("PRAGMA synchronous=NORMAL")
        self.connection.execute("PRAGMA foreign_keys=ON")

    def execute(self, sql: str, params: Sequence = ()):
        return self.connection.execute(sql, tuple(params))

    def write(self, sql: str, params: Sequence = ()) -> None:
        self._begin()
        self.connection.execute(sql, tuple(params))

    def write_many(self, sql: str, rows: Sequence[Sequence]) -> None:
        self._begin()
        self.connection.executemany(sql, [tuple(row) for row in rows])

    def _begin(self) -> None:
        if not self._in_batch:
            self.connection.execute("BEGIN")
            self._in_batch = True

    def commit(self) -> None:
        if self._in_batch:
            self.connection.execute("COMMIT")
            self._in_batch = False

    def tables(self) -> set[str]:
        return {row[0] for row in self.connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        self.commit()
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    def close(self) -> None:
        self.connection.close()


class PostgresDatabase(Database):
    """A PostgreSQL server that workers on several machines share."""

    row_order = "seq"
    migrations = POSTGRES_MIGRATIONS
    RECONNECT_ATTEMPTS = 5
    # Waits grow 0, 1, 2, 3, 4 × this: 20 s by default, enough for a server restart or a network blip.
    RECONNECT_WAIT_SECONDS = float(os.environ.get("GOVAUDIT_DB_RECONNECT_WAIT", "2"))

    def __init__(self, url: str):
        import psycopg

        self.psycopg = psycopg
        self.url = str(url)
        self.location = display_location(url)
        self.errors = (psycopg.Error,)
        self.batch: list[tuple[str, list[tuple]]] = []
        self._in_batch = False
        self._in_exclusive = False
        self.lost: StoreUnavailable | None = None     # once given up on, every call fails at once
        self.connection = self._connect()

    def _connect(self):
        try:
            return self.psycopg.connect(self.url, autocommit=True, connect_timeout=10,
                                        application_name="govaudit")
        except self.psycopg.Error as exc:
            # libpq's first line says what failed ("… port 5432 failed: Connection refused"); the rest are hints.
            reason = str(exc).strip().splitlines()[0].strip() if str(exc).strip() else type(exc).__name__
            raise StoreError(
                f"无法连接数据库服务器 {self.location}：{reason}。"
                "请检查 --db 地址、数据库服务是否已启动，以及用户名和密码（密码请放在 PGPASSWORD 或 ~/.pgpass 中）。"
            ) from exc

    def prepare(self) -> None:
        pass

    @staticmethod
    def _dialect(sql: str) -> str:
        return sql.replace("?", "%s")

    def execute(self, sql: str, params: Sequence = ()):
        if self.lost:
            raise self.lost
        try:
            return self.connection.execute(self._dialect(sql), tuple(params))
        except self.psycopg.OperationalError as exc:
            # Inside a transaction a new connection would silently drop what came before: fail instead.
            if self._in_batch or self._in_exclusive:
                raise
            self._reconnect(exc)
            return self.connection.execute(self._dialect(sql), tuple(params))

    def write(self, sql: str, params: Sequence = ()) -> None:
        self._batched(self._dialect(sql), [tuple(params)])

    def write_many(self, sql: str, rows: Sequence[Sequence]) -> None:
        self._batched(self._dialect(sql), [tuple(row) for row in rows])

    def _batched(self, sql: str, rows: list[tuple]) -> None:
        if self.lost:
            raise self.lost
        if not self._in_batch:
            self.connection.execute("BEGIN")
            self._in_batch = True
        try:
            self._send(sql, rows)
        except self.psycopg.OperationalError as exc:
            # The connection dropped: everything since the last commit is gone on the server.
            self._reconnect(exc)
            self._replay()
            self._send(sql, rows)
        except self.psycopg.Error:
            # PostgreSQL aborted the whole transaction; keep the rest of the batch, as SQLite would.
            self.connection.execute("ROLLBACK")
            self._replay()
            raise
        self.batch.append((sql, rows))

    def _send(self, sql: str, rows: list[tuple]) -> None:
        if len(rows) == 1:
            self.connection.execute(sql, rows[0])
        else:
            with self.connection.cursor() as cursor:      # psycopg pipelines the rows: one round trip
                cursor.executemany(sql, rows)

    def _replay(self) -> None:
        self.connection.execute("BEGIN")
        self._in_batch = True
        for sql, rows in self.batch:
            self._send(sql, rows)

    def _reconnect(self, cause: Exception) -> None:
        """Wait for the server to come back (a restart, a network blip) rather than lose the crawl."""
        waited = 0.0
        for attempt in range(self.RECONNECT_ATTEMPTS):
            time.sleep(self.RECONNECT_WAIT_SECONDS * attempt)
            waited += self.RECONNECT_WAIT_SECONDS * attempt
            try:
                self.connection.close()
                self.connection = self._connect()
                return
            except StoreError:
                continue
        self._in_batch = False
        self.batch.clear()
        self.lost = StoreUnavailable(
            f"与数据库服务器 {self.location} 的连接中断，{waited:.0f} 秒内重连 {self.RECONNECT_ATTEMPTS} 次均未成功"
            f"（{str(cause).strip().splitlines()[0].strip() if str(cause).strip() else type(cause).__name__}）。"
            "此前已提交的结果不受影响；数据库恢复后，用 crawl --resume 或 audit --resume-incomplete 继续。"
        )
        raise self.lost from cause

    def commit(self) -> None:
        if self.lost:
            raise self.lost
        if self._in_batch:
            try:
                self.connection.execute("COMMIT")
            except self.psycopg.OperationalError as exc:
                self._reconnect(exc)
                self._replay()
                self.connection.execute("COMMIT")
            self._in_batch = False
            self.batch.clear()

    def tables(self) -> set[str]:
        rows = self.connection.execute(
            "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()")
        return {row[0] for row in rows}

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        self.commit()
        self.connection.execute("BEGIN")
        self._in_exclusive = True
        try:
            self.connection.execute("SELECT pg_advisory_xact_lock(hashtext('govaudit-schema'))")
            yield
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        else:
            self.connection.execute("COMMIT")
        finally:
            self._in_exclusive = False

    def close(self) -> None:
        self.connection.close()
        self.lost = None                # closing a lost store must not fail; the next open tries afresh


def open_database(location: str | Path) -> SQLiteDatabase | PostgresDatabase:
    """A PostgreSQL server for a postgresql:// URL, otherwise a SQLite file at that path."""
    if is_server_location(location):
        return PostgresDatabase(str(location))
    return SQLiteDatabase(location)
