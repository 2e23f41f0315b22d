-- wrk script: POST /api/hits/<id> as many distinct visitors. Each request names a client address in
-- X-Forwarded-For (the counter must run with --trust-proxy 127.0.0.1), cycling through VISITORS addresses (each thread
-- its own), and an article id from the arguments after `--`, so that nearly every request is a counted hit.
--   wrk -t2 -c200 -d30s -s .ci/counter-hits.lua http://127.0.0.1:8081 -- 100000 sanfuwu/shixian/a sanfuwu/shixian/b
local ids = {}
local visitors = 100000
local next_request = 0
local threads = 0  -- in the setup state only; each thread's state gets the global thread_number from setup
local first_octet = 10

function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end

function init(args)
  visitors = tonumber(args[1]) or visitors
  for i = 2, #args do ids[#ids + 1] = args[i] end
  if #ids == 0 then ids[1] = "a0" end
  first_octet = 10 + (tonumber(thread_number) or 0)  -- each thread its own visitors
end

function request()
  next_request = next_request + 1
  local visitor = next_request % visitors
  local address = first_octet .. "." .. math.floor(visitor / 65536) % 256 .. "." .. math.floor(visitor / 256) % 256 .. "." .. visitor % 256
  local id = ids[(math.floor(next_request / visitors) % #ids) + 1]
  return wrk.format("POST", "/api/hits/" .. id, { ["X-Forwarded-For"] = address, ["Content-Length"] = "0" })
end

-- PACE_MS=n: each connection waits n ms between requests (Tests/Bench/counter's paced runs at the target rates).
local pace = tonumber(os.getenv("PACE_MS") or "")
if pace then
  function delay() return pace end
end
