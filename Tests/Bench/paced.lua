-- wrk script: each connection waits PACE_MS ms between requests (Tests/Bench/counter's paced reads).
local pace = tonumber(os.getenv("PACE_MS") or "0")
function delay() return pace end
