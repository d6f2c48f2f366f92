#!/usr/bin/env bash
# Load test of shared sessions: two `faqbot serve` instances on one Redis
# against one instance with in-memory sessions, same client, same length.
# Needs Debian's redis-server (apt-get install redis-server).
#
#   scripts/load/redis.sh              # 30 s per run, 200 conversations
#   DURATION=10 SESSIONS=200 scripts/load/redis.sh
#
# Each run is examples/loadcheck: SESSIONS concurrent conversations, every
# reply compared with the engine's reply on a private session (a reply
# from another conversation, or a lost session, is a mismatch). In the
# Redis run every conversation alternates between the two instances turn
# by turn. Prints requests/s, p50/p99, errors and mismatches per run, and
# Redis's memory at the end. Servers log at warn level (to SERVER_LOG,
# default /dev/null). Everything started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-30}
SESSIONS=${SESSIONS:-200}
BASE_PORT=${BASE_PORT:-18180}
REDIS_PORT=$((BASE_PORT + 9))
OUT=target/load
SERVER_LOG=${SERVER_LOG:-/dev/null}
mkdir -p "$OUT"

command -v redis-server >/dev/null || { echo "redis-server is not installed (apt-get install redis-server)"; exit 2; }
cargo build --release --quiet --bin faqbot --example loadcheck

PIDS=()
REDIS_DIR=$(mktemp -d)
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$REDIS_DIR"
}
trap cleanup EXIT

wait_up() {
  for _ in $(seq 200); do
    curl -sf "http://127.0.0.1:$1/readyz" >/dev/null && return 0
    sleep 0.1
  done
  echo "server on port $1 did not become ready"; exit 1
}

serve() { # port, extra args...
  local port=$1; shift
  FAQBOT_LOG=${FAQBOT_LOG:-warn} target/release/faqbot serve --addr "127.0.0.1:$port" \
    --max-sessions 100000 "$@" >>"$SERVER_LOG" 2>&1 &
  PIDS+=($!)
  wait_up "$port"
}

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
  --dir "$REDIS_DIR" >/dev/null 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do
  redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
  sleep 0.1
done

echo "== 1. two instances, one Redis: $SESSIONS conversations, ${DURATION}s"
serve "$BASE_PORT" --sessions "redis://127.0.0.1:$REDIS_PORT/0"
serve "$((BASE_PORT + 1))" --sessions "redis://127.0.0.1:$REDIS_PORT/0"
status=0
target/release/examples/loadcheck --addr "127.0.0.1:$BASE_PORT" \
  --addr "127.0.0.1:$((BASE_PORT + 1))" --sessions "$SESSIONS" --seconds "$DURATION" \
  | tee "$OUT/loadcheck-redis.txt" || status=$?
echo "Redis at the end: $(redis-cli -p "$REDIS_PORT" info memory | grep -E '^used_memory(_human)?:' | tr -d '\r' | tr '\n' ' ')" \
  "keys=$(redis-cli -p "$REDIS_PORT" dbsize | tr -d '\r')" | tee -a "$OUT/loadcheck-redis.txt"
echo "live sessions (healthz): $(curl -s "http://127.0.0.1:$BASE_PORT/healthz" | sed 's/.*"live":\([0-9]*\).*/\1/')"

echo "== 2. one instance, in-memory sessions: $SESSIONS conversations, ${DURATION}s"
serve "$((BASE_PORT + 2))"
target/release/examples/loadcheck --addr "127.0.0.1:$((BASE_PORT + 2))" \
  --sessions "$SESSIONS" --seconds "$DURATION" | tee "$OUT/loadcheck-memory.txt" || status=$?
exit $status
