-- wrk script: POST /api/v1/chat with MINI questions in 200 concurrent sessions.
--
--   THREADS=2 wrk -t2 -c200 -d30s --latency -s scripts/load/chat.lua http://127.0.0.1:8080
--
-- Each wrk thread keeps a pool of session ids (SESSIONS=200 in all, split
-- between the THREADS=2 threads; keep THREADS equal to -t): the first replies fill the pool, then every request continues
-- one of those conversations, cycling over questions and numbered choices.
-- With FRESH=1 every request starts a new conversation instead (session
-- churn: the server must evict to stay within --max-sessions).
-- Prints the request count, non-200 responses, requests/s and p50/p90/p99.

local SESSIONS = tonumber(os.getenv("SESSIONS") or "200")
local THREADS = tonumber(os.getenv("THREADS") or "2")
local FRESH = os.getenv("FRESH") == "1"

local messages = {
  "I forgot my app PIN", "1", "how do I charge my MINI", "2",
  "can I preheat my car from the app", "and in the summer?", "delete my MINI ID",
  "which remote services are there", "1", "add my car to the app",
  "change units to miles", "what is the charging time frame", "hello", "thanks",
  "my app does not show the vehicle status", "can I use face id", "xyzzy",
}

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  pool = {}
  n = 0
  errors = 0
  non_json = 0
  -- this thread's share of the sessions
  share = math.max(1, math.floor(SESSIONS / THREADS))
end

local function json_escape(s)
  return (s:gsub('\\', '\\\\'):gsub('"', '\\"'))
end

function request()
  n = n + 1
  local msg = messages[(n % #messages) + 1]
  local sid = "null"
  if not FRESH and #pool >= share then
    sid = '"' .. pool[(n % share) + 1] .. '"'
  end
  local body = '{"session":' .. sid .. ',"message":"' .. json_escape(msg) .. '"}'
  return wrk.format("POST", "/api/v1/chat", { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  if status ~= 200 then
    errors = errors + 1
    return
  end
  local id = body:match('"session":"([%w%-]+)"')
  if not id then
    non_json = non_json + 1
  elseif not FRESH and #pool < share then
    pool[#pool + 1] = id
  end
end

function done(summary, latency, requests)
  local errs, bad = 0, 0
  for _, t in ipairs(threads) do
    errs = errs + (t:get("errors") or 0)
    bad = bad + (t:get("non_json") or 0)
  end
  local secs = summary.duration / 1e6
  io.write(string.format(
    "requests=%d seconds=%.1f rps=%.0f non200=%d no_session=%d socket_errors=%d " ..
    "p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    summary.requests, secs, summary.requests / secs, errs, bad,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
