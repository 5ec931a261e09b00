"""The run store on both its databases: round trip, refusal of foreign databases, redaction at write
time, 304 copy-forward, a failed statement or a dropped connection that loses nothing.

Tests marked with the `location` fixture run twice: on a SQLite file and on a real PostgreSQL server.
"""

import datetime as dt
import sqlite3
import threading

import pytest

from crawler.databases import TABLES, display_location, without_password
from crawler.errors import StoreError
from crawler.records import AttachmentRecord, ColumnRecord, ErrorRecord, LinkRecord, PageRecord, TextSegment
from crawler.store import SCHEMA_VERSION, Store

AS_OF = dt.date(2026, 11, 30)


@pytest.fixture(params=["sqlite", "postgres"])
def location(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite")
    return request.getfixturevalue("postgres_url")


def _all_text(store: Store) -> str:
    """Every text value the store holds, read back through its own connection."""
    texts = []
    for table, names in TABLES.items():
        rows = store.db.execute(f"SELECT {', '.join(names)} FROM {table}").fetchall()
        texts += [str(value) for row in rows for value in row if value is not None]
    return "\n".join(texts)


def _fill(store: Store, run_id: int) -> None:
    store.add_column(run_id, ColumnRecord(url="http://x/tzgg/", name="通知公告", type="通知公告",
                                          items=3, latest=dt.date(2026, 11, 1), list_urls=["http://x/tzgg/"]))
    store.add_page(run_id, PageRecord(url="http://x/tzgg/1.html", column_url="http://x/tzgg/", title="关于…的通知",
                                      published=dt.date(2026, 11, 1), text="正文", etag='"e1"'))
    store.add_attachment(run_id, AttachmentRecord(url="http://x/a.xls", page_url="http://x/tzgg/1.html",
                                                  segments=[TextSegment("Sheet1!A1:C1", "姓名\t金额")]))
    store.add_link(run_id, LinkRecord("http://x/tzgg/1.html", "http://x/missing.html", 404))
    store.add_links(run_id, [LinkRecord("http://x/", "http://x/tzgg/", 200), LinkRecord("http://x/", "http://x/a", 200)])
    store.commit()


def test_round_trip(location):
    with Store(location) as store:
        run_id = store.start_run("http://x/", "某县", AS_OF, {"delay": 1})
        _fill(store, run_id)
        store.finish_run(run_id, "complete", {"pages": 1})
    with Store(location) as store:
        assert store.schema_version == SCHEMA_VERSION
        snap = store.load_snapshot(run_id)
        assert snap.as_of == AS_OF and snap.site_name == "某县"
        assert [c.latest for c in snap.columns()] == [dt.date(2026, 11, 1)]
        assert next(snap.pages()).published == dt.date(2026, 11, 1)
        assert next(snap.attachments()).segments[0].location == "Sheet1!A1:C1"
        assert {(link.source_url, link.target_url, link.status) for link in snap.links()} == {
            ("http://x/tzgg/1.html", "http://x/missing.html", 404), ("http://x/", "http://x/tzgg/", 200),
            ("http://x/", "http://x/a", 200)}
        assert store.run(run_id).status == "complete"


def test_refuses_foreign_and_corrupt_files(tmp_path):
    foreign = tmp_path / "other.sqlite"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE customers (id INTEGER)")
    with pytest.raises(StoreError, match="其他程序"):
        Store(foreign)
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match="不是有效的"):
        Store(garbage)
    assert garbage.read_bytes().startswith(b"this is not")      # untouched


def test_redactor_applies_to_everything_written_on_the_server(postgres_url):
    with Store(postgres_url, redactor=lambda t: t.replace("秘密", "**")) as store:
        run_id = store.start_run("http://x/", "某县", AS_OF)
        store.add_page(run_id, PageRecord(url="http://x/1", title="秘密标题", text="含秘密"))
        store.add_attachment(run_id, AttachmentRecord(url="http://x/a", segments=[TextSegment("p.1", "秘密")]))
        store.add_error(run_id, ErrorRecord("http://x/2", "fetch", "秘密"))
        store.save_findings(run_id, [{"id": "f1", "rule": "PII001", "kind": "personal_data", "severity": "veto",
                                      "evidence": "秘密"}])
        text = _all_text(store)
    assert "**标题" in text and "秘密" not in text


def test_redactor_applies_to_everything_written(tmp_path):
    with Store(tmp_path / "r.sqlite", redactor=lambda t: t.replace("秘密", "**")) as store:
        run_id = store.start_run("http://x/", "某县", AS_OF)
        store.add_page(run_id, PageRecord(url="http://x/1", title="秘密标题", text="含秘密"))
        store.add_attachment(run_id, AttachmentRecord(url="http://x/a", segments=[TextSegment("p.1", "秘密")]))
        store.commit()
    raw = (tmp_path / "r.sqlite").read_bytes() + (tmp_path / "r.sqlite-wal").read_bytes() \
        if (tmp_path / "r.sqlite-wal").exists() else (tmp_path / "r.sqlite").read_bytes()
    assert "秘密".encode() not in raw


def test_copy_forward_and_previous_version(location):
    with Store(location) as store:
        first = store.start_run("http://x/", "某县", AS_OF)
        _fill(store, first)
        store.finish_run(first, "complete")
        second = store.start_run("http://x/", "某县", AS_OF + dt.timedelta(days=7))
        prev = store.previous_version("http://x/", "http://x/tzgg/1.html", second)
        assert prev["etag"] == '"e1"' and prev["record"].title == "关于…的通知"
        store.copy_forward(second, "http://x/tzgg/1.html", first)
        store.copy_forward(second, "http://x/a.xls", first)
        store.commit()
        assert store.stored_urls(second) == {"http://x/tzgg/1.html", "http://x/a.xls"}
        assert store.outlinks(second, "http://x/tzgg/1.html")[0].status == 404
        assert store.latest_run("http://x/", before=second).id == first
        store.copy_forward(second, "http://x/tzgg/1.html", first)          # twice is harmless
        store.commit()
        assert store.counts(second)["pages"] == 1 and store.counts(second)["links"] == 1


def test_copy_forward_many_copies_a_set_of_pages_in_chunks(location, monkeypatch):
    """A re-crawl copies its carried pages in set-based statements: every record, link and masked address of
    the pages asked for (across several chunks), nothing of the others, and twice is harmless."""
    import random

    from checks.privacy.structure import store_url
    from checks.privacy.synthetic import id18

    monkeypatch.setattr(Store, "COPY_CHUNK", 3)
    site = "http://x/"
    person = id18(random.Random(11))
    pages = [f"{site}a/{i}.html" for i in range(8)]
    with Store(location, url_redactor=store_url) as store:
        first = store.start_run(site, "X", AS_OF)
        for i, url in enumerate(pages):
            store.add_page(first, PageRecord(url=url, title=f"通知{i}", kind="article", etag=f'"e{i}"'))
            store.add_links(first, [LinkRecord(url, f"{site}a/{j}.html", 200, None, "page") for j in range(i)]
                            + [LinkRecord(url, f"{site}dead{i}.html", 404, None, "page")])
        store.add_attachment(first, AttachmentRecord(url=f"{site}f.xls", page_url=pages[0], etag='"x"'))
        store.add_links(first, [LinkRecord(pages[5], f"{site}cx.jsp?sfzh={person}", 200, None, "page")])
        store.finish_run(first, "complete")
        second = store.start_run(site, "X", AS_OF + dt.timedelta(days=7))
        carried = pages[1:] + [f"{site}f.xls", f"{site}never-stored.html"]
        store.copy_forward_many(second, carried, first)
        store.copy_forward_many(second, carried[:4], first)
        store.commit()
        assert store.stored_urls(second) == set(pages[1:]) | {f"{site}f.xls"}

        def links(run, url, found=None):
            return sorted(map(repr, store.outlinks(run, url) if found is None else found))

        for url in pages[1:]:
            assert links(second, url) == links(first, url)
        assert store.outlinks(second, pages[0]) == []
        assert store._page(second, pages[3]).etag == '"e3"'
        snapshot = store.load_snapshot(second)
        assert [(r.what, r.page_url) for r in snapshot.url_pii_] == [("link", pages[5])]
        assert person not in _all_text(store)
        many = store.outlinks_many(first, pages[:5] + [f"{site}never-stored.html"])
        assert all(links(first, url) == links(first, url, many[url]) for url in pages[:5])
        assert sum(map(len, many.values())) == 1 + 2 + 3 + 4 + 5
        assert many[f"{site}never-stored.html"] == []


def test_both_schemas_have_the_tables_the_store_names(tmp_path, postgres_url):
    with Store(tmp_path / "s.sqlite") as store:
        for table, names in TABLES.items():
            assert tuple(row[1] for row in store.db.execute(f"PRAGMA table_info({table})")) == names
    with Store(postgres_url) as store:
        for table, names in TABLES.items():
            rows = store.db.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema=current_schema() AND table_name=? "
                "AND column_name<>'seq' "
                "ORDER BY ordinal_position", (table,)).fetchall()
            assert tuple(row[0] for row in rows) == names


def test_a_failed_statement_keeps_the_rest_of_its_batch(location):
    with Store(location) as store:
        run_id = store.start_run("http://x/", "某县", AS_OF)
        store.add_page(run_id, PageRecord(url="http://x/before", title="前"))
        with pytest.raises(store.db.errors):
            store.add_error(run_id + 99, ErrorRecord("http://x/e", "fetch", "no such run"))   # foreign key
        store.add_page(run_id, PageRecord(url="http://x/after", title="后\x00"))   # NUL from a broken page
        store.commit()
    with Store(location) as store:
        assert store.stored_urls(run_id) == {"http://x/before", "http://x/after"}
        assert {p.url: p.title for p in store.load_snapshot(run_id).pages()}["http://x/after"] == "后"


def test_a_dropped_connection_is_reconnected_and_the_batch_replayed(postgres_url):
    import psycopg

    with Store(postgres_url) as store:
        store.db.RECONNECT_WAIT_SECONDS = 0.1
        run_id = store.start_run("http://x/", "某县", AS_OF)
        store.add_page(run_id, PageRecord(url="http://x/1", title="一"))
        backend = store.db.connection.info.backend_pid
        with psycopg.connect(postgres_url, autocommit=True) as admin:      # what a server restart does to us
            admin.execute("SELECT pg_terminate_backend(%s)", (backend,))
        store.add_links(run_id, [LinkRecord("http://x/1", f"http://x/{i}", 200) for i in range(5)])
        store.add_page(run_id, PageRecord(url="http://x/2", title="二"))
        store.commit()
        assert store.db.connection.info.backend_pid != backend
        assert store.counts(run_id)["links"] == 5
    with Store(postgres_url) as store:
        assert store.stored_urls(run_id) == {"http://x/1", "http://x/2"}


def test_an_unreachable_server_is_a_clear_error_without_the_password():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]                     # closed again: nothing listens there
    with pytest.raises(StoreError, match="无法连接数据库服务器") as caught:
        Store(f"postgresql://auditor:s3cret-pw@127.0.0.1:{port}/govaudit")
    assert "s3cret-pw" not in str(caught.value) and "auditor:***@" in str(caught.value)


def test_passwords_never_travel_or_show():
    url = "postgresql://auditor:p%40ss@db.example:5432/govaudit?sslmode=require"
    assert display_location(url) == "postgresql://auditor:***@db.example:5432/govaudit?sslmode=require"
    assert without_password(url) == "postgresql://auditor@db.example:5432/govaudit?sslmode=require"
    assert without_password("/srv/govaudit.sqlite") == "/srv/govaudit.sqlite"


def test_refuses_a_database_of_another_program(postgres_url):
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as other:
        other.execute("CREATE TABLE customers (id INTEGER)")
    with pytest.raises(StoreError, match="其他程序"):
        Store(postgres_url)
    with psycopg.connect(postgres_url, autocommit=True) as other:
        tables = {r[0] for r in other.execute("SELECT tablename FROM pg_tables WHERE schemaname='public'")}
    assert tables == {"customers"}                     # nothing created beside it


def test_refuses_a_store_from_a_newer_version(location):
    Store(location).close()
    with Store(location) as store:
        store.db.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    with pytest.raises(StoreError, match="更新版本"):
        Store(location)


def test_many_workers_opening_a_new_store_at_once_make_one_schema(location):
    seen, failures = [], []

    def open_one():
        try:
            with Store(location) as store:
                seen.append((store.salt, store.schema_version))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            failures.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert len(seen) == 6 and len(set(seen)) == 1 and seen[0][1] == SCHEMA_VERSION


def test_prune_keeps_each_sites_newest_runs_whole_and_every_runs_findings(location):
    with Store(location) as store:
        runs = []
        for site, weeks in (("http://a/", 3), ("http://b/", 1)):
            for week in range(weeks):
                run_id = store.start_run(site, "某县", AS_OF + dt.timedelta(days=7 * week))
                _fill(store, run_id)
                store.save_findings(run_id, [{"id": f"f{run_id}", "rule": "UPD001", "kind": "stale_column",
                                              "severity": "major"}])
                store.finish_run(run_id, "complete")
                runs.append(run_id)
        removed = store.prune(keep=1)
        assert removed["runs"] == 2 and removed["pages"] == 2 and removed["links"] == 6
        a1, a2, a3, b1 = runs
        for old in (a1, a2):
            assert store.counts(old) == {"columns": 0, "pages": 0, "attachments": 0, "links": 0, "errors": 0,
                                         "findings": 1}
            assert store.findings(old)[0]["id"] == f"f{old}" and store.run(old).stats["pruned"] is True
            with pytest.raises(StoreError, match="已按保留策略清理"):
                store.load_snapshot(old)
        for kept in (a3, b1):
            assert store.counts(kept)["pages"] == 1 and store.load_snapshot(kept).site_url
        assert store.prune(keep=1)["runs"] == 0                        # nothing left to prune


def test_prune_spares_the_run_a_crawl_under_way_compares_against(location):
    with Store(location) as store:
        done = store.start_run("http://a/", "某县", AS_OF)
        _fill(store, done)
        store.finish_run(done, "complete")
        running = store.start_run("http://a/", "某县", AS_OF + dt.timedelta(days=7))
        assert store.prune(keep=1)["runs"] == 0
        assert store.previous_version("http://a/", "http://x/tzgg/1.html", running)["etag"] == '"e1"'


def test_an_address_that_carries_personal_data_is_stored_masked_and_remembered(location):
    """A link `?sfzh=<ID>` is a leak: the database keeps the address masked and what it carried, for PII007;
    a re-crawl that copies the unchanged page forward keeps it too. Other addresses stay exactly as they are."""
    import random

    from checks.privacy.structure import store_url
    from checks.privacy.synthetic import id18

    person = id18(random.Random(7))
    leak = f"http://x/bs/query.jsp?sfzh={person}"
    download = "http://x/module/download/downfile.jsp?classid=0&filename=6222021234567890123.doc"
    with Store(location, url_redactor=store_url) as store:
        first = store.start_run("http://x/", "X", dt.date(2026, 11, 1))
        store.add_page(first, PageRecord(url="http://x/a/1.html", title="公示"))
        store.add_links(first, [LinkRecord("http://x/a/1.html", leak), LinkRecord("http://x/a/1.html", download)])
        store.commit()
        second = store.start_run("http://x/", "X", dt.date(2026, 11, 8))
        store.copy_forward(second, "http://x/a/1.html", first)
        store.commit()
        stored = _all_text(store)
        snapshots = [store.load_snapshot(run) for run in (first, second)]
    assert person not in stored
    assert download in stored
    for snapshot in snapshots:
        assert [(r.what, r.pii_types, r.page_url) for r in snapshot.url_pii_] == [
            ("link", ["id_card"], "http://x/a/1.html")]
        assert person[:2] in snapshot.url_pii_[0].url and "*" in snapshot.url_pii_[0].url
        assert {link.target_url for link in snapshot.links()} == {snapshot.url_pii_[0].url, download}


def test_spreadsheet_rows_are_redacted_with_their_header_in_view(tmp_path):
    """A roster's rows are segments of their own; the 手机号码 header is another. Redacted one by one, a row's
    phone had no context and was stored as a 需人工复核 token; redacted as one document, it carries the header."""
    import random

    from checks.privacy import synthetic
    from checks.privacy.redact import tokenize
    from checks.privacy.scanner import token_hits

    rng = random.Random(7)
    phones = [synthetic.mobile(rng) for _ in range(4)]
    rows = [TextSegment("名册!A1:A1", "补贴发放名册"), TextSegment("名册!A2:D2", "序号\t姓名\t手机号码\t金额（元）")]
    rows += [TextSegment(f"名册!A{i + 3}:D{i + 3}", f"{i + 1}\t{synthetic.person_name(rng)}\t{p}\t{rng.randint(100, 999)}")
             for i, p in enumerate(phones)]
    with Store(tmp_path / "s.sqlite", redactor=tokenize) as store:
        run_id = store.start_run("http://x/", "某县", AS_OF)
        store.add_attachment(run_id, AttachmentRecord(url="http://x/a.xlsx", segments=rows))
        store.commit()
        stored = store._attachment(run_id, "http://x/a.xlsx")
    assert [s.location for s in stored.segments] == [s.location for s in rows]
    hits = [h for s in stored.segments[2:] for h in token_hits(s.text)]
    assert len(hits) == 4 and all(h.context_word == "手机号码" and h.score >= 0.8 for h in hits)
    assert not any(p in s.text for s in stored.segments for p in phones)


def test_segments_fall_back_to_one_by_one_when_a_value_spans_two():
    store = Store.__new__(Store)
    store.redactor = lambda t: t.replace("A\nB", "**")          # a value across the segments' line break
    assert store._clean_segments(["x A", "B y"]) == ["x A", "B y"]
    store.redactor = lambda t: t.replace("秘密", "**")
    assert store._clean_segments(["第一行\n秘密", "", "秘密"]) == ["第一行\n**", "", "**"]


def test_a_link_written_without_outcome_after_its_outcome_keeps_the_outcome(location):
    """A page's links are written with no outcome; the target's answer writes the outcome. The two come from
    different callbacks and may be stored in either order: the late 'no outcome yet' must not erase the answer."""
    page, dead, slow, fine = "http://x/list.html", "http://x/gone.html", "http://x/slow.html", "http://x/ok.html"
    with Store(location) as store:
        run_id = store.start_run("http://x/", "某县", AS_OF, {})
        store.add_links(run_id, [LinkRecord(page, dead, 404), LinkRecord(page, slow, None, "timeout")])
        store.add_links(run_id, [LinkRecord(page, dead, None), LinkRecord(page, slow, None),
                                 LinkRecord(page, fine, None)])
        store.add_links(run_id, [LinkRecord(page, fine, 200)])
        store.commit()
        links = {link.target_url: (link.status, link.error) for link in store.load_snapshot(run_id).links()}
    assert links == {dead: (404, None), slow: (None, "timeout"), fine: (200, None)}
