#!/usr/bin/env bash
# Benchmark of `crmbridge run` (release build) on a nightly world of N customers in five exports
# (scripts/gen_world.py; default 200,000 customers, about 3.2 rows each), against the same job in
# plain Python (scripts/world_python.py). In one run, so the machine's noise mostly cancels:
#   1. crmbridge, first load into an empty SQLite store;
#   2. crmbridge, the same files again with --force (every row unchanged);
#   3. crmbridge, a copy of the world with 10% of its data records changed (--force);
#   4. the Python baseline, first load into an empty SQLite file;
# each with rows (as the run counted them), seconds, rows/s, peak RSS and kernel seconds; then the
# ratios of 1 to 4.
# The world is generated once under bench-data/ and reused; the Python libraries go into a
# git-ignored venv, .venv-bench/, installed with pip when missing. Needs /usr/bin/time.
# Not a test: figures vary with the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
customers=${1:-200000}
dir=bench-data
world=$dir/world-$customers
update=$dir/world-$customers-update
store=$dir/world-$customers.sqlite
bin=${CRMBRIDGE:-.build/release/crmbridge}   # CRMBRIDGE=PATH: another build, for A/B runs
venv=.venv-bench
as_of=2026-11-22T03:00:00+08:00
mkdir -p "$dir"
# world.json is written last: a world without it was cut off, so it is written again
[ -f "$world/world.json" ] || python3 scripts/gen_world.py --world "$customers" --out "$world"
[ -f "$update/world.json" ] || python3 scripts/gen_world.py --world "$customers" --update 10 --out "$update"
if ! "$venv/bin/python" -c "import cpca, openpyxl, phonenumbers, pypinyin" 2>/dev/null; then
    echo "bench-world: installing the Python baseline's libraries into $venv (pip)" >&2
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check phonenumbers pypinyin cpca openpyxl
fi

# runs COMMAND…, keeping its stdout in $dir/world-LABEL.json and its peak RSS and wall seconds in
# $dir/world-LABEL.time; exit 3 (a health metric at fail) still committed the batch
measure() {
    local label=$1
    shift
    local start end status=0
    start=$(date +%s.%N)
    /usr/bin/time -f "%M %S" -o "$dir/world-$label.rss" "$@" > "$dir/world-$label.json" || status=$?
    end=$(date +%s.%N)
    if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then
        echo "bench-world: $label exited $status" >&2
        exit 1
    fi
    echo "$start $end $(tail -1 "$dir/world-$label.rss")" > "$dir/world-$label.time"
}
echo "crmbridge bench-world: $customers customers, $(nproc) cores, release build; load average $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f "$store" "$store"-wal "$store"-shm "$store"-lock
measure first "$bin" run "$world/world.yml" --store "sqlite:$store" --as-of "$as_of" --json
measure rerun "$bin" run "$world/world.yml" --store "sqlite:$store" --as-of "$as_of" --force --json
measure update "$bin" run "$update/world.yml" --store "sqlite:$store" --as-of "$as_of" --force --json
rm -f "$dir/world-python.sqlite"
measure python "$venv/bin/python" -W ignore scripts/world_python.py "$world" --db "$dir/world-python.sqlite"

python3 - "$dir" "$world" <<'PY'
import json, sys
dir, world = sys.argv[1], sys.argv[2]
meant = json.load(open(f"{world}/world.json"))
runs = {}
for label in ("first", "rerun", "update", "python"):
    start, end, rss, kernel = open(f"{dir}/world-{label}.time").read().split()
    runs[label] = (json.load(open(f"{dir}/world-{label}.json")), float(end) - float(start), int(rss) / 1024, float(kernel))
names = {"first": "crmbridge first load", "rerun": "crmbridge re-run, unchanged", "update": "crmbridge 10% update",
         "python": "Python first load"}
# The kernel's seconds: high when the pages written were cold to the host (docs/performance.md,
# "The host's memory"), which moves a run's wall time with it.
print(f"{'run':<29} {'rows':>9} {'seconds':>9} {'rows/s':>9} {'peak RSS':>10} {'kernel':>8}")
for label, (summary, secs, rss, kernel) in runs.items():
    rows = summary["overall"]["read"]
    print(f"{names[label]:<29} {rows:>9} {secs:>9.2f} {rows / secs:>9,.0f} {rss:>7.1f} MB {kernel:>6.2f} s")
(first, t_first, m_first, _), (py, t_py, m_py, _) = runs["first"], runs["python"]
print(f"ratio, crmbridge first load against Python: {t_py / t_first:.1f}x faster, {m_py / m_first:.1f}x less memory")
if "timings" in first:
    print("crmbridge first load, timings:", json.dumps(first["timings"], ensure_ascii=False))
# What the world meant to be rejected, against what each run did: a difference is worth a look.
problems = []
for system, rows in meant["rows"].items():
    ours = first["by_system"].get(system, {})
    if ours.get("read") != rows:
        problems.append(f"{system}: crmbridge read {ours.get('read')} rows, the world has {rows}")
    if ours.get("rejected_by_reason", {}) != meant["meant_rejects"][system]:
        problems.append(f"{system}: crmbridge rejected {ours.get('rejected_by_reason')}, "
                        f"the world meant {meant['meant_rejects'][system]}")
    theirs = py["by_system"].get(system, {})
    if any(theirs.get(k) != ours.get(k) for k in ("merged", "pending", "rejected")):
        problems.append(f"{system}: crmbridge merged/pending/rejected {ours.get('merged')}/{ours.get('pending')}/"
                        f"{ours.get('rejected')}, Python {theirs.get('merged')}/{theirs.get('pending')}/{theirs.get('rejected')}")
for label in ("rerun", "update"):
    o = runs[label][0]["overall"]
    print(f"{names[label]}: {o['unchanged']} unchanged, {o['updated']} updated, {o['created']} created, "
          f"rejected {o['rejected_by_reason']}")
print("checks: " + ("; ".join(problems) if problems else
                    "every file read whole, rejects as the world meant them, the same outcome as the Python job"))
PY
