-- wrk script: POST /api/provider/eligibility, cycling through a file of national codes.
-- Environment: BENCH_CODES (the file, one code a line), BENCH_TOKENS (provider tokens, one a
-- line: the requests go round them, as many centres asking at once, each within its limit),
-- BENCH_THREADS (wrk's -t), BENCH_RATE (requests/s in all; absent or 0: as fast as possible).
-- Paced, each thread keeps a schedule of send times 1/(rate/threads) s apart, and every
-- connection of the thread, once answered, waits (delay()) for the next free time on it.

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock_id, bench_timespec *now);
]])

local CLOCK_MONOTONIC = 1
local threads = tonumber(os.getenv("BENCH_THREADS") or "1")
local rate = tonumber(os.getenv("BENCH_RATE") or "0")
local started = 0

function setup(thread)
  thread:set("index", started)
  started = started + 1
end

function init(args)
  codes = {}
  for line in io.lines(os.getenv("BENCH_CODES")) do
    codes[#codes + 1] = line
  end
  position = math.floor(#codes * (index or 0) / threads)
  tokens = {}
  for line in io.lines(os.getenv("BENCH_TOKENS")) do
    tokens[#tokens + 1] = line
  end
  turn = index or 0
  headers = {["Content-Type"] = "application/json"}
  interval = rate > 0 and threads * 1000 / rate or 0
  next_send = 0
end

function request()
  position = position % #codes + 1
  turn = turn % #tokens + 1
  headers["Authorization"] = "Bearer " .. tokens[turn]
  local body = '{"national_code": "' .. codes[position] .. '"}'
  return wrk.format("POST", "/api/provider/eligibility", headers, body)
end

local function now_ms()
  local now = ffi.new("bench_timespec")
  ffi.C.clock_gettime(CLOCK_MONOTONIC, now)
  return tonumber(now.tv_sec) * 1000 + tonumber(now.tv_nsec) / 1e6
end

if rate > 0 then
  function delay()
    local now = now_ms()
    next_send = math.max(next_send + interval, now)
    return math.floor(next_send - now + 0.5)
  end
end
