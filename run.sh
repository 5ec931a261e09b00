#!/usr/bin/env bash
# govaudit set-up and launcher: installs what is missing, then runs.
#   bash run.sh demo        install, then run the demo audit (output in ./govaudit-demo/)
#   bash run.sh test        install (with test tools), then run the whole test suite
#   bash run.sh bench X.py  install (with the benchmarks' servers), then `python bench/X.py ARGS...`
#   bash run.sh ARGS...     install, then `govaudit ARGS...`
# Every install step lives here (and in pyproject.toml / uv.lock): a fresh Debian machine with python3,
# pip and root's apt needs nothing else.
set -euo pipefail
cd "$(dirname "$0")"

mode="${1:-demo}"
# antiword: text of .doc/.wps attachments. fonts-wqy-zenhei: Chinese glyphs for the HTML report screenshot.
debs=(antiword fonts-wqy-zenhei)
if [ "$mode" = "test" ]; then
    # chromium: the browser test of report.html; redis-server and postgresql: the real queue and the
    # shared database server of the distributed tests (the tests start their own instances on 127.0.0.1);
    # LibreOffice: the print tests render report.docx and rectification.xlsx to PDF as the clerk prints them.
    debs+=(chromium redis-server postgresql libreoffice-writer-nogui libreoffice-calc-nogui)
elif [ "$mode" = "bench" ]; then
    # the benchmarks' servers: nginx (crawl_bench serves the demo portal through it), PostgreSQL (store and scale).
    debs+=(nginx-light postgresql)
fi

missing=()
for pkg in "${debs[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
        echo "govaudit: 正在安装系统软件包：${missing[*]}" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        echo "govaudit: 缺少系统软件包 ${missing[*]}，请用管理员权限执行：apt-get install ${missing[*]}" >&2
    fi
fi

if ! command -v uv >/dev/null 2>&1; then
    python3 -m pip install --quiet --disable-pip-version-check uv
fi
uv sync --locked --quiet

case "$mode" in
    demo) shift || true; exec uv run govaudit demo "$@" ;;
    # Tests run in parallel, one pytest-xdist worker per core (at most 4; each worker starts its own PostgreSQL);
    # worksteal evens out the long end-to-end audits. `bash run.sh test -n 0` runs them in one process.
    test) shift; exec uv run pytest -q -n auto --maxprocesses=4 --dist worksteal "$@" ;;
    bench) shift; script="${1:?用法：bash run.sh bench 脚本名.py [参数…]}"; shift
           exec uv run python "bench/$script" "$@" ;;
    *) exec uv run govaudit "$@" ;;
esac
