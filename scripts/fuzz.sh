#!/usr/bin/env bash
# make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS="csv xml"] [FUZZ_FLAGS="-jobs=2"]
#
# Builds crmbridge-fuzz with libFuzzer and AddressSanitizer (release, scratch path .build-fuzz),
# then runs each target for FUZZ_SECONDS on a seed corpus: the fixtures split per target
# (scripts/fuzz_seeds.py, written into a .build-fuzz/seeds.XXXXXX of the run's own),
# fuzz/regressions/TARGET (inputs that once failed), and what earlier runs here found
# (.build-fuzz/corpus/TARGET, kept between runs). Prints, per target, executions, exec/s and
# findings; a finding (crash, broken invariant, leak, timeout, out of memory) is saved in
# .build-fuzz/findings/TARGET/ and makes the script exit 1. Reproduce one with the debug replayer:
#   swift build --product crmbridge-fuzz && .build/debug/crmbridge-fuzz TARGET FILE
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets="csv xlsx xlsx-sheet json xml labelled pipeline phone name address taxid date"
seconds=${FUZZ_SECONDS:-60}
targets=${FUZZ_TARGETS:-$all_targets}
scratch=.build-fuzz
binary=$scratch/release/crmbridge-fuzz

# Coverage and AddressSanitizer for the Swift and the C targets alike (libyaml, the ICU shim,
# BoringSSL). Not SwiftPM's `--sanitize=fuzzer --sanitize=address`: it hands swiftc two
# -sanitize= flags, of which only the last counts, and the Swift code would get no coverage.
# -DFUZZING turns the replayer's @main into libFuzzer's entry points.
start=$(date +%s)
mkdir -p "$scratch/logs"
if ! swift build -c release --product crmbridge-fuzz --scratch-path "$scratch" \
        -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address -Xswiftc -DFUZZING \
        >"$scratch/logs/build.log" 2>&1; then
    tail -n 40 "$scratch/logs/build.log" >&2
    echo "fuzz: the build failed (log: $scratch/logs/build.log)" >&2
    exit 2
fi
echo "fuzz: build took $(( $(date +%s) - start )) s"

# Seeds of this run's own, removed at its end: two runs (one target each) may run at once, and
# one removing and rewriting a shared folder took the seeds from under the other as it started.
seeds=$(mktemp -d "$scratch/seeds.XXXXXX")
trap 'rm -rf "$seeds"' EXIT
python3 scripts/fuzz_seeds.py "$seeds" >/dev/null
# The regression inputs are seeds too, but for those that still fail (fuzz/regressions/KNOWN_ISSUES):
# the targets leave what they stand for out of fuzzing, and they would stop the run at once.
for folder in fuzz/regressions/*/; do
    target=$(basename "$folder")
    mkdir -p "$seeds/$target"
    for file in "$folder"*; do
        awk -v input="$target/$(basename "$file")" '$1 == input { known = 1 } END { exit !known }' \
            fuzz/regressions/KNOWN_ISSUES ||
            cp "$file" "$seeds/$target/regression-$(basename "$file")"
    done
done

# Leak checking stays on; fuzz/lsan.supp lists what is no leak of crmbridge's.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_odr_violation=0}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/fuzz/lsan.supp:print_suppressions=0}
# The Swift runtime's own crash backtracer would take the signals AddressSanitizer and libFuzzer report.
export SWIFT_BACKTRACE=enable=no
failed=0
passed=0
printf '%-11s %12s %8s %7s  %s\n' target executions exec/s corpus findings
for target in $targets; do
    case " $all_targets " in *" $target "*) ;; *) echo "fuzz: no target $target ($all_targets)" >&2; exit 2 ;; esac
    corpus=$scratch/corpus/$target
    findings=$scratch/findings/$target
    # A log of this process's own: two copies of the script on one target would otherwise write
    # one file, and the statistics below would sum both copies. A passing run's log becomes
    # TARGET.log; a finding's keeps its name, printed with the finding.
    log=$scratch/logs/$target.$$.log
    mkdir -p "$corpus" "$findings" "$scratch/logs" "$seeds/$target"
    inputs=("$corpus" "$seeds/$target")
    dictionary=()
    [ -f "fuzz/dictionaries/$target.dict" ] && dictionary=(-dict="fuzz/dictionaries/$target.dict")
    # Readers and the loader take whole files; a normalizer takes one cell.
    case $target in phone|name|address|taxid|date) max_len=1024 ;; *) max_len=65536 ;; esac
    before=$(ls "$findings" | wc -l)
    status=0
    # -timeout: one input in 10 s at most; -rss_limit_mb: 2 GiB, as in production's budget.
    # shellcheck disable=SC2086
    CRMBRIDGE_FUZZ_TARGET=$target "$binary" "${inputs[@]}" "${dictionary[@]}" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" -len_control=200 \
        -artifact_prefix="$findings/" -print_final_stats=1 ${FUZZ_FLAGS:-} >"$log" 2>&1 || status=$?
    executions=$(awk '/stat::number_of_executed_units:/ { n += $2 } END { print n + 0 }' "$log")
    rate=$(awk '/stat::average_exec_per_sec:/ { n += $2 } END { print n + 0 }' "$log")
    size=$(ls "$corpus" | wc -l)
    new=$(ls -t "$findings" | head -n $(( $(ls "$findings" | wc -l) - before )) | tr '\n' ' ')
    if [ "$status" -ne 0 ] || [ -n "$new" ]; then
        failed=$((failed + 1))
        printf '%-11s %12s %8s %7s  %s\n' "$target" "$executions" "$rate" "$size" "FOUND ${new:-exit $status} (log: $log)"
        grep -m1 -E "invariant broken|ERROR: AddressSanitizer|ERROR: LeakSanitizer|ERROR: libFuzzer|ParseDictionaryFile|Fatal error|runtime failure|SUMMARY" "$log" | cut -c1-300 || true
    else
        printf '%-11s %12s %8s %7s  %s\n' "$target" "$executions" "$rate" "$size" none
        mv "$log" "$scratch/logs/$target.log"
        passed=$((passed + 1))
    fi
done
# Worded apart from a test runner's "N passed, N failed": CI reports findings without failing on them.
echo "fuzz: $((passed + failed)) targets run, $failed with findings"
[ "$failed" -eq 0 ]
