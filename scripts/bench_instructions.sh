#!/usr/bin/env bash
# Instructions, not seconds: a first load of the first N rows of `make bench`'s CSV (default
# 20,000) under valgrind's callgrind, printing the instructions each thread executed. On a host
# whose speed swings by a third between runs, the counts of two builds differ by their code
# (up to 2.5% between runs of one build, from how the threads meet), where their times do not.
# They do not weigh what an instruction costs: a cache miss, an atomic retain, a page copy in
# the kernel count as one or not at all. Compare builds with it; report times from `make bench`.
#
#   scripts/bench_instructions.sh [N] [BINARY]   # default: the release build
#   CRMBRIDGE_THREADS=2 scripts/bench_instructions.sh   # --threads (default 1: one reading thread)
#
# valgrind cannot read the DWARF of Swift's release builds, so it runs a copy without debug
# information (strip -g); function names stay. Needs valgrind (apt-get install valgrind) and
# `make bench` run once (its CSV and pipeline file). Callgrind's files stay in
# bench-data/callgrind/ for callgrind_annotate.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-20000}
bin=${2:-.build/release/crmbridge}
threads=${CRMBRIDGE_THREADS:-1}
dir=bench-data
command -v valgrind >/dev/null || { echo "bench-instructions: needs valgrind (apt-get install valgrind)" >&2; exit 1; }
[ -f "$dir/customers-1000000.csv" ] && [ -f "$dir/bench.yml" ] ||
    { echo "bench-instructions: run make bench first (its CSV and pipeline file)" >&2; exit 1; }
head -n $((rows + 1)) "$dir/customers-1000000.csv" > "$dir/instructions-input.csv"
sed 's/input\.csv/instructions-input.csv/' "$dir/bench.yml" > "$dir/instructions.yml"
out=$dir/callgrind
rm -rf "$out" "$dir"/instructions.sqlite*
mkdir -p "$out"
strip -g -o "$out/crmbridge" "$bin"
valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$out/callgrind.out.%p" \
    "$out/crmbridge" run "$dir/instructions.yml" --store "sqlite:$dir/instructions.sqlite" \
    --as-of 2026-11-22T03:00:00+08:00 --force --lang en --threads "$threads" > /dev/null 2> "$out/valgrind.log"
echo "crmbridge bench-instructions: $rows rows, --threads $threads, $bin"
group() { sed -e ':a' -e 's/\B[0-9]\{3\}\>/,&/' -e 'ta' <<< "$1"; }
total=0
for file in "$out"/callgrind.out.*-*; do
    count=$(grep -m1 '^summary:' "$file" | cut -d' ' -f2)
    [ "${count:-0}" -gt 1000000 ] || continue
    total=$((total + count))
    printf '  thread %-3s %15s instructions\n' "${file##*-}" "$(group "$count")"
done
printf '  all        %15s instructions\n' "$(group "$total")"
