#!/usr/bin/env bash
# Benchmark of `crmbridge run` (release build): N synthetic customer rows into an empty SQLite
# store, then a second run over a copy in which 10% of the rows changed. Prints rows/s, peak
# RSS and the kernel's seconds of each run. Not a test: figures vary with the machine.
# STORE=postgres (make bench STORE=postgres) also runs both into a throwaway local PostgreSQL
# server (initdb in a temporary folder, fsync=off, stopped and removed at the end), after the
# SQLite figures of the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
store=${STORE:-sqlite}
dir=bench-data
bin=.build/release/crmbridge
mkdir -p "$dir"
[ -f "$dir/customers-$rows.csv" ] || python3 scripts/gen_fixtures.py --bench "$rows" --out "$dir/customers-$rows.csv"
[ -f "$dir/customers-$rows-update.csv" ] ||
    python3 scripts/gen_fixtures.py --bench-update 10 --from "$dir/customers-$rows.csv" --out "$dir/customers-$rows-update.csv"
cat > "$dir/bench.yml" <<YAML
pipeline: bench
store: sqlite:bench.sqlite
key: {demo: true}
sources:
  - system: crm
    path: input.csv
    encoding: utf-8
    delimiter: ","
    id: 客户编号
    updated_at: 更新时间
    fields:
      company: 客户名称
      name: 联系人
      phone: 手机
      landline: 座机
      tax_id: 统一社会信用代码
      address: 地址
      industry: 行业
      status: 客户状态
      first_touch_channel: 首次接触渠道
      owner: 负责人
      sales_group: 销售组
      last_contact_at: 最近联系日期
      next_followup_plan: 下次跟进计划
      next_followup_at: 下次跟进日期
      created_at: 创建时间
      notes: 备注
YAML
rm -f "$dir"/bench.sqlite*
measure() {
    local label=$1 input=$2
    shift 2
    ln -sf "$(basename "$input")" "$dir/input.csv"
    local start end rss
    start=$(date +%s.%N)
    # English, for the accounting line read below (summaries are in Chinese by default).
    /usr/bin/time -f "%M %S" -o "$dir/rss.txt" "$bin" run "$dir/bench.yml" --as-of 2026-11-22T03:00:00+08:00 --force --lang en "$@" \
        > "$dir/$label.txt"
    end=$(date +%s.%N)
    read -r rss kernel < <(tail -1 "$dir/rss.txt")
    # The rows the run says it read, not the rows asked for: a stale input file shows here.
    read=$(grep -oE "accounting: read [0-9]+" "$dir/$label.txt" | tail -1 | grep -oE "[0-9]+$")
    python3 - "$label" "$read" "$start" "$end" "$rss" "$kernel" <<'PY'
import sys
label, rows, start, end, rss = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
kernel = float(sys.argv[6])
secs = end - start
print(f"{label:<14} {rows:>9} rows  {secs:7.2f} s  {rows/secs:>9,.0f} rows/s  peak RSS {rss/1024:6.1f} MB"
      f"  kernel {kernel:5.2f} s")
PY
}
echo "crmbridge bench: $rows rows, $(nproc) cores, release build"
measure "empty store" "$dir/customers-$rows.csv"
measure "10% update" "$dir/customers-$rows-update.csv"
grep -E "accounting" "$dir/10% update.txt" || true
[ "$store" = postgres ] || exit 0

# A throwaway server; as root its binaries run as postgres, which PostgreSQL requires.
pgbin=/usr/lib/postgresql/15/bin
pgdir=$(mktemp -d /tmp/crmbridge-bench-pg.XXXXXX)
as_postgres=()
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$pgdir"; as_postgres=(runuser -u postgres --); fi
trap '"${as_postgres[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$pgdir"' EXIT
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${as_postgres[@]}" "$pgbin/initdb" -D "$pgdir/data" -U postgres --auth=trust --no-sync >/dev/null
"${as_postgres[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
    -o "-p $port -k $pgdir -c listen_addresses= -c fsync=off -c shared_buffers=256MB -c max_wal_size=4GB" start >/dev/null
url="postgresql:///postgres?host=$pgdir&port=$port&user=postgres&schema=bench"
echo "PostgreSQL $("$pgbin/postgres" --version | grep -oE '[0-9]+\.[0-9]+' | head -1), local socket, fsync=off"
measure "pg empty" "$dir/customers-$rows.csv" --store "$url"
measure "pg 10% update" "$dir/customers-$rows-update.csv" --store "$url"
grep -E "accounting" "$dir/pg 10% update.txt" || true
