#!/usr/bin/env bash
# Loads the development corpus (../shared/corpus/dev, or $CORPUS as an absolute path) with
# pipelines/corpus-dev.yml as of its load time, exports the contract files and scores them with
# the corpus's own scorer. Not part of `make test`: the corpus lives beside the project.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${CORPUS:-$(cd .. && pwd)/shared/corpus/dev}
export CORPUS=$corpus
bin=${CRMBRIDGE_BIN:-.build/release/crmbridge}
out=out/corpus
rm -rf "$out" out/corpus.sqlite out/corpus.sqlite-wal out/corpus.sqlite-shm
mkdir -p "$out"
"$bin" run pipelines/corpus-dev.yml --as-of 2026-11-22T03:00:00+08:00 --json > "$out/run.json" || status=$?
echo "run exit status: ${status:-0}"
store=sqlite:out/corpus.sqlite
for table in master xref rejects; do
    "$bin" export "$table" --store "$store" --format csv --out "$out/$table.csv"
done
"$bin" scan gaps --store "$store" --no-remember --out "$out/gaps.csv"
python3 "$corpus/../score.py" --corpus "$corpus" --out "$out"
