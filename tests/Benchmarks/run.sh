#!/usr/bin/env bash
# The load benchmark in one command: installs wrk and nginx if missing, builds Release, runs the driver.
#   tests/Benchmarks/run.sh                  full run (about 9 minutes), writes tests/Benchmarks/RESULTS.md
#   tests/Benchmarks/run.sh --quick          smoke check (about 2.5 minutes), prints the tables only
#   tests/Benchmarks/run.sh --only cluster   the cluster rows only (about 7 minutes); RESULTS.md keeps rows 1-7
#   tests/Benchmarks/run.sh --only single    rows 1-7 only; RESULTS.md keeps the cluster rows
# Other options pass through to the driver: --results PATH, --note TEXT.
set -euo pipefail
cd "$(dirname "$0")/../.."

as_root=""; [ "$(id -u)" -eq 0 ] || as_root=sudo

if ! command -v wrk >/dev/null; then
  echo "benchmark: installing wrk" >&2
  $as_root apt-get install -y wrk || { $as_root apt-get update && $as_root apt-get install -y wrk; }
fi

# The cluster rows' load balancer; only the binary is used (the driver runs it with a configuration of its own on a
# free loopback port). Not needed for --only single.
only=""; prev=""
for arg in "$@"; do [ "$prev" = --only ] && only=$arg; prev=$arg; done
have_nginx() { command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; }
if [ "$only" != single ] && ! have_nginx; then
  echo "benchmark: installing nginx" >&2
  # No service start from the package's scripts (a policy-rc.d answering 101 for the length of the install; an
  # existing one is left alone): a system nginx is never used, and without an init system starting one fails.
  policy=/usr/sbin/policy-rc.d; added_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $as_root tee "$policy" >/dev/null && $as_root chmod 755 "$policy" && added_policy=1
  fi
  install_nginx() { $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx; }
  install_nginx || { $as_root apt-get update && install_nginx; } || true
  [ "$added_policy" -eq 1 ] && $as_root rm -f "$policy"
  # a post-install script that could not start the service still leaves the binary, which is all that is needed
  have_nginx || { echo "benchmark: could not install nginx (apt-get install nginx)" >&2; exit 1; }
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
