"""`govaudit probe`: one round of availability visits, meant for cron (站点无法访问, 国办秘函〔2019〕19号).

19号 judges a site unreachable from a week of monitoring with at least 20 spaced visits a day: when the
visits on which the site still had not opened after 15 seconds are 5 % or more of all visits, the site
fails the 单项否决 item. A crawl cannot see that; only visits spread over days can. Each round visits the
home page and a rotating sample of the columns the site's latest crawl found, and, for a named host,
https:// once (the certificate check of the site-identity rules). Every visit is kept in the store,
with how it ended told apart: a timeout, a DNS failure, a TLS error, a refused or dropped connection,
a 5xx answer — an administrator fixes each differently.

Without a database (`--state FILE` alone) the rounds are kept in a JSON file on the monitoring host;
the same command with `--db` later moves them into the store.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import ssl
import time
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

from checks.availability import OUTCOME_LABELS
from crawler.errors import AuditError
from crawler.records import ProbeRecord

# 19号: a visit on which the page has not opened after 15 seconds or more counts as a failure.
TIMEOUT_SECONDS = 15.0
COLUMNS_PER_ROUND = 2
MAX_BODY_BYTES = 2 * 1024 * 1024            # enough to know the page opened; a huge page is not read whole
USER_AGENT = "govaudit-probe/0.1 (+https://github.com/govaudit/govaudit; availability self-check)"   # headers are ASCII


class ProbeError(AuditError):
    """A probe that cannot start (bad state file): one clear line, exit 2."""

    exit_code = 2


def _chain(exc: BaseException) -> Iterable[BaseException]:
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def classify_error(exc: BaseException) -> str:
    """What a failed visit ran into, from the exception and the ones that caused it."""
    chain = list(_chain(exc))
    if any(isinstance(e, (httpx.TimeoutException, TimeoutError, socket.timeout)) for e in chain):
        return "timeout"
    if any(isinstance(e, socket.gaierror) for e in chain):
        return "dns"
    if any(isinstance(e, ssl.SSLError) for e in chain) or any(
            "CERTIFICATE_VERIFY_FAILED" in str(e) or "SSL" in type(e).__name__ for e in chain):
        return "tls"
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return "refused"
    if any(isinstance(e, (httpx.RemoteProtocolError, httpx.ReadError, ConnectionResetError,
                          BrokenPipeError)) for e in chain):
        return "dropped"
    if isinstance(exc, httpx.ConnectError):
        text = str(exc).lower()
        if "name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text:
            return "dns"
        if "refused" in text:
            return "refused"
        return "dropped"
    return "error"


def visit(client: httpx.Client, url: str, target: str, at: dt.datetime | None = None,
          timeout: float = TIMEOUT_SECONDS, site_url: str = "") -> ProbeRecord:
    """One GET of `url`, read until the page has come (or `timeout` seconds have passed in all)."""
    started = time.monotonic()
    when = at or dt.datetime.now().replace(microsecond=0)
    status = None
    try:
        with client.stream("GET", url, timeout=httpx.Timeout(timeout)) as response:
            status = response.status_code
            read = 0
            for chunk in response.iter_bytes():
                read += len(chunk)
                if time.monotonic() - started >= timeout:
                    raise httpx.ReadTimeout("页面在时限内未传输完毕")
                if read >= MAX_BODY_BYTES:
                    break
    except Exception as exc:  # noqa: BLE001 — every failure is an outcome to record, never a crash
        elapsed = int((time.monotonic() - started) * 1000)
        detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200] or type(exc).__name__
        return ProbeRecord(when, url, target, classify_error(exc), status, elapsed, detail, site_url)
    elapsed = int((time.monotonic() - started) * 1000)
    if status >= 500:
        outcome = "http_5xx"
    elif status >= 400:
        outcome = "http_4xx"
    elif elapsed >= timeout * 1000:
        outcome = "slow"
    else:
        outcome = "ok"
    return ProbeRecord(when, url, target, outcome, status, elapsed, None, site_url)


def is_ip_or_loopback(host: str | None) -> bool:
    """An address or a loopback name: no certificate or domain verdict can be made for it (checks/identity.py)."""
    from checks.identity import is_address_host
    return is_address_host(host or "")


def https_url(site_url: str) -> str:
    parts = urlsplit(site_url)
    netloc = parts.hostname or ""
    if parts.scheme == "https" and parts.port:
        netloc += f":{parts.port}"
    return urlunsplit(("https", netloc, parts.path or "/", "", ""))


def sample_columns(columns: list[str], rounds_before: int, count: int, after: str | None = None) -> list[str]:
    """`count` columns, moving on by `count` each round, so every column is visited in turn.

    `after` (the column the previous round visited last) sets the turn when it is one of `columns`: the
    count of earlier rounds stops moving once old rounds are pruned, the last visit does not.
    """
    if not columns or count <= 0:
        return []
    start = (columns.index(after) + 1) % len(columns) if after in columns else (rounds_before * count) % len(columns)
    return [columns[(start + i) % len(columns)] for i in range(min(count, len(columns)))]


def probe_round(site_url: str, columns: list[str], rounds_before: int = 0, count: int = COLUMNS_PER_ROUND,
                at: dt.datetime | None = None, timeout: float = TIMEOUT_SECONDS,
                client: httpx.Client | None = None, check_https: bool = True,
                after: str | None = None) -> list[ProbeRecord]:
    """Visit the home page, the next columns in turn and (named hosts only) https://; the visits made."""
    own = client is None
    client = client or httpx.Client(headers={"User-Agent": USER_AGENT}, follow_redirects=True, verify=True)
    try:
        when = at or dt.datetime.now().replace(microsecond=0)
        records = [visit(client, site_url, "home", when, timeout, site_url)]
        for i, url in enumerate(sample_columns(columns, rounds_before, count, after), 1):
            records.append(visit(client, url, "column", when + dt.timedelta(seconds=i), timeout, site_url))
        if check_https and not is_ip_or_loopback(urlsplit(site_url).hostname):
            records.append(visit(client, https_url(site_url), "https", when, timeout, site_url))
        return records
    finally:
        if own:
            client.close()


# ---------------------------------------------------------------------------- where rounds are kept
def _record_dict(record: ProbeRecord) -> dict:
    data = asdict(record)
    data["probed_at"] = record.probed_at.isoformat(timespec="seconds")
    return data


def read_state(path: Path) -> dict:
    if not path.exists():
        return {"probes": []}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("probes", []), list):
            raise ValueError("不是 govaudit probe 的状态文件")
        return data
    except (OSError, ValueError) as exc:
        raise ProbeError(f"无法读取探测状态文件 {path}：{exc}。请换一个 --state 文件。") from None


def write_state(path: Path, state: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(path.name + ".tmp")
    scratch.write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")
    scratch.replace(path)                        # a round killed half-way never leaves half a file


def state_records(state: dict) -> list[ProbeRecord]:
    out = []
    for item in state.get("probes", []):
        item = dict(item)
        item["probed_at"] = dt.datetime.fromisoformat(item["probed_at"])
        out.append(ProbeRecord(**item))
    return out


def run_probe(site_url: str, store=None, state_path: Path | None = None, count: int = COLUMNS_PER_ROUND,
              timeout: float = TIMEOUT_SECONDS, at: dt.datetime | None = None,
              client: httpx.Client | None = None) -> tuple[list[ProbeRecord], int]:
    """One round for cron. Kept in the store when there is one (rounds a state file held are moved in
    first), else in the state file. Returns this round's visits and how many earlier ones were moved in.

    In the store, the visits no verdict can read any more (older than PROBE_RETENTION_DAYS before this round
    and outside every kept run's window) are dropped in the transaction that adds the round."""
    from crawler.store import PROBE_RETENTION_DAYS, site_key

    state = read_state(state_path) if state_path else {"probes": []}
    when = at or dt.datetime.now().replace(microsecond=0)
    after = None
    moved = 0
    if store is not None:
        pending = state_records(state)
        by_site: dict[str, list[ProbeRecord]] = {}
        for record in pending:
            by_site.setdefault(record.site_url or site_url, []).append(record)
        for site, records in by_site.items():
            store.add_probes(site, records)
        moved = len(pending)
        key = site_key(site_url)
        runs = [r for r in store.runs() if site_key(r.site_url) == key and r.status == "complete"]
        columns = store.column_urls(runs[-1].id) if runs else []
        rounds = store.probe_rounds(site_url)
        recent = store.probes(site_url, when - dt.timedelta(days=PROBE_RETENTION_DAYS), when + dt.timedelta(days=1))
        after = next((p.url for p in reversed(recent) if p.target == "column"), None)
    else:
        columns = list(state.get("columns", []))
        rounds = sum(1 for p in state.get("probes", []) if p.get("target") == "home") + int(state.get("moved", 0))
    records = probe_round(site_url, columns, rounds, count, when, timeout, client, after=after)
    if store is not None:
        store.add_probes(site_url, records, prune_before=when - dt.timedelta(days=PROBE_RETENTION_DAYS))
        if state_path and moved:
            write_state(state_path, {**{k: v for k, v in state.items() if k != "probes"}, "probes": [],
                                     "moved": int(state.get("moved", 0)) + moved})
    elif state_path is not None:
        state["probes"] = list(state.get("probes", [])) + [_record_dict(r) for r in records]
        write_state(state_path, state)
    return records, moved


def describe_round(records: list[ProbeRecord]) -> str:
    """One line per round, for the cron log."""
    parts = []
    for r in records:
        what = {"home": "首页", "column": "栏目", "https": "HTTPS"}.get(r.target, r.target)
        status = f"{r.status}，" if r.status is not None else ""
        seconds = f"{(r.elapsed_ms or 0) / 1000:.1f}秒"
        parts.append(f"{what} {r.url}：{OUTCOME_LABELS.get(r.outcome, r.outcome)}（{status}{seconds}）")
    stamp = records[0].probed_at.isoformat(sep=" ", timespec="minutes") if records else ""
    return f"{stamp} 可用性探测：" + "；".join(parts) + "。"
