"""The CLI contract on bad input: one clear Chinese line, the documented exit code, no traceback."""

import sqlite3

import pytest

from govaudit.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_non_http_url_is_a_usage_error(capsys, tmp_path):
    code, _, err = run(capsys, "audit", "ftp://example.gov.cn/", "--out", str(tmp_path), "--db", str(tmp_path / "d"))
    assert code == 2
    assert "网址无效" in err and "Traceback" not in err


def test_malformed_as_of(capsys, tmp_path):
    code, _, err = run(capsys, "audit", "http://127.0.0.1:9/", "--as-of", "2026-13-45", "--out", str(tmp_path))
    assert code == 2
    assert "--as-of" in err and "YYYY-MM-DD" in err


def test_unwritable_out(capsys, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    code, _, err = run(capsys, "audit", "http://127.0.0.1:9/", "--out", str(blocker / "sub"))
    assert code == 2
    assert "输出目录不可写" in err


@pytest.mark.parametrize("content", [b"definitely not sqlite" * 50, None])
def test_corrupt_or_foreign_db(capsys, tmp_path, content):
    db = tmp_path / "x.sqlite"
    if content is None:
        with sqlite3.connect(db) as conn:
            conn.execute("CREATE TABLE invoices (n INTEGER)")
            conn.execute("INSERT INTO invoices VALUES (7)")
    else:
        db.write_bytes(content)
    before = db.read_bytes()
    code, _, err = run(capsys, "runs", "--db", str(db))
    assert code == 2
    assert "govaudit 数据库" in err or "不是有效的" in err
    assert db.read_bytes() == before                     # nothing of the user's file was touched


def test_negative_options(capsys, tmp_path):
    code, _, err = run(capsys, "audit", "http://127.0.0.1:9/", "--out", str(tmp_path), "--concurrency", "0")
    assert code == 2 and "--concurrency" in err
    code, _, err = run(capsys, "audit", "http://127.0.0.1:9/", "--out", str(tmp_path), "--delay", "-1")
    assert code == 2 and "--delay" in err


def test_empty_store_has_no_runs(capsys, tmp_path):
    code, out, _ = run(capsys, "runs", "--db", str(tmp_path / "new.sqlite"))
    assert code == 0 and "没有运行记录" in out
    code, _, err = run(capsys, "check", "--db", str(tmp_path / "new.sqlite"))
    assert code == 2 and "还没有任何运行记录" in err


def test_no_command_prints_help(capsys):
    code, out, _ = run(capsys, )
    assert code == 2 and "govaudit" in out


def test_unreachable_site_exits_3_with_one_line(tmp_path):
    """A real `govaudit audit` process against a closed loopback port: exit 3, one line, the run kept as failed."""
    import socket
    import subprocess
    import sys

    with socket.socket() as probe:                      # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    db = tmp_path / "db.sqlite"
    proc = subprocess.run([sys.executable, "-m", "govaudit.cli", "audit", f"http://127.0.0.1:{port}/",
                           "--out", str(tmp_path / "out"), "--db", str(db)],
                          capture_output=True, text=True, timeout=120, env={**__import__("os").environ, "CI": "true"})
    assert proc.returncode == 3
    assert "无法抓取网站" in proc.stderr and "Traceback" not in proc.stderr
    from crawler.store import Store
    with Store(db) as store:
        assert [run.status for run in store.runs()] == ["failed"]


def test_unreachable_database_server_is_exit_2_without_password(capsys, tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, _, err = run(capsys, "runs", "--db", f"postgresql://auditor:hunter2-secret@127.0.0.1:{port}/govaudit")
    assert code == 2
    assert "无法连接数据库服务器" in err and "hunter2-secret" not in err and "Traceback" not in err


def test_prune_keeps_findings_and_refuses_to_report_a_pruned_run(capsys, tmp_path):
    import datetime as dt

    from crawler.records import PageRecord
    from crawler.store import Store

    db = tmp_path / "p.sqlite"
    with Store(db) as store:
        for week in range(2):
            run_id = store.start_run("http://x/", "某县", dt.date(2026, 11, 2) + dt.timedelta(days=7 * week))
            store.add_page(run_id, PageRecord(url="http://x/1.html", title="通知"))
            store.finish_run(run_id, "complete")
    code, out, _ = run(capsys, "prune", "--keep", "1", "--db", str(db))
    assert code == 0 and "已清理 1 次" in out and "页面 1 条" in out
    code, _, err = run(capsys, "report", "1", "--out", str(tmp_path / "r"), "--db", str(db))
    assert code == 2 and "已按保留策略清理" in err
    code, _, err = run(capsys, "prune", "--keep", "0", "--db", str(db))
    assert code == 2 and "--keep" in err
