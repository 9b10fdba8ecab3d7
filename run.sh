#!/usr/bin/env bash
# Starts the whole system (Redis, PostgreSQL, ingest, workers, dashboard) through the AppHost.
# Installs what is missing first. Arguments go to the AppHost, e.g. ./run.sh --reset-data
set -euo pipefail
cd "$(dirname "$0")"

source eng/prerequisites.sh
ensure_prerequisites run

exec dotnet run --project Sentiment.AppHost -c Release -- "$@"
