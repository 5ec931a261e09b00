"""`govaudit demo`: build the fictional county portal, serve it on loopback, audit it end to end.

The demo is the README's main command: it shows a clerk every report on a realistic portal in a
couple of minutes, with nothing reaching the internet. The run store lives in the output folder so
the demo never mixes with the user's real history; running it again adds a run (week over week).
"""

from __future__ import annotations

import datetime as dt
import json
import socket
from pathlib import Path

from govaudit import audit

# A fixed port keeps the demo site's URL, and so its run history, the same between runs.
PREFERRED_PORT = 18765


def _free_port(preferred: int) -> int:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", preferred))
            return preferred
        except OSError:
            return 0


def ensure_site(site_dir: Path, seed: int, as_of: dt.date) -> Path:
    """Reuse a generated site when it was built from the same seed and date; otherwise build it."""
    from govaudit.demo.generator import build

    manifest = site_dir / "manifest.json"
    if manifest.exists():
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if data.get("seed") == seed and data.get("as_of") == as_of.isoformat():
            return site_dir
    build(site_dir, seed=seed, as_of=as_of)
    return site_dir


def run_demo(out: Path, seed: int = 2026, as_of: dt.date | None = None, db: Path | None = None,
             fail_on: str | None = None) -> int:
    from govaudit.demo.server import serve
    from govaudit.demo.veto_plants import resolving_fake_hosts

    as_of = as_of or dt.date.today()
    print(f"govaudit 演示：正在生成虚构的“青禾县人民政府”网站（种子 {seed}，检查基准日 {as_of}）……", flush=True)
    site_dir = ensure_site(out / "demo-site", seed, as_of)
    store = audit.open_store(db or out / "govaudit.sqlite")
    reports = out / "reports"
    with serve(site_dir, port=_free_port(PREFERRED_PORT)) as base_url:
        print(f"演示网站已在本机启动：{base_url}/ ，开始检查（仅访问本机）……", flush=True)
        from govaudit.demo.availability_identity import probe_week
        probe_week(store, base_url + "/", as_of)       # the week of monitoring 站点无法访问 is judged on
        # The demo server is our own loopback server: politeness limits would only slow the demo down.
        # The off-site hosts the portal links to are fake names the same server answers for (veto_plants.py).
        with resolving_fake_hosts(base_url, site_dir):
            result = audit.audit_site(store, base_url + "/", as_of=as_of, out=reports, concurrency=8, delay=0.0,
                                      obey_robots=True)
    print(audit.summarise(result))
    print(f"演示网站已停止。全部报告在：{reports.resolve()}")
    return audit.exit_code([result], fail_on) if fail_on else 0
