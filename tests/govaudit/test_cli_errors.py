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
