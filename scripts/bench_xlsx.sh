#!/usr/bin/env bash
# Benchmark of the xlsx reader (release build): N synthetic customer rows (default 1,000,000) in
# one worksheet with a realistic shared-strings table, read through `crmbridge-bench read xlsx`.
# Prints rows/s and peak RSS. Not a test: figures vary with the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
dir=bench-data
mkdir -p "$dir"
if [ ! -f "$dir/customers-$rows.xlsx" ]; then
    [ -f "$dir/customers-$rows.csv" ] || python3 scripts/gen_fixtures.py --bench "$rows" --out "$dir/customers-$rows.csv"
    python3 scripts/gen_fixtures.py --bench-xlsx --from "$dir/customers-$rows.csv" --out "$dir/customers-$rows.xlsx"
fi
ls -l "$dir/customers-$rows.xlsx"
.build/release/crmbridge-bench read xlsx "$dir/customers-$rows.xlsx"
