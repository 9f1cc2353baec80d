#!/usr/bin/env bash
# The load benchmark in one command: installs wrk if missing, builds Release, runs the driver.
#   tests/Benchmarks/run.sh            full run (about 4 minutes), writes tests/Benchmarks/RESULTS.md
#   tests/Benchmarks/run.sh --quick    smoke check (about 1 minute), prints the table only
# Other options pass through to the driver: --results PATH, --note TEXT.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v wrk >/dev/null; then
  echo "benchmark: installing wrk" >&2
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y wrk || { apt-get update && apt-get install -y wrk; }
  else sudo apt-get install -y wrk || { sudo apt-get update && sudo apt-get install -y wrk; }
  fi
fi

# 10 000 connections need as many descriptors in wrk and in the executor; both inherit this limit.
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ]; then ulimit -n 65536 2>/dev/null || true; else ulimit -n "$hard" 2>/dev/null || true; fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
build_log=$(mktemp)
trap 'rm -f "$build_log"' EXIT
echo "benchmark: building Release" >&2
for project in src/Api tests/Benchmarks/Jarvis.Benchmarks.BareEndpoint tests/Benchmarks/Jarvis.Benchmarks; do
  dotnet build "$project" -c Release -nologo >"$build_log" 2>&1 || { cat "$build_log" >&2; echo "benchmark: build of $project failed" >&2; exit 1; }
done
rm -f "$build_log"
exec dotnet tests/Benchmarks/Jarvis.Benchmarks/bin/Release/net10.0/Jarvis.Benchmarks.dll "$@"
