#!/usr/bin/env bash
# Optional: loads a development corpus with pipelines/corpus-dev.yml as of its load time,
# exports the contract files and scores them with the corpus's own scorer. Not part of
# `make test`, and the corpus is not part of this repository.
#
# CORPUS names the corpus's world folder: the one holding sources/ (crm_export.csv,
# erp_customers.xlsx, web_forms.jsonl, wechat_forms.xml, callcenter_cdr.csv) and truth/, with
# the scorer score.py in the folder above it (CORPUS_SCORER overrides where the scorer is).
# A relative CORPUS is taken from the directory this script is called from.
#
#   CORPUS=/path/to/corpus/dev scripts/score_corpus.sh           # or: make corpus CORPUS=…
#   scripts/score_corpus.sh --check                              # only check that the corpus is there
set -euo pipefail

absent() {
    echo "score_corpus: $1. The development corpus is an optional labelled set of source exports (sources/, truth/, scorer score.py in the folder above) that this repository does not hold; point CORPUS at its folder: make corpus CORPUS=/path/to/corpus/dev" >&2
    exit 1
}
[ -n "${CORPUS:-}" ] || absent "CORPUS is not set"
[ -d "$CORPUS/sources" ] || absent "no corpus at '$CORPUS' (no sources/ folder there)"
corpus=$(cd "$CORPUS" && pwd)
scorer=${CORPUS_SCORER:-$corpus/../score.py}
[ -f "$scorer" ] || absent "no scorer at '$scorer' (set CORPUS_SCORER to the corpus's score.py)"
scorer=$(cd "$(dirname "$scorer")" && pwd)/$(basename "$scorer")
[ "${1:-}" = "--check" ] && exit 0

cd "$(dirname "$0")/.."
export CORPUS=$corpus
bin=${CRMBRIDGE_BIN:-.build/release/crmbridge}
out=out/corpus
rm -rf "$out" out/corpus.sqlite out/corpus.sqlite-wal out/corpus.sqlite-shm
mkdir -p "$out"
# CORPUS_STORE=postgres://… scores a PostgreSQL store (an empty schema) the same way.
store=${CORPUS_STORE:-sqlite:out/corpus.sqlite}
"$bin" run pipelines/corpus-dev.yml --store "$store" --as-of 2026-11-22T03:00:00+08:00 --json > "$out/run.json" || status=$?
echo "run exit status: ${status:-0}"
for table in master xref rejects; do
    "$bin" export "$table" --store "$store" --format csv --out "$out/$table.csv"
done
"$bin" scan gaps --store "$store" --no-remember --lang en --out "$out/gaps.csv"   # the scorer reads the English columns
python3 "$scorer" --corpus "$corpus" --out "$out"
