#!/usr/bin/env bash
# Requests/s of two or more faqbot binaries, in alternation: phase 1 of
# scripts/load/run.sh (wrk, 200 connections, 200 sessions continued turn
# after turn, bundled MINI knowledge base), DURATION seconds per run, ROUNDS
# rounds. Compare the binaries within one round (the machine's load moves
# between rounds); report medians. Needs Debian's `wrk`.
#
#   scripts/load/ab.sh 10 3 /tmp/faqbot.before target/release/faqbot
#
# Prints wrk's summary line (requests, rps, non-200s, latency percentiles)
# and the server's peak RSS (VmHWM) per run.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=$1; ROUNDS=$2; shift 2
PORT=${PORT:-18181}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 2; }
CACHE=$(mktemp -d)
trap 'rm -rf "$CACHE"' EXIT
for r in $(seq "$ROUNDS"); do
  for bin in "$@"; do
    FAQBOT_LOG=info FAQBOT_CACHE_DIR="$CACHE" "$bin" serve --addr "127.0.0.1:$PORT" \
      --max-sessions 10000 >/dev/null 2>&1 &
    server=$!
    for _ in $(seq 100); do
      curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
      sleep 0.1
    done
    line=$(THREADS=2 SESSIONS=200 wrk -t2 -c200 -d"${DURATION}s" --latency \
      -s scripts/load/chat.lua "http://127.0.0.1:$PORT" 2>&1 | grep -E '^requests=' || true)
    rss=$(awk '/^VmHWM/ {print $2}' "/proc/$server/status")
    kill "$server"
    wait "$server" 2>/dev/null || true
    echo "round $r $bin: $line server_peak_rss_kib=$rss"
  done
done
