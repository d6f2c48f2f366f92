#!/usr/bin/env bash
# Load test of `faqbot serve` on localhost, bounded in time (see
# docs/benchmarks.md, "Load test"). Needs Debian's `wrk` (apt-get install wrk).
#
#   scripts/load/run.sh            # 30 s per phase, 200 sessions
#   DURATION=10 scripts/load/run.sh
#   SERVER_LOG=target/load/server.log scripts/load/run.sh   # keep the request log
#
# The server logs at its default level (info: one line per request and per
# chat turn) to SERVER_LOG, default /dev/null (a 30 s phase at 10k
# requests/s writes about 120 MB of log).
# Phases against the bundled MINI knowledge base, each DURATION seconds:
#   1. wrk, 200 connections, 200 sessions continued turn after turn;
#   2. wrk, 200 connections, a new session on every request (churn, so the
#      store must evict to stay within --max-sessions);
#   3. examples/loadcheck: 200 concurrent conversations, every reply
#      checked against the engine on a private session (no crossing).
# The server's resident memory (VmRSS) is sampled every second.
# Shared sessions (two instances on one Redis vs one in-memory instance):
# scripts/load/redis.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-30}
PORT=${PORT:-18080}
SESSIONS=${SESSIONS:-200}
MAX_SESSIONS=${MAX_SESSIONS:-10000}
OUT=target/load
mkdir -p "$OUT"

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 2; }
cargo build --release --quiet --bin faqbot --example loadcheck

SERVER_LOG=${SERVER_LOG:-/dev/null}
FAQBOT_LOG=${FAQBOT_LOG:-info} target/release/faqbot serve --addr "127.0.0.1:$PORT" \
  --max-sessions "$MAX_SESSIONS" >"$SERVER_LOG" 2>&1 &
SERVER=$!
SAMPLER=
cleanup() {
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null || true
  kill "$SERVER" 2>/dev/null || true
}
trap cleanup EXIT

for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
  sleep 0.1
done

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$SERVER/status"; }
( while kill -0 "$SERVER" 2>/dev/null; do
    echo "$(date +%s) $(rss_kib)"; sleep 1
  done ) >"$OUT/rss.txt" 2>/dev/null &
SAMPLER=$!

echo "server pid $SERVER, RSS at start: $(rss_kib) KiB"
echo "== 1. wrk: $SESSIONS sessions over 200 connections, ${DURATION}s"
THREADS=2 SESSIONS=$SESSIONS wrk -t2 -c200 -d"${DURATION}s" --latency \
  -s scripts/load/chat.lua "http://127.0.0.1:$PORT" | tee "$OUT/wrk-sessions.txt"
echo "RSS after phase 1: $(rss_kib) KiB"
echo "== 2. wrk: a new session per request (churn), ${DURATION}s"
THREADS=2 FRESH=1 wrk -t2 -c200 -d"${DURATION}s" --latency \
  -s scripts/load/chat.lua "http://127.0.0.1:$PORT" | tee "$OUT/wrk-churn.txt"
echo "RSS after phase 2: $(rss_kib) KiB"
echo "== 3. loadcheck: $SESSIONS verified conversations, ${DURATION}s"
status=0
target/release/examples/loadcheck --addr "127.0.0.1:$PORT" --sessions "$SESSIONS" \
  --seconds "$DURATION" | tee "$OUT/loadcheck.txt" || status=$?
echo "RSS after phase 3: $(rss_kib) KiB"
echo "== health"
curl -s "http://127.0.0.1:$PORT/healthz"; echo
awk '{print $2}' "$OUT/rss.txt" | sort -n | awk '
  {v[NR]=$1} END {printf "RSS over the run (KiB): min %d, median %d, max %d, samples %d\n", v[1], v[int((NR+1)/2)], v[NR], NR}'
kill -TERM "$SERVER"
wait "$SERVER" || true
exit $status
