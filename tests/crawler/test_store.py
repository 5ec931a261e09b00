"""The run store: round trip, refusal of foreign files, redaction at write time, 304 copy-forward."""

import datetime as dt
import sqlite3

import pytest

from crawler.errors import StoreError
from crawler.records import AttachmentRecord, ColumnRecord, LinkRecord, PageRecord, TextSegment
from crawler.store import SCHEMA_VERSION, Store

AS_OF = dt.date(2026, 11, 30)


def _fill(store: Store, run_id: int) -> None:
    store.add_column(run_id, ColumnRecord(url="http://x/tzgg/", name="通知公告", type="通知公告",
                                          items=3, latest=dt.date(2026, 11, 1), list_urls=["http://x/tzgg/"]))
    store.add_page(run_id, PageRecord(url="http://x/tzgg/1.html", column_url="http://x/tzgg/", title="关于…的通知",
                                      published=dt.date(2026, 11, 1), text="正文", etag='"e1"'))
    store.add_attachment(run_id, AttachmentRecord(url="http://x/a.xls", page_url="http://x/tzgg/1.html",
                                                  segments=[TextSegment("Sheet1!A1:C1", "姓名\t金额")]))
    store.add_link(run_id, LinkRecord("http://x/tzgg/1.html", "http://x/missing.html", 404))
    store.commit()


def test_round_trip(tmp_path):
    with Store(tmp_path / "a.sqlite") as store:
        run_id = store.start_run("http://x/", "某县", AS_OF, {"delay": 1})
        _fill(store, run_id)
        store.finish_run(run_id, "complete", {"pages": 1})
    with Store(tmp_path / "a.sqlite") as store:
        assert store.schema_version == SCHEMA_VERSION
        snap = store.load_snapshot(run_id)
        assert snap.as_of == AS_OF and snap.site_name == "某县"
        assert [c.latest for c in snap.columns()] == [dt.date(2026, 11, 1)]
        assert next(snap.pages()).published == dt.date(2026, 11, 1)
        assert next(snap.attachments()).segments[0].location == "Sheet1!A1:C1"
        assert next(snap.links()).status == 404
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


def test_redactor_applies_to_everything_written(tmp_path):
    with Store(tmp_path / "r.sqlite", redactor=lambda t: t.replace("秘密", "**")) as store:
        run_id = store.start_run("http://x/", "某县", AS_OF)
        store.add_page(run_id, PageRecord(url="http://x/1", title="秘密标题", text="含秘密"))
        store.add_attachment(run_id, AttachmentRecord(url="http://x/a", segments=[TextSegment("p.1", "秘密")]))
        store.commit()
    raw = (tmp_path / "r.sqlite").read_bytes() + (tmp_path / "r.sqlite-wal").read_bytes() \
        if (tmp_path / "r.sqlite-wal").exists() else (tmp_path / "r.sqlite").read_bytes()
    assert "秘密".encode() not in raw


def test_copy_forward_and_previous_version(tmp_path):
    with Store(tmp_path / "c.sqlite") as store:
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
