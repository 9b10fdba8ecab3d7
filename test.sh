#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, runs the xunit suite against a real Redis,
# PostgreSQL and Chromium, and ends with the line "N passed, N failed" read from the TRX results.
#   ./test.sh           every test (what CI runs)
#   ./test.sh --fast    only the unit tests: no Redis, PostgreSQL, Chromium or AppHost, no GPU build
# Other arguments go to dotnet test, e.g. ./test.sh --filter "FullyQualifiedName~Ingest".
set -euo pipefail
cd "$(dirname "$0")"

fast=false
if [[ "${1:-}" == "--fast" ]]; then
    fast=true
    shift
fi

source eng/prerequisites.sh
ensure_prerequisites "$([[ $fast == true ]] && echo unit || echo test)"

# The console log is long (servers and hosts log too), so repeat each failed test with its message at the end.
print_failures() {
    local failed_names
    failed_names=$(grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$1" | sed -E 's/.* testName="([^"]*)".*/\1/' || true)
    [[ -z "$failed_names" ]] && return 0
    echo
    echo "Failed tests:"
    if command -v python3 >/dev/null; then
        python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for result in ET.parse(sys.argv[1]).getroot().iterfind(".//t:UnitTestResult[@outcome='Failed']", ns):
    message = result.findtext(".//t:ErrorInfo/t:Message", default="", namespaces=ns).strip()
    stack = result.findtext(".//t:ErrorInfo/t:StackTrace", default="", namespaces=ns).strip()
    print(f"- {result.get('testName')}\n  {message[:4000]}\n  {stack[:1500]}")
PY
    else
        sed 's/^/- /' <<<"$failed_names"
    fi
    echo
}

# The worker's GPU build (ONNX Runtime's CUDA flavour), which GpuBuildTests run on this CPU-only machine. It has its
# own bin/obj under artifacts/gpu, so it never mixes with the CPU build.
filter=()
if [[ $fast == true ]]; then
    # Integration tests carry [Trait("Category", "Integration")]: they start Redis, PostgreSQL, Chromium or the AppHost.
    filter=(--filter "Category!=Integration")
else
    dotnet build Sentiment.Worker -c Release -p:OnnxRuntimeFlavor=Gpu --artifacts-path artifacts/gpu -v quiet -nologo
fi

results=TestResults
rm -rf "$results"
status=0
dotnet test Sentiment.sln -c Release "${filter[@]}" \
    --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" "$@" || status=$?

trx=$(find "$results" -name '*.trx' | head -n 1)
if [[ -z "$trx" ]]; then
    echo "No test results were written (build failure?)." >&2
    echo "0 passed, 0 failed"
    exit 1
fi
print_failures "$trx"
counters=$(grep -o '<Counters [^>]*>' "$trx")
passed=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
failed=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
echo "$passed passed, $failed failed"
if [[ "$passed" == "0" ]]; then
    exit 1
fi
exit "$status"
