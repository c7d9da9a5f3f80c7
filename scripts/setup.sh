#!/usr/bin/env bash
# Installs the system libraries crmbridge builds against, when they are missing (Debian/Ubuntu).
set -euo pipefail
packages=(libsqlite3-dev libcsv-dev libxml2-dev libicu-dev libjemalloc-dev libpq-dev postgresql time)
missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "setup: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
    echo "setup: missing ${missing[*]}; install them as root: apt-get install ${missing[*]}" >&2
    exit 1
fi
