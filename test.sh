#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, runs the xunit suite against a real Redis,
# PostgreSQL and Chromium, and ends with the line "N passed, N failed" read from the TRX results.
set -euo pipefail
cd "$(dirname "$0")"

source eng/prerequisites.sh
ensure_prerequisites test

results=TestResults
rm -rf "$results"
status=0
dotnet test Sentiment.sln -c Release \
    --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" "$@" || status=$?

trx=$(find "$results" -name '*.trx' | head -n 1)
if [[ -z "$trx" ]]; then
    echo "No test results were written (build failure?)." >&2
    echo "0 passed, 0 failed"
    exit 1
fi
counters=$(grep -o '<Counters [^>]*>' "$trx")
passed=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
failed=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
echo "$passed passed, $failed failed"
if [[ "$passed" == "0" ]]; then
    exit 1
fi
exit "$status"
