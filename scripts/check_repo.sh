#!/usr/bin/env bash
# Checks that the repository stands alone and that its docs match the code. No build needed;
# well under a second. Prints FILE:LINE: problem for each finding, and exits 1 when there is any.
#
#   1. No file refers to folders beside the repository (`../shared`, `/work/shared`) or to the
#      old design file outside it: the design is docs/design.md. docs/performance.md may quote
#      history.
#   2. Every migration a doc or a comment names is registered in
#      Sources/Load/SQLiteStore+Schema.swift.
#   3. The Makefile, scripts, CI and pipeline files do not point at work-tracker numbers
#      ("issue N", "session N"): they say what a thing does instead.
#
# Files: those git tracks, plus new files that are not ignored (so a change is checked before it
# is committed). Run it from anywhere: scripts/check_repo.sh
set -uo pipefail
cd "$(dirname "$0")/.."

self=scripts/check_repo.sh
schema=Sources/Load/SQLiteStore+Schema.swift
problems=$(mktemp)
trap 'rm -f "$problems"' EXIT

# The files to check, one per line, that exist (a deleted tracked file is skipped).
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    listed=$(git ls-files --cached --others --exclude-standard)
else
    listed=$(find . -type f -not -path './.git/*' -not -path './.build*' -not -path './out/*' \
        -not -path './bench-data/*' | sed 's|^\./||')
fi
files=$(while IFS= read -r file; do [ -f "$file" ] && echo "$file"; done <<< "$listed" | sort -u)
# grep -nH over the files of a list given on stdin, skipping binary files; FILE:LINE:TEXT out.
search() { tr '\n' '\0' | xargs -0 -r grep -nHI "$@" --; }

# 1. References outside the repository.
grep -vxF -e "$self" -e docs/performance.md <<< "$files" |
    search -F -e '../shared' -e '/work/shared' -e 'DESIGN.md' |
    while IFS=: read -r file line _; do
        echo "$file:$line: refers to a folder or design file outside the repository (the design is docs/design.md)"
    done >> "$problems"

# 2. Migrations named in docs and comments, against the schema.
migrations=$(grep -oE 'registerMigration\("[^"]+"\)' "$schema" 2>/dev/null | sed -E 's/registerMigration\("([^"]+)"\)/\1/')
if [ -z "$migrations" ]; then
    echo "$schema:1: no registerMigration(\"…\") found: cannot check the migration names docs use" >> "$problems"
else
    numbers=$(grep -oE '^v[0-9]+' <<< "$migrations" | sort -u)
    known=$(paste -sd' ' <<< "$migrations")
    # Tests may name migrations no build has (a store from a newer crmbridge): they are not docs.
    candidates=$(grep -vxF -e "$self" -e "$schema" <<< "$files" | grep -v '^Tests/' |
        grep -E '\.(md|swift|sh|py|yml)$|^Makefile$|^\.ci/')
    # Named ones anywhere: `v5-metrics`, v8-xref-raw-digest …
    search -oE '\bv[0-9]+-[a-z][a-z0-9-]*[a-z0-9]' <<< "$candidates" |
        while IFS=: read -r file line name; do
            grep -qxF "$name" <<< "$migrations" ||
                echo "$file:$line: names migration '$name', which $schema does not register (it has: $known)"
        done >> "$problems"
    # By number: "migration v9", "migrations `v2`…": the number must be a registered migration's.
    search -oiE 'migrations? `?v[0-9]+' <<< "$candidates" |
        while IFS=: read -r file line text; do
            number=$(grep -oE 'v[0-9]+$' <<< "$text")
            grep -qxF "$number" <<< "$numbers" ||
                echo "$file:$line: names migration $number, which $schema does not register (it has: $known)"
        done >> "$problems"
fi

# 3. Work-tracker numbers in the Makefile, scripts, CI and pipeline files.
grep -vxF "$self" <<< "$files" | grep -E '^(Makefile|scripts/|\.ci/|pipelines/)' |
    search -iE '\b(issue|session)s? #?[0-9]+' |
    while IFS=: read -r file line _; do
        echo "$file:$line: mentions an issue or session number: say what the thing does instead"
    done >> "$problems"

if [ -s "$problems" ]; then
    cat "$problems"
    echo "check_repo: $(wc -l < "$problems") problem(s)" >&2
    exit 1
fi
echo "check_repo: ok"
